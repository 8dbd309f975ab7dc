//! The encoder alone (all-MiniLM-L6-v2, f32, CPU, mean pooling): forward
//! passes over the same 256 news sentences, length-sorted, at several batch
//! sizes and token budgets. Throughput in sentences/s. Threads: RAYON_NUM_THREADS.

mod common;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use stance::model::sentence_encoder::SentenceEncoder;
use stance::model::Encoded;

const SENTENCES: usize = 256;

fn encoder(c: &mut Criterion) {
    let mut model =
        SentenceEncoder::load(&common::encoder_dir(), &candle_core::Device::Cpu).unwrap();
    let sequences: Vec<Encoded> = common::sentences(SENTENCES)
        .iter()
        .map(|s| model.encode_text(s).unwrap())
        .collect();
    let refs: Vec<&Encoded> = sequences.iter().collect();
    let mut group = c.benchmark_group(format!("encoder_{}", model.engine_name()));
    group
        .throughput(Throughput::Elements(SENTENCES as u64))
        .sampling_mode(SamplingMode::Flat);
    for max_batch in [1, 8, 32, 64] {
        (model.max_batch, model.token_budget) = (max_batch, usize::MAX);
        group.bench_with_input(BenchmarkId::new("batch", max_batch), &refs, |b, refs| {
            b.iter(|| model.embed(refs).unwrap())
        });
    }
    for budget in [1024, 2048, 4096, 8192] {
        (model.max_batch, model.token_budget) = (SENTENCES, budget);
        group.bench_with_input(
            BenchmarkId::new("token_budget", budget),
            &refs,
            |b, refs| b.iter(|| model.embed(refs).unwrap()),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(4));
    targets = encoder
}
criterion_main!(benches);
