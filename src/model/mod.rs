//! The model layer: plain batches in, logits out.
//!
//! A [`Batch`] is a flat list of token ids with cumulative sequence lengths
//! (no padding); each backend pads it the way its architecture needs. One
//! [`SequenceClassifier`] implementation per model family: [`bert`] (our own,
//! trainable), [`deberta`] and [`xlm_roberta`] (candle-transformers').

pub mod bert;
pub mod cpu;
pub mod deberta;
pub mod device;
pub mod hub;
pub mod load;
pub mod sentence_encoder;
pub mod tokenize;
pub mod xlm_roberta;

pub use load::{load, LoadedModel};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use serde::Deserialize;

/// Logits of a batch: one row per sequence, one value per output. Plain
/// numbers, so callers never touch tensors.
pub type Logits = Vec<Vec<f32>>;

/// One tokenized sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    /// The text did not fit the model's maximum length and was cut.
    pub truncated: bool,
}

impl Encoded {
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Sequences packed end to end: `ids[cu_lengths[i]..cu_lengths[i + 1]]` is sequence `i`.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    pub cu_lengths: Vec<usize>,
    pub max_length: usize,
}

impl Batch {
    pub fn from_sequences<'a>(seqs: impl IntoIterator<Item = &'a Encoded>) -> Batch {
        let mut batch = Batch {
            cu_lengths: vec![0],
            ..Batch::default()
        };
        for seq in seqs {
            batch.ids.extend_from_slice(&seq.ids);
            batch.type_ids.extend_from_slice(&seq.type_ids);
            batch.cu_lengths.push(batch.ids.len());
            batch.max_length = batch.max_length.max(seq.ids.len());
        }
        batch
    }

    /// Number of sequences.
    pub fn len(&self) -> usize {
        self.cu_lengths.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Tokens the padded batch holds (the cost of running it).
    pub fn padded_tokens(&self) -> usize {
        self.len() * self.max_length
    }

    /// Right-padded ids, type ids and 0/1 attention mask, each `len × max_length`.
    pub fn padded(&self, pad_id: u32) -> (Vec<u32>, Vec<u32>, Vec<f32>) {
        let total = self.padded_tokens();
        let (mut ids, mut types, mut mask) =
            (vec![pad_id; total], vec![0u32; total], vec![0f32; total]);
        for (row, window) in self.cu_lengths.windows(2).enumerate() {
            let (from, to) = (window[0], window[1]);
            let at = row * self.max_length;
            ids[at..at + to - from].copy_from_slice(&self.ids[from..to]);
            types[at..at + to - from].copy_from_slice(&self.type_ids[from..to]);
            mask[at..at + to - from].fill(1.0);
        }
        (ids, types, mask)
    }
}

/// A model that maps each sequence of a batch to a row of logits.
pub trait SequenceClassifier: Send + Sync {
    /// One row of logits per sequence of the batch, in batch order.
    fn logits(&self, batch: &Batch) -> anyhow::Result<Logits>;
}

/// The fields of a Hugging Face `config.json` that every family shares.
#[derive(Debug, Clone, Deserialize)]
pub struct HfConfigHead {
    pub model_type: Option<String>,
    #[serde(default)]
    pub architectures: Vec<String>,
    #[serde(default)]
    pub id2label: BTreeMap<String, String>,
    #[serde(default)]
    pub max_position_embeddings: Option<usize>,
    #[serde(default)]
    pub pad_token_id: Option<u32>,
}

/// A model family's own `config.json`, tagged by its `model_type`
/// (`bert`, `deberta-v2`, `xlm-roberta` or `roberta`). Dispatched by hand
/// rather than by serde's internal tagging, which buffers the map and then
/// cannot read DeBERTa's numeric `id2label` keys.
#[derive(Debug, Clone)]
pub enum ModelConfig {
    Bert(bert::BertConfig),
    DebertaV2(Box<candle_transformers::models::debertav2::Config>),
    XlmRoberta(Box<candle_transformers::models::xlm_roberta::Config>),
}

/// A `config.json` read and parsed once: the shared head and the family's
/// config. Errors name the file.
#[derive(Debug, Clone)]
pub struct HfConfig {
    pub head: HfConfigHead,
    pub family: ModelConfig,
}

