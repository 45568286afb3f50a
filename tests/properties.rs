//! Properties of the wrapper over generated configurations and generated requests.
//!
//! Configurations are built with `CorsConfig::builder` from generated origins over a small pool
//! of labels, so that they collide and nest: exact web origins, whole-label wildcards
//! (`https://*.myapp.com`), wildcards inside a label (`https://pr-*.preview.myapp.com`, the label
//! at its 63-character limit, hosts near their 253), any port on a host (`http://localhost:*`,
//! refused but on loopback hosts), apps' and extensions' origins (valid and not), wildcards over
//! public suffixes (refused), a check in code (`origin_fn`, synchronous or `async`, beside the
//! lists or alone), methods, headers and credentials. Requests carry origins from a grammar of
//! near-misses of the configured ones (scheme, case, dots, ports, userinfo, trailing
//! characters, what a `*` may not stand for, non-UTF-8 bytes), random methods, and
//! `Access-Control-Request-Headers` lists with odd whitespace, commas and case. The handler
//! returns generated headers, fails or panics; the check panics, fails or answers.
//!
//! Every expectation comes from the reference model in this file, written from the contract
//! without calling the code under test; the wildcards' public-suffix rule consults the Public
//! Suffix List's data (`psl`), which defines it.

use std::cell::RefCell;
use std::future::Future;
use std::net::Ipv4Addr;
use std::pin::pin;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

use cors_runtime::CorsConfig;
use cors_tests::reference::{browser_port, dns_label as is_dns_label, is_token, serialized_origin};
use lambda_http::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use lambda_http::{Body, Error, Response};
use proptest::prelude::*;
use proptest::sample::select;

const PANIC_MARKER: &str = "generated handler panics on purpose";

fn quiet_deliberate_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&PANIC_MARKER) {
                default_hook(info);
            }
        }));
    });
}

/// Drives a future that waits on nothing (the wrapper around a handler that is ready at once).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..100 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
    panic!("the wrapper did not complete although nothing made it wait");
}

// ---------------------------------------------------------------------------------------------
// The reference model.

/// Where a configured origin's `*` stands, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// No `*`: the origin itself, a web origin or an app's or extension's.
    Exact,
    /// `scheme://*.host[:port]`: one or more whole labels.
    Subdomains,
    /// `scheme://{before}*{after}.host[:port]`: inside the first label, one or more of `a-z`,
    /// `0-9`, `-`.
    InLabel {
        before: &'static str,
        after: &'static str,
    },
    /// `scheme://host:*`: any port.
    AnyPort,
}

/// One configured origin, in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// `http`, `https`, or an app's or extension's scheme.
    scheme: &'static str,
    form: Form,
    /// The host; for a wildcard in the host, the domain after the wildcard's label.
    host: String,
    port: Option<u16>,
    /// An app's or extension's origin from the pool: whether the contract accepts it (its id in
    /// the form its browser sends, a scheme whose pages have an origin). Web entries: `true`.
    valid: bool,
}

impl Entry {
    fn text(&self) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        let (scheme, host) = (self.scheme, &self.host);
        match &self.form {
            Form::Exact => format!("{scheme}://{host}{port}"),
            Form::Subdomains => format!("{scheme}://*.{host}{port}"),
            Form::InLabel { before, after } => format!("{scheme}://{before}*{after}.{host}{port}"),
            Form::AnyPort => format!("{scheme}://{host}:*"),
        }
    }

    fn is_wildcard(&self) -> bool {
        self.form != Form::Exact
    }

    /// The rules of one configured origin, from the contract.
    fn buildable(&self) -> bool {
        // A wildcard over a domain stays inside a registrable domain: the labels after the
        // wildcard's contain one by the Public Suffix List (its data, consulted here).
        let registrable = || psl::domain(self.host.as_bytes()).is_some();
        match &self.form {
            Form::Exact => self.valid,
            // The `*` stands for a label and its `.` at least; a host is at most 253 characters.
            Form::Subdomains => registrable() && self.host.len() + 3 <= 253,
            // The label is at most 63 characters with the `*`'s one; the host at most 253.
            Form::InLabel { before, after } => {
                let fixed = before.len() + after.len();
                registrable() && fixed < 63 && fixed + 2 + self.host.len() <= 253
            }
            Form::AnyPort => LOOPBACK_HOSTS.contains(&self.host.as_str()),
        }
    }
}

/// The hosts whose every port may be allowed.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// A check in code (`origin_fn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// `allow_origin_fn`.
    Sync,
    /// `allow_origin_async_fn`, whose future is pending once before it answers.
    Async,
}

#[derive(Debug, Clone)]
struct Model {
    /// `origin = "*"`.
    any: bool,
    entries: Vec<Entry>,
    /// `origin_fn`; with no entries, the check alone decides.
    check: Option<Check>,
    /// `None`: the defaults; `Some(["*"])`: any.
    methods: Option<Vec<&'static str>>,
    headers: Option<Vec<&'static str>>,
    expose: Vec<&'static str>,
    credentials: bool,
    max_age: Option<u32>,
    preflight: bool,
}

const DEFAULT_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const DEFAULT_HEADERS: &[&str] = &[
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
];

impl Model {
    fn origin_texts(&self) -> Vec<String> {
        if self.any {
            vec!["*".to_owned()]
        } else {
            self.entries.iter().map(Entry::text).collect()
        }
    }

    /// The contract's rules: every origin valid, `*` (origins, methods or headers) never with
    /// credentials, `*` never beside a check (which it would never leave anything to).
    fn buildable(&self) -> bool {
        let star = |list: &Option<Vec<&str>>| list.as_deref() == Some(&["*"][..]);
        self.entries.iter().all(Entry::buildable)
            && !(self.any && self.check.is_some())
            && !(self.credentials && (self.any || star(&self.methods) || star(&self.headers)))
    }

    /// A single exact origin without a check: sent statically.
    fn literal(&self) -> Option<String> {
        match self.entries.as_slice() {
            [entry] if !self.any && !entry.is_wildcard() && self.check.is_none() => {
                Some(entry.text())
            }
            _ => None,
        }
    }

