//! The text stages of `stance score`: sentence segmentation and party
//! matching (MB/s of text), and tokenization (sentences/s).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stance::parties::{PartyMatcher, PartySet};
use stance::score::{
    configure_tokenizer, encode_stance_input, load_tokenizer, InputOptions, ScoreRequest,
};
use stance::segment::{NewsSegmenter, Segmenter};

fn segmentation(c: &mut Criterion) {
    let texts = common::article_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let segmenter = NewsSegmenter;
    let mut group = c.benchmark_group("segmentation");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("dataset_articles", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| segmenter.split(t).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn party_matching(c: &mut Criterion) {
    let sentences = common::sentences(2000);
    let bytes: usize = sentences.iter().map(String::len).sum();
    let mut group = c.benchmark_group("party_matching");
    group.throughput(Throughput::Bytes(bytes as u64));
    for (name, parties) in [
        ("builtin_5_parties", PartySet::builtin()),
        ("extended_15_parties", PartySet::extended()),
    ] {
        let matcher = PartyMatcher::new(&parties).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                sentences
                    .iter()
                    .map(|s| matcher.find(s).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

fn tokenization(c: &mut Criterion) {
    let sentences = common::sentences(2000);
    let tokenizer = configure_tokenizer(
        load_tokenizer(&common::encoder_dir().join("tokenizer.json")).unwrap(),
        128,
    )
    .unwrap();
    let parties = PartySet::builtin();
    let matcher = PartyMatcher::new(&parties).unwrap();
    let mut group = c.benchmark_group("tokenization");
    group.throughput(Throughput::Elements(sentences.len() as u64));
    group.bench_function("sentence", |b| {
        b.iter(|| {
            sentences
                .iter()
                .map(|s| tokenizer.encode(s.as_str(), true).unwrap().len())
                .sum::<usize>()
        })
    });
    // What `stance score` tokenizes per sentence: "party [SEP] sentence" for every party.
    let mentions: Vec<_> = sentences.iter().map(|s| matcher.find(s)).collect();
    group.bench_function("stance_inputs_5_parties", |b| {
        b.iter(|| {
            let mut total = 0;
            for (sentence, found) in sentences.iter().zip(&mentions) {
                for (i, party) in parties.parties.iter().enumerate() {
                    let marks = found
                        .iter()
                        .find(|m| m.party == i)
                        .map(|m| m.mentions.as_slice())
                        .unwrap_or(&[]);
                    let request = ScoreRequest {
                        sentence,
                        previous: "",
                        party,
                        mentions: marks,
                    };
                    // The default model's input: the speaker cue is on.
                    let input = InputOptions {
                        speaker_cue: true,
                        ..InputOptions::default()
                    };
                    total += encode_stance_input(&tokenizer, &request, input)
                        .unwrap()
                        .len();
                }
            }
            total
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(3));
    targets = segmentation, party_matching, tokenization
}
criterion_main!(benches);
