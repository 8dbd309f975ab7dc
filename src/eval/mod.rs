//! `stance eval`: score gold sentences and measure, under the contract's
//! closed world (every annotated sentence × every gold party; a pair without
//! a gold row is gold 0; a pair the pipeline did not score is predicted 0).

pub mod behaviour;
pub mod gold;
pub mod metrics;
pub mod plots;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use indexmap::IndexMap;
use serde::Serialize;

use crate::parties::{PartyMatcher, PartySet};
use crate::score::holder;
use crate::score::rows::{self, Keep, SentenceTargets};
use crate::score::{ScoreRequest, Scorer};
use crate::segment::{f1_from_counts, match_counts, NewsSegmenter, Segmenter};
use crate::types::{
    round_score, Article, LabelScores, Mention, RecordOrigin, ScoreRow, SentenceSpan, LABELS,
    NUM_LABELS,
};
use gold::{locate_sentences, GoldPair, GoldSet};
use metrics::BinaryMetrics;

/// Scores of every closed-world pair, in [`GoldSet::closed_world`] order.
pub struct Predictions {
    pub pairs: Vec<GoldPair>,
    pub scores: Vec<LabelScores>,
    /// The scored pairs as `stance score` rows (with their holders).
    pub rows: Vec<ScoreRow>,
    pub sentences: usize,
    pub seconds: f64,
}

/// The sentence before `index` ("" for the first).
pub fn previous_sentence(sentences: &[String], index: usize) -> &str {
    index.checked_sub(1).map_or("", |i| sentences[i].as_str())
}

/// Mentions of `party` in `sentence`, offsets relative to the sentence.
pub fn party_mentions(matcher: &PartyMatcher, sentence: &str, party: usize) -> Vec<Mention> {
    matcher
        .find(sentence)
        .into_iter()
        .find(|m| m.party == party)
        .map(|m| m.mentions)
        .unwrap_or_default()
}

/// A gold article as the pipeline sees it: its text and the byte spans of
/// its given sentences (no re-segmentation). Sentences that are not found
/// verbatim in the text are scored from their own text, joined by newlines.
fn gold_article(article: &gold::GoldArticle) -> (Article, Vec<SentenceSpan>) {
    let spans = locate_sentences(&article.text, &article.sentences);
    let located = spans
        .iter()
        .zip(&article.sentences)
        .all(|(span, s)| span.end - span.start == s.len());
    let (text, spans) = if located {
        (article.text.clone(), spans)
    } else {
        let joined = article.sentences.join("\n");
        let spans = locate_sentences(&joined, &article.sentences);
        (joined, spans)
    };
    let origin = RecordOrigin {
        file: String::new(),
        line: 0,
    };
    (
        Article {
            id: article.id.clone(),
            text,
            meta: Default::default(),
            origin,
        },
        spans,
    )
}

