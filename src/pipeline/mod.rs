//! `stance score`: the stages wired together.
//!
//! A producer thread reads records, segments, matches parties and tokenizes
//! (in parallel over small chunks of articles, order kept); the main thread
//! runs the model over windows of prepared articles (length-sorted batches
//! inside the window) and hands each finished article to the output sink.
//! Channels are bounded, so memory stays flat on a dump of any size.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use crossbeam_channel::{bounded, Receiver};
use rayon::prelude::*;

use crate::input::{ArticleReader, InputError};
use crate::model::device::DeviceChoice;
use crate::output::{Counters, OutputSink, OutputTarget, Reject};
use crate::parties::PartySet;
use crate::score::{RequestScores, Scorer};
use crate::types::{Article, LABELS};

pub mod engine;

pub use engine::{Engine, PreparedArticle, WINDOW_SEQUENCES};

#[derive(Debug, Clone)]
pub struct ScoreOptions {
    pub inputs: Vec<PathBuf>,
    pub out: String,
    pub model: Option<String>,
    pub parties: Option<PathBuf>,
    pub device: DeviceChoice,
    pub batch_size: Option<usize>,
    pub token_budget: Option<usize>,
    pub skip_bad: bool,
    pub resume: bool,
    pub progress: bool,
}

/// What a run did, for the closing summary line.
#[derive(Debug, Clone)]
pub struct Summary {
    pub counters: Counters,
    pub seconds: f64,
    pub truncated: u64,
    pub output: String,
    /// Files inside input directories that were not read (other extensions).
    pub skipped_files: Vec<PathBuf>,
}

impl Summary {
    pub fn line(&self) -> String {
        let c = &self.counters;
        let rate = if self.seconds > 0.0 {
            c.sentences as f64 / self.seconds
        } else {
            0.0
        };
        let mut line = format!(
            "stance: {} articles, {} sentences, {} rows, {} rejected in {:.1} s ({:.1} sentences/s) -> {}",
            c.articles, c.sentences, c.rows, c.rejected, self.seconds, rate, self.output
        );
        if self.truncated > 0 {
            line.push_str(&format!(
                "; {} sequences were longer than the model's maximum and truncated",
                self.truncated
            ));
        }
        if !self.skipped_files.is_empty() {
            const NAMED: usize = 3;
            let names: Vec<String> = self
                .skipped_files
                .iter()
                .take(NAMED)
                .map(|p| p.display().to_string())
                .collect();
            let more = self.skipped_files.len().saturating_sub(NAMED);
            line.push_str(&format!(
                "; {} files in the input directories were not read (not .txt, .md, .jsonl or .jsonl.gz): {}{}",
                self.skipped_files.len(),
                names.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ));
        }
        line
    }
}

enum Item {
    Article(PreparedArticle),
    Reject(InputError),
}

/// What the rows look like; bump when a row of the same input changes
/// (a new column, another holder rule), so that `--resume` never splices
/// rows of two program versions.
const ROW_FORMAT: &str =
    "rows/10 (holder, with the source a sentence credits (according to, in X's view, condemned by), quotations (also run on from the sentence before), pronoun and group speakers (a titled person heading the sentence), people introduced with their party, speakers named or titled before a speech verb, the speaker fallback, and a vetoed draft's call held by its sponsors; the addressee (reaching the parties addressed with), renounced force (active, and only by peaceful means), victim, condemnation (with passives, laid blame, coordinated objects, the one condemning, unnamed acts and charges), support (with causes), source, denied condemnation, exclusion (with rejected ceasefires) and belligerent rules)";

