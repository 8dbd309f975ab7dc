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
use serde::Serialize;
use tokenizers::Tokenizer;

use crate::eval::gold::GoldSet;
use crate::eval::{self, party_mentions};
use crate::model::bert::{self, BertConfig, Mode, StanceHead, HEAD_PREFIX};
use crate::model::{hub, Batch, Encoded, ModelDir};
use crate::parties::{PartyMatcher, PartySet};
use crate::score::{self, Scorer, StanceModelSpec, STANCE_FORMAT, STANCE_MODEL_FILE};
use crate::types::{LABELS, NUM_LABELS};

#[derive(Debug, Clone, Serialize)]
pub struct TrainOptions {
    pub train_dir: PathBuf,
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
    /// Give the model the article's previous sentence as context.
    pub previous_sentence: bool,
}

/// One training or dev example.
struct Example {
    input: Encoded,
    target: [f32; NUM_LABELS],
}

/// Builds examples for every annotated sentence of `gold`.
fn examples(gold: &GoldSet, parties: &PartySet, matcher: &PartyMatcher, tokenizer: &Tokenizer, previous_sentence: bool) -> anyhow::Result<Vec<Example>> {
    let index = gold.article_index();
    // Parties annotated per article: the closed world of that article.
    let mut article_parties: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for row in gold.rows.iter().filter(|r| r.party != eval::gold::NO_PARTY) {
        article_parties.entry(index[row.article_id.as_str()]).or_default().insert(row.party.clone());
    }
    let all_parties = gold.parties();
    let world: HashMap<(usize, usize, String), [bool; NUM_LABELS]> = gold
        .closed_world(&all_parties)
        .into_iter()
        .map(|p| ((p.article, p.sentence, p.party.clone()), p.gold))
        .collect();
    let mut out = Vec::new();
    for (article, sentence_index) in gold.annotated_sentences() {
        let sentence = &gold.articles[article].sentences[sentence_index];
        let found = matcher.find(sentence);
        let mut candidates: BTreeSet<String> = article_parties.get(&article).cloned().unwrap_or_default();
        candidates.extend(found.iter().map(|m| parties.parties[m.party].id.clone()));
        for party_id in candidates {
            let Some(p) = parties.index_of(&party_id) else { continue };
            let gold_labels = world.get(&(article, sentence_index, party_id.clone())).copied().unwrap_or([false; NUM_LABELS]);
            let mentions = party_mentions(matcher, sentence, p);
            out.push(Example {
                input: score::encode_stance_input(
                    tokenizer,
                    &parties.parties[p].name,
                    sentence,
                    &mentions,
                    previous_sentence.then(|| eval::previous_sentence(&gold.articles[article].sentences, sentence_index)),
                )?,
                target: gold_labels.map(|b| if b { 1.0 } else { 0.0 }),
            });
        }
    }
    Ok(out)
}

/// Numerically stable binary cross-entropy on logits, mean over all entries.
fn bce_with_logits(logits: &Tensor, targets: &Tensor) -> candle_core::Result<Tensor> {
    // max(x, 0) - x*y + log(1 + exp(-|x|))
    let relu = logits.relu()?;
    let xy = (logits * targets)?;
    let soft = (logits.abs()?.neg()?.exp()? + 1.0)?.log()?;
    ((relu - xy)? + soft)?.mean_all()
}

/// What one epoch achieved on dev.
#[derive(Debug, Clone, Serialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub train_loss: f64,
    pub dev_macro_f1: f64,
    pub dev_f1: [f64; NUM_LABELS],
    pub seconds: f64,
}

pub struct TrainOutcome {
    /// Training examples built from the train split.
    pub train_examples: usize,
    pub epochs: Vec<EpochLog>,
    pub best_epoch: usize,
    pub out_dir: PathBuf,
}

