//! Binary classification metrics for `stance eval`.
//!
//! Each stance label (`condemn`, `support`, `ceasefire`) is scored as an
//! independent binary problem over the closed world of (sentence, party)
//! pairs, so everything here works on two parallel slices: `scores`
//! (probabilities in [0, 1]) and `gold` (true = positive).
//!
//! Conventions shared by every function in this module:
//!
//! * **No NaN out.** The report is JSON, which has no NaN, so a quantity that
//!   is undefined is either `None` (the AUCs) or a documented 0 (precision,
//!   recall, F1).
//! * **No panics.** The slices should have equal lengths (checked with
//!   `debug_assert!`, so a mismatch fails loudly in tests); in release builds
//!   a mismatch is tolerated by using only the common prefix, i.e. the first
//!   `min(scores.len(), gold.len())` items.
//! * **NaN scores read as 0.0**, the score the contract gives an unscored
//!   pair, and -0.0 reads as 0.0, so that ranking and tie grouping are
//!   well defined.

use serde::Serialize;

/// Precision, recall and F1 at one threshold, plus the threshold-free AUCs
/// and the counts they were computed from.
#[derive(Debug, Clone, Serialize)]
pub struct BinaryMetrics {
    /// TP / predicted positives; 0 when nothing is predicted positive.
    pub precision: f64,
    /// TP / positives; 0 when there are no positives.
    pub recall: f64,
    /// Harmonic mean of precision and recall; 0 when both are 0.
    pub f1: f64,
    /// Average precision (see [`average_precision`]); `None` without positives.
    pub pr_auc: Option<f64>,
    /// ROC-AUC (see [`roc_auc`]); `None` when only one class is present.
    pub roc_auc: Option<f64>,
    /// A pair is predicted positive iff its score is `>= threshold`.
    pub threshold: f64,
    /// Gold positives.
    pub positives: usize,
    /// Pairs with score `>= threshold`.
    pub predicted_positives: usize,
    /// Pairs that are both gold positive and predicted positive.
    pub true_positives: usize,
    /// Pairs evaluated.
    pub count: usize,
}

/// One equal-width bin of a reliability diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// Inclusive lower edge.
    pub lower: f64,
    /// Upper edge: exclusive, except for the last bin, which also holds 1.0.
    pub upper: f64,
    /// Scores that fell in the bin.
    pub count: usize,
    /// Mean score in the bin; 0 for an empty bin.
    pub mean_score: f64,
    /// Fraction of gold positives in the bin; 0 for an empty bin.
    pub positive_rate: f64,
}

/// Precision, recall, F1, PR-AUC, ROC-AUC and counts, with a pair predicted
/// positive iff its score is `>= threshold` (so a score exactly equal to the
/// threshold is positive).
///
/// Conventions: precision = 0 when nothing is predicted positive; recall = 0
/// when there are no positives; F1 = 0 when precision + recall = 0. A NaN
/// threshold predicts nothing positive. See the module docs for NaN scores and
/// length mismatches.
pub fn binary_metrics(scores: &[f64], gold: &[bool], threshold: f64) -> BinaryMetrics {
    let count = paired_len(scores, gold);
    let (mut positives, mut predicted_positives, mut true_positives) = (0, 0, 0);
    for (&score, &is_positive) in scores.iter().zip(gold).take(count) {
        let predicted = clean(score) >= threshold;
        positives += usize::from(is_positive);
        predicted_positives += usize::from(predicted);
        true_positives += usize::from(predicted && is_positive);
    }
    let precision = ratio(true_positives, predicted_positives);
    let recall = ratio(true_positives, positives);
    BinaryMetrics {
        precision,
        recall,
        f1: f1_score(precision, recall),
        pr_auc: average_precision(scores, gold),
        roc_auc: roc_auc(scores, gold),
        threshold,
        positives,
        predicted_positives,
        true_positives,
        count,
    }
}

