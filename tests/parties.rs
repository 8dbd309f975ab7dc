//! Mention recall and precision of the party matcher against the gold data.
//!
//! * recall: share of `explicit` gold rows (for the parties of the file under
//!   test) whose sentence the matcher finds that party in;
//! * precision: share of (annotated sentence, party found) pairs that have a
//!   gold row for that party, explicit or implicit (closed world: a party
//!   with no row is not a target of the sentence).
//!
//! Only parties that the split annotates at all are scored: dev has rows for
//! the five defaults only, so the extended file's other parties are left out
//! there. Run with `--nocapture` to see the figures and the misses.

mod gold_support;

use std::collections::{BTreeMap, BTreeSet};

use stance::parties::{PartyMatcher, PartySet};

/// Floors for both splits and both files, a little below what was measured
/// (recall 0.996–1.000, precision 0.984–0.992; see the printed figures). A
/// new alias that starts matching common words shows up as a precision drop.
const MIN_RECALL: f64 = 0.98;
const MIN_PRECISION: f64 = 0.95;

struct Scores {
    recall: f64,
    precision: f64,
    explicit_rows: usize,
    found_pairs: usize,
}

fn score(set: &PartySet, split: &str, label: &str) -> Scores {
    let matcher = PartyMatcher::new(set).expect("matcher builds");
    let sentences = gold_support::sentences(split);
    let annotated: BTreeSet<&str> = sentences
        .iter()
        .flat_map(|s| s.rows.keys().map(String::as_str))
        .collect();
    let scored: BTreeSet<&str> = set
        .ids()
        .into_iter()
        .filter(|id| annotated.contains(id))
        .collect();

    let (mut explicit_rows, mut recalled, mut found_pairs, mut correct) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for s in &sentences {
        let found: BTreeMap<&str, Vec<String>> = matcher
            .find(&s.text)
            .into_iter()
            .map(|pm| {
                (
                    set.parties[pm.party].id.as_str(),
                    pm.mentions.into_iter().map(|m| m.text).collect(),
                )
            })
            .filter(|(id, _)| scored.contains(id))
            .collect();
        for (party, row) in &s.rows {
            // `none` rows mark sentences with no target; older rows may lack `mention`.
            let explicit = row["mention"].as_str().unwrap_or("explicit") == "explicit";
            if explicit && scored.contains(party.as_str()) {
                explicit_rows += 1;
                if found.contains_key(party.as_str()) {
                    recalled += 1;
                } else {
                    misses.push(format!("{party:>14} {}: {}", s.key, s.text));
                }
            }
        }
        for (party, texts) in &found {
            found_pairs += 1;
            if s.rows.contains_key(*party) {
                correct += 1;
            } else {
                false_alarms.push(format!("{party:>14} {:?} {}: {}", texts, s.key, s.text));
            }
        }
    }
    let scores = Scores {
        recall: recalled as f64 / explicit_rows.max(1) as f64,
        precision: correct as f64 / found_pairs.max(1) as f64,
        explicit_rows,
        found_pairs,
    };
    println!(
        "{label} on {split}: mention recall {:.3} ({recalled}/{}), precision {:.3} ({correct}/{}), parties scored: {}",
        scores.recall,
        scores.explicit_rows,
        scores.precision,
        scores.found_pairs,
        scored.iter().copied().collect::<Vec<_>>().join(",")
    );
    for line in misses.iter().take(40) {
        println!("  miss  {line}");
    }
    for line in false_alarms.iter().take(60) {
        println!("  extra {line}");
    }
    scores
}

fn check(set: &PartySet, label: &str) {
    for split in ["train", "dev"] {
        let s = score(set, split, label);
        assert!(
            s.explicit_rows > 0 && s.found_pairs > 0,
            "{label} on {split}: nothing to score"
        );
        assert!(
            s.recall >= MIN_RECALL,
            "{label} on {split}: mention recall {:.3} < {MIN_RECALL}",
            s.recall
        );
        assert!(
            s.precision >= MIN_PRECISION,
            "{label} on {split}: mention precision {:.3} < {MIN_PRECISION}",
            s.precision
        );
    }
}

#[test]
fn builtin_parties_recall_and_precision() {
    check(&PartySet::builtin(), "config/parties.toml");
}

#[test]
fn extended_parties_recall_and_precision() {
    check(
        &gold_support::extended_parties().0,
        "config/parties-extended.toml",
    );
}
