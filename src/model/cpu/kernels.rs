//! Element-wise and row-wise f32 kernels of the encoder: exp, erf, the
//! activations, softmax and layer norm, each fused with the bias and residual
//! additions around it so every activation is read and written once.
//!
//! The scalar functions are branch-free and `#[inline(always)]`, so the loops
//! that call them vectorise (see [`super::simd`]); candle's own versions are
//! scalar calls to libm, which is where ~20% of its encoder time went.
//! Reductions keep [`LANES`] partial sums, because LLVM may not reorder a
//! single float accumulator and would then leave the loop scalar.

use rayon::prelude::*;

use super::simd::dispatch;

/// Partial sums per reduction: one AVX-512 register of f32.
const LANES: usize = 16;

/// Rows per parallel task: large enough that rayon's per-task cost vanishes.
const MIN_ROWS_PER_TASK: usize = 16;

/// e^x, within 2 ulp over the f32 range (Cephes' polynomial after range
/// reduction by ln 2); below -87.3 it returns ~1e-38 instead of 0.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Adding 1.5·2^23 rounds to an integer in the low mantissa bits.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.3, 88.3);
    let shifted = x * LOG2E + ROUND;
    let n = shifted - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4_f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 5e-1;
    let e_r = p * r * r + r + 1.0;
    // 2^n from the integer in `shifted`'s low bits, placed in the exponent field.
    let n_int = shifted.to_bits().wrapping_sub(ROUND.to_bits()) as i32;
    let scale = f32::from_bits(((n_int + 127) as u32) << 23);
    e_r * scale
}

/// erf(x) with absolute error below 5e-7 (Abramowitz & Stegun 7.1.26: 1.5e-7,
/// plus f32 rounding where `1 - poly·e^{-x²}` cancels near 0, which GELU
/// multiplies by x, so its error there stays below 1e-8).
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    let magnitude = 1.0 - poly * exp(-a * a);
    magnitude.copysign(x)
}

/// GELU as BERT defines it: x·Φ(x) with the exact normal CDF.
#[inline(always)]
pub fn gelu_erf(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// GELU's tanh approximation (`gelu_new`, `gelu_pytorch_tanh`).
#[inline(always)]
pub fn gelu_tanh(x: f32) -> f32 {
    const SQRT_2_OVER_PI: f32 = 0.797_884_6;
    let y = SQRT_2_OVER_PI * (x + 0.044_715 * x * x * x);
    // tanh(y) = 1 - 2 / (e^{2y} + 1), saturating cleanly at both ends.
    let tanh = 1.0 - 2.0 / (exp(2.0 * y) + 1.0);
    0.5 * x * (1.0 + tanh)
}

/// A BERT config's `hidden_act`, as its JSON names it (an unknown name is
/// a config error, so nothing downstream ever sees a string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub enum Activation {
    /// Exact GELU (erf).
    #[default]
    #[serde(rename = "gelu")]
    GeluErf,
    /// GELU's tanh approximation.
    #[serde(rename = "gelu_new", alias = "gelu_pytorch_tanh")]
    GeluTanh,
    #[serde(rename = "relu")]
    Relu,
}

#[inline(always)]
fn lane_sum(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += f(x);
        }
    }
    acc.iter().sum::<f32>() + tail.iter().map(|&x| f(x)).sum::<f32>()
}

#[inline(always)]
fn lane_max(xs: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a = if x > *a { x } else { *a };
        }
    }
    acc.iter()
        .chain(tail)
        .fold(f32::NEG_INFINITY, |m, &x| if x > m { x } else { m })
}

/// `row = softmax(row · scale)`, in place.
#[inline(always)]
pub fn softmax_row(row: &mut [f32], scale: f32) {
    let max = lane_max(row) * scale;
    for x in row.iter_mut() {
        *x = exp(*x * scale - max);
    }
    let inv = 1.0 / lane_sum(row, |x| x);
    for x in row.iter_mut() {
        *x *= inv;
    }
}

