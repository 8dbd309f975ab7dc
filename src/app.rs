//! What each subcommand does, from parsed arguments to files and exit codes.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{EvalArgs, FetchArgs, ScoreArgs, TrainArgs};
use crate::eval::{self, gold::GoldSet};
use crate::model::{device, hub};
use crate::output::PublishCompleted;
use crate::parties::{PartyMatcher, PartySet};
use crate::pipeline::{self, ScoreOptions};
use crate::score::Scorer;
use crate::train::{self, TrainOptions};

/// Exit status of a run that finished but rejected some records (`--skip-bad`):
/// not every input record was processed, so not 0 (contract).
pub const EXIT_REJECTED: u8 = 3;

pub fn score(args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let inputs = if args.inputs.is_empty() { vec!["-".into()] } else { args.inputs };
    let opts = ScoreOptions {
        inputs,
        out: args.output,
        model: args.model.model,
        parties: args.model.parties,
        device: args.model.device,
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
    Ok(if counters.rejected > 0 { ExitCode::from(EXIT_REJECTED) } else { ExitCode::SUCCESS })
}

pub fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let parties = PartySet::from_option(args.model.parties.as_deref())?;
    let matcher = PartyMatcher::new(&parties)?;
    let gold = GoldSet::load(&args.articles, &args.gold)?;
    let device = device::select(args.model.device)?;
    let scorer = Scorer::load(args.model.model.as_deref(), &device, &parties.templates)?;
    let predictions = eval::predict(&scorer, &gold, &parties, &matcher, &gold.parties())?;
    let report = eval::report(scorer.name(), &predictions, scorer.thresholds(), eval::segmentation(&gold));
    print!("{}", eval::render_table(&report));
    if let Some(path) = &args.json {
        write_atomically(path, (serde_json::to_string_pretty(&report)? + "\n").as_bytes())?;
        eprintln!("report: {}", path.display());
    }
    if let Some(path) = &args.predictions {
        let mut text = String::new();
        for row in &predictions.rows {
            text.push_str(&serde_json::to_string(row)?);
            text.push('\n');
        }
        write_atomically(path, text.as_bytes())?;
        eprintln!("predictions: {} ({} rows)", path.display(), predictions.rows.len());
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
        train_dir: args.train,
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
        previous_sentence: args.previous_sentence,
        cv_folds: args.cv_folds,
        average_last: args.average_last,
    };
    let started = std::time::Instant::now();
    let outcome = train::run(&opts)?;
    let seconds = started.elapsed().as_secs_f64();
    let card = train::finish(&opts, &outcome, &command, seconds)?;
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

pub fn fetch_model(args: FetchArgs) -> anyhow::Result<ExitCode> {
    let dir = hub::resolve(&args.repo, &hub::MODEL_FILES)?;
    println!("{}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to a temporary sibling and renames it over `path`, so a
/// reader never sees a half-written file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create directory", parent.display()))?;
    }
    let tmp = path.with_extension("partial");
    let mut file = std::fs::File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
    file.write_all(bytes).and_then(|_| file.sync_all()).with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("{}: cannot rename into place", path.display()))
}
