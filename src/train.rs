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
use crate::types::{LABELS, NUM_LABELS};

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
    /// Ship the mean of the last this-many epochs' weights (1 = the selected epoch's).
    pub average_last: usize,
    /// Context, holder outputs and speaker cue.
    pub input: InputOptions,
}

impl TrainOptions {
    /// The training splits as one gold set.
    pub fn load_train(&self) -> anyhow::Result<GoldSet> {
        let sets = self
            .train_dirs
            .iter()
            .map(|dir| GoldSet::load(&dir.join("articles.jsonl"), &dir.join("gold.jsonl")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        GoldSet::merge(sets)
    }

    fn train_names(&self) -> String {
        self.train_dirs
            .iter()
            .map(|d| format!("`{}`", d.display()))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// Outputs of the head when training with holder outputs.
const MAX_OUTPUTS: usize = NUM_LABELS + HOLDER_OUTPUTS;

/// One training or dev example: the labels, then (with holder outputs)
/// "holds" and "author"; `weight` 0 leaves an output out of the loss.
struct Example {
    input: Encoded,
    target: [f32; MAX_OUTPUTS],
    weight: [f32; MAX_OUTPUTS],
}

/// Gold holder slugs that name a party of the extended file by another name.
fn holder_slug(slug: &str) -> &str {
    match slug {
        "eu" => "european_union",
        "uk" => "united_kingdom",
        "us" | "usa" => "united_states",
        "un" => "united_nations",
        other => other,
    }
}

/// Builds examples for every annotated sentence of `gold`.
fn examples(gold: &GoldSet, setup: &Setup, input: InputOptions) -> anyhow::Result<Vec<Example>> {
    let (parties, matcher, tokenizer) = (&setup.parties, &setup.matcher, &setup.tokenizer);
    let index = gold.article_index();
    // Parties annotated per article: the closed world of that article.
    let mut article_parties: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for row in gold.rows.iter().filter(|r| r.party != eval::gold::NO_PARTY) {
        article_parties
            .entry(index[row.article_id.as_str()])
            .or_default()
            .insert(row.party.clone());
    }
    let all_parties = gold.parties();
    let world: HashMap<(usize, usize, String), [bool; NUM_LABELS]> = gold
        .closed_world(&all_parties)
        .into_iter()
        .map(|p| ((p.article, p.sentence, p.party.clone()), p.gold))
        .collect();
    // Holders of each sentence: everyone who holds one of its stances.
    let mut holders: HashMap<(usize, usize), BTreeSet<String>> = HashMap::new();
    for row in gold.rows.iter().filter(|r| r.labels().iter().any(|&l| l)) {
        let slugs = row
            .holder
            .iter()
            .flat_map(|h| h.split(';'))
            .map(|h| holder_slug(h.trim()).to_string());
        holders
            .entry((index[row.article_id.as_str()], row.sentence_index))
            .or_default()
            .extend(slugs);
    }
    let mut out = Vec::new();
    for (article, sentence_index) in gold.annotated_sentences() {
        let sentence = &gold.articles[article].sentences[sentence_index];
        let sentence_holders = holders.get(&(article, sentence_index));
        let found = matcher.find(sentence);
        let mut candidates: BTreeSet<String> =
            article_parties.get(&article).cloned().unwrap_or_default();
        candidates.extend(found.iter().map(|m| parties.parties[m.party].id.clone()));
        for party_id in candidates {
            let Some(p) = parties.index_of(&party_id) else {
                continue;
            };
            let gold_labels = world
                .get(&(article, sentence_index, party_id.clone()))
                .copied()
                .unwrap_or([false; NUM_LABELS]);
            let mentions = party_mentions(matcher, sentence, p);
            let request = ScoreRequest {
                sentence,
                previous: eval::previous_sentence(
                    &gold.articles[article].sentences,
                    sentence_index,
                ),
                party: &parties.parties[p],
                mentions: &mentions,
            };
            let mut target = [0.0; MAX_OUTPUTS];
            let mut weight = [0.0; MAX_OUTPUTS];
            for l in 0..NUM_LABELS {
                target[l] = if gold_labels[l] { 1.0 } else { 0.0 };
                weight[l] = 1.0;
            }
            if input.holder_outputs {
                // "holds": is this party among the sentence's holders (0 in a
                // sentence without stance). "author": only where there is a stance.
                target[NUM_LABELS] =
                    sentence_holders.is_some_and(|h| h.contains(&party_id)) as u8 as f32;
                weight[NUM_LABELS] = 1.0;
                if let Some(h) = sentence_holders {
                    target[NUM_LABELS + 1] = h.contains(holder::AUTHOR) as u8 as f32;
                    weight[NUM_LABELS + 1] = 1.0;
                }
            }
            out.push(Example {
                input: score::encode_stance_input(tokenizer, &request, input)?,
                target,
                weight,
            });
        }
    }
    Ok(out)
}

/// Numerically stable binary cross-entropy on logits, the weighted mean
/// over all entries (weight 0: not in the loss).
fn bce_with_logits(
    logits: &Tensor,
    targets: &Tensor,
    weights: &Tensor,
) -> candle_core::Result<Tensor> {
    // max(x, 0) - x*y + log(1 + exp(-|x|))
    let relu = logits.relu()?;
    let xy = (logits * targets)?;
    let soft = (logits.abs()?.neg()?.exp()? + 1.0)?.log()?;
    let losses = ((relu - xy)? + soft)?;
    (losses * weights)?.sum_all()? / weights.sum_all()?.to_scalar::<f32>()?.max(1e-6) as f64
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

/// One cross-validation fold: trained on the other folds' articles, scored on its own.
#[derive(Debug, Clone, Serialize)]
pub struct FoldLog {
    pub fold: usize,
    pub held_out_articles: Vec<String>,
    pub train_examples: usize,
    pub pairs: usize,
    /// Out-of-fold macro-F1 at thresholds 0.5.
    pub macro_f1: f64,
    pub final_train_loss: f64,
    pub seconds: f64,
}

/// Article-grouped k-fold cross-validation on train with the run's own
/// recipe. Its out-of-fold scores fit the shipped temperatures and choose the
/// shipped thresholds, so nothing the model ships with is fitted on dev.
#[derive(Debug, Clone, Serialize)]
pub struct CrossValidation {
    pub folds: Vec<FoldLog>,
    /// Per-label temperature fitted on the out-of-fold logits.
    pub temperature: [f32; NUM_LABELS],
    /// Per-label threshold with the best out-of-fold F1 (after the temperature).
    pub thresholds: [f32; NUM_LABELS],
    /// Out-of-fold metrics, temperature 1, thresholds 0.5: the honest CV figure.
    pub at_half: eval::Report,
    /// Out-of-fold metrics at the chosen thresholds (fitted on these very scores).
    pub at_chosen: eval::Report,
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

/// A fine-tuned model: the head as the last epoch left it (or the average,
/// when averaging), and the weights to ship.
struct FineTuned {
    head: StanceHead,
    weights: HashMap<String, Tensor>,
    epochs: Vec<EpochLog>,
    best_epoch: usize,
    averaged_epochs: Vec<usize>,
}

/// Trains and writes the model into `dir` (a staging directory that the
/// caller publishes as `opts.out_dir`).
pub fn run(opts: &TrainOptions, dir: &Path) -> anyhow::Result<TrainOutcome> {
    let parties = PartySet::from_file(&opts.parties_file)?;
    let matcher = PartyMatcher::new(&parties)?;
    let train_gold = opts.load_train()?;
    let dev_gold = GoldSet::load(
        &opts.dev_dir.join("articles.jsonl"),
        &opts.dev_dir.join("gold.jsonl"),
    )?;
    anyhow::ensure!(
        opts.cv_folds != 1 && opts.cv_folds <= train_gold.articles.len(),
        "--cv-folds {}: use 0 (no cross-validation) or 2 to {} (the articles of {})",
        opts.cv_folds,
        train_gold.articles.len(),
        opts.train_names()
    );
    anyhow::ensure!(
        (1..=opts.epochs).contains(&opts.average_last) && (opts.average_last == 1 || opts.patience >= opts.epochs),
        "--average-last {}: use 1 (off) to --epochs ({}); averaging needs every epoch, so --patience must be at least --epochs",
        opts.average_last,
        opts.epochs
    );

    let encoder_dir = hub::resolve(&opts.encoder, &hub::MODEL_FILES)?;
    let encoder = ModelDir { dir: encoder_dir };
    let config: BertConfig =
        serde_json::from_str(&std::fs::read_to_string(encoder.file("config.json")?)?)?;
    config.validate()?;
    anyhow::ensure!(
        opts.train_from_layer < config.num_hidden_layers,
        "--train-from-layer must be below {}",
        config.num_hidden_layers
    );
    let tokenizer = score::configure_tokenizer(
        score::load_tokenizer(&encoder.file("tokenizer.json")?)?,
        opts.max_length,
    )?;
    let setup = Setup {
        device: Device::Cpu,
        parties,
        matcher,
        encoder,
        config,
        tokenizer,
    };

    let train = examples(&train_gold, &setup, opts.input)?;
    eprintln!(
        "train: {} examples from {} sentences ({} positive labels); dev: {} sentences",
        train.len(),
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
        Some(cross_validate(opts, &setup, &train_gold)?)
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

/// One fine-tuning run over `train`, seeded by `seed` (initialisation, data
/// order, dropout). With `dev`, each epoch is scored on it and the best dev
/// macro-F1 is selected (stopping after `patience` epochs without gain);
/// without, the last epoch is. With `average_last` K > 1 the mean of the
/// last K epochs' weights is shipped instead, and `head` holds it too.
fn fine_tune(
    opts: &TrainOptions,
    setup: &Setup,
    train: &[Example],
    seed: u64,
    dev: Option<&GoldSet>,
    run_name: &str,
) -> anyhow::Result<FineTuned> {
    let (device, config) = (&setup.device, &setup.config);
    let mut rng = StdRng::seed_from_u64(seed);
    bert::seed_dropout(seed);
    let mut head = init_model(
        &setup.encoder,
        config,
        device,
        &mut rng,
        opts.input.outputs(),
    )?;
    let vars = head.trainable(opts.train_from_layer)?;
    let mut optimizer = AdamW::new(
        vars.iter().map(|(_, v)| v.clone()).collect(),
        ParamsAdamW {
            lr: opts.learning_rate,
            weight_decay: 0.01,
            ..Default::default()
        },
    )?;

    // Frozen layers run once: cache each example's hidden states below the trained layers.
    let cached = if opts.train_from_layer > 0 {
        Some(frozen_states(&head, train, opts.train_from_layer)?)
    } else {
        None
    };

    let mut logs = Vec::new();
    let averaging = opts.average_last > 1;
    // Best epoch so far by merit; its weights are kept only when they can ship (not averaging).
    let mut best: Option<(f64, usize)> = None;
    let mut best_weights = None;
    let steps_per_epoch = train.len().div_ceil(opts.batch_size);
    let total_steps = steps_per_epoch * opts.epochs;
    let mut step = 0;
    let first_averaged = opts.epochs + 1 - opts.average_last.max(1);
    let mut average = WeightAverage::default();
    for epoch in 1..=opts.epochs {
        let started = Instant::now();
        let batches = shuffled_batches(train, opts.batch_size, &mut rng);
        let bar = indicatif::ProgressBar::new(steps_per_epoch as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} steps, {per_sec}, eta {eta}",
            )
            .expect("valid template"),
        );
        bar.set_message(format!("{run_name}epoch {epoch}/{}", opts.epochs));
        let mut loss_sum = 0.0;
        for batch_ids in &batches {
            optimizer.set_learning_rate(opts.learning_rate * schedule(step, total_steps));
            step += 1;
            let batch = Batch::from_sequences(batch_ids.iter().map(|&i| &train[i].input));
            let input = head.pad(&batch)?;
            let mode = Mode::Train {
                dropout: opts.dropout,
            };
            let hidden = match &cached {
                Some(states) => {
                    let xs = pad_states(states, batch_ids, batch.max_length, config.hidden_size)?;
                    head.bert.run_layers(
                        xs,
                        &input.attention_bias()?,
                        opts.train_from_layer..config.num_hidden_layers,
                        mode,
                    )?
                }
                None => head.bert.forward(&input, mode)?,
            };
            let logits = head.head_logits(&hidden, &input.mask, mode)?;
            let outputs = opts.input.outputs();
            let targets: Vec<f32> = batch_ids
                .iter()
                .flat_map(|&i| train[i].target[..outputs].to_vec())
                .collect();
            let targets = Tensor::from_vec(targets, (batch_ids.len(), outputs), device)?;
            let weights: Vec<f32> = batch_ids
                .iter()
                .flat_map(|&i| train[i].weight[..outputs].to_vec())
                .collect();
            let weights = Tensor::from_vec(weights, (batch_ids.len(), outputs), device)?;
            let loss = bce_with_logits(&logits, &targets, &weights)?;
            optimizer.backward_step(&loss)?;
            loss_sum += loss.to_scalar::<f32>()? as f64;
            bar.inc(1);
        }
        bar.finish_and_clear();

        let dev_epoch = match dev {
            Some(dev) => {
                let report = evaluate_in_memory(&head, setup, dev, opts)?;
                Some(DevEpoch {
                    macro_f1: report.macro_f1,
                    f1: LABELS.map(|l| report.labels[l].metrics.f1),
                })
            }
            None => None,
        };
        let log = EpochLog {
            epoch,
            train_loss: loss_sum / batches.len() as f64,
            dev: dev_epoch,
            seconds: started.elapsed().as_secs_f64(),
        };
        let dev_text = log.dev.map_or(String::new(), |d| {
            format!(
                ", dev macro-F1 {:.3} (condemn {:.3}, support {:.3}, ceasefire {:.3})",
                d.macro_f1, d.f1[0], d.f1[1], d.f1[2]
            )
        });
        eprintln!(
            "{run_name}epoch {epoch}: loss {:.4}{dev_text}, {:.0} s",
            log.train_loss, log.seconds
        );
        // Without dev, later epochs always win: the schedule alone decides.
        let merit = log.dev.map_or(epoch as f64, |d| d.macro_f1);
        if best.is_none_or(|(m, _)| merit > m) {
            best = Some((merit, epoch));
            if !averaging {
                best_weights = Some(snapshot(&vars)?);
            }
        }
        if averaging && epoch >= first_averaged {
            average.add(epoch, snapshot(&vars)?)?;
        }
        logs.push(log);
        let best_epoch = best.as_ref().map(|b| b.1).unwrap_or(epoch);
        if epoch - best_epoch >= opts.patience {
            eprintln!("no dev improvement for {} epochs: stopping", opts.patience);
            break;
        }
    }
    let (_, mut best_epoch) = best.context("no epoch was run")?;
    let averaged_epochs = average.epochs.clone();
    let weights = if let Some(mean) = average.mean()? {
        for (name, var) in &vars {
            var.set(&mean[name])?;
        }
        best_epoch = opts.epochs;
        if let Some(dev) = dev {
            let report = evaluate_in_memory(&head, setup, dev, opts)?;
            let f1 = LABELS.map(|l| report.labels[l].metrics.f1);
            eprintln!(
                "{run_name}mean of epochs {averaged_epochs:?}: dev macro-F1 {:.3} (condemn {:.3}, support {:.3}, ceasefire {:.3})",
                report.macro_f1, f1[0], f1[1], f1[2]
            );
        }
        mean
    } else {
        best_weights.context("no epoch was run")?
    };
    Ok(FineTuned {
        head,
        weights,
        epochs: logs,
        best_epoch,
        averaged_epochs,
    })
}

/// Article-grouped k-fold cross-validation on train (see [`CrossValidation`]).
/// Articles are shuffled by the seed and dealt round-robin into folds; fold
/// `f` trains with seed `seed + 1 + f`.
fn cross_validate(
    opts: &TrainOptions,
    setup: &Setup,
    gold: &GoldSet,
) -> anyhow::Result<CrossValidation> {
    let started = Instant::now();
    let k = opts.cv_folds;
    let mut order: Vec<usize> = (0..gold.articles.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(opts.seed));
    let (mut pairs, mut scores, mut sentences, mut scoring_seconds) =
        (Vec::new(), Vec::new(), 0, 0.0);
    let mut folds = Vec::new();
    for fold in 0..k {
        let fold_started = Instant::now();
        let mut held: Vec<usize> = order.iter().skip(fold).step_by(k).copied().collect();
        held.sort_unstable();
        let rest: Vec<usize> = (0..gold.articles.len())
            .filter(|a| !held.contains(a))
            .collect();
        let (fit_gold, held_gold) = (gold.subset(&rest), gold.subset(&held));
        let fold_train = examples(&fit_gold, setup, opts.input)?;
        eprintln!(
            "cross-validation fold {}/{k}: {} examples from {} articles, {} articles held out",
            fold + 1,
            fold_train.len(),
            rest.len(),
            held.len()
        );
        let tuned = fine_tune(
            opts,
            setup,
            &fold_train,
            opts.seed + 1 + fold as u64,
            None,
            &format!("fold {}/{k} ", fold + 1),
        )?;
        let scorer = raw_scorer(tuned.head, setup, opts);
        let predicted = eval::predict(
            &scorer,
            &held_gold,
            &setup.parties,
            &setup.matcher,
            &held_gold.parties(),
        )?;
        let report = eval::report(
            &opts.name,
            &predicted,
            [0.5; NUM_LABELS],
            eval::SegmentationReport::default(),
            &setup.parties.ids(),
        );
        eprintln!(
            "fold {}/{k}: out-of-fold macro-F1 {:.3} at 0.5 over {} pairs",
            fold + 1,
            report.macro_f1,
            predicted.pairs.len()
        );
        folds.push(FoldLog {
            fold: fold + 1,
            held_out_articles: held_gold.articles.iter().map(|a| a.id.clone()).collect(),
            train_examples: fold_train.len(),
            pairs: predicted.pairs.len(),
            macro_f1: report.macro_f1,
            final_train_loss: tuned.epochs.last().map_or(f64::NAN, |e| e.train_loss),
            seconds: fold_started.elapsed().as_secs_f64(),
        });
        pairs.extend(predicted.pairs);
        scores.extend(predicted.scores);
        sentences += predicted.sentences;
        scoring_seconds += predicted.seconds;
    }
    let raw = eval::Predictions {
        pairs,
        scores,
        rows: Vec::new(),
        sentences,
        seconds: scoring_seconds,
    };
    let temperature = fit_temperatures(&raw, &|_| true);
    let calibrated = eval::Predictions {
        scores: raw
            .scores
            .iter()
            .map(|s| std::array::from_fn(|l| score::sigmoid(logit(s[l]) / temperature[l])))
            .collect(),
        pairs: raw.pairs.clone(),
        rows: Vec::new(),
        sentences,
        seconds: scoring_seconds,
    };
    let thresholds: [f32; NUM_LABELS] = std::array::from_fn(|l| {
        let (s, y): (Vec<f64>, Vec<bool>) = calibrated
            .pairs
            .iter()
            .zip(&calibrated.scores)
            .map(|(p, s)| (crate::types::round_score(s[l]), p.gold[l]))
            .unzip();
        eval::metrics::best_f1_threshold(&s, &y) as f32
    });
    let at_half = eval::report(
        &opts.name,
        &raw,
        [0.5; NUM_LABELS],
        eval::SegmentationReport::default(),
        &setup.parties.ids(),
    );
    let at_chosen = eval::report(
        &opts.name,
        &calibrated,
        thresholds,
        eval::SegmentationReport::default(),
        &setup.parties.ids(),
    );
    eprintln!(
        "cross-validation ({k} folds, {} pairs): macro-F1 {:.3} at 0.5; thresholds {:?} (macro-F1 {:.3} on the same scores), temperatures {:?}",
        raw.pairs.len(),
        at_half.macro_f1,
        thresholds,
        at_chosen.macro_f1,
        temperature
    );
    Ok(CrossValidation {
        folds,
        temperature,
        thresholds,
        at_half,
        at_chosen,
        seconds: started.elapsed().as_secs_f64(),
    })
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
fn init_model(
    encoder: &ModelDir,
    config: &BertConfig,
    device: &Device,
    rng: &mut StdRng,
    outputs: usize,
) -> anyhow::Result<StanceHead> {
    let mut tensors: HashMap<String, Tensor> = encoder
        .weights(device)?
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("bert.").map(str::to_string).unwrap_or(k), v))
        .collect();
    let h = config.hidden_size;
    let weights: Vec<f32> = (0..outputs * h).map(|_| normal(rng) * 0.02).collect();
    tensors.insert(
        format!("{HEAD_PREFIX}.weight"),
        Tensor::from_vec(weights, (outputs, h), device)?,
    );
    tensors.insert(
        format!("{HEAD_PREFIX}.bias"),
        Tensor::zeros(outputs, DType::F32, device)?,
    );
    Ok(StanceHead::load(
        VarBuilder::from_tensors(tensors, DType::F32, device),
        config,
        outputs,
    )?)
}

/// Standard normal sample (Box–Muller), so the head's init depends only on the seed.
fn normal(rng: &mut StdRng) -> f32 {
    let u1: f32 = rng.random_range(f32::EPSILON..1.0);
    let u2: f32 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
}

/// Hidden states after layer `from - 1` for each example, unpadded (len, hidden).
fn frozen_states(
    head: &StanceHead,
    examples: &[Example],
    from: usize,
) -> anyhow::Result<Vec<Tensor>> {
    let started = Instant::now();
    let lengths: Vec<usize> = examples.iter().map(|e| e.input.len()).collect();
    let mut states = vec![None; examples.len()];
    for plan in score::plan_batches(&lengths, 64, 64 * 64) {
        let batch = Batch::from_sequences(plan.iter().map(|&i| &examples[i].input));
        let input = head.pad(&batch)?;
        let xs = head.bert.embed(&input, Mode::Infer)?;
        let xs = head
            .bert
            .run_layers(xs, &input.attention_bias()?, 0..from, Mode::Infer)?;
        for (row, &i) in plan.iter().enumerate() {
            states[i] = Some(xs.get(row)?.narrow(0, 0, lengths[i])?.contiguous()?);
        }
    }
    eprintln!(
        "cached frozen layers 0..{from} for {} examples in {:.0} s",
        examples.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(states
        .into_iter()
        .map(|s| s.expect("every example is in a batch"))
        .collect())
}

/// Right-pads cached states of a batch to (batch, max_length, hidden).
fn pad_states(
    states: &[Tensor],
    ids: &[usize],
    max_length: usize,
    hidden: usize,
) -> candle_core::Result<Tensor> {
    let rows = ids
        .iter()
        .map(|&i| {
            let len = states[i].dim(0)?;
            if len == max_length {
                Ok(states[i].clone())
            } else {
                let pad = Tensor::zeros(
                    (max_length - len, hidden),
                    states[i].dtype(),
                    states[i].device(),
                )?;
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

/// Running sum of weight snapshots, for checkpoint averaging.
#[derive(Default)]
struct WeightAverage {
    sum: Option<HashMap<String, Tensor>>,
    /// The epochs added so far.
    epochs: Vec<usize>,
}

impl WeightAverage {
    fn add(&mut self, epoch: usize, weights: HashMap<String, Tensor>) -> candle_core::Result<()> {
        self.sum = Some(match self.sum.take() {
            None => weights,
            Some(sum) => sum
                .into_iter()
                .map(|(name, total)| Ok((name.clone(), (total + &weights[&name])?)))
                .collect::<candle_core::Result<_>>()?,
        });
        self.epochs.push(epoch);
        Ok(())
    }

    /// The elementwise mean of what was added; `None` if nothing was.
    fn mean(self) -> candle_core::Result<Option<HashMap<String, Tensor>>> {
        let n = self.epochs.len() as f64;
        self.sum
            .map(|sum| {
                sum.into_iter()
                    .map(|(name, total)| Ok((name, (total / n)?)))
                    .collect()
            })
            .transpose()
    }
}

fn snapshot(vars: &[(String, Var)]) -> anyhow::Result<HashMap<String, Tensor>> {
    vars.iter()
        .map(|(name, var)| Ok((name.clone(), var.as_tensor().detach().copy()?)))
        .collect()
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
    let half: HashMap<String, Tensor> = weights
        .iter()
        .map(|(k, v)| Ok((k.clone(), v.to_dtype(DType::F16)?)))
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
        max_length: opts.max_length,
        trained_parties: parties.ids().iter().map(|s| s.to_string()).collect(),
        previous_sentence: opts.input.previous_sentence,
        holder_outputs: opts.input.holder_outputs,
        speaker_cue: opts.input.speaker_cue,
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

/// Per-label temperature minimising the log-loss of `logits` against `gold`
/// (grid search on a log scale: robust, and exact enough for calibration).
pub fn fit_temperature(logits: &[f32], gold: &[bool]) -> f32 {
    let nll = |t: f32| -> f64 {
        logits
            .iter()
            .zip(gold)
            .map(|(&z, &y)| {
                let p = (score::sigmoid(z / t) as f64).clamp(1e-7, 1.0 - 1e-7);
                if y {
                    -p.ln()
                } else {
                    -(1.0 - p).ln()
                }
            })
            .sum()
    };
    let grid = (0..=200).map(|i| 0.25f32 * (16f32).powf(i as f32 / 200.0)); // 0.25 … 4
    grid.min_by(|a, b| nll(*a).total_cmp(&nll(*b)))
        .unwrap_or(1.0)
}

/// Recovers the logit of a probability the model gave at temperature 1.
fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-7, 1.0 - 1e-7);
    (p / (1.0 - p)).ln()
}

/// Per-label temperatures fitted on the logits of the selected pairs.
fn fit_temperatures(
    predictions: &eval::Predictions,
    select: &dyn Fn(usize) -> bool,
) -> [f32; NUM_LABELS] {
    std::array::from_fn(|l| {
        let (z, y): (Vec<f32>, Vec<bool>) = (0..predictions.pairs.len())
            .filter(|&i| select(i))
            .map(|i| {
                (
                    logit(predictions.scores[i][l]),
                    predictions.pairs[i].gold[l],
                )
            })
            .unzip();
        fit_temperature(&z, &y)
    })
}

/// Calibration as measured on dev. The shipped temperatures come from the
/// train cross-validation when there was one (then every dev figure is
/// held out), else from all of dev (then `ece_dev` is in-sample).
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// "train cross-validation" or "dev".
    pub fitted_on: String,
    pub temperature: [f32; NUM_LABELS],
    pub ece_uncalibrated: f64,
    /// Dev ECE with the shipped temperatures.
    pub ece_dev: f64,
    /// Dev ECE with temperatures fitted on one half of dev's articles and measured on the other.
    pub ece_cross_fitted: f64,
}

/// `predictions`: dev scored at temperature 1. `shipped`: temperatures fitted elsewhere, if any.
pub fn calibrate(
    predictions: &eval::Predictions,
    shipped: Option<[f32; NUM_LABELS]>,
) -> Calibration {
    use crate::eval::metrics::expected_calibration_error as ece;
    let pairs = &predictions.pairs;
    let logits: &Vec<[f32; NUM_LABELS]> =
        &predictions.scores.iter().map(|s| s.map(logit)).collect();
    let flat_ece = |temps: &dyn Fn(usize) -> [f32; NUM_LABELS]| -> f64 {
        let (s, y): (Vec<f64>, Vec<bool>) = (0..pairs.len())
            .flat_map(|i| {
                let t = temps(i);
                (0..NUM_LABELS).map(move |l| {
                    (
                        crate::types::round_score(score::sigmoid(logits[i][l] / t[l])),
                        pairs[i].gold[l],
                    )
                })
            })
            .unzip();
        ece(&s, &y, eval::ECE_BINS)
    };
    let half = |i: usize| pairs[i].article.is_multiple_of(2);
    let (even, odd) = (
        fit_temperatures(predictions, &|i| half(i)),
        fit_temperatures(predictions, &|i| !half(i)),
    );
    let (temperature, fitted_on) = match shipped {
        Some(t) => (t, "train cross-validation"),
        None => (fit_temperatures(predictions, &|_| true), "dev"),
    };
    Calibration {
        fitted_on: fitted_on.to_string(),
        temperature,
        ece_uncalibrated: flat_ece(&|_| [1.0; NUM_LABELS]),
        ece_dev: flat_ece(&|_| temperature),
        // each half scored with the temperature fitted on the other half
        ece_cross_fitted: flat_ece(&|i| if half(i) { odd } else { even }),
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
    /// Epochs whose mean weights are shipped (empty: `best_epoch`'s own).
    pub averaged_epochs: Vec<usize>,
    pub training_seconds: f64,
    pub calibration: Calibration,
    /// The thresholds the model ships with.
    pub thresholds: [f32; NUM_LABELS],
    /// Dev at the shipped thresholds and temperatures.
    pub dev: eval::Report,
    /// Dev at thresholds 0.5 (shipped temperatures; they do not move 0.5).
    pub dev_at_half: eval::Report,
    /// Train at the shipped thresholds, in-sample.
    pub train: eval::Report,
    pub cross_validation: Option<CrossValidation>,
    /// The behaviour suite (`tests/behaviour/suite.toml`), never used to choose anything.
    pub behaviour: behaviour::BehaviourReport,
}

/// What a training run learnt about itself, as its card recorded it: lets
/// [`finish`] rewrite the card of a model already trained (`--card-only`).
pub fn outcome_from_card(dir: &Path, opts: &TrainOptions) -> anyhow::Result<(TrainOutcome, f64)> {
    let path = dir.join("model_card.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{}: cannot read (--card-only needs a trained model)",
            path.display()
        )
    })?;
    let card: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a model card", path.display()))?;
    anyhow::ensure!(
        card["cross_validation"].is_null(),
        "{}: --card-only cannot redo a card with cross-validation",
        path.display()
    );
    let field = |name: &str| {
        card.get(name)
            .cloned()
            .with_context(|| format!("{}: no {name}", path.display()))
    };
    let outcome = TrainOutcome {
        train_examples: serde_json::from_value(field("train_examples")?)?,
        epochs: serde_json::from_value(field("epochs")?)?,
        best_epoch: serde_json::from_value(field("best_epoch")?)?,
        averaged_epochs: serde_json::from_value(field("averaged_epochs")?)?,
        out_dir: opts.out_dir.clone(),
        cross_validation: None,
    };
    Ok((outcome, serde_json::from_value(field("training_seconds")?)?))
}

/// Calibrates, evaluates the saved model on dev and train, writes the card.
pub fn finish(
    opts: &TrainOptions,
    dir: &Path,
    outcome: &TrainOutcome,
    command: &str,
    training_seconds: f64,
) -> anyhow::Result<ModelCard> {
    let parties = PartySet::from_file(&opts.parties_file)?;
    let matcher = PartyMatcher::new(&parties)?;
    let dev = GoldSet::load(
        &opts.dev_dir.join("articles.jsonl"),
        &opts.dev_dir.join("gold.jsonl"),
    )?;
    let train = opts.load_train()?;
    // Dev is measured as `stance eval` measures it: with the built-in parties.
    let builtin = PartySet::builtin();
    let builtin_matcher = PartyMatcher::new(&builtin)?;

    // Calibration starts from the raw model (temperature 1), also when the
    // card of a calibrated model is rewritten (`--card-only`).
    let mut raw_spec = StanceModelSpec::read(dir)?;
    raw_spec.temperature = [1.0; NUM_LABELS];
    write_spec(dir, &raw_spec)?;
    let uncalibrated = load_saved(dir)?;
    let dev_raw = eval::predict(
        &uncalibrated,
        &dev,
        &builtin,
        &builtin_matcher,
        &dev.parties(),
    )?;
    let cv = outcome.cross_validation.as_ref();
    let calibration = calibrate(&dev_raw, cv.map(|cv| cv.temperature));
    let mut spec = StanceModelSpec::read(dir)?;
    spec.temperature = calibration.temperature;
    spec.thresholds = cv.map_or([0.5; NUM_LABELS], |cv| cv.thresholds);
    write_spec(dir, &spec)?;

    let scorer = load_saved(dir)?;
    let dev_predictions = eval::predict(&scorer, &dev, &builtin, &builtin_matcher, &dev.parties())?;
    let train_predictions = eval::predict(&scorer, &train, &parties, &matcher, &train.parties())?;
    let behaviour = behaviour::run(&scorer, &behaviour::load(Path::new(behaviour::SUITE))?)?;
    let card = ModelCard {
        name: opts.name.clone(),
        command: command.to_string(),
        options: opts.clone(),
        encoder: opts.encoder.clone(),
        trained_weights_bytes: std::fs::metadata(dir.join(&spec.weights))?.len(),
        train_examples: outcome.train_examples,
        epochs: outcome.epochs.clone(),
        best_epoch: outcome.best_epoch,
        averaged_epochs: outcome.averaged_epochs.clone(),
        training_seconds,
        calibration,
        thresholds: spec.thresholds,
        dev: eval::report(
            scorer.name(),
            &dev_predictions,
            spec.thresholds,
            eval::segmentation(&dev),
            &builtin.ids(),
        ),
        dev_at_half: eval::report(
            scorer.name(),
            &dev_predictions,
            [0.5; NUM_LABELS],
            eval::segmentation(&dev),
            &builtin.ids(),
        ),
        train: eval::report(
            scorer.name(),
            &train_predictions,
            spec.thresholds,
            eval::segmentation(&train),
            &parties.ids(),
        ),
        cross_validation: outcome.cross_validation.clone(),
        behaviour,
    };
    let json_path = dir.join("model_card.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&card)? + "\n")
        .with_context(|| format!("{}: cannot write", json_path.display()))?;
    let md_path = dir.join("model_card.md");
    std::fs::write(&md_path, render_card(&card))
        .with_context(|| format!("{}: cannot write", md_path.display()))?;
    Ok(card)
}

fn render_card(card: &ModelCard) -> String {
    let mut md = String::new();
    let o = &card.options;
    md.push_str(&format!("# {}\n\n", card.name));
    let context = if o.input.previous_sentence {
        " [SEP] the article's previous sentence"
    } else {
        ""
    };
    md.push_str(&format!(
        "Targeted stance model (condemn / support / ceasefire) of the `stance` project: the encoder `{}` fine-tuned as a cross-encoder over \"party name [SEP] sentence with the party's mentions «marked»{context}\", mean pooling, one sigmoid per label.\n\n",
        card.encoder
    ));
    md.push_str(&format!("Produced by:\n\n```\n{}\n```\n\n", card.command));
    md.push_str(&format!(
        "- Training data: {} ({} examples: every annotated sentence × the parties its article was annotated for, plus parties named in it). Dev: `{}`.\n",
        o.train_names(), card.train_examples, o.dev_dir.display()
    ));
    md.push_str(&format!(
        "- Fine-tuned: encoder layers {}.. and the head; AdamW lr {}, batch {}, dropout {}, max length {}, seed {}, up to {} epochs (patience {}).\n",
        o.train_from_layer, o.learning_rate, o.batch_size, o.dropout, o.max_length, o.seed, o.epochs, o.patience
    ));
    md.push_str(&format!(
        "- Shipped weights: `trained.safetensors` ({:.1} MB, f16), laid over the encoder fetched by `make setup`.\n- Run time: {:.0} s on this machine ({} CPU threads){}.\n\n",
        card.trained_weights_bytes as f64 / 1e6,
        card.training_seconds,
        rayon::current_num_threads(),
        card.cross_validation.as_ref().map_or(String::new(), |cv| format!(", of which cross-validation {:.0} s", cv.seconds))
    ));
    md.push_str("## Epochs (dev metrics at threshold 0.5, temperature 1)\n\n| epoch | train loss | dev macro-F1 | condemn | support | ceasefire | seconds |\n|---|---|---|---|---|---|---|\n");
    for e in &card.epochs {
        let dev = |f: fn(&DevEpoch) -> f64| {
            e.dev
                .as_ref()
                .map_or("-".to_string(), |d| format!("{:.3}", f(d)))
        };
        md.push_str(&format!(
            "| {} | {:.4} | {} | {} | {} | {} | {:.0} |\n",
            e.epoch,
            e.train_loss,
            dev(|d| d.macro_f1),
            dev(|d| d.f1[0]),
            dev(|d| d.f1[1]),
            dev(|d| d.f1[2]),
            e.seconds
        ));
    }
    let last_epoch = card.epochs.last().map_or(0, |e| e.epoch);
    let averaged = !card.averaged_epochs.is_empty();
    let epoch_chosen_on_dev =
        !(averaged || card.best_epoch == last_epoch && last_epoch == o.epochs);
    if averaged {
        let (first, last) = (
            card.averaged_epochs[0],
            card.averaged_epochs[card.averaged_epochs.len() - 1],
        );
        md.push_str(&format!(
            "\nShipped weights: the mean of epochs {first}–{last} (checkpoint averaging, `--average-last {}`); the schedule alone chose them, dev only watched.\n\n",
            o.average_last
        ));
    } else {
        let selection = if epoch_chosen_on_dev {
            "best dev macro-F1: a choice made on dev"
        } else {
            "the last epoch, which is also the best on dev: the training schedule alone chose it"
        };
        md.push_str(&format!(
            "\nSelected epoch: {} ({selection}).\n\n",
            card.best_epoch
        ));
    }

    let fmt_thresholds = |t: &[f32; NUM_LABELS]| {
        t.iter()
            .map(|v| format!("{v:.2}"))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let shipped = fmt_thresholds(&card.thresholds);
    let dev_note = match (&card.cross_validation, epoch_chosen_on_dev) {
        (Some(_), false) => "held out: nothing fitted on it",
        (Some(_), true) => "held out but for the epoch choice",
        (None, _) => "ECE in-sample: temperatures fitted on dev",
    };
    md.push_str(
        "## Results (closed world: annotated sentences × the parties of the gold file)\n\n",
    );
    md.push_str("Thresholds are condemn / support / ceasefire; the labels' F1 and PR-AUC follow the same order.\n\n");
    md.push_str("| split | thresholds | pairs | macro-F1 | condemn F1 | support F1 | ceasefire F1 | condemn PR-AUC | support PR-AUC | ceasefire PR-AUC | ECE |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    let mut rows: Vec<(String, String, &eval::Report)> = vec![
        (format!("dev ({dev_note})"), shipped.clone(), &card.dev),
        (
            "dev at 0.5 (for comparison)".into(),
            fmt_thresholds(&[0.5; NUM_LABELS]),
            &card.dev_at_half,
        ),
        (
            "train (in-sample: trained on it)".into(),
            shipped,
            &card.train,
        ),
    ];
    if let Some(cv) = &card.cross_validation {
        let k = cv.folds.len();
        rows.push((
            format!("train, {k}-fold cross-validated (out-of-fold, temperature 1)"),
            fmt_thresholds(&[0.5; NUM_LABELS]),
            &cv.at_half,
        ));
        rows.push((
            format!("train, {k}-fold cross-validated, at the thresholds chosen on these scores (optimistic)"),
            fmt_thresholds(&cv.thresholds),
            &cv.at_chosen,
        ));
    }
    for (split, thresholds, r) in rows {
        let f = |l: &str| r.labels[l].metrics.f1;
        let ap = |l: &str| {
            r.labels[l]
                .metrics
                .pr_auc
                .map(|v| format!("{v:.3}"))
                .unwrap_or_else(|| "-".into())
        };
        md.push_str(&format!(
            "| {split} | {thresholds} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {:.3} |\n",
            r.pairs, r.macro_f1, f("condemn"), f("support"), f("ceasefire"), ap("condemn"), ap("support"), ap("ceasefire"), r.ece
        ));
    }
    if let Some(cv) = &card.cross_validation {
        md.push_str(&format!(
            "\n## Cross-validation on train\n\n{} folds, grouped by article (articles shuffled with the seed, dealt round-robin); each fold is trained with the recipe above (all epochs, no dev) and scores its held-out articles. The out-of-fold scores fit the shipped per-label temperatures and then choose the shipped thresholds (best out-of-fold F1 on the grid 0.05–0.95, ties to the nearest 0.5). {:.0} s.\n\n| fold | held-out articles | train examples | pairs | out-of-fold macro-F1 at 0.5 | seconds |\n|---|---|---|---|---|---|\n",
            cv.folds.len(),
            cv.seconds
        ));
        for f in &cv.folds {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {:.3} | {:.0} |\n",
                f.fold,
                f.held_out_articles.len(),
                f.train_examples,
                f.pairs,
                f.macro_f1,
                f.seconds
            ));
        }
    }
    let c = &card.calibration;
    let ece_dev_note = if c.fitted_on == "dev" {
        "in-sample: fitted and measured on all of dev"
    } else {
        "held out"
    };
    md.push_str(&format!(
        "\n## Calibration\n\nPer-label temperature on the logit, fitted on {}: condemn {:.3}, support {:.3}, ceasefire {:.3}. Dev ECE (10 bins, all labels): uncalibrated {:.4}; with these temperatures {:.4} ({ece_dev_note}); cross-fitted on dev (temperatures fitted on one half of dev's articles, measured on the other) {:.4}.\n",
        c.fitted_on, c.temperature[0], c.temperature[1], c.temperature[2], c.ece_uncalibrated, c.ece_dev, c.ece_cross_fitted
    ));
    md.push_str("\n## Per party on dev (F1 at the shipped thresholds; positives in brackets)\n\n| party | condemn | support | ceasefire |\n|---|---|---|---|\n");
    for (party, labels) in &card.dev.parties {
        let cell = |l: &str| {
            format!(
                "{:.2} ({})",
                labels[l].metrics.f1, labels[l].metrics.positives
            )
        };
        md.push_str(&format!(
            "| {party} | {} | {} | {} |\n",
            cell("condemn"),
            cell("support"),
            cell("ceasefire")
        ));
    }
    let h = &card.dev.holder;
    md.push_str(&format!(
        "\n## Holder on dev\n\nHolder accuracy {:.3} over {} labelled gold rows (contract: a gold slug outside the built-in parties counts as `other`). Predicted → gold:\n\n| predicted | gold (count) |\n|---|---|\n",
        h.accuracy, h.rows
    ));
    for (predicted, gold) in &h.confusion {
        let cells: Vec<String> = gold.iter().map(|(g, n)| format!("{g} {n}")).collect();
        md.push_str(&format!("| {predicted} | {} |\n", cells.join(", ")));
    }
    md.push_str(&format!(
        "\n## Behaviour suite\n\n`tests/behaviour/suite.toml` ({} cases from the guidelines' templates, written before this model was trained; nothing was chosen on it): share of cases fully right (every party's labels and the holder).\n\n{}",
        card.behaviour.cases,
        behaviour::render(&card.behaviour)
    ));
    md.push_str("\nThe held-out test split was never seen. Numbers come from `model_card.json`, written by the same run.\n");
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(a: &[f32], b: f32) -> HashMap<String, Tensor> {
        let mut w = HashMap::new();
        w.insert("a".to_string(), Tensor::new(a, &Device::Cpu).unwrap());
        w.insert("b".to_string(), Tensor::new(&[b], &Device::Cpu).unwrap());
        w
    }

    #[test]
    fn weight_average_is_the_elementwise_mean_of_the_added_epochs() {
        let mut average = WeightAverage::default();
        average.add(6, weights(&[1.0, -2.0], 0.5)).unwrap();
        average.add(7, weights(&[2.0, 4.0], 1.5)).unwrap();
        average.add(8, weights(&[6.0, 1.0], -0.5)).unwrap();
        assert_eq!(average.epochs, vec![6, 7, 8]);
        let mean = average.mean().unwrap().expect("three epochs were added");
        assert_eq!(mean["a"].to_vec1::<f32>().unwrap(), vec![3.0, 1.0]);
        assert_eq!(mean["b"].to_vec1::<f32>().unwrap(), vec![0.5]);
    }

    #[test]
    fn weight_average_of_nothing_is_none() {
        assert!(WeightAverage::default().mean().unwrap().is_none());
    }
}