pub fn run(opts: &TrainOptions) -> anyhow::Result<TrainOutcome> {
    let device = Device::Cpu;
    let parties = PartySet::from_file(&opts.parties_file)?;
    let matcher = PartyMatcher::new(&parties)?;
    let train_gold = GoldSet::load(&opts.train_dir.join("articles.jsonl"), &opts.train_dir.join("gold.jsonl"))?;
    let dev_gold = GoldSet::load(&opts.dev_dir.join("articles.jsonl"), &opts.dev_dir.join("gold.jsonl"))?;

    let encoder_dir = hub::resolve(&opts.encoder, &hub::MODEL_FILES)?;
    let encoder = ModelDir { dir: encoder_dir };
    let config: BertConfig = serde_json::from_str(&std::fs::read_to_string(encoder.file("config.json")?)?)?;
    config.validate()?;
    anyhow::ensure!(opts.train_from_layer < config.num_hidden_layers, "--train-from-layer must be below {}", config.num_hidden_layers);
    let tokenizer = score::configure_tokenizer(score::load_tokenizer(&encoder.file("tokenizer.json")?)?, opts.max_length)?;

    let train = examples(&train_gold, &parties, &matcher, &tokenizer, opts.previous_sentence)?;
    eprintln!(
        "train: {} examples from {} sentences ({} positive labels); dev: {} sentences",
        train.len(),
        train_gold.annotated_sentences().len(),
        train.iter().map(|e| e.target.iter().sum::<f32>() as usize).sum::<usize>(),
        dev_gold.annotated_sentences().len()
    );

    let mut rng = StdRng::seed_from_u64(opts.seed);
    bert::seed_dropout(opts.seed);
    let mut head = init_model(&encoder, &config, &device, &mut rng)?;
    let vars = head.trainable(opts.train_from_layer)?;
    let mut optimizer = AdamW::new(
        vars.iter().map(|(_, v)| v.clone()).collect(),
        ParamsAdamW { lr: opts.learning_rate, weight_decay: 0.01, ..Default::default() },
    )?;

    // Frozen layers run once: cache each example's hidden states below the trained layers.
    let cached = if opts.train_from_layer > 0 { Some(frozen_states(&head, &train, opts.train_from_layer)?) } else { None };

    let mut logs = Vec::new();
    let mut best: Option<(f64, usize, HashMap<String, Tensor>)> = None;
    let steps_per_epoch = train.len().div_ceil(opts.batch_size);
    let total_steps = steps_per_epoch * opts.epochs;
    let mut step = 0;
    for epoch in 1..=opts.epochs {
        let started = Instant::now();
        let batches = shuffled_batches(&train, opts.batch_size, &mut rng);
        let bar = indicatif::ProgressBar::new(steps_per_epoch as u64).with_style(
            indicatif::ProgressStyle::with_template("epoch {msg} [{bar:30}] {pos}/{len} steps, {per_sec}, eta {eta}")
                .expect("valid template"),
        );
        bar.set_message(format!("{epoch}/{}", opts.epochs));
        let mut loss_sum = 0.0;
        for batch_ids in &batches {
            optimizer.set_learning_rate(opts.learning_rate * schedule(step, total_steps));
            step += 1;
            let batch = Batch::from_sequences(batch_ids.iter().map(|&i| &train[i].input));
            let input = head.pad(&batch)?;
            let mode = Mode::Train { dropout: opts.dropout };
            let hidden = match &cached {
                Some(states) => {
                    let xs = pad_states(states, batch_ids, batch.max_length, config.hidden_size)?;
                    head.bert.run_layers(xs, &input.attention_bias()?, opts.train_from_layer..config.num_hidden_layers, mode)?
                }
                None => head.bert.forward(&input, mode)?,
            };
            let logits = head.head_logits(&hidden, &input.mask, mode)?;
            let targets: Vec<f32> = batch_ids.iter().flat_map(|&i| train[i].target).collect();
            let targets = Tensor::from_vec(targets, (batch_ids.len(), NUM_LABELS), &device)?;
            let loss = bce_with_logits(&logits, &targets)?;
            optimizer.backward_step(&loss)?;
            loss_sum += loss.to_scalar::<f32>()? as f64;
            bar.inc(1);
        }
        bar.finish_and_clear();

        let dev_report = evaluate_in_memory(&head, &tokenizer, &dev_gold, &parties, &matcher, opts)?;
        let log = EpochLog {
            epoch,
            train_loss: loss_sum / batches.len() as f64,
            dev_macro_f1: dev_report.macro_f1,
            dev_f1: LABELS.map(|l| dev_report.labels[l].metrics.f1),
            seconds: started.elapsed().as_secs_f64(),
        };
        eprintln!(
            "epoch {epoch}: loss {:.4}, dev macro-F1 {:.3} (condemn {:.3}, support {:.3}, ceasefire {:.3}), {:.0} s",
            log.train_loss, log.dev_macro_f1, log.dev_f1[0], log.dev_f1[1], log.dev_f1[2], log.seconds
        );
        let improved = best.as_ref().is_none_or(|(f1, _, _)| log.dev_macro_f1 > *f1);
        if improved {
            best = Some((log.dev_macro_f1, epoch, snapshot(&vars)?));
        }
        logs.push(log);
        let best_epoch = best.as_ref().map(|b| b.1).unwrap_or(epoch);
        if epoch - best_epoch >= opts.patience {
            eprintln!("no dev improvement for {} epochs: stopping", opts.patience);
            break;
        }
    }
    let (_, best_epoch, weights) = best.context("no epoch was run")?;
    save(opts, &weights)?;
    Ok(TrainOutcome { train_examples: train.len(), epochs: logs, best_epoch, out_dir: opts.out_dir.clone() })
}

