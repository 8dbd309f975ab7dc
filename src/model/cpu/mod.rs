//! The CPU inference path of our BERT encoder, f32.
//!
//! candle's CPU backend runs each tensor op as its own pass over freshly
//! allocated memory, pads every batch, calls gemm once per (sequence, head)
//! for attention, and evaluates exp/erf with scalar libm calls. On a 2-core
//! machine that made it 2–2.5× slower than ONNX Runtime on the same model.
//! This module runs the same weights (taken from a loaded
//! [`BertModel`](super::bert::BertModel)) with:
//! - packed sequences end to end, no padding (a [`Batch`] already is one);
//! - one gemm per dense layer (Q, K and V fused into one), AVX-512 where the
//!   CPU has it, writing into buffers reused across layers;
//! - bias, activation, residual and layer norm fused into one pass after each
//!   product, with vectorised exp/erf ([`kernels`]);
//! - attention per sequence with small vectorised loops ([`attention`]).
//!
//! Inference only: training keeps candle's ops (they have backward passes).
//! [`enabled_for`] decides when loaders use this path instead of candle's.

pub mod attention;
pub mod classifier;
pub mod kernels;
pub mod matmul;
pub(crate) mod simd;

use std::sync::Mutex;

use anyhow::{bail, ensure};
use candle_core::{DType, Device};
use rayon::prelude::*;

use super::Batch;
use kernels::Activation;
use matmul::{matmul, Weight};

/// This path runs f32 on the CPU; `STANCE_CPU_ENGINE=candle` turns it off
/// (candle's generic ops then run the same model, e.g. to compare).
pub fn enabled_for(device: &Device, dtype: DType) -> bool {
    device.is_cpu()
        && dtype == DType::F32
        && std::env::var("STANCE_CPU_ENGINE").map_or(true, |v| v != "candle")
}

/// Layer-norm parameters.
#[derive(Debug, Clone)]
pub struct Norm {
    pub gamma: Vec<f32>,
    pub beta: Vec<f32>,
}

/// A dense layer: weight in gemm's layout and bias.
#[derive(Debug, Clone)]
pub struct Linear {
    pub weight: Weight,
    pub bias: Vec<f32>,
}

#[derive(Debug, Clone)]
pub struct EncoderLayer {
    /// Q, K and V side by side: one product instead of three.
    pub qkv: Linear,
    pub attn_out: Linear,
    pub attn_norm: Norm,
    pub intermediate: Linear,
    pub output: Linear,
    pub out_norm: Norm,
}

/// A BERT encoder (embeddings and layers) as plain f32 buffers.
#[derive(Debug, Clone)]
pub struct CpuEncoder {
    pub word: Vec<f32>,
    pub position: Vec<f32>,
    pub token_type: Vec<f32>,
    pub embed_norm: Norm,
    pub layers: Vec<EncoderLayer>,
    pub hidden: usize,
    pub heads: usize,
    pub activation: Activation,
    pub eps: f32,
    /// Work buffers kept from one batch to the next.
    pub scratch: Scratch,
}

/// Work buffers kept between forward passes: fresh ones would be tens of MB
/// touched for the first time on every batch (page faults, zeroing). Buffers
/// only grow; a pass uses the front of each. Concurrent passes each take
/// their own (the second finds none kept and allocates).
#[derive(Debug, Default)]
pub struct Scratch(Mutex<Vec<Vec<f32>>>);

impl Scratch {
    fn take(&self, count: usize) -> Vec<Vec<f32>> {
        let mut kept = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        kept.resize_with(count, Vec::new);
        kept
    }

    fn keep(&self, buffers: Vec<Vec<f32>>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = buffers;
    }
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}

/// The first `len` elements of `buffer`, grown (zero-filled) if it is shorter.
fn front(buffer: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if buffer.len() < len {
        buffer.resize(len, 0.0);
    }
    &mut buffer[..len]
}

/// Last hidden states of a batch, packed like the batch: rows
/// `cu_lengths[i]..cu_lengths[i + 1]` of `states` are sequence `i`.
#[derive(Debug, Clone)]
pub struct Hidden {
    pub states: Vec<f32>,
    pub cu_lengths: Vec<usize>,
    pub hidden: usize,
}

impl Hidden {
    /// Mean over each sequence's tokens (sentence-transformers' pooling), `(batch × hidden)`.
    pub fn mean_pool(&self) -> Vec<f32> {
        let h = self.hidden;
        let mut out = vec![0f32; (self.cu_lengths.len() - 1) * h];
        for (row, w) in out.chunks_exact_mut(h).zip(self.cu_lengths.windows(2)) {
            for token in self.states[w[0] * h..w[1] * h].chunks_exact(h) {
                row.iter_mut().zip(token).for_each(|(a, &x)| *a += x);
            }
            // sentence-transformers clamps the token count at 1e-9.
            let inv = 1.0 / ((w[1] - w[0]) as f32).max(1e-9);
            row.iter_mut().for_each(|a| *a *= inv);
        }
        out
    }

    /// Each sequence's first token (`[CLS]`), `(batch × hidden)`.
    pub fn first_tokens(&self) -> Vec<f32> {
        let h = self.hidden;
        self.cu_lengths[..self.cu_lengths.len() - 1]
            .iter()
            .flat_map(|&at| self.states[at * h..(at + 1) * h].iter().copied())
            .collect()
    }
}

