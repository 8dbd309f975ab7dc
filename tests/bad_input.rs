//! Bad input never crashes `stance score`: each kind of garbage a real dump
//! holds gets either a correct result or a clear error (file, line, reason;
//! exit status 1, or 3 with `--skip-bad`), as the contract says. Correct
//! means: every row's `start`/`end` slice the article text (as read: BOM
//! removed, CRLF as LF) to its `sentence`, mentions slice it to their text,
//! and scores are probabilities.
//!
//! Runs the real binary with the tiny NLI fixture model; the two huge
//! articles use a one-party parties file so that they stay cheap to score
//! (every sentence is scored for every party).

mod reliability_support;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use reliability_support::{
    assert_clean_exit, assert_error, assert_success, read_rows, score, sibling, stderr,
};
use serde_json::Value;
use stance::segment::{NewsSegmenter, Segmenter};

/// Writes `bytes` to `dir/name` (creating subdirectories).
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `stance score INPUT -o DIR/out.jsonl EXTRA...`. A failed run leaves its
/// state for `--resume` (e.g. with `--skip-bad`), so a second run into the
/// same output passes `--resume`.
fn score_into(input: &Path, dir: &Path, extra: &[&str]) -> (Output, PathBuf) {
    let out = dir.join("out.jsonl");
    let mut args = vec![input.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend(extra);
    (score(&args), out)
}

/// Checks every row against the article texts (by doc id) and returns them.
fn checked_rows(out: &Path, texts: &HashMap<&str, String>) -> Vec<Value> {
    let rows = read_rows(out);
    for row in &rows {
        let doc = row["doc_id"].as_str().unwrap();
        let text = texts
            .get(doc)
            .unwrap_or_else(|| panic!("unexpected doc_id {doc}"))
            .as_bytes();
        let (start, end) = (
            row["start"].as_u64().unwrap() as usize,
            row["end"].as_u64().unwrap() as usize,
        );
        assert!(start < end && end <= text.len(), "{row}");
        assert_eq!(
            &text[start..end],
            row["sentence"].as_str().unwrap().as_bytes(),
            "start/end slice the sentence"
        );
        for m in row["mentions"].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert!(start <= s && s < e && e <= end, "{row}");
            assert_eq!(&text[s..e], m["text"].as_str().unwrap().as_bytes());
        }
        for label in ["condemn", "support", "ceasefire"] {
            assert!((0.0..=1.0).contains(&row[label].as_f64().unwrap()), "{row}");
        }
    }
    rows
}

fn summary_counts(out: &Output) -> String {
    stderr(out).lines().last().unwrap_or_default().to_string()
}

/// A parties file with one party, for the huge articles.
fn one_party(dir: &Path) -> PathBuf {
    write(
        dir,
        "one.toml",
        "[[party]]\nid = \"israel\"\nname = \"Israel\"\naliases = [\"Israel\"]\n",
    )
}

#[test]
fn empty_inputs_give_empty_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input, "empty.txt", "");
    write(&input, "bom_only.txt", "\u{FEFF}");
    write(&input, "spaces.md", " \n\t\r\n\u{00A0}\u{3000}\n");
    write(&input, "empty.jsonl", "");
    write(&input, "blank_lines.jsonl", "\n \n\r\n\t\n");
    write(&input, "empty_gzip.jsonl.gz", gzip(b""));
    write(
        &input,
        "records.jsonl",
        concat!(
            r#"{"id": "empty_text", "text": ""}"#,
            "\n",
            r#"{"id": "whitespace", "text": " \n\n\t \u00a0\u2003\r\n "}"#,
            "\n",
        ),
    );
    let (run, out) = score_into(&input, dir.path(), &[]);
    assert_success(&run);
    assert!(
        summary_counts(&run).contains("5 articles, 0 sentences, 0 rows"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        std::fs::read(out).unwrap(),
        b"",
        "an empty but complete output"
    );
}

#[test]
fn only_punctuation_is_scored_like_any_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let text = "?!... ;;; --- !!!\n\n«»“”\n...\n–—";
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", serde_json::json!({"id": "p", "text": text})),
    );
    let (run, out) = score_into(&input, dir.path(), &[]);
    assert_success(&run);
    checked_rows(&out, &HashMap::from([("p", text.to_string())]));
}

