//! Collecting errors, so that one build shows every problem of an attribute at once, each at its
//! place: the bottom of the crate, which every other module uses.

use cors_rules::Problem;
use proc_macro2::Span;

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
