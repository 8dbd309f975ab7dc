//! Fuzzes the input reader (`src/input.rs`): JSONL, JSONL.gz (complete,
//! cut short, or not gzip at all), text files and a directory of several.
//!
//! The first byte picks the mode, the second (where used) where to cut.
//! Besides "never panics", plain JSONL is checked against an independent
//! reading of the documented format (one record per non-blank line, BOM and
//! CR removed, `id`/`text` strings, ids unique, other fields in `meta`), a
//! complete gzip must read exactly like the same bytes uncompressed, and a
//! gzip cut short must read as a prefix of that followed by an error.

#![no_main]

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use stance::input::{ArticleReader, InputError};
use stance::types::Article;

/// What an item says, without the file name (which differs between the
/// files the same content is written to).
#[derive(Debug, PartialEq)]
enum Seen {
    Ok { id: String, text: String, meta: Map<String, Value>, line: u64 },
    Err { line: u64 },
}

fn seen(item: &Result<Article, InputError>) -> Seen {
    match item {
        Ok(a) => Seen::Ok { id: a.id.clone(), text: a.text.clone(), meta: a.meta.clone(), line: a.origin.line },
        Err(e) => Seen::Err { line: e.origin.line },
    }
}

/// A scratch directory of this process, reused by every input.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("stance-fuzz-reader-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("d")).unwrap();
        dir
    })
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn read(paths: &[PathBuf]) -> Vec<Result<Article, InputError>> {
    ArticleReader::open(paths).expect("existing files of known types open").collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The documented JSONL format, read independently of `src/input.rs`.
fn expected_jsonl(bytes: &[u8]) -> Vec<Seen> {
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop(); // the newline ends the last line; it does not start one
    }
    for (i, raw) in lines.into_iter().enumerate() {
        let line_no = i as u64 + 1;
        let mut line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if i == 0 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = std::str::from_utf8(line)
            .ok()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .and_then(|v| match v {
                Value::Object(mut o) => {
                    let id = match o.shift_remove("id") {
                        Some(Value::String(s)) if !s.is_empty() => s,
                        _ => return None,
                    };
                    let text = match o.shift_remove("text") {
                        Some(Value::String(s)) => s,
                        _ => return None,
                    };
                    Some((id, text, o))
                }
                _ => None,
            })
            .filter(|(id, _, _)| ids.insert(id.clone()));
        out.push(match record {
            Some((id, text, meta)) => Seen::Ok { id, text, meta, line: line_no },
            None => Seen::Err { line: line_no },
        });
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 5 {
        // Plain JSONL against the independent reading.
        0 => {
            let items: Vec<Seen> = read(&[write("a.jsonl", rest)]).iter().map(seen).collect();
            assert_eq!(items, expected_jsonl(rest));
        }
        // Gzip of the rest, complete or cut at a point the next byte picks.
        1 => {
            let Some((&cut, body)) = rest.split_first() else { return };
            let plain: Vec<Seen> = read(&[write("a.jsonl", body)]).iter().map(seen).collect();
            let compressed = gzip(body);
            let keep = compressed.len() * cut as usize / 255;
            let items: Vec<Seen> = read(&[write("a.jsonl.gz", &compressed[..keep])]).iter().map(seen).collect();
            if keep == compressed.len() {
                assert_eq!(items, plain, "a complete gzip reads like its content");
            } else {
                // Whatever was decoded before the cut reads as in the plain
                // file; the cut itself is an error (never silently ignored).
                let first_err = items.iter().position(|i| matches!(i, Seen::Err { .. }));
                let good = first_err.unwrap_or(items.len());
                assert_eq!(&items[..good], &plain[..good.min(plain.len())]);
                assert!(first_err.is_some(), "gzip cut at {keep} of {} bytes read without error: {items:?}", compressed.len());
            }
        }
        // Arbitrary bytes named .jsonl.gz.
        2 => {
            let items = read(&[write("b.jsonl.gz", rest)]);
            // A broken stream is one error, and it ends the file.
            let breaks: Vec<usize> = (0..items.len())
                .filter(|&i| items[i].as_ref().is_err_and(|e| e.reason.contains("gzip")))
                .collect();
            assert!(breaks.is_empty() || breaks == [items.len() - 1], "{items:?}");
            if !rest.is_empty() && !rest.starts_with(&[0x1f, 0x8b]) {
                assert!(items.len() == 1 && breaks.len() == 1, "not gzip, yet read as {items:?}");
            }
        }
        // One article per text file: BOM removed, CRLF → LF, or an error.
        3 => {
            let items = read(&[write("t.txt", rest)]);
            assert_eq!(items.len(), 1);
            let body = rest.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rest);
            match (&items[0], std::str::from_utf8(body)) {
                (Ok(a), Ok(text)) => {
                    assert_eq!(a.id, "t");
                    assert_eq!(a.text, text.replace("\r\n", "\n"));
                }
                (Err(e), Err(_)) => assert!(e.reason.contains("UTF-8"), "{e}"),
                (got, utf8) => panic!("text file read as {got:?}, its UTF-8 check says {utf8:?}"),
            }
        }
        // A directory: two JSONL files and a text file; ids are unique across them.
        _ => {
            let Some((&cut, body)) = rest.split_first() else { return };
            let at = body.len() * cut as usize / 255;
            write("d/a.jsonl", &body[..at]);
            write("d/b.jsonl", &body[at..]);
            write("d/c.txt", &body[..at]);
            let items = read(&[scratch().join("d")]);
            let mut ids = HashSet::new();
            for item in items.iter().flatten() {
                assert!(ids.insert(item.id.clone()), "duplicate id {:?} was not rejected", item.id);
            }
            // Files are read in sorted order: a.jsonl, b.jsonl, c.txt (last item).
            let last = match items.last().expect("c.txt is one item") {
                Ok(a) => &a.origin,
                Err(e) => &e.origin,
            };
            assert!(last.file.ends_with("c.txt") && last.line == 0, "{last:?}");
        }
    }
});
