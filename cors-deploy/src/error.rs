//! [`FrontDoorError`]: why a policy cannot be handed to a front door, and what to do instead.

use std::fmt;

/// The front door a rendering is for, as [`FrontDoorError`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrontDoor {
    /// An API Gateway HTTP API's CORS configuration ([`HttpApiCors`](crate::HttpApiCors)).
    HttpApi,
    /// A Lambda function URL's `Cors` settings ([`FunctionUrlCors`](crate::FunctionUrlCors)).
    FunctionUrl,
    /// A REST API's MOCK `OPTIONS` integration ([`RestPreflightMock`](crate::RestPreflightMock)).
    RestMock,
}

impl FrontDoor {
    fn what(self) -> &'static str {
        match self {
            FrontDoor::HttpApi => "an HTTP API's CORS configuration",
            FrontDoor::FunctionUrl => "a function URL's Cors settings",
            FrontDoor::RestMock => "a REST API's MOCK OPTIONS integration",
        }
    }

    /// Where its limits are documented.
    fn source(self) -> &'static str {
        match self {
            FrontDoor::HttpApi => {
                "API Gateway developer guide, \"Configure CORS for HTTP APIs\"; API Gateway V2 API \
                 reference, Cors"
            }
            FrontDoor::FunctionUrl => "Lambda API reference, Cors",
            FrontDoor::RestMock => "API Gateway developer guide, \"CORS for REST APIs\"",
        }
    }
}

impl fmt::Display for FrontDoor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.what())
    }
}

/// The form of a configured origin that a front door's static list cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OriginForm {
    /// A wildcard over whole labels of the host: `https://*.myapp.com`.
    LabelWildcard,
    /// A wildcard inside the host's first label: `https://pr-*.preview.myapp.com`.
    InLabelWildcard,
    /// Any port on a loopback host: `http://localhost:*`.
    AnyLoopbackPort,
}

impl OriginForm {
    fn what(self) -> &'static str {
        match self {
            OriginForm::LabelWildcard => "a wildcard over whole labels of the host",
            OriginForm::InLabelWildcard => "a wildcard inside a label of the host",
            OriginForm::AnyLoopbackPort => "any port on a loopback host",
        }
    }
}

/// Why [`HttpApiCors`](crate::HttpApiCors), [`FunctionUrlCors`](crate::FunctionUrlCors) or
/// [`RestPreflightMock`](crate::RestPreflightMock) could not be rendered from a policy. Each
/// message says what the front door cannot do and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrontDoorError {
    /// An HTTP API or a function URL would add its CORS headers to every response, but the
    /// policy lets the function write its own: `front_door = true` is missing.
    FunctionWritesHeaders {
        /// The front door.
        front_door: FrontDoor,
    },
    /// A REST API's MOCK answers preflights only, and REST adds no CORS header to the function's
    /// responses, but the policy has `front_door = true`: the function would write none either.
    FunctionWritesNoHeaders,
    /// The policy's origins come from an environment variable, read when the function starts;
    /// the front door's settings are rendered at build time.
    OriginEnv {
        /// The front door.
        front_door: FrontDoor,
        /// The variable.
        var: String,
    },
    /// The policy decides some origins in code (`origin_fn`), which only the function can run.
    OriginFn {
        /// The front door.
        front_door: FrontDoor,
    },
    /// An allowed origin whose form the front door's list of origins cannot hold.
    UnsupportedOrigin {
        /// The front door.
        front_door: FrontDoor,
        /// The origin, as configured.
        origin: String,
        /// Its form.
        form: OriginForm,
    },
    /// A MOCK answers with one static `Access-Control-Allow-Origin`, but the policy allows a list
    /// or a wildcard, which the function matches against each request's origin.
    NotOneOrigin {
        /// The configured origins, as written.
        origins: Vec<String>,
    },
    /// A method a function URL's `AllowMethods` cannot list.
    UnsupportedMethod {
        /// The front door.
        front_door: FrontDoor,
        /// The method, as configured.
        method: String,
    },
    /// More entries than the front door's setting holds.
    TooMany {
        /// The front door.
        front_door: FrontDoor,
        /// The front door's setting (`AllowOrigins`, `AllowHeaders`, ...).
        setting: &'static str,
        /// How many the policy has.
        count: usize,
        /// How many the setting holds.
        max: usize,
    },
    /// An entry longer than the front door's setting holds.
    TooLong {
        /// The front door.
        front_door: FrontDoor,
        /// The front door's setting.
        setting: &'static str,
        /// The entry.
        value: String,
        /// Its longest length, in characters.
        max: usize,
    },
    /// A `max_age` over the front door's maximum.
    MaxAgeTooLarge {
        /// The front door.
        front_door: FrontDoor,
        /// The policy's `max_age`.
        max_age: u32,
        /// The front door's maximum.
        max: u32,
    },
    /// A header value contains a `'`, which a MOCK's static value (written in single quotes)
    /// cannot carry.
    UnquotableValue {
        /// The header.
        header: &'static str,
        /// Its value.
        value: String,
    },
}