/// Scores every closed-world pair of `gold` over `parties` (the ids in the
/// gold file), through the same request-to-row path as `stance score`. Each
/// article is scored from its first sentence up to its last annotated one,
/// so that the holder of a pronoun speaker can be found in earlier
/// sentences; only the annotated sentences are measured.
pub fn predict(
    scorer: &Scorer,
    gold: &GoldSet,
    party_set: &PartySet,
    matcher: &PartyMatcher,
    parties: &[String],
) -> anyhow::Result<Predictions> {
    let candidates: Vec<usize> = parties
        .iter()
        .map(|id| {
            party_set.index_of(id).with_context(|| {
                format!(
                    "gold party {id:?} is not in the parties file (ids: {:?})",
                    party_set.ids()
                )
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let pairs = gold.closed_world(parties);
    let annotated = gold.annotated_sentences();
    let mut last_annotated: BTreeMap<usize, usize> = BTreeMap::new();
    for &(article, sentence) in &annotated {
        last_annotated.insert(article, sentence);
    }
    let started = Instant::now();
    let articles: Vec<(Article, Vec<SentenceTargets>)> = last_annotated
        .iter()
        .map(|(&a, &last)| {
            let (article, spans) = gold_article(&gold.articles[a]);
            let targets =
                rows::article_targets(&article.text, &spans[..=last], matcher, &candidates);
            (article, targets)
        })
        .collect();
    let requests: Vec<ScoreRequest> = articles
        .iter()
        .flat_map(|(article, targets)| rows::requests(&article.text, targets, party_set))
        .collect();
    let scores = scorer.score(&requests)?;
    let seconds = started.elapsed().as_secs_f64();

    let mut scored: HashMap<(usize, usize, String), (ScoreRow, LabelScores)> = HashMap::new();
    let mut at = 0;
    for ((&a, _), (article, targets)) in last_annotated.iter().zip(&articles) {
        let count: usize = targets.iter().map(|t| t.targets.len()).sum();
        let article_scores = &scores[at..at + count];
        at += count;
        // Measured on what the rows publish (after the addressee rule), not
        // on the model's scores before it.
        let rows = rows::scored_rows(
            article,
            targets,
            article_scores,
            scorer,
            party_set,
            Keep::All,
        );
        for (row, published) in rows {
            scored.insert((a, row.sentence_index, row.party.clone()), (row, published));
        }
    }
    let (rows, pair_scores): (Vec<ScoreRow>, Vec<LabelScores>) = pairs
        .iter()
        .map(|pair| {
            let (mut row, s) = scored
                .remove(&(pair.article, pair.sentence, pair.party.clone()))
                .expect("every closed-world pair is scored");
            row.sentence = gold.articles[pair.article].sentences[pair.sentence].clone();
            (row, s)
        })
        .unzip();
    Ok(Predictions {
        pairs,
        scores: pair_scores,
        rows,
        sentences: annotated.len(),
        seconds,
    })
}

/// Holder accuracy (contract): over gold pairs with a label, the share whose
/// row carries one of the gold holders; gold slugs that are neither a party
/// of `party_ids` nor `author` count as `other`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HolderReport {
    pub accuracy: f64,
    pub rows: usize,
    /// Predicted holder (`none` for a row without labels) → gold holder → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

impl HolderReport {
    /// Each predicted holder with its gold holders as "slug count, …", for tables.
    pub fn confusion_rows(&self) -> impl Iterator<Item = (&str, String)> {
        self.confusion.iter().map(|(predicted, gold)| {
            let cells: Vec<String> = gold.iter().map(|(g, n)| format!("{g} {n}")).collect();
            (predicted.as_str(), cells.join(", "))
        })
    }
}

/// A gold holder slug as the contract counts it.
pub fn normalise_holder(slug: &str, party_ids: &[&str]) -> String {
    if slug == holder::AUTHOR || party_ids.contains(&slug) {
        slug.to_string()
    } else {
        holder::OTHER.to_string()
    }
}

pub fn holder_report(predictions: &Predictions, party_ids: &[&str]) -> HolderReport {
    let mut report = HolderReport::default();
    let mut right = 0;
    for (pair, row) in predictions.pairs.iter().zip(&predictions.rows) {
        if !pair.any_label() || !pair.has_row {
            continue;
        }
        report.rows += 1;
        let gold: Vec<String> = pair
            .holders
            .iter()
            .map(|h| normalise_holder(h, party_ids))
            .collect();
        let predicted = row.holder.clone().unwrap_or_else(|| "none".to_string());
        let hit = gold.contains(&predicted);
        right += hit as usize;
        let gold_cell = if hit {
            predicted.clone()
        } else {
            gold.first().cloned().unwrap_or_else(|| "none".to_string())
        };
        *report
            .confusion
            .entry(predicted)
            .or_default()
            .entry(gold_cell)
            .or_default() += 1;
    }
    report.accuracy = if report.rows > 0 {
        right as f64 / report.rows as f64
    } else {
        0.0
    };
    report
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelReport {
    #[serde(flatten)]
    pub metrics: BinaryMetrics,
    pub ece: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub model: String,
    pub pairs: usize,
    pub macro_f1: f64,
    pub ece: f64,
    /// Per label, in contract order.
    pub labels: IndexMap<String, LabelReport>,
    pub parties: BTreeMap<String, IndexMap<String, LabelReport>>,
    pub holder: HolderReport,
    pub segmentation: SegmentationReport,
    pub sentences_per_second: f64,
    pub sentences: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SegmentationReport {
    pub f1: f64,
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
}

pub const ECE_BINS: usize = 10;

/// Per-label metrics over the given pairs (scores in f64 as written to the output).
fn label_reports(
    pairs: &[&GoldPair],
    scores: &[&LabelScores],
    thresholds: [f32; NUM_LABELS],
) -> IndexMap<String, LabelReport> {
    LABELS
        .iter()
        .enumerate()
        .map(|(l, name)| {
            let s: Vec<f64> = scores.iter().map(|x| round_score(x[l])).collect();
            let g: Vec<bool> = pairs.iter().map(|p| p.gold[l]).collect();
            let report = LabelReport {
                metrics: metrics::binary_metrics(&s, &g, thresholds[l] as f64),
                ece: metrics::expected_calibration_error(&s, &g, ECE_BINS),
            };
            (name.to_string(), report)
        })
        .collect()
}

/// Segmentation of each article's `text` by the project's segmenter against its `sentences`.
pub fn segmentation(gold: &GoldSet) -> SegmentationReport {
    let segmenter = NewsSegmenter;
    let (mut matched, mut predicted, mut gold_count) = (0, 0, 0);
    for article in &gold.articles {
        let spans = segmenter.split(&article.text);
        let found: Vec<&str> = spans
            .iter()
            .map(|s| &article.text[s.start..s.end])
            .collect();
        let expected: Vec<&str> = article.sentences.iter().map(String::as_str).collect();
        let (m, p, g) = match_counts(&found, &expected);
        matched += m;
        predicted += p;
        gold_count += g;
    }
    SegmentationReport {
        f1: f1_from_counts(matched, predicted, gold_count),
        matched,
        predicted,
        gold: gold_count,
    }
}

/// The report of `predictions`; `party_ids` are the parties in use (for the holder slugs).
pub fn report(
    model: &str,
    predictions: &Predictions,
    thresholds: [f32; NUM_LABELS],
    segmentation: SegmentationReport,
    party_ids: &[&str],
) -> Report {
    let all_pairs: Vec<&GoldPair> = predictions.pairs.iter().collect();
    let all_scores: Vec<&LabelScores> = predictions.scores.iter().collect();
    let labels = label_reports(&all_pairs, &all_scores, thresholds);
    let macro_f1 = labels.values().map(|r| r.metrics.f1).sum::<f64>() / NUM_LABELS as f64;
    // Overall calibration: every (pair, label) probability together.
    let (flat_scores, flat_gold): (Vec<f64>, Vec<bool>) = predictions
        .pairs
        .iter()
        .zip(&predictions.scores)
        .flat_map(|(p, s)| (0..NUM_LABELS).map(move |l| (round_score(s[l]), p.gold[l])))
        .unzip();
    let mut parties = BTreeMap::new();
    let gold_parties: std::collections::BTreeSet<&str> =
        predictions.pairs.iter().map(|p| p.party.as_str()).collect();
    for party in gold_parties {
        let (pp, ss): (Vec<&GoldPair>, Vec<&LabelScores>) = predictions
            .pairs
            .iter()
            .zip(&predictions.scores)
            .filter(|(p, _)| p.party == party)
            .unzip();
        parties.insert(party.to_string(), label_reports(&pp, &ss, thresholds));
    }
    Report {
        model: model.to_string(),
        pairs: predictions.pairs.len(),
        macro_f1,
        ece: metrics::expected_calibration_error(&flat_scores, &flat_gold, ECE_BINS),
        labels,
        parties,
        holder: holder_report(predictions, party_ids),
        segmentation,
        sentences_per_second: if predictions.seconds > 0.0 {
            predictions.sentences as f64 / predictions.seconds
        } else {
            0.0
        },
        sentences: predictions.sentences,
    }
}

/// The readable table printed by `stance eval`.
pub fn render_table(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "model: {}\npairs: {} (closed world), sentences: {}\n\n",
        report.model, report.pairs, report.sentences
    ));
    out.push_str(&format!(
        "{:<12} {:>9} {:>9} {:>7} {:>7} {:>8} {:>6} {:>9} {:>6}\n",
        "label", "precision", "recall", "f1", "pr_auc", "roc_auc", "ece", "threshold", "pos"
    ));
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "-".into());
    for (name, r) in &report.labels {
        let m = &r.metrics;
        out.push_str(&format!(
            "{:<12} {:>9.3} {:>9.3} {:>7.3} {:>7} {:>8} {:>6.3} {:>9.2} {:>6}\n",
            name,
            m.precision,
            m.recall,
            m.f1,
            opt(m.pr_auc),
            opt(m.roc_auc),
            r.ece,
            m.threshold,
            m.positives
        ));
    }
    out.push_str(&format!(
        "\nmacro F1 {:.3}   ECE {:.3} ({} bins, all labels)\n\n",
        report.macro_f1, report.ece, ECE_BINS
    ));
    out.push_str(&format!(
        "{:<16} {:>8} {:>8} {:>10}   (F1 per party; positives in brackets)\n",
        "party", "condemn", "support", "ceasefire"
    ));
    for (party, labels) in &report.parties {
        let cell = |l: &str| {
            labels
                .get(l)
                .map(|r| format!("{:.2}({})", r.metrics.f1, r.metrics.positives))
                .unwrap_or_default()
        };
        out.push_str(&format!(
            "{:<16} {:>8} {:>8} {:>10}\n",
            party,
            cell("condemn"),
            cell("support"),
            cell("ceasefire")
        ));
    }
    let h = &report.holder;
    out.push_str(&format!(
        "\nholder accuracy {:.3} over {} labelled gold rows (predicted holder → gold holder:",
        h.accuracy, h.rows
    ));
    for (predicted, gold) in h.confusion_rows() {
        out.push_str(&format!(" {predicted} → [{gold}];"));
    }
    out.push_str(")\n");
    out.push('\n');
    // Out-of-fold reports score the gold sentence split, not the segmenter's.
    if report.segmentation.gold > 0 {
        out.push_str(&format!(
            "segmentation F1 {:.4} (matched {} / predicted {} / gold {})\n",
            report.segmentation.f1,
            report.segmentation.matched,
            report.segmentation.predicted,
            report.segmentation.gold
        ));
    }
    out.push_str(&format!(
        "throughput {:.1} sentences/s\n",
        report.sentences_per_second
    ));
    out
}

/// Writes the PR curves and the reliability diagram into `dir`.
pub fn write_plots(
    dir: &Path,
    model: &str,
    predictions: &Predictions,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create plots directory", dir.display()))?;
    let mut curves = Vec::new();
    let mut bins = Vec::new();
    for (l, name) in LABELS.iter().enumerate() {
        let s: Vec<f64> = predictions
            .scores
            .iter()
            .map(|x| round_score(x[l]))
            .collect();
        let g: Vec<bool> = predictions.pairs.iter().map(|p| p.gold[l]).collect();
        curves.push(plots::LabelCurve {
            label: name.to_string(),
            points: metrics::precision_recall_curve(&s, &g),
            average_precision: metrics::average_precision(&s, &g),
            positives: g.iter().filter(|&&x| x).count(),
        });
        bins.push((
            name.to_string(),
            metrics::reliability_bins(&s, &g, ECE_BINS),
        ));
    }
    let pr = dir.join("precision_recall.png");
    let reliability = dir.join("reliability.png");
    plots::plot_precision_recall(&pr, &format!("Precision–recall: {model}"), &curves)?;
    plots::plot_reliability(&reliability, &format!("Reliability: {model}"), &bins)?;
    Ok(vec![pr, reliability])
}
