//! Hand-labelled gold data: `articles.jsonl` (with the hand-checked sentence
//! split) and `gold.jsonl` (one row per (sentence, party)), and the contract's
//! closed world over them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::types::{SentenceSpan, NUM_LABELS};

/// The party id that marks a sentence with no target.
pub const NO_PARTY: &str = "none";

#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    pub id: String,
    pub text: String,
    pub sentences: Vec<String>,
    /// `YYYY-MM-DD` or `YYYY-MM` where known: splits by time (`stance train --time-split`).
    #[serde(default)]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldRow {
    pub article_id: String,
    pub sentence_index: usize,
    pub sentence: String,
    pub party: String,
    pub condemn: u8,
    pub support: u8,
    pub ceasefire: u8,
    /// Who holds the stance (slugs joined by `;`); null when no label is 1.
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub mention: Option<String>,
    #[serde(default)]
    pub uncertain: Option<bool>,
}

impl GoldRow {
    pub fn labels(&self) -> [bool; NUM_LABELS] {
        [self.condemn == 1, self.support == 1, self.ceasefire == 1]
    }
}

/// A pair's gold labels and its holders' slugs, while rows are gathered.
type LabelsAndHolders = ([bool; NUM_LABELS], Vec<String>);

/// One (sentence, party) pair of the closed world with its gold labels.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldPair {
    pub article: usize,
    pub sentence: usize,
    pub party: String,
    pub gold: [bool; NUM_LABELS],
    /// The pair has a gold row (else it is 0 by the closed world).
    pub has_row: bool,
    /// The gold holder slugs of the pair's rows (empty when no label is 1).
    pub holders: Vec<String>,
}

impl GoldPair {
    pub fn any_label(&self) -> bool {
        self.gold.iter().any(|&l| l)
    }
}

#[derive(Debug, Clone)]
pub struct GoldSet {
    pub articles: Vec<GoldArticle>,
    pub rows: Vec<GoldRow>,
}

/// Reads a JSONL file into values of `T`, naming file and line on error.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line
            .with_context(|| format!("{}:{}: cannot read (not UTF-8?)", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: bad record", path.display(), i + 1))?,
        );
    }
    Ok(out)
}

impl GoldSet {
    pub fn load(articles: &Path, gold: &Path) -> anyhow::Result<GoldSet> {
        let articles_list: Vec<GoldArticle> = read_jsonl(articles)?;
        let rows: Vec<GoldRow> = read_jsonl(gold)?;
        let set = GoldSet {
            articles: articles_list,
            rows,
        };
        set.check(gold)?;
        Ok(set)
    }

    /// Every gold row must point at an existing sentence with the same text.
    fn check(&self, gold: &Path) -> anyhow::Result<()> {
        let index = self.article_index();
        for (i, row) in self.rows.iter().enumerate() {
            let Some(&a) = index.get(row.article_id.as_str()) else {
                bail!(
                    "{}:{}: article {:?} is not in the articles file",
                    gold.display(),
                    i + 1,
                    row.article_id
                );
            };
            match self.articles[a].sentences.get(row.sentence_index) {
                Some(s) if s == &row.sentence => {}
                Some(_) => bail!(
                    "{}:{}: sentence text differs from sentences[{}] of {}",
                    gold.display(),
                    i + 1,
                    row.sentence_index,
                    row.article_id
                ),
                None => bail!(
                    "{}:{}: {} has no sentence {}",
                    gold.display(),
                    i + 1,
                    row.article_id,
                    row.sentence_index
                ),
            }
            for (name, v) in [
                ("condemn", row.condemn),
                ("support", row.support),
                ("ceasefire", row.ceasefire),
            ] {
                if v > 1 {
                    bail!(
                        "{}:{}: {name} must be 0 or 1, not {v}",
                        gold.display(),
                        i + 1
                    );
                }
            }
        }
        Ok(())
    }

    /// Several gold sets as one (training on more than one split). Article
    /// ids must not repeat.
    pub fn merge(sets: Vec<GoldSet>) -> anyhow::Result<GoldSet> {
        let mut merged = GoldSet {
            articles: Vec::new(),
            rows: Vec::new(),
        };
        let mut seen = HashSet::new();
        for set in sets {
            for article in &set.articles {
                anyhow::ensure!(
                    seen.insert(article.id.clone()),
                    "article id {:?} appears in two training sets",
                    article.id
                );
            }
            merged.articles.extend(set.articles);
            merged.rows.extend(set.rows);
        }
        Ok(merged)
    }

    /// The articles at `indices` (in that order) and their gold rows: one
    /// fold of an article-grouped split.
    pub fn subset(&self, indices: &[usize]) -> GoldSet {
        let articles: Vec<GoldArticle> =
            indices.iter().map(|&i| self.articles[i].clone()).collect();
        let ids: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        let rows = self
            .rows
            .iter()
            .filter(|r| ids.contains(r.article_id.as_str()))
            .cloned()
            .collect();
        GoldSet { articles, rows }
    }

    pub fn article_index(&self) -> HashMap<&str, usize> {
        self.articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect()
    }

    /// Parties with a gold row, `none` aside, sorted.
    pub fn parties(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.party != NO_PARTY)
            .map(|r| r.party.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The annotated sentences: (article index, sentence index), in article order.
    pub fn annotated_sentences(&self) -> Vec<(usize, usize)> {
        let index = self.article_index();
        self.rows
            .iter()
            .map(|r| (index[r.article_id.as_str()], r.sentence_index))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The closed world: every annotated sentence × every party in `parties`.
    pub fn closed_world(&self, parties: &[String]) -> Vec<GoldPair> {
        let index = self.article_index();
        let mut labelled: BTreeMap<(usize, usize, &str), LabelsAndHolders> = BTreeMap::new();
        for row in &self.rows {
            let key = (
                index[row.article_id.as_str()],
                row.sentence_index,
                row.party.as_str(),
            );
            let (labels, holders) = labelled.entry(key).or_default();
            // Duplicate rows for one pair: a label is positive if any row says so.
            for (slot, value) in labels.iter_mut().zip(row.labels()) {
                *slot |= value;
            }
            if row.labels().iter().any(|&l| l) {
                for slug in row
                    .holder
                    .iter()
                    .flat_map(|h| h.split(';'))
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                {
                    if !holders.iter().any(|h| h == slug) {
                        holders.push(slug.to_string());
                    }
                }
            }
        }
        let mut pairs = Vec::new();
        for (article, sentence) in self.annotated_sentences() {
            for party in parties {
                let found = labelled.get(&(article, sentence, party.as_str()));
                pairs.push(GoldPair {
                    article,
                    sentence,
                    party: party.clone(),
                    gold: found.map_or([false; NUM_LABELS], |f| f.0),
                    has_row: found.is_some(),
                    holders: found.map(|f| f.1.clone()).unwrap_or_default(),
                });
            }
        }
        pairs
    }
}

/// Byte spans of `sentences` in `text`, searched in order; a sentence that
/// cannot be found verbatim gets an empty span at the search position.
pub fn locate_sentences(text: &str, sentences: &[String]) -> Vec<SentenceSpan> {
    let mut at = 0;
    sentences
        .iter()
        .map(|s| match text[at..].find(s.as_str()) {
            Some(offset) => {
                let start = at + offset;
                at = start + s.len();
                SentenceSpan { start, end: at }
            }
            None => SentenceSpan { start: at, end: at },
        })
        .collect()
}