/// Layer norm of `row` in place (two passes: mean, then variance of the centred values).
#[inline(always)]
fn layer_norm_row(row: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let n = row.len() as f32;
    let mean = lane_sum(row, |x| x) / n;
    let var = lane_sum(row, |x| (x - mean) * (x - mean)) / n;
    let inv_std = 1.0 / (var + eps).sqrt();
    for ((x, &g), &b) in row.iter_mut().zip(gamma).zip(beta) {
        *x = (*x - mean) * inv_std * g + b;
    }
}

/// Applies `f` to groups of whole rows of `data` (rows of `width`), in parallel.
fn par_rows(data: &mut [f32], width: usize, f: impl Fn(&mut [f32]) + Sync + Send) {
    let rows = data.len() / width.max(1);
    let tasks = (rayon::current_num_threads() * 4).max(1);
    let rows_per_task = rows.div_ceil(tasks).max(MIN_ROWS_PER_TASK);
    data.par_chunks_mut(rows_per_task * width).for_each(f);
}

/// Same as [`par_rows`] over two row-aligned buffers of equal width.
fn par_rows2(
    data: &mut [f32],
    other: &[f32],
    width: usize,
    f: impl Fn(&mut [f32], &[f32]) + Sync + Send,
) {
    let rows = data.len() / width.max(1);
    let tasks = (rayon::current_num_threads() * 4).max(1);
    let chunk = rows.div_ceil(tasks).max(MIN_ROWS_PER_TASK) * width;
    data.par_chunks_mut(chunk)
        .zip(other.par_chunks(chunk))
        .for_each(|(a, b)| f(a, b));
}

/// `ys[r] += bias` for every row `r`.
pub fn add_bias(ys: &mut [f32], bias: &[f32]) {
    let width = bias.len();
    par_rows(ys, width, |rows| {
        dispatch!({
            for row in rows.chunks_exact_mut(width) {
                for (y, &b) in row.iter_mut().zip(bias) {
                    *y += b;
                }
            }
        })
    });
}

/// `ys[r] = act(ys[r] + bias)` for every row `r`.
pub fn bias_activation(ys: &mut [f32], bias: &[f32], act: Activation) {
    let width = bias.len();
    par_rows(ys, width, |rows| {
        dispatch!({
            for row in rows.chunks_exact_mut(width) {
                match act {
                    Activation::GeluErf => row
                        .iter_mut()
                        .zip(bias)
                        .for_each(|(y, &b)| *y = gelu_erf(*y + b)),
                    Activation::GeluTanh => row
                        .iter_mut()
                        .zip(bias)
                        .for_each(|(y, &b)| *y = gelu_tanh(*y + b)),
                    Activation::Relu => row
                        .iter_mut()
                        .zip(bias)
                        .for_each(|(y, &b)| *y = (*y + b).max(0.0)),
                }
            }
        })
    });
}

/// The end of a BERT sublayer: `xs[r] = LayerNorm(xs[r] + ys[r] + bias)`,
/// `xs` being the sublayer's input (the residual) and `ys` its matmul output.
pub fn residual_layer_norm(
    xs: &mut [f32],
    ys: &[f32],
    bias: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
) {
    let width = bias.len();
    par_rows2(xs, ys, width, |x_rows, y_rows| {
        dispatch!({
            for (x, y) in x_rows
                .chunks_exact_mut(width)
                .zip(y_rows.chunks_exact(width))
            {
                for ((x, &y), &b) in x.iter_mut().zip(y).zip(bias) {
                    *x += y + b;
                }
                layer_norm_row(x, gamma, beta, eps);
            }
        })
    });
}