    fn varies(&self) -> bool {
        !self.any && self.literal().is_none()
    }

    /// Whether the request's `Origin` headers name one origin that the configuration's lists
    /// allow.
    fn lists_allow(&self, origins: &[Vec<u8>]) -> bool {
        let [origin] = origins else { return false };
        self.entries
            .iter()
            .any(|entry| entry_matches(entry, origin))
    }

    /// Whether the check is asked about the request: one `Origin`, a serialized origin, which
    /// the lists do not allow.
    fn asks(&self, origins: &[Vec<u8>]) -> bool {
        let [origin] = origins else { return false };
        self.check.is_some() && !self.lists_allow(origins) && serialized_origin(origin)
    }

    /// Whether the request's origin may read the response.
    fn allows(&self, origins: &[Vec<u8>]) -> bool {
        self.any
            || self.lists_allow(origins)
            || (self.asks(origins) && check_grants(&String::from_utf8_lossy(&origins[0])))
    }

    fn method_allowed(&self, method: &[u8]) -> bool {
        if [&b"GET"[..], b"HEAD", b"POST"].contains(&method) {
            return true;
        }
        match self.methods.as_deref() {
            Some(["*"]) => is_token(method),
            Some(list) => list.iter().any(|m| m.as_bytes() == method),
            None => DEFAULT_METHODS.iter().any(|m| m.as_bytes() == method),
        }
    }

    fn headers_allowed(&self, value: &[u8]) -> bool {
        let list = match self.headers.as_deref() {
            Some(["*"]) => None,
            Some(list) => Some(list),
            None => Some(DEFAULT_HEADERS),
        };
        list_items(value).into_iter().all(|name| {
            is_token(name)
                && match list {
                    // `*,Authorization`: `Authorization` is named beside `*`.
                    None => true,
                    Some(list) => list.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name)),
                }
        })
    }
}

thread_local! {
    /// What the generated checks were asked on this thread (proptest runs a property's cases on
    /// the test's thread, and `block_on` polls the check's future there too).
    static ASKED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn take_asked() -> Vec<String> {
    ASKED.with(|asked| std::mem::take(&mut *asked.borrow_mut()))
}

/// What every generated check answers, recording the call: an origin naming `api` panics, one
/// naming `x-y` fails, and one naming `evil` or with a label `b` is allowed (near-misses and
/// hostile values included, so that a value the check must never see would be granted).
fn check_verdict(origin: &str) -> Result<bool, &'static str> {
    ASKED.with(|asked| asked.borrow_mut().push(origin.to_owned()));
    if origin.contains("api") {
        std::panic::panic_any(PANIC_MARKER);
    }
    if origin.contains("x-y") {
        return Err("the check's table is unreachable");
    }
    Ok(origin.contains("evil") || origin.contains("b."))
}

/// The model's side of [`check_verdict`]: what it grants (its panic and its error nothing).
fn check_grants(origin: &str) -> bool {
    !origin.contains("api")
        && !origin.contains("x-y")
        && (origin.contains("evil") || origin.contains("b."))
}

/// A future that is pending once, then ready: an `async` check that really waits.
#[derive(Default)]
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A request origin in parts: scheme, host, port (the text after the host's last `:`).
fn origin_parts(origin: &[u8]) -> Option<(&str, &str, Option<&str>)> {
    let origin = std::str::from_utf8(origin).ok()?;
    let (scheme, authority) = origin.split_once("://")?;
    Some(match authority.rsplit_once(':') {
        Some((host, port)) => (scheme, host, Some(port)),
        None => (scheme, authority, None),
    })
}

/// Whether a request origin matches one configured entry: parse it into scheme, host and port,
/// then compare the parts (a host is at most 253 characters).
fn entry_matches(entry: &Entry, origin: &[u8]) -> bool {
    let (before, after) = match &entry.form {
        Form::Exact => return origin == entry.text().as_bytes(),
        Form::AnyPort => {
            return origin_parts(origin).is_some_and(|(scheme, host, port)| {
                scheme == entry.scheme && host == entry.host && port.is_some_and(browser_port)
            });
        }
        Form::Subdomains => ("", ""),
        Form::InLabel { before, after } => (*before, *after),
    };
    let Some((scheme, host, port)) = origin_parts(origin) else {
        return false;
    };
    if scheme != entry.scheme
        || port.map(str::to_owned) != entry.port.map(|p| p.to_string())
        || host.len() > 253
    {
        return false;
    }
    if entry.form == Form::Subdomains {
        let labels: Vec<&str> = host.split('.').collect();
        let domain: Vec<&str> = entry.host.split('.').collect();
        return labels.len() > domain.len()
            && labels.ends_with(&domain)
            && labels[..labels.len() - domain.len()]
                .iter()
                .all(|label| is_dns_label(label));
    }
    // Inside the first label: the label is `before`, what the `*` stands for, `after`.
    let Some((label, domain)) = host.split_once('.') else {
        return false;
    };
    let Some(stand_in) = label
        .strip_prefix(before)
        .and_then(|rest| rest.strip_suffix(after))
    else {
        return false;
    };
    domain == entry.host
        && label.len() <= 63
        && label.len() > before.len() + after.len()
        && !stand_in.is_empty()
        && stand_in
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An HTTP list: split on `,`, each item trimmed of spaces and tabs, empty items dropped.
fn list_items(value: &[u8]) -> Vec<&[u8]> {
    value
        .split(|&b| b == b',')
        .map(|item| {
            let text_start = item
                .iter()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
            let item = &item[text_start..];
            let text_end = item.len()
                - item
                    .iter()
                    .rev()
                    .take_while(|b| **b == b' ' || **b == b'\t')
                    .count();
            &item[..text_end]
        })
        .filter(|item| !item.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Generators.

const LABELS: &[&str] = &[
    "myapp", "app", "a", "b", "evil", "x-y", "api", "preview", "com",
];
/// Top-level domains and public suffixes of more than one label (under which anyone registers).
const TLDS: &[&str] = &["com", "net", "io", "co.uk", "vercel.app", "github.io"];
/// Public suffixes alone: a wildcard over one (or in a label directly under one) is refused.
const PUBLIC_SUFFIXES: &[&str] = &[
    "com",
    "io",
    "co.uk",
    "vercel.app",
    "github.io",
    "netlify.app",
];

fn domain() -> impl Strategy<Value = String> {
    let long = format!(
        "{}.{}.{}.myapp.com",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63)
    );
    prop_oneof![
        12 => (
            proptest::collection::vec(select(LABELS), 1..3),
            select(TLDS),
        )
            .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join("."))),
        2 => select(PUBLIC_SUFFIXES).prop_map(str::to_owned),
        // 201 characters: what a wildcard over it may stand for nears the 253 of a host.
        2 => Just(long),
    ]
}

fn scheme() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("http"), Just("https")]
}

