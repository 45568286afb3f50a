//! Refusals in the log: each distinct refusal once per execution environment, at `warn`, with the
//! near miss that explains it; and, with the `metrics` feature, a count of every decision.
//!
//! A browser that refuses a response says only `TypeError: Failed to fetch`; the function's log is
//! where the reason can be read. Each line has stable fields: `origin` (as received, escaped: a
//! byte that is not printable ASCII is written `\xNN`), `reason`, and `hint` when the origin is a
//! near miss of an allowed entry; a preflight's adds `method` and `headers` (what its lists lack),
//! a refused write's `method`, `sec_fetch_site` and `why`.
//!
//! Bounded: the first [`REMEMBERED`] distinct refusals are remembered (as 64-bit hashes, in a
//! fixed table: no allocation, 2 KiB); past that, a refusal not yet seen is counted and a summary
//! line says how many went unlogged when that count reaches 1, 10, 100, ... So a scanner sending
//! a million distinct `Origin` values produces at most 263 lines, in constant memory. An allowed
//! origin, and a request without `Origin`, log nothing.

use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use http::{HeaderMap, HeaderValue, Method};

use crate::config::{CorsConfig, Origins};
use crate::env::Resolved;
use crate::hint::{Entry, describe, near_miss};
use crate::lists::{OriginList, header_str};

/// How many distinct refusals an execution environment logs one by one.
pub(crate) const REMEMBERED: usize = 256;

/// Why a request's origin gets no grant, or why a write is refused: the log's `reason` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Reason {
    /// An actual request from an origin the policy does not allow.
    OriginNotAllowed,
    /// An actual request or a preflight from an origin the lists do not allow and the check in
    /// code (`origin_fn`) refused (or failed: its error is logged too).
    OriginFnRefused,
    /// A preflight from an origin the policy does not allow.
    PreflightOriginNotAllowed,
    /// A preflight from an allowed origin asking for a method or request headers the policy's
    /// lists lack.
    PreflightNotInLists,
    /// A write from an origin the policy does not allow, refused (`csrf = "block"`).
    WriteRefused,
    /// The same, let through and reported (`csrf = "report"`).
    WriteReported,
}

impl Reason {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Reason::OriginNotAllowed => "origin_not_allowed",
            Reason::OriginFnRefused => "origin_fn_refused",
            Reason::PreflightOriginNotAllowed => "preflight_origin_not_allowed",
            Reason::PreflightNotInLists => "preflight_not_in_lists",
            Reason::WriteRefused => "write_refused",
            Reason::WriteReported => "write_would_be_refused",
        }
    }
}

struct Seen {
    keys: [u64; REMEMBERED],
    len: usize,
    unlogged: u64,
}

static SEEN: Mutex<Seen> = Mutex::new(Seen {
    keys: [0; REMEMBERED],
    len: 0,
    unlogged: 0,
});

/// FNV-1a, 64 bits: a refusal's key. A collision only leaves one refusal unlogged, and a key is
/// hashed once per refused request, so a fast hash beats a keyed one here.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Whether a refusal is to be logged: the first time it is seen, and while there is room.
fn first_time(key: impl Hash) -> bool {
    let mut hasher = Fnv::default();
    key.hash(&mut hasher);
    let key = hasher.finish();
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    let len = seen.len;
    if seen.keys[..len].contains(&key) {
        return false;
    }
    if len < REMEMBERED {
        seen.keys[len] = key;
        seen.len += 1;
        return true;
    }
    seen.unlogged += 1;
    let unlogged = seen.unlogged;
    drop(seen);
    if is_power_of_ten(unlogged) {
        tracing::warn!(
            reason = "log_full",
            remembered = REMEMBERED,
            unlogged,
            "CORS refusals: {REMEMBERED} distinct ones logged; {unlogged} more not logged one by one"
        );
    }
    false
}

fn is_power_of_ten(mut n: u64) -> bool {
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
    }
    n == 1
}

/// The origin as received, escaped for the log.
fn escaped(origin: &HeaderValue) -> String {
    origin.as_bytes().escape_ascii().to_string()
}

/// The near miss `origin` is of one of the policy's entries, in words.
fn hint(config: &CorsConfig, origin: &HeaderValue) -> Option<String> {
    let origin = origin.to_str().ok()?;
    let mut found = None;
    let mut list = |list: &OriginList| {
        for exact in list.exact.iter() {
            let entry = header_str(exact);
            if found.is_none()
                && let Some(miss) = near_miss(origin, Entry::Exact(entry))
            {
                found = Some(describe(miss, entry));
            }
        }
        let wildcards = list.wildcards.pairs().into_iter().map(|p| (p, true));
        let patterns = list.patterns.pairs().into_iter().map(|p| (p, false));
        for ((prefix, suffix), whole_labels) in wildcards.chain(patterns) {
            let entry = Entry::Wildcard {
                prefix,
                suffix,
                whole_labels,
            };
            if found.is_none()
                && let Some(miss) = near_miss(origin, entry)
            {
                found = Some(describe(miss, &format!("{prefix}*{suffix}")));
            }
        }
    };
    match &config.origins {
        Origins::Any => {}
        Origins::Exact(allowed) => {
            let entry = header_str(allowed);
            return near_miss(origin, Entry::Exact(entry)).map(|miss| describe(miss, entry));
        }
        Origins::List(origins) => list(origins),
        Origins::Env(env) => {
            if let Ok(Resolved::List(origins)) = env.get() {
                list(origins);
            }
        }
    }
    found
}

