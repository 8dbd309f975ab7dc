//! Data shared by the benchmarks: the news sentences of datasets/train and
//! datasets/dev (their `sentences` lists, ~880 in all), repeated and shuffled
//! with a fixed seed to any count, and dumps of articles built from them.
#![allow(dead_code)] // each bench uses a different part

use std::path::{Path, PathBuf};

use rand::seq::SliceRandom;
use rand::SeedableRng;

pub const SEED: u64 = 1234;

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn articles() -> Vec<serde_json::Value> {
    [
        "datasets/train/articles.jsonl",
        "datasets/dev/articles.jsonl",
    ]
    .iter()
    .flat_map(|p| {
        let text = std::fs::read_to_string(repo(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("article JSON"))
            .collect::<Vec<_>>()
    })
    .collect()
}

/// The full texts of the dataset articles.
pub fn article_texts() -> Vec<String> {
    articles()
        .iter()
        .map(|a| a["text"].as_str().expect("text").to_string())
        .collect()
}

/// `n` news sentences: the dataset's sentences repeated, shuffled with [`SEED`].
pub fn sentences(n: usize) -> Vec<String> {
    let pool: Vec<String> = articles()
        .iter()
        .flat_map(|a| {
            a["sentences"]
                .as_array()
                .expect("sentences")
                .iter()
                .map(|s| s.as_str().expect("sentence").to_string())
        })
        .filter(|s| !s.trim().is_empty())
        .collect();
    let mut out = Vec::with_capacity(n + pool.len());
    while out.len() < n {
        out.extend(pool.iter().cloned());
    }
    out.shuffle(&mut rand::rngs::StdRng::seed_from_u64(SEED));
    out.truncate(n);
    out
}

/// A JSONL dump of articles of `per_article` sentences each, `sentences` in all.
pub fn write_dump(path: &Path, sentences: usize, per_article: usize) {
    let mut text = String::new();
    for (i, chunk) in self::sentences(sentences).chunks(per_article).enumerate() {
        let record = serde_json::json!({ "id": format!("bench-{i:05}"), "text": chunk.join(" ") });
        text.push_str(&record.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The default encoder's directory in the local Hugging Face cache.
pub fn encoder_dir() -> PathBuf {
    stance::model::hub::cached(
        "sentence-transformers/all-MiniLM-L6-v2",
        &stance::model::hub::MODEL_FILES,
    )
    .expect("the default encoder is not in the Hugging Face cache: run `make setup` first")
}