fn port() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![3 => Just(None), 1 => Just(Some(8443u16)), 1 => Just(Some(5173u16))]
}

/// An exact web origin or a whole-label wildcard.
fn web_entry() -> impl Strategy<Value = Entry> {
    let host = prop_oneof![
        6 => domain(),
        1 => Just("localhost".to_owned()),
        1 => Just("127.0.0.1".to_owned()),
    ];
    (scheme(), prop::bool::weighted(0.4), host, port()).prop_map(
        |(scheme, wildcard, host, port)| {
            let wildcard = wildcard && host.contains('.') && host.parse::<Ipv4Addr>().is_err();
            Entry {
                scheme,
                form: if wildcard {
                    Form::Subdomains
                } else {
                    Form::Exact
                },
                host,
                port,
                valid: true,
            }
        },
    )
}

/// What stands around a `*` inside a label (the 62 and 63 characters: the label's limit).
const AROUND_THE_STAR: &[(&str, &str)] = &[
    ("pr-", ""),
    ("", "-pr"),
    ("feature-", "-x"),
    ("a", ""),
    ("", "9"),
    ("myapp-git-", "-team"),
    (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "",
    ),
    (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "",
    ),
];

fn in_label_entry() -> impl Strategy<Value = Entry> {
    (scheme(), select(AROUND_THE_STAR), domain(), port()).prop_map(
        |(scheme, (before, after), host, port)| Entry {
            scheme,
            form: Form::InLabel { before, after },
            host,
            port,
            valid: true,
        },
    )
}

fn any_port_entry() -> impl Strategy<Value = Entry> {
    let host = prop_oneof![
        4 => select(&LOOPBACK_HOSTS[..]),
        1 => select(&["myapp.com", "192.168.1.5", "[::2]"][..]),
    ];
    (scheme(), host).prop_map(|(scheme, host)| Entry {
        scheme,
        form: Form::AnyPort,
        host: host.to_owned(),
        port: None,
        valid: true,
    })
}

/// Apps' and extensions' origins the contract accepts, and some it refuses (an id of the wrong
/// length or case, a scheme whose pages send `Origin: null` or have no origin).
const APP_ORIGINS: &[(&str, &str, bool)] = &[
    ("capacitor", "localhost", true),
    ("ionic", "localhost", true),
    ("tauri", "localhost", true),
    ("app", "my-shell.local", true),
    ("chrome-extension", "cciilamhchpmbdnniabclekddabkifhb", true),
    ("chrome-extension", "abcdefghijklmnopabcdefghijklmnop", true),
    (
        "moz-extension",
        "c0b8a9f2-5d1e-4c3b-9a7f-1e2d3c4b5a69",
        true,
    ),
    (
        "safari-web-extension",
        "140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
        true,
    ),
];
const BAD_APP_ORIGINS: &[(&str, &str, bool)] = &[
    ("chrome-extension", "cciilamhchpmbdnniabclekddabkifh", false),
    (
        "chrome-extension",
        "CCIILAMHCHPMBDNNIABCLEKDDABKIFHB",
        false,
    ),
    (
        "moz-extension",
        "C0B8A9F2-5D1E-4C3B-9A7F-1E2D3C4B5A69",
        false,
    ),
    (
        "safari-web-extension",
        "140bb581-a2c0-422a-9dd3-6982a5abee5e",
        false,
    ),
    ("capacitor", "LOCALHOST", false),
    ("ws", "localhost", false),
    ("file", "localhost", false),
];

fn app_entry() -> impl Strategy<Value = Entry> {
    prop_oneof![4 => select(APP_ORIGINS), 1 => select(BAD_APP_ORIGINS)].prop_map(
        |(scheme, host, valid)| Entry {
            scheme,
            form: Form::Exact,
            host: host.to_owned(),
            port: None,
            valid,
        },
    )
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        6 => web_entry(),
        2 => in_label_entry(),
        2 => any_port_entry(),
        2 => app_entry(),
    ]
}

const METHODS: &[&str] = &[
    "GET", "PUT", "DELETE", "PATCH", "X-Custom", "OPTIONS", "POST",
];
const HEADERS: &[&str] = &[
    "content-type",
    "X-Api-Key",
    "authorization",
    "x-custom",
    "X-Requested-With",
];

fn names(pool: &'static [&'static str]) -> impl Strategy<Value = Option<Vec<&'static str>>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(vec!["*"])),
        3 => proptest::sample::subsequence(pool, 1..=pool.len()).prop_map(Some),
    ]
}

/// Configurations, a third of them with a check in code.
fn model() -> impl Strategy<Value = Model> {
    model_with(
        prop_oneof![4 => Just(None), 1 => Just(Some(Check::Sync)), 1 => Just(Some(Check::Async))],
    )
}

/// Configurations with a check in code.
fn checked_model() -> impl Strategy<Value = Model> {
    model_with(prop_oneof![
        Just(Some(Check::Sync)),
        Just(Some(Check::Async))
    ])
}

