//! Time per request of each variant on each case: `cargo bench -p cors-bench`.
//!
//! One group per case, four functions per group (`bare`, `hand`, `macro`, `tower`), so that the
//! variants of a case are measured in the same run and compared as ratios. The request is built
//! outside the timed routine and the response dropped outside it (`iter_batched`).

use std::hint::black_box;

use cors_bench::{Case, Variant, harness};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn cors(c: &mut Criterion) {
    let mut harness = harness();
    for case in Case::ALL {
        let mut group = c.benchmark_group(case.name());
        for variant in Variant::ALL {
            group.bench_function(variant.name(), |b| {
                b.iter_batched(
                    || case.request(),
                    |request| harness.run(variant, case, black_box(request)),
                    BatchSize::SmallInput,
                )
            });
        }
        group.finish();
    }
}

criterion_group!(benches, cors);
criterion_main!(benches);
