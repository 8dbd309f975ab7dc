//! What each subcommand does, from parsed arguments to files and exit codes.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{EvalArgs, FetchArgs, ScoreArgs, TrainArgs};
use crate::eval::{self, gold::GoldSet};
use crate::model::{device, hub};
use crate::output::publish::{publish_file, StagedDir};
use crate::output::PublishCompleted;
use crate::parties::{PartyMatcher, PartySet};
use crate::pipeline::{self, ScoreOptions};
use crate::score::InputOptions;
use crate::score::Scorer;
use crate::train::{self, ModelCard, TrainOptions};
use crate::types::ScoreRow;

/// Exit status of a run that finished but rejected some records (`--skip-bad`):
/// not every input record was processed, so not 0 (contract).
pub const EXIT_REJECTED: u8 = 3;

pub fn score(args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let inputs = if args.inputs.is_empty() {
        vec!["-".into()]
    } else {
        args.inputs
    };
    let opts = ScoreOptions {
        inputs,
        out: args.output,
        model: args.model.model,
        parties: args.model.parties,
        device: args.model.device.into(),
        batch_size: args.batch_size,
        token_budget: args.token_budget,
        skip_bad: args.skip_bad,
        resume: args.resume,
        progress: !args.quiet,
    };
    let counters = match pipeline::run(&opts) {
        Ok(summary) => {
            eprintln!("{}", summary.line());
            summary.counters
        }
        // A resumed run that only had its publish left to finish: it is done.
        Err(err) => match err.downcast::<PublishCompleted>() {
            Ok(done) => {
                eprintln!("stance: {done}");
                done.counters
            }
            Err(err) => return Err(err),
        },
    };
    Ok(if counters.rejected > 0 {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let parties = PartySet::from_option(args.model.parties.as_deref())?;
    let matcher = PartyMatcher::new(&parties)?;
    let gold = GoldSet::load(&args.articles, &args.gold)?;
    let device = device::select(args.model.device.into())?;
    let scorer = Scorer::load(args.model.model.as_deref(), &device, &parties.templates)?;
    let predictions = eval::predict(&scorer, &gold, &parties, &matcher, &gold.parties())?;
    let report = eval::report(
        scorer.name(),
        &predictions,
        scorer.thresholds(),
        eval::segmentation(&gold),
        &parties.ids(),
    );
    print!("{}", eval::render_table(&report));
    if let Some(path) = &args.json {
        write_report(path, &report)?;
    }
    if let Some(path) = &args.predictions {
        write_predictions(path, &predictions.rows)?;
    }
    if let Some(dir) = &args.plots {
        for path in eval::write_plots(dir, scorer.name(), &predictions)? {
            eprintln!("plot: {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn train(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let opts = TrainOptions {
        train_dirs: args.train,
        dev_dir: args.dev,
        out_dir: args.out,
        encoder: args.encoder,
        parties_file: args.parties,
        name: args.name,
        epochs: args.epochs,
        learning_rate: args.lr,
        batch_size: args.batch_size,
        train_from_layer: args.train_from_layer,
        dropout: args.dropout,
        max_length: args.max_length,
        seed: args.seed,
        patience: args.patience,
        cv_folds: args.cv_folds,
        cv_train_always: args.cv_train_always,
        cv_figures_only: args.cv_figures_only,
        cv_models: args.cv_models,
        average_last: args.average_last,
        positive_weight: args.positive_weight,
        party_swap: args.party_swap,
        input: InputOptions {
            previous_sentence: args.previous_sentence,
            holder_outputs: args.holder_outputs,
            speaker_cue: args.speaker_cue,
            addressee_cue: args.addressee_cue,
        },
    };
    if let Some(month) = &args.time_split {
        let outputs = (args.cv_json.as_deref(), args.cv_predictions.as_deref());
        return time_split(&opts, month, args.time_split_backward, outputs);
    }
    anyhow::ensure!(
        (args.cv_predictions.is_none() && args.cv_json.is_none())
            || (opts.cv_folds >= 2 && !args.card_only),
        "--cv-predictions and --cv-json need a cross-validation (--cv-folds 2 or more, not --card-only) or --time-split"
    );
    let started = std::time::Instant::now();
    // The model directory appears whole or not at all: written beside its
    // place, then renamed into it.
    let staged = StagedDir::new(&opts.out_dir)?;
    let trained = if args.card_only || args.cv_figures_only {
        staged
            .copy_from(&opts.out_dir)
            .and_then(|()| rewrite_card(&opts, staged.path(), &command))
    } else {
        train::run(&opts, staged.path()).and_then(|outcome| {
            let seconds = started.elapsed().as_secs_f64();
            train::finish(&opts, staged.path(), &outcome, &command, seconds)
        })
    };
    let card = match trained {
        Ok(card) => card,
        Err(err) => {
            staged.discard();
            return Err(err);
        }
    };
    staged.publish()?;
    if let (Some(path), Some(cv)) = (&args.cv_json, &card.cross_validation) {
        write_report(path, &cv.at_half)?;
    }
    if let (Some(path), Some(cv)) = (&args.cv_predictions, &card.cross_validation) {
        write_predictions(path, &cv.rows)?;
    }
    let seconds = card.training_seconds;
    eprintln!(
        "trained {} in {:.0} s: best epoch {}, dev macro-F1 {:.3} (thresholds {:?}), dev ECE {:.3} -> {}",
        card.name,
        seconds,
        card.best_epoch,
        card.dev.macro_f1,
        card.thresholds,
        card.dev.ece,
        opts.out_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `--time-split`: the recipe trained on one side of `month` and scored on
/// the other; its table, and its report and rows where `outputs` name
/// files for them. No model is written.
fn time_split(
    opts: &TrainOptions,
    month: &str,
    backward: bool,
    (json, predictions): (Option<&Path>, Option<&Path>),
) -> anyhow::Result<ExitCode> {
    let split = train::time_split(opts, month, backward)?;
    print!("{}", eval::render_table(&split.report));
    let (trained, scored) = if split.backward {
        ("from it on", "before it")
    } else {
        ("before it", "from it on")
    };
    eprintln!(
        "time split at {month}: trained on {} articles dated {trained}, scored {} dated {scored} ({} undated on neither side) in {:.0} s",
        split.train_articles.len(),
        split.fold.held_out_articles.len(),
        split.undated_articles.len(),
        split.fold.seconds
    );
    if let Some(path) = json {
        write_report(path, &split)?;
    }
    if let Some(path) = predictions {
        write_predictions(path, &split.rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `report` as pretty JSON at `path`, whole or not at all.
fn write_report(path: &Path, report: &impl serde::Serialize) -> anyhow::Result<()> {
    publish_file(
        path,
        (serde_json::to_string_pretty(report)? + "\n").as_bytes(),
    )?;
    eprintln!("report: {}", path.display());
    Ok(())
}

/// `rows` as JSONL at `path`, whole or not at all.
fn write_predictions(path: &Path, rows: &[ScoreRow]) -> anyhow::Result<()> {
    let mut text = String::new();
    for row in rows {
        text.push_str(&serde_json::to_string(row)?);
        text.push('\n');
    }
    publish_file(path, text.as_bytes())?;
    eprintln!("predictions: {} ({} rows)", path.display(), rows.len());
    Ok(())
}

/// `--card-only` and `--cv-figures-only`: the card of the model in
/// `opts.out_dir`, rewritten into `dir` from its recorded training log
/// (with the recipe's cross-validation figures for the latter).
fn rewrite_card(opts: &TrainOptions, dir: &Path, command: &str) -> anyhow::Result<ModelCard> {
    let train::RecordedTraining {
        mut outcome,
        seconds,
        card: recorded,
    } = train::outcome_from_card(&opts.out_dir, opts)?;
    let training_command = recorded["command"].as_str().unwrap_or(command).to_string();
    let mut model_opts = opts.clone();
    if opts.cv_figures_only {
        outcome.cross_validation = Some(train::cross_validate_recipe(opts)?);
        // The card's options stay the training run's; the cross-validation
        // records its own command.
        model_opts.cv_folds = serde_json::from_value(recorded["options"]["cv_folds"].clone())?;
        model_opts.cv_train_always = Vec::new();
        model_opts.cv_figures_only = false;
    }
    train::finish(&model_opts, dir, &outcome, &training_command, seconds)
}

pub fn fetch_model(args: FetchArgs) -> anyhow::Result<ExitCode> {
    let dir = hub::resolve(&args.repo, &hub::MODEL_FILES)?;
    println!("{}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// True when `err` comes from writing to a pipe whose reader has gone
/// (`stance score … | head`): not a failure of stance, so it stops quietly.
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Exit status of a run stopped by a closed pipe: 128 + SIGPIPE, as Unix
/// tools killed by the signal report it.
pub const EXIT_CLOSED_PIPE: u8 = 141;