fn model_with(check: impl Strategy<Value = Option<Check>>) -> impl Strategy<Value = Model> {
    (
        prop::bool::weighted(0.12),
        proptest::collection::vec(entry(), 1..4),
        check,
        prop::bool::weighted(0.3),
        names(METHODS),
        names(HEADERS),
        prop_oneof![
            Just(vec![]),
            Just(vec!["x-request-id"]),
            Just(vec!["x-request-id", "etag"])
        ],
        any::<bool>(),
        prop_oneof![Just(None), Just(Some(0u32)), Just(Some(600u32))],
        prop::bool::weighted(0.8),
    )
        .prop_map(
            |(
                any,
                entries,
                check,
                check_alone,
                methods,
                headers,
                expose,
                credentials,
                max_age,
                preflight,
            )| {
                let mut unique: Vec<Entry> = Vec::new();
                for entry in entries {
                    if !unique.iter().any(|e| e.text() == entry.text()) {
                        unique.push(entry);
                    }
                }
                let alone = check.is_some() && check_alone;
                Model {
                    any: any && !alone,
                    entries: if any || alone { Vec::new() } else { unique },
                    check,
                    methods,
                    headers,
                    expose,
                    credentials,
                    max_age,
                    preflight,
                }
            },
        )
}

/// How a request origin is made: a base (a configured origin, an instance of a configured
/// wildcard, or a fixed hostile value) with some mutations, or raw visible-ASCII text.
#[derive(Debug, Clone)]
enum OriginGen {
    Near {
        base: usize,
        mutations: Vec<(u8, usize)>,
    },
    Raw(String),
}

/// Hostile values (and well-formed ones the check would grant): hosts near and past the 253
/// characters of a host, `evil` in each.
fn fixed() -> Vec<String> {
    let labels = |len: usize| ["a", "b", "c", "d"].map(|c| c.repeat(len)).join(".");
    let mut fixed: Vec<String> = FIXED.iter().map(|s| (*s).to_owned()).collect();
    fixed.push(format!("https://evil.{}.myapp.com", labels(58)));
    fixed.push(format!("https://evil.{}.myapp.com", labels(60)));
    fixed.push(format!(
        "https://pr-evil{}.preview.myapp.com",
        "a".repeat(52)
    ));
    fixed
}

const FIXED: &[&str] = &[
    "null",
    "*",
    "https://evil.net",
    "https://myapp.com",
    "http://localhost",
    "https://a.myapp.com",
    "http://localhost:3000",
    "https://pr-1.preview.myapp.com",
    "capacitor://localhost",
    "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
    "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e",
    "http://[::1]:8080",
    "http://127.000.0.1",
    "http://[0:0:0:0:0:0:0:1]:8080",
    "https://b.1.2.3",
    "https://evil.net:443",
    "https://evil.net:080",
    "capacitor://evil",
];

fn origin_gen() -> impl Strategy<Value = OriginGen> {
    prop_oneof![
        8 => (any::<usize>(), proptest::collection::vec((any::<u8>(), any::<usize>()), 0..3))
            .prop_map(|(base, mutations)| OriginGen::Near { base, mutations }),
        1 => "[a-z0-9:/.*@%\\\\-]{0,30}".prop_map(OriginGen::Raw),
    ]
}

/// The configured origins a near-miss starts from (wildcards instantiated, some of them with what
/// the `*` may not stand for).
fn bases(model: &Model) -> Vec<Vec<u8>> {
    // Over the domain of 201 characters: a host of 250 or 253 characters, or one past 253.
    let (long, longer) = ("a".repeat(48), "a".repeat(52));
    let mut bases = Vec::new();
    for entry in &model.entries {
        let text = entry.text();
        let stand_ins: &[&str] = match entry.form {
            Form::Exact => &[],
            Form::Subdomains => &["a", "a.b", "x-1", "preview", &long, &longer],
            Form::InLabel { .. } => &["1", "a-b", "x", "", "A", "a.b", "-", "a_b", &long, &longer],
            Form::AnyPort => &["1", "3000", "65535", "0", "080", "65536", ""],
        };
        if stand_ins.is_empty() {
            bases.push(text.into_bytes());
            continue;
        }
        for sub in stand_ins {
            bases.push(text.replacen('*', sub, 1).into_bytes());
        }
        if entry.form == Form::AnyPort {
            bases.push(text.trim_end_matches(":*").as_bytes().to_vec());
        }
    }
    bases
}

/// One near-miss edit of an origin.
fn mutate(origin: &mut Vec<u8>, kind: u8, position: usize) {
    let at = |len: usize| if len == 0 { 0 } else { position % (len + 1) };
    let dots: Vec<usize> = (0..origin.len()).filter(|&i| origin[i] == b'.').collect();
    let host_start = origin
        .windows(3)
        .position(|w| w == b"://")
        .map_or(0, |i| i + 3);
    match kind % 24 {
        0 => {
            // Scheme downgrade or upgrade.
            if origin.starts_with(b"https://") {
                origin.remove(4);
            } else if origin.starts_with(b"http://") {
                origin.insert(4, b's');
            }
        }
        1 => {
            let i = at(origin.len().saturating_sub(1));
            if let Some(b) = origin.get_mut(i) {
                *b = b.to_ascii_uppercase();
            }
        }
        2 => origin.push(b'.'),
        3 => origin.push(b'/'),
        4 => origin.extend_from_slice(b":443"),
        5 => origin.extend_from_slice(b":8443"),
        6 => origin.extend_from_slice(b".evil.net"),
        7 => origin.insert(host_start, b'x'),
        8 => {
            origin.splice(host_start..host_start, *b"evil.");
        }
        9 => {
            // An unescaped dot: `myapp.com` becomes `myappxcom`.
            if !dots.is_empty() {
                origin[dots[position % dots.len()]] = b'x';
            }
        }
        10 => {
            // Drop the first label: `a.myapp.com` becomes `myapp.com`.
            if let Some(&first) = dots.iter().find(|&&d| d > host_start) {
                origin.drain(host_start..=first);
            }
        }
        11 => {
            origin.splice(host_start..host_start, *b"user@");
        }
        12 => origin.extend_from_slice(b"@evil.net"),
        13 => origin.push(0xff),
        14 => origin.insert(at(origin.len()), b'\\'),
        15 => {
            origin.splice(host_start..host_start, *b"_x.");
        }
        16 => {
            origin.splice(host_start..host_start, *b"-.");
        }
        17 => origin.extend_from_slice(b"%2e"),
        18 => origin.push(b' '),
        19 => {
            if !origin.is_empty() {
                origin.remove(at(origin.len() - 1));
            }
        }
        // A port one digit longer (`3000` becomes `30000`, `65535` becomes `655350`).
        20 => origin.push(b'0'),
        21 => {
            // A leading zero in the port.
            if let Some(colon) = origin.iter().rposition(|&b| b == b':')
                && colon + 1 > host_start
            {
                origin.insert(colon + 1, b'0');
            }
        }
        22 => {
            // The scheme in upper case.
            let end = host_start.saturating_sub(3);
            origin[..end].make_ascii_uppercase();
        }
        _ => {
            // A character inside the first label: a `-`, a `.` or a digit.
            let label_end = origin[host_start..]
                .iter()
                .position(|&b| b == b'.' || b == b':')
                .map_or(origin.len(), |i| host_start + i);
            let i = host_start + at(label_end - host_start);
            origin.insert(i, [b'-', b'.', b'7'][position % 3]);
        }
    }
}