/// The threshold on a fixed grid (0.05, 0.06, …, 0.95) with the highest F1
/// of `score >= threshold`; among equal F1s, the one nearest 0.5, then the
/// lower. Used on out-of-fold predictions (cross-validation on train), never
/// on the data a threshold is then reported on. The grid keeps the choice
/// away from the extremes, where one or two examples decide it.
pub fn best_f1_threshold(scores: &[f64], gold: &[bool]) -> f64 {
    let grid = (5..=95).map(|k| k as f64 / 100.0);
    let mut best: (f64, f64) = (f64::NEG_INFINITY, 0.5);
    for threshold in grid {
        let f1 = binary_metrics(scores, gold, threshold).f1;
        let better = f1 > best.0 + 1e-12
            || ((f1 - best.0).abs() <= 1e-12
                && (threshold - 0.5).abs() < (best.1 - 0.5).abs() - 1e-12);
        if better {
            best = (f1, threshold);
        }
    }
    best.1
}

/// PR-AUC as average precision, scikit-learn's definition
/// (`average_precision_score`): `AP = sum_n (R_n - R_{n-1}) * P_n` over the
/// distinct score thresholds in descending order, with `R_0 = 0`. Tied scores
/// form one threshold, so their order never matters. This is the area under
/// the step-shaped precision–recall curve, with no interpolation.
///
/// `None` when there are no positives (recall is undefined).
pub fn average_precision(scores: &[f64], gold: &[bool]) -> Option<f64> {
    let groups = tie_groups_descending(scores, gold);
    let total_positives: usize = groups.iter().map(|g| g.positives).sum();
    if total_positives == 0 {
        return None;
    }
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut ap = 0.0;
    for group in &groups {
        tp += group.positives;
        fp += group.negatives;
        // R_n - R_{n-1} is this group's share of the positives; groups with
        // no positives add nothing (recall does not move).
        let recall_step = ratio(group.positives, total_positives);
        ap += recall_step * ratio(tp, tp + fp);
    }
    Some(ap)
}

/// Area under the ROC curve, computed exactly as the Mann–Whitney statistic:
/// the fraction of (positive, negative) pairs in which the positive has the
/// higher score, a tie counting 1/2. Equals scikit-learn's `roc_auc_score`.
///
/// `None` when all items are positive or all negative (including empty input).
pub fn roc_auc(scores: &[f64], gold: &[bool]) -> Option<f64> {
    let mut groups = tie_groups_descending(scores, gold);
    groups.reverse(); // ascending: each group sees the negatives scored below it
    let positives: u128 = groups.iter().map(|g| g.positives as u128).sum();
    let negatives: u128 = groups.iter().map(|g| g.negatives as u128).sum();
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Doubled pair count in integers, so the half-credit for ties stays exact:
    // each positive beats the negatives below it (2 each) and ties with the
    // negatives in its own group (1 each).
    let mut doubled_wins: u128 = 0;
    let mut negatives_below: u128 = 0;
    for group in &groups {
        let (p, n) = (group.positives as u128, group.negatives as u128);
        doubled_wins += 2 * p * negatives_below + p * n;
        negatives_below += n;
    }
    Some(doubled_wins as f64 / (2 * positives * negatives) as f64)
}

/// Expected calibration error over `bins` equal-width bins on [0, 1]:
/// `sum_b (n_b / N) * |mean_score_b - positive_rate_b|`, i.e. the bins'
/// calibration gaps weighted by how many scores they hold (see
/// [`reliability_bins`] for the binning). 0 for empty input; `bins == 0`
/// is read as 1 bin.
pub fn expected_calibration_error(scores: &[f64], gold: &[bool], bins: usize) -> f64 {
    let table = reliability_bins(scores, gold, bins);
    let total: usize = table.iter().map(|b| b.count).sum();
    if total == 0 {
        return 0.0;
    }
    table
        .iter()
        .map(|b| ratio(b.count, total) * (b.mean_score - b.positive_rate).abs())
        .sum()
}

/// The `bins` equal-width bins of [0, 1] with their counts, mean scores and
/// positive rates, lowest bin first; every bin is returned, empty ones with
/// count 0 and mean score and positive rate 0 (callers plotting them should
/// skip `count == 0`).
///
/// Bin `b` covers `[b/bins, (b+1)/bins)`; the last bin also holds 1.0.
/// Scores outside [0, 1] are clamped into the first or last bin. `bins == 0`
/// is read as 1 bin.
pub fn reliability_bins(scores: &[f64], gold: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    let bins = bins.max(1);
    let n = paired_len(scores, gold);
    let mut counts = vec![0usize; bins];
    let mut score_sums = vec![0.0f64; bins];
    let mut positive_counts = vec![0usize; bins];
    for (&score, &is_positive) in scores.iter().zip(gold).take(n) {
        let score = clean(score);
        let b = bin_index(score, bins);
        counts[b] += 1;
        score_sums[b] += score.clamp(0.0, 1.0);
        positive_counts[b] += usize::from(is_positive);
    }
    (0..bins)
        .map(|b| ReliabilityBin {
            lower: bin_edge(b, bins),
            upper: bin_edge(b + 1, bins),
            count: counts[b],
            mean_score: if counts[b] == 0 {
                0.0
            } else {
                score_sums[b] / counts[b] as f64
            },
            positive_rate: ratio(positive_counts[b], counts[b]),
        })
        .collect()
}

