//! Validating the settings with `cors_rules::validate`, and turning each problem into a compile
//! error on what it is about: the literal, the list item, the key, or the whole attribute. No rule
//! is written here.

use cors_rules::{Location, Policy};
use proc_macro2::Span;

use crate::attr::Read;
use crate::errors::Errors;

/// The validated policy, or every problem reported at its place. `whole` is where a problem about
/// the configuration as a whole points: the attribute, or the `cors_config!` invocation.
pub fn validate<'r>(read: &'r Read, whole: Span, errors: &mut Errors) -> Option<Policy<'r>> {
    let settings = read.settings();
    match cors_rules::validate(&settings) {
        Ok(policy) => Some(policy),
        Err(problems) => {
            for problem in &problems {
                let spans = &read.spans;
                let span = match problem.location {
                    Location::Whole => Some(whole),
                    Location::Key(key) => spans.keys.get(&key).copied(),
                    Location::Value(key) => spans.values.get(&key).copied(),
                    Location::Item(key, index) => spans
                        .items
                        .get(&key)
                        .and_then(|items| items.get(index))
                        .copied(),
                };
                errors.problem(span.unwrap_or(whole), problem);
            }
            None
        }
    }
}
