//! Output stage: writes score rows (JSONL or Parquet) and rejects, with
//! durable checkpoints so that an interrupted run can be resumed into output
//! that is byte-identical to an uninterrupted one.
//!
//! # Rows
//! One JSON object per line, keys in contract order: `doc_id`,
//! `sentence_index`, `start`, `end`, `sentence`, `party`, `mentions` (list of
//! `{text, start, end}`), `condemn`, `support`, `ceasefire`, `labels`,
//! `holder`, `model`, `meta`. Scores are already rounded by the scorer
//! ([`crate::types::round_score`]) and printed with serde_json's shortest
//! round-trip float formatting (`0.97`, `1.0`).
//!
//! # Files on disk for `-o OUT` (the resume format)
//! While a run is going, nothing is written to `OUT` itself, so a
//! complete-looking output exists only once the run has finished:
//! - `OUT.partial`: the rows written so far, as JSONL (also for Parquet
//!   output: rows are staged as JSONL and converted at the end, so resuming
//!   works the same for both formats).
//! - `OUT.rejects.jsonl.partial`: the rejects so far, one
//!   `{"file", "line", "reason"}` object per line (created at the first one).
//! - `OUT.state.json`: the last durable checkpoint,
//!   `{"version": 1, "fingerprint", "records_done", "rows_bytes",
//!   "rejects_bytes", "counters": {"articles", "sentences", "rows",
//!   "rejected"}, "finishing"}`. `records_done` counts input records consumed
//!   (articles and rejects); `rows_bytes`/`rejects_bytes` are the lengths of
//!   the two partial files that belong to those records.
//!
//! A checkpoint flushes and fsyncs both partial files, then replaces the state
//! file atomically (write `OUT.state.json.tmp`, fsync, rename, fsync the
//! directory). The state file is written when a run starts, so it exists
//! exactly while a run of `OUT` is unfinished.
//!
//! Resuming (`--resume`) reads the state, refuses a different `fingerprint`
//! (the caller's digest of inputs, model and options), truncates the partial
//! files to the committed lengths — dropping whatever was written after the
//! last checkpoint, half-written lines and power-loss garbage included — and
//! tells the caller how many input records to skip. Without `--resume`, an
//! existing state file is an error (nothing is overwritten by accident).
//!
//! Finishing first commits a last state with `"finishing": true`, then
//! publishes: `OUT.rejects.jsonl.partial` is renamed to `OUT.rejects.jsonl`
//! (when there was no reject, a stale `OUT.rejects.jsonl` of an earlier run
//! is removed, so that file exists exactly when this run rejected records);
//! then `OUT.partial` is renamed to `OUT` (JSONL), or converted to
//! `OUT.parquet.tmp` and renamed to `OUT` (Parquet); then the state file is
//! removed. An older complete `OUT` is thus replaced only at that moment.
//! If the process dies while publishing, `--resume` completes the publish and
//! reports that `OUT` is complete ([`PublishCompleted`]; `stance score` then
//! exits as the finished run would have).
//!
//! # Parquet columns
//! Same names as the JSON keys: `doc_id` Utf8, `sentence_index` Int64,
//! `start`/`end` Int64, `sentence` Utf8, `party` Utf8, `mentions`
//! List<Struct<text Utf8, start Int64, end Int64>>, `condemn`/`support`/
//! `ceasefire` Float64, `labels` List<Utf8>, `holder` Utf8 (null when
//! `labels` is empty), `model` Utf8, and `meta` Utf8
//! holding the meta object as compact JSON text (meta is free-form, so it has
//! no fixed column type). All integers are Int64 (signed) because many
//! Parquet readers handle unsigned types poorly. Only `holder` is nullable.
//! Snappy-compressed, one row group per [`PARQUET_ROWS_PER_GROUP`] rows (or
//! fewer when the rows are large), written while streaming the staged file so
//! memory stays bounded.
//!
//! # Standard output (`-o -`)
//! Rows go straight to standard output (buffered); a checkpoint only flushes
//! it and `--resume` is refused. Rejects go to `stance.rejects.jsonl` in the
//! current directory, staged and published the same way as for a file.

mod checkpoint;
mod parquet_file;
pub mod publish;
mod sink;

pub use sink::OutputSink;

pub use checkpoint::changed_parts;
use checkpoint::*;
pub use parquet_file::{jsonl_to_parquet, parquet_schema, read_jsonl_rows, rows_to_batch};

