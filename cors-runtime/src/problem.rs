//! [`ConfigError`]: a policy that could not be built (by the builder, or from an `origin_env`
//! variable), its problems in the words of the attribute's compile errors. Data only: the bottom
//! of the crate, beside the panic catch.

use std::fmt;

use cors_rules::{Key, Location, Problem};

/// A policy that could not be built: every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    problems: Vec<ConfigProblem>,
}

/// One problem of a [`ConfigError`]: the setting and item it is about, and what is wrong, in the
/// words the attribute's compile error uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    setting: Option<Key>,
    index: Option<usize>,
    value: Option<String>,
    env_var: Option<String>,
    message: String,
    hint: Option<String>,
}

impl ConfigProblem {
    fn new(problem: Problem, value: Option<String>, env_var: Option<&str>) -> Self {
        let (setting, index) = match problem.location {
            Location::Whole => (None, None),
            Location::Key(key) | Location::Value(key) => (Some(key), None),
            Location::Item(key, index) => (Some(key), Some(index)),
        };
        ConfigProblem {
            setting,
            index,
            value,
            env_var: env_var.map(str::to_owned),
            message: problem.message,
            hint: problem.hint,
        }
    }

    /// The key the problem is about (`origin`, `methods`, ...), as the attribute names it;
    /// `None` for the policy as a whole (no origin at all).
    pub fn setting(&self) -> Option<&'static str> {
        self.setting.map(Key::name)
    }

    /// The position of the item it is about in its list (or among the entries of an
    /// `origin_env` variable), counted from 0.
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The item it is about, as given.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// What is wrong: the text of the attribute's compile error for the same value.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to put it right, where that is known: the attribute's `help:` line.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.env_var, self.setting, self.index, &self.value) {
            (Some(var), _, Some(index), Some(value)) => write!(
                f,
                "environment variable {var}, entry {} {value:?}: ",
                index + 1
            )?,
            (Some(var), _, _, _) => write!(f, "environment variable {var}: ")?,
            (None, Some(key), Some(index), Some(value)) => write!(f, "{key}[{index}] {value:?}: ")?,
            (None, Some(key), _, _) => write!(f, "{key}: ")?,
            (None, None, _, _) => {}
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl ConfigError {
    /// Each problem, in the order the attribute reports them.
    pub fn problems(&self) -> &[ConfigProblem] {
        &self.problems
    }

    /// Problems of the builder's settings, each with the item it is about.
    pub(crate) fn from_settings(
        problems: Vec<Problem>,
        settings: &cors_rules::Settings<'_>,
    ) -> Self {
        let item = |key: Key, index: usize| {
            let list = match key {
                Key::Origin => settings.origin.as_ref(),
                Key::Methods => settings.methods.as_ref(),
                Key::Headers => settings.headers.as_ref(),
                Key::ExposeHeaders => settings.expose_headers.as_ref(),
                _ => None,
            };
            list.and_then(|items| items.get(index))
                .map(|s| (*s).to_owned())
        };
        let problems = problems
            .into_iter()
            .map(|problem| {
                let value = match problem.location {
                    Location::Item(key, index) => item(key, index),
                    Location::Value(Key::OriginEnv) => settings.origin_env.map(str::to_owned),
                    _ => None,
                };
                ConfigProblem::new(problem, value, None)
            })
            .collect();
        ConfigError { problems }
    }

    /// Problems of an `origin_env` variable's value (or of reading it), each naming the variable
    /// and the entry.
    pub(crate) fn from_env(var: &str, value: &str, problems: Vec<Problem>) -> Self {
        let entries: Vec<&str> = cors_rules::env_entries(value).collect();
        let problems = problems
            .into_iter()
            .map(|problem| {
                let value = match problem.location {
                    Location::Item(_, index) => entries.get(index).map(|s| (*s).to_owned()),
                    _ => None,
                };
                ConfigProblem::new(problem, value, Some(var))
            })
            .collect();
        ConfigError { problems }
    }

    /// The variable could not be read at all.
    pub(crate) fn unreadable_env(var: &str, message: String) -> Self {
        let problem = Problem::new(Location::Value(Key::OriginEnv), message);
        ConfigError {
            problems: vec![ConfigProblem::new(problem, None, Some(var))],
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid CORS policy: ")?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
