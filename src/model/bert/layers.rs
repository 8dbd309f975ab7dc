//! The building blocks of the encoder: dense and layer-norm layers (with
//! their CPU copies) and what training needs of them.

use super::*;

/// A dense layer whose weights can be turned into trainable variables.
#[derive(Debug, Clone)]
pub struct Dense {
    weight: Tensor,
    bias: Tensor,
}

impl Dense {
    pub fn load(vb: VarBuilder, in_dim: usize, out_dim: usize) -> Result<Self> {
        Ok(Self {
            weight: vb.get((out_dim, in_dim), "weight")?,
            bias: vb.get(out_dim, "bias")?,
        })
    }

    /// `xs`: (..., in) → (..., out). Flattened to 2-D so the matmul is one gemm call.
    pub fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        let dims = xs.dims().to_vec();
        let in_dim = *dims.last().expect("dense input has a last dimension");
        let rows = xs.elem_count() / in_dim;
        let ys = xs
            .reshape((rows, in_dim))?
            .matmul(&self.weight.t()?)?
            .broadcast_add(&self.bias)?;
        let mut out_dims = dims;
        *out_dims.last_mut().expect("non-empty") = self.weight.dim(0)?;
        ys.reshape(out_dims)
    }

    pub(super) fn params(&mut self, prefix: &str, out: &mut Vec<(String, Var)>) -> Result<()> {
        promote(&mut self.weight, &format!("{prefix}.weight"), out)?;
        promote(&mut self.bias, &format!("{prefix}.bias"), out)
    }

    /// The same layer for the CPU inference path.
    pub(super) fn to_cpu(&self) -> Result<Linear> {
        let (out_dim, in_dim) = self.weight.dims2()?;
        Ok(Linear {
            weight: Weight::from_out_in(&f32_vec(&self.weight)?, out_dim, in_dim),
            bias: f32_vec(&self.bias)?,
        })
    }
}

pub(super) fn f32_vec(t: &Tensor) -> Result<Vec<f32>> {
    t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()
}

#[derive(Debug, Clone)]
pub struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    pub(super) eps: f64,
}

impl LayerNorm {
    pub(super) fn load(vb: VarBuilder, dim: usize, eps: f64) -> Result<Self> {
        // Old checkpoints name these gamma/beta.
        let weight = vb.get(dim, "weight").or_else(|_| vb.get(dim, "gamma"))?;
        let bias = vb.get(dim, "bias").or_else(|_| vb.get(dim, "beta"))?;
        Ok(Self { weight, bias, eps })
    }

    pub(super) fn forward(&self, xs: &Tensor, mode: Mode) -> Result<Tensor> {
        match mode {
            Mode::Infer => candle_nn::ops::layer_norm(
                &xs.contiguous()?,
                &self.weight,
                &self.bias,
                self.eps as f32,
            ),
            Mode::Train { .. } => {
                let mean = xs.mean_keepdim(D::Minus1)?;
                let centered = xs.broadcast_sub(&mean)?;
                let var = centered.sqr()?.mean_keepdim(D::Minus1)?;
                let normed = centered.broadcast_div(&(var + self.eps)?.sqrt()?)?;
                normed
                    .broadcast_mul(&self.weight)?
                    .broadcast_add(&self.bias)
            }
        }
    }

    pub(super) fn params(&mut self, prefix: &str, out: &mut Vec<(String, Var)>) -> Result<()> {
        promote(&mut self.weight, &format!("{prefix}.weight"), out)?;
        promote(&mut self.bias, &format!("{prefix}.bias"), out)
    }

    pub(super) fn to_cpu(&self) -> Result<Norm> {
        Ok(Norm {
            gamma: f32_vec(&self.weight)?,
            beta: f32_vec(&self.bias)?,
        })
    }
}

/// Replace a tensor by a trainable variable holding the same values.
pub(super) fn promote(tensor: &mut Tensor, name: &str, out: &mut Vec<(String, Var)>) -> Result<()> {
    let var = Var::from_tensor(tensor)?;
    *tensor = var.as_tensor().clone();
    out.push((name.to_string(), var));
    Ok(())
}
