//! Sentence segmentation against the hand-checked splits of the train, dev
//! and silver articles, and the span contract on the raw sample articles.
//!
//! `cargo test --test segmentation -- --nocapture` prints the F1 of each split.

use serde::Deserialize;
use stance::segment::{f1_from_counts, match_counts, NewsSegmenter, Segmenter};
use stance::types::SentenceSpan;

/// Segmentation F1 each split must reach.
const MIN_F1: f64 = 0.97;

const DATASETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets");

#[derive(Deserialize)]
struct Article {
    id: String,
    text: String,
    sentences: Vec<String>,
}

fn read_articles(split: &str) -> Vec<Article> {
    let path = format!("{DATASETS}/{split}/articles.jsonl");
    let jsonl = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1))
        })
        .collect()
}

/// Spans are in order, do not overlap, and each slices `text` to a non-empty
/// trimmed sentence; nothing but whitespace lies outside them.
fn assert_span_contract(name: &str, text: &str, spans: &[SentenceSpan]) {
    let mut covered = 0;
    for span in spans {
        assert!(
            covered <= span.start && span.start < span.end && span.end <= text.len(),
            "{name}: span {span:?} overlaps, is empty or is out of order"
        );
        let sentence = text
            .get(span.start..span.end)
            .unwrap_or_else(|| panic!("{name}: span {span:?} is not on char boundaries"));
        assert_eq!(
            sentence,
            sentence.trim(),
            "{name}: span {span:?} is not trimmed"
        );
        let gap = &text[covered..span.start];
        assert!(
            gap.trim().is_empty(),
            "{name}: text dropped before {span:?}: {gap:?}"
        );
        covered = span.end;
    }
    let tail = &text[covered..];
    assert!(
        tail.trim().is_empty(),
        "{name}: text dropped at the end: {tail:?}"
    );
}

/// Segments every article of `split`, checks the span contract and returns
/// the split's F1 over summed counts.
fn split_f1(split: &str) -> f64 {
    let (mut matched, mut predicted, mut gold) = (0, 0, 0);
    for article in read_articles(split) {
        let spans = NewsSegmenter.split(&article.text);
        assert_span_contract(&article.id, &article.text, &spans);
        let sentences: Vec<&str> = spans
            .iter()
            .map(|s| &article.text[s.start..s.end])
            .collect();
        let expected: Vec<&str> = article.sentences.iter().map(String::as_str).collect();
        let (m, p, g) = match_counts(&sentences, &expected);
        matched += m;
        predicted += p;
        gold += g;
    }
    let f1 = f1_from_counts(matched, predicted, gold);
    println!(
        "segmentation F1 {split} = {f1:.4} (matched/predicted/gold = {matched}/{predicted}/{gold})"
    );
    f1
}

#[test]
fn train_split_f1() {
    let f1 = split_f1("train");
    assert!(f1 >= MIN_F1, "train segmentation F1 {f1:.4} < {MIN_F1}");
}

#[test]
fn dev_split_f1() {
    let f1 = split_f1("dev");
    assert!(f1 >= MIN_F1, "dev segmentation F1 {f1:.4} < {MIN_F1}");
}

#[test]
fn silver_split_f1() {
    let f1 = split_f1("silver");
    assert!(f1 >= MIN_F1, "silver segmentation F1 {f1:.4} < {MIN_F1}");
}

/// Boilerplate of flattened news pages stands on its own: a navigation
/// trail before a byline, a caption label, a credit in brackets at the end
/// of a line, a quote's speaker after it, a day and month before a full stop.
#[test]
fn news_boilerplate_rules() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "Home > News > Middle East By Staff Writer | 31 July 2024",
            &[
                "Home > News > Middle East",
                "By Staff Writer | 31 July 2024",
            ],
        ),
        (
            "By our correspondent Photo: Ministers meet in Cairo.",
            &["By our correspondent", "Photo: Ministers meet in Cairo."],
        ),
        (
            "Opinion: a hard week for\nOpinion > World > Europe",
            &["Opinion: a hard week for", "Opinion > World > Europe"],
        ),
        (
            "The talks ended in Doha. (Photo: Reuters)\nThe next round is in May.",
            &[
                "The talks ended in Doha. (Photo: Reuters)",
                "The next round is in May.",
            ],
        ),
        (
            "'Who can stop this?' Nasrallah asked, pointing at Washington.",
            &["'Who can stop this?' Nasrallah asked, pointing at Washington."],
        ),
        (
            "They voted on 28 May. Israel answered within hours.",
            &["They voted on 28 May.", "Israel answered within hours."],
        ),
    ];
    for (text, expected) in cases {
        let found: Vec<&str> = NewsSegmenter
            .split(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(found, expected, "{text:?}");
    }
}

#[test]
fn raw_samples_keep_the_span_contract() {
    let dir = format!("{DATASETS}/samples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.expect("readable samples directory").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no sample articles in {dir}");
    for path in paths {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let spans = NewsSegmenter.split(&text);
        assert!(!spans.is_empty(), "{name}: no sentences");
        assert_span_contract(&name, &text, &spans);
    }
}
