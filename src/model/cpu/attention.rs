//! Multi-head self-attention over packed sequences.
//!
//! Sequences lie end to end (a [`crate::model::Batch`]'s `cu_lengths`), so each
//! one attends only to its own tokens: no padding, no mask, no wasted work on
//! short sequences in a batch with a long one. The per-head products are small
//! (sequence length × head size, e.g. 30 × 32), far below where a gemm call
//! pays off, so they are plain loops that vectorise over the sequence (scores)
//! and over the head dimension (weighted values).

use rayon::prelude::*;

use super::kernels::softmax_row;
use super::simd::dispatch;

/// `qkv`: `(tokens × 3·hidden)` rows laid out `[q | k | v]`, each `hidden =
/// heads × head_dim` wide, bias already added. Writes the attended values,
/// heads side by side, into `ctx` `(tokens × hidden)`.
pub fn attention(
    qkv: &[f32],
    cu_lengths: &[usize],
    heads: usize,
    head_dim: usize,
    ctx: &mut [f32],
) {
    let hidden = heads * head_dim;
    let tokens = cu_lengths.last().copied().unwrap_or(0);
    assert_eq!(qkv.len(), tokens * 3 * hidden, "qkv is (tokens × 3·hidden)");
    assert_eq!(ctx.len(), tokens * hidden, "ctx is (tokens × hidden)");
    // One task per sequence, each owning its rows of `ctx`.
    let mut tasks = Vec::with_capacity(cu_lengths.len().saturating_sub(1));
    let mut rest = ctx;
    for window in cu_lengths.windows(2) {
        let len = window[1] - window[0];
        let (mine, others) = rest.split_at_mut(len * hidden);
        tasks.push((&qkv[window[0] * 3 * hidden..window[1] * 3 * hidden], mine));
        rest = others;
    }
    let scale = 1.0 / (head_dim as f32).sqrt();
    tasks
        .into_par_iter()
        .for_each(|(qkv, ctx)| dispatch!(attend_sequence(qkv, ctx, heads, head_dim, scale)));
}

/// Queries per block: their accumulators stay in registers while each key or
/// value row is loaded once for all of them.
const QUERY_BLOCK: usize = 4; // the four accumulators named in attend_heads
/// Keys per score block: one AVX-512 register of f32.
const KEY_BLOCK: usize = 16;

#[inline(always)]
fn attend_sequence(qkv: &[f32], ctx: &mut [f32], heads: usize, head_dim: usize, scale: f32) {
    // Fixed head sizes let the compiler keep a block's accumulators in registers.
    match head_dim {
        32 => attend_heads::<32>(qkv, ctx, heads, scale),
        64 => attend_heads::<64>(qkv, ctx, heads, scale),
        16 => attend_heads::<16>(qkv, ctx, heads, scale),
        128 => attend_heads::<128>(qkv, ctx, heads, scale),
        _ => attend_heads_any(qkv, ctx, heads, head_dim, scale),
    }
}

/// Blocked attention of one sequence for head size `HD`.
#[inline(always)]
fn attend_heads<const HD: usize>(qkv: &[f32], ctx: &mut [f32], heads: usize, scale: f32) {
    let hidden = heads * HD;
    let stride = 3 * hidden;
    let len = ctx.len() / hidden;
    // Keys padded to whole blocks with zeros, so the score loops have no tails.
    let padded = len.div_ceil(KEY_BLOCK) * KEY_BLOCK;
    let mut keys_t = vec![0f32; HD * padded];
    let mut scores = vec![0f32; len * padded];
    for head in 0..heads {
        let (q_at, k_at, v_at) = (head * HD, hidden + head * HD, 2 * hidden + head * HD);
        for j in 0..len {
            let key: &[f32; HD] = qkv[j * stride + k_at..][..HD]
                .try_into()
                .expect("HD values");
            for (d, &k) in key.iter().enumerate() {
                keys_t[d * padded + j] = k;
            }
        }
        let query = |i: usize| -> &[f32; HD] {
            qkv[i * stride + q_at..][..HD]
                .try_into()
                .expect("HD values")
        };

        // scores = Q·Kᵀ, QUERY_BLOCK × KEY_BLOCK at a time. Past the last
        // query a block repeats it: same work, no branch inside the loops.
        for i0 in (0..len).step_by(QUERY_BLOCK) {
            let rows = QUERY_BLOCK.min(len - i0);
            let [q0, q1, q2, q3] = std::array::from_fn(|r| query(i0 + r.min(rows - 1)));
            for j0 in (0..padded).step_by(KEY_BLOCK) {
                // Four named accumulators: LLVM keeps each in one register.
                let (mut a0, mut a1, mut a2, mut a3) = (
                    [0f32; KEY_BLOCK],
                    [0f32; KEY_BLOCK],
                    [0f32; KEY_BLOCK],
                    [0f32; KEY_BLOCK],
                );
                for d in 0..HD {
                    let keys: &[f32; KEY_BLOCK] = keys_t[d * padded + j0..][..KEY_BLOCK]
                        .try_into()
                        .expect("a key block");
                    axpy(&mut a0, q0[d], keys);
                    axpy(&mut a1, q1[d], keys);
                    axpy(&mut a2, q2[d], keys);
                    axpy(&mut a3, q3[d], keys);
                }
                for (r, acc) in [a0, a1, a2, a3].iter().enumerate().take(rows) {
                    scores[(i0 + r) * padded + j0..][..KEY_BLOCK].copy_from_slice(acc);
                }
            }
        }
        for row in scores.chunks_exact_mut(padded) {
            softmax_row(&mut row[..len], scale);
        }

        // ctx = P·V, QUERY_BLOCK rows at a time.
        for i0 in (0..len).step_by(QUERY_BLOCK) {
            let rows = QUERY_BLOCK.min(len - i0);
            let [p0, p1, p2, p3]: [&[f32]; QUERY_BLOCK] =
                std::array::from_fn(|r| &scores[(i0 + r.min(rows - 1)) * padded..][..len]);
            let (mut a0, mut a1, mut a2, mut a3) = ([0f32; HD], [0f32; HD], [0f32; HD], [0f32; HD]);
            for j in 0..len {
                let value: &[f32; HD] = qkv[j * stride + v_at..][..HD]
                    .try_into()
                    .expect("HD values");
                axpy(&mut a0, p0[j], value);
                axpy(&mut a1, p1[j], value);
                axpy(&mut a2, p2[j], value);
                axpy(&mut a3, p3[j], value);
            }
            for (r, acc) in [a0, a1, a2, a3].iter().enumerate().take(rows) {
                ctx[(i0 + r) * hidden + q_at..][..HD].copy_from_slice(acc);
            }
        }
    }
}

