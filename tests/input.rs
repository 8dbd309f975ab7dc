//! The input stage: accepted formats, ids, order, and one test per kind of
//! malformed input, checking that the error names the file, line and reason.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use stance::input::{ArticleReader, InputError};
use stance::types::Article;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn read_all(inputs: &[PathBuf]) -> Vec<Result<Article, InputError>> {
    ArticleReader::open(inputs).unwrap().collect()
}

fn read_one(file: &Path) -> Vec<Result<Article, InputError>> {
    read_all(&[file.to_path_buf()])
}

/// The only item of reading `file`, which must be an error.
fn single_error(file: &Path) -> InputError {
    let mut items = read_one(file);
    assert_eq!(items.len(), 1, "expected one item, got {items:?}");
    items.pop().unwrap().unwrap_err()
}

/// Checks an error's origin and that its message reads `FILE:LINE: ...reason...`.
fn assert_error(e: &InputError, file: &Path, line: u64, reason_part: &str) {
    let file = file.display().to_string();
    assert_eq!(e.origin.file, file);
    assert_eq!(e.origin.line, line);
    let shown = e.to_string();
    let prefix = if line == 0 {
        format!("{file}: ")
    } else {
        format!("{file}:{line}: ")
    };
    assert!(
        shown.starts_with(&prefix),
        "{shown:?} should start with {prefix:?}"
    );
    assert!(
        e.reason.contains(reason_part),
        "reason {:?} should contain {reason_part:?}",
        e.reason
    );
}

fn ids(items: &[Result<Article, InputError>]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i.as_ref()
                .map(|a| a.id.clone())
                .unwrap_or_else(|e| format!("ERR {e}"))
        })
        .collect()
}

// ---------------------------------------------------------------- accepted

#[test]
fn directory_of_text_files_sorted_with_relative_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    write(&root, "b.txt", b"Second.");
    write(&root, "a/z.md", b"Nested.");
    write(&root, "a.txt", b"First.");
    write(&root, "README.json", b"{}");
    write(&root, "notes.jsonl.bak", b"x");
    let mut reader = ArticleReader::open(std::slice::from_ref(&root)).unwrap();
    assert_eq!(reader.file_count(), 3);
    assert_eq!(
        reader.skipped_files(),
        &[root.join("README.json"), root.join("notes.jsonl.bak")]
    );
    let items: Vec<_> = reader.by_ref().collect();
    // Sorted by path component by component: directory `a` before `a.txt`.
    assert_eq!(ids(&items), vec!["a/z", "a", "b"]);
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.text, "Nested.");
    assert!(first.meta.is_empty());
    assert_eq!(first.origin.file, root.join("a/z.md").display().to_string());
    assert_eq!(first.origin.line, 0);
}

#[test]
fn explicit_text_file_id_is_its_name_without_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "sub/report.2024.txt", b"Text.");
    let items = read_all(&[file]);
    assert_eq!(ids(&items), vec!["report.2024"]);
}

#[test]
fn text_file_bom_stripped_and_crlf_normalised() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "a.txt",
        b"\xEF\xBB\xBFLine one.\r\nLine two.\r\n",
    );
    let article = read_all(&[file]).pop().unwrap().unwrap();
    assert_eq!(article.text, "Line one.\nLine two.\n");
}

#[test]
fn empty_text_file_is_an_article_with_empty_text() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "empty.txt", b"");
    let article = read_all(&[file]).pop().unwrap().unwrap();
    assert_eq!((article.id.as_str(), article.text.as_str()), ("empty", ""));
}

#[test]
fn jsonl_meta_keeps_other_fields_in_input_order() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "a.jsonl",
        br#"{"zeta": 1, "id": "x", "alpha": {"b": 2, "a": 1}, "text": "T", "mid": [true, null]}"#,
    );
    let article = read_one(&file).pop().unwrap().unwrap();
    assert_eq!(article.id, "x");
    assert_eq!(article.text, "T");
    assert_eq!(
        serde_json::to_string(&article.meta).unwrap(),
        r#"{"zeta":1,"alpha":{"b":2,"a":1},"mid":[true,null]}"#
    );
    assert_eq!(article.origin.file, file.display().to_string());
    assert_eq!(article.origin.line, 1);
}

