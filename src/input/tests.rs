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