impl CpuEncoder {
    fn check(&self) -> anyhow::Result<()> {
        let h = self.hidden;
        ensure!(
            h > 0 && self.heads > 0 && h.is_multiple_of(self.heads),
            "hidden size {h} is not a multiple of {} heads",
            self.heads
        );
        ensure!(
            self.word.len().is_multiple_of(h)
                && self.position.len().is_multiple_of(h)
                && self.token_type.len().is_multiple_of(h),
            "embedding sizes"
        );
        for layer in &self.layers {
            ensure!(
                layer.qkv.weight.in_dim == h && layer.qkv.weight.out_dim == 3 * h,
                "qkv weight shape"
            );
            ensure!(
                layer.attn_out.weight.in_dim == h && layer.attn_out.weight.out_dim == h,
                "attention output shape"
            );
            ensure!(layer.intermediate.weight.in_dim == h, "intermediate shape");
            ensure!(
                layer.output.weight.in_dim == layer.intermediate.weight.out_dim
                    && layer.output.weight.out_dim == h,
                "output shape"
            );
        }
        Ok(())
    }

    /// Builds and checks an encoder from its parts.
    pub fn new(self) -> anyhow::Result<Self> {
        self.check()?;
        Ok(self)
    }

    pub fn max_positions(&self) -> usize {
        self.position.len() / self.hidden
    }

    /// Last hidden states of every token of `batch`.
    pub fn forward(&self, batch: &Batch) -> anyhow::Result<Hidden> {
        let h = self.hidden;
        let tokens = batch.ids.len();
        let mut xs = self.embed(batch)?;
        let intermediate = self
            .layers
            .first()
            .map_or(0, |l| l.intermediate.weight.out_dim);
        // Buffers reused by every layer (and by the next batch); each is
        // wholly overwritten before it is read.
        let mut buffers = self.scratch.take(4);
        let [qkv, ctx, sub, inner] = buffers
            .get_disjoint_mut([0, 1, 2, 3])
            .expect("four distinct buffers");
        let (qkv, ctx) = (front(qkv, tokens * 3 * h), front(ctx, tokens * h));
        let (sub, inner) = (front(sub, tokens * h), front(inner, tokens * intermediate));
        for layer in &self.layers {
            matmul(&xs, &layer.qkv.weight, qkv);
            kernels::add_bias(qkv, &layer.qkv.bias);
            attention::attention(qkv, &batch.cu_lengths, self.heads, h / self.heads, ctx);
            matmul(ctx, &layer.attn_out.weight, sub);
            kernels::residual_layer_norm(
                &mut xs,
                sub,
                &layer.attn_out.bias,
                &layer.attn_norm.gamma,
                &layer.attn_norm.beta,
                self.eps,
            );
            matmul(&xs, &layer.intermediate.weight, inner);
            kernels::bias_activation(inner, &layer.intermediate.bias, self.activation);
            matmul(inner, &layer.output.weight, sub);
            kernels::residual_layer_norm(
                &mut xs,
                sub,
                &layer.output.bias,
                &layer.out_norm.gamma,
                &layer.out_norm.beta,
                self.eps,
            );
        }
        self.scratch.keep(buffers);
        Ok(Hidden {
            states: xs,
            cu_lengths: batch.cu_lengths.clone(),
            hidden: h,
        })
    }

    /// Word + position + token-type embeddings, layer-normed, `(tokens × hidden)`.
    fn embed(&self, batch: &Batch) -> anyhow::Result<Vec<f32>> {
        let h = self.hidden;
        let (vocab, types, max_positions) = (
            self.word.len() / h,
            self.token_type.len() / h,
            self.max_positions(),
        );
        let mut positions = Vec::with_capacity(batch.ids.len());
        for w in batch.cu_lengths.windows(2) {
            if w[1] - w[0] > max_positions {
                bail!(
                    "a sequence of {} tokens is longer than the model's {max_positions} positions",
                    w[1] - w[0]
                );
            }
            positions.extend(0..w[1] - w[0]);
        }
        if let Some(&id) = batch.ids.iter().find(|&&id| id as usize >= vocab) {
            bail!("token id {id} is outside the vocabulary ({vocab} entries)");
        }
        if let Some(&t) = batch.type_ids.iter().find(|&&t| t as usize >= types) {
            bail!("token type id {t} is outside the model's {types} types");
        }
        let mut xs = vec![0f32; batch.ids.len() * h];
        xs.par_chunks_mut(h).enumerate().for_each(|(t, row)| {
            let (id, ty, pos) = (
                batch.ids[t] as usize,
                batch.type_ids[t] as usize,
                positions[t],
            );
            let word = &self.word[id * h..(id + 1) * h];
            let ty = &self.token_type[ty * h..(ty + 1) * h];
            let pos = &self.position[pos * h..(pos + 1) * h];
            for (((x, &w), &t), &p) in row.iter_mut().zip(word).zip(ty).zip(pos) {
                *x = w + t + p;
            }
        });
        kernels::layer_norm(
            &mut xs,
            &self.embed_norm.gamma,
            &self.embed_norm.beta,
            self.eps,
        );
        Ok(xs)
    }
}
