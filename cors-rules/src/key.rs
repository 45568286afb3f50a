//! The settings of a CORS policy, by the names the attribute and `cors_config!` give them.

use std::fmt;

/// One setting of a policy: a key of `#[cors_handler(...)]` and `cors_config!(...)`, and a setter
/// of the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// `origin`: the allowed origins.
    Origin,
    /// `origin_env`: the variable that lists them.
    OriginEnv,
    /// `origin_fn`: a check in code, asked about every origin the lists do not allow.
    OriginFn,
    /// `methods`: what a preflight may ask for.
    Methods,
    /// `headers`: request headers a preflight may ask for.
    Headers,
    /// `expose_headers`: response headers the page may read.
    ExposeHeaders,
    /// `credentials`: `Access-Control-Allow-Credentials: true` with every grant.
    Credentials,
    /// `max_age`: `Access-Control-Max-Age` on preflight answers.
    MaxAge,
    /// `preflight`: whether the wrapper answers preflights.
    Preflight,
    /// `front_door`: the front door (an HTTP API's or a function URL's CORS configuration,
    /// rendered from the policy) answers preflights and writes the CORS headers; the function
    /// writes none.
    FrontDoor,
    /// `csrf`: whether writes from origins the policy does not allow are refused
    /// ([`Csrf`]).
    Csrf,
}

/// The value of `csrf`: what happens to a cross-origin write (a request with a method other
/// than `GET`, `HEAD` and `OPTIONS`) from an origin the policy does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Csrf {
    /// `"block"`: refused with `403` before the handler runs.
    Block,
    /// `"report"`: the handler runs; the refusal it would have been is logged.
    Report,
    /// `"off"`: not checked (CORS alone: the response is hidden, the request runs).
    Off,
}

impl Csrf {
    /// Every mode, as written.
    pub const ALL: [Csrf; 3] = [Csrf::Block, Csrf::Report, Csrf::Off];

    /// The mode as written: `block`, `report`, `off`.
    pub const fn name(self) -> &'static str {
        match self {
            Csrf::Block => "block",
            Csrf::Report => "report",
            Csrf::Off => "off",
        }
    }

    /// The mode a value names, exactly as written.
    pub fn from_name(name: &str) -> Option<Csrf> {
        Csrf::ALL.into_iter().find(|mode| mode.name() == name)
    }

    /// The mode a mistaken value most likely means (`"Block"`, `"on"`, `"warn"`, `"false"`).
    pub fn closest(name: &str) -> Option<Csrf> {
        match name.to_ascii_lowercase().trim() {
            "block" | "on" | "true" | "enforce" | "deny" | "refuse" | "strict" => Some(Csrf::Block),
            "report" | "warn" | "log" | "report-only" | "report_only" | "audit" => {
                Some(Csrf::Report)
            }
            "off" | "false" | "none" | "disabled" | "disable" | "allow" | "no" => Some(Csrf::Off),
            _ => None,
        }
    }

    /// The default: `Block` with credentials (the browser attaches the user's cookies, so a
    /// forged write carries the user's authority), `Off` without.
    pub const fn default_for(credentials: bool) -> Csrf {
        if credentials { Csrf::Block } else { Csrf::Off }
    }
}

impl Key {
    /// Every key, in the order the reference lists them.
    pub const ALL: [Key; 11] = [
        Key::Origin,
        Key::OriginEnv,
        Key::OriginFn,
        Key::Methods,
        Key::Headers,
        Key::ExposeHeaders,
        Key::Credentials,
        Key::MaxAge,
        Key::Preflight,
        Key::FrontDoor,
        Key::Csrf,
    ];

