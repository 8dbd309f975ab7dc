//! Plain data handed from one pipeline stage to the next.
//!
//! Nothing here knows about files, models or threads: the stages (input →
//! segment → parties → model → score → output) only exchange these values.

use serde::{Deserialize, Serialize};

/// The three stance labels, always in this order (contract).
pub const LABELS: [&str; 3] = ["condemn", "support", "ceasefire"];
pub const NUM_LABELS: usize = 3;
/// Index of `condemn` in [`LABELS`].
pub const CONDEMN: usize = 0;
/// Index of `support` in [`LABELS`].
pub const SUPPORT: usize = 1;
/// Index of `ceasefire` in [`LABELS`].
pub const CEASEFIRE: usize = 2;

/// One probability per label, in [`LABELS`] order.
pub type LabelScores = [f32; NUM_LABELS];

/// Where a record came from, for error messages and reject files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordOrigin {
    /// The input path as given (or `-` for standard input).
    pub file: String,
    /// 1-based line number for JSONL records; 0 for whole-file articles.
    pub line: u64,
}

impl std::fmt::Display for RecordOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// An article as read from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: String,
    pub text: String,
    /// Every input field other than `id` and `text`, passed through to the output.
    pub meta: serde_json::Map<String, serde_json::Value>,
    pub origin: RecordOrigin,
}

/// A sentence: byte offsets into its article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
}

/// A party named in a sentence; offsets are bytes in the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One output row: a (sentence, party) pair the pipeline scored (contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    pub doc_id: String,
    pub sentence_index: usize,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    pub party: String,
    pub mentions: Vec<Mention>,
    pub condemn: f64,
    pub support: f64,
    pub ceasefire: f64,
    pub labels: Vec<String>,
    /// Who holds the stance the labels express: a party id, `"author"` or
    /// `"other"`; `None` (JSON null) when `labels` is empty (contract).
    pub holder: Option<String>,
    pub model: String,
    pub meta: serde_json::Map<String, serde_json::Value>,
}

/// Scores are written rounded to this many decimals, so that output is
/// byte-identical across batch sizes and thread counts (float sums differ in
/// the last bits when the batch shape changes).
pub const SCORE_DECIMALS: i32 = 4;

pub fn round_score(p: f32) -> f64 {
    let scale = 10f64.powi(SCORE_DECIMALS);
    ((p as f64) * scale).round() / scale
}