/// Learning-rate factor: linear warm-up over the first 10% of steps, then linear decay to 0.
fn schedule(step: usize, total: usize) -> f64 {
    let warmup = (total / 10).max(1);
    if step < warmup {
        (step + 1) as f64 / warmup as f64
    } else {
        (total.saturating_sub(step)) as f64 / (total - warmup).max(1) as f64
    }
}

/// Encoder weights plus a freshly initialised head (normal(0, 0.02), zero bias).
fn init_model(encoder: &ModelDir, config: &BertConfig, device: &Device, rng: &mut StdRng) -> anyhow::Result<StanceHead> {
    let mut tensors: HashMap<String, Tensor> = encoder
        .weights(device)?
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("bert.").map(str::to_string).unwrap_or(k), v))
        .collect();
    let h = config.hidden_size;
    let weights: Vec<f32> = (0..NUM_LABELS * h).map(|_| normal(rng) * 0.02).collect();
    tensors.insert(format!("{HEAD_PREFIX}.weight"), Tensor::from_vec(weights, (NUM_LABELS, h), device)?);
    tensors.insert(format!("{HEAD_PREFIX}.bias"), Tensor::zeros(NUM_LABELS, DType::F32, device)?);
    Ok(StanceHead::load(VarBuilder::from_tensors(tensors, DType::F32, device), config, NUM_LABELS)?)
}

/// Standard normal sample (Box–Muller), so the head's init depends only on the seed.
fn normal(rng: &mut StdRng) -> f32 {
    let u1: f32 = rng.random_range(f32::EPSILON..1.0);
    let u2: f32 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
}

/// Hidden states after layer `from - 1` for each example, unpadded (len, hidden).
fn frozen_states(head: &StanceHead, examples: &[Example], from: usize) -> anyhow::Result<Vec<Tensor>> {
    let started = Instant::now();
    let lengths: Vec<usize> = examples.iter().map(|e| e.input.len()).collect();
    let mut states = vec![None; examples.len()];
    for plan in score::plan_batches(&lengths, 64, 64 * 64) {
        let batch = Batch::from_sequences(plan.iter().map(|&i| &examples[i].input));
        let input = head.pad(&batch)?;
        let xs = head.bert.embed(&input, Mode::Infer)?;
        let xs = head.bert.run_layers(xs, &input.attention_bias()?, 0..from, Mode::Infer)?;
        for (row, &i) in plan.iter().enumerate() {
            states[i] = Some(xs.get(row)?.narrow(0, 0, lengths[i])?.contiguous()?);
        }
    }
    eprintln!("cached frozen layers 0..{from} for {} examples in {:.0} s", examples.len(), started.elapsed().as_secs_f64());
    Ok(states.into_iter().map(|s| s.expect("every example is in a batch")).collect())
}