#[test]
fn nul_bytes_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Israel\0condemned Hamas.\0\0 Russia\u{0} agreed.\n\0";
    let input = dir.path().join("in");
    write(&input, "nul.txt", text);
    write(
        &input,
        "nul_json.jsonl",
        format!("{}\n", serde_json::json!({"id": "escaped", "text": text})),
    );
    let (run, out) = score_into(&input, dir.path(), &[]);
    assert_success(&run);
    let rows = checked_rows(
        &out,
        &HashMap::from([("nul", text.to_string()), ("escaped", text.to_string())]),
    );
    assert!(
        rows.iter()
            .any(|r| r["doc_id"] == "nul" && r["party"] == "hamas"),
        "mentions next to NUL are found"
    );
    assert!(rows
        .iter()
        .any(|r| r["doc_id"] == "escaped" && r["party"] == "russia"));
}

#[test]
fn invalid_utf8_is_a_clear_error_or_a_reject() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "bad.txt", b"Israel \xff\xfe condemned Hamas.");
    let (run, out) = score_into(&txt, dir.path(), &[]);
    assert_error(&run, &["bad.txt", "invalid UTF-8 at byte offset 7"]);
    assert!(!out.exists(), "no complete-looking output after an error");

    let jsonl = write(dir.path(), "bad.jsonl", b"{\"id\": \"a\", \"text\": \"Israel.\"}\n{\"id\": \"b\", \"text\": \"caf\xe9\"}\n{\"id\": \"c\", \"text\": \"Hamas.\"}\n");
    let jsonl_dir = dir.path().join("jsonl");
    std::fs::create_dir_all(&jsonl_dir).unwrap();
    let (run, _) = score_into(&jsonl, &jsonl_dir, &[]);
    assert_error(&run, &["bad.jsonl:2", "invalid UTF-8"]);

    // The failed run can be resumed, recording the bad record this time.
    let (run, out) = score_into(&jsonl, &jsonl_dir, &["--skip-bad", "--resume"]);
    assert_clean_exit(&run);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    let rows = checked_rows(
        &out,
        &HashMap::from([("a", "Israel.".to_string()), ("c", "Hamas.".to_string())]),
    );
    assert!(
        rows.iter().any(|r| r["doc_id"] == "c"),
        "records after the bad one are scored"
    );
    let rejects = read_rows(&sibling(&out, ".rejects.jsonl"));
    assert_eq!((rejects.len(), rejects[0]["line"].as_u64()), (1, Some(2)));
}

#[test]
fn bom_and_crlf_give_the_same_rows_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let plain =
        "Israel strikes Gaza\n\nHamas fired rockets. Russia called for talks.\nThe US disagreed.\n";
    let windows = format!("\u{FEFF}{}", plain.replace('\n', "\r\n"));
    let record = |text: &str| serde_json::json!({"id": "doc", "text": text}).to_string();
    let cases: [(&str, String, String); 2] = [
        ("article.txt", plain.to_string(), windows.clone()),
        // JSONL: a BOM before the first record and CRLF line ends (the text itself stays as given).
        (
            "dump.jsonl",
            format!(
                "{}\n{}\n",
                record(plain),
                serde_json::json!({"id": "two", "text": "Hamas."})
            ),
            format!(
                "\u{FEFF}{}\r\n{}\r\n",
                record(plain),
                serde_json::json!({"id": "two", "text": "Hamas."})
            ),
        ),
    ];
    for (name, unix, dos) in cases {
        let mut outputs = Vec::new();
        for (sub, content) in [("unix", &unix), ("dos", &dos)] {
            let input = write(dir.path(), &format!("{sub}/{name}"), content);
            let (run, out) = score_into(&input, &dir.path().join(sub), &[]);
            assert_success(&run);
            outputs.push(std::fs::read(out).unwrap());
        }
        assert!(!outputs[0].is_empty());
        assert!(
            outputs[0] == outputs[1],
            "{name}: BOM/CRLF changed the output"
        );
    }
}

