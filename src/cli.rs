//! Command-line arguments (clap derive). `main.rs` only dispatches.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::device::DeviceChoice;

#[derive(Debug, Parser)]
#[command(
    name = "stance",
    version,
    about = "Targeted stance (condemn / support / ceasefire) of news sentences toward conflict parties"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score articles: one JSONL (or Parquet) row per (sentence, party).
    Score(ScoreArgs),
    /// Evaluate a model on hand-labelled gold data (closed world).
    Eval(EvalArgs),
    /// Train the stance model on the annotated data.
    Train(TrainArgs),
    /// Put a Hugging Face model in the local cache (from the Hub) and print its directory.
    FetchModel(FetchArgs),
}

/// Which model scores, for which parties, where.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Model directory or Hugging Face repo id (default: the project's trained model).
    #[arg(long)]
    pub model: Option<String>,
    /// Parties TOML replacing the built-in parties.
    #[arg(long)]
    pub parties: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = DeviceArg::Auto)]
    pub device: DeviceArg,
}

/// `--device`: clap's spelling of the model layer's [`DeviceChoice`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceArg {
    /// CUDA when this build has it and a GPU answers, else CPU.
    Auto,
    Cpu,
    Cuda,
}

impl From<DeviceArg> for DeviceChoice {
    fn from(arg: DeviceArg) -> DeviceChoice {
        match arg {
            DeviceArg::Auto => DeviceChoice::Auto,
            DeviceArg::Cpu => DeviceChoice::Cpu,
            DeviceArg::Cuda => DeviceChoice::Cuda,
        }
    }
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files or directories (.txt/.md one article each; .jsonl/.jsonl.gz one per line); `-` or nothing: JSONL on stdin.
    pub inputs: Vec<PathBuf>,
    /// Output path (`.parquet` writes Parquet) or `-` for standard output.
    #[arg(short, long, default_value = "-")]
    pub output: String,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Most sequences per forward pass.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Most padded tokens per forward pass.
    #[arg(long)]
    pub token_budget: Option<usize>,
    /// Record malformed records in OUT.rejects.jsonl instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,
    /// Continue an interrupted run into the same OUT.
    #[arg(long)]
    pub resume: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[arg(long)]
    pub articles: PathBuf,
    #[arg(long)]
    pub gold: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write the report as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write every scored pair as a `stance score` row.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
    /// Write PNG figures (precision–recall, reliability) into this directory.
    #[arg(long)]
    pub plots: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training splits (repeat the flag for more than one); cross-validation groups their articles together.
    #[arg(long, default_values = ["datasets/train", "datasets/silver"])]
    pub train: Vec<PathBuf>,
    #[arg(long, default_value = "datasets/dev")]
    pub dev: PathBuf,
    #[arg(long, default_value = "models/stance-minilm")]
    pub out: PathBuf,
    #[arg(long, default_value = "sentence-transformers/all-MiniLM-L6-v2")]
    pub encoder: String,
    /// Parties of the training data (more parties than the defaults help generalise).
    #[arg(long, default_value = "config/parties-extended.toml")]
    pub parties: PathBuf,
    #[arg(long, default_value = "stance-minilm")]
    pub name: String,
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    #[arg(long, default_value_t = 8e-5)]
    pub lr: f64,
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Fine-tune encoder layers from this one up (0 = all).
    #[arg(long, default_value_t = 0)]
    pub train_from_layer: usize,
    #[arg(long, default_value_t = 0.1)]
    pub dropout: f32,
    #[arg(long, default_value_t = 128)]
    pub max_length: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stop after this many epochs without a better dev macro-F1 (the default never stops early).
    #[arg(long, default_value_t = 8)]
    pub patience: usize,
    /// Give the model the article's previous sentence as context (measured: no gain on dev, twice the sequence length)
    #[arg(long)]
    pub previous_sentence: bool,
    /// Cross-validation folds on train (grouped by article) that choose the shipped thresholds and temperatures; 0 = none (thresholds at the raw logit 0, temperatures fitted on dev). Each fold is a full fine-tuning run.
    #[arg(long, default_value_t = 3)]
    pub cv_folds: usize,
    /// A --train directory whose articles are in every cross-validation fold's training and never held out (repeatable): the generated guideline set, whose one-sentence templates would otherwise be scored on their siblings.
    #[arg(long, value_name = "DIR")]
    pub cv_train_always: Vec<PathBuf>,
    /// Do not train: cross-validate the recipe of the model already in --out (give its own recipe) and add the out-of-fold figures to its card; its weights, thresholds and temperatures stay as they are.
    #[arg(long, conflicts_with = "card_only")]
    pub cv_figures_only: bool,
    /// Keep each cross-validation fold's trained model in DIR/fold-K and reuse it in later runs that train the same fold from the same examples, recipe, seed and encoder (a fingerprint decides; anything else retrains and replaces it). Rules after the model do not change a fold's model, so they are measured out of fold again in minutes.
    #[arg(long, value_name = "DIR")]
    pub cv_models: Option<PathBuf>,
    /// Write the cross-validation's (or time split's) out-of-fold rows here (JSONL, as `stance eval --predictions`; raw scores, labels at the raw logit 0).
    #[arg(long, value_name = "FILE")]
    pub cv_predictions: Option<PathBuf>,
    /// Write the cross-validation's (or time split's) out-of-fold report here (JSON, as `stance eval --json`, at the raw logit 0).
    #[arg(long, value_name = "FILE")]
    pub cv_json: Option<PathBuf>,
    /// Do not train a model: train the recipe on the articles dated before this month (YYYY-MM) of the --train directories not in --cv-train-always (plus all of those), score the articles dated this month or later, and print their figures. Undated articles are on neither side. Measures the recipe on events its training data does not cover; writes nothing to --out.
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["card_only", "cv_figures_only"])]
    pub time_split: Option<String>,
    /// With --time-split: train on the articles dated that month or later and score the earlier ones.
    #[arg(long, requires = "time_split")]
    pub time_split_backward: bool,
    /// Ship the mean of the last K epochs' weights (checkpoint averaging) instead of the best dev epoch; 1 = off. Needs --patience of at least --epochs.
    #[arg(long, default_value_t = 1)]
    pub average_last: usize,
    /// Loss weight of a positive label (1 = plain binary cross-entropy). With w > 1 the
    /// decision at raw logit 0 sits at a calibrated probability of 1 / (1 + w), below 0.5,
    /// where a rare label's F1 peaks; the shipped scores are corrected back by ln w.
    #[arg(long, default_value_t = 1.0)]
    pub positive_weight: f32,
    /// Probability, per example and epoch, of training on the example's counterfactual instead: the party's mentions renamed to another party of the file, which takes over its condemn and support labels and holder targets; ceasefire, which the guidelines give by who the party is, stays out of its loss (0 = off). Breaks the habitual roles news gives each party.
    #[arg(long, default_value_t = 0.0)]
    pub party_swap: f32,
    /// Train the two holder outputs ("this party holds the stance", "the author's own voice") from the gold `holder`.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub holder_outputs: bool,
    /// Follow the party's name with "(speaker)" where the surface rules put it in the speaker's place.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub speaker_cue: bool,
    /// Follow the party's name with "(addressed)" / "(not addressed)" where a call in the sentence names its addressee.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub addressee_cue: bool,
    /// Do not train: re-evaluate the model already in --out and rewrite its card (training log taken from its model_card.json).
    #[arg(long)]
    pub card_only: bool,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Repo id.
    #[arg(default_value = "sentence-transformers/all-MiniLM-L6-v2")]
    pub repo: String,
}
