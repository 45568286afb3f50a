//! The rules of a wildcard origin: where its `*` may stand, and that it stays inside a domain its
//! owner controls.
//!
//! Two forms put the `*` in a web origin's host, always in its first label: a whole label
//! (`https://*.myapp.com`: one or more whole labels) or inside one
//! (`https://pr-*.preview.myapp.com`: one or more of `a-z`, `0-9`, `-`, never a `.`). The labels
//! after the wildcard's label must contain a registrable domain by the Public Suffix List
//! (`psl`): a public suffix is a namespace where anyone can register a name
//! (`vercel.app`, `github.io`, `co.uk`), so a wildcard over one, or in a label directly under one
//! (`myapp-git-*-team.vercel.app`), allows names that strangers own.
//!
//! A third puts it in the port, on loopback hosts only: `http://localhost:*`.

use std::net::Ipv4Addr;

use crate::Problem;
use crate::origin_parts::{OriginSpec, Scheme, check_host, refused};

/// The hosts whose every port may be allowed: they are this machine, where each port is a
/// service the developer runs.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// What the user is pointed to when a wildcard would reach past their own domain.
const SAFE_WAYS: &str = "use a preview domain of your own, as in `https://pr-*.preview.myapp.com`, \
                         or `origin_fn` with your project's own check";

/// `scheme://host:*`: any explicit port, on a loopback host only.
pub(crate) fn any_port<'v>(
    value: &'v str,
    scheme: Scheme,
    host: &str,
) -> Result<OriginSpec<'v>, Problem> {
    if !LOOPBACK_HOSTS.contains(&host) {
        return Err(refused(format!(
            "a port wildcard on `{host}` trusts every service on that host: only `localhost`, \
             `127.0.0.1` and `[::1]` may have `:*`"
        ))
        .with_hint(format!(
            "name the port, as in `{}{host}:8443`",
            scheme.prefix()
        )));
    }
    let (prefix, _) = value.split_at(value.len() - 1);
    Ok(OriginSpec::Wildcard { prefix, suffix: "" })
}

/// A host with a `*`: the wildcard's label, the domain after it, and the public-suffix rule.
pub(crate) fn in_host<'v>(
    value: &'v str,
    scheme: Scheme,
    host: &str,
    port: Option<&str>,
) -> Result<OriginSpec<'v>, Problem> {
    let (label, domain) = host.split_once('.').unwrap_or((host, ""));
    if !label.contains('*') {
        return Err(refused(
            "a wildcard stands in the first label of the host, as in `https://*.myapp.com` or \
             `https://pr-*.preview.myapp.com`",
        ));
    }
    if label != "*" {
        check_label(label)?;
    }
    if domain.is_empty() {
        return Err(refused(format!(
            "a wildcard needs a domain after its label: `{label}` alone matches every site"
        ))
        .with_hint(SAFE_WAYS));
    }
    check_host(scheme, domain, port)?;
    if domain.starts_with('[') || domain.parse::<Ipv4Addr>().is_ok() {
        return Err(refused("a wildcard needs a domain, not an IP address"));
    }
    // The `*` stands for at least one character, and a label of only `*` for a label and its
    // `.`: what is left of 253 characters for it.
    let fixed = label.len() - 1 + 1 + domain.len();
    let least = if label == "*" { 2 } else { 1 };
    if fixed + least > 253 {
        return Err(refused(format!(
            "a wildcard over a domain of {} characters matches no host: a host is at most 253 \
             characters",
            domain.len()
        )));
    }
    check_registrable(label, domain)?;
    let star = value.find('*').expect("the host has a `*`");
    Ok(OriginSpec::Wildcard {
        prefix: &value[..star],
        suffix: &value[star + 1..],
    })
}

/// A label with a `*` inside: the rest of it is what a DNS label may hold, and it has room for
/// the `*`'s one character at least.
fn check_label(label: &str) -> Result<(), Problem> {
    if let Some(bad) = label
        .chars()
        .find(|&c| c != '*' && !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        let message = if bad.is_ascii_uppercase() {
            format!("the wildcard's label `{label}` must be lower case: a browser sends it so")
        } else {
            format!(
                "the wildcard's label `{label}` may hold lower-case letters, digits and `-` \
                 beside its `*`, not {bad:?}"
            )
        };
        return Err(refused(message));
    }
    if label.len() > 63 {
        return Err(refused(format!(
            "the wildcard's label `{label}` leaves no room for the `*`: labels are at most 63 \
             characters"
        )));
    }
    Ok(())
}

