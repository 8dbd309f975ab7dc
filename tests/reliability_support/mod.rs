//! Helpers shared by the integration tests (`resume`, `determinism`,
//! `bad_input`, `model_files`, `runs`, `cli`, `output`): running the real binary with the tiny NLI
//! fixture model (2 layers, hidden size 32: fast enough for hundreds of
//! articles per second), a seeded random generator, and generated dumps.
#![allow(dead_code)] // each test file uses a different part of this

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_stance");

/// The columns of a scored row, in the contract's order (JSONL keys and
/// Parquet columns): written out here, not taken from the code under test.
pub const CONTRACT_COLUMNS: [&str; 14] = [
    "doc_id",
    "sentence_index",
    "start",
    "end",
    "sentence",
    "party",
    "mentions",
    "condemn",
    "support",
    "ceasefire",
    "labels",
    "holder",
    "model",
    "meta",
];

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The tiny random BERT NLI model of the parity fixtures (`max_position_embeddings` 128).
pub fn tiny_model() -> String {
    repo("tests/fixtures/parity/bert").display().to_string()
}

/// `stance score ARGS --model <tiny> --quiet`, offline, with one model
/// thread: candle's CPU thread pool spin-waits at every operation, which on
/// a busy 2-core machine (tests run in parallel) makes a tiny model several
/// times slower than one thread. `tests/determinism.rs` varies it.
pub fn score_cmd(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("score")
        .args(args)
        .args(["--model", &tiny_model(), "--quiet"]);
    cmd.env("HF_HUB_OFFLINE", "1")
        .env("CANDLE_NUM_THREADS", "1");
    cmd
}

pub fn score(args: &[&str]) -> Output {
    score_cmd(args).output().expect("stance runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A run that ended the way the contract allows: a status of 0–3, never a
/// panic (status 101) or a signal, and no panic message.
pub fn assert_clean_exit(out: &Output) {
    let message = stderr(out);
    assert!(!message.contains("panicked"), "panic: {message}");
    assert!(
        matches!(out.status.code(), Some(0..=3)),
        "status {:?}: {message}",
        out.status
    );
}

/// Exit status 0, with the error output in the failure message.
pub fn assert_success(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    assert_clean_exit(out);
}

/// Exit status 1 (an error) with a message containing every one of `parts`.
pub fn assert_error(out: &Output, parts: &[&str]) {
    assert_clean_exit(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected an error: {}",
        stderr(out)
    );
    let message = stderr(out);
    for part in parts {
        assert!(
            message.contains(part),
            "error message lacks {part:?}: {message}"
        );
    }
}

pub fn read_rows(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: bad row {l:?}: {e}", path.display()))
        })
        .collect()
}

/// `path` with `suffix` appended to its file name (`out.jsonl` → `out.jsonl.partial`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// SplitMix64: a tiny seeded generator, so that every "random" choice of a
/// test is the same on every run and machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Sentences of generated articles: party mentions and none, abbreviations,
/// quotes, other scripts and emoji, so the generated dumps exercise the
/// segmenter and matcher like news does.
pub const SENTENCES: &[&str] = &[
    "Israel condemned the rocket fire from Gaza.",
    "Hamas said the talks in Cairo had failed.",
    "The United States called for a humanitarian pause.",
    "Russia urged both sides to agree to a ceasefire.",
    "Palestinians fled toward the south of the Strip.",
    "Officials met again on Tuesday.",
    "Netanyahu vowed to continue the operation, the minister said.",
    "Moscow blamed Washington for the escalation.",
    "Mr. Blinken arrived in Tel Aviv at 5 p.m. local time.",
    "“We condemn these attacks,” the spokesman said.",
    "Aid convoys 🚚 waited at the Rafah crossing.",
    "الاحتلال الإسرائيلي يواصل القصف على غزة.",
    "Le Hamas a rejeté la proposition de trêve.",
    "Is a ceasefire possible?",
];

/// A short article: a title line, then one or two paragraphs.
pub fn article_text(rng: &mut Rng) -> String {
    let mut text = format!("{}\n\n", rng.pick(SENTENCES).trim_end_matches('.'));
    let paragraphs = 1 + rng.below(2);
    for p in 0..paragraphs {
        let sentences: Vec<&str> = (0..1 + rng.below(3))
            .map(|_| *rng.pick(SENTENCES))
            .collect();
        text.push_str(&sentences.join(" "));
        if p + 1 < paragraphs {
            text.push_str("\n\n");
        }
    }
    text
}

/// One JSONL record: id, text and two meta fields.
pub fn record(i: usize, text: &str) -> String {
    serde_json::json!({"id": format!("doc_{i:05}"), "text": text, "source": format!("feed-{}", i % 7), "n": i}).to_string()
}

/// Writes `n` generated articles as JSONL; every `bad_every`-th line (if
/// any) is a malformed record instead, for `--skip-bad`.
pub fn write_dump(path: &Path, n: usize, seed: u64, bad_every: Option<usize>) {
    let mut rng = Rng::new(seed);
    let mut out = String::new();
    for i in 0..n {
        if bad_every.is_some_and(|k| i % k == k - 1) {
            out.push_str(&format!("{{\"id\": \"bad_{i}\", \"text\": 42}}\n"));
            continue;
        }
        out.push_str(&record(i, &article_text(&mut rng)));
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}