fn materialize(model: &Model, generated: &OriginGen) -> Vec<u8> {
    match generated {
        OriginGen::Raw(text) => text.as_bytes().to_vec(),
        OriginGen::Near { base, mutations } => {
            // Three times in four a configured origin, else a fixed hostile one.
            let configured = bases(model);
            let mut origin = if base % 4 == 0 || configured.is_empty() {
                let fixed = fixed();
                fixed[base / 4 % fixed.len()].as_bytes().to_vec()
            } else {
                configured[base / 4 % configured.len()].clone()
            };
            for &(kind, position) in mutations {
                mutate(&mut origin, kind, position);
            }
            origin
        }
    }
}

const REQUEST_METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "X-Custom", "x-custom", "put", "CONNECT",
];
const ASKED_METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "X-Custom", "x-custom", "put", "", "PUT ",
    " PUT", "P(T", "OPTIONS",
];
const ASKED_HEADERS: &[&str] = &[
    "content-type",
    "Content-Type",
    "CONTENT-TYPE",
    "x-api-key",
    "X-API-KEY",
    "authorization",
    "Authorization",
    "x-custom",
    "x-other",
    "x-requested-with",
    "x y",
    "a:b",
    "(x)",
    "x-amz-date",
];
const SEPARATORS: &[&str] = &[",", ", ", " ,", ",,", "\t,", " , ", ",\t ", ", ,"];

fn asked_headers() -> impl Strategy<Value = String> {
    (
        select(&["", " ", ",", "\t", " ,"][..]),
        proptest::collection::vec((select(ASKED_HEADERS), select(SEPARATORS)), 0..5),
        select(&["", " ", ",", "\t", ", "][..]),
    )
        .prop_map(|(lead, items, trail)| {
            let mut value = lead.to_owned();
            for (i, (name, separator)) in items.iter().enumerate() {
                if i > 0 {
                    value.push_str(separator);
                }
                value.push_str(name);
            }
            value.push_str(trail);
            value
        })
}

#[derive(Debug, Clone)]
struct RequestGen {
    method: &'static str,
    origins: Vec<OriginGen>,
    asked_method: Option<&'static str>,
    asked_headers: Option<String>,
}

fn request_gen() -> impl Strategy<Value = RequestGen> {
    (
        prop_oneof![1 => select(REQUEST_METHODS), 1 => Just("OPTIONS")],
        prop_oneof![1 => proptest::collection::vec(origin_gen(), 0..1), 8 => proptest::collection::vec(origin_gen(), 1..2), 1 => proptest::collection::vec(origin_gen(), 2..4)],
        proptest::option::weighted(0.8, select(ASKED_METHODS)),
        proptest::option::weighted(0.6, asked_headers()),
    )
        .prop_map(|(method, origins, asked_method, asked_headers)| RequestGen {
            method,
            origins,
            asked_method,
            asked_headers,
        })
}

const HANDLER_HEADER_NAMES: &[&str] = &[
    "x-request-id",
    "content-type",
    "cache-control",
    "vary",
    "set-cookie",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-allow-methods",
];
const HANDLER_HEADER_VALUES: &[&str] = &[
    "abc",
    "accept-encoding",
    "Origin",
    "origin, accept",
    "*",
    "true",
    "https://evil.net",
    "accept, accept-language",
    "",
    "no-store",
];

#[derive(Debug, Clone)]
enum Outcome {
    Ok(u16),
    Err,
    Panic,
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        6 => select(&[200u16, 201, 204, 302, 404, 500][..]).prop_map(Outcome::Ok),
        1 => Just(Outcome::Err),
        1 => Just(Outcome::Panic),
    ]
}

fn handler_headers() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    proptest::collection::vec(
        (select(HANDLER_HEADER_NAMES), select(HANDLER_HEADER_VALUES)),
        0..6,
    )
}

// ---------------------------------------------------------------------------------------------
// Running one generated case.

fn build(model: &Model) -> Result<CorsConfig, cors_runtime::ConfigError> {
    // One origin as `origin = "..."` (sent statically, without a check), several as a list;
    // none where the check alone decides.
    let origins = model.origin_texts();
    let mut builder = match origins.as_slice() {
        [] => CorsConfig::builder(),
        [one] => CorsConfig::builder().allow_origin(one.clone()),
        _ => CorsConfig::builder().allow_origins(origins),
    }
    .allow_credentials(model.credentials)
    .answer_preflight(model.preflight);
    builder = match model.check {
        None => builder,
        Some(Check::Sync) => {
            builder.allow_origin_fn(|origin: &str| check_verdict(origin).unwrap_or(false))
        }
        Some(Check::Async) => builder.allow_origin_async_fn(|origin: String| async move {
            YieldOnce::default().await;
            check_verdict(&origin)
        }),
    };
    if !model.expose.is_empty() {
        builder = builder.expose_headers(model.expose.iter().copied());
    }
    if let Some(methods) = &model.methods {
        builder = builder.allow_methods(methods.iter().copied());
    }
    if let Some(headers) = &model.headers {
        builder = builder.allow_headers(headers.iter().copied());
    }
    if let Some(seconds) = model.max_age {
        builder = builder.max_age(u64::from(seconds));
    }
    builder.build()
}

