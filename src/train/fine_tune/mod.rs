//! One fine-tuning run: the training loop, its schedule and initialisation,
//! the frozen-layer cache, and checkpoint averaging.

use super::*;
use crate::train::examples::MAX_OUTPUTS;
use crate::types::CEASEFIRE;

mod average;
mod frozen;

use average::{snapshot, WeightAverage};
use frozen::{frozen_states, pad_states};

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
/// A fine-tuned model: the head as the last epoch left it (or the average,
/// when averaging), and the weights to ship.
pub(super) struct FineTuned {
    pub(super) head: StanceHead,
    pub(super) weights: HashMap<String, Tensor>,
    pub(super) epochs: Vec<EpochLog>,
    pub(super) best_epoch: usize,
    pub(super) averaged_epochs: Vec<usize>,
}
/// One fine-tuning run over `train`, seeded by `seed` (initialisation, data
/// order, dropout). With `dev`, each epoch is scored on it and the best dev
/// macro-F1 is selected (stopping after `patience` epochs without gain);
/// without, the last epoch is. With `average_last` K > 1 the mean of the
/// last K epochs' weights is shipped instead, and `head` holds it too.
pub(super) fn fine_tune(
    opts: &TrainOptions,
    setup: &Setup,
    train: &[Example],
    seed: u64,
    dev: Option<&GoldSet>,
    run_name: &str,
) -> anyhow::Result<FineTuned> {
    let mut rng = StdRng::seed_from_u64(seed);
    bert::seed_dropout(seed);
    let mut trainer = Trainer::new(opts, setup, train, &mut rng)?;
    let mut logs = Vec::new();
    let averaging = opts.average_last > 1;
    // Best epoch so far by merit; its weights are kept only when they can ship (not averaging).
    let mut best: Option<(f64, usize)> = None;
    let mut best_weights = None;
    let first_averaged = opts.epochs + 1 - opts.average_last.max(1);
    let mut average = WeightAverage::default();
    for epoch in 1..=opts.epochs {
        let started = Instant::now();
        let label = format!("{run_name}epoch {epoch}/{}", opts.epochs);
        let train_loss = trainer.epoch(train, &mut rng, &label)?;
        let log = EpochLog {
            epoch,
            train_loss,
            dev: dev_scores(&trainer.head, setup, dev, opts)?,
            seconds: started.elapsed().as_secs_f64(),
        };
        eprintln!(
            "{run_name}epoch {epoch}: loss {:.4}{}, {:.0} s",
            log.train_loss,
            log.dev
                .map_or(String::new(), |d| format!(", {}", d.describe())),
            log.seconds
        );
        // Without dev, later epochs always win: the schedule alone decides.
        let merit = log.dev.map_or(epoch as f64, |d| d.macro_f1);
        if best.is_none_or(|(m, _)| merit > m) {
            best = Some((merit, epoch));
            if !averaging {
                best_weights = Some(snapshot(&trainer.vars)?);
            }
        }
        if averaging && epoch >= first_averaged {
            average.add(epoch, snapshot(&trainer.vars)?)?;
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
        for (name, var) in &trainer.vars {
            var.set(&mean[name])?;
        }
        best_epoch = opts.epochs;
        if let Some(scores) = dev_scores(&trainer.head, setup, dev, opts)? {
            eprintln!(
                "{run_name}mean of epochs {averaged_epochs:?}: {}",
                scores.describe()
            );
        }
        mean
    } else {
        best_weights.context("no epoch was run")?
    };
    Ok(FineTuned {
        head: trainer.head,
        weights,
        epochs: logs,
        best_epoch,
        averaged_epochs,
    })
}

/// The dev scores of `head` after an epoch, where there is a dev split.
fn dev_scores(
    head: &StanceHead,
    setup: &Setup,
    dev: Option<&GoldSet>,
    opts: &TrainOptions,
) -> anyhow::Result<Option<DevEpoch>> {
    let Some(dev) = dev else {
        return Ok(None);
    };
    let report = evaluate_in_memory(head, setup, dev, opts)?;
    Ok(Some(DevEpoch {
        macro_f1: report.macro_f1,
        f1: LABELS.map(|l| report.labels[l].metrics.f1),
    }))
}

impl DevEpoch {
    fn describe(&self) -> String {
        format!(
            "dev macro-F1 {:.3} (condemn {:.3}, support {:.3}, ceasefire {:.3})",
            self.macro_f1, self.f1[0], self.f1[1], self.f1[2]
        )
    }
}

/// The model being trained, its optimizer and where the schedule stands.
struct Trainer<'a> {
    opts: &'a TrainOptions,
    setup: &'a Setup,
    head: StanceHead,
    vars: Vec<(String, Var)>,
    optimizer: AdamW,
    /// Hidden states below the trained layers, per example (frozen layers run once).
    cached: Option<Vec<Tensor>>,
    step: usize,
    total_steps: usize,
}