/// The public-suffix rule: `domain` (all the labels after the wildcard's) must contain a
/// registrable domain, a public suffix and one label more.
fn check_registrable(label: &str, domain: &str) -> Result<(), Problem> {
    if psl::domain(domain.as_bytes()).is_some() {
        return Ok(());
    }
    let message = if label == "*" {
        format!(
            "`{domain}` is a public suffix, where anyone can register a name: a wildcard over it \
             allows every site registered under it"
        )
    } else {
        let example = format!("{}.{domain}", label.replacen('*', "x-evil", 1));
        format!(
            "the wildcard's label `{label}` is directly under the public suffix `{domain}`, where \
             anyone can register a name: whoever registers `{example}` would be allowed"
        )
    };
    Err(refused(message).with_hint(SAFE_WAYS))
}

#[cfg(test)]
mod tests {
    use crate::{OriginSpec, parse_origin};

    fn wildcard(value: &str) -> (&str, &str) {
        match parse_origin(value) {
            Ok(OriginSpec::Wildcard { prefix, suffix }) => (prefix, suffix),
            other => panic!("{value}: {other:?}"),
        }
    }

    fn refusal(value: &str) -> String {
        match parse_origin(value) {
            Err(problem) => problem.message,
            Ok(spec) => panic!("{value} was accepted as {spec:?}"),
        }
    }

    #[test]
    fn wildcards_in_the_first_label() {
        assert_eq!(wildcard("https://*.myapp.com"), ("https://", ".myapp.com"));
        assert_eq!(
            wildcard("https://pr-*.preview.myapp.com"),
            ("https://pr-", ".preview.myapp.com")
        );
        assert_eq!(
            wildcard("https://feature-*.myapp.com"),
            ("https://feature-", ".myapp.com")
        );
        assert_eq!(
            wildcard("https://*.myapp.co.uk"),
            ("https://", ".myapp.co.uk")
        );
        assert_eq!(
            wildcard("https://*-pr.myapp.com:8443"),
            ("https://", "-pr.myapp.com:8443")
        );
        assert_eq!(
            wildcard("http://*.myapp.localhost"),
            ("http://", ".myapp.localhost")
        );
    }

    #[test]
    fn the_public_suffix_rule() {
        for value in [
            "https://*.vercel.app",
            "https://*.co.uk",
            "https://*.github.io",
            "https://*.cloudfront.net",
            "https://*.com",
            "https://*.localhost",
            "https://*.s3.amazonaws.com",
        ] {
            let message = refusal(value);
            assert!(message.contains("is a public suffix"), "{value}: {message}");
        }
        let vercel = refusal("https://myapp-git-*-team.vercel.app");
        assert!(
            vercel.contains("directly under the public suffix `vercel.app`")
                && vercel.contains("`myapp-git-x-evil-team.vercel.app`"),
            "{vercel}"
        );
        let netlify = refusal("https://*--mysite.netlify.app");
        assert!(
            netlify.contains("`x-evil--mysite.netlify.app`"),
            "{netlify}"
        );
        let hint = parse_origin("https://*.vercel.app")
            .unwrap_err()
            .hint
            .unwrap();
        assert!(hint.contains("https://pr-*.preview.myapp.com") && hint.contains("origin_fn"));
    }

    #[test]
    fn where_the_star_may_not_stand() {
        for (value, expected) in [
            ("https://*.*.myapp.com", "only one wildcard"),
            ("https://pr-*.*.myapp.com", "only one wildcard"),
            ("https://x.*.myapp.com", "first label"),
            ("https://a.pr-*.myapp.com", "first label"),
            ("https://PR-*.myapp.com", "must be lower case"),
            ("https://pr_*.myapp.com", "not '_'"),
            ("https://*", "needs a domain"),
            ("https://pr-*", "needs a domain"),
            ("https://*.127.0.0.1", "not an IP address"),
            ("https://*.myapp.com.", "must not end with `.`"),
            (
                &format!("https://{}*.myapp.com", "a".repeat(63)),
                "no room for the `*`",
            ),
            ("https://*.myapp.com:*", "only one wildcard"),
        ] {
            let message = refusal(value);
            assert!(message.contains(expected), "{value}: {message}");
        }
    }

    #[test]
    fn any_port_on_loopback_only() {
        assert_eq!(wildcard("http://localhost:*"), ("http://localhost:", ""));
        assert_eq!(wildcard("http://127.0.0.1:*"), ("http://127.0.0.1:", ""));
        assert_eq!(wildcard("http://[::1]:*"), ("http://[::1]:", ""));
        assert_eq!(wildcard("https://localhost:*"), ("https://localhost:", ""));
        for value in [
            "http://myapp.com:*",
            "http://192.168.1.5:*",
            "http://[::2]:*",
        ] {
            assert!(refusal(value).contains("trusts every service"), "{value}");
        }
    }
}
