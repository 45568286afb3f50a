//! Runs one variant on one case N times, for instruction counts under callgrind:
//!
//! ```sh
//! cargo build --release -p cors-bench --bin cors-count
//! valgrind --tool=callgrind --toggle-collect='cors_count::measured*' \
//!     target/release/cors-count macro list3 1000
//! ```
//!
//! Only [`measured`] (one request, answered) is counted: building the request and dropping the
//! response are not, as in the criterion benchmark. `benches/callgrind.py` runs every pair twice
//! (two values of N) and keeps the difference per request, which leaves out one-time costs.

use std::hint::black_box;

use cors_bench::{Case, Harness, Outcome, Variant, harness, tower::AppService};

#[inline(never)]
fn measured<S: AppService>(
    harness: &mut Harness<S>,
    variant: Variant,
    case: Case,
    request: lambda_http::Request,
) -> Outcome {
    harness.run(variant, case, request)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: cors-count <bare|hand|macro|tower> <single|list3|wildcard|any|disallowed|preflight|error> <iterations>";
    let [_, variant, case, iterations] = args.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let (Some(variant), Some(case), Ok(iterations)) = (
        Variant::from_name(variant),
        Case::from_name(case),
        iterations.parse::<u32>(),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mut harness = harness();
    for _ in 0..iterations {
        let request = case.request();
        let outcome = measured(&mut harness, variant, black_box(case), black_box(request));
        drop(black_box(outcome));
    }
}
