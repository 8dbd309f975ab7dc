//! End to end: `stance score` (the release binary, default model, 5 built-in
//! parties, so 5 cross-encoder sequences per sentence) on a generated dump of
//! news sentences, against the encoder alone on exactly the sequences that
//! run scores, batched the same way. Prints sentences/s for both and their
//! ratio (the pipeline's overhead: reading, segmenting, matching,
//! tokenizing, writing, model loading).
//!
//! One timed run each, not criterion's ten samples: a 20k-sentence dump is
//! 100k sequences, minutes of encoder time. `STANCE_BENCH_SENTENCES` changes
//! the size (default 20000). Threads: RAYON_NUM_THREADS.

mod common;

use std::process::Command;
use std::time::Instant;

use stance::model::device::{self, DeviceChoice};
use stance::model::Encoded;
use stance::parties::{PartyMatcher, PartySet};
use stance::score::{ScoreRequest, Scorer};
use stance::segment::{NewsSegmenter, Segmenter};

/// Sequences per model window in `stance score` (src/pipeline.rs).
const WINDOW_SEQUENCES: usize = 2048;

fn main() {
    // `cargo bench -- FILTER` passes a filter; run only when it matches.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filter.is_empty()
        && !filter
            .iter()
            .any(|f| "score_end_to_end".contains(f.as_str()))
    {
        return;
    }
    let sentences: usize = std::env::var("STANCE_BENCH_SENTENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    common::write_dump(&dump, sentences, 10);
    let bytes = std::fs::metadata(&dump).unwrap().len();

    // The pipeline, as a user runs it.
    let out = dir.path().join("scored.jsonl");
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args([
            "score",
            dump.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
            "--device",
            "cpu",
        ])
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .expect("stance runs");
    let e2e_seconds = started.elapsed().as_secs_f64();
    let summary = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "stance score failed (is the default model there? `make setup`):\n{summary}"
    );
    let scored: usize = summary
        .split(", ")
        .find_map(|part| part.strip_suffix(" sentences").and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| panic!("no sentence count in {summary:?}"));

    // The encoder alone on the same sequences, prepared untimed.
    let parties = PartySet::builtin();
    let matcher = PartyMatcher::new(&parties).unwrap();
    let scorer = Scorer::load(
        None,
        &device::select(DeviceChoice::Cpu).unwrap(),
        &parties.templates,
    )
    .unwrap();
    let segmenter = NewsSegmenter;
    let mut sequences: Vec<Encoded> = Vec::new();
    let mut counted = 0;
    for line in std::fs::read_to_string(&dump).unwrap().lines() {
        let text = serde_json::from_str::<serde_json::Value>(line).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string();
        let mut previous = "";
        for span in segmenter.split(&text) {
            counted += 1;
            let sentence = &text[span.start..span.end];
            let found = matcher.find(sentence);
            for (i, party) in parties.parties.iter().enumerate() {
                let mentions = found
                    .iter()
                    .find(|m| m.party == i)
                    .map(|m| m.mentions.as_slice())
                    .unwrap_or(&[]);
                sequences.extend(
                    scorer
                        .encode(&ScoreRequest {
                            sentence,
                            previous,
                            party,
                            mentions,
                        })
                        .unwrap(),
                );
            }
            previous = sentence;
        }
    }
    assert_eq!(
        counted, scored,
        "the bench segments the dump as stance score does"
    );
    let refs: Vec<&Encoded> = sequences.iter().collect();
    let started = Instant::now();
    for window in refs.chunks(WINDOW_SEQUENCES) {
        std::hint::black_box(scorer.logits(window).unwrap());
    }
    let encoder_seconds = started.elapsed().as_secs_f64();

    let e2e_rate = scored as f64 / e2e_seconds;
    let encoder_rate = scored as f64 / encoder_seconds;
    println!(
        "score_end_to_end: {scored} sentences ({} sequences, {:.1} MB dump), {} threads",
        sequences.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );
    println!(
        "  stance score (binary, wall clock): {e2e_seconds:8.1} s  {e2e_rate:8.1} sentences/s"
    );
    println!("  encoder only (same sequences):     {encoder_seconds:8.1} s  {encoder_rate:8.1} sentences/s");
    println!(
        "  end-to-end / encoder-only throughput: {:.3}",
        e2e_rate / encoder_rate
    );
}
