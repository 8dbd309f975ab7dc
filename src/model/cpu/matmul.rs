//! Dense layers as single gemm calls on row-major f32 buffers.
//!
//! The gemm crate is the one candle's CPU backend uses; calling it directly
//! lets the encoder write straight into its own buffers (no tensor allocation
//! per op) and lets the bias and activation be fused into the pass that
//! follows (see [`super::kernels`]). With the `x86-v4` feature (Cargo.toml)
//! gemm picks its AVX-512 kernels at run time where the CPU has them.

/// A linear layer's weight as gemm reads it: `(in_dim × out_dim)` row-major,
/// i.e. the transpose of the checkpoint's `(out, in)` matrix, so each product
/// streams the weight rows contiguously.
#[derive(Debug, Clone)]
pub struct Weight {
    pub data: Vec<f32>,
    pub in_dim: usize,
    pub out_dim: usize,
}

impl Weight {
    /// From the checkpoint layout `(out_dim × in_dim)` row-major.
    pub fn from_out_in(w: &[f32], out_dim: usize, in_dim: usize) -> Weight {
        assert_eq!(w.len(), out_dim * in_dim, "weight size");
        let mut data = vec![0f32; w.len()];
        for o in 0..out_dim {
            for i in 0..in_dim {
                data[i * out_dim + o] = w[o * in_dim + i];
            }
        }
        Weight {
            data,
            in_dim,
            out_dim,
        }
    }

    /// Stacks weights with the same `in_dim` side by side (e.g. Q, K and V into one product).
    pub fn concat_outputs(parts: &[Weight]) -> Weight {
        let in_dim = parts[0].in_dim;
        assert!(
            parts.iter().all(|p| p.in_dim == in_dim),
            "concatenated weights share in_dim"
        );
        let out_dim: usize = parts.iter().map(|p| p.out_dim).sum();
        let mut data = Vec::with_capacity(in_dim * out_dim);
        for i in 0..in_dim {
            for p in parts {
                data.extend_from_slice(&p.data[i * p.out_dim..(i + 1) * p.out_dim]);
            }
        }
        Weight {
            data,
            in_dim,
            out_dim,
        }
    }
}

/// `out = xs · w` for `rows` rows: `xs` is `(rows × w.in_dim)`, `out` is
/// `(rows × w.out_dim)`, both row-major. `out` is overwritten.
pub fn matmul(xs: &[f32], w: &Weight, out: &mut [f32]) {
    let rows = xs.len() / w.in_dim;
    assert_eq!(xs.len(), rows * w.in_dim, "input is whole rows");
    assert_eq!(out.len(), rows * w.out_dim, "output is whole rows");
    if rows == 0 {
        return;
    }
    let threads = rayon::current_num_threads();
    let parallelism = if threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    // SAFETY: the three buffers hold exactly the (rows × in), (in × out) and
    // (rows × out) row-major matrices the strides describe (checked above),
    // and `out` does not alias the inputs (Rust's borrows guarantee it).
    unsafe {
        gemm::gemm(
            rows,
            w.out_dim,
            w.in_dim,
            out.as_mut_ptr(),
            1,
            w.out_dim as isize,
            false,
            xs.as_ptr(),
            1,
            w.in_dim as isize,
            w.data.as_ptr(),
            1,
            w.out_dim as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_product() {
        let (rows, in_dim, out_dim) = (5, 7, 3);
        let xs: Vec<f32> = (0..rows * in_dim).map(|i| (i as f32 * 0.3).sin()).collect();
        let w_out_in: Vec<f32> = (0..out_dim * in_dim)
            .map(|i| (i as f32 * 0.7).cos())
            .collect();
        let w = Weight::from_out_in(&w_out_in, out_dim, in_dim);
        let mut out = vec![f32::NAN; rows * out_dim];
        matmul(&xs, &w, &mut out);
        for r in 0..rows {
            for o in 0..out_dim {
                let want: f32 = (0..in_dim)
                    .map(|i| xs[r * in_dim + i] * w_out_in[o * in_dim + i])
                    .sum();
                assert!((out[r * out_dim + o] - want).abs() < 1e-5);
            }
        }
        let both = Weight::concat_outputs(&[w.clone(), w.clone()]);
        let mut out2 = vec![0f32; rows * out_dim * 2];
        matmul(&xs, &both, &mut out2);
        for r in 0..rows {
            assert_eq!(
                &out2[r * 2 * out_dim..r * 2 * out_dim + out_dim],
                &out[r * out_dim..(r + 1) * out_dim]
            );
            assert_eq!(
                &out2[r * 2 * out_dim + out_dim..(r + 1) * 2 * out_dim],
                &out[r * out_dim..(r + 1) * out_dim]
            );
        }
    }
}
