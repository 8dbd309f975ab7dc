//! BERT encoder (MiniLM is one), written out here instead of taken from
//! candle-transformers for two reasons: training needs ops that have a backward
//! pass (candle's fused softmax and layer-norm have none), and the inference
//! path wants those fused ops. [`Mode`] picks one or the other per call.
//!
//! Weight names follow Hugging Face's `BertModel` (`embeddings.*`,
//! `encoder.layer.N.*`, `pooler.*`), with or without a `bert.` prefix.

use candle_core::{DType, Device, Result, Tensor, Var, D};
use candle_nn::VarBuilder;
use serde::Deserialize;

use super::cpu::{
    classifier::{CpuClassifier, Pooling},
    kernels::Activation,
    matmul::Weight,
    CpuEncoder, EncoderLayer, Linear, Norm,
};
use super::{Batch, Logits, SequenceClassifier};

mod heads;
mod layers;

pub use heads::{mean_pool, BertClassifier, StanceHead, HEAD_PREFIX};
use layers::*;
pub use layers::{Dense, LayerNorm};

/// Large negative added to attention scores of padding; exp() of it is 0 in
/// f32 without the overflow that `f32::MIN` invites.
const MASK_BIAS: f64 = -10_000.0;

#[derive(Debug, Clone, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    #[serde(default)]
    pub hidden_act: Activation,
    pub max_position_embeddings: usize,
    #[serde(default = "default_type_vocab")]
    pub type_vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default)]
    pub pad_token_id: u32,
    #[serde(default)]
    pub position_embedding_type: Option<String>,
    #[serde(default)]
    pub hidden_dropout_prob: Option<f32>,
}

fn default_type_vocab() -> usize {
    2
}
fn default_eps() -> f64 {
    1e-12
}

impl BertConfig {
    /// Reads and validates a BERT `config.json`; errors name the file.
    pub fn read(path: &std::path::Path) -> anyhow::Result<BertConfig> {
        match super::HfConfig::read(path)?.family {
            super::ModelConfig::Bert(config) => Ok(config),
            _ => anyhow::bail!("{}: not a BERT config", path.display()),
        }
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(kind) = &self.position_embedding_type {
            anyhow::ensure!(
                kind == "absolute",
                "position_embedding_type {kind:?} is not supported (only \"absolute\")"
            );
        }
        anyhow::ensure!(
            self.num_attention_heads > 0
                && self.hidden_size.is_multiple_of(self.num_attention_heads),
            "hidden_size {} is not a multiple of num_attention_heads {}",
            self.hidden_size,
            self.num_attention_heads
        );
        Ok(())
    }
}

/// Inference uses candle's fused CPU/GPU kernels; training uses plain ops that
/// backprop, with dropout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Infer,
    Train { dropout: f32 },
}

impl Mode {
    fn dropout(self, xs: &Tensor) -> Result<Tensor> {
        match self {
            Mode::Train { dropout } if dropout > 0.0 => seeded_dropout(xs, dropout),
            _ => Ok(xs.clone()),
        }
    }
}

/// candle's CPU random numbers cannot be seeded, so dropout masks come from
/// this generator: training is then reproducible under `--seed`.
static DROPOUT_RNG: std::sync::Mutex<Option<rand::rngs::StdRng>> = std::sync::Mutex::new(None);

pub fn seed_dropout(seed: u64) {
    use rand::SeedableRng;
    *DROPOUT_RNG.lock().unwrap_or_else(|e| e.into_inner()) =
        Some(rand::rngs::StdRng::seed_from_u64(seed));
}

fn seeded_dropout(xs: &Tensor, p: f32) -> Result<Tensor> {
    use rand::{Rng, SeedableRng};
    let mut guard = DROPOUT_RNG.lock().unwrap_or_else(|e| e.into_inner());
    let rng = guard.get_or_insert_with(|| rand::rngs::StdRng::seed_from_u64(0));
    let scale = 1.0 / (1.0 - p);
    let keep: Vec<f32> = (0..xs.elem_count())
        .map(|_| if rng.random::<f32>() < p { 0.0 } else { scale })
        .collect();
    let mask = Tensor::from_vec(keep, xs.shape(), xs.device())?.to_dtype(xs.dtype())?;
    xs * mask
}

#[derive(Debug, Clone)]
struct Embeddings {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    norm: LayerNorm,
}

