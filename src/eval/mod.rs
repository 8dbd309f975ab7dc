//! `stance eval`: score gold sentences and measure, under the contract's
//! closed world (every annotated sentence × every gold party; a pair without
//! a gold row is gold 0; a pair the pipeline did not score is predicted 0).

pub mod gold;
pub mod metrics;
pub mod plots;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use indexmap::IndexMap;
use serde::Serialize;

use crate::parties::{PartyMatcher, PartySet};
use crate::score::{ScoreRequest, Scorer};
use crate::segment::{f1_from_counts, match_counts, NewsSegmenter, Segmenter};
use crate::types::{round_score, LabelScores, Mention, ScoreRow, LABELS, NUM_LABELS};
use gold::{locate_sentences, GoldPair, GoldSet};
use metrics::BinaryMetrics;

/// Scores of every closed-world pair, in [`GoldSet::closed_world`] order.
pub struct Predictions {
    pub pairs: Vec<GoldPair>,
    pub scores: Vec<LabelScores>,
    /// The scored pairs as `stance score` rows.
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
    matcher.find(sentence).into_iter().find(|m| m.party == party).map(|m| m.mentions).unwrap_or_default()
}

/// Scores every closed-world pair of `gold` over `parties` (the ids in the gold file).
pub fn predict(scorer: &Scorer, gold: &GoldSet, party_set: &PartySet, matcher: &PartyMatcher, parties: &[String]) -> anyhow::Result<Predictions> {
    let party_index: Vec<usize> = parties
        .iter()
        .map(|id| party_set.index_of(id).with_context(|| format!("gold party {id:?} is not in the parties file (ids: {:?})", party_set.ids())))
        .collect::<anyhow::Result<_>>()?;
    let pairs = gold.closed_world(parties);
    let started = Instant::now();
    // Mentions per pair, relative to the sentence.
    let mentions: Vec<Vec<Mention>> = pairs
        .iter()
        .map(|pair| {
            let sentence = &gold.articles[pair.article].sentences[pair.sentence];
            let party = party_index[parties.iter().position(|p| p == &pair.party).expect("pair party is a gold party")];
            party_mentions(matcher, sentence, party)
        })
        .collect();
    let requests: Vec<ScoreRequest> = pairs
        .iter()
        .zip(&mentions)
        .map(|(pair, mentions)| ScoreRequest {
            sentence: &gold.articles[pair.article].sentences[pair.sentence],
            previous: previous_sentence(&gold.articles[pair.article].sentences, pair.sentence),
            party: &party_set.parties[party_set.index_of(&pair.party).expect("checked above")],
            mentions,
        })
        .collect();
    let scores = scorer.score(&requests)?;
    let seconds = started.elapsed().as_secs_f64();
    let sentences = gold.annotated_sentences().len();

    let spans: Vec<_> = gold.articles.iter().map(|a| locate_sentences(&a.text, &a.sentences)).collect();
    let rows = pairs
        .iter()
        .zip(&mentions)
        .zip(&scores)
        .map(|((pair, mentions), scores)| {
            let article = &gold.articles[pair.article];
            let span = spans[pair.article][pair.sentence];
            ScoreRow {
                doc_id: article.id.clone(),
                sentence_index: pair.sentence,
                start: span.start,
                end: span.end,
                sentence: article.sentences[pair.sentence].clone(),
                party: pair.party.clone(),
                mentions: mentions
                    .iter()
                    .map(|m| Mention { text: m.text.clone(), start: m.start + span.start, end: m.end + span.start })
                    .collect(),
                condemn: round_score(scores[0]),
                support: round_score(scores[1]),
                ceasefire: round_score(scores[2]),
                labels: scorer.labels_for(scores),
                model: scorer.name().to_string(),
                meta: Default::default(),
            }
        })
        .collect();
    Ok(Predictions { pairs, scores: scores.clone(), rows, sentences, seconds })
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
fn label_reports(pairs: &[&GoldPair], scores: &[&LabelScores], thresholds: [f32; NUM_LABELS]) -> IndexMap<String, LabelReport> {
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
    let segmenter = NewsSegmenter::default();
    let (mut matched, mut predicted, mut gold_count) = (0, 0, 0);
    for article in &gold.articles {
        let spans = segmenter.split(&article.text);
        let found: Vec<&str> = spans.iter().map(|s| &article.text[s.start..s.end]).collect();
        let expected: Vec<&str> = article.sentences.iter().map(String::as_str).collect();
        let (m, p, g) = match_counts(&found, &expected);
        matched += m;
        predicted += p;
        gold_count += g;
    }
    SegmentationReport { f1: f1_from_counts(matched, predicted, gold_count), matched, predicted, gold: gold_count }
}

pub fn report(model: &str, predictions: &Predictions, thresholds: [f32; NUM_LABELS], segmentation: SegmentationReport) -> Report {
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
    let party_ids: std::collections::BTreeSet<&str> = predictions.pairs.iter().map(|p| p.party.as_str()).collect();
    for party in party_ids {
        let (pp, ss): (Vec<&GoldPair>, Vec<&LabelScores>) =
            predictions.pairs.iter().zip(&predictions.scores).filter(|(p, _)| p.party == party).unzip();
        parties.insert(party.to_string(), label_reports(&pp, &ss, thresholds));
    }
    Report {
        model: model.to_string(),
        pairs: predictions.pairs.len(),
        macro_f1,
        ece: metrics::expected_calibration_error(&flat_scores, &flat_gold, ECE_BINS),
        labels,
        parties,
        segmentation,
        sentences_per_second: if predictions.seconds > 0.0 { predictions.sentences as f64 / predictions.seconds } else { 0.0 },
        sentences: predictions.sentences,
    }
}

/// The readable table printed by `stance eval`.
pub fn render_table(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!("model: {}\npairs: {} (closed world), sentences: {}\n\n", report.model, report.pairs, report.sentences));
    out.push_str(&format!(
        "{:<12} {:>9} {:>9} {:>7} {:>7} {:>8} {:>6} {:>9} {:>6}\n",
        "label", "precision", "recall", "f1", "pr_auc", "roc_auc", "ece", "threshold", "pos"
    ));
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "-".into());
    for (name, r) in &report.labels {
        let m = &r.metrics;
        out.push_str(&format!(
            "{:<12} {:>9.3} {:>9.3} {:>7.3} {:>7} {:>8} {:>6.3} {:>9.2} {:>6}\n",
            name, m.precision, m.recall, m.f1, opt(m.pr_auc), opt(m.roc_auc), r.ece, m.threshold, m.positives
        ));
    }
    out.push_str(&format!("\nmacro F1 {:.3}   ECE {:.3} ({} bins, all labels)\n\n", report.macro_f1, report.ece, ECE_BINS));
    out.push_str(&format!("{:<16} {:>8} {:>8} {:>10}   (F1 per party; positives in brackets)\n", "party", "condemn", "support", "ceasefire"));
    for (party, labels) in &report.parties {
        let cell = |l: &str| labels.get(l).map(|r| format!("{:.2}({})", r.metrics.f1, r.metrics.positives)).unwrap_or_default();
        out.push_str(&format!("{:<16} {:>8} {:>8} {:>10}\n", party, cell("condemn"), cell("support"), cell("ceasefire")));
    }
    out.push_str(&format!(
        "\nsegmentation F1 {:.4} (matched {} / predicted {} / gold {})\nthroughput {:.1} sentences/s\n",
        report.segmentation.f1, report.segmentation.matched, report.segmentation.predicted, report.segmentation.gold, report.sentences_per_second
    ));
    out
}

/// Writes the PR curves and the reliability diagram into `dir`.
pub fn write_plots(dir: &Path, model: &str, predictions: &Predictions) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create plots directory", dir.display()))?;
    let mut curves = Vec::new();
    let mut bins = Vec::new();
    for (l, name) in LABELS.iter().enumerate() {
        let s: Vec<f64> = predictions.scores.iter().map(|x| round_score(x[l])).collect();
        let g: Vec<bool> = predictions.pairs.iter().map(|p| p.gold[l]).collect();
        curves.push(plots::LabelCurve {
            label: name.to_string(),
            points: metrics::precision_recall_curve(&s, &g),
            average_precision: metrics::average_precision(&s, &g),
            positives: g.iter().filter(|&&x| x).count(),
        });
        bins.push((name.to_string(), metrics::reliability_bins(&s, &g, ECE_BINS)));
    }
    let pr = dir.join("precision_recall.png");
    let reliability = dir.join("reliability.png");
    plots::plot_precision_recall(&pr, &format!("Precision–recall: {model}"), &curves)?;
    plots::plot_reliability(&reliability, &format!("Reliability: {model}"), &bins)?;
    Ok(vec![pr, reliability])
}