/// A request from `origin` gets no grant (`preflight`: it is a preflight).
#[cold]
pub(crate) fn refused_origin(
    config: &CorsConfig,
    origin: &HeaderValue,
    headers: Option<&HeaderMap>,
    preflight: bool,
) {
    count(Decision::Refused);
    // Not a CORS request: the browser sends `Origin` on same-origin writes too.
    if !preflight
        && let Some(headers) = headers
        && (headers
            .get(crate::guard::SEC_FETCH_SITE)
            .is_some_and(|site| site == "same-origin")
            || crate::guard::same_host(origin, headers))
    {
        return;
    }
    let reason = match (preflight, config.check.is_some() && origin != "null") {
        (_, true) => Reason::OriginFnRefused,
        (true, false) => Reason::PreflightOriginNotAllowed,
        (false, false) => Reason::OriginNotAllowed,
    };
    if !first_time((reason, origin.as_bytes())) {
        return;
    }
    let origin_text = escaped(origin);
    let hint = hint(config, origin);
    let hint = hint.as_deref();
    match reason {
        Reason::OriginFnRefused => tracing::warn!(
            origin = origin_text,
            reason = reason.name(),
            hint,
            preflight,
            "CORS: neither the policy's lists nor origin_fn allow this origin: the browser hides the response"
        ),
        Reason::PreflightOriginNotAllowed => tracing::warn!(
            origin = origin_text,
            reason = reason.name(),
            hint,
            "CORS: a preflight from an origin the policy does not allow: the browser will not send the request"
        ),
        _ => tracing::warn!(
            origin = origin_text,
            reason = reason.name(),
            hint,
            "CORS: the policy does not allow this origin: the browser hides the response"
        ),
    }
}

/// A preflight from an allowed origin asks for `method` or request headers the lists lack:
/// `method` when it is refused, `headers` the names refused.
#[cold]
pub(crate) fn preflight_not_in_lists(
    origin: Option<&HeaderValue>,
    method: Option<&HeaderValue>,
    headers: &[&[u8]],
) {
    let origin = origin.map_or_else(String::new, escaped);
    let method = method.map(|m| m.as_bytes().escape_ascii().to_string());
    let headers: Vec<String> = headers
        .iter()
        .map(|name| name.escape_ascii().to_string())
        .collect();
    if !first_time((Reason::PreflightNotInLists, &origin, &method, &headers)) {
        return;
    }
    tracing::warn!(
        origin,
        reason = Reason::PreflightNotInLists.name(),
        method = method.as_deref().unwrap_or(""),
        headers = headers.join(", "),
        "CORS: a preflight asks for a method or request headers the policy does not list: the browser will refuse the request (add them to `methods` or `headers`)"
    );
}

/// A write the guard refuses (`blocked`), or would refuse (`csrf = "report"`).
#[cold]
pub(crate) fn refused_write<'h>(
    method: &Method,
    origins: impl Iterator<Item = &'h HeaderValue>,
    site: Option<&HeaderValue>,
    why: crate::guard::Why,
    blocked: bool,
) {
    count(Decision::RefusedWrite);
    let origin = origins.map(escaped).collect::<Vec<_>>().join(", ");
    let site = site.map_or_else(String::new, escaped);
    let reason = match blocked {
        true => Reason::WriteRefused,
        false => Reason::WriteReported,
    };
    if !first_time((reason, &origin, why.name())) {
        return;
    }
    let method = method.as_str();
    match blocked {
        true => tracing::warn!(
            origin,
            reason = reason.name(),
            method,
            sec_fetch_site = site,
            why = why.name(),
            status = 403u16,
            "CORS: a cross-origin write from an origin the policy does not allow was refused before the handler ran"
        ),
        false => tracing::warn!(
            origin,
            reason = reason.name(),
            method,
            sec_fetch_site = site,
            why = why.name(),
            "CORS: a cross-origin write from an origin the policy does not allow ran (csrf = \"report\"); csrf = \"block\" would refuse it"
        ),
    }
}

/// What the policy decided about one request, for the `metrics` feature's counters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Decision {
    /// An actual request's origin was granted.
    Granted,
    /// A request's origin was refused.
    Refused,
    /// A preflight was answered.
    Preflight,
    /// A write was refused (or, reporting, would have been).
    RefusedWrite,
}

