//! Input stage: turns the `INPUT...` arguments of `stance score` into a
//! stream of [`Article`]s, one per input record, in a fixed order.
//!
//! What is read (see the contract):
//! - `*.txt` / `*.md`: one article per file. Its id is the path relative to
//!   the directory that was given (or the file name, when the file itself was
//!   given), without the extension, with `/` separators; `meta` is empty.
//!   A leading UTF-8 BOM is removed and CRLF line ends become LF, so the same
//!   article saved on Windows or Unix gives the same text and offsets.
//! - `*.jsonl` / `*.jsonl.gz`: one article per line,
//!   `{"id": str, "text": str, ...}`; every other field goes to `meta` in input
//!   key order. A BOM at the start of the file and a `\r` before each `\n`
//!   are removed; blank (whitespace-only) lines are not records and are
//!   skipped silently. Gzip input may hold several members (`cat a.gz b.gz`).
//! - `-`: JSONL on standard input.
//!
//! Directories are walked recursively; their files are read in sorted path
//! order (component by component, byte order), which makes runs reproducible
//! and `--resume` possible. Inside a directory only the extensions above are
//! read and the other files are listed by [`ArticleReader::skipped_files`];
//! a file named explicitly with another extension is an error.
//! [`ArticleReader::open`] checks all of this up front, before any record is
//! read, so a typo in a path fails at once rather than after hours.
//!
//! Bad records never panic and never stop the stream: the iterator yields an
//! [`InputError`] (file, 1-based line, reason) for that record and continues
//! with the next one, so that `--skip-bad` can write a reject and go on. A
//! file that cannot be opened, or whose gzip/read stream breaks, yields one
//! error and the reader moves to the next file (records read from it before
//! the break stay valid). The sequence of items, errors included, depends
//! only on the input bytes: `--resume` skips the first N items of a rerun.
//!
//! Memory stays bounded: JSONL is streamed one line at a time (a line longer
//! than [`MAX_LINE_BYTES`] is rejected without being held), and the only
//! per-record state kept is the set of ids seen so far, needed because ids
//! must be unique across all inputs of a run.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};

use crate::types::{Article, RecordOrigin};

mod files;
mod lines;
mod records;

use files::*;
use lines::*;
pub use records::articles_from_json_records;
use records::*;

/// Lines longer than this are rejected (and skipped without being stored),
/// so that a corrupt file without newlines cannot exhaust memory. Real
/// articles are far smaller (a 5 MB line is fine).
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// The file extensions that are read, longest first (`.jsonl.gz` before any
/// shorter suffix would match).
const TEXT_EXTENSIONS: [&str; 2] = [".txt", ".md"];
const JSONL_EXTENSION: &str = ".jsonl";
const JSONL_GZ_EXTENSION: &str = ".jsonl.gz";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A record that could not be read. Displays as `FILE:LINE: REASON`
/// (`FILE: REASON` for whole-file errors, where the line is 0).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct InputError {
    pub origin: RecordOrigin,
    pub reason: String,
}

/// How one input file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// One article per file.
    Text,
    Jsonl,
    JsonlGz,
    Stdin,
}

/// One file to read, in run order.
#[derive(Debug)]
struct Source {
    path: PathBuf,
    /// How the file is named in errors and rejects.
    display: String,
    format: Format,
    /// For [`Format::Text`]: the article id derived from the path.
    text_id: String,
}

/// The JSONL file being read: its line reader and the last line number.
struct OpenJsonl {
    source: usize,
    reader: Box<dyn BufRead + Send>,
    line: u64,
    buf: Vec<u8>,
}

/// Streams the articles of all inputs, in order. See the module comment.
pub struct ArticleReader {
    sources: Vec<Source>,
    next_source: usize,
    current: Option<OpenJsonl>,
    /// id → where it was first seen (source index, line), to name the first
    /// occurrence of a duplicate without storing a file name per record.
    seen: HashMap<String, (usize, u64)>,
    skipped: Vec<PathBuf>,
}

impl ArticleReader {
    /// Expands directories (recursive, sorted by path) and checks that every
    /// input exists and has a readable type, before anything is read.
    pub fn open(inputs: &[PathBuf]) -> anyhow::Result<ArticleReader> {
        let mut sources = Vec::new();
        let mut skipped = Vec::new();
        for input in inputs {
            if input.as_os_str() == "-" {
                sources.push(Source {
                    path: input.clone(),
                    display: "-".to_string(),
                    format: Format::Stdin,
                    text_id: String::new(),
                });
                continue;
            }
            let meta = fs::metadata(input)
                .with_context(|| format!("input {}: cannot access it", input.display()))?;
            if meta.is_dir() {
                add_directory(input, &mut sources, &mut skipped)?;
            } else {
                let name = file_name(input);
                match classify(&name) {
                    Some((format, stem)) => sources.push(Source {
                        path: input.clone(),
                        display: input.display().to_string(),
                        format,
                        text_id: stem.to_string(),
                    }),
                    None => bail!(
                        "input {}: unsupported file type (expected a directory, -, \
                         or a file ending in .txt, .md, .jsonl or .jsonl.gz)",
                        input.display()
                    ),
                }
            }
        }
        Ok(ArticleReader {
            sources,
            next_source: 0,
            current: None,
            seen: HashMap::new(),
            skipped,
        })
    }

    /// Files found inside input directories that were not read because of
    /// their extension (for the run summary).
    pub fn skipped_files(&self) -> &[PathBuf] {
        &self.skipped
    }

