//! A BERT sentence encoder with sentence-transformers' mean pooling: the
//! encoder alone, as ONNX Runtime or PyTorch would run it. The benchmarks and
//! the peer comparison (benches/compare) time it; `stance score` runs the same
//! encoder inside its classifiers.

use std::path::Path;

use anyhow::Context;
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use tokenizers::Tokenizer;

use super::bert::{mean_pool, BertConfig, BertModel, Mode, PaddedInput};
use super::cpu::{self, CpuEncoder};
use super::plan_batches;
use super::tokenize::{configure_tokenizer, load_tokenizer};
use super::{Batch, Encoded, ModelDir};

enum Engine {
    /// The CPU inference path (src/model/cpu).
    Cpu(CpuEncoder),
    /// candle's ops (GPU, or CPU with `STANCE_CPU_ENGINE=candle`).
    Candle {
        model: BertModel,
        device: Device,
        dtype: DType,
    },
}

pub struct SentenceEncoder {
    engine: Engine,
    pub tokenizer: Tokenizer,
    pub hidden: usize,
    /// Most sequences / tokens per forward pass.
    pub max_batch: usize,
    pub token_budget: usize,
}

impl SentenceEncoder {
    /// Loads a BERT checkpoint directory (sentence-transformers or transformers layout).
    pub fn load(dir: &Path, device: &Device) -> anyhow::Result<Self> {
        let model_dir = ModelDir {
            dir: dir.to_path_buf(),
        };
        let config_path = model_dir.file("config.json")?;
        let config = BertConfig::read(&config_path)?;
        let dtype = super::device::dtype_for(device)?;
        let tensors = model_dir.weights(device)?;
        let tensors = tensors
            .into_iter()
            .map(|(k, v)| (k.strip_prefix("bert.").map(str::to_string).unwrap_or(k), v))
            .collect();
        let model = BertModel::load(VarBuilder::from_tensors(tensors, dtype, device), &config)
            .with_context(|| format!("{}: cannot build a BERT encoder", dir.display()))?;
        let engine = if cpu::enabled_for(device, dtype) {
            Engine::Cpu(model.cpu_encoder()?)
        } else {
            Engine::Candle {
                model,
                device: device.clone(),
                dtype,
            }
        };
        let tokenizer = configure_tokenizer(
            load_tokenizer(&model_dir.file("tokenizer.json")?)?,
            config.max_position_embeddings.min(512),
        )?;
        Ok(Self {
            engine,
            tokenizer,
            hidden: config.hidden_size,
            max_batch: 64,
            token_budget: 4096,
        })
    }

    /// Which implementation runs (for reports).
    pub fn engine_name(&self) -> &'static str {
        match self.engine {
            Engine::Cpu(_) => "stance-cpu",
            Engine::Candle { .. } => "candle-ops",
        }
    }

    pub fn encode_text(&self, text: &str) -> anyhow::Result<Encoded> {
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| anyhow::anyhow!("tokenizer: {e}"))?;
        Ok(Encoded {
            ids: encoding.get_ids().to_vec(),
            type_ids: encoding.get_type_ids().to_vec(),
            truncated: !encoding.get_overflowing().is_empty(),
        })
    }

    /// Mean-pooled vectors of one batch, `(batch × hidden)` row-major.
    pub fn embed_batch(&self, batch: &Batch) -> anyhow::Result<Vec<f32>> {
        match &self.engine {
            Engine::Cpu(encoder) => Ok(encoder.forward(batch)?.mean_pool()),
            Engine::Candle {
                model,
                device,
                dtype,
            } => {
                let input = PaddedInput::new(batch, model.config.pad_token_id, *dtype, device)?;
                let hidden = model.forward(&input, Mode::Infer)?;
                Ok(mean_pool(&hidden, &input.mask)?
                    .to_dtype(DType::F32)?
                    .flatten_all()?
                    .to_vec1()?)
            }
        }
    }

    /// Pooled vectors of `sequences`, in input order, run in length-sorted
    /// batches within [`Self::max_batch`] and [`Self::token_budget`].
    pub fn embed(&self, sequences: &[&Encoded]) -> anyhow::Result<Vec<Vec<f32>>> {
        let lengths: Vec<usize> = sequences.iter().map(|s| s.len()).collect();
        let mut out = vec![Vec::new(); sequences.len()];
        for plan in plan_batches(&lengths, self.max_batch, self.token_budget) {
            let batch = Batch::from_sequences(plan.iter().map(|&i| sequences[i]));
            let pooled = self.embed_batch(&batch)?;
            for (&i, row) in plan.iter().zip(pooled.chunks_exact(self.hidden)) {
                out[i] = row.to_vec();
            }
        }
        Ok(out)
    }
}