#[test]
fn right_to_left_mixed_scripts_and_emoji() {
    let dir = tempfile::tempdir().unwrap();
    let text = concat!(
        "ישראל תקפה את עזה. Israel said Hamas fired first 🚀🔥.\n",
        "قالت حماس إن Israel انتهكت الهدنة. Россия призвала к прекращению огня, Russia said.\n",
        "👨‍👩‍👧‍👦 Families 🇵🇸🇮🇱 fled; the U.S. \u{200F}condemned\u{200E} it. 停火！Hamas？\n",
        "Cafe\u{301} talks: the Palestinians\u{200B} met Netanyahu\u{FE0F}. ",
    );
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", serde_json::json!({"id": "mixed", "text": text})),
    );
    let (run, out) = score_into(&input, dir.path(), &[]);
    assert_success(&run);
    let rows = checked_rows(&out, &HashMap::from([("mixed", text.to_string())]));
    for party in ["israel", "hamas", "russia", "united_states", "palestinians"] {
        assert!(
            rows.iter()
                .any(|r| r["party"] == party && !r["mentions"].as_array().unwrap().is_empty()),
            "{party} is found in the mixed text"
        );
    }
}

#[test]
fn over_long_sentence_is_truncated_for_the_model_and_still_gets_its_row() {
    // Far over the tiny model's 128 positions; the row carries the whole
    // sentence and its offsets, the summary counts the truncation.
    let dir = tempfile::tempdir().unwrap();
    let words: Vec<String> = (0..600).map(|i| format!("word{i}")).collect();
    let sentence = format!("Hamas {} ended.", words.join(" "));
    let text = format!("Short one about Israel. {sentence} Russia agreed.");
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", serde_json::json!({"id": "long", "text": text})),
    );
    let (run, out) = score_into(&input, dir.path(), &[]);
    assert_success(&run);
    assert!(stderr(&run).contains("truncated"), "{}", stderr(&run));
    let rows = checked_rows(&out, &HashMap::from([("long", text.clone())]));
    let row = rows
        .iter()
        .find(|r| r["party"] == "hamas" && r["sentence_index"] == 1)
        .expect("a row for the long sentence");
    assert_eq!(row["sentence"].as_str().unwrap(), sentence);
    assert!(
        rows.iter()
            .any(|r| r["party"] == "russia" && r["sentence_index"] == 2),
        "the sentence after it is scored"
    );
}

#[test]
fn jsonl_trailing_garbage_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"id": "a", "text": "Israel."}"#;
    let cases: [(&str, String, u64); 4] = [
        ("after_record.jsonl", format!("{good} trailing words\n"), 1),
        (
            "second_object.jsonl",
            format!("{good}{{\"id\": \"b\"}}\n"),
            1,
        ),
        ("end_of_file.jsonl", format!("{good}\n\0\0\u{1}garbage"), 2),
        (
            "cut_record.jsonl",
            format!("{good}\n{{\"id\": \"b\", \"te"),
            2,
        ),
    ];
    for (name, content, line) in cases {
        let case_dir = dir.path().join(name);
        let input = write(&case_dir, name, &content);
        let (run, out) = score_into(&input, &case_dir, &[]);
        assert_error(&run, &[&format!("{name}:{line}"), "malformed JSON"]);
        assert!(!out.exists());
        let (run, out) = score_into(&input, &case_dir, &["--skip-bad", "--resume"]);
        assert_eq!(run.status.code(), Some(3), "{name}: {}", stderr(&run));
        let rejects = read_rows(&sibling(&out, ".rejects.jsonl"));
        assert_eq!(rejects.len(), 1, "{name}");
        assert_eq!(rejects[0]["line"].as_u64(), Some(line));
        let rows = checked_rows(&out, &HashMap::from([("a", "Israel.".to_string())]));
        if line == 2 {
            assert!(
                rows.iter().any(|r| r["doc_id"] == "a"),
                "{name}: the good record before the garbage is scored"
            );
        }
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn gzip_that_ends_early_is_an_error_after_the_records_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    let mut texts = HashMap::new();
    for i in 0..300 {
        let text = format!(
            "Israel and Hamas, article {i}, with some words to compress {}.",
            i * 7919 % 1000
        );
        jsonl.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": format!("d{i}"), "text": text})
        ));
        texts.insert(format!("d{i}"), text);
    }
    let full = gzip(jsonl.as_bytes());
    let input = write(dir.path(), "dump.jsonl.gz", &full[..full.len() * 2 / 3]);
    let (run, out) = score_into(&input, dir.path(), &[]);
    assert_error(&run, &["dump.jsonl.gz", "truncated gzip"]);
    assert!(!out.exists());

    let (run, out) = score_into(&input, dir.path(), &["--skip-bad", "--resume"]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    let texts: HashMap<&str, String> = texts.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let rows = checked_rows(&out, &texts);
    let docs: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["doc_id"].as_str().unwrap()).collect();
    assert!(
        docs.len() > 50 && docs.len() < 300,
        "the records before the cut are scored: {}",
        docs.len()
    );
    let rejects = read_rows(&sibling(&out, ".rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert!(
        rejects[0]["reason"].as_str().unwrap().contains("gzip"),
        "{rejects:?}"
    );
}