#[test]
fn jsonl_bom_crlf_blank_lines_empty_text_and_nul() {
    let tmp = tempfile::tempdir().unwrap();
    let data = b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"one\"}\r\n\r\n   \t\n{\"id\":\"b\",\"text\":\"\"}\n{\"id\":\"c\",\"text\":\"x\\u0000y\"}";
    let file = write(tmp.path(), "a.jsonl", data);
    let items = read_all(&[file]);
    let articles: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    let got: Vec<_> = articles
        .iter()
        .map(|a| (a.id.as_str(), a.text.as_str(), a.origin.line))
        .collect();
    // Blank lines are not records, but still count for line numbers.
    assert_eq!(got, vec![("a", "one", 1), ("b", "", 4), ("c", "x\0y", 5)]);
}

#[test]
fn jsonl_very_long_line() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "word ".repeat(1_000_000); // 5 MB
    let line = serde_json::json!({"id": "long", "text": text}).to_string();
    let file = write(
        tmp.path(),
        "a.jsonl",
        format!("{line}\n{{\"id\":\"next\",\"text\":\"\"}}\n").as_bytes(),
    );
    let items = read_all(&[file]);
    assert_eq!(ids(&items), vec!["long", "next"]);
    assert_eq!(items[0].as_ref().unwrap().text.len(), 5_000_000);
}

#[test]
fn gzip_jsonl_with_several_members() {
    let tmp = tempfile::tempdir().unwrap();
    let mut data = gzip(b"{\"id\":\"a\",\"text\":\"A\"}\n");
    data.extend(gzip(b"{\"id\":\"b\",\"text\":\"B\"}\n"));
    let file = write(tmp.path(), "a.jsonl.gz", &data);
    assert_eq!(ids(&read_all(&[file])), vec!["a", "b"]);
}

#[test]
fn directory_reads_jsonl_and_gz_in_path_order() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "2.jsonl", b"{\"id\":\"two\",\"text\":\"\"}\n");
    write(
        tmp.path(),
        "1.jsonl.gz",
        &gzip(b"{\"id\":\"one\",\"text\":\"\"}\n"),
    );
    write(tmp.path(), "3.txt", b"three");
    assert_eq!(
        ids(&read_all(&[tmp.path().to_path_buf()])),
        vec!["one", "two", "3"]
    );
}

#[test]
fn inputs_are_read_in_the_order_given() {
    let tmp = tempfile::tempdir().unwrap();
    let b = write(tmp.path(), "b.txt", b"");
    let a = write(tmp.path(), "a.txt", b"");
    assert_eq!(ids(&read_all(&[b, a])), vec!["b", "a"]);
}

// ---------------------------------------------------------- open() errors

#[test]
fn missing_input_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let good = write(tmp.path(), "a.txt", b"");
    let missing = tmp.path().join("nope.jsonl");
    let err = ArticleReader::open(&[good, missing.clone()]).err().unwrap();
    assert!(
        format!("{err:#}").contains(&missing.display().to_string()),
        "{err:#}"
    );
}

#[test]
fn explicit_file_with_other_extension_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "data.json", b"{}");
    let err = ArticleReader::open(std::slice::from_ref(&file))
        .err()
        .unwrap();
    let message = format!("{err:#}");
    assert!(
        message.contains(&file.display().to_string()) && message.contains("unsupported"),
        "{message}"
    );
}

// ----------------------------------------------------------- record errors

#[test]
fn invalid_utf8_in_jsonl_names_byte_offset() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "a.jsonl",
        b"{\"id\":\"a\",\"text\":\"\"}\n{\"id\":\"b\",\"text\":\"ab\xFF\"}\n",
    );
    let items = read_one(&file);
    assert_eq!(items.len(), 2);
    assert_error(
        items[1].as_ref().unwrap_err(),
        &file,
        2,
        "invalid UTF-8 at byte offset 20 of the line",
    );
}

