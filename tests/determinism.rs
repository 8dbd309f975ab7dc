//! Determinism: the same input, model and options give byte-identical
//! output across runs, thread counts, batch sizes and token budgets, JSONL
//! and Parquet alike.
//!
//! Why it holds: the pipeline's windows and batches are formed from the
//! input alone (never from timing), the model runs each sequence the same
//! way whatever batch it is in (checked at the level of raw f32 scores
//! below), and scores are written rounded to `SCORE_DECIMALS` (4) decimals.

mod reliability_support;

use std::path::Path;

use candle_core::Device;
use reliability_support::{
    assert_success, record, repo, score_cmd, stderr, tiny_model, Rng, SENTENCES,
};
use stance::parties::{PartyMatcher, PartySet};
use stance::score::{ScoreRequest, Scorer};
use stance::segment::{NewsSegmenter, Segmenter};

/// Articles of very different lengths: many short ones, some with sentences
/// far over the model's 128 tokens (truncated), so batches mix lengths.
fn write_mixed_dump(path: &Path) {
    let mut rng = Rng::new(5);
    let mut lines = Vec::new();
    for i in 0..80 {
        let mut text = reliability_support::article_text(&mut rng);
        if i % 10 == 3 {
            let long: Vec<&str> = (0..40)
                .map(|_| rng.pick(SENTENCES).trim_end_matches(['.', '?']))
                .collect();
            text.push_str(&format!(" {}.", long.join(", and ")));
        }
        lines.push(record(i, &text));
    }
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Runs `stance score` on the inputs with extra options and environment;
/// returns the output file's bytes.
fn run(inputs: &[&Path], out: &Path, options: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let mut args: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(options);
    let mut cmd = score_cmd(&args);
    // Thread counts as users set them: RAYON_NUM_THREADS sizes both rayon
    // (article preparation) and candle's pool (the model) unless
    // CANDLE_NUM_THREADS is set.
    cmd.env_remove("RAYON_NUM_THREADS")
        .env_remove("CANDLE_NUM_THREADS");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let result = cmd.output().unwrap();
    assert_success(&result);
    assert!(
        stderr(&result).contains("truncated"),
        "the dump has over-long sentences: {}",
        stderr(&result)
    );
    std::fs::read(out).unwrap()
}

/// Extra arguments and environment variables of one run.
type Variant<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

#[test]
fn output_bytes_do_not_depend_on_threads_batches_or_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_mixed_dump(&dump);
    let sample = repo("datasets/samples/003_5d4ab75c97eb307c.txt");
    let inputs = [sample.as_path(), dump.as_path()];
    let out = dir.path().join("out.jsonl");
    let reference = run(&inputs, &out, &[], &[]);
    assert!(reference.len() > 100_000, "{} bytes", reference.len());
    let variants: &[Variant] = &[
        (&[], &[]), // the same command again
        (&[], &[("RAYON_NUM_THREADS", "1")]),
        (&[], &[("RAYON_NUM_THREADS", "2")]),
        (&[], &[("RAYON_NUM_THREADS", "3")]),
        (&["--batch-size", "1"], &[]),
        (&["--batch-size", "7"], &[("RAYON_NUM_THREADS", "1")]),
        (&["--batch-size", "256"], &[]),
        // A budget below the longest sequence: such a sequence runs alone.
        (&["--token-budget", "64"], &[]),
        (
            &["--token-budget", "100000", "--batch-size", "1000"],
            &[("RAYON_NUM_THREADS", "2")],
        ),
    ];
    for (options, env) in variants {
        let bytes = run(&inputs, &out, options, env);
        assert!(
            bytes == reference,
            "output differs with {options:?} {env:?}"
        );
    }
}

#[test]
fn parquet_bytes_are_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_mixed_dump(&dump);
    let out = dir.path().join("out.parquet");
    let first = run(&[&dump], &out, &[], &[("RAYON_NUM_THREADS", "1")]);
    let second = run(
        &[&dump],
        &out,
        &["--batch-size", "5"],
        &[("RAYON_NUM_THREADS", "2")],
    );
    assert!(first.starts_with(b"PAR1"));
    assert!(first == second, "Parquet output differs between runs");
}

/// The reason rounding is enough: the model's probability for a sequence
/// is the same f32, bit for bit, whatever batch it runs in (padding length,
/// batch size). Rounding to 4 decimals then only has to absorb nothing.
#[test]
fn raw_scores_do_not_depend_on_batch_composition() {
    let parties = PartySet::builtin();
    let matcher = PartyMatcher::new(&parties).unwrap();
    let load = || Scorer::load(Some(&tiny_model()), &Device::Cpu, &parties.templates).unwrap();
    let text = std::fs::read_to_string(repo("datasets/samples/001_83371cccb170d7fa.txt")).unwrap();
    let sentences: Vec<&str> = NewsSegmenter
        .split(&text)
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect();
    let mentions: Vec<_> = sentences.iter().map(|s| matcher.find(s)).collect();
    let mut requests = Vec::new();
    for (sentence, found) in sentences.iter().zip(&mentions) {
        for (index, party) in parties.parties.iter().enumerate() {
            let mentions = found
                .iter()
                .find(|f| f.party == index)
                .map(|f| f.mentions.as_slice())
                .unwrap_or(&[]);
            requests.push(ScoreRequest {
                sentence,
                previous: "",
                party,
                mentions,
            });
        }
    }
    let mut results = Vec::new();
    for (max_batch, token_budget) in [
        (1, 1),
        (3, 10_000),
        (32, 32 * 96),
        (64, 50),
        (1000, 1_000_000),
    ] {
        let scorer = load()
            .with_batch_limits(Some(max_batch), Some(token_budget))
            .unwrap();
        let scores = scorer.score(&requests).unwrap();
        let bits: Vec<[u32; 3]> = scores.iter().map(|s| s.labels.map(f32::to_bits)).collect();
        results.push(((max_batch, token_budget), bits));
    }
    let (first_shape, first) = &results[0];
    for (shape, bits) in &results[1..] {
        let differing = first.iter().zip(bits).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{differing} of {} requests score differently with batches {shape:?} than with {first_shape:?}", first.len());
    }
}
