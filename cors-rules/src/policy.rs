//! A whole configuration: every setting, the rules between settings, and the validated result.
//!
//! [`validate`] is the one validation of a CORS policy. `#[cors_handler(...)]` and
//! `cors_config!(...)` call it at compile time on their literals, `CorsConfigBuilder::build` at run
//! time on its values, and [`validate_env`] applies the same origin rules to an `origin_env`
//! variable's value. A rule written here reaches all of them at once.

use crate::{Csrf, Key, Location, OriginSpec, Problem};

/// The methods the API Gateway console's "Enable CORS" allows: the default of `methods`.
pub const DEFAULT_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// The request headers the API Gateway console's "Enable CORS" allows: the default of `headers`.
pub const DEFAULT_HEADERS: [&str; 5] = [
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
];

/// The settings of a policy as given, before validation.
///
/// A key that is not set is `None`; a list is its items in order (a value written as one string is
/// a list of one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings<'a> {
    /// `origin`: serialized origins, `"*"` or wildcards.
    pub origin: Option<Vec<&'a str>>,
    /// Whether `origin` was written as a list (`["https://myapp.com"]`): a list of one exact
    /// origin is still a list, whose matching origin is echoed, where a single string is sent
    /// statically.
    pub origin_is_list: bool,
    /// `origin_env`: the name of the variable that lists the origins.
    pub origin_env: Option<&'a str>,
    /// `origin_fn`: the policy has a check in code (whose signature the compiler checks).
    pub origin_fn: bool,
    /// `methods`.
    pub methods: Option<Vec<&'a str>>,
    /// `headers`.
    pub headers: Option<Vec<&'a str>>,
    /// `expose_headers`.
    pub expose_headers: Option<Vec<&'a str>>,
    /// `credentials`.
    pub credentials: Option<bool>,
    /// `max_age`, in seconds as written (a value beyond `u64` is `u64::MAX`).
    pub max_age: Option<u64>,
    /// `preflight`.
    pub preflight: Option<bool>,
    /// `front_door`.
    pub front_door: Option<bool>,
    /// `csrf`, as written (`"block"`, `"report"`, `"off"`).
    pub csrf: Option<&'a str>,
    /// Keys given with a value the caller could not read (a value of the wrong type, which the
    /// caller has reported): no rule reports them missing.
    pub unreadable: Vec<Key>,
}

/// A validated policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy<'a> {
    /// Which origins are allowed.
    pub origins: Origins<'a>,
    /// A check in code is asked about every origin `origins` does not allow (`origin_fn`); the
    /// responses then vary on `Origin` (a single origin is a list of one).
    pub origin_fn: bool,
    /// What a preflight may ask for.
    pub methods: Names<'a>,
    /// Request headers a preflight may ask for.
    pub headers: Names<'a>,
    /// Response headers the page may read (`Default`: none).
    pub expose_headers: Names<'a>,
    /// `Access-Control-Allow-Credentials: true` with every grant.
    pub credentials: bool,
    /// `Access-Control-Max-Age` on preflight answers.
    pub max_age: Option<u32>,
    /// Whether the wrapper answers preflights.
    pub preflight: bool,
    /// The front door answers preflights and writes the CORS headers: the function writes none.
    pub front_door: bool,
    /// What happens to a write from an origin the policy does not allow: as written, or
    /// [`Csrf::default_for`] the policy's credentials.
    pub csrf: Csrf,
}

