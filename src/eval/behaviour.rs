//! The behaviour suite (`tests/behaviour/suite.toml`): sentence templates
//! written from the annotation guidelines, expanded over the default parties
//! and their surface forms, scored through the same path as `stance eval`,
//! and counted per category as the share of cases that are fully right
//! (every party's labels, and the holder of every expected row).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::gold::{GoldArticle, GoldRow, GoldSet};
use crate::parties::{PartyMatcher, PartySet};
use crate::score::Scorer;
use crate::types::LABELS;

/// The suite kept in the repository.
pub const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/behaviour/suite.toml");

/// The paraphrase set: the suite's categories in other words and other
/// surface forms, written after the rules after the model, to measure how
/// far they reach beyond the suite's wording.
pub const PARAPHRASE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/behaviour/paraphrase.toml"
);

/// The reworded set: the categories again in wording neither file above
/// uses, written before the rules of 2026-12-02 to check those written
/// from the other two sets' failures on cases they never saw.
pub const REWORDED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/behaviour/reworded.toml");

/// The fourth set: the categories in wording none of the three files above
/// uses, written after every rule of the stops before it, to check how far
/// the rules written from those sets' failures reach.
pub const FOURTH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/behaviour/fourth.toml");

/// Sentences of a multi-sentence case are joined by this in `text`.
const SENTENCE_BREAK: &str = " || ";

#[derive(Debug, Deserialize)]
struct SuiteFile {
    case: Vec<Template>,
    forms: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct Template {
    category: String,
    text: String,
    slots: BTreeMap<String, String>,
    expect: Vec<String>,
    holder: String,
    #[serde(default)]
    form: Option<String>,
}

/// One expanded case: sentences (the last is checked) and what it expects.
#[derive(Debug, Clone)]
pub struct Case {
    pub category: String,
    pub sentences: Vec<String>,
    /// party id → expected labels (parties not here expect none).
    pub expected: BTreeMap<String, Vec<String>>,
    /// The holder of the expected rows.
    pub holder: String,
}

/// Parties a slot class admits.
fn class_parties(class: &str) -> anyhow::Result<&'static [&'static str]> {
    Ok(match class {
        "any" => &["israel", "hamas", "palestinians", "united_states", "russia"],
        "belligerent" => &["israel", "hamas"],
        "outsider" => &["united_states", "russia"],
        "speaker" => &["israel", "hamas", "united_states", "russia"],
        other => bail!("unknown slot class {other:?} (any, belligerent, outsider, speaker)"),
    })
}

/// Every assignment of distinct parties to the slots, in slot order.
fn assignments(slots: &[(String, &'static [&'static str])]) -> Vec<Vec<&'static str>> {
    let mut out: Vec<Vec<&'static str>> = vec![Vec::new()];
    for (_, parties) in slots {
        out = out
            .iter()
            .flat_map(|done| {
                parties
                    .iter()
                    .filter(|p| !done.contains(p))
                    .map(move |p| [done.clone(), vec![*p]].concat())
            })
            .collect();
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Reads and expands the suite at `path`.
pub fn load(path: &Path) -> anyhow::Result<Vec<Case>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let suite: SuiteFile = toml::from_str(&text)
        .with_context(|| format!("{}: not a behaviour suite", path.display()))?;
    let mut cases = Vec::new();
    for (t, template) in suite.case.iter().enumerate() {
        let context = || format!("{}: case {} ({:?})", path.display(), t + 1, template.text);
        let slots: Vec<(String, &'static [&'static str])> = template
            .slots
            .iter()
            .map(|(slot, class)| Ok((slot.clone(), class_parties(class)?)))
            .collect::<anyhow::Result<_>>()
            .with_context(context)?;
        for assignment in assignments(&slots) {
            let party_of = |slot: &str| {
                slots
                    .iter()
                    .position(|(s, _)| s == slot)
                    .map(|i| assignment[i].to_string())
            };
            let variants: Vec<usize> = match template.form.as_deref() {
                None | Some("all") => (0..assignment
                    .iter()
                    .map(|p| suite.forms.get(*p).map_or(0, Vec::len))
                    .max()
                    .unwrap_or(1)
                    .max(1))
                    .collect(),
                Some("name") => vec![0],
                Some("leader") => vec![1],
                Some(other) => bail!("{}: form {other:?} is not all, name or leader", context()),
            };
            for variant in variants {
                let mut text = template.text.clone();
                for ((slot, _), party) in slots.iter().zip(&assignment) {
                    let forms = suite
                        .forms
                        .get(*party)
                        .with_context(|| format!("{}: no forms for {party}", context()))?;
                    text =
                        text.replace(&format!("{{{slot}}}"), &forms[variant.min(forms.len() - 1)]);
                }
                let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for item in &template.expect {
                    let (who, label) = item.split_once(':').with_context(|| {
                        format!("{}: expect {item:?} is not WHO:label", context())
                    })?;
                    anyhow::ensure!(
                        LABELS.contains(&label),
                        "{}: unknown label {label:?}",
                        context()
                    );
                    let party = party_of(who).unwrap_or_else(|| who.to_string());
                    expected.entry(party).or_default().push(label.to_string());
                }
                for labels in expected.values_mut() {
                    labels.sort_by_key(|l| LABELS.iter().position(|x| x == l));
                }
                let holder = party_of(&template.holder).unwrap_or_else(|| template.holder.clone());
                let sentences = text.split(SENTENCE_BREAK).map(capitalise).collect();
                cases.push(Case {
                    category: template.category.clone(),
                    sentences,
                    expected,
                    holder,
                });
            }
        }
    }
    Ok(cases)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryResult {
    pub cases: usize,
    pub passed: usize,
    pub rate: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BehaviourReport {
    pub cases: usize,
    pub passed: usize,
    /// Share of cases fully right.
    pub rate: f64,
    pub categories: IndexMap<String, CategoryResult>,
    /// Up to a few failing cases per category, as "sentence: what was wrong".
    pub failures: IndexMap<String, Vec<String>>,
}

/// The cases as a gold set: one article per case, its last sentence annotated
/// for every party in `party_ids`.
fn as_gold(cases: &[Case], party_ids: &[&str]) -> GoldSet {
    let mut articles = Vec::new();
    let mut rows = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let id = format!("behaviour-{i}");
        let last = case.sentences.len() - 1;
        for party in party_ids {
            let labels = case.expected.get(*party).cloned().unwrap_or_default();
            let has = |l: &str| labels.iter().any(|x| x == l) as u8;
            rows.push(GoldRow {
                article_id: id.clone(),
                sentence_index: last,
                sentence: case.sentences[last].clone(),
                party: party.to_string(),
                condemn: has("condemn"),
                support: has("support"),
                ceasefire: has("ceasefire"),
                holder: (!labels.is_empty()).then(|| case.holder.clone()),
                mention: None,
                uncertain: None,
            });
        }
        articles.push(GoldArticle {
            id,
            text: case.sentences.join(" "),
            sentences: case.sentences.clone(),
            date: None,
        });
    }
    GoldSet { articles, rows }
}