struct Exchange {
    origins: Vec<Vec<u8>>,
    request: Request<Body>,
    handler_headers: HeaderMap,
    handler_ran: bool,
    /// What the check was asked while the request was handled.
    asked: Vec<String>,
    response: Response<Body>,
}

fn exchange(
    config: &CorsConfig,
    model: &Model,
    generated: &RequestGen,
    outcome: &Outcome,
    own_headers: &[(&'static str, &'static str)],
) -> Exchange {
    quiet_deliberate_panics();
    let origins: Vec<Vec<u8>> = generated
        .origins
        .iter()
        .map(|o| materialize(model, o))
        .filter(|o| HeaderValue::from_bytes(o).is_ok())
        .collect();
    let mut builder =
        Request::builder().method(Method::from_bytes(generated.method.as_bytes()).unwrap());
    for origin in &origins {
        builder = builder.header("origin", HeaderValue::from_bytes(origin).unwrap());
    }
    if let Some(method) = generated.asked_method {
        builder = builder.header("access-control-request-method", method);
    }
    if let Some(headers) = &generated.asked_headers {
        builder = builder.header("access-control-request-headers", headers.as_str());
    }
    let request = builder.body(Body::Empty).unwrap();
    let mut handler_headers = HeaderMap::new();
    for (name, value) in own_headers {
        handler_headers.append(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    let copy = Request::builder()
        .method(request.method().clone())
        .body(Body::Empty)
        .map(|mut r| {
            *r.headers_mut() = request.headers().clone();
            r
        })
        .unwrap();
    let ran = AtomicBool::new(false);
    take_asked();
    let response = block_on(config.handle(request, |_| async {
        ran.store(true, Ordering::SeqCst);
        match outcome {
            Outcome::Ok(status) => {
                let mut response = Response::new(Body::from("handled"));
                *response.status_mut() = StatusCode::from_u16(*status).unwrap();
                *response.headers_mut() = handler_headers.clone();
                Ok(response)
            }
            Outcome::Err => Err(Error::from("generated failure")),
            Outcome::Panic => std::panic::panic_any(PANIC_MARKER),
        }
    }));
    Exchange {
        origins,
        request: copy,
        handler_headers,
        handler_ran: ran.load(Ordering::SeqCst),
        asked: take_asked(),
        response,
    }
}

fn all<'h>(headers: &'h HeaderMap, name: &str) -> Vec<&'h [u8]> {
    headers
        .get_all(name)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect()
}

fn lossy(origins: &[Vec<u8>]) -> Vec<String> {
    origins
        .iter()
        .map(|o| String::from_utf8_lossy(o).into_owned())
        .collect()
}

/// The reference's expectations for one exchange.
struct Expected {
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    preflight: bool,
    /// A preflight that the wrapper answers without the handler.
    answered: bool,
    /// A preflight the wrapper answers with a grant (its origin allowed; the lists are the
    /// policy's whatever it asked for: the browser compares them).
    preflight_ok: bool,
    /// The `Access-Control-Allow-Origin` the response must carry.
    acao: Option<Vec<u8>>,
    /// A write the cross-origin write guard refuses before the handler (`csrf`, "block" by
    /// default with credentials; these requests carry no Fetch metadata and no `Host`): any
    /// `Origin` but one the policy grants.
    refused_write: bool,
}