/// Which origins a policy allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins<'a> {
    /// `"*"`.
    Any,
    /// One serialized origin, written as a single string: sent as a static
    /// `Access-Control-Allow-Origin` on every response (the browser compares it), so responses
    /// do not vary on `Origin`.
    Exact(&'a str),
    /// A list, or a wildcard (never [`OriginSpec::Any`]): a matching request's origin is echoed,
    /// and every response varies on `Origin`.
    List(Vec<OriginSpec<'a>>),
    /// Read from this environment variable on first use ([`validate_env`]).
    Env(&'a str),
}

/// `methods`, `headers` or `expose_headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names<'a> {
    /// Not set: [`DEFAULT_METHODS`], [`DEFAULT_HEADERS`], or no exposed header.
    Default,
    /// `["*"]`.
    Any,
    /// The names, as written.
    List(Vec<&'a str>),
}

/// Validates a whole configuration: every problem found, each tied to what it is about.
///
/// ```
/// use cors_rules::{validate, Key, Location, Origins, Settings};
///
/// let settings = Settings {
///     origin: Some(vec!["https://myapp.com", "https://myapp.com/"]),
///     methods: Some(vec![]),
///     ..Settings::default()
/// };
/// let problems = validate(&settings).unwrap_err();
/// assert_eq!(problems[0].location, Location::Item(Key::Origin, 1));
/// assert_eq!(problems[0].hint.as_deref(), Some("did you mean \"https://myapp.com\"?"));
/// assert_eq!(problems[1].location, Location::Value(Key::Methods));
///
/// let ok = Settings { origin: Some(vec!["https://myapp.com"]), ..Settings::default() };
/// assert_eq!(validate(&ok).unwrap().origins, Origins::Exact("https://myapp.com"));
/// ```
pub fn validate<'a>(settings: &Settings<'a>) -> Result<Policy<'a>, Vec<Problem>> {
    let mut problems = Vec::new();
    let credentials = settings.credentials.unwrap_or(false);
    let unreadable = |key| settings.unreadable.contains(&key);

    let with_check = settings.origin_fn;
    let origins = match (&settings.origin, settings.origin_env) {
        (Some(_), Some(_)) => {
            problems.push(Problem::new(
                Location::Key(Key::OriginEnv),
                "use either `origin` or `origin_env`, not both",
            ));
            None
        }
        (None, None)
            if unreadable(Key::Origin)
                || unreadable(Key::OriginEnv)
                || unreadable(Key::OriginFn) =>
        {
            None
        }
        // The check alone decides.
        (None, None) if with_check => Some(Origins::List(Vec::new())),
        (None, None) => {
            problems.push(Problem::new(
                Location::Whole,
                "missing `origin`: name the allowed origins, as in `origin = \"https://myapp.com\"`, \
                 the environment variable that lists them, as in `origin_env = \"ALLOWED_ORIGINS\"`, \
                 or a check in code, `origin_fn`",
            ));
            None
        }
        (Some(items), None) => {
            origin_list(items, Key::Origin, credentials, with_check, &mut problems).map(|specs| {
                match specs.as_slice() {
                    [OriginSpec::Any] => Origins::Any,
                    // With a check, every response varies on `Origin`: one origin is a list of one.
                    [OriginSpec::Exact(origin)] if !settings.origin_is_list && !with_check => {
                        Origins::Exact(origin)
                    }
                    _ => Origins::List(specs),
                }
            })
        }
        (None, Some(var)) => {
            if let Err(problem) = check_env_name(var) {
                problems.push(problem);
            }
            Some(Origins::Env(var))
        }
    };

    let methods = names(
        settings.methods.as_deref(),
        Key::Methods,
        credentials,
        &mut problems,
    );
    let headers = names(
        settings.headers.as_deref(),
        Key::Headers,
        credentials,
        &mut problems,
    );
    let expose_headers = names(
        settings.expose_headers.as_deref(),
        Key::ExposeHeaders,
        credentials,
        &mut problems,
    );
    let max_age = settings
        .max_age
        .and_then(|seconds| match u32::try_from(seconds) {
            Ok(seconds) => Some(seconds),
            Err(_) => {
                problems.push(Problem::new(
                    Location::Value(Key::MaxAge),
                    "`max_age` is a number of seconds from 0 to 4294967295",
                ));
                None
            }
        });

    let front_door = settings.front_door.unwrap_or(false);
    if front_door {
        front_door_rules(settings, &mut problems);
    }
    let csrf = csrf(settings, origins.as_ref(), credentials, &mut problems);

    match origins {
        Some(origins) if problems.is_empty() => Ok(Policy {
            origins,
            methods,
            headers,
            expose_headers,
            credentials,
            max_age,
            preflight: settings.preflight.unwrap_or(true) && !front_door,
            origin_fn: with_check,
            front_door,
            csrf,
        }),
        _ => Err(problems),
    }
}

/// What an `origin_env` variable allows: `"*"`, or a list (a single origin read from the
/// environment is still echoed, so that changing the variable never changes the shape of the
/// responses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvOrigins<'v> {
    /// `*`.
    Any,
    /// The entries, each exact or a wildcard.
    List(Vec<OriginSpec<'v>>),
}