/// Right-pads cached states of a batch to (batch, max_length, hidden).
fn pad_states(states: &[Tensor], ids: &[usize], max_length: usize, hidden: usize) -> candle_core::Result<Tensor> {
    let rows = ids
        .iter()
        .map(|&i| {
            let len = states[i].dim(0)?;
            if len == max_length {
                Ok(states[i].clone())
            } else {
                let pad = Tensor::zeros((max_length - len, hidden), states[i].dtype(), states[i].device())?;
                Tensor::cat(&[&states[i], &pad], 0)
            }
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    Tensor::stack(&rows, 0)
}

/// Length-bucketed random batches: shuffle, sort chunks of 50 batches by
/// length (less padding), shuffle the batches.
fn shuffled_batches(examples: &[Example], batch_size: usize, rng: &mut StdRng) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.shuffle(rng);
    let mut batches = Vec::new();
    for chunk in order.chunks(batch_size * 50) {
        let mut chunk = chunk.to_vec();
        chunk.sort_by_key(|&i| examples[i].input.len());
        batches.extend(chunk.chunks(batch_size).map(<[usize]>::to_vec));
    }
    batches.shuffle(rng);
    batches
}

fn snapshot(vars: &[(String, Var)]) -> anyhow::Result<HashMap<String, Tensor>> {
    vars.iter().map(|(name, var)| Ok((name.clone(), var.as_tensor().detach().copy()?))).collect()
}

/// Dev metrics of the model as it is now (temperature 1, thresholds 0.5).
fn evaluate_in_memory(
    head: &StanceHead,
    tokenizer: &Tokenizer,
    dev: &GoldSet,
    parties: &PartySet,
    matcher: &PartyMatcher,
    opts: &TrainOptions,
) -> anyhow::Result<eval::Report> {
    let name = &opts.name;
    let scorer =
        Scorer::from_trained(name, Box::new(head.clone()), tokenizer.clone(), [1.0; NUM_LABELS], [0.5; NUM_LABELS], opts.previous_sentence);
    let dev_parties = dev.parties();
    let predictions = eval::predict(&scorer, dev, parties, matcher, &dev_parties)?;
    Ok(eval::report(name, &predictions, scorer.thresholds(), eval::SegmentationReport { f1: 0.0, matched: 0, predicted: 0, gold: 0 }))
}

/// Writes the trained tensors (f16) and `stance_model.json` (temperature 1; `stance calibrate` fits it).
fn save(opts: &TrainOptions, weights: &HashMap<String, Tensor>) -> anyhow::Result<()> {
    std::fs::create_dir_all(&opts.out_dir).with_context(|| format!("{}: cannot create", opts.out_dir.display()))?;
    let half: HashMap<String, Tensor> =
        weights.iter().map(|(k, v)| Ok((k.clone(), v.to_dtype(DType::F16)?))).collect::<candle_core::Result<_>>()?;
    let weights_path = opts.out_dir.join("trained.safetensors");
    candle_core::safetensors::save(&half, &weights_path).with_context(|| format!("{}: cannot write", weights_path.display()))?;
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
        max_length: opts.max_length,
        trained_parties: parties.ids().iter().map(|s| s.to_string()).collect(),
        previous_sentence: opts.previous_sentence,
    };
    write_spec(&opts.out_dir, &spec)
}

pub fn write_spec(dir: &Path, spec: &StanceModelSpec) -> anyhow::Result<()> {
    let path = dir.join(STANCE_MODEL_FILE);
    std::fs::write(&path, serde_json::to_string_pretty(spec)? + "\n").with_context(|| format!("{}: cannot write", path.display()))
}

/// Loads the trained scorer from its directory (as users will), for the model card.
pub fn load_saved(dir: &Path) -> anyhow::Result<Scorer> {
    let parties = PartySet::builtin();
    Scorer::load(Some(&dir.to_string_lossy()), &Device::Cpu, &parties.templates)
}

/// Per-label temperature minimising the log-loss of `logits` against `gold`
/// (grid search on a log scale: robust, and exact enough for calibration).
pub fn fit_temperature(logits: &[f32], gold: &[bool]) -> f32 {
    let nll = |t: f32| -> f64 {
        logits
            .iter()
            .zip(gold)
            .map(|(&z, &y)| {
                let p = (score::sigmoid(z / t) as f64).clamp(1e-7, 1.0 - 1e-7);
                if y { -p.ln() } else { -(1.0 - p).ln() }
            })
            .sum()
    };
    let grid = (0..=200).map(|i| 0.25f32 * (16f32).powf(i as f32 / 200.0)); // 0.25 … 4
    grid.min_by(|a, b| nll(*a).total_cmp(&nll(*b))).unwrap_or(1.0)
}

/// Recovers the logit of a probability the model gave at temperature 1.
fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-7, 1.0 - 1e-7);
    (p / (1.0 - p)).ln()
}

/// Calibration on dev: temperatures fitted on all of dev (shipped), and the
/// ECE of temperatures cross-fitted over two halves of dev's articles (an
/// honest estimate: each half is calibrated by the other).
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub temperature: [f32; NUM_LABELS],
    pub ece_uncalibrated: f64,
    pub ece_cross_fitted: f64,
    pub ece_in_sample: f64,
}