use publish::{parent_dir, sync_dir};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use arrow_array::builder::OffsetBufferBuilder;
use arrow_array::{
    ArrayRef, Float64Array, Int64Array, ListArray, RecordBatch, StringArray, StructArray,
};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};

use crate::types::{RecordOrigin, ScoreRow};

/// Version of the state file layout; bump on any incompatible change.
pub const STATE_VERSION: u32 = 1;

/// Rows per Parquet row group (bounded further by [`PARQUET_GROUP_BYTES`]).
pub const PARQUET_ROWS_PER_GROUP: usize = 64 * 1024;

/// Approximate bytes of staged JSON per Parquet row group, so that rows with
/// a large `meta` cannot make a row group (held in memory) huge.
pub const PARQUET_GROUP_BYTES: usize = 64 << 20;

/// Where rejects go when rows go to standard output.
pub const STDOUT_REJECTS_FILE: &str = "stance.rejects.jsonl";

/// Where the rows go: `-` is standard output, anything else a file; a
/// `.parquet` extension selects Parquet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    Stdout,
    File(PathBuf),
}

impl OutputTarget {
    /// From the `-o` argument.
    pub fn from_arg(arg: impl AsRef<Path>) -> OutputTarget {
        let path = arg.as_ref();
        if path.as_os_str() == "-" {
            OutputTarget::Stdout
        } else {
            OutputTarget::File(path.to_path_buf())
        }
    }

    pub fn is_parquet(&self) -> bool {
        match self {
            OutputTarget::Stdout => false,
            OutputTarget::File(path) => path.extension().is_some_and(|e| e == "parquet"),
        }
    }

    /// Where the rejects of a finished run are (if it rejected anything).
    pub fn rejects_path(&self) -> PathBuf {
        match self {
            OutputTarget::Stdout => PathBuf::from(STDOUT_REJECTS_FILE),
            OutputTarget::File(out) => with_suffix(out, ".rejects.jsonl"),
        }
    }
}

/// A malformed input record, written to the rejects file as
/// `{"file", "line", "reason"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub origin: RecordOrigin,
    pub reason: String,
}

/// The run's totals, committed with each checkpoint (for the summary of a
/// resumed run).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub articles: u64,
    pub sentences: u64,
    pub rows: u64,
    pub rejected: u64,
}

/// What a previous run had already committed: the caller skips the first
/// `records_done` input records and continues counting from `counters`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ResumePoint {
    pub records_done: u64,
    pub counters: Counters,
}

/// `--resume` of a run that had committed everything and was killed while
/// publishing: [`OutputSink::open`] has finished the publish, so `OUT` is
/// complete. Returned as an error (there is nothing to write), but the run
/// succeeded: `stance score` reports `counters` and exits as a finished run
/// would, so that a retry loop around `--resume` ends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{out} is already complete: the previous run had written everything and was interrupted while publishing it, which is now done")]
pub struct PublishCompleted {
    pub out: String,
    /// The finished run's totals.
    pub counters: Counters,
}

/// The contents of `OUT.state.json` (see the module comment).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    version: u32,
    fingerprint: String,
    records_done: u64,
    rows_bytes: u64,
    rejects_bytes: u64,
    counters: Counters,
    finishing: bool,
}

/// The files that belong to one output.
#[derive(Debug, Clone)]
struct Paths {
    /// `None` for standard output.
    out: Option<PathBuf>,
    rows_partial: PathBuf,
    rejects: PathBuf,
    rejects_partial: PathBuf,
    state: PathBuf,
    state_tmp: PathBuf,
    parquet_tmp: PathBuf,
}

impl Paths {
    fn new(target: &OutputTarget) -> Paths {
        let rejects = target.rejects_path();
        let rejects_partial = with_suffix(&rejects, ".partial");
        let out = match target {
            OutputTarget::Stdout => None,
            OutputTarget::File(out) => Some(out.clone()),
        };
        let base = out.clone().unwrap_or_else(|| PathBuf::from("stance"));
        Paths {
            rows_partial: with_suffix(&base, ".partial"),
            state: with_suffix(&base, ".state.json"),
            state_tmp: with_suffix(&base, ".state.json.tmp"),
            parquet_tmp: with_suffix(&base, ".tmp"),
            out,
            rejects,
            rejects_partial,
        }
    }

    fn dir(&self) -> &Path {
        parent_dir(&self.rows_partial)
    }
}