/// The precision–recall curve as `(recall, precision)` points, one per
/// distinct score, in descending score order: the point for score `t` is the
/// result of predicting positive every item with score `>= t`. Tied scores
/// give one point. Recall is 0 throughout when there are no positives.
/// Empty input gives no points.
///
/// Drawn as a step function (precision `P_n` held from `R_{n-1}` to `R_n`,
/// starting at recall 0), the area under it is [`average_precision`].
pub fn precision_recall_curve(scores: &[f64], gold: &[bool]) -> Vec<(f64, f64)> {
    let groups = tie_groups_descending(scores, gold);
    let total_positives: usize = groups.iter().map(|g| g.positives).sum();
    let (mut tp, mut fp) = (0usize, 0usize);
    groups
        .iter()
        .map(|group| {
            tp += group.positives;
            fp += group.negatives;
            (ratio(tp, total_positives), ratio(tp, tp + fp))
        })
        .collect()
}

/// Items sharing one score: how many are positive and how many negative.
struct TieGroup {
    positives: usize,
    negatives: usize,
}

/// Groups the items by equal score, highest score first. Ranking metrics only
/// depend on these counts, which is what makes them independent of the order
/// of tied items.
fn tie_groups_descending(scores: &[f64], gold: &[bool]) -> Vec<TieGroup> {
    let n = paired_len(scores, gold);
    let mut items: Vec<(f64, bool)> = scores[..n]
        .iter()
        .map(|&s| clean(s))
        .zip(gold[..n].iter().copied())
        .collect();
    // `clean` removed NaN, so partial_cmp always answers; Equal is a harmless
    // fallback rather than a panic.
    items.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut groups: Vec<TieGroup> = Vec::new();
    let mut previous: Option<f64> = None;
    for (score, is_positive) in items {
        if previous != Some(score) {
            groups.push(TieGroup {
                positives: 0,
                negatives: 0,
            });
            previous = Some(score);
        }
        let group = groups.last_mut().expect("a group was pushed above");
        if is_positive {
            group.positives += 1;
        } else {
            group.negatives += 1;
        }
    }
    groups
}

/// The bin of `score` among `bins` equal-width bins of [0, 1], consistent
/// with the edges reported by [`bin_edge`]: `floor(score * bins)` can land one
/// bin off when the product rounds, so the guess is corrected against the
/// edges themselves.
fn bin_index(score: f64, bins: usize) -> usize {
    let score = score.clamp(0.0, 1.0);
    let mut b = ((score * bins as f64).floor() as usize).min(bins - 1);
    if b > 0 && score < bin_edge(b, bins) {
        b -= 1;
    } else if b + 1 < bins && score >= bin_edge(b + 1, bins) {
        b += 1;
    }
    b
}

/// Edge `k` of `bins` equal-width bins of [0, 1] (edge 0 is 0, edge `bins` is 1).
fn bin_edge(k: usize, bins: usize) -> f64 {
    k as f64 / bins as f64
}

/// `numerator / denominator`, or 0 when the denominator is 0 (the module's
/// convention for undefined precision, recall and rates).
fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// F1 from precision and recall; 0 when both are 0.
fn f1_score(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// NaN reads as 0.0 (an unscored pair's score) and -0.0 as 0.0.
fn clean(score: f64) -> f64 {
    if score.is_nan() {
        0.0
    } else {
        score + 0.0
    }
}

/// The number of items to evaluate: the common prefix of the two slices.
fn paired_len(scores: &[f64], gold: &[bool]) -> usize {
    debug_assert_eq!(
        scores.len(),
        gold.len(),
        "scores and gold must have equal lengths"
    );
    scores.len().min(gold.len())
}

#[cfg(test)]
mod tests;