#[test]
fn invalid_utf8_in_text_file_names_byte_offset() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.txt", b"ok\n\xC3(");
    assert_error(
        &single_error(&file),
        &file,
        0,
        "invalid UTF-8 at byte offset 3 of the file",
    );
}

#[test]
fn malformed_json_gives_serde_message_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.jsonl", b"{\"id\": \"a\", \"text\": }\n");
    let e = single_error(&file);
    assert_error(&e, &file, 1, "malformed JSON at column 21: expected value");
}

#[test]
fn truncated_json_object() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.jsonl", b"{\"id\": \"a\", \"te\n");
    assert_error(&single_error(&file), &file, 1, "malformed JSON at column");
}

#[test]
fn non_object_values_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.jsonl", b"[1, 2]\n\"text\"\n42\nnull\n");
    let items = read_one(&file);
    let expected = [
        (1, "found an array"),
        (2, "found a string"),
        (3, "found a number"),
        (4, "found null"),
    ];
    for (item, (line, what)) in items.iter().zip(expected) {
        assert_error(
            item.as_ref().unwrap_err(),
            &file,
            line,
            &format!("expected a JSON object, {what}"),
        );
    }
    assert_eq!(items.len(), 4);
}

#[test]
fn missing_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.jsonl", b"{\"text\":\"t\"}\n{\"id\":\"a\"}\n");
    let items = read_one(&file);
    assert_error(
        items[0].as_ref().unwrap_err(),
        &file,
        1,
        "missing field \"id\"",
    );
    assert_error(
        items[1].as_ref().unwrap_err(),
        &file,
        2,
        "missing field \"text\"",
    );
}

#[test]
fn fields_of_the_wrong_type() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.jsonl", b"{\"id\":7,\"text\":\"t\"}\n{\"id\":\"a\",\"text\":[\"t\"]}\n{\"id\":null,\"text\":\"t\"}\n");
    let items = read_one(&file);
    assert_error(
        items[0].as_ref().unwrap_err(),
        &file,
        1,
        "field \"id\" must be a string, found a number",
    );
    assert_error(
        items[1].as_ref().unwrap_err(),
        &file,
        2,
        "field \"text\" must be a string, found an array",
    );
    assert_error(
        items[2].as_ref().unwrap_err(),
        &file,
        3,
        "field \"id\" must be a string, found null",
    );
}

#[test]
fn empty_id() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.jsonl", b"{\"id\":\"\",\"text\":\"t\"}\n");
    assert_error(&single_error(&file), &file, 1, "field \"id\" is empty");
}

#[test]
fn duplicate_id_in_one_file_names_first_occurrence() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "a.jsonl",
        b"{\"id\":\"x\",\"text\":\"1\"}\n\n{\"id\":\"x\",\"text\":\"2\"}\n",
    );
    let items = read_one(&file);
    assert!(items[0].is_ok());
    let first = format!("{}:1", file.display());
    assert_error(
        items[1].as_ref().unwrap_err(),
        &file,
        3,
        &format!("duplicate id \"x\" (first seen at {first})"),
    );
}

#[test]
fn duplicate_id_across_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let text = write(tmp.path(), "dir/x.txt", b"from a file");
    let jsonl = write(
        tmp.path(),
        "b.jsonl",
        b"{\"id\":\"y\",\"text\":\"\"}\n{\"id\":\"x\",\"text\":\"\"}\n",
    );
    let items = read_all(&[tmp.path().join("dir"), jsonl.clone()]);
    assert_eq!(items.len(), 3);
    let first = text.display().to_string();
    assert_error(
        items[2].as_ref().unwrap_err(),
        &jsonl,
        2,
        &format!("duplicate id \"x\" (first seen at {first})"),
    );
}

