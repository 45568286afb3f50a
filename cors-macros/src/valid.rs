//! Validating the settings with `cors_rules::validate`, and turning each problem into a compile
//! error on what it is about: the literal, the list item, the key, or the whole attribute. No rule
//! is written here.

use cors_rules::{Location, Policy, Problem};
use proc_macro2::Span;

use crate::attr::Read;

/// Collects errors so that one build shows all of them.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// A rule's problem at `span`: its message, and its hint as rustc's `help:` line.
    pub fn problem(&mut self, span: Span, problem: &Problem) {
        match &problem.hint {
            Some(hint) => self.at(span, format!("{}\nhelp: {hint}", problem.message)),
            None => self.at(span, &problem.message),
        }
    }

    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(errors) => Err(errors),
            None => Ok(value),
        }
    }
}

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