/// The entries of an `origin_env` value, in order: split on `,`, each trimmed of spaces and tabs.
/// An empty entry stays (and is refused by [`validate_env`] as an empty origin), so that
/// problems count entries as they are written.
pub fn env_entries(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(|entry| entry.trim_matches([' ', '\t']))
}

/// Validates the value of an `origin_env` variable with the rules of `origin`: each entry is an
/// origin, none twice, `"*"` alone, never with credentials and never beside a check in code
/// (`with_check`). Problems are about
/// [`Location::Value`] or [`Location::Item`] of [`Key::OriginEnv`] (entries counted from 0).
///
/// ```
/// use cors_rules::{validate_env, EnvOrigins, Key, Location};
///
/// assert!(matches!(validate_env("https://a.com, https://b.com", true, false), Ok(EnvOrigins::List(l)) if l.len() == 2));
/// let problems = validate_env("https://a.com,,*", true, false).unwrap_err();
/// assert_eq!(problems[0].location, Location::Item(Key::OriginEnv, 1));
/// assert_eq!(problems[1].location, Location::Item(Key::OriginEnv, 2));
/// ```
pub fn validate_env(
    value: &str,
    credentials: bool,
    with_check: bool,
) -> Result<EnvOrigins<'_>, Vec<Problem>> {
    if value.trim_matches([' ', '\t']).is_empty() {
        return Err(vec![Problem::new(
            Location::Value(Key::OriginEnv),
            "the variable is empty: list the allowed origins, comma-separated",
        )]);
    }
    let mut problems = Vec::new();
    let entries: Vec<&str> = env_entries(value).collect();
    match origin_list(
        &entries,
        Key::OriginEnv,
        credentials,
        with_check,
        &mut problems,
    ) {
        Some(specs) if specs == [OriginSpec::Any] => Ok(EnvOrigins::Any),
        Some(specs) => Ok(EnvOrigins::List(specs)),
        None => Err(problems),
    }
}

/// The rules of an origin list, shared by `origin` and the entries of an `origin_env` variable.
fn origin_list<'a>(
    items: &[&'a str],
    key: Key,
    credentials: bool,
    with_check: bool,
    problems: &mut Vec<Problem>,
) -> Option<Vec<OriginSpec<'a>>> {
    let before = problems.len();
    if items.is_empty() {
        problems.push(Problem::new(
            Location::Value(key),
            format!("the `{key}` list is empty: allow at least one origin"),
        ));
        return None;
    }
    let mut specs: Vec<OriginSpec<'a>> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match crate::parse_origin(item) {
            Ok(spec) => {
                if specs.contains(&spec) {
                    problems.push(Problem::new(
                        Location::Item(key, i),
                        format!("origin `{item}` is listed twice"),
                    ));
                }
                if spec == OriginSpec::Any {
                    if items.len() > 1 {
                        problems.push(Problem::new(
                            Location::Item(key, i),
                            "`\"*\"` allows every origin and must stand alone, not in a list",
                        ));
                    } else if credentials {
                        problems.push(
                            Problem::new(
                                Location::Item(key, i),
                                "origin `\"*\"` cannot be combined with `credentials = true`: the \
                                 Fetch standard refuses `*` with credentials",
                            )
                            .with_hint("list the origins that may send credentials"),
                        );
                    } else if with_check {
                        problems.push(Problem::new(
                            Location::Item(key, i),
                            "origin `\"*\"` allows every origin: the `origin_fn` would never be asked",
                        ));
                    }
                }
                specs.push(spec);
            }
            Err(problem) => problems.push(problem.at(Location::Item(key, i))),
        }
    }
    (problems.len() == before).then_some(specs)
}