/// Scores every case with `scorer` over the built-in parties.
pub fn run(scorer: &Scorer, cases: &[Case]) -> anyhow::Result<BehaviourReport> {
    let parties = PartySet::builtin();
    let matcher = PartyMatcher::new(&parties)?;
    let party_ids = parties.ids();
    let gold = as_gold(cases, &party_ids);
    let ids: Vec<String> = party_ids.iter().map(|s| s.to_string()).collect();
    let predictions = super::predict(scorer, &gold, &parties, &matcher, &ids)?;
    let mut report = BehaviourReport::default();
    for (case_index, case) in cases.iter().enumerate() {
        let mut wrong = Vec::new();
        for (pair, row) in predictions
            .pairs
            .iter()
            .zip(&predictions.rows)
            .filter(|(p, _)| p.article == case_index)
        {
            let expected = case.expected.get(&pair.party).cloned().unwrap_or_default();
            if row.labels != expected {
                wrong.push(format!(
                    "{} {:?} (expected {:?})",
                    pair.party, row.labels, expected
                ));
            } else if !expected.is_empty() && row.holder.as_deref() != Some(case.holder.as_str()) {
                wrong.push(format!(
                    "{} holder {:?} (expected {})",
                    pair.party, row.holder, case.holder
                ));
            }
        }
        let category = report.categories.entry(case.category.clone()).or_default();
        category.cases += 1;
        if wrong.is_empty() {
            category.passed += 1;
        } else {
            let failures = report.failures.entry(case.category.clone()).or_default();
            if failures.len() < 5 {
                failures.push(format!(
                    "{}: {}",
                    case.sentences.join(" "),
                    wrong.join("; ")
                ));
            }
        }
    }
    for category in report.categories.values_mut() {
        category.rate = category.passed as f64 / category.cases.max(1) as f64;
    }
    report.cases = cases.len();
    report.passed = report.categories.values().map(|c| c.passed).sum();
    report.rate = report.passed as f64 / report.cases.max(1) as f64;
    Ok(report)
}

/// The per-category table the test prints and the model card carries.
pub fn render(report: &BehaviourReport) -> String {
    let mut out = String::from("| category | cases | fully right |\n|---|---|---|\n");
    for (name, c) in &report.categories {
        out.push_str(&format!("| {name} | {} | {:.3} |\n", c.cases, c.rate));
    }
    out.push_str(&format!(
        "| **all** | {} | **{:.3}** |\n",
        report.cases, report.rate
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_expands_with_distinct_parties_and_resolved_expectations() {
        let cases = load(Path::new(SUITE)).unwrap();
        assert!(cases.len() > 300, "{} cases", cases.len());
        let case = cases
            .iter()
            .find(|c| c.sentences[0] == "Russia condemned the attack by Hamas.")
            .expect("an expanded case");
        assert_eq!(case.holder, "russia");
        assert_eq!(
            case.expected.get("hamas"),
            Some(&vec!["condemn".to_string()])
        );
        assert!(!case.expected.contains_key("russia"));
        // No slot ever holds the same party twice.
        assert!(!cases
            .iter()
            .any(|c| c.sentences[0] == "Hamas condemned the attack by Hamas."));
        let pronoun = cases
            .iter()
            .find(|c| c.category == "pronoun_holder")
            .unwrap();
        assert_eq!(pronoun.sentences.len(), 2);
        assert!(pronoun.sentences[1].starts_with(|c: char| c.is_uppercase() || c == '"'));
    }

    #[test]
    fn assignments_are_injective() {
        let slots = vec![
            ("A".to_string(), class_parties("outsider").unwrap()),
            ("B".to_string(), class_parties("speaker").unwrap()),
        ];
        let all = assignments(&slots);
        assert_eq!(all.len(), 2 * 3);
        assert!(all.iter().all(|a| a[0] != a[1]));
    }
}