fn expect(model: &Model, exchange: &Exchange) -> Expected {
    let headers = exchange.request.headers();
    let is_preflight = exchange.request.method() == Method::OPTIONS
        && headers.contains_key("origin")
        && headers.contains_key("access-control-request-method");
    let answered = is_preflight && model.preflight;
    let allowed = model.allows(&exchange.origins);
    let preflight_ok = answered && allowed;
    let write = !matches!(
        *exchange.request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let refused_write = model.credentials
        && write
        && !exchange.origins.is_empty()
        && !(exchange.origins.len() == 1 && allowed);
    let named = |origin: &[u8]| Some(origin.to_vec());
    let acao = if refused_write || (answered && !preflight_ok) {
        None
    } else if model.any {
        Some(b"*".to_vec())
    } else if let Some(literal) = model.literal() {
        // Static on every response but a preflight answer, which compares.
        (!answered || allowed).then(|| literal.into_bytes())
    } else if allowed {
        named(&exchange.origins[0])
    } else {
        None
    };
    Expected {
        preflight: is_preflight,
        answered,
        preflight_ok,
        acao,
        refused_write,
    }
}

fn config_cases() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config_cases())]

    /// A configuration builds exactly when it breaks no rule, and then reports its origins.
    #[test]
    fn a_configuration_builds_iff_it_breaks_no_rule(model in model()) {
        let built = build(&model);
        prop_assert_eq!(built.is_ok(), model.buildable(), "{:?}: {:?}", model, built);
        if let Ok(config) = built {
            // The exact origins first, in the order written, then the wildcards.
            let origins = config.origins();
            let mut written = model.origin_texts();
            written.sort_by_key(|origin| origin.contains('*') && origin != "*");
            let exact = written.iter().filter(|o| !o.contains('*') || *o == "*").count();
            prop_assert_eq!(&origins[..exact.min(origins.len())], &written[..exact]);
            let mut wildcards = origins[exact.min(origins.len())..].to_vec();
            let mut written_wildcards = written[exact..].to_vec();
            wildcards.sort();
            written_wildcards.sort();
            prop_assert_eq!(wildcards, written_wildcards);
            prop_assert_eq!(config.varies_on_origin(), model.varies());
            prop_assert_eq!(config.allows_credentials(), model.credentials);
            prop_assert_eq!(config.checks_origins_in_code(), model.check.is_some());
        }
    }

    /// `lists_allow` (what a deployment's static rendering relies on) decides as the reference's
    /// matchers do, for every form, leaving the check out.
    #[test]
    fn the_lists_allow_what_the_reference_matchers_allow(
        model in model(),
        generated in proptest::collection::vec(origin_gen(), 1..4),
    ) {
        let Ok(config) = build(&model) else { return Ok(()) };
        for generated in &generated {
            let origin = materialize(&model, generated);
            let Ok(text) = std::str::from_utf8(&origin) else { continue };
            let expected = model.any || model.lists_allow(std::slice::from_ref(&origin));
            prop_assert_eq!(config.lists_allow(text), expected, "{:?} against {:?}", text, model.origin_texts());
        }
    }

    /// An origin is granted iff the configuration allows it; nothing else about the grant is
    /// wrong either: one `Access-Control-Allow-Origin` at most, never `*` with credentials, and
    /// preflights answered without the handler.
    #[test]
    fn an_origin_is_granted_iff_the_configuration_allows_it(
        model in model(),
        generated in request_gen(),
        outcome in outcome(),
        own in handler_headers(),
    ) {
        let Ok(config) = build(&model) else { return Ok(()) };
        let exchange = exchange(&config, &model, &generated, &outcome, &own);
        let expected = expect(&model, &exchange);
        let headers = exchange.response.headers();

        prop_assert_eq!(exchange.handler_ran, !expected.answered && !expected.refused_write);
        if expected.refused_write {
            prop_assert_eq!(exchange.response.status(), StatusCode::FORBIDDEN);
        }
        if expected.answered {
            prop_assert_eq!(exchange.response.status(), StatusCode::NO_CONTENT);
            prop_assert!(matches!(exchange.response.body(), Body::Empty));
        }

        let acao = all(headers, "access-control-allow-origin");
        prop_assert!(acao.len() <= 1, "several ACAO: {:?}", acao);
        prop_assert_eq!(acao.first().map(|v| v.to_vec()), expected.acao.clone(),
            "origins {:?}", lossy(&exchange.origins));

        let credentials = all(headers, "access-control-allow-credentials");
        prop_assert!(credentials.len() <= 1);
        if !credentials.is_empty() {
            prop_assert!(acao.first().is_some_and(|v| *v != b"*"), "`*` with credentials");
        }
        if expected.acao.is_some() && model.credentials {
            prop_assert_eq!(credentials, vec![&b"true"[..]]);
        }
        if expected.acao.is_some() && !expected.preflight && !model.expose.is_empty() {
            let expose = model.expose.join(",");
            prop_assert_eq!(all(headers, "access-control-expose-headers"), vec![expose.as_bytes()]);
        }
        if expected.preflight_ok || (expected.preflight && expected.acao.is_some()) {
            prop_assert_eq!(all(headers, "access-control-allow-methods").len(), 1);
            prop_assert_eq!(all(headers, "access-control-allow-headers").len(), 1);
            let max_age = model.max_age.map(|s| s.to_string().into_bytes());
            prop_assert_eq!(all(headers, "access-control-max-age").first().map(|v| v.to_vec()), max_age);
        }
        if expected.answered && !expected.preflight_ok {
            for name in ["access-control-allow-methods", "access-control-allow-headers", "access-control-allow-credentials", "access-control-max-age"] {
                prop_assert!(all(headers, name).is_empty(), "a refused preflight carries {}", name);
            }
        }
    }

    /// A check in code is asked exactly once about a request's single, serialized origin that the
    /// lists do not allow, with that exact text, and never otherwise (`null`, two `Origin`s,
    /// non-ASCII, malformed values, an origin the lists allow); its panic and its error grant
    /// nothing.
    #[test]
    fn a_check_is_asked_once_about_a_serialized_origin_the_lists_refuse(
        model in checked_model(),
        generated in request_gen(),
    ) {
        let Ok(config) = build(&model) else { return Ok(()) };
        let exchange = exchange(&config, &model, &generated, &Outcome::Ok(200), &[]);
        let expected: Vec<String> = if model.asks(&exchange.origins) {
            lossy(&exchange.origins)
        } else {
            Vec::new()
        };
        prop_assert_eq!(&exchange.asked, &expected, "origins {:?}, configured {:?}",
            lossy(&exchange.origins), model.origin_texts());
        for asked in &exchange.asked {
            prop_assert!(serialized_origin(asked.as_bytes()) && asked != "null", "asked {:?}", asked);
        }
    }

    /// The configuration alone grants credentials: a handler's own
    /// `Access-Control-Allow-Credentials` never survives where the configuration does not allow
    /// them.
    #[test]
    fn credentials_are_granted_only_by_the_configuration(
        model in model(),
        generated in request_gen(),
        own in handler_headers(),
    ) {
        let Ok(config) = build(&model) else { return Ok(()) };
        let exchange = exchange(&config, &model, &generated, &Outcome::Ok(200), &own);
        let credentials = all(exchange.response.headers(), "access-control-allow-credentials");
        let expected = expect(&model, &exchange);
        if !(model.credentials && expected.acao.is_some()) {
            prop_assert!(credentials.is_empty(),
                "credentials {:?} granted without the configuration's leave (credentials = {}, ACAO {:?})",
                credentials, model.credentials, expected.acao.map(|v| String::from_utf8_lossy(&v).into_owned()));
        }
    }

    /// `Vary` is one header; it lists `Origin` whenever the response depends on it; the handler's
    /// own tokens and every other header of the handler's are kept.
    #[test]
    fn vary_is_merged_and_the_handlers_headers_are_kept(
        model in model(),
        generated in request_gen(),
        own in handler_headers(),
    ) {
        let Ok(config) = build(&model) else { return Ok(()) };
        let exchange = exchange(&config, &model, &generated, &Outcome::Ok(200), &own);
        let expected = expect(&model, &exchange);
        let headers = exchange.response.headers();
        let vary = all(headers, "vary");
        let tokens: Vec<&[u8]> = vary.iter().flat_map(|v| list_items(v)).collect();
        if model.varies() || expected.answered {
            prop_assert_eq!(vary.len(), 1, "Vary {:?}", vary);
            prop_assert!(tokens.iter().any(|t| t.eq_ignore_ascii_case(b"origin") || *t == b"*"),
                "Vary {:?} lacks Origin", vary);
        }
        if expected.answered || expected.refused_write {
            return Ok(());
        }
        for own_vary in exchange.handler_headers.get_all("vary") {
            for token in list_items(own_vary.as_bytes()) {
                prop_assert!(tokens.contains(&token), "the handler's Vary token {:?} was lost: {:?}", token, vary);
            }
        }
        if !model.varies() {
            prop_assert_eq!(vary, all(&exchange.handler_headers, "vary"));
        }
        for name in exchange.handler_headers.keys() {
            if name.as_str().starts_with("access-control-") || name == "vary" {
                continue;
            }
            prop_assert_eq!(all(headers, name.as_str()), all(&exchange.handler_headers, name.as_str()),
                "the handler's {} changed", name);
        }
    }

    /// `method_allowed` and `request_headers_allowed` decide as the reference does, on lists with
    /// odd whitespace, commas and case.
    #[test]
    fn preflight_lists_are_parsed_as_the_reference_parses_them(
        model in model(),
        method in select(ASKED_METHODS),
        asked in asked_headers(),
    ) {
        let Ok(config) = build(&model) else { return Ok(()) };
        prop_assert_eq!(cors_runtime::__private::testing::method_allowed(&config, method.as_bytes()), model.method_allowed(method.as_bytes()), "{:?}", method);
        prop_assert_eq!(cors_runtime::__private::testing::request_headers_allowed(&config, asked.as_bytes()), model.headers_allowed(asked.as_bytes()), "{:?}", asked);
    }
}