impl<'a> Trainer<'a> {
    fn new(
        opts: &'a TrainOptions,
        setup: &'a Setup,
        train: &[Example],
        rng: &mut StdRng,
    ) -> anyhow::Result<Trainer<'a>> {
        let mut head = init_model(
            &setup.encoder,
            &setup.config,
            &setup.device,
            rng,
            opts.input.outputs(),
        )?;
        let vars = head.trainable(opts.train_from_layer)?;
        let optimizer = AdamW::new(
            vars.iter().map(|(_, v)| v.clone()).collect(),
            ParamsAdamW {
                lr: opts.learning_rate,
                weight_decay: 0.01,
                ..Default::default()
            },
        )?;
        let cached = if opts.train_from_layer > 0 {
            Some(frozen_states(&head, train, opts.train_from_layer)?)
        } else {
            None
        };
        Ok(Trainer {
            opts,
            setup,
            head,
            vars,
            optimizer,
            cached,
            step: 0,
            total_steps: train.len().div_ceil(opts.batch_size) * opts.epochs,
        })
    }

    /// One pass over `train` in a shuffled order; the mean batch loss.
    fn epoch(&mut self, train: &[Example], rng: &mut StdRng, label: &str) -> anyhow::Result<f64> {
        let inputs = epoch_inputs(train, self.opts.party_swap, rng);
        let batches = shuffled_batches(&inputs, self.opts.batch_size, rng);
        let bar = indicatif::ProgressBar::new(batches.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} steps, {per_sec}, eta {eta}",
            )
            .expect("valid template"),
        );
        bar.set_message(label.to_string());
        let mut loss_sum = 0.0;
        for batch_ids in &batches {
            let rate = schedule(self.step, self.total_steps);
            self.optimizer
                .set_learning_rate(self.opts.learning_rate * rate);
            self.step += 1;
            let loss = self.batch_loss(train, &inputs, batch_ids)?;
            self.optimizer.backward_step(&loss)?;
            loss_sum += loss.to_scalar::<f32>()? as f64;
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(loss_sum / batches.len() as f64)
    }

    /// The weighted loss of one batch of examples, in training mode.
    fn batch_loss(
        &self,
        train: &[Example],
        inputs: &[EpochInput],
        batch_ids: &[usize],
    ) -> anyhow::Result<Tensor> {
        let (opts, config, device) = (self.opts, &self.setup.config, &self.setup.device);
        let batch = Batch::from_sequences(batch_ids.iter().map(|&i| inputs[i].input));
        let input = self.head.pad(&batch)?;
        let mode = Mode::Train {
            dropout: opts.dropout,
        };
        let hidden = match &self.cached {
            Some(states) => {
                let xs = pad_states(states, batch_ids, batch.max_length, config.hidden_size)?;
                self.head.bert.run_layers(
                    xs,
                    &input.attention_bias()?,
                    opts.train_from_layer..config.num_hidden_layers,
                    mode,
                )?
            }
            None => self.head.bert.forward(&input, mode)?,
        };
        let logits = self.head.head_logits(&hidden, &input.mask, mode)?;
        let outputs = opts.input.outputs();
        let targets: Vec<f32> = batch_ids
            .iter()
            .flat_map(|&i| train[i].target[..outputs].to_vec())
            .collect();
        let targets = Tensor::from_vec(targets, (batch_ids.len(), outputs), device)?;
        let mut weights: Vec<f32> = Vec::with_capacity(batch_ids.len() * outputs);
        for &i in batch_ids {
            weights.extend_from_slice(&loss_weight(&train[i], &inputs[i])[..outputs]);
        }
        let weights = Tensor::from_vec(weights, (batch_ids.len(), outputs), device)?;
        Ok(bce_with_logits(&logits, &targets, &weights)?)
    }
}