/// Layer norm of every row of `xs` in place.
pub fn layer_norm(xs: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let width = gamma.len();
    par_rows(xs, width, |rows| {
        dispatch!({
            for row in rows.chunks_exact_mut(width) {
                layer_norm_row(row, gamma, beta, eps);
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn erf_f64(x: f64) -> f64 {
        // Maclaurin series converges fast enough on |x| <= 3 in f64; beyond, erf = ±1 to f32 precision.
        if x.abs() > 3.0 {
            let big = 1.0
                - (-x * x).exp() / (x.abs() * std::f64::consts::PI.sqrt()) * (1.0 - 0.5 / (x * x));
            return big.copysign(x);
        }
        let mut term = x;
        let mut sum = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            sum += term / (2 * n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn exp_is_accurate() {
        let mut worst: f64 = 0.0;
        for i in -87_000..88_000 {
            let x = i as f32 / 1000.0;
            let want = (x as f64).exp();
            worst = worst.max(((exp(x) as f64 - want) / want).abs());
        }
        assert!(worst < 3e-7, "relative error {worst}");
        assert_eq!(exp(0.0), 1.0);
        assert!(exp(-1000.0) < 1e-37 && exp(-1000.0) >= 0.0);
    }

    #[test]
    fn erf_and_gelu_are_accurate() {
        let mut worst: f64 = 0.0;
        for i in -6000..6000 {
            let x = i as f32 / 1000.0;
            worst = worst.max((erf(x) as f64 - erf_f64(x as f64)).abs());
        }
        assert!(worst < 6e-7, "absolute erf error {worst}");
        let mut worst_gelu: f64 = 0.0;
        for i in -10_000..10_000 {
            let x = i as f64 / 1000.0;
            let want = 0.5 * x * (1.0 + erf_f64(x / std::f64::consts::SQRT_2));
            worst_gelu =
                worst_gelu.max((gelu_erf(x as f32) as f64 - want).abs() / x.abs().max(1.0));
        }
        assert!(worst_gelu < 3e-7, "gelu error {worst_gelu}");
        assert!((gelu_erf(1.0) - 0.841_344_7).abs() < 1e-6);
        assert!((gelu_tanh(1.0) - 0.841_192).abs() < 1e-5);
        assert_eq!(gelu_erf(-20.0), 0.0);
        assert_eq!(gelu_tanh(30.0), 30.0);
    }

    #[test]
    fn softmax_and_layer_norm() {
        let mut row: Vec<f32> = (0..37).map(|i| (i as f32 * 0.37).sin() * 5.0).collect();
        let want: Vec<f64> = {
            let m = row.iter().fold(f32::MIN, |a, &b| a.max(b)) as f64 * 0.5;
            let e: Vec<f64> = row.iter().map(|&x| (x as f64 * 0.5 - m).exp()).collect();
            let s: f64 = e.iter().sum();
            e.iter().map(|x| x / s).collect()
        };
        softmax_row(&mut row, 0.5);
        for (a, b) in row.iter().zip(&want) {
            assert!((*a as f64 - b).abs() < 1e-7);
        }

        let width = 40;
        let mut xs: Vec<f32> = (0..width * 3)
            .map(|i| (i as f32 * 0.11).cos() * 3.0 + 1.0)
            .collect();
        let ys: Vec<f32> = (0..width * 3).map(|i| (i as f32 * 0.07).sin()).collect();
        let bias: Vec<f32> = (0..width).map(|i| i as f32 * 0.01).collect();
        let gamma = vec![2.0; width];
        let beta = vec![0.5; width];
        let mut expected = xs.clone();
        for r in 0..3 {
            let row: Vec<f64> = (0..width)
                .map(|c| (xs[r * width + c] + ys[r * width + c] + bias[c]) as f64)
                .collect();
            let mean = row.iter().sum::<f64>() / width as f64;
            let var = row.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / width as f64;
            for c in 0..width {
                expected[r * width + c] =
                    ((row[c] - mean) / (var + 1e-12).sqrt() * 2.0 + 0.5) as f32;
            }
        }
        residual_layer_norm(&mut xs, &ys, &bias, &gamma, &beta, 1e-12);
        for (a, b) in xs.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }
}