impl Embeddings {
    fn load(vb: VarBuilder, cfg: &BertConfig) -> Result<Self> {
        let h = cfg.hidden_size;
        Ok(Self {
            word: vb.get((cfg.vocab_size, h), "word_embeddings.weight")?,
            position: vb.get(
                (cfg.max_position_embeddings, h),
                "position_embeddings.weight",
            )?,
            token_type: vb.get((cfg.type_vocab_size, h), "token_type_embeddings.weight")?,
            norm: LayerNorm::load(vb.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
        })
    }

    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mode: Mode) -> Result<Tensor> {
        let (batch, seq) = ids.dims2()?;
        let h = self.word.dim(1)?;
        let words = self
            .word
            .embedding(&ids.flatten_all()?)?
            .reshape((batch, seq, h))?;
        let types = self
            .token_type
            .embedding(&type_ids.flatten_all()?)?
            .reshape((batch, seq, h))?;
        let positions = self.position.narrow(0, 0, seq)?.unsqueeze(0)?;
        let xs = (words + types)?.broadcast_add(&positions)?;
        mode.dropout(&self.norm.forward(&xs, mode)?)
    }
}

#[derive(Debug, Clone)]
pub struct Layer {
    query: Dense,
    key: Dense,
    value: Dense,
    attn_out: Dense,
    attn_norm: LayerNorm,
    intermediate: Dense,
    output: Dense,
    out_norm: LayerNorm,
    heads: usize,
    act: Activation,
}

impl Layer {
    fn load(vb: VarBuilder, cfg: &BertConfig) -> Result<Self> {
        let h = cfg.hidden_size;
        let att = vb.pp("attention");
        Ok(Self {
            query: Dense::load(att.pp("self.query"), h, h)?,
            key: Dense::load(att.pp("self.key"), h, h)?,
            value: Dense::load(att.pp("self.value"), h, h)?,
            attn_out: Dense::load(att.pp("output.dense"), h, h)?,
            attn_norm: LayerNorm::load(att.pp("output.LayerNorm"), h, cfg.layer_norm_eps)?,
            intermediate: Dense::load(vb.pp("intermediate.dense"), h, cfg.intermediate_size)?,
            output: Dense::load(vb.pp("output.dense"), cfg.intermediate_size, h)?,
            out_norm: LayerNorm::load(vb.pp("output.LayerNorm"), h, cfg.layer_norm_eps)?,
            heads: cfg.num_attention_heads,
            act: cfg.hidden_act,
        })
    }

    /// `xs`: (batch, seq, hidden); `mask_bias`: (batch, 1, 1, seq), 0 or [`MASK_BIAS`].
    pub fn forward(&self, xs: &Tensor, mask_bias: &Tensor, mode: Mode) -> Result<Tensor> {
        let (batch, seq, hidden) = xs.dims3()?;
        let head_dim = hidden / self.heads;
        let split = |t: Tensor| -> Result<Tensor> {
            t.reshape((batch, seq, self.heads, head_dim))?
                .transpose(1, 2)?
                .contiguous()
        };
        let q = split(self.query.forward(xs)?)?;
        let k = split(self.key.forward(xs)?)?;
        let v = split(self.value.forward(xs)?)?;
        let scores =
            (q.matmul(&k.t()?)? * (1.0 / (head_dim as f64).sqrt()))?.broadcast_add(mask_bias)?;
        let probs = match mode {
            Mode::Infer => candle_nn::ops::softmax_last_dim(&scores)?,
            Mode::Train { .. } => candle_nn::ops::softmax(&scores, D::Minus1)?,
        };
        let probs = mode.dropout(&probs)?;
        let context = probs
            .matmul(&v)?
            .transpose(1, 2)?
            .reshape((batch, seq, hidden))?;
        let attended = mode.dropout(&self.attn_out.forward(&context)?)?;
        let xs = self.attn_norm.forward(&(attended + xs)?, mode)?;

        let inner = self.intermediate.forward(&xs)?;
        let inner = match self.act {
            Activation::GeluErf => inner.gelu_erf()?,
            Activation::Relu => inner.relu()?,
            Activation::GeluTanh => inner.gelu()?, // candle's gelu is the tanh approximation
        };
        let out = mode.dropout(&self.output.forward(&inner)?)?;
        self.out_norm.forward(&(out + xs)?, mode)
    }

    fn params(&mut self, prefix: &str, out: &mut Vec<(String, Var)>) -> Result<()> {
        self.query
            .params(&format!("{prefix}.attention.self.query"), out)?;
        self.key
            .params(&format!("{prefix}.attention.self.key"), out)?;
        self.value
            .params(&format!("{prefix}.attention.self.value"), out)?;
        self.attn_out
            .params(&format!("{prefix}.attention.output.dense"), out)?;
        self.attn_norm
            .params(&format!("{prefix}.attention.output.LayerNorm"), out)?;
        self.intermediate
            .params(&format!("{prefix}.intermediate.dense"), out)?;
        self.output.params(&format!("{prefix}.output.dense"), out)?;
        self.out_norm
            .params(&format!("{prefix}.output.LayerNorm"), out)
    }