/// The loss weights of an example's outputs for the input it trains on. A
/// counterfactual keeps the party's condemnation and support, which follow
/// what is said about it, but not its ceasefire label: the guidelines give
/// ceasefire by who the party is (the belligerents; never the United States
/// or Russia), so it does not carry over to another party.
fn loss_weight(example: &Example, input: &EpochInput) -> [f32; MAX_OUTPUTS] {
    let mut weight = example.weight;
    if input.swapped {
        weight[CEASEFIRE] = 0.0;
    }
    weight
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

/// What one example trains on in one epoch.
struct EpochInput<'e> {
    input: &'e Encoded,
    /// `input` is the example's party-swapped counterfactual.
    swapped: bool,
}

/// The input each example trains on this epoch: its party-swapped
/// counterfactual with probability `party_swap`, else its own. Draws from
/// `rng` only when swapping is on, so runs without it keep their order.
fn epoch_inputs<'e>(
    train: &'e [Example],
    party_swap: f32,
    rng: &mut StdRng,
) -> Vec<EpochInput<'e>> {
    train
        .iter()
        .map(|e| match &e.swapped {
            Some(swapped) if party_swap > 0.0 && rng.random::<f32>() < party_swap => EpochInput {
                input: swapped,
                swapped: true,
            },
            _ => EpochInput {
                input: &e.input,
                swapped: false,
            },
        })
        .collect()
}

/// Length-bucketed random batches: shuffle, sort chunks of 50 batches by
/// length (less padding), shuffle the batches.
fn shuffled_batches(inputs: &[EpochInput], batch_size: usize, rng: &mut StdRng) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.shuffle(rng);
    let mut batches = Vec::new();
    for chunk in order.chunks(batch_size * 50) {
        let mut chunk = chunk.to_vec();
        chunk.sort_by_key(|&i| inputs[i].input.len());
        batches.extend(chunk.chunks(batch_size).map(<[usize]>::to_vec));
    }
    batches.shuffle(rng);
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(ids: &[u32], swapped: Option<&[u32]>) -> Example {
        let encoded = |ids: &[u32]| Encoded {
            ids: ids.to_vec(),
            type_ids: vec![0; ids.len()],
            truncated: false,
        };
        Example {
            input: encoded(ids),
            swapped: swapped.map(encoded),
            target: [0.0; MAX_OUTPUTS],
            weight: [1.0; MAX_OUTPUTS],
        }
    }

    #[test]
    fn an_epoch_trains_on_the_swapped_input_with_the_swap_probability_only() {
        let train: Vec<Example> = (0..400)
            .map(|i| example(&[1, i], (i % 2 == 0).then_some(&[2, i][..])))
            .collect();
        let swapped = |p: f32, seed: u64| {
            let mut rng = StdRng::seed_from_u64(seed);
            let inputs = epoch_inputs(&train, p, &mut rng);
            assert!(inputs.iter().all(|e| e.swapped == (e.input.ids[0] == 2)));
            let count = inputs.iter().filter(|e| e.swapped).count();
            (count, rng.random::<u64>())
        };
        // Off: the originals, and the rng untouched (runs without swaps keep their order).
        let untouched = StdRng::seed_from_u64(7).random::<u64>();
        assert_eq!(swapped(0.0, 7), (0, untouched));
        // Always: every example that has a counterfactual, and only those.
        assert_eq!(swapped(1.0, 7).0, 200);
        // A counterfactual trains condemn, support and the holder outputs, not ceasefire.
        let mut rng = StdRng::seed_from_u64(7);
        for (example, input) in train.iter().zip(epoch_inputs(&train, 1.0, &mut rng)) {
            let weight = loss_weight(example, &input);
            let expected = if input.swapped { 0.0 } else { 1.0 };
            assert_eq!(weight[CEASEFIRE], expected);
            assert_eq!(weight[0], 1.0);
            assert_eq!(weight[NUM_LABELS..], [1.0; HOLDER_OUTPUTS]);
        }
        let half = swapped(0.5, 7).0;
        assert!(
            (70..130).contains(&half),
            "{half} of 200 swapped at p = 0.5"
        );
    }
}