pub fn calibrate(predictions: &eval::Predictions) -> Calibration {
    use crate::eval::metrics::expected_calibration_error as ece;
    let pairs = &predictions.pairs;
    let logits: &Vec<[f32; NUM_LABELS]> = &predictions.scores.iter().map(|s| s.map(logit)).collect();
    let fit = |select: &dyn Fn(usize) -> bool| -> [f32; NUM_LABELS] {
        std::array::from_fn(|l| {
            let (z, y): (Vec<f32>, Vec<bool>) =
                (0..pairs.len()).filter(|&i| select(i)).map(|i| (logits[i][l], pairs[i].gold[l])).unzip();
            fit_temperature(&z, &y)
        })
    };
    let flat_ece = |temps: &dyn Fn(usize) -> [f32; NUM_LABELS]| -> f64 {
        let (s, y): (Vec<f64>, Vec<bool>) = (0..pairs.len())
            .flat_map(|i| {
                let t = temps(i);
                (0..NUM_LABELS).map(move |l| (crate::types::round_score(score::sigmoid(logits[i][l] / t[l])), pairs[i].gold[l]))
            })
            .unzip();
        ece(&s, &y, eval::ECE_BINS)
    };
    let all = fit(&|_| true);
    let half = |i: usize| pairs[i].article % 2 == 0;
    let (even, odd) = (fit(&|i| half(i)), fit(&|i| !half(i)));
    Calibration {
        temperature: all,
        ece_uncalibrated: flat_ece(&|_| [1.0; NUM_LABELS]),
        // each half scored with the temperature fitted on the other half
        ece_cross_fitted: flat_ece(&|i| if half(i) { odd } else { even }),
        ece_in_sample: flat_ece(&|_| all),
    }
}

/// The model card (markdown + JSON) written next to the trained weights.
#[derive(Debug, Clone, Serialize)]
pub struct ModelCard {
    pub name: String,
    pub command: String,
    pub options: TrainOptions,
    pub encoder: String,
    pub trained_weights_bytes: u64,
    pub train_examples: usize,
    pub epochs: Vec<EpochLog>,
    pub best_epoch: usize,
    pub training_seconds: f64,
    pub calibration: Calibration,
    pub dev: eval::Report,
    pub train: eval::Report,
}

