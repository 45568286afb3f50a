//! What is wrong with a configuration, and where.

use std::fmt;

use crate::Key;
use crate::key::{closest, names};

/// What a [`Problem`] is about. The attribute turns it into a span (the literal, the key, the whole
/// attribute); the builder and `origin_env` into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The configuration as a whole (a setting is missing).
    Whole,
    /// A key itself (it must not be there).
    Key(Key),
    /// A key's whole value (`max_age = 70000000000`, an empty list).
    Value(Key),
    /// One item of a key's value, counted from 0: the item of a list, the one string of a value
    /// written as a single string, or an entry of the `origin_env` variable.
    Item(Key, usize),
}

/// One refused part of a configuration: what is wrong, where, and how to put it right where that
/// is known.
///
/// Messages are in rustc's voice (lower case, no trailing period) and never depend on where the
/// configuration came from: the attribute, `cors_config!`, the builder and `origin_env` show the
/// same text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What it is about.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// A suggestion such as `did you mean "https://myapp.com"?`.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem without a hint.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Problem {
            location,
            message: message.into(),
            hint: None,
        }
    }

    /// The same problem with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same problem, about `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    pub(crate) fn did_you_mean(self, value: &str) -> Self {
        self.with_hint(format!("did you mean \"{value}\"?"))
    }
}

impl fmt::Display for Problem {
    /// The message, and the hint in parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

impl Key {
    /// The key named `name`, or why there is none (with a "did you mean" where one is close).
    ///
    /// ```
    /// use cors_rules::Key;
    ///
    /// assert_eq!(Key::from_name("max_age"), Ok(Key::MaxAge));
    /// let unknown = Key::from_name("allowed_origins").unwrap_err();
    /// assert_eq!(unknown.hint.as_deref(), Some("did you mean `origin`?"));
    /// ```
    // Here rather than in `key.rs`: its refusal is a `Problem`, and `problem` is above `key`.
    pub fn from_name(name: &str) -> Result<Key, Problem> {
        if let Some(key) = Key::ALL.into_iter().find(|key| key.name() == name) {
            return Ok(key);
        }
        let problem = match closest(name) {
            Some(close) => Problem::new(Location::Whole, format!("unknown key `{name}`"))
                .with_hint(format!("did you mean `{}`?", close.name())),
            None => Problem::new(
                Location::Whole,
                format!("unknown key `{name}`: expected one of {}", names()),
            ),
        };
        Err(problem)
    }
}