impl HfConfig {
    pub fn read(path: &Path) -> anyhow::Result<HfConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read model config", path.display()))?;
        let mut value: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: not valid JSON", path.display()))?;
        let head: HfConfigHead = serde_json::from_value(value.clone())
            .with_context(|| format!("{}: unexpected model config", path.display()))?;
        // Old BERT checkpoints (and sentence encoders) may lack `model_type`.
        let model_type = head.model_type.clone().unwrap_or_else(|| "bert".into());
        let bad = || format!("{}: bad {model_type} config", path.display());
        // transformers fills some fields with defaults that candle requires.
        let family = match model_type.as_str() {
            "bert" => ModelConfig::Bert(serde_json::from_value(value).with_context(bad)?),
            "deberta-v2" => {
                deberta::complete_config(&mut value);
                ModelConfig::DebertaV2(serde_json::from_value(value).with_context(bad)?)
            }
            "xlm-roberta" | "roberta" => {
                xlm_roberta::complete_config(&mut value);
                ModelConfig::XlmRoberta(serde_json::from_value(value).with_context(bad)?)
            }
            other => bail!(
                "{}: model_type {other:?} is not supported (supported: bert, deberta-v2, xlm-roberta)",
                path.display()
            ),
        };
        match &family {
            ModelConfig::Bert(config) => config.validate(),
            ModelConfig::DebertaV2(config) => deberta::check_supported(config),
            ModelConfig::XlmRoberta(_) => Ok(()),
        }
        .with_context(|| path.display().to_string())?;
        Ok(HfConfig { head, family })
    }
}