/// Calibrates on dev, evaluates the saved model on dev and train, writes the card.
pub fn finish(opts: &TrainOptions, outcome: &TrainOutcome, command: &str, training_seconds: f64) -> anyhow::Result<ModelCard> {
    let parties = PartySet::from_file(&opts.parties_file)?;
    let matcher = PartyMatcher::new(&parties)?;
    let dev = GoldSet::load(&opts.dev_dir.join("articles.jsonl"), &opts.dev_dir.join("gold.jsonl"))?;
    let train = GoldSet::load(&opts.train_dir.join("articles.jsonl"), &opts.train_dir.join("gold.jsonl"))?;

    let uncalibrated = load_saved(&opts.out_dir)?;
    let dev_raw = eval::predict(&uncalibrated, &dev, &parties, &matcher, &dev.parties())?;
    let calibration = calibrate(&dev_raw);
    let mut spec = StanceModelSpec::read(&opts.out_dir)?;
    spec.temperature = calibration.temperature;
    write_spec(&opts.out_dir, &spec)?;

    let scorer = load_saved(&opts.out_dir)?;
    let report_on = |gold: &GoldSet| -> anyhow::Result<eval::Report> {
        let predictions = eval::predict(&scorer, gold, &parties, &matcher, &gold.parties())?;
        Ok(eval::report(scorer.name(), &predictions, scorer.thresholds(), eval::segmentation(gold)))
    };
    let card = ModelCard {
        name: opts.name.clone(),
        command: command.to_string(),
        options: opts.clone(),
        encoder: opts.encoder.clone(),
        trained_weights_bytes: std::fs::metadata(opts.out_dir.join(&spec.weights))?.len(),
        train_examples: outcome.train_examples,
        epochs: outcome.epochs.clone(),
        best_epoch: outcome.best_epoch,
        training_seconds,
        calibration,
        dev: report_on(&dev)?,
        train: report_on(&train)?,
    };
    let json_path = opts.out_dir.join("model_card.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&card)? + "\n").with_context(|| format!("{}: cannot write", json_path.display()))?;
    let md_path = opts.out_dir.join("model_card.md");
    std::fs::write(&md_path, render_card(&card)).with_context(|| format!("{}: cannot write", md_path.display()))?;
    Ok(card)
}

fn render_card(card: &ModelCard) -> String {
    let mut md = String::new();
    let o = &card.options;
    md.push_str(&format!("# {}\n\n", card.name));
    let context = if o.previous_sentence { " [SEP] the article's previous sentence" } else { "" };
    md.push_str(&format!(
        "Targeted stance model (condemn / support / ceasefire) of the `stance` project: the encoder `{}` fine-tuned as a cross-encoder over \"party name [SEP] sentence with the party's mentions «marked»{context}\", mean pooling, one sigmoid per label.\n\n",
        card.encoder
    ));
    md.push_str(&format!("Produced by:\n\n```\n{}\n```\n\n", card.command));
    md.push_str(&format!(
        "- Training data: `{}` ({} examples: every annotated sentence × the parties its article was annotated for, plus parties named in it). Dev: `{}`.\n",
        o.train_dir.display(), card.train_examples, o.dev_dir.display()
    ));
    md.push_str(&format!(
        "- Fine-tuned: encoder layers {}.. and the head; AdamW lr {}, batch {}, dropout {}, max length {}, seed {}, up to {} epochs (patience {}).\n",
        o.train_from_layer, o.learning_rate, o.batch_size, o.dropout, o.max_length, o.seed, o.epochs, o.patience
    ));
    md.push_str(&format!(
        "- Shipped weights: `trained.safetensors` ({:.1} MB, f16), laid over the encoder fetched by `make setup`.\n- Training time: {:.0} s on this machine ({} CPU threads).\n\n",
        card.trained_weights_bytes as f64 / 1e6, card.training_seconds, rayon::current_num_threads()
    ));
    md.push_str("## Epochs (dev metrics at threshold 0.5, temperature 1)\n\n| epoch | train loss | dev macro-F1 | condemn | support | ceasefire | seconds |\n|---|---|---|---|---|---|---|\n");
    for e in &card.epochs {
        md.push_str(&format!(
            "| {} | {:.4} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} |\n",
            e.epoch, e.train_loss, e.dev_macro_f1, e.dev_f1[0], e.dev_f1[1], e.dev_f1[2], e.seconds
        ));
    }
    let last_epoch = card.epochs.last().map_or(0, |e| e.epoch);
    let selection = if card.best_epoch == last_epoch && last_epoch == o.epochs {
        "the last epoch, which is also the best on dev: the training schedule alone chose it"
    } else {
        "best dev macro-F1; the only choice made on dev besides calibration"
    };
    md.push_str(&format!("\nSelected epoch: {} ({selection}).\n\n", card.best_epoch));
    md.push_str("## Results (closed world, thresholds fixed at 0.5 — not fitted)\n\n| split | pairs | macro-F1 | condemn F1 | support F1 | ceasefire F1 | condemn PR-AUC | support PR-AUC | ceasefire PR-AUC | ECE |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (split, r, note) in [("dev", &card.dev, " (epoch chosen on dev; ECE in-sample)"), ("train", &card.train, " (in-sample: trained on it)")] {
        let f = |l: &str| r.labels[l].metrics.f1;
        let ap = |l: &str| r.labels[l].metrics.pr_auc.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
        md.push_str(&format!(
            "| {split}{note} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {:.3} |\n",
            r.pairs, r.macro_f1, f("condemn"), f("support"), f("ceasefire"), ap("condemn"), ap("support"), ap("ceasefire"), r.ece
        ));
    }
    let c = &card.calibration;
    md.push_str(&format!(
        "\n## Calibration\n\nPer-label temperature on the logit, fitted on dev: condemn {:.3}, support {:.3}, ceasefire {:.3}. Dev ECE (10 bins, all labels): uncalibrated {:.4}; cross-fitted (temperatures fitted on one half of dev's articles, measured on the other) {:.4}; in-sample (fitted and measured on all of dev) {:.4}. Temperature scaling does not move the 0.5 decision boundary, so F1 is unaffected.\n",
        c.temperature[0], c.temperature[1], c.temperature[2], c.ece_uncalibrated, c.ece_cross_fitted, c.ece_in_sample
    ));
    md.push_str("\n## Per party on dev (F1; positives in brackets)\n\n| party | condemn | support | ceasefire |\n|---|---|---|---|\n");
    for (party, labels) in &card.dev.parties {
        let cell = |l: &str| format!("{:.2} ({})", labels[l].metrics.f1, labels[l].metrics.positives);
        md.push_str(&format!("| {party} | {} | {} | {} |\n", cell("condemn"), cell("support"), cell("ceasefire")));
    }
    md.push_str("\nThe held-out test split was never seen. Numbers come from `model_card.json`, written by the same run.\n");
    md
}