#[test]
fn five_megabyte_single_line_article() {
    // One JSONL line of 5 MB and the same text as a .txt without a newline:
    // long sentences of words (truncated for the model) naming the party.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::with_capacity(5_300_000);
    let mut i = 0;
    while text.len() < 5_000_000 {
        text.push_str(&format!("Israel said {i}: "));
        text.push_str(&"and more words in a very long sentence ".repeat(2_600));
        text.push_str("and it ended. ");
        i += 1;
    }
    let text = text.trim_end().to_string();
    let input = dir.path().join("in");
    write(
        &input,
        "big.jsonl",
        format!("{}\n", serde_json::json!({"id": "big_json", "text": text})),
    );
    write(&input, "big_txt.txt", &text);
    let parties = one_party(dir.path());
    let (run, out) = score_into(
        &input,
        dir.path(),
        &["--parties", parties.to_str().unwrap()],
    );
    assert_success(&run);
    let rows = checked_rows(
        &out,
        &HashMap::from([("big_json", text.clone()), ("big_txt", text.clone())]),
    );
    assert_eq!(
        rows.len(),
        2 * i,
        "one row per sentence (each names Israel) per article"
    );
}

/// An article of `n` short sentences, every fourth naming Israel. (Each of
/// these splits as one sentence; "said no." would not, "no." being taken
/// for the abbreviation of "number".)
fn many_sentences(n: usize) -> String {
    let sentences = [
        "Israel said yes.",
        "Officials agreed.",
        "Was it over?",
        "Nobody knew!",
    ];
    (0..n)
        .map(|i| sentences[i % 4])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scores a one-article dump of `n` sentences and checks every row.
fn score_many_sentences(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let text = many_sentences(n);
    let input = write(
        dir.path(),
        "many.jsonl",
        format!("{}\n", serde_json::json!({"id": "many", "text": text})),
    );
    let parties = one_party(dir.path());
    let (run, out) = score_into(
        &input,
        dir.path(),
        &[
            "--parties",
            parties.to_str().unwrap(),
            "--batch-size",
            "256",
        ],
    );
    assert_success(&run);
    assert!(
        summary_counts(&run).contains(&format!("1 articles, {n} sentences")),
        "{}",
        stderr(&run)
    );
    let rows = checked_rows(&out, &HashMap::from([("many", text.clone())]));
    let mentioned = rows
        .iter()
        .filter(|r| !r["mentions"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(mentioned, n / 4, "every sentence naming Israel has its row");
}

#[test]
fn hundred_thousand_sentence_article_splits_and_matches() {
    // The stages before the model, at full size: 100k sentences, in order,
    // each naming the party where it should.
    let text = many_sentences(100_000);
    let spans = NewsSegmenter.split(&text);
    assert_eq!(spans.len(), 100_000);
    let parties = stance::parties::PartySet::builtin();
    let matcher = stance::parties::PartyMatcher::new(&parties).unwrap();
    let mut mentioned = 0;
    for (i, span) in spans.iter().enumerate() {
        let found = matcher.find(&text[span.start..span.end]);
        assert_eq!(found.len(), usize::from(i % 4 == 0), "sentence {i}");
        mentioned += found.len();
    }
    assert_eq!(mentioned, 25_000);
}

#[test]
fn ten_thousand_sentence_article_is_scored() {
    score_many_sentences(10_000);
}

/// The full 100k-sentence article through the binary: 300k model sequences
/// even with one party, about a minute on 2 cores, hence not in the default
/// run (`cargo test --release --test bad_input -- --ignored`).
#[test]
#[ignore]
fn hundred_thousand_sentence_article_is_scored() {
    score_many_sentences(100_000);
}
