//! Properties of the wrapper over generated configurations and generated requests.
//!
//! Configurations are built with `CorsConfig::builder` from generated origins (exact ones and
//! subdomain wildcards over a small pool of labels, so that they collide and nest), methods,
//! headers and credentials. Requests carry origins from a grammar of near-misses of the
//! configured ones (scheme, case, dots, ports, userinfo, trailing characters, non-UTF-8 bytes),
//! random methods, and `Access-Control-Request-Headers` lists with odd whitespace, commas and
//! case. The handler returns generated headers, fails or panics.
//!
//! Every expectation comes from the reference model in this file, written from the contract
//! without calling the code under test.

use std::future::Future;
use std::pin::pin;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

use cors_runtime::CorsConfig;
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

/// One configured origin, in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    https: bool,
    /// `None` for `*.domain`.
    wildcard: bool,
    host: String,
    port: Option<u16>,
}

impl Entry {
    fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    fn text(&self) -> String {
        let star = if self.wildcard { "*." } else { "" };
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://{star}{}{port}", self.scheme(), self.host)
    }
}

#[derive(Debug, Clone)]
struct Model {
    /// `origin = "*"`.
    any: bool,
    entries: Vec<Entry>,
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

    /// The contract's rule: `*` (origins, methods or headers) never with credentials.
    fn buildable(&self) -> bool {
        let star = |list: &Option<Vec<&str>>| list.as_deref() == Some(&["*"][..]);
        // A wildcard stays inside a registrable domain (the Public Suffix List's data).
        let registrable = self
            .entries
            .iter()
            .all(|entry| !entry.wildcard || psl::domain(entry.host.as_bytes()).is_some());
        registrable
            && !(self.credentials && (self.any || star(&self.methods) || star(&self.headers)))
    }

    /// A single exact origin: sent statically.
    fn literal(&self) -> Option<String> {
        match self.entries.as_slice() {
            [entry] if !self.any && !entry.wildcard => Some(entry.text()),
            _ => None,
        }
    }

    fn varies(&self) -> bool {
        !self.any && self.literal().is_none()
    }

    /// Whether the request's `Origin` headers name one origin that the configuration allows.
    fn allows(&self, origins: &[Vec<u8>]) -> bool {
        let [origin] = origins else { return false };
        self.entries
            .iter()
            .any(|entry| entry_matches(entry, origin))
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
                    None => !name.eq_ignore_ascii_case(b"authorization"),
                    Some(list) => list.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name)),
                }
        })
    }
}

/// Whether a request origin matches one configured entry: parse it into scheme, host and port,
/// then compare the parts (a host is at most 253 characters).
fn entry_matches(entry: &Entry, origin: &[u8]) -> bool {
    if !entry.wildcard {
        return origin == entry.text().as_bytes();
    }
    let Ok(origin) = std::str::from_utf8(origin) else {
        return false;
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port.to_owned())),
        None => (authority, None),
    };
    if scheme != entry.scheme() || port != entry.port.map(|p| p.to_string()) || host.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let domain: Vec<&str> = entry.host.split('.').collect();
    labels.len() > domain.len()
        && labels.ends_with(&domain)
        && labels[..labels.len() - domain.len()]
            .iter()
            .all(|label| is_dns_label(label))
}

fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
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
const TLDS: &[&str] = &["com", "net", "io"];

fn domain() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(select(LABELS), 1..3),
        select(TLDS),
    )
        .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join(".")))
}

