//! `stance train`: fine-tunes the encoder as a cross-encoder for targeted
//! stance and writes a model directory.
//!
//! Input of one example: "party name [SEP] sentence with the party's mentions
//! «marked»"; target: the three gold labels. Examples are the closed world of
//! each annotated sentence over the parties its article was annotated for,
//! plus any party the matcher finds in the sentence — so unmentioned parties
//! (implicit targets, and plain negatives) are learnt too.
//!
//! Layers below `--train-from-layer` stay frozen; their output is computed
//! once and cached, which makes top-layer training several times cheaper.
//! Only the trained layers and the head are saved (f16), on top of the
//! encoder fetched by `make setup`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

use crate::eval::gold::GoldSet;
use crate::eval::{self, behaviour, party_mentions};
use crate::model::bert::{self, BertConfig, Mode, StanceHead, HEAD_PREFIX};
use crate::model::{hub, Batch, Encoded, ModelDir};
use crate::parties::{PartyMatcher, PartySet};
use crate::score::{
    self, holder, InputOptions, ScoreRequest, Scorer, StanceModelSpec, HOLDER_OUTPUTS,
    STANCE_FORMAT, STANCE_MODEL_FILE,
};
use crate::types::{Mention, ScoreRow, LABELS, NUM_LABELS};

mod calibrate;
mod card;
mod cv;
mod examples;
mod fine_tune;
mod fold_cache;
mod time_split;

pub use calibrate::{calibrate, fit_temperature, Calibration};
use calibrate::{fit_temperatures, logit};
pub use card::{finish, outcome_from_card, ModelCard, RecordedTraining};
use cv::cross_validate;
pub use cv::{CrossValidation, FoldLog};
use examples::{examples, Example};
use fine_tune::fine_tune;
pub use time_split::{time_split, TimeSplit};

#[derive(Debug, Clone, Serialize)]
pub struct TrainOptions {
    pub train_dirs: Vec<PathBuf>,
    pub dev_dir: PathBuf,
    pub out_dir: PathBuf,
    pub encoder: String,
    pub parties_file: PathBuf,
    pub name: String,
    pub epochs: usize,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub train_from_layer: usize,
    pub dropout: f32,
    pub max_length: usize,
    pub seed: u64,
    /// Stop after this many epochs without a better dev macro-F1.
    pub patience: usize,
    /// Article-grouped cross-validation folds on train (0 = none); they fit
    /// the shipped thresholds and temperatures.
    pub cv_folds: usize,
    /// Training directories (among `train_dirs`) whose articles are in every
    /// fold's training and never held out: the generated guideline set, whose
    /// one-sentence templates would otherwise be scored on their own siblings.
    pub cv_train_always: Vec<PathBuf>,
    /// Cross-validate the recipe only and add its figures to the card of the
    /// model already in `out_dir`; its weights, thresholds and temperatures
    /// stay as they are.
    pub cv_figures_only: bool,
    /// Keep each fold's trained model here and reuse it when a later run
    /// trains the same fold from the same examples, recipe, seed and
    /// encoder (see `fold_cache`); not part of the recipe, so not in the
    /// card's options (the cross-validation's command shows it).
    #[serde(skip)]
    pub cv_models: Option<PathBuf>,
    /// Ship the mean of the last this-many epochs' weights (1 = the selected epoch's).
    pub average_last: usize,
    /// Loss weight of a positive label (1 = plain BCE): w > 1 moves the
    /// decision at raw logit 0 to a calibrated probability of 1 / (1 + w).
    pub positive_weight: f32,
    /// Probability, per example and epoch, of training on its party-swapped
    /// counterfactual instead (0 = off; not written to the card then, so the
    /// cards of earlier recipes still match theirs).
    #[serde(skip_serializing_if = "is_zero")]
    pub party_swap: f32,
    /// Context, holder outputs and speaker cue.
    pub input: InputOptions,
}

fn is_zero(value: &f32) -> bool {
    *value == 0.0
}