    /// The number of files that will be read (after directory expansion).
    pub fn file_count(&self) -> usize {
        self.sources.len()
    }

    /// Reads one whole-file article.
    fn read_text_file(&mut self, index: usize) -> Result<Article, InputError> {
        let source = &self.sources[index];
        let origin = RecordOrigin {
            file: source.display.clone(),
            line: 0,
        };
        let err = |reason: String| InputError {
            origin: origin.clone(),
            reason,
        };
        let mut bytes =
            fs::read(&source.path).map_err(|e| err(format!("cannot read file: {e}")))?;
        let bom = strip_bom(&mut bytes);
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to() + bom;
            err(format!("invalid UTF-8 at byte offset {at} of the file"))
        })?;
        let text = if text.contains("\r\n") {
            text.replace("\r\n", "\n")
        } else {
            text
        };
        let id = source.text_id.clone();
        self.register_id(&id, index, 0).map_err(err)?;
        Ok(Article {
            id,
            text,
            meta: Map::new(),
            origin,
        })
    }

    /// Opens a JSONL source; a failure is the file's one error.
    fn open_jsonl(&self, index: usize) -> Result<OpenJsonl, InputError> {
        let source = &self.sources[index];
        let reader: Box<dyn BufRead + Send> = match source.format {
            Format::Stdin => Box::new(BufReader::new(io::stdin())),
            Format::Jsonl | Format::JsonlGz => {
                let file = File::open(&source.path).map_err(|e| InputError {
                    origin: RecordOrigin {
                        file: source.display.clone(),
                        line: 0,
                    },
                    reason: format!("cannot open file: {e}"),
                })?;
                if source.format == Format::JsonlGz {
                    Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(file))))
                } else {
                    Box::new(BufReader::new(file))
                }
            }
            Format::Text => unreachable!("text sources are read whole"),
        };
        Ok(OpenJsonl {
            source: index,
            reader,
            line: 0,
            buf: Vec::new(),
        })
    }

    /// The next item of the open JSONL file, or `None` at its end (the file
    /// is then closed). A read error ends the file after yielding it.
    fn next_from_jsonl(&mut self) -> Option<Result<Article, InputError>> {
        loop {
            let open = self.current.as_mut()?;
            // Do not keep a huge buffer alive after one huge line.
            if open.buf.capacity() > (8 << 20) {
                open.buf = Vec::new();
            }
            open.buf.clear();
            let read = read_line_capped(&mut open.reader, &mut open.buf, MAX_LINE_BYTES);
            let line_no = open.line + 1;
            let index = open.source;
            let origin = RecordOrigin {
                file: self.sources[index].display.clone(),
                line: line_no,
            };
            match read {
                Ok(LineRead::Eof) => {
                    self.current = None;
                    return None;
                }
                Err(e) => {
                    self.current = None;
                    let what = if self.sources[index].format == Format::JsonlGz {
                        "corrupt or truncated gzip data"
                    } else {
                        "read error"
                    };
                    let reason = format!("{what}: {e}; the rest of the file was not read");
                    return Some(Err(InputError { origin, reason }));
                }
                Ok(LineRead::TooLong) => {
                    open.line = line_no;
                    let reason =
                        format!("line is longer than the {} MiB limit", MAX_LINE_BYTES >> 20);
                    return Some(Err(InputError { origin, reason }));
                }
                Ok(LineRead::Line) => {
                    open.line = line_no;
                    let mut line = std::mem::take(&mut open.buf);
                    let result = self.parse_line(&mut line, index, origin);
                    if let Some(open) = self.current.as_mut() {
                        open.buf = line; // reuse the allocation
                    }
                    match result {
                        None => continue, // blank line
                        some => return some,
                    }
                }
            }
        }
    }

    /// Parses one JSONL line (without its `\n`). `None` for a blank line.
    fn parse_line(
        &mut self,
        line: &mut Vec<u8>,
        index: usize,
        origin: RecordOrigin,
    ) -> Option<Result<Article, InputError>> {
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let bom = if origin.line == 1 { strip_bom(line) } else { 0 };
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let err = |reason: String| InputError {
            origin: origin.clone(),
            reason,
        };
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(e) => {
                let at = e.valid_up_to() + bom;
                return Some(Err(err(format!(
                    "invalid UTF-8 at byte offset {at} of the line"
                ))));
            }
        };
        let result = parse_record(text)
            .and_then(|(id, text, meta)| {
                self.register_id(&id, index, origin.line)?;
                Ok(Article {
                    id,
                    text,
                    meta,
                    origin: origin.clone(),
                })
            })
            .map_err(err);
        Some(result)
    }

    /// Records a new id, or explains where it was seen before.
    fn register_id(&mut self, id: &str, source: usize, line: u64) -> Result<(), String> {
        if let Some(&(first_source, first_line)) = self.seen.get(id) {
            let first = RecordOrigin {
                file: self.sources[first_source].display.clone(),
                line: first_line,
            };
            return Err(duplicate_id_reason(id, &first));
        }
        self.seen.insert(id.to_string(), (source, line));
        Ok(())
    }
}

impl Iterator for ArticleReader {
    type Item = Result<Article, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_from_jsonl() {
                    return Some(item);
                }
                continue; // that file is done
            }
            let index = self.next_source;
            if index >= self.sources.len() {
                return None;
            }
            self.next_source += 1;
            if self.sources[index].format == Format::Text {
                return Some(self.read_text_file(index));
            }
            match self.open_jsonl(index) {
                Ok(open) => self.current = Some(open),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests;