/// The rules of `methods`, `headers` and `expose_headers`.
fn names<'a>(
    items: Option<&[&'a str]>,
    key: Key,
    credentials: bool,
    problems: &mut Vec<Problem>,
) -> Names<'a> {
    let Some(items) = items else {
        return Names::Default;
    };
    if items.is_empty() {
        problems.push(Problem::new(
            Location::Value(key),
            format!("the `{key}` list is empty: leave `{key}` out for the default"),
        ));
        return Names::Default;
    }
    let before = problems.len();
    // Methods compare case-sensitively (`PURGE` and `purge` are two methods); header names do not.
    let same = |a: &str, b: &str| match key {
        Key::Methods => a == b,
        _ => a.eq_ignore_ascii_case(b),
    };
    for (i, &item) in items.iter().enumerate() {
        let checked = match key {
            Key::Methods => crate::check_method(item),
            _ => crate::check_header_name(item),
        };
        if let Err(problem) = checked {
            problems.push(problem.at(Location::Item(key, i)));
            continue;
        }
        if items[..i].iter().any(|seen| same(seen, item)) {
            problems.push(Problem::new(
                Location::Item(key, i),
                format!("`{key}` lists `{item}` twice"),
            ));
        }
        if item == "*" {
            if items.len() > 1 {
                problems.push(Problem::new(
                    Location::Item(key, i),
                    format!("`\"*\"` in `{key}` must stand alone, not in a list"),
                ));
            } else if credentials {
                problems.push(
                    Problem::new(
                        Location::Item(key, i),
                        format!(
                            "`{key} = [\"*\"]` cannot be combined with `credentials = true`: the \
                             Fetch standard treats `*` literally with credentials"
                        ),
                    )
                    .with_hint("list the names"),
                );
            }
        }
    }
    if problems.len() > before {
        Names::Default
    } else if items == ["*"] {
        Names::Any
    } else {
        Names::List(items.to_vec())
    }
}

/// What a front door's CORS configuration cannot hold: it is static, and it answers preflights.
fn front_door_rules(settings: &Settings<'_>, problems: &mut Vec<Problem>) {
    let why = "with `front_door = true` the front door's CORS configuration, rendered from the \
               policy, is static";
    if settings.preflight.is_some() {
        problems.push(Problem::new(
            Location::Key(Key::Preflight),
            "with `front_door = true` the front door answers preflights: leave `preflight` out",
        ));
    }
    if settings.origin_fn {
        problems.push(
            Problem::new(
                Location::Key(Key::OriginFn),
                format!("`origin_fn` runs in the function, but {why}"),
            )
            .with_hint("let the function answer (no `front_door`) to keep a check in code"),
        );
    }
    if settings.origin_env.is_some() {
        problems.push(
            Problem::new(
                Location::Key(Key::OriginEnv),
                format!("`origin_env` is read by the function, but {why}"),
            )
            .with_hint("list the origins with `origin`, as the deployment renders them"),
        );
    }
}

/// `csrf`: a mode by its name, its default from the credentials, and the combinations where it
/// can have no effect.
fn csrf(
    settings: &Settings<'_>,
    origins: Option<&Origins<'_>>,
    credentials: bool,
    problems: &mut Vec<Problem>,
) -> Csrf {
    let default = Csrf::default_for(credentials);
    let Some(written) = settings.csrf else {
        return default;
    };
    let Some(mode) = Csrf::from_name(written) else {
        let problem = Problem::new(
            Location::Value(Key::Csrf),
            format!("`csrf` is `\"block\"`, `\"report\"` or `\"off\"`, not `{written:?}`"),
        );
        problems.push(match Csrf::closest(written) {
            Some(mode) => problem.with_hint(format!("did you mean `csrf = \"{}\"`?", mode.name())),
            None => problem,
        });
        return default;
    };
    if mode != Csrf::Off && matches!(origins, Some(Origins::Any)) {
        problems.push(
            Problem::new(
                Location::Value(Key::Csrf),
                format!(
                    "`csrf = \"{}\"` refuses writes from the origins the policy does not allow, \
                     and `origin = \"*\"` allows every origin: it would refuse nothing",
                    mode.name()
                ),
            )
            .with_hint("list the origins that may write, or leave `csrf` out"),
        );
    }
    mode
}

/// The name of an `origin_env` variable: letters, digits and `_`, not starting with a digit.
fn check_env_name(name: &str) -> Result<(), Problem> {
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(Problem::new(
            Location::Value(Key::OriginEnv),
            "`origin_env` names an environment variable: letters, digits and `_`, not starting with a digit",
        ))
    }
}

#[cfg(test)]
mod tests;
