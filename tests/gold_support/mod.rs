//! The gold data's annotated sentences, for tests that read it beside a
//! component (the party matcher, the victim rule, the exclusion rules).

// Each test crate that includes this module uses part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use stance::parties::{Party, PartyMatcher, PartySet};
use stance::types::Mention;

/// The extended parties file (the parties the gold data annotates) and its
/// matcher.
pub fn extended_parties() -> (PartySet, PartyMatcher) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/parties-extended.toml");
    let parties = PartySet::from_file(&path).expect("extended parties file");
    let matcher = PartyMatcher::new(&parties).expect("matcher builds");
    (parties, matcher)
}

/// One annotated sentence: its text and its gold rows by party id.
pub struct GoldSentence {
    /// "article_id#sentence_index"
    pub key: String,
    pub text: String,
    /// party id → the gold row (`none` marks a sentence without a target)
    pub rows: BTreeMap<String, serde_json::Value>,
}

/// The annotated sentences of `datasets/{split}/gold.jsonl`, in key order.
pub fn sentences(split: &str) -> Vec<GoldSentence> {
    let path = format!("{}/datasets/{split}/gold.jsonl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut by_key: BTreeMap<(String, u64), GoldSentence> = BTreeMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let row: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1));
        let field = |name: &str| row[name].as_str().map(str::to_string);
        let article = field("article_id").expect("article_id");
        let index = row["sentence_index"].as_u64().expect("sentence_index");
        let party = field("party").expect("party");
        let sentence = by_key
            .entry((article.clone(), index))
            .or_insert_with(|| GoldSentence {
                key: format!("{article}#{index}"),
                text: field("sentence").expect("sentence"),
                rows: BTreeMap::new(),
            });
        sentence.rows.insert(party, row);
    }
    by_key.into_values().collect()
}

/// Of the (annotated sentence, party the extended matcher finds) pairs of
/// train, silver and dev for which `select(sentence, mentions)` holds, how
/// many there are and how many `labelled(gold row)` (a party without a
/// gold row is gold 0: closed world). Prints each pair (`--nocapture`).
pub fn pairs_where(
    select: impl Fn(&str, &[Mention]) -> bool,
    labelled: impl Fn(&serde_json::Value) -> bool,
) -> (usize, usize) {
    let (parties, matcher) = extended_parties();
    count_pairs(
        |text| {
            (matcher.find(text).into_iter())
                .filter(|found| select(text, &found.mentions))
                .map(|found| parties.parties[found.party].id.clone())
                .collect()
        },
        labelled,
    )
}

/// Of the (annotated sentence, party of the extended parties file) pairs of
/// train, silver and dev, named in the sentence or not, for which
/// `select(sentence, party, its mentions there)` holds: how many there are
/// and how many `labelled(gold row)` (closed world). Prints each pair
/// (`--nocapture`).
pub fn party_pairs_where(
    select: impl Fn(&str, &Party, &[Mention]) -> bool,
    labelled: impl Fn(&serde_json::Value) -> bool,
) -> (usize, usize) {
    let (parties, matcher) = extended_parties();
    count_pairs(
        |text| {
            let found = matcher.find(text);
            (parties.parties.iter().enumerate())
                .filter(|&(index, party)| {
                    let mentions = (found.iter())
                        .find(|f| f.party == index)
                        .map_or(&[][..], |f| f.mentions.as_slice());
                    select(text, party, mentions)
                })
                .map(|(_, party)| party.id.clone())
                .collect()
        },
        labelled,
    )
}

/// The pairs of train, silver and dev whose party ids `pick(sentence)`
/// gives, and of them those `labelled(gold row)`; prints each pair.
fn count_pairs(
    pick: impl Fn(&str) -> Vec<String>,
    labelled: impl Fn(&serde_json::Value) -> bool,
) -> (usize, usize) {
    let (mut pairs, mut labelled_pairs) = (0, 0);
    for split in ["train", "silver", "dev"] {
        for sentence in sentences(split) {
            for id in pick(&sentence.text) {
                let is_labelled = sentence.rows.get(&id).is_some_and(&labelled);
                pairs += 1;
                labelled_pairs += usize::from(is_labelled);
                println!(
                    "{split} {} {id} labelled={is_labelled}: {}",
                    sentence.key, sentence.text
                );
            }
        }
    }
    (pairs, labelled_pairs)
}

/// How far the gold share may fall under a rule's probability before a
/// premise test fails (a few pairs of sampling noise).
pub const TOLERANCE: f64 = 0.05;

/// Asserts the premise of a rule that raises a label to `probability` on
/// the pairs it reads (`counts`: pairs, of them labelled in the gold data):
/// at least `min_pairs` found (a broken reader finds none) and a labelled
/// share no more than [`TOLERANCE`] under the probability.
pub fn assert_share_at_least(
    what: &str,
    counts: (usize, usize),
    min_pairs: usize,
    probability: f32,
) {
    let (pairs, labelled) = counts;
    let share = labelled as f64 / pairs.max(1) as f64;
    println!("{what} pairs: {pairs}, labelled by the annotators: {labelled} ({share:.3})");
    assert!(pairs >= min_pairs, "only {pairs} {what} pairs found");
    assert!(
        share >= probability as f64 - TOLERANCE,
        "{labelled} of {pairs} {what} pairs are labelled in the gold data ({share:.3}), under the rule's {probability}"
    );
}

/// Asserts the premise of a rule that takes a label from the pairs it
/// reads: at least `min_pairs` found and at most one in five labelled in
/// the gold data.
pub fn assert_seldom_labelled(what: &str, counts: (usize, usize), min_pairs: usize) {
    let (pairs, labelled) = counts;
    println!("{what} pairs: {pairs}, labelled by the annotators: {labelled}");
    assert!(pairs >= min_pairs, "only {pairs} {what} pairs found");
    assert!(
        labelled * 5 <= pairs,
        "{labelled} of {pairs} {what} pairs are labelled in the gold data"
    );
}
