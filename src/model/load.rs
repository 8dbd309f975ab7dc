//! One entry for loading a model: [`load`] takes a directory or a Hugging
//! Face repo id and returns the classifier, its tokenizer (configured for the
//! model's length) and what the outputs mean, whether it is the project's
//! trained stance model (`stance_model.json`: trained layers and head over a
//! BERT encoder) or a zero-shot NLI sequence classifier. How the outputs
//! become scores is the score layer's business.

use std::path::{Path, PathBuf};

use anyhow::Context;
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

use super::bert::{BertConfig, StanceHead};
use super::tokenize::{configure_tokenizer, load_tokenizer};
use super::{hub, ModelDir, SequenceClassifier};
use crate::types::{LABELS, NUM_LABELS};

/// The file that marks a directory as a trained stance model.
pub const STANCE_MODEL_FILE: &str = "stance_model.json";

/// Description of a trained stance model directory (`stance_model.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StanceModelSpec {
    pub format: String,
    pub name: String,
    /// The encoder the trained weights sit on: a directory or a Hugging Face repo id.
    pub encoder: String,
    /// Safetensors file (in this directory) with the trained layers and head; they replace the encoder's tensors of the same name.
    pub weights: String,
    /// First encoder layer that was fine-tuned (layers below are the encoder's own).
    pub trained_from_layer: usize,
    pub labels: Vec<String>,
    pub thresholds: [f32; NUM_LABELS],
    /// Per-label temperature applied to the logit before the sigmoid (calibration).
    pub temperature: [f32; NUM_LABELS],
    /// Per-label amount subtracted from the logit before the temperature:
    /// ln w for a model trained with positive weight w (the prior
    /// correction that makes its scores read as probabilities again; the
    /// thresholds keep the decision at the raw logit 0). Absent in older
    /// model files: 0.
    #[serde(default)]
    pub logit_offset: [f32; NUM_LABELS],
    pub max_length: usize,
    /// Parties the model was trained with (it scores any party by name).
    #[serde(default)]
    pub trained_parties: Vec<String>,
    /// The input carries the article's previous sentence after the sentence
    /// (absent in older model files: no context).
    #[serde(default)]
    pub previous_sentence: bool,
    /// The head has two more outputs after the labels: "this party holds a
    /// stance here" and "the stance is the author's own voice" (absent in
    /// older model files: no holder outputs).
    #[serde(default)]
    pub holder_outputs: bool,
    /// The party's name is followed by "(speaker)" when the surface rules put
    /// one of its mentions in the speaker's place (the score layer's speaker rule).
    #[serde(default)]
    pub speaker_cue: bool,
    /// The party's name is followed by "(addressed)" when a call in the
    /// sentence names it as addressee, by "(not addressed)" when a call names
    /// someone else (the score layer's addressee rule); absent in older model files.
    #[serde(default)]
    pub addressee_cue: bool,
}

pub const STANCE_FORMAT: &str = "stance-cross-encoder/1";

/// "holds" and "author", after the labels.
pub const HOLDER_OUTPUTS: usize = 2;

impl StanceModelSpec {
    /// Outputs of the head: one per label, then the holder outputs.
    pub fn outputs(&self) -> usize {
        NUM_LABELS
            + if self.holder_outputs {
                HOLDER_OUTPUTS
            } else {
                0
            }
    }

    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(STANCE_MODEL_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let spec: StanceModelSpec = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a valid stance model description", path.display()))?;
        anyhow::ensure!(
            spec.format == STANCE_FORMAT,
            "{}: format {:?} is not {STANCE_FORMAT:?}",
            path.display(),
            spec.format
        );
        anyhow::ensure!(
            spec.labels == LABELS,
            "{}: labels {:?} must be {:?}",
            path.display(),
            spec.labels,
            LABELS
        );
        Ok(spec)
    }
}

/// What a loaded model's outputs are.
pub enum LoadedKind {
    /// The project's cross-encoder: one logit per label, then the holder
    /// outputs its description announces.
    Stance(StanceModelSpec),
    /// An NLI classifier: logits over these labels (entailment, …).
    Nli { labels: Vec<String> },
}

/// A model ready to run: everything [`load`] read.
pub struct LoadedModel {
    /// The stance model's name, or the spec it was loaded by.
    pub name: String,
    /// The directory it was loaded from.
    pub dir: PathBuf,
    pub kind: LoadedKind,
    pub classifier: Box<dyn SequenceClassifier>,
    pub tokenizer: Tokenizer,
    /// The files whose content decides the outputs (for a content digest).
    pub files: Vec<PathBuf>,
}

