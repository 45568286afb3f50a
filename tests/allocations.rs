//! Heap allocations per request: how many `#[cors_handler]` and our `CorsLayer` add to the bare
//! handler on each path, next to the floor, careful hand-written CORS and tower-http's `CorsLayer`
//! (the variants of the `cors-bench` package, the same code its benchmarks time).
//!
//! The counts are exact, so that a change that allocates more fails here. Targets: never more than
//! the hand-written version, and nothing at all for a single literal origin or for `*`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cors_bench::{Case, Variant, harness};
use lambda_http::{Body, Response};

/// Counts the allocations (and reallocations) of the current thread; tests run on several.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn bump() {
    // `try_with`: the allocator may run while the thread's locals are being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded to `System` unchanged; the counter is a const-initialised
// thread-local `Cell` without a destructor, so touching it never allocates or reenters.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Allocations (and reallocations) of one request with `variant`, the request built beforehand,
/// the response dropped after: the same span the benchmarks time. The first run of each pair is a
/// warm-up (a `tracing` call site registers itself once).
fn count(variant: Variant, case: Case) -> usize {
    let mut harness = harness();
    drop(harness.run(variant, case, case.request()));
    let mut counts = [0; 3];
    for n in &mut counts {
        let request = case.request();
        let before = allocations();
        let outcome = harness.run(variant, case, request);
        *n = allocations() - before;
        drop(outcome);
    }
    assert!(
        counts.iter().all(|&n| n == counts[0]),
        "{variant:?} {case:?}: {counts:?}"
    );
    counts[0]
}

/// Status, sorted headers and body: what a client sees.
fn seen(response: &Response<Body>) -> (u16, Vec<(String, String)>, String) {
    let mut headers: Vec<_> = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    let body = match response.body() {
        Body::Empty => String::new(),
        Body::Text(text) => text.clone(),
        Body::Binary(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => unreachable!(),
    };
    (response.status().as_u16(), headers, body)
}

#[test]
fn the_hand_written_reference_answers_exactly_as_the_attribute() {
    let mut harness = harness();
    for case in Case::ALL {
        let by_hand = harness.run(Variant::Hand, case, case.request()).unwrap();
        let by_macro = harness.run(Variant::Macro, case, case.request()).unwrap();
        let by_shared = harness.run(Variant::Shared, case, case.request()).unwrap();
        assert_eq!(seen(&by_hand), seen(&by_macro), "{case:?}");
        assert_eq!(seen(&by_shared), seen(&by_macro), "{case:?}: config = ...");
    }
}

/// Allocations per request of every variant (in [`Variant::ALL`]'s order: bare, floor, hand,
/// macro, shared, service, layer, tower) on every case.
///
/// The bare handler allocates 3 times on a success (the body's `String`, the header map's two
/// tables, which have room for 6 headers) and 2 times on `Err` (the message's `String` and its
/// `Box`). The CORS headers then fit in the handler's header map: a literal origin, a list's
/// match (a prebuilt value), `*` and a refusal add nothing. Echoing a wildcard's match costs 1
/// (the request's `Origin` bytes become shared to be cloned); a preflight answered by the wrapper
/// skips the handler and allocates only its answer's header map (2); the error path builds the
/// 500 (its body and header map: 3); a write the guard lets through adds nothing. Our layer
/// allocates as the attribute does. tower-http's
/// figures are recorded, not targets: its `Cors` service collects the headers in a header map of
/// its own, joins its `Vary` into a new value on every request and echoes list matches too; on
/// `Err` it has done all that and drops it.
const EXPECTED: [(Case, [usize; 8]); 10] = [
    (Case::Single, [3, 3, 3, 3, 3, 3, 3, 5]),
    (Case::List2, [3, 3, 3, 3, 3, 3, 3, 12]),
    (Case::List, [3, 3, 3, 3, 3, 3, 3, 12]),
    (Case::Wildcard, [3, 4, 4, 4, 4, 3, 4, 10]),
    (Case::Any, [3, 3, 3, 3, 3, 3, 3, 5]),
    (Case::Disallowed, [3, 3, 3, 3, 3, 3, 3, 9]),
    (Case::Preflight, [3, 2, 2, 2, 2, 3, 2, 11]),
    (Case::Preflight2, [3, 2, 2, 2, 2, 3, 2, 11]),
    (Case::Error, [2, 5, 5, 5, 5, 2, 5, 11]),
    (Case::Write, [3, 3, 3, 3, 3, 3, 3, 12]),
];

#[test]
fn allocations_per_request() {
    let mut report = String::new();
    let mut actual = Vec::new();
    for (case, _) in EXPECTED {
        let counts = Variant::ALL.map(|variant| count(variant, case));
        report.push_str(&format!("{:<11}", case.name()));
        for (variant, n) in Variant::ALL.iter().zip(counts) {
            report.push_str(&format!(" {} {n}", variant.name()));
        }
        report.push('\n');
        actual.push((case, counts));
    }
    println!("{report}");
    assert_eq!(actual, EXPECTED, "\n{report}");
    for (case, counts) in EXPECTED {
        let [_, _, _, attr, shared, _, layer, _] = counts;
        assert_eq!(
            shared, attr,
            "{case:?}: config = ... allocates as inline keys"
        );
        assert_eq!(
            layer, attr,
            "{case:?}: the layer allocates as the attribute"
        );
    }
}

#[test]
fn the_attribute_allocates_no_more_than_hand_written_cors() {
    for case in Case::ALL {
        let hand = count(Variant::Hand, case);
        let attr = count(Variant::Macro, case);
        assert!(attr <= hand, "{case:?}: macro {attr}, by hand {hand}");
    }
    for case in [Case::Single, Case::Any] {
        assert_eq!(
            count(Variant::Macro, case),
            count(Variant::Bare, case),
            "{case:?}: a literal origin or `*` adds nothing"
        );
    }
    // The write guard (and the refusal log's lookups) allocate nothing on an allowed write.
    assert_eq!(
        count(Variant::Macro, Case::Write),
        count(Variant::Bare, Case::Write),
        "a credentialed write from an allowed origin adds nothing"
    );
}