impl HfConfigHead {
    /// Labels by index, from `id2label`.
    pub fn labels(&self) -> anyhow::Result<Vec<String>> {
        let mut labels = self
            .id2label
            .iter()
            .map(|(key, name)| match key.parse::<usize>() {
                Ok(index) => Ok((index, name.clone())),
                Err(_) => Err(anyhow::anyhow!("id2label key {key:?} is not a number")),
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        labels.sort();
        anyhow::ensure!(
            labels.iter().enumerate().all(|(i, (index, _))| i == *index),
            "id2label keys are not 0..{}",
            labels.len()
        );
        Ok(labels.into_iter().map(|(_, name)| name).collect())
    }
}

/// Batches of sequence indices: sorted by length (so padding is small),
/// each within `max_batch` sequences and `token_budget` padded tokens.
pub fn plan_batches(lengths: &[usize], max_batch: usize, token_budget: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    // Stable sort keeps input order among equal lengths: same batches every run.
    order.sort_by_key(|&i| lengths[i]);
    let mut batches = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for i in order {
        // Sorted ascending, so this sequence is the longest of the batch so far.
        let would_cost = (current.len() + 1) * lengths[i];
        if !current.is_empty() && (current.len() >= max_batch.max(1) || would_cost > token_budget) {
            batches.push(std::mem::take(&mut current));
        }
        current.push(i);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

/// The files of a Hugging Face model directory.
#[derive(Debug, Clone)]
pub struct ModelDir {
    pub dir: PathBuf,
}

impl ModelDir {
    pub fn file(&self, name: &str) -> anyhow::Result<PathBuf> {
        let path = self.dir.join(name);
        if !path.is_file() {
            bail!(
                "{}: missing (the model directory {} needs it)",
                path.display(),
                self.dir.display()
            );
        }
        Ok(path)
    }

    /// Loads `model.safetensors`, erroring with the file name on truncation or corruption.
    pub fn weights(
        &self,
        device: &Device,
    ) -> anyhow::Result<std::collections::HashMap<String, Tensor>> {
        let path = match self.file("model.safetensors") {
            Ok(path) => path,
            Err(err) if self.dir.join("pytorch_model.bin").is_file() => {
                bail!("{err}; only safetensors weights are supported (convert pytorch_model.bin with transformers' save_pretrained(safe_serialization=True))")
            }
            Err(err) => return Err(err),
        };
        load_safetensors(&path, device)
    }
}

/// SHA-256 over the names and bytes of `files`, in the order given: the
/// content of what a model loads, so that a model changed in place (new
/// weights, thresholds or tokenizer under the same name) is told apart.
pub fn content_digest(files: &[PathBuf]) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        hasher.update(name.as_bytes());
        hasher.update([0]);
        let mut file = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        std::io::copy(&mut file, &mut hasher)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        hasher.update([0]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

pub fn load_safetensors(
    path: &Path,
    device: &Device,
) -> anyhow::Result<std::collections::HashMap<String, Tensor>> {
    let bytes =
        std::fs::read(path).with_context(|| format!("{}: cannot read weights", path.display()))?;
    let tensors = candle_core::safetensors::load_buffer(&bytes, device).map_err(|err| {
        anyhow::anyhow!("{}: not a valid safetensors file ({err})", path.display())
    })?;
    if let Some(name) = first_tensor_with_nan(&bytes) {
        bail!(
            "{}: corrupt weights: tensor {name:?} holds NaN values",
            path.display()
        );
    }
    Ok(tensors)
}

/// The first float tensor of a (valid) safetensors buffer that holds a NaN.
/// A damaged weights file would otherwise load and score NaN for every row;
/// no trained weight is NaN. (Infinities are left alone: some checkpoints
/// store -inf mask buffers.) Scans the raw bytes, so it costs no memory.
fn first_tensor_with_nan(bytes: &[u8]) -> Option<String> {
    use safetensors::Dtype;
    let file = safetensors::SafeTensors::deserialize(bytes).ok()?;
    let mut names = file.names();
    names.sort(); // report the same tensor every time
    names
        .into_iter()
        .find(|name| {
            let Ok(view) = file.tensor(name) else {
                return false;
            };
            let data = view.data();
            match view.dtype() {
                Dtype::F32 => data
                    .chunks_exact(4)
                    .any(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]).is_nan()),
                Dtype::F16 => data
                    .chunks_exact(2)
                    .any(|b| half::f16::from_le_bytes([b[0], b[1]]).is_nan()),
                Dtype::BF16 => data
                    .chunks_exact(2)
                    .any(|b| half::bf16::from_le_bytes([b[0], b[1]]).is_nan()),
                Dtype::F64 => data
                    .chunks_exact(8)
                    .any(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")).is_nan()),
                _ => false,
            }
        })
        .map(|name| name.to_string())
}

/// A loaded sequence-classification model and what its outputs mean.
pub struct LoadedClassifier {
    pub model: Box<dyn SequenceClassifier>,
    pub labels: Vec<String>,
    pub max_positions: usize,
}

/// Loads any supported `*ForSequenceClassification` checkpoint (BERT, DeBERTa-v2/v3, XLM-RoBERTa).
pub fn load_sequence_classifier(
    model: &ModelDir,
    device: &Device,
    dtype: DType,
) -> anyhow::Result<LoadedClassifier> {
    let config_path = model.file("config.json")?;
    let HfConfig { head, family } = HfConfig::read(&config_path)?;
    let labels = head
        .labels()
        .with_context(|| format!("{}: bad id2label", config_path.display()))?;
    anyhow::ensure!(
        !labels.is_empty(),
        "{}: no id2label, so this is not a classification model",
        config_path.display()
    );
    let tensors = model.weights(device)?;
    let vb = VarBuilder::from_tensors(tensors, dtype, device);
    let model_type = head.model_type.clone().unwrap_or_default();
    // Name the weights file: tensors that do not fit the config are most
    // often a wrong or damaged model.safetensors.
    let weights_path = model.dir.join("model.safetensors");
    let context = || {
        format!(
            "{}: cannot build a {model_type} model from these weights",
            weights_path.display()
        )
    };
    let positions = head.max_position_embeddings.unwrap_or(512);
    let (boxed, offset): (Box<dyn SequenceClassifier>, usize) = match &family {
        ModelConfig::Bert(config) => {
            let classifier =
                bert::BertClassifier::load(vb, config, labels.len()).with_context(context)?;
            let boxed: Box<dyn SequenceClassifier> = if cpu::enabled_for(device, dtype) {
                Box::new(classifier.to_cpu().with_context(context)?)
            } else {
                Box::new(classifier)
            };
            (boxed, 0)
        }
        ModelConfig::DebertaV2(config) => (
            Box::new(
                deberta::DebertaClassifier::load(vb, config, labels.len(), device)
                    .with_context(|| config_path.display().to_string())?,
            ),
            0,
        ),
        // RoBERTa-family position ids start after the padding index, so fewer tokens fit.
        ModelConfig::XlmRoberta(config) => (
            Box::new(
                xlm_roberta::XlmRobertaClassifier::load(vb, config, labels.len(), device)
                    .with_context(|| config_path.display().to_string())?,
            ),
            config.pad_token_id as usize + 1,
        ),
    };
    Ok(LoadedClassifier {
        model: boxed,
        labels,
        max_positions: positions.saturating_sub(offset).max(8),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_limits_and_cover_everything() {
        let lengths = [5, 30, 7, 30, 12, 3, 9];
        let batches = plan_batches(&lengths, 3, 40);
        let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
        for batch in &batches {
            let longest = batch.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(batch.len() <= 3);
            assert!(batch.len() == 1 || batch.len() * longest <= 40, "{batch:?}");
        }
    }

    fn enc(ids: &[u32]) -> Encoded {
        Encoded {
            ids: ids.to_vec(),
            type_ids: vec![0; ids.len()],
            truncated: false,
        }
    }

    #[test]
    fn batch_pads_right_with_mask() {
        let (a, b) = (enc(&[5, 6, 7]), enc(&[8]));
        let batch = Batch::from_sequences([&a, &b]);
        assert_eq!(batch.len(), 2);
        assert_eq!(batch.cu_lengths, vec![0, 3, 4]);
        let (ids, _, mask) = batch.padded(0);
        assert_eq!(ids, vec![5, 6, 7, 8, 0, 0]);
        assert_eq!(mask, vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
    }
}