/// Digest of what decides the output, so `--resume` refuses to mix runs:
/// `inputs=… model=… parties=… format=…`, each part a short SHA-256, so that
/// a refusal can name what changed. The model part covers its files'
/// content, the parties part the whole parties file as loaded (aliases,
/// templates, exclusions, case rules), the format part the labels, the
/// output kind, the row format and the program version.
fn fingerprint(opts: &ScoreOptions, scorer: &Scorer, parties: &PartySet) -> anyhow::Result<String> {
    let short = |text: &str| -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(text.as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let inputs: Vec<String> = opts
        .inputs
        .iter()
        .map(|i| i.display().to_string())
        .collect();
    let format = format!(
        "{ROW_FORMAT}|{}|{:?}|{}",
        env!("CARGO_PKG_VERSION"),
        LABELS,
        if OutputTarget::from_arg(&opts.out).is_parquet() {
            "parquet"
        } else {
            "jsonl"
        }
    );
    Ok(format!(
        "inputs={} model={} parties={} format={}",
        short(&inputs.join("\0")),
        short(&scorer.digest()?),
        short(&format!("{parties:?}")),
        short(&format)
    ))
}

/// Prepared articles per parallel chunk.
const CHUNK: usize = 16;

pub fn run(opts: &ScoreOptions) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let engine = Engine::load(
        opts.model.as_deref(),
        opts.parties.as_deref(),
        opts.device,
        opts.batch_size,
        opts.token_budget,
    )?;
    let target = OutputTarget::from_arg(&opts.out);
    let reader = ArticleReader::open(&opts.inputs)?;
    let skipped_files = reader.skipped_files().to_vec();
    // Only a file output can be resumed; standard output skips reading the
    // model's files again for the digest.
    let run_fingerprint = match target {
        OutputTarget::File(_) => fingerprint(opts, &engine.scorer, &engine.parties)?,
        OutputTarget::Stdout => String::new(),
    };
    let (mut sink, resume_point) = OutputSink::open(target, opts.resume, &run_fingerprint)?;
    let mut counters = resume_point.counters.clone();

    let bar = progress_bar(opts.progress);
    let mut truncated = 0u64;
    let mut records_done = resume_point.records_done;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (tx, rx) = bounded::<anyhow::Result<Item>>(4 * CHUNK);
        let engine = &engine;
        let preparers = preparer_pool(engine.on_cpu)?;
        scope.spawn(move || {
            let mut records = reader.skip(resume_point.records_done as usize);
            loop {
                let chunk: Vec<Result<Article, InputError>> =
                    records.by_ref().take(CHUNK).collect();
                if chunk.is_empty() {
                    break;
                }
                let prepared: Vec<anyhow::Result<Item>> = preparers.install(|| {
                    chunk
                        .into_par_iter()
                        .map(|record| match record {
                            Ok(article) => engine.prepare(article).map(Item::Article),
                            Err(err) => Ok(Item::Reject(err)),
                        })
                        .collect()
                });
                for item in prepared {
                    if tx.send(item).is_err() {
                        return; // the consumer stopped (an error): nothing more to do
                    }
                }
            }
        });
        consume(
            &rx,
            &mut sink,
            engine,
            opts.skip_bad,
            &mut counters,
            &mut records_done,
            &mut truncated,
            &bar,
        )
    })?;
    bar.finish_and_clear();
    sink.finish(&counters)?;
    Ok(Summary {
        counters,
        seconds: started.elapsed().as_secs_f64(),
        truncated,
        output: opts.out.clone(),
        skipped_files,
    })
}

/// Threads that read, segment, match and tokenize. They are not the global
/// rayon pool, which the CPU encoder uses: the encoder's parallel steps would
/// otherwise wait behind whole articles being prepared, and preparing would add
/// to inference time instead of overlapping with it. Beside a CPU encoder a
/// quarter of the cores (at least one) keeps ahead of it and the OS shares the
/// cores; beside a GPU, all of them.
fn preparer_pool(encoder_on_cpu: bool) -> anyhow::Result<rayon::ThreadPool> {
    let cores = rayon::current_num_threads();
    let threads = if encoder_on_cpu {
        (cores / 4).max(1)
    } else {
        cores
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("stance-prepare-{i}"))
        .build()
        .context("cannot start the preparing threads")
}