/// `acc += a · x`, lane by lane.
#[inline(always)]
fn axpy<const N: usize>(acc: &mut [f32; N], a: f32, x: &[f32; N]) {
    for (acc, &x) in acc.iter_mut().zip(x) {
        *acc += a * x;
    }
}

/// Any head size: the same computation, unblocked.
#[inline(always)]
fn attend_heads_any(qkv: &[f32], ctx: &mut [f32], heads: usize, head_dim: usize, scale: f32) {
    let hidden = heads * head_dim;
    let stride = 3 * hidden;
    let len = ctx.len() / hidden;
    // K of one head transposed (head_dim × len), so a query's scores are
    // head_dim vector updates over a contiguous row.
    let mut keys_t = vec![0f32; head_dim * len];
    let mut scores = vec![0f32; len];
    for head in 0..heads {
        let (q_at, k_at, v_at) = (
            head * head_dim,
            hidden + head * head_dim,
            2 * hidden + head * head_dim,
        );
        for j in 0..len {
            let key = &qkv[j * stride + k_at..j * stride + k_at + head_dim];
            for (d, &k) in key.iter().enumerate() {
                keys_t[d * len + j] = k;
            }
        }
        for i in 0..len {
            let query = &qkv[i * stride + q_at..i * stride + q_at + head_dim];
            scores.fill(0.0);
            for (d, &q) in query.iter().enumerate() {
                for (s, &k) in scores.iter_mut().zip(&keys_t[d * len..(d + 1) * len]) {
                    *s += q * k;
                }
            }
            softmax_row(&mut scores, scale);
            let out = &mut ctx[i * hidden + q_at..i * hidden + q_at + head_dim];
            out.fill(0.0);
            for (j, &p) in scores.iter().enumerate() {
                let value = &qkv[j * stride + v_at..j * stride + v_at + head_dim];
                for (o, &v) in out.iter_mut().zip(value) {
                    *o += p * v;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Straightforward f64 attention of one sequence.
    fn reference(qkv: &[f32], len: usize, heads: usize, head_dim: usize) -> Vec<f32> {
        let hidden = heads * head_dim;
        let at = |t: usize, part: usize, h: usize, d: usize| {
            qkv[t * 3 * hidden + part * hidden + h * head_dim + d] as f64
        };
        let mut out = vec![0f32; len * hidden];
        for h in 0..heads {
            for i in 0..len {
                let s: Vec<f64> = (0..len)
                    .map(|j| {
                        (0..head_dim)
                            .map(|d| at(i, 0, h, d) * at(j, 1, h, d))
                            .sum::<f64>()
                            / (head_dim as f64).sqrt()
                    })
                    .collect();
                let m = s.iter().cloned().fold(f64::MIN, f64::max);
                let e: Vec<f64> = s.iter().map(|x| (x - m).exp()).collect();
                let z: f64 = e.iter().sum();
                for d in 0..head_dim {
                    out[i * hidden + h * head_dim + d] =
                        ((0..len).map(|j| e[j] / z * at(j, 2, h, d)).sum::<f64>()) as f32;
                }
            }
        }
        out
    }

    #[test]
    fn packed_sequences_attend_only_to_themselves() {
        for head_dim in [8, 32, 64] {
            check_packed(3, head_dim);
        }
    }

    fn check_packed(heads: usize, head_dim: usize) {
        let hidden = heads * head_dim;
        let lengths = [5usize, 1, 19];
        let cu: Vec<usize> = std::iter::once(0)
            .chain(lengths.iter().scan(0, |a, &l| {
                *a += l;
                Some(*a)
            }))
            .collect();
        let tokens = *cu.last().unwrap();
        let qkv: Vec<f32> = (0..tokens * 3 * hidden)
            .map(|i| ((i * 7919 % 1000) as f32 / 500.0 - 1.0) * 2.0)
            .collect();
        let mut ctx = vec![f32::NAN; tokens * hidden];
        attention(&qkv, &cu, heads, head_dim, &mut ctx);
        for w in cu.windows(2) {
            let want = reference(
                &qkv[w[0] * 3 * hidden..w[1] * 3 * hidden],
                w[1] - w[0],
                heads,
                head_dim,
            );
            for (a, b) in ctx[w[0] * hidden..w[1] * hidden].iter().zip(&want) {
                assert!((a - b).abs() < 1e-5, "{a} vs {b}");
            }
        }
    }
}
