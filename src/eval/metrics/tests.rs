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
        0.6, 0.8, 0.3, 0.1, 0.7, 0.9, 0.3, 0.2, 0.7, 0.9, 0.1, 0.0, 0.4, 0.3, 0.6, 0.2, 0.0, 0.3,
        0.2, 0.3, 0.4, 0.2, 1.0, 0.6,
    ];
    let gold = [
        0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0,
    ]
    .map(|g| g == 1);
    assert!((average_precision(&scores, &gold).unwrap() - 0.800_303_030_303_030_2).abs() < 1e-12);
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