/// Counts a decision: `cors_decisions_total{decision="granted"|"refused"|"preflight"|
/// "refused_write"}` through the `metrics` facade, with the feature; nothing without it.
#[inline(always)]
pub(crate) fn count(decision: Decision) {
    #[cfg(feature = "metrics")]
    {
        let decision = match decision {
            Decision::Granted => "granted",
            Decision::Refused => "refused",
            Decision::Preflight => "preflight",
            Decision::RefusedWrite => "refused_write",
        };
        metrics::counter!("cors_decisions_total", "decision" => decision).increment(1);
    }
    #[cfg(not(feature = "metrics"))]
    let _ = decision;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_ten() {
        let powers: Vec<u64> = (1..=100_000).filter(|n| is_power_of_ten(*n)).collect();
        assert_eq!(powers, [1, 10, 100, 1000, 10_000, 100_000]);
    }

    #[test]
    fn hints_come_from_every_form_of_origin() {
        let list = CorsConfig::builder()
            .allow_origins(["https://myapp.com", "https://*.preview.myapp.com"])
            .build()
            .unwrap();
        let hint = |config: &CorsConfig, origin: &'static str| {
            hint(config, &HeaderValue::from_static(origin))
        };
        assert_eq!(
            hint(&list, "https://www.myapp.com").as_deref(),
            Some("differs from the allowed `https://myapp.com` only by `www.`")
        );
        assert!(
            hint(&list, "https://preview.myapp.com")
                .unwrap()
                .contains("`https://*.preview.myapp.com` covers subdomains only")
        );
        assert_eq!(hint(&list, "https://evil.example"), None);
        let single = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .build()
            .unwrap();
        assert!(
            hint(&single, "http://myapp.com")
                .unwrap()
                .contains("scheme")
        );
        let any = CorsConfig::builder().allow_origin("*").build().unwrap();
        assert_eq!(hint(&any, "http://myapp.com"), None);
    }
}

/// The counters, with the feature: a recorder of this test's own counts every decision.
#[cfg(all(test, feature = "metrics"))]
mod metrics_tests {
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use metrics::{
        Counter, CounterFn, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit,
    };

    use crate::CorsConfig;

    /// Counts per `decision` label.
    #[derive(Default)]
    struct Counts(Mutex<BTreeMap<String, Arc<AtomicU64>>>);

    struct Count(Arc<AtomicU64>);

    impl CounterFn for Count {
        fn increment(&self, value: u64) {
            self.0.fetch_add(value, Ordering::Relaxed);
        }

        fn absolute(&self, value: u64) {
            self.0.store(value, Ordering::Relaxed);
        }
    }

    impl Recorder for Counts {
        fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

        fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
            assert_eq!(key.name(), "cors_decisions_total");
            let label = key
                .labels()
                .find(|label| label.key() == "decision")
                .map(|label| label.value().to_owned())
                .expect("a decision label");
            let count = self.0.lock().unwrap().entry(label).or_default().clone();
            Counter::from_arc(Arc::new(Count(count)))
        }

        fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
            Gauge::noop()
        }

        fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
            Histogram::noop()
        }
    }

    #[test]
    fn every_decision_is_counted() {
        let policy = CorsConfig::builder()
            .allow_origins(["https://myapp.com"])
            .allow_credentials(true)
            .build()
            .unwrap();
        let request = |method: &str, origin: &str, preflight: bool| {
            let mut builder = http::Request::builder()
                .method(method)
                .header("origin", origin)
                .header("sec-fetch-site", "cross-site");
            if preflight {
                builder = builder.header("access-control-request-method", "PUT");
            }
            builder.body(lambda_http::Body::Empty).unwrap()
        };
        let counts = Counts::default();
        metrics::with_local_recorder(&counts, || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            let handle = |r| {
                runtime.block_on(policy.handle(r, |_| async { Ok::<_, lambda_http::Error>("ok") }))
            };
            handle(request("GET", "https://myapp.com", false));
            handle(request("GET", "https://myapp.com", false));
            handle(request("GET", "https://metrics.example", false));
            handle(request("OPTIONS", "https://myapp.com", true));
            assert_eq!(
                handle(request("POST", "https://metrics.example", false)).status(),
                403
            );
        });
        let counts: BTreeMap<String, u64> = counts
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|(label, count)| (label.clone(), count.load(Ordering::Relaxed)))
            .collect();
        let expected: BTreeMap<String, u64> = [
            ("granted", 2),
            ("refused", 1),
            ("preflight", 1),
            ("refused_write", 1),
        ]
        .into_iter()
        .map(|(label, count)| (label.to_owned(), count))
        .collect();
        assert_eq!(counts, expected);
    }
}
