//! Instruction counts of the variants, without criterion's sequential runs.
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
use std::hint::black_box;

use cors_bench::layer::LayerService;
use cors_bench::typed::{self, TypedVariant};
use cors_bench::{Case, Harness, Outcome, Variant, harness, tower::AppService};
use lambda_http::aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use lambda_http::lambda_runtime::LambdaEvent;

#[inline(never)]
fn measured<S: AppService, L: LayerService, A: AppService>(
    harness: &mut Harness<S, L, A>,
    variant: Variant,
    case: Case,
    request: lambda_http::Request,
) -> Outcome {
    harness.run(variant, case, request)
}

/// A typed handler (`LambdaEvent<ApiGatewayProxyRequest>`): the event made outside, as the request.
#[inline(never)]
fn measured_typed(
    variant: TypedVariant,
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, lambda_http::Error> {
    typed::run(variant, event)
}

const USAGE: &str = "usage: cors-count <bare|floor|hand|macro|shared|service|layer|tower|typed-bare|typed-floor|typed-macro> <single|list2|list3|wildcard|any|disallowed|preflight|preflight2|error> <iterations>";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [variant, case, iterations] if TypedVariant::from_name(variant).is_some() => {
            match (Case::from_name(case), iterations.parse::<u32>()) {
                (Some(case), Ok(iterations)) if typed::CASES.contains(&case) => {
                    let variant = TypedVariant::from_name(variant).expect("checked");
                    for _ in 0..iterations {
                        let event = typed::event(case);
                        drop(black_box(measured_typed(variant, black_box(event))));
                    }
                }
                _ => usage(),
            }
        }
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
