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
mod tests {
    use super::*;

    const T: bool = true;
    const F: bool = false;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
        }};
    }

    // Worked example used by several tests:
    //   score: 0.9  0.8  0.7  0.6  0.3  0.1
    //   gold:   T    F    T    T    F    F
    // At threshold 0.5 the first four are predicted positive, 3 of them
    // gold positive; there are 3 positives in all.
    const SCORES: [f64; 6] = [0.9, 0.8, 0.7, 0.6, 0.3, 0.1];
    const GOLD: [bool; 6] = [T, F, T, T, F, F];

    #[test]
    fn binary_metrics_worked_example() {
        // precision = 3/4, recall = 3/3, F1 = 2 * 0.75 * 1 / 1.75 = 6/7.
        let m = binary_metrics(&SCORES, &GOLD, 0.5);
        assert_eq!(
            (
                m.count,
                m.positives,
                m.predicted_positives,
                m.true_positives
            ),
            (6, 3, 4, 3)
        );
        assert_close!(m.precision, 0.75);
        assert_close!(m.recall, 1.0);
        assert_close!(m.f1, 6.0 / 7.0);
        assert_close!(m.pr_auc.unwrap(), 29.0 / 36.0);
        assert_close!(m.roc_auc.unwrap(), 7.0 / 9.0);
        assert_eq!(m.threshold, 0.5);
    }

    #[test]
    fn average_precision_worked_example() {
        // Descending: 0.9 T -> P 1/1, R 1/3: adds 1/3 * 1   = 1/3
        //             0.8 F -> recall unchanged: adds 0
        //             0.7 T -> P 2/3, R 2/3: adds 1/3 * 2/3 = 2/9
        //             0.6 T -> P 3/4, R 3/3: adds 1/3 * 3/4 = 1/4
        // AP = 12/36 + 8/36 + 9/36 = 29/36.
        assert_close!(average_precision(&SCORES, &GOLD).unwrap(), 29.0 / 36.0);
    }

    #[test]
    fn roc_auc_worked_example() {
        // Positives 0.9, 0.7, 0.6 against negatives 0.8, 0.3, 0.1:
        // 0.9 beats 3, 0.7 beats 2, 0.6 beats 2: 7 of 9 pairs.
        assert_close!(roc_auc(&SCORES, &GOLD).unwrap(), 7.0 / 9.0);
    }

    #[test]
    fn precision_recall_curve_worked_example() {
        // One point per distinct score, (recall, precision):
        // >=0.9: TP1 FP0; >=0.8: TP1 FP1; >=0.7: TP2 FP1; >=0.6: TP3 FP1;
        // >=0.3: TP3 FP2; >=0.1: TP3 FP3.
        let expected = [
            (1.0 / 3.0, 1.0),
            (1.0 / 3.0, 0.5),
            (2.0 / 3.0, 2.0 / 3.0),
            (1.0, 0.75),
            (1.0, 0.6),
            (1.0, 0.5),
        ];
        let curve = precision_recall_curve(&SCORES, &GOLD);
        assert_eq!(curve.len(), expected.len());
        for (got, want) in curve.iter().zip(expected) {
            assert!(
                close(got.0, want.0) && close(got.1, want.1),
                "{got:?} != {want:?}"
            );
        }
    }

    // Ties: scores 0.8 T | 0.5 T, 0.5 F, 0.5 F | 0.2 T  (3 positives, 2 negatives).
    const TIE_SCORES: [f64; 5] = [0.5, 0.8, 0.5, 0.2, 0.5];
    const TIE_GOLD: [bool; 5] = [F, T, T, T, F];

    #[test]
    fn average_precision_groups_ties() {
        // >=0.8: TP1 FP0, P 1,   R 1/3: adds 1/3
        // >=0.5: TP2 FP2, P 1/2, R 2/3: adds 1/3 * 1/2 = 1/6
        // >=0.2: TP3 FP2, P 3/5, R 1:   adds 1/3 * 3/5 = 1/5
        // AP = 10/30 + 5/30 + 6/30 = 0.7, whatever the order of the tied items.
        assert_close!(average_precision(&TIE_SCORES, &TIE_GOLD).unwrap(), 0.7);
        let reordered_scores = [0.5, 0.5, 0.5, 0.8, 0.2];
        let reordered_gold = [F, F, T, T, T];
        assert_close!(
            average_precision(&reordered_scores, &reordered_gold).unwrap(),
            0.7
        );
        let curve = precision_recall_curve(&TIE_SCORES, &TIE_GOLD);
        assert_eq!(curve.len(), 3);
        assert!(close(curve[1].0, 2.0 / 3.0) && close(curve[1].1, 0.5));
    }

    #[test]
    fn roc_auc_counts_ties_as_half() {
        // Positive 0.8 beats both negatives (0.5, 0.5): 2.
        // Positive 0.5 ties both negatives: 2 * 1/2 = 1.
        // Positive 0.2 beats none: 0.   AUC = 3 / (3 * 2) = 0.5.
        assert_close!(roc_auc(&TIE_SCORES, &TIE_GOLD).unwrap(), 0.5);
    }

    #[test]
    fn all_scores_tied() {
        // One threshold: everything predicted, precision 2/4, recall 1 -> AP 0.5;
        // every (pos, neg) pair is a tie -> ROC-AUC 0.5.
        let scores = [0.5; 4];
        let gold = [T, F, F, T];
        assert_close!(average_precision(&scores, &gold).unwrap(), 0.5);
        assert_close!(roc_auc(&scores, &gold).unwrap(), 0.5);
    }

    #[test]
    fn no_positives() {
        // Nothing to recall: recall 0 by convention, precision 0/2 = 0, F1 0;
        // AP and ROC-AUC undefined.
        let m = binary_metrics(&[0.9, 0.6, 0.1], &[F, F, F], 0.5);
        assert_eq!(
            (m.positives, m.predicted_positives, m.true_positives),
            (0, 2, 0)
        );
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        assert_eq!((m.pr_auc, m.roc_auc), (None, None));
        assert_eq!(
            precision_recall_curve(&[0.9, 0.1], &[F, F]),
            vec![(0.0, 0.0), (0.0, 0.0)]
        );
    }

    #[test]
    fn all_positives() {
        // Scores 0.9 0.4 0.1, all positive, threshold 0.5: predicted {0.9}:
        // precision 1/1, recall 1/3, F1 = 2 * (1/3) / (4/3) = 0.5.
        // Precision is 1 at every threshold -> AP 1; no negatives -> ROC-AUC None.
        let m = binary_metrics(&[0.9, 0.4, 0.1], &[T, T, T], 0.5);
        assert_close!(m.precision, 1.0);
        assert_close!(m.recall, 1.0 / 3.0);
        assert_close!(m.f1, 0.5);
        assert_close!(m.pr_auc.unwrap(), 1.0);
        assert_eq!(m.roc_auc, None);
    }

    #[test]
    fn all_predicted_positive() {
        // Threshold 0 predicts all 3; 1 positive: precision 1/3, recall 1,
        // F1 = 2 * (1/3) / (4/3) = 0.5.
        let m = binary_metrics(&[0.9, 0.4, 0.1], &[T, F, F], 0.0);
        assert_eq!(m.predicted_positives, 3);
        assert_close!(m.precision, 1.0 / 3.0);
        assert_close!(m.recall, 1.0);
        assert_close!(m.f1, 0.5);
    }

    #[test]
    fn nothing_predicted_positive() {
        // Threshold above every score: precision 0 (0/0), recall 0/1, F1 0.
        let m = binary_metrics(&[0.9, 0.4], &[T, F], 1.5);
        assert_eq!(m.predicted_positives, 0);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn score_equal_to_threshold_is_positive() {
        // Scores 0.5 (T), 0.49999 (T), 0.7 (F) at threshold 0.5: predicted
        // {0.5, 0.7}, TP 1: precision 1/2, recall 1/2, F1 1/2.
        let m = binary_metrics(&[0.5, 0.49999, 0.7], &[T, T, F], 0.5);
        assert_eq!((m.predicted_positives, m.true_positives), (2, 1));
        assert_close!(m.precision, 0.5);
        assert_close!(m.recall, 0.5);
        assert_close!(m.f1, 0.5);
    }

    #[test]
    fn empty_input() {
        let m = binary_metrics(&[], &[], 0.5);
        assert_eq!((m.count, m.precision, m.recall, m.f1), (0, 0.0, 0.0, 0.0));
        assert_eq!((m.pr_auc, m.roc_auc), (None, None));
        assert_eq!(expected_calibration_error(&[], &[], 10), 0.0);
        assert!(precision_recall_curve(&[], &[]).is_empty());
        assert!(reliability_bins(&[], &[], 10).iter().all(|b| b.count == 0));
    }

    #[test]
    fn nan_score_reads_as_zero() {
        // NaN behaves exactly like 0.0: same metrics as scores [0.9, 0.0].
        let with_nan = binary_metrics(&[0.9, f64::NAN], &[F, T], 0.0);
        let with_zero = binary_metrics(&[0.9, 0.0], &[F, T], 0.0);
        assert_eq!(with_nan.predicted_positives, with_zero.predicted_positives);
        assert_eq!(with_nan.pr_auc, with_zero.pr_auc);
        assert_eq!(with_nan.roc_auc, Some(0.0));
        let json = serde_json::to_string(&with_nan).unwrap();
        assert!(!json.contains("NaN") && !json.contains("null"), "{json}");
    }

    #[test]
    fn matches_scikit_learn_on_a_random_case() {
        // Expected values from scikit-learn 1.9.1:
        //   average_precision_score(gold, scores) = 0.80030303030303018
        //   roc_auc_score(gold, scores)           = 0.76785714285714279
        // on these inputs (random, scores rounded to one decimal so there are
        // many ties, gold drawn with P(positive) = 0.4 + 0.4 * score).
        let scores = [
            0.6, 0.8, 0.3, 0.1, 0.7, 0.9, 0.3, 0.2, 0.7, 0.9, 0.1, 0.0, 0.4, 0.3, 0.6, 0.2, 0.0,
            0.3, 0.2, 0.3, 0.4, 0.2, 1.0, 0.6,
        ];
        let gold = [
            0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0,
        ]
        .map(|g| g == 1);
        assert!(
            (average_precision(&scores, &gold).unwrap() - 0.800_303_030_303_030_2).abs() < 1e-12
        );
        assert!((roc_auc(&scores, &gold).unwrap() - 0.767_857_142_857_142_8).abs() < 1e-12);
    }

    #[test]
    fn ece_perfectly_calibrated_is_zero() {
        // 10 bins. Bin 0: two 0.0 scores, both negative (mean 0, rate 0).
        // Bin 2: four 0.25 scores, one positive (mean 0.25, rate 1/4).
        // Bin 7: four 0.75 scores, three positive (mean 0.75, rate 3/4).
        // Bin 9: one 1.0 score, positive (1.0 goes in the last bin; mean 1, rate 1).
        // Every gap is 0, so ECE = 0.
        let scores = [
            0.0, 0.0, 0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75, 1.0,
        ];
        let gold = [F, F, T, F, F, F, T, T, T, F, T];
        assert_close!(expected_calibration_error(&scores, &gold, 10), 0.0);
        let bins = reliability_bins(&scores, &gold, 10);
        assert_eq!(
            bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            [2, 0, 4, 0, 0, 0, 0, 4, 0, 1]
        );
    }

    #[test]
    fn ece_badly_calibrated() {
        // 10 bins. Bin 9: four 0.9 scores, one positive: gap |0.9 - 0.25| = 0.65.
        // Bin 1: two 0.1 scores, both positive: gap |0.1 - 1| = 0.9.
        // ECE = 4/6 * 0.65 + 2/6 * 0.9 = (2.6 + 1.8) / 6 = 11/15.
        let scores = [0.9, 0.9, 0.9, 0.9, 0.1, 0.1];
        let gold = [F, F, F, T, T, T];
        assert_close!(expected_calibration_error(&scores, &gold, 10), 11.0 / 15.0);
    }

    #[test]
    fn ece_uses_the_mean_score_within_a_bin() {
        // One bin [0.6, 0.7) holding 0.62 (T) and 0.68 (F): mean 0.65, rate 0.5,
        // ECE = |0.65 - 0.5| = 0.15.
        assert_close!(expected_calibration_error(&[0.62, 0.68], &[T, F], 10), 0.15);
    }

    #[test]
    fn reliability_bins_edges() {
        // 4 bins: [0, .25) [.25, .5) [.5, .75) [.75, 1].
        // 0.1 F, 0.2 T -> bin 0: count 2, mean 0.15, rate 0.5
        // 0.25 F       -> bin 1 (lower edge is inclusive): mean 0.25, rate 0
        // 0.6 T        -> bin 2; 1.0 T -> bin 3 (last bin holds 1.0)
        // -0.2 F, 1.3 T: out of range, clamped into bins 0 and 3 as 0.0 and 1.0.
        let scores = [0.1, 0.2, 0.25, 0.6, 1.0, -0.2, 1.3];
        let gold = [F, T, F, T, T, F, T];
        let bins = reliability_bins(&scores, &gold, 4);
        assert_eq!(bins.len(), 4);
        assert_eq!(
            bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            [3, 1, 1, 2]
        );
        assert_close!(bins[0].mean_score, 0.1); // (0.1 + 0.2 + 0.0) / 3
        assert_close!(bins[0].positive_rate, 1.0 / 3.0);
        assert_close!(bins[1].mean_score, 0.25);
        assert_eq!(bins[1].positive_rate, 0.0);
        assert_close!(bins[3].mean_score, 1.0);
        assert_eq!(
            (bins[0].lower, bins[0].upper, bins[3].lower, bins[3].upper),
            (0.0, 0.25, 0.75, 1.0)
        );
    }

    #[test]
    fn bin_index_agrees_with_the_edges() {
        // Every decimal edge k/10 must fall in bin k, despite rounding in k/10 * 10.
        for k in 0..=10 {
            let score = k as f64 / 10.0;
            assert_eq!(bin_index(score, 10), k.min(9), "score {score}");
        }
        for k in 0..100 {
            let score = k as f64 * 0.01;
            let b = bin_index(score, 10);
            assert!(
                bin_edge(b, 10) <= score && (score < bin_edge(b + 1, 10) || b == 9),
                "score {score}"
            );
        }
        assert_eq!(reliability_bins(&[0.3], &[T], 0).len(), 1);
    }

    #[test]
    fn best_threshold_separates_when_it_can() {
        // Positives at 0.3 and 0.35, negatives below 0.2 and one at 0.9:
        // any threshold in (0.2, 0.3] finds both positives with one false
        // positive (F1 0.8); 0.3 is the one nearest 0.5.
        let scores = [0.1, 0.15, 0.3, 0.35, 0.9];
        let gold = [F, F, T, T, F];
        assert_close!(best_f1_threshold(&scores, &gold), 0.3);
        assert_close!(binary_metrics(&scores, &gold, 0.3).f1, 0.8);
    }

    #[test]
    fn best_threshold_prefers_one_half_on_ties() {
        // Perfectly separated at any threshold in (0.2, 0.8]: 0.5 wins the tie.
        assert_close!(best_f1_threshold(&[0.2, 0.8], &[F, T]), 0.5);
        // No positives: F1 is 0 everywhere, so 0.5 again.
        assert_close!(best_f1_threshold(&[0.2, 0.8], &[F, F]), 0.5);
        // All positives: every threshold at or below the lowest score gives
        // F1 1; the nearest to 0.5 among them is the lowest score itself.
        assert_close!(best_f1_threshold(&[0.42, 0.9], &[T, T]), 0.42);
    }
}