    /// The key as written: `origin`, `max_age`, ...
    pub const fn name(self) -> &'static str {
        match self {
            Key::Origin => "origin",
            Key::OriginEnv => "origin_env",
            Key::OriginFn => "origin_fn",
            Key::Methods => "methods",
            Key::Headers => "headers",
            Key::ExposeHeaders => "expose_headers",
            Key::Credentials => "credentials",
            Key::MaxAge => "max_age",
            Key::Preflight => "preflight",
            Key::FrontDoor => "front_door",
            Key::Csrf => "csrf",
        }
    }

    /// What the key's value is written as, for a value of the wrong type.
    pub const fn expects(self) -> &'static str {
        match self {
            Key::Origin | Key::Methods | Key::Headers | Key::ExposeHeaders => {
                "a string literal or a list of them, such as `[\"a\", \"b\"]`"
            }
            Key::OriginEnv => "a string literal",
            Key::OriginFn => {
                "the path of a function, such as `crate::tenants::allowed` (or `async crate::tenants::allowed`)"
            }
            Key::Credentials | Key::Preflight | Key::FrontDoor => "`true` or `false`",
            Key::MaxAge => "a number of seconds, such as `600`",
            Key::Csrf => "`\"block\"`, `\"report\"` or `\"off\"`",
        }
    }

    /// Whether the value is a list (or one string standing for a list of one).
    pub const fn is_list(self) -> bool {
        matches!(
            self,
            Key::Origin | Key::Methods | Key::Headers | Key::ExposeHeaders
        )
    }

    // `Key::from_name` is in `problem.rs`: an unknown name is refused with a `Problem`, which
    // is above this module (it names a `Key`).
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every key's name, for the refusal of an unknown one.
pub(crate) fn names() -> String {
    let names: Vec<&str> = Key::ALL.iter().map(|key| key.name()).collect();
    names.join(", ")
}

/// The key a mistyped or borrowed name most likely means: other libraries' names for the same
/// setting, a plural or singular, another case or `-` for `_`.
pub(crate) fn closest(name: &str) -> Option<Key> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    const ALIASES: &[(&str, Key)] = &[
        ("origins", Key::Origin),
        ("allow_origin", Key::Origin),
        ("allowed_origins", Key::Origin),
        ("allow_origins", Key::Origin),
        ("origins_env", Key::OriginEnv),
        ("env", Key::OriginEnv),
        ("origin_predicate", Key::OriginFn),
        ("origin_check", Key::OriginFn),
        ("allow_origin_fn", Key::OriginFn),
        ("allow_methods", Key::Methods),
        ("method", Key::Methods),
        ("allow_headers", Key::Headers),
        ("header", Key::Headers),
        ("expose", Key::ExposeHeaders),
        ("exposed_headers", Key::ExposeHeaders),
        ("expose_header", Key::ExposeHeaders),
        ("allow_credentials", Key::Credentials),
        ("credential", Key::Credentials),
        ("maxage", Key::MaxAge),
        ("max_age_secs", Key::MaxAge),
        ("preflights", Key::Preflight),
        ("frontdoor", Key::FrontDoor),
        ("gateway_cors", Key::FrontDoor),
        ("csrf_protection", Key::Csrf),
        ("cross_origin_protection", Key::Csrf),
        ("cross_origin_writes", Key::Csrf),
        ("xsrf", Key::Csrf),
    ];
    if let Some((_, key)) = ALIASES.iter().find(|(alias, _)| *alias == lower) {
        return Some(*key);
    }
    Key::ALL.into_iter().find(|key| key.name() == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases_suggest() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Ok(key));
        }
        let hint = |name: &str| Key::from_name(name).unwrap_err().hint;
        assert_eq!(hint("Max-Age").as_deref(), Some("did you mean `max_age`?"));
        assert_eq!(hint("origins").as_deref(), Some("did you mean `origin`?"));
        let unknown = Key::from_name("colour").unwrap_err();
        assert_eq!(unknown.hint, None);
        assert!(
            unknown
                .message
                .ends_with("credentials, max_age, preflight, front_door, csrf")
        );
        assert!(unknown.message.contains("origin_env, origin_fn, methods"));
    }
}
