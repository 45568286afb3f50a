//! Two ways to measure the variants without criterion's sequential runs.
//!
//! `cors-count <variant> <case> <iterations>` runs one variant on one case, for instruction
//! counts under callgrind:
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
//!
//! `cors-count paired <rounds> <batch>` times the variants of each case interleaved: each
//! round times a batch of requests with every variant, in an order that rotates, so that a
//! machine that slows down (shared cores) slows all four alike. It prints, per case and variant,
//! the median over rounds of the time per request, and the median over rounds of the ratios of
//! CORS costs computed within each round, as JSON.

use std::hint::black_box;
use std::time::Instant;

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

const USAGE: &str = "usage: cors-count <bare|hand|macro|shared|tower> <single|list3|wildcard|any|disallowed|preflight|error> <iterations>\n       cors-count paired <rounds> <batch>";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["paired", rounds, batch] => match (rounds.parse(), batch.parse()) {
            (Ok(rounds), Ok(batch)) => paired(rounds, batch),
            _ => usage(),
        },
        [variant, case, iterations] => match (
            Variant::from_name(variant),
            Case::from_name(case),
            iterations.parse::<u32>(),
        ) {
            (Some(variant), Some(case), Ok(iterations)) => count(variant, case, iterations),
            _ => usage(),
        },
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("{USAGE}");
    std::process::exit(2);
}

fn count(variant: Variant, case: Case, iterations: u32) {
    let mut harness = harness();
    for _ in 0..iterations {
        let request = case.request();
        let outcome = measured(&mut harness, variant, black_box(case), black_box(request));
        drop(black_box(outcome));
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn paired(rounds: usize, batch: usize) {
    let mut harness = harness();
    // Warm up: caches, the allocator's free lists, tracing's call sites.
    for case in Case::ALL {
        for variant in Variant::ALL {
            for _ in 0..batch {
                drop(measured(&mut harness, variant, case, case.request()));
            }
        }
    }
    let mut cases = Vec::new();
    for case in Case::ALL {
        // ns per request, per variant, per round.
        let mut times = [(); 4].map(|()| Vec::with_capacity(rounds));
        let mut outcomes = Vec::with_capacity(batch);
        for round in 0..rounds {
            for k in 0..Variant::ALL.len() {
                let index = (k + round) % Variant::ALL.len();
                let variant = Variant::ALL[index];
                let requests: Vec<_> = (0..batch).map(|_| case.request()).collect();
                let start = Instant::now();
                for request in requests {
                    outcomes.push(measured(&mut harness, variant, case, black_box(request)));
                }
                let elapsed = start.elapsed();
                outcomes.clear();
                times[index].push(elapsed.as_nanos() as f64 / batch as f64);
            }
        }
        let cost = |round: usize, variant: usize| times[variant][round] - times[0][round];
        let mut macro_hand: Vec<f64> = (0..rounds).map(|r| cost(r, 2) / cost(r, 1)).collect();
        let mut tower_macro: Vec<f64> = (0..rounds).map(|r| cost(r, 3) / cost(r, 2)).collect();
        let medians: Vec<String> = Variant::ALL
            .iter()
            .zip(&mut times)
            .map(|(variant, t)| format!("\"{}\": {:.1}", variant.name(), median(t)))
            .collect();
        cases.push(format!(
            "    \"{}\": {{\"median_ns\": {{{}}}, \"macro_over_hand\": {:.3}, \"tower_over_macro\": {:.3}}}",
            case.name(),
            medians.join(", "),
            median(&mut macro_hand),
            median(&mut tower_macro),
        ));
    }
    println!(
        "{{\n  \"rounds\": {rounds},\n  \"batch\": {batch},\n  \"cases\": {{\n{}\n  }}\n}}",
        cases.join(",\n")
    );
}
