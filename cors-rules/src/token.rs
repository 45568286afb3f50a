//! HTTP tokens: methods and header names.

use crate::{Location, Problem};

fn refused(message: impl Into<String>) -> Problem {
    Problem::new(Location::Whole, message)
}

/// Whether `s` is an HTTP token (RFC 9110 `tchar`s, at least one).
pub fn is_token(s: &str) -> bool {
    is_token_bytes(s.as_bytes())
}

/// Whether `s` is an HTTP token, on bytes as a header value carries them.
pub fn is_token_bytes(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// Whether `b` is an HTTP token character.
pub const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

const STANDARD_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Validates one entry of `methods`: an HTTP token that a browser can send.
///
/// `"*"` is accepted here; whether it may stand where it stands (alone, without credentials) is
/// the caller's check.
pub fn check_method(method: &str) -> Result<(), Problem> {
    if method.is_empty() {
        return Err(refused("method must not be empty"));
    }
    if method == "*" {
        return Ok(());
    }
    if !is_token(method) {
        return Err(refused(format!(
            "`{}` is not a valid HTTP method: a method is a token (letters, digits and !#$%&'*+-.^_`|~)",
            method.escape_debug()
        )));
    }
    let upper = method.to_ascii_uppercase();
    if ["CONNECT", "TRACE", "TRACK"].contains(&upper.as_str()) {
        return Err(refused(format!(
            "`{method}` is a forbidden method: browsers never send it"
        )));
    }
    if upper != method && STANDARD_METHODS.contains(&upper.as_str()) {
        return Err(refused(format!(
            "methods are case-sensitive and browsers send `{upper}`"
        ))
        .did_you_mean(&upper));
    }
    Ok(())
}

/// Validates one entry of `headers` or `expose_headers`: an HTTP header name.
///
/// `"*"` is accepted here; the caller decides whether it may stand where it stands.
pub fn check_header_name(name: &str) -> Result<(), Problem> {
    if name.is_empty() {
        return Err(refused("header name must not be empty"));
    }
    if name == "*" || is_token(name) {
        return Ok(());
    }
    let trimmed = name.trim();
    let err = refused(format!(
        "`{}` is not a valid header name: a header name is a token (letters, digits and !#$%&'*+-.^_`|~)",
        name.escape_debug()
    ));
    Err(if trimmed != name && is_token(trimmed) {
        err.did_you_mean(trimmed)
    } else {
        err
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_tokens_and_case_matters() {
        for ok in ["GET", "PROPFIND", "*", "M-SEARCH"] {
            assert_eq!(check_method(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check_method("get").unwrap_err().hint.as_deref(),
            Some("did you mean \"GET\"?")
        );
        assert!(
            check_method("GE T")
                .unwrap_err()
                .message
                .contains("not a valid HTTP method")
        );
        assert!(
            check_method("TRACE")
                .unwrap_err()
                .message
                .contains("forbidden")
        );
        assert!(check_method("").is_err());
    }

    #[test]
    fn header_names_are_tokens() {
        for ok in ["content-type", "X-Api-Key", "*"] {
            assert_eq!(check_header_name(ok), Ok(()), "{ok}");
        }
        assert!(check_header_name("x api").is_err());
        assert!(check_header_name("x:y").is_err());
        assert!(check_header_name("").is_err());
        assert_eq!(
            check_header_name(" x-id").unwrap_err().hint.as_deref(),
            Some("did you mean \"x-id\"?")
        );
    }
}