impl fmt::Display for FrontDoorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrontDoorError::FunctionWritesHeaders { front_door } => {
                let outcome = match front_door {
                    FrontDoor::FunctionUrl => {
                        "Lambda adds them to whatever the function sends (users report both sets \
                         on ordinary responses), so Access-Control-Allow-Origin would arrive \
                         twice and the browser would refuse the response"
                    }
                    _ => {
                        "API Gateway ignores the CORS headers the function returns, so the \
                         function's Access-Control-Allow-Origin would be overridden and its own \
                         rules silently replaced"
                    }
                };
                write!(
                    f,
                    "the policy lets the function write its own CORS headers, but {front_door} \
                     answers preflights and adds its CORS headers to every response: {outcome}. \
                     Set `front_door = true` in the policy the function uses \
                     (`cors_config!(..., front_door = true)`, `.front_door(true)`) so that it \
                     writes none, or leave the front door without CORS settings and let the \
                     function answer"
                )
            }
            FrontDoorError::FunctionWritesNoHeaders => f.write_str(
                "the policy has `front_door = true`, so the function writes no CORS header, and a \
                 REST API adds none to the function's responses (a Lambda proxy integration has no \
                 integration response to map them onto): every actual response would reach the \
                 browser without Access-Control-Allow-Origin. A MOCK OPTIONS integration answers \
                 preflights only: leave `front_door` out of the policy, so that the function keeps \
                 writing the headers of its actual responses",
            ),
            FrontDoorError::OriginEnv { front_door, var } => write!(
                f,
                "the policy reads its origins from the environment variable {var} when the \
                 function starts, but {front_door} is static, rendered at build time: the two \
                 could differ without anything noticing. List the origins with `origin = [...]`, \
                 or let the function answer"
            ),
            FrontDoorError::OriginFn { front_door } => write!(
                f,
                "the policy decides some origins in code (`origin_fn`), per request, which only \
                 the function can run; {front_door} is a static list. Let the function answer \
                 preflights and write the CORS headers"
            ),
            FrontDoorError::UnsupportedOrigin {
                front_door,
                origin,
                form,
            } => {
                let takes = match front_door {
                    FrontDoor::HttpApi => {
                        "its allowOrigins takes exact origins, `*`, and `https://*` or `http://*` \
                         (every origin of that scheme)"
                    }
                    _ => "its AllowOrigins takes specific origins or `*`",
                };
                write!(
                    f,
                    "{front_door} cannot hold the origin {origin:?}, {}: {takes} ({}). List the \
                     origins it stands for, or let the function answer (no `front_door`), which \
                     matches it",
                    form.what(),
                    front_door.source()
                )
            }
            FrontDoorError::NotOneOrigin { origins } => write!(
                f,
                "the policy allows {} and echoes the request's origin when it matches, but {} \
                 answers with static header values (each in single quotes): one \
                 Access-Control-Allow-Origin for every request, which cannot match. Let the \
                 function answer preflights instead (the default: ANY routes OPTIONS to it, and \
                 it matches the list), or allow one origin",
                crate::gateway::describe_origins(origins),
                FrontDoor::RestMock
            ),
            FrontDoorError::UnsupportedMethod { front_door, method } => {
                let allowed = "GET, PUT, HEAD, POST, PATCH, DELETE or `*`; OPTIONS is left out, \
                               since the URL answers preflights itself";
                if method == "OPTIONS" {
                    write!(
                        f,
                        "the policy allows only OPTIONS, but {front_door} lists {allowed} ({}): \
                         no method would be left. Allow the methods the page sends",
                        front_door.source()
                    )
                } else {
                    write!(
                        f,
                        "{front_door} lists {allowed} ({}), and the policy allows {method:?}. \
                         Drop it from `methods`, allow `*`, or let the function answer",
                        front_door.source()
                    )
                }
            }
            FrontDoorError::TooMany {
                front_door,
                setting,
                count,
                max,
            } => write!(
                f,
                "{front_door}'s {setting} holds at most {max} entries ({}), and the policy has \
                 {count}. Shorten the list, or let the function answer",
                front_door.source()
            ),
            FrontDoorError::TooLong {
                front_door,
                setting,
                value,
                max,
            } => write!(
                f,
                "{front_door}'s {setting} entries are at most {max} characters ({}), and {value:?} \
                 has {}",
                front_door.source(),
                value.chars().count()
            ),
            FrontDoorError::MaxAgeTooLarge {
                front_door,
                max_age,
                max,
            } => write!(
                f,
                "{front_door} caches preflights for at most {max} seconds ({}), and the policy's \
                 max_age is {max_age}. Browsers cap it lower anyway (Chromium at 7200, Firefox \
                 at 86400): use at most {max}",
                front_door.source()
            ),
            FrontDoorError::UnquotableValue { header, value } => write!(
                f,
                "the {header} value {value:?} contains a single quote, which a static header value \
                 of {} (written in single quotes) cannot carry",
                FrontDoor::RestMock
            ),
        }
    }
}

impl std::error::Error for FrontDoorError {}