/// The gold sets of `dirs` as one.
fn load_dirs<'a>(dirs: impl Iterator<Item = &'a PathBuf>) -> anyhow::Result<GoldSet> {
    let sets = dirs
        .map(|dir| GoldSet::load(&dir.join("articles.jsonl"), &dir.join("gold.jsonl")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    GoldSet::merge(sets)
}

impl TrainOptions {
    /// The training splits as one gold set.
    pub fn load_train(&self) -> anyhow::Result<GoldSet> {
        load_dirs(self.train_dirs.iter())
    }

    /// The training splits cross-validation deals into folds, and those in
    /// every fold's training (`cv_train_always`).
    pub fn load_cv_split(&self) -> anyhow::Result<(GoldSet, GoldSet)> {
        for dir in &self.cv_train_always {
            anyhow::ensure!(
                self.train_dirs.contains(dir),
                "--cv-train-always {}: not one of the --train directories ({})",
                dir.display(),
                self.train_names()
            );
        }
        let (always, folded): (Vec<&PathBuf>, Vec<&PathBuf>) = self
            .train_dirs
            .iter()
            .partition(|dir| self.cv_train_always.contains(dir));
        Ok((
            load_dirs(folded.into_iter())?,
            load_dirs(always.into_iter())?,
        ))
    }

    /// The prior correction of the positive weight: ln w (0 for plain BCE).
    pub fn logit_offset(&self) -> f32 {
        self.positive_weight.ln()
    }

    fn train_names(&self) -> String {
        self.train_dirs
            .iter()
            .map(|d| format!("`{}`", d.display()))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// Dev metrics after one epoch (threshold 0.5, temperature 1).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct DevEpoch {
    pub macro_f1: f64,
    pub f1: [f64; NUM_LABELS],
}

/// One epoch of a fine-tuning run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub train_loss: f64,
    /// Absent for cross-validation folds, which never look at dev.
    pub dev: Option<DevEpoch>,
    pub seconds: f64,
}

pub struct TrainOutcome {
    /// Training examples built from the train split.
    pub train_examples: usize,
    pub epochs: Vec<EpochLog>,
    pub best_epoch: usize,
    /// Epochs whose weights were averaged into the shipped ones (empty: `best_epoch`'s own).
    pub averaged_epochs: Vec<usize>,
    pub out_dir: PathBuf,
    pub cross_validation: Option<CrossValidation>,
}

/// What every fine-tuning run of one `stance train` shares.
struct Setup {
    device: Device,
    parties: PartySet,
    matcher: PartyMatcher,
    encoder: ModelDir,
    config: BertConfig,
    tokenizer: Tokenizer,
}

/// Trains and writes the model into `dir` (a staging directory that the
/// caller publishes as `opts.out_dir`).
pub fn run(opts: &TrainOptions, dir: &Path) -> anyhow::Result<TrainOutcome> {
    let train_gold = opts.load_train()?;
    let dev_gold = GoldSet::load(
        &opts.dev_dir.join("articles.jsonl"),
        &opts.dev_dir.join("gold.jsonl"),
    )?;
    let setup = Setup::new(opts)?;
    let train = examples(&train_gold, &setup, opts)?;
    eprintln!(
        "train: {} examples ({} with a party-swapped counterfactual) from {} sentences ({} positive labels); dev: {} sentences",
        train.len(),
        train.iter().filter(|e| e.swapped.is_some()).count(),
        train_gold.annotated_sentences().len(),
        train
            .iter()
            .map(|e| e.target.iter().sum::<f32>() as usize)
            .sum::<usize>(),
        dev_gold.annotated_sentences().len()
    );
    let tuned = fine_tune(opts, &setup, &train, opts.seed, Some(&dev_gold), "")?;
    save(opts, dir, &tuned.weights)?;
    let (train_examples, epochs, best_epoch, averaged_epochs) = (
        train.len(),
        tuned.epochs,
        tuned.best_epoch,
        tuned.averaged_epochs,
    );
    drop((train, tuned.head, tuned.weights));

    let cross_validation = if opts.cv_folds >= 2 {
        Some(cross_validate(opts, &setup)?)
    } else {
        None
    };
    Ok(TrainOutcome {
        train_examples,
        epochs,
        best_epoch,
        averaged_epochs,
        out_dir: opts.out_dir.clone(),
        cross_validation,
    })
}

/// Cross-validates the recipe alone (`--cv-figures-only`): no model is
/// trained on all of train, nothing is shipped from the folds.
pub fn cross_validate_recipe(opts: &TrainOptions) -> anyhow::Result<CrossValidation> {
    anyhow::ensure!(
        opts.cv_folds >= 2,
        "--cv-figures-only needs --cv-folds 2 or more"
    );
    cross_validate(opts, &Setup::new(opts)?)
}

impl Setup {
    /// Checks the options and loads what every fine-tuning run shares.
    fn new(opts: &TrainOptions) -> anyhow::Result<Setup> {
        // Checked before any training, so that a bad fold count does not
        // surface an hour into a run; without folds the split is not needed.
        if opts.cv_folds != 0 {
            let (folded, _) = opts.load_cv_split()?;
            anyhow::ensure!(
                opts.cv_folds >= 2 && opts.cv_folds <= folded.articles.len(),
                "--cv-folds {}: use 0 (no cross-validation) or 2 to {} (the articles of {} not in --cv-train-always)",
                opts.cv_folds,
                folded.articles.len(),
                opts.train_names()
            );
        }
        anyhow::ensure!(
            (1..=opts.epochs).contains(&opts.average_last) && (opts.average_last == 1 || opts.patience >= opts.epochs),
            "--average-last {}: use 1 (off) to --epochs ({}); averaging needs every epoch, so --patience must be at least --epochs",
            opts.average_last,
            opts.epochs
        );
        anyhow::ensure!(
            opts.positive_weight.is_finite() && opts.positive_weight > 0.0,
            "--positive-weight {}: use a positive number (1 = plain binary cross-entropy)",
            opts.positive_weight
        );
        anyhow::ensure!(
            (0.0..=1.0).contains(&opts.party_swap),
            "--party-swap {}: use a probability from 0 (off) to 1",
            opts.party_swap
        );
        anyhow::ensure!(
            opts.party_swap == 0.0 || opts.train_from_layer == 0,
            "--party-swap needs --train-from-layer 0: the frozen layers' cache holds one input per example"
        );
        let parties = PartySet::from_file(&opts.parties_file)?;
        let matcher = PartyMatcher::new(&parties)?;
        let encoder_dir = hub::resolve(&opts.encoder, &hub::MODEL_FILES)?;
        let encoder = ModelDir { dir: encoder_dir };
        let config = BertConfig::read(&encoder.file("config.json")?)?;
        anyhow::ensure!(
            opts.train_from_layer < config.num_hidden_layers,
            "--train-from-layer must be below {}",
            config.num_hidden_layers
        );
        let tokenizer = score::configure_tokenizer(
            score::load_tokenizer(&encoder.file("tokenizer.json")?)?,
            opts.max_length,
        )?;
        Ok(Setup {
            device: Device::Cpu,
            parties,
            matcher,
            encoder,
            config,
            tokenizer,
        })
    }
}

/// A scorer over a model still in memory: temperature 1, thresholds 0.5.
fn raw_scorer(head: StanceHead, setup: &Setup, opts: &TrainOptions) -> Scorer {
    Scorer::from_trained(
        &opts.name,
        Box::new(head),
        setup.tokenizer.clone(),
        [1.0; NUM_LABELS],
        [0.5; NUM_LABELS],
        opts.input,
    )
}

/// Dev metrics of the model as it is now (temperature 1, thresholds 0.5).
fn evaluate_in_memory(
    head: &StanceHead,
    setup: &Setup,
    dev: &GoldSet,
    opts: &TrainOptions,
) -> anyhow::Result<eval::Report> {
    let scorer = raw_scorer(head.clone(), setup, opts);
    let predictions = eval::predict(&scorer, dev, &setup.parties, &setup.matcher, &dev.parties())?;
    Ok(eval::report(
        &opts.name,
        &predictions,
        scorer.thresholds(),
        eval::SegmentationReport::default(),
        &setup.parties.ids(),
    ))
}

/// Writes the trained tensors (f16) and `stance_model.json` (temperature 1
/// and thresholds 0.5; [`finish`] sets the shipped ones).
fn save(opts: &TrainOptions, dir: &Path, weights: &HashMap<String, Tensor>) -> anyhow::Result<()> {
    save_as(opts, dir, weights, DType::F16)
}

/// [`save`] with the tensors in `dtype`.
fn save_as(
    opts: &TrainOptions,
    dir: &Path,
    weights: &HashMap<String, Tensor>,
    dtype: DType,
) -> anyhow::Result<()> {
    let half: HashMap<String, Tensor> = weights
        .iter()
        .map(|(k, v)| Ok((k.clone(), v.to_dtype(dtype)?)))
        .collect::<candle_core::Result<_>>()?;
    let weights_path = dir.join("trained.safetensors");
    candle_core::safetensors::save(&half, &weights_path)
        .with_context(|| format!("{}: cannot write", weights_path.display()))?;
    let parties = PartySet::from_file(&opts.parties_file)?;
    let spec = StanceModelSpec {
        format: STANCE_FORMAT.into(),
        name: opts.name.clone(),
        encoder: opts.encoder.clone(),
        weights: "trained.safetensors".into(),
        trained_from_layer: opts.train_from_layer,
        labels: LABELS.iter().map(|s| s.to_string()).collect(),
        thresholds: [0.5; NUM_LABELS],
        temperature: [1.0; NUM_LABELS],
        logit_offset: [opts.logit_offset(); NUM_LABELS],
        max_length: opts.max_length,
        trained_parties: parties.ids().iter().map(|s| s.to_string()).collect(),
        previous_sentence: opts.input.previous_sentence,
        holder_outputs: opts.input.holder_outputs,
        speaker_cue: opts.input.speaker_cue,
        addressee_cue: opts.input.addressee_cue,
    };
    write_spec(dir, &spec)
}

pub fn write_spec(dir: &Path, spec: &StanceModelSpec) -> anyhow::Result<()> {
    let path = dir.join(STANCE_MODEL_FILE);
    std::fs::write(&path, serde_json::to_string_pretty(spec)? + "\n")
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// Loads the trained scorer from its directory (as users will), for the model card.
pub fn load_saved(dir: &Path) -> anyhow::Result<Scorer> {
    let parties = PartySet::builtin();
    Scorer::load(
        Some(&dir.to_string_lossy()),
        &Device::Cpu,
        &parties.templates,
    )
}
