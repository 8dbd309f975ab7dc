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
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => return Some(Err(err(json_error_reason(&e)))),
        };
        let result = article_from_value(value)
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
            return Err(format!(
                "duplicate id {} (first seen at {first})",
                quote_for_message(id)
            ));
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

/// Articles from JSON records held in memory (the Python binding), with the
/// checks of a JSONL file: the fields, unique ids. Record `i` is named
/// `source:i+1` in errors, as line `i + 1` of a file would be.
pub fn articles_from_json_records(
    source: &str,
    records: &[String],
) -> Vec<Result<Article, InputError>> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let origin = RecordOrigin {
            file: source.to_string(),
            line: index as u64 + 1,
        };
        let parsed = serde_json::from_str::<Value>(record)
            .map_err(|e| json_error_reason(&e))
            .and_then(article_from_value)
            .and_then(|(id, text, meta)| {
                if let Some(first) = seen.get(&id) {
                    return Err(format!(
                        "duplicate id {} (first seen at {source}:{first})",
                        quote_for_message(&id)
                    ));
                }
                seen.insert(id.clone(), origin.line);
                Ok(Article {
                    id,
                    text,
                    meta,
                    origin: origin.clone(),
                })
            });
        out.push(parsed.map_err(|reason| InputError { origin, reason }));
    }
    out
}

/// Checks the fields of one JSONL record: `(id, text, meta)`.
fn article_from_value(value: Value) -> Result<(String, String, Map<String, Value>), String> {
    let mut object = match value {
        Value::Object(object) => object,
        other => {
            return Err(format!(
                "expected a JSON object, found {}",
                json_kind(&other)
            ))
        }
    };
    let id = take_string_field(&mut object, "id")?;
    if id.is_empty() {
        return Err("field \"id\" is empty".to_string());
    }
    let text = take_string_field(&mut object, "text")?;
    // `shift_remove` above kept the other keys in input order: that is `meta`.
    Ok((id, text, object))
}

fn take_string_field(object: &mut Map<String, Value>, key: &str) -> Result<String, String> {
    match object.shift_remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!(
            "field \"{key}\" must be a string, found {}",
            json_kind(&other)
        )),
        None => Err(format!("missing field \"{key}\"")),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde's message without its "at line 1 column N" tail (the line is the
/// file's line, given by the origin), with the column up front.
fn json_error_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&tail).unwrap_or(&message);
    format!("malformed JSON at column {}: {message}", e.column())
}

/// An id as it appears in a message: JSON-quoted, shortened if huge.
fn quote_for_message(id: &str) -> String {
    const MAX_CHARS: usize = 200;
    if id.chars().count() <= MAX_CHARS {
        return serde_json::to_string(id).unwrap_or_default();
    }
    let short: String = id.chars().take(MAX_CHARS).collect();
    format!("{}…", serde_json::to_string(&short).unwrap_or_default())
}

/// Removes a leading UTF-8 BOM; returns how many bytes were removed.
fn strip_bom(bytes: &mut Vec<u8>) -> usize {
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
        UTF8_BOM.len()
    } else {
        0
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The format a file name says, and the name without its extension.
fn classify(name: &str) -> Option<(Format, &str)> {
    if let Some(stem) = name.strip_suffix(JSONL_GZ_EXTENSION) {
        return Some((Format::JsonlGz, stem));
    }
    if let Some(stem) = name.strip_suffix(JSONL_EXTENSION) {
        return Some((Format::Jsonl, stem));
    }
    TEXT_EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .map(|stem| (Format::Text, stem))
}

/// Adds the readable files under `dir` (recursively, sorted by path) to
/// `sources` and the others to `skipped`.
fn add_directory(
    dir: &Path,
    sources: &mut Vec<Source>,
    skipped: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    let mut visited = HashSet::new();
    walk(dir, Path::new(""), &mut visited, &mut files)?;
    files.sort();
    for relative in files {
        let path = dir.join(&relative);
        let name = file_name(&relative);
        let Some((format, stem)) = classify(&name) else {
            skipped.push(path);
            continue;
        };
        // The id: relative path with `/` separators, minus the extension.
        let mut parts: Vec<String> = relative
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts.push(stem.to_string());
        sources.push(Source {
            display: path.display().to_string(),
            path,
            format,
            text_id: parts.join("/"),
        });
    }
    Ok(())
}

/// Collects the paths (relative to the walk's root) of all non-directory
/// entries under `root/relative`. Symlinks are followed; a directory reached
/// twice (a symlink loop) is walked once. An entry whose type cannot be read
/// (e.g. a dangling symlink) is still collected, so that reading it reports
/// the problem instead of dropping it silently.
fn walk(
    root: &Path,
    relative: &Path,
    visited: &mut HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let dir = root.join(relative);
    let canonical = fs::canonicalize(&dir)
        .with_context(|| format!("input {}: cannot access it", dir.display()))?;
    if !visited.insert(canonical) {
        return Ok(());
    }
    let entries = fs::read_dir(&dir)
        .with_context(|| format!("input {}: cannot list directory", dir.display()))?;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("input {}: cannot list directory", dir.display()))?;
        let child = relative.join(entry.file_name());
        match fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => walk(root, &child, visited, files)?,
            _ => files.push(child),
        }
    }
    Ok(())
}

enum LineRead {
    /// A line is in the buffer (without its `\n`).
    Line,
    /// The line was longer than the cap; it was consumed but not kept.
    TooLong,
    Eof,
}

/// Reads one line into `buf` (without the `\n`) like `read_until`, but never
/// holds more than `cap` bytes: a longer line is consumed and reported.
fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<LineRead> {
    let mut read_any = false;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            // End of input; a last line without `\n` still counts.
            return Ok(match (read_any, too_long) {
                (false, _) => LineRead::Eof,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        read_any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if buf.len() + chunk.len() > cap {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = newline.map_or(available.len(), |n| n + 1);
        reader.consume(used);
        if newline.is_some() {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// Reads everything left in a reader, for tests of the line reader.
#[cfg(test)]
fn read_all_lines(mut reader: impl BufRead, cap: usize) -> Vec<Result<String, &'static str>> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match read_line_capped(&mut reader, &mut buf, cap).unwrap() {
            LineRead::Eof => return out,
            LineRead::TooLong => out.push(Err("too long")),
            LineRead::Line => out.push(Ok(String::from_utf8(buf.clone()).unwrap())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reader_splits_lines_and_skips_long_ones() {
        // A tiny BufReader capacity forces lines to span several fills.
        let data: &[u8] = b"ab\nlonglongline\n\nlast";
        let reader = BufReader::with_capacity(3, data);
        let lines = read_all_lines(reader, 5);
        assert_eq!(
            lines,
            vec![
                Ok("ab".into()),
                Err("too long"),
                Ok("".into()),
                Ok("last".into())
            ]
        );
    }

    #[test]
    fn classify_names() {
        assert_eq!(classify("a.jsonl.gz"), Some((Format::JsonlGz, "a")));
        assert_eq!(classify("a.b.jsonl"), Some((Format::Jsonl, "a.b")));
        assert_eq!(classify("x.md"), Some((Format::Text, "x")));
        assert_eq!(classify("x.json"), None);
        assert_eq!(classify("x.gz"), None);
    }

    #[test]
    fn json_errors_keep_serde_message_and_column() {
        let e = serde_json::from_str::<Value>("{\"id\": }").unwrap_err();
        assert_eq!(
            json_error_reason(&e),
            "malformed JSON at column 8: expected value"
        );
    }

    #[test]
    fn reader_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<ArticleReader>();
    }
}
