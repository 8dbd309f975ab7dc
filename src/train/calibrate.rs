//! Temperature scaling per label, and calibration as measured on dev.

use super::*;

/// Per-label temperature minimising the log-loss of `logits` against `gold`
/// (grid search on a log scale: robust, and exact enough for calibration).
pub fn fit_temperature(logits: &[f32], gold: &[bool]) -> f32 {
    let nll = |t: f32| -> f64 {
        logits
            .iter()
            .zip(gold)
            .map(|(&z, &y)| {
                let p = (score::sigmoid(z / t) as f64).clamp(1e-7, 1.0 - 1e-7);
                if y {
                    -p.ln()
                } else {
                    -(1.0 - p).ln()
                }
            })
            .sum()
    };
    let grid = (0..=200).map(|i| 0.25f32 * (16f32).powf(i as f32 / 200.0)); // 0.25 … 4
    grid.min_by(|a, b| nll(*a).total_cmp(&nll(*b)))
        .unwrap_or(1.0)
}

/// Recovers the logit of a probability the model gave at temperature 1.
pub(super) fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-7, 1.0 - 1e-7);
    (p / (1.0 - p)).ln()
}

/// Per-label temperatures fitted on the logits of the selected pairs.
pub(super) fn fit_temperatures(
    predictions: &eval::Predictions,
    select: &dyn Fn(usize) -> bool,
) -> [f32; NUM_LABELS] {
    std::array::from_fn(|l| {
        let (z, y): (Vec<f32>, Vec<bool>) = (0..predictions.pairs.len())
            .filter(|&i| select(i))
            .map(|i| {
                (
                    logit(predictions.scores[i][l]),
                    predictions.pairs[i].gold[l],
                )
            })
            .unzip();
        fit_temperature(&z, &y)
    })
}

/// Calibration as measured on dev. The shipped temperatures come from the
/// train cross-validation when there was one (then every dev figure is
/// held out), else from all of dev (then `ece_dev` is in-sample).
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// "train cross-validation" or "dev".
    pub fitted_on: String,
    pub temperature: [f32; NUM_LABELS],
    pub ece_uncalibrated: f64,
    /// Dev ECE with the shipped temperatures.
    pub ece_dev: f64,
    /// Dev ECE with temperatures fitted on one half of dev's articles and measured on the other.
    pub ece_cross_fitted: f64,
}

/// `predictions`: dev scored at temperature 1. `shipped`: temperatures fitted elsewhere, if any.
pub fn calibrate(
    predictions: &eval::Predictions,
    shipped: Option<[f32; NUM_LABELS]>,
) -> Calibration {
    use crate::eval::metrics::expected_calibration_error as ece;
    let pairs = &predictions.pairs;
    let logits: &Vec<[f32; NUM_LABELS]> =
        &predictions.scores.iter().map(|s| s.map(logit)).collect();
    let flat_ece = |temps: &dyn Fn(usize) -> [f32; NUM_LABELS]| -> f64 {
        let (s, y): (Vec<f64>, Vec<bool>) = (0..pairs.len())
            .flat_map(|i| {
                let t = temps(i);
                (0..NUM_LABELS).map(move |l| {
                    (
                        crate::types::round_score(score::sigmoid(logits[i][l] / t[l])),
                        pairs[i].gold[l],
                    )
                })
            })
            .unzip();
        ece(&s, &y, eval::ECE_BINS)
    };
    let half = |i: usize| pairs[i].article.is_multiple_of(2);
    let (even, odd) = (
        fit_temperatures(predictions, &|i| half(i)),
        fit_temperatures(predictions, &|i| !half(i)),
    );
    let (temperature, fitted_on) = match shipped {
        Some(t) => (t, "train cross-validation"),
        None => (fit_temperatures(predictions, &|_| true), "dev"),
    };
    Calibration {
        fitted_on: fitted_on.to_string(),
        temperature,
        ece_uncalibrated: flat_ece(&|_| [1.0; NUM_LABELS]),
        ece_dev: flat_ece(&|_| temperature),
        // each half scored with the temperature fitted on the other half
        ece_cross_fitted: flat_ece(&|i| if half(i) { odd } else { even }),
    }
}