#[test]
fn the_reference_matchers_agree_with_the_contract() {
    let entry = |scheme: &'static str, form: Form, host: &str| Entry {
        scheme,
        form,
        host: host.to_owned(),
        port: None,
        valid: true,
    };
    let wildcard = entry("https", Form::Subdomains, "myapp.com");
    let preview = entry(
        "https",
        Form::InLabel {
            before: "pr-",
            after: "",
        },
        "preview.myapp.com",
    );
    let local = entry("http", Form::AnyPort, "localhost");
    let v6 = entry("http", Form::AnyPort, "[::1]");
    let app = entry("capacitor", Form::Exact, "localhost");
    let long_label = format!("https://pr-{}.preview.myapp.com", "a".repeat(60));
    let too_long_label = format!("https://pr-{}.preview.myapp.com", "a".repeat(61));
    let cases: &[(&Entry, &str, bool)] = &[
        (&wildcard, "https://a.myapp.com", true),
        (&wildcard, "https://a.b.myapp.com", true),
        (&wildcard, "https://myapp.com", false),
        (&wildcard, "https://evilmyapp.com", false),
        (&wildcard, "http://a.myapp.com", false),
        (&wildcard, "https://a.myapp.com:8443", false),
        (&wildcard, "https://A.myapp.com", false),
        (&wildcard, "https://evil.com/.myapp.com", false),
        (&wildcard, "https://a_b.myapp.com", false),
        (&wildcard, "https://.myapp.com", false),
        (&preview, "https://pr-1.preview.myapp.com", true),
        (&preview, "https://pr-feature-x.preview.myapp.com", true),
        (&preview, "https://pr-1-.preview.myapp.com", true),
        (&preview, &long_label, true),
        (&preview, &too_long_label, false),
        (&preview, "https://pr-.preview.myapp.com", false),
        (&preview, "https://pr-a.b.preview.myapp.com", false),
        (&preview, "https://pr-1.preview.myapp.com.evil.com", false),
        (&preview, "https://pr-A.preview.myapp.com", false),
        (&preview, "https://pr-1.preview.myapp.com:8443", false),
        (&preview, "http://pr-1.preview.myapp.com", false),
        (&preview, "https://xpr-1.preview.myapp.com", false),
        (&local, "http://localhost:1", true),
        (&local, "http://localhost:65535", true),
        (&local, "http://localhost", false),
        (&local, "http://localhost:", false),
        (&local, "http://localhost:0", false),
        (&local, "http://localhost:080", false),
        (&local, "http://localhost:65536", false),
        (&local, "http://localhost:3000.evil.com", false),
        (&local, "https://localhost:3000", false),
        (&v6, "http://[::1]:3000", true),
        (&v6, "http://[::1]", false),
        (&app, "capacitor://localhost", true),
        (&app, "capacitor://localhost.evil", false),
        (&app, "CAPACITOR://localhost", false),
    ];
    for (entry, origin, expected) in cases {
        assert_eq!(
            entry_matches(entry, origin.as_bytes()),
            *expected,
            "{origin} against {}",
            entry.text()
        );
    }
    for (origin, expected) in [
        ("https://myapp.com", true),
        ("http://localhost", true),
        ("http://127.0.0.1:8080", true),
        ("http://[::1]:3000", true),
        ("capacitor://localhost", true),
        ("chrome-extension://cciilamhchpmbdnniabclekddabkifhb", true),
        (
            "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
            true,
        ),
        ("null", false),
        ("https://myapp.com/", false),
        ("https://myapp.com:443", false),
        ("https://MyApp.com", false),
        ("https://*.myapp.com", false),
        ("http://localhost:*", false),
        ("http://[0:0:0:0:0:0:0:1]", false),
        ("http://127.000.0.1", false),
        ("file://localhost", false),
        (
            "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e",
            false,
        ),
        ("https://my\u{e4}pp.com", false),
    ] {
        assert_eq!(serialized_origin(origin.as_bytes()), expected, "{origin}");
    }
    assert!(psl::domain(b"myapp.vercel.app").is_some() && psl::domain(b"vercel.app").is_none());
    assert_eq!(
        list_items(b" ,a ,\tb,, c\t"),
        [&b"a"[..], b"b", b"c"],
        "list items"
    );
}