fn entry() -> impl Strategy<Value = Entry> {
    let host = prop_oneof![
        6 => domain(),
        1 => Just("localhost".to_owned()),
        1 => Just("127.0.0.1".to_owned()),
    ];
    let port = prop_oneof![3 => Just(None), 1 => Just(Some(8443u16)), 1 => Just(Some(5173u16))];
    (any::<bool>(), prop::bool::weighted(0.4), host, port).prop_map(
        |(https, wildcard, host, port)| {
            let wildcard =
                wildcard && host.contains('.') && host.parse::<std::net::Ipv4Addr>().is_err();
            Entry {
                https,
                wildcard,
                host,
                port,
            }
        },
    )
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

fn model() -> impl Strategy<Value = Model> {
    (
        prop::bool::weighted(0.12),
        proptest::collection::vec(entry(), 1..5),
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
            |(any, entries, methods, headers, expose, credentials, max_age, preflight)| {
                let mut unique: Vec<Entry> = Vec::new();
                for entry in entries {
                    if !unique.iter().any(|e| e.text() == entry.text()) {
                        unique.push(entry);
                    }
                }
                Model {
                    any,
                    entries: if any { Vec::new() } else { unique },
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

const FIXED: &[&str] = &[
    "null",
    "*",
    "https://evil.net",
    "https://myapp.com",
    "http://localhost",
    "https://a.myapp.com",
];

fn origin_gen() -> impl Strategy<Value = OriginGen> {
    prop_oneof![
        8 => (any::<usize>(), proptest::collection::vec((any::<u8>(), any::<usize>()), 0..3))
            .prop_map(|(base, mutations)| OriginGen::Near { base, mutations }),
        1 => "[a-z0-9:/.*@%\\\\-]{0,30}".prop_map(OriginGen::Raw),
    ]
}

/// The configured origins a near-miss starts from (wildcards instantiated).
fn bases(model: &Model) -> Vec<Vec<u8>> {
    let mut bases = Vec::new();
    for entry in &model.entries {
        if entry.wildcard {
            let text = entry.text();
            for sub in ["a", "a.b", "x-1", "preview"] {
                bases.push(text.replacen('*', sub, 1).into_bytes());
            }
        } else {
            bases.push(entry.text().into_bytes());
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
    match kind % 20 {
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
        _ => {
            if !origin.is_empty() {
                origin.remove(at(origin.len() - 1));
            }
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
                FIXED[base / 4 % FIXED.len()].as_bytes().to_vec()
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
    // One origin as `origin = "..."` (sent statically), several as a list.
    let origins = model.origin_texts();
    let mut builder = match origins.as_slice() {
        [one] => CorsConfig::builder().allow_origin(one.clone()),
        _ => CorsConfig::builder().allow_origins(origins),
    }
    .allow_credentials(model.credentials)
    .answer_preflight(model.preflight);
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
}

fn expect(model: &Model, exchange: &Exchange) -> Expected {
    let headers = exchange.request.headers();
    let is_preflight = exchange.request.method() == Method::OPTIONS
        && headers.contains_key("origin")
        && headers.contains_key("access-control-request-method");
    let answered = is_preflight && model.preflight;
    let allowed = model.any || model.allows(&exchange.origins);
    let preflight_ok = answered && allowed;
    let named = |origin: &[u8]| Some(origin.to_vec());
    let acao = if answered && !preflight_ok {
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
            // The exact origins first, then the wildcards, each in the order written.
            let mut written = model.origin_texts();
            written.sort_by_key(|origin| origin.contains("://*"));
            prop_assert_eq!(config.origins(), written);
            prop_assert_eq!(config.varies_on_origin(), model.varies());
            prop_assert_eq!(config.allows_credentials(), model.credentials);
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

        prop_assert_eq!(exchange.handler_ran, !expected.answered);
        if expected.answered {
            prop_assert_eq!(exchange.response.status(), StatusCode::NO_CONTENT);
            prop_assert!(matches!(exchange.response.body(), Body::Empty));
        }

        let acao = all(headers, "access-control-allow-origin");
        prop_assert!(acao.len() <= 1, "several ACAO: {:?}", acao);
        prop_assert_eq!(acao.first().map(|v| v.to_vec()), expected.acao.clone(),
            "origins {:?}", exchange.origins.iter().map(|o| String::from_utf8_lossy(o)).collect::<Vec<_>>());

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
        if expected.answered {
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
fn the_reference_matcher_agrees_with_the_contract() {
    let wildcard = Entry {
        https: true,
        wildcard: true,
        host: "myapp.com".to_owned(),
        port: None,
    };
    for (origin, expected) in [
        ("https://a.myapp.com", true),
        ("https://a.b.myapp.com", true),
        ("https://myapp.com", false),
        ("https://evilmyapp.com", false),
        ("http://a.myapp.com", false),
        ("https://a.myapp.com:8443", false),
        ("https://A.myapp.com", false),
        ("https://evil.com/.myapp.com", false),
        ("https://a_b.myapp.com", false),
        ("https://.myapp.com", false),
    ] {
        assert_eq!(
            entry_matches(&wildcard, origin.as_bytes()),
            expected,
            "{origin}"
        );
    }
    assert_eq!(
        list_items(b" ,a ,\tb,, c\t"),
        [&b"a"[..], b"b", b"c"],
        "list items"
    );
}