/// Scores windows of prepared articles and writes them, in input order.
#[allow(clippy::too_many_arguments)]
fn consume(
    rx: &Receiver<anyhow::Result<Item>>,
    sink: &mut OutputSink,
    engine: &Engine,
    skip_bad: bool,
    counters: &mut Counters,
    records_done: &mut u64,
    truncated: &mut u64,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    // An error from the reader (item size usize::MAX) closes its window at once.
    let by_window = engine::windows(rx.iter(), |item| {
        item.as_ref().map_or(usize::MAX, sequences)
    });
    for items in by_window {
        let items = items.into_iter().collect::<anyhow::Result<Vec<Item>>>()?;
        let articles: Vec<&PreparedArticle> = items
            .iter()
            .filter_map(|item| match item {
                Item::Article(article) => Some(article),
                Item::Reject(_) => None,
            })
            .collect();
        let scores = engine.score_window(&articles)?;
        let mut scores = scores.into_iter();
        for item in items {
            *records_done += 1;
            match item {
                Item::Reject(err) => {
                    if !skip_bad {
                        return Err(anyhow::anyhow!("{err}\n(pass --skip-bad to record bad records in OUT.rejects.jsonl and go on)"));
                    }
                    sink.write_reject(&Reject {
                        origin: err.origin.clone(),
                        reason: err.reason.clone(),
                    })?;
                    counters.rejected += 1;
                }
                Item::Article(article) => {
                    let article_scores: Vec<RequestScores> =
                        scores.by_ref().take(article.requests()).collect();
                    let rows = engine.rows(&article, &article_scores);
                    *truncated += article.truncated();
                    sink.write_rows(&rows)?;
                    counters.articles += 1;
                    counters.sentences += article.sentences.len() as u64;
                    counters.rows += rows.len() as u64;
                }
            }
        }
        sink.checkpoint(*records_done, counters)?;
        bar.set_position(counters.articles);
        let rate = counters.sentences as f64 / bar.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} sentences ({rate:.1}/s), {} rows, {} rejected",
            counters.sentences, counters.rows, counters.rejected
        ));
    }
    Ok(())
}

fn sequences(item: &Item) -> usize {
    match item {
        Item::Article(a) => a.encoded.len(),
        Item::Reject(_) => 0,
    }
}

fn progress_bar(enabled: bool) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos} articles ({per_sec}) | {msg} | {elapsed_precise}",
        )
        .expect("valid template"),
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing;

    fn options(inputs: &[&str], out: &str) -> ScoreOptions {
        ScoreOptions {
            inputs: inputs.iter().map(PathBuf::from).collect(),
            out: out.to_string(),
            model: None,
            parties: None,
            device: DeviceChoice::Cpu,
            batch_size: None,
            token_budget: None,
            skip_bad: false,
            resume: false,
            progress: false,
        }
    }

    /// The `part=digest` pairs of a fingerprint.
    fn parts(fingerprint: &str) -> Vec<(String, String)> {
        fingerprint
            .split(' ')
            .map(|p| p.split_once('=').unwrap())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn changed(a: &str, b: &str) -> Vec<String> {
        parts(a)
            .into_iter()
            .zip(parts(b))
            .filter(|(x, y)| x.1 != y.1)
            .map(|(x, _)| x.0)
            .collect()
    }

    #[test]
    fn the_fingerprint_names_what_changed() {
        let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
        let other_model = testing::scorer(vec![0.0; 5], [1.0; 3]);
        let parties = PartySet::builtin();
        let mut retemplated = parties.clone();
        retemplated.templates.condemn = "{party} is condemned.".into();
        let base = fingerprint(&options(&["a.jsonl"], "out.jsonl"), &scorer, &parties).unwrap();
        let same =
            fingerprint(&options(&["a.jsonl"], "out.jsonl"), &other_model, &parties).unwrap();
        assert_eq!(
            base, same,
            "the same model content gives the same fingerprint"
        );
        let fp = |inputs: &[&str], out: &str, parties: &PartySet| {
            fingerprint(&options(inputs, out), &scorer, parties).unwrap()
        };
        assert_eq!(
            changed(&base, &fp(&["b.jsonl"], "out.jsonl", &parties)),
            ["inputs"]
        );
        assert_eq!(
            changed(&base, &fp(&["a.jsonl"], "out.jsonl", &retemplated)),
            ["parties"]
        );
        assert_eq!(
            changed(&base, &fp(&["a.jsonl"], "out.parquet", &parties)),
            ["format"]
        );
        let renamed = crate::score::Scorer::from_trained(
            "another",
            Box::new(testing::FixedLogits(vec![0.0; 5])),
            tokenizers::Tokenizer::new(tokenizers::models::wordpiece::WordPiece::default()),
            [1.0; 3],
            [0.5; 3],
            Default::default(),
        );
        let renamed = fingerprint(&options(&["a.jsonl"], "out.jsonl"), &renamed, &parties).unwrap();
        assert_eq!(changed(&base, &renamed), ["model"]);
    }
}
