//! The lists a policy holds, in their runtime form: origin lists by kind, and the `methods` and
//! `headers` lists with their prebuilt header values. Data, and how it is made from validated
//! specs (`cors_rules::OriginSpec`) at run time.

use std::borrow::Cow;

use cors_rules::OriginSpec;
use http::HeaderValue;

/// The entries of an origin list, by kind: exact origins (prebuilt, what a grant sends),
/// whole-label wildcards (`https://*.myapp.com`) and the other wildcards (inside a label,
/// `https://pr-*.myapp.com`, or the port, `http://localhost:*`), each as the `prefix` and `suffix`
/// of [`cors_rules::OriginSpec::Wildcard`] (a grant echoes the request's origin). Kept apart, so
/// that each kind's matcher runs only on its own entries.
#[derive(Debug, Clone)]
pub(crate) struct OriginList {
    pub(crate) exact: Cow<'static, [HeaderValue]>,
    pub(crate) wildcards: Pairs,
    pub(crate) patterns: Pairs,
}

/// `(prefix, suffix)` pairs.
pub(crate) type Pairs = Strs<(&'static str, &'static str), (String, String)>;

/// `methods` or `headers`: `*`, or a list with its prebuilt header value.
#[derive(Debug, Clone)]
pub(crate) enum AllowList {
    /// `"*"`.
    Any,
    /// The names, and the header value that lists them.
    List {
        /// The names joined with `,`, as written.
        value: HeaderValue,
        /// The names, for comparing a preflight's request: methods as written (they compare
        /// case-sensitively), header names lower-cased.
        names: Strs<&'static str, String>,
    },
}

/// A list that is `'static` when built at compile time and owned when built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Strs<S: 'static, O> {
    Static(&'static [S]),
    Owned(Vec<O>),
}

impl Strs<&'static str, String> {
    /// Whether one of the names satisfies `f`.
    #[inline]
    pub(crate) fn any(&self, f: impl Fn(&str) -> bool) -> bool {
        match self {
            Strs::Static(names) => names.iter().any(|name| f(name)),
            Strs::Owned(names) => names.iter().any(|name| f(name)),
        }
    }
}

impl Strs<(&'static str, &'static str), (String, String)> {
    /// Whether one of the `(prefix, suffix)` pairs satisfies `f`.
    #[inline]
    pub(crate) fn any(&self, f: impl Fn(&str, &str) -> bool) -> bool {
        match self {
            Strs::Static(pairs) => pairs.iter().any(|(p, s)| f(p, s)),
            Strs::Owned(pairs) => pairs.iter().any(|(p, s)| f(p, s)),
        }
    }

    pub(crate) fn pairs(&self) -> Vec<(&str, &str)> {
        match self {
            Strs::Static(pairs) => pairs.to_vec(),
            Strs::Owned(pairs) => pairs
                .iter()
                .map(|(p, s)| (p.as_str(), s.as_str()))
                .collect(),
        }
    }
}

impl AllowList {
    /// The methods the API Gateway console's "Enable CORS" allows ([`cors_rules::DEFAULT_METHODS`]).
    pub(crate) const DEFAULT_METHODS: AllowList = AllowList::List {
        value: HeaderValue::from_static("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"),
        names: Strs::Static(&["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]),
    };

    /// The request headers the console allows ([`cors_rules::DEFAULT_HEADERS`]), lower-cased for
    /// comparing.
    pub(crate) const DEFAULT_HEADERS: AllowList = AllowList::List {
        value: HeaderValue::from_static(
            "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
        ),
        names: Strs::Static(&[
            "content-type",
            "x-amz-date",
            "authorization",
            "x-api-key",
            "x-amz-security-token",
        ]),
    };

    /// `Access-Control-Allow-Methods` on a granted preflight: `*`, or the list.
    pub(crate) fn methods_value(&self) -> &HeaderValue {
        static ANY: HeaderValue = HeaderValue::from_static("*");
        match self {
            AllowList::Any => &ANY,
            AllowList::List { value, .. } => value,
        }
    }

    /// `Access-Control-Allow-Headers` on a granted preflight: the list, or for `["*"]`,
    /// `*,Authorization`. The Fetch standard never lets `*` cover `Authorization`, so a bare `*`
    /// fails every preflight of a page that sends a bearer token; naming it beside `*` is what
    /// `headers = ["*"]` means (valid without credentials, which `["*"]` requires).
    pub(crate) fn headers_value(&self) -> &HeaderValue {
        static ANY_WITH_AUTHORIZATION: HeaderValue = HeaderValue::from_static("*,Authorization");
        match self {
            AllowList::Any => &ANY_WITH_AUTHORIZATION,
            AllowList::List { value, .. } => value,
        }
    }
}

/// An origin list's runtime form (also what an `origin_env` value becomes).
pub(crate) fn origin_list(specs: &[OriginSpec<'_>]) -> OriginList {
    let mut exact = Vec::new();
    let mut wildcards = Vec::new();
    let mut patterns = Vec::new();
    for spec in specs {
        match spec {
            OriginSpec::Exact(origin) => exact.push(header(origin)),
            OriginSpec::Wildcard { prefix, suffix } => {
                let pair = ((*prefix).to_owned(), (*suffix).to_owned());
                match cors_rules::is_label_wildcard(prefix, suffix) {
                    true => wildcards.push(pair),
                    false => patterns.push(pair),
                }
            }
            OriginSpec::Any => unreachable!("validated lists never hold \"*\""),
        }
    }
    OriginList {
        exact: Cow::Owned(exact),
        wildcards: Strs::Owned(wildcards),
        patterns: Strs::Owned(patterns),
    }
}

/// A header value from validated (visible ASCII) text.
pub(crate) fn header(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("validated origins and tokens are valid header values")
}

impl OriginList {
    /// The entries as written, exact origins first.
    pub(crate) fn written(&self) -> Vec<String> {
        let exact = self.exact.iter().map(header_text);
        let wildcards = self
            .wildcards
            .pairs()
            .into_iter()
            .chain(self.patterns.pairs());
        let wildcards = wildcards.map(|(prefix, suffix)| format!("{prefix}*{suffix}"));
        exact.chain(wildcards).collect()
    }
}

/// The text of a header value built from validated (visible ASCII) parts.
pub(crate) fn header_str(value: &HeaderValue) -> &str {
    value
        .to_str()
        .expect("the policy's header values are built from visible ASCII")
}

pub(crate) fn header_text(value: &HeaderValue) -> String {
    header_str(value).to_owned()
}