#[test]
fn duplicate_id_between_txt_and_md_in_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.md", b"");
    let txt = write(tmp.path(), "a.txt", b"");
    let items = read_all(&[tmp.path().to_path_buf()]);
    assert_error(
        items[1].as_ref().unwrap_err(),
        &txt,
        0,
        "duplicate id \"a\" (first seen at",
    );
}

#[test]
fn reading_continues_after_bad_records() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "a.jsonl",
        b"{\"id\":\"a\",\"text\":\"\"}\nnot json\n{\"id\":\"b\"}\n\xFF\n{\"id\":\"c\",\"text\":\"\"}\n",
    );
    let items = read_all(&[file]);
    let lines: Vec<_> = items
        .iter()
        .map(|i| {
            i.as_ref()
                .map(|a| a.origin.line)
                .unwrap_or_else(|e| e.origin.line)
        })
        .collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5]);
    let oks: Vec<_> = items.iter().map(Result::is_ok).collect();
    assert_eq!(oks, vec![true, false, false, false, true]);
}

// ------------------------------------------------------------- file errors

#[test]
fn truncated_gzip_keeps_records_read_and_moves_on() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    for i in 0..2000 {
        lines.push_str(&format!(
            "{{\"id\":\"r{i}\",\"text\":\"some text that compresses {i}\"}}\n"
        ));
    }
    let data = gzip(lines.as_bytes());
    let file = write(tmp.path(), "a.jsonl.gz", &data[..data.len() / 2]);
    let next = write(tmp.path(), "b.txt", b"after");
    let items = read_all(&[file.clone(), next]);
    let (last, rest) = items.split_last().unwrap();
    assert_eq!(last.as_ref().unwrap().id, "b");
    let (error, good) = rest.split_last().unwrap();
    assert!(good.len() > 10, "records before the break stay valid");
    assert!(good
        .iter()
        .enumerate()
        .all(|(i, a)| a.as_ref().unwrap().id == format!("r{i}")));
    let error = error.as_ref().unwrap_err();
    assert_error(
        error,
        &file,
        good.len() as u64 + 1,
        "corrupt or truncated gzip data",
    );
    assert!(error.reason.contains("the rest of the file was not read"));
}

#[test]
fn corrupt_gzip_is_one_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "a.jsonl.gz",
        b"{\"id\":\"a\",\"text\":\"not gzip\"}\n",
    );
    assert_error(
        &single_error(&file),
        &file,
        1,
        "corrupt or truncated gzip data",
    );
}

#[test]
fn unreadable_file_is_one_error_and_reading_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let gone = write(tmp.path(), "gone.jsonl", b"");
    let gone_txt = write(tmp.path(), "gone.txt", b"");
    let next = write(tmp.path(), "next.txt", b"");
    let reader = ArticleReader::open(&[gone.clone(), gone_txt.clone(), next]).unwrap();
    // Removed between open() and reading: the files cannot be opened.
    fs::remove_file(&gone).unwrap();
    fs::remove_file(&gone_txt).unwrap();
    let items: Vec<_> = reader.collect();
    assert_eq!(items.len(), 3);
    assert_error(items[0].as_ref().unwrap_err(), &gone, 0, "cannot open file");
    assert_error(
        items[1].as_ref().unwrap_err(),
        &gone_txt,
        0,
        "cannot read file",
    );
    assert_eq!(items[2].as_ref().unwrap().id, "next");
}

#[cfg(unix)]
#[test]
fn dangling_symlink_in_directory_is_reported_not_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let link = tmp.path().join("lost.jsonl");
    std::os::unix::fs::symlink(tmp.path().join("missing-target"), &link).unwrap();
    let items = read_all(&[tmp.path().to_path_buf()]);
    assert_eq!(items.len(), 1);
    assert_error(items[0].as_ref().unwrap_err(), &link, 0, "cannot open file");
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_directory_is_walked_once() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.txt", b"");
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("loop")).unwrap();
    assert_eq!(ids(&read_all(&[tmp.path().to_path_buf()])), vec!["a"]);
}