    fn to_cpu(&self) -> Result<EncoderLayer> {
        let (q, k, v) = (
            self.query.to_cpu()?,
            self.key.to_cpu()?,
            self.value.to_cpu()?,
        );
        let bias = [q.bias.as_slice(), &k.bias, &v.bias].concat();
        Ok(EncoderLayer {
            qkv: Linear {
                weight: Weight::concat_outputs(&[q.weight, k.weight, v.weight]),
                bias,
            },
            attn_out: self.attn_out.to_cpu()?,
            attn_norm: self.attn_norm.to_cpu()?,
            intermediate: self.intermediate.to_cpu()?,
            output: self.output.to_cpu()?,
            out_norm: self.out_norm.to_cpu()?,
        })
    }
}

/// The encoder: embeddings and transformer layers (no pooler).
#[derive(Debug, Clone)]
pub struct BertModel {
    embeddings: Embeddings,
    pub layers: Vec<Layer>,
    pub config: BertConfig,
}

/// Padded tensors of a [`Batch`], ready for an encoder.
pub struct PaddedInput {
    pub ids: Tensor,
    pub type_ids: Tensor,
    /// (batch, seq) with 1.0 for real tokens, 0.0 for padding, in the model dtype.
    pub mask: Tensor,
}

impl PaddedInput {
    pub fn new(batch: &Batch, pad_id: u32, dtype: DType, device: &Device) -> Result<Self> {
        let (ids, type_ids, mask) = batch.padded(pad_id);
        let shape = (batch.len(), batch.max_length);
        Ok(Self {
            ids: Tensor::from_vec(ids, shape, device)?,
            type_ids: Tensor::from_vec(type_ids, shape, device)?,
            mask: Tensor::from_vec(mask, shape, device)?.to_dtype(dtype)?,
        })
    }

    /// (batch, 1, 1, seq): 0 where attended, [`MASK_BIAS`] on padding.
    pub fn attention_bias(&self) -> Result<Tensor> {
        let (batch, seq) = self.mask.dims2()?;
        ((1.0 - &self.mask)? * MASK_BIAS)?.reshape((batch, 1, 1, seq))
    }
}

impl BertModel {
    pub fn load(vb: VarBuilder, config: &BertConfig) -> Result<Self> {
        let layers = (0..config.num_hidden_layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), config))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            embeddings: Embeddings::load(vb.pp("embeddings"), config)?,
            layers,
            config: config.clone(),
        })
    }

    pub fn embed(&self, input: &PaddedInput, mode: Mode) -> Result<Tensor> {
        self.embeddings.forward(&input.ids, &input.type_ids, mode)
    }

    /// Runs layers `range` over hidden states `xs`.
    pub fn run_layers(
        &self,
        xs: Tensor,
        mask_bias: &Tensor,
        range: std::ops::Range<usize>,
        mode: Mode,
    ) -> Result<Tensor> {
        self.layers[range]
            .iter()
            .try_fold(xs, |xs, layer| layer.forward(&xs, mask_bias, mode))
    }

    /// Last hidden states, (batch, seq, hidden).
    pub fn forward(&self, input: &PaddedInput, mode: Mode) -> Result<Tensor> {
        let bias = input.attention_bias()?;
        let xs = self.embed(input, mode)?;
        self.run_layers(xs, &bias, 0..self.layers.len(), mode)
    }

    /// A copy of this encoder's current weights for the CPU inference path
    /// ([`super::cpu`]); later changes to this model (training) do not reach it.
    pub fn cpu_encoder(&self) -> anyhow::Result<CpuEncoder> {
        let e = &self.embeddings;
        let activation = self.config.hidden_act;
        CpuEncoder {
            word: f32_vec(&e.word)?,
            position: f32_vec(&e.position)?,
            token_type: f32_vec(&e.token_type)?,
            embed_norm: e.norm.to_cpu()?,
            layers: self
                .layers
                .iter()
                .map(Layer::to_cpu)
                .collect::<Result<Vec<_>>>()?,
            hidden: self.config.hidden_size,
            heads: self.config.num_attention_heads,
            activation,
            eps: e.norm.eps as f32,
            scratch: Default::default(),
        }
        .new()
    }

    /// Turns layers `from..` into trainable variables, named as in the checkpoint.
    pub fn trainable_layers(&mut self, from: usize) -> Result<Vec<(String, Var)>> {
        let mut out = Vec::new();
        for (i, layer) in self.layers.iter_mut().enumerate().skip(from) {
            layer.params(&format!("encoder.layer.{i}"), &mut out)?;
        }
        Ok(out)
    }
}