/// Loads `spec`: a local directory or a Hugging Face repo id (local cache,
/// then the Hub where reachable). A directory with `stance_model.json` is the
/// project's trained model; anything else must be an NLI classifier.
pub fn load(spec: &str, device: &Device) -> anyhow::Result<LoadedModel> {
    let local = Path::new(spec);
    let dir = if local.join(STANCE_MODEL_FILE).is_file() {
        local.to_path_buf()
    } else {
        hub::resolve(spec, &hub::MODEL_FILES)?
    };
    let dtype = super::device::dtype_for(device)?;
    if dir.join(STANCE_MODEL_FILE).is_file() {
        load_stance(&dir, device, dtype)
    } else {
        load_nli(spec, &dir, device, dtype)
    }
}

fn load_stance(dir: &Path, device: &Device, dtype: DType) -> anyhow::Result<LoadedModel> {
    let spec = StanceModelSpec::read(dir)?;
    let encoder = ModelDir {
        dir: resolve_encoder(&spec.encoder, dir)?,
    };
    let (head, tokenizer) = load_stance_head(&spec, dir, &encoder, device, dtype)?;
    let files = vec![
        dir.join(STANCE_MODEL_FILE),
        dir.join(&spec.weights),
        encoder.file("config.json")?,
        encoder.file("tokenizer.json")?,
        encoder.file("model.safetensors")?,
    ];
    let classifier: Box<dyn SequenceClassifier> = if super::cpu::enabled_for(device, dtype) {
        Box::new(head.to_cpu()?)
    } else {
        Box::new(head)
    };
    Ok(LoadedModel {
        name: spec.name.clone(),
        dir: dir.to_path_buf(),
        tokenizer: configure_tokenizer(tokenizer, spec.max_length)?,
        kind: LoadedKind::Stance(spec),
        classifier,
        files,
    })
}

fn load_nli(name: &str, dir: &Path, device: &Device, dtype: DType) -> anyhow::Result<LoadedModel> {
    let model_dir = ModelDir {
        dir: dir.to_path_buf(),
    };
    let loaded = super::load_sequence_classifier(&model_dir, device, dtype)?;
    let tokenizer = load_tokenizer(&model_dir.file("tokenizer.json")?)?;
    Ok(LoadedModel {
        name: name.to_string(),
        dir: dir.to_path_buf(),
        kind: LoadedKind::Nli {
            labels: loaded.labels,
        },
        classifier: loaded.model,
        tokenizer: configure_tokenizer(tokenizer, loaded.max_positions.min(512))?,
        files: vec![
            model_dir.file("config.json")?,
            model_dir.file("tokenizer.json")?,
            model_dir.file("model.safetensors")?,
        ],
    })
}

/// The `encoder`'s weights with the trained tensors of model directory `dir`
/// laid over them.
pub fn load_stance_head(
    spec: &StanceModelSpec,
    dir: &Path,
    encoder: &ModelDir,
    device: &Device,
    dtype: DType,
) -> anyhow::Result<(StanceHead, Tokenizer)> {
    let config = BertConfig::read(&encoder.file("config.json")?)?;
    let mut tensors = encoder.weights(device)?;
    // sentence-transformers checkpoints have no `bert.` prefix; classification ones do.
    tensors = tensors
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("bert.").map(str::to_string).unwrap_or(k), v))
        .collect();
    let trained_path = dir.join(&spec.weights);
    for (name, tensor) in super::load_safetensors(&trained_path, device)? {
        tensors.insert(name, tensor);
    }
    let vb = VarBuilder::from_tensors(tensors, dtype, device);
    let head = StanceHead::load(vb, &config, spec.outputs()).with_context(|| {
        format!(
            "{}: trained weights do not fit the encoder {}",
            trained_path.display(),
            spec.encoder
        )
    })?;
    let tokenizer = load_tokenizer(&encoder.file("tokenizer.json")?)?;
    Ok((head, tokenizer))
}

/// The encoder named by a stance model: relative paths are relative to the model directory.
pub fn resolve_encoder(encoder: &str, model_dir: &Path) -> anyhow::Result<PathBuf> {
    let relative = model_dir.join(encoder);
    if relative.is_dir() {
        return Ok(relative);
    }
    hub::resolve(encoder, &hub::MODEL_FILES)
}
