//! Scoring: from (sentence, party) requests to label probabilities.
//!
//! Two scorers share one interface:
//! - the project's trained stance model (a cross-encoder over
//!   "party [SEP] sentence with «marked» mentions", one sigmoid per label);
//! - zero-shot NLI with any Hugging Face NLI classifier: premise = sentence,
//!   one hypothesis per label from the parties file's templates, score =
//!   entailment probability of softmax over (contradiction, entailment), as
//!   the transformers zero-shot pipeline computes it in multi-label mode.

pub use crate::model::plan_batches;
pub use crate::model::tokenize::{configure_tokenizer, encode_pair, load_tokenizer};

pub mod addressee;
pub mod condemnation;
pub mod exclusion;
pub mod force;
pub mod holder;
pub mod rejection;
pub mod rows;
pub mod rules;
pub mod speaker;
pub mod support;
pub mod vetoed;
pub mod victim;

use std::path::PathBuf;

use anyhow::{bail, Context};
use candle_core::Device;
use serde::Serialize;
use tokenizers::Tokenizer;

use crate::model::{self, Batch, Encoded, SequenceClassifier};
use crate::parties::{Party, Templates};
use crate::types::{LabelScores, Mention, LABELS, NUM_LABELS};

/// The project's default model, trained by `stance train` (committed in the repo).
pub const DEFAULT_MODEL_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/stance-minilm");

use crate::model::load::LoadedKind;
pub use crate::model::load::{StanceModelSpec, HOLDER_OUTPUTS, STANCE_FORMAT, STANCE_MODEL_FILE};

/// Marks a party's mentions inside the sentence for the cross-encoder.
pub const MARK_OPEN: &str = "«";
pub const MARK_CLOSE: &str = "»";

/// One (sentence, party) pair to score. Mention offsets are relative to `sentence`.
#[derive(Debug, Clone, Copy)]
pub struct ScoreRequest<'a> {
    pub sentence: &'a str,
    /// The sentence before it in the article ("" for the first): context for
    /// models trained with `previous_sentence` (implicit targets: "It was
    /// terrorism" after "... the Hamas attack").
    pub previous: &'a str,
    pub party: &'a Party,
    pub mentions: &'a [Mention],
}

/// How a trained model reads its input and what its head gives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InputOptions {
    pub previous_sentence: bool,
    pub holder_outputs: bool,
    pub speaker_cue: bool,
    pub addressee_cue: bool,
}

impl InputOptions {
    pub fn of(spec: &StanceModelSpec) -> InputOptions {
        InputOptions {
            previous_sentence: spec.previous_sentence,
            holder_outputs: spec.holder_outputs,
            speaker_cue: spec.speaker_cue,
            addressee_cue: spec.addressee_cue,
        }
    }

    /// Outputs of the head: one per label, then the two holder outputs.
    pub fn outputs(&self) -> usize {
        NUM_LABELS
            + if self.holder_outputs {
                HOLDER_OUTPUTS
            } else {
                0
            }
    }
}

/// What the model says about one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestScores {
    pub labels: LabelScores,
    /// Probabilities that the request's party holds a stance in the sentence,
    /// and that the stance is the author's own voice (trained models with
    /// holder outputs only).
    pub holder: Option<[f32; HOLDER_OUTPUTS]>,
}

enum Kind {
    Trained {
        /// Subtracted from each label's logit, then divided by the temperature.
        offset: [f32; NUM_LABELS],
        temperature: [f32; NUM_LABELS],
        input: InputOptions,
    },
    Nli {
        entail: usize,
        contradict: usize,
        templates: Templates,
    },
}

/// A model ready to score requests.
pub struct Scorer {
    name: String,
    kind: Kind,
    classifier: Box<dyn SequenceClassifier>,
    tokenizer: Tokenizer,
    thresholds: [f32; NUM_LABELS],
    /// The files the model was loaded from (see [`Scorer::digest`]).
    files: Vec<PathBuf>,
    /// Most sequences / padded tokens per forward pass (set at load, see
    /// [`Scorer::with_batch_limits`]).
    max_batch: usize,
    token_budget: usize,
}

impl Scorer {
    /// Loads `spec` (a directory or repo id; `None` = the default trained
    /// model) through [`model::load`], and reads what its outputs mean.
    pub fn load(
        spec: Option<&str>,
        device: &Device,
        templates: &Templates,
    ) -> anyhow::Result<Scorer> {
        let loaded = model::load(spec.unwrap_or(DEFAULT_MODEL_DIR), device)?;
        let (kind, thresholds, max_batch, token_budget) = match &loaded.kind {
            LoadedKind::Stance(spec) => {
                let kind = Kind::Trained {
                    offset: spec.logit_offset,
                    temperature: spec.temperature,
                    input: InputOptions::of(spec),
                };
                (kind, spec.thresholds, 64, 64 * 64)
            }
            LoadedKind::Nli { labels } => {
                let (entail, contradict) = nli_label_ids(labels).with_context(|| {
                    format!(
                        "{}: is this an NLI model?",
                        loaded.dir.join("config.json").display()
                    )
                })?;
                let kind = Kind::Nli {
                    entail,
                    contradict,
                    templates: templates.clone(),
                };
                // The zero-shot pipeline's convention: entailment probability ≥ 0.5.
                (kind, [0.5; NUM_LABELS], 32, 32 * 96)
            }
        };
        Ok(Scorer {
            name: loaded.name,
            kind,
            classifier: loaded.classifier,
            tokenizer: loaded.tokenizer,
            thresholds,
            files: loaded.files,
            max_batch,
            token_budget,
        })
    }

    /// A trained-kind scorer around an in-memory model (used while training).
    pub fn from_trained(
        name: &str,
        classifier: Box<dyn SequenceClassifier>,
        tokenizer: Tokenizer,
        temperature: [f32; NUM_LABELS],
        thresholds: [f32; NUM_LABELS],
        input: InputOptions,
    ) -> Scorer {
        Scorer {
            name: name.to_string(),
            kind: Kind::Trained {
                offset: [0.0; NUM_LABELS],
                temperature,
                input,
            },
            classifier,
            tokenizer,
            thresholds,
            files: Vec::new(),
            max_batch: 64,
            token_budget: 64 * 64,
        }
    }

    /// The scorer with other batch limits: at most `max_batch` sequences per
    /// forward pass (the token budget grows to hold them), and at most
    /// `token_budget` padded tokens; `None` keeps the model's default.
    pub fn with_batch_limits(
        mut self,
        max_batch: Option<usize>,
        token_budget: Option<usize>,
    ) -> anyhow::Result<Scorer> {
        if let Some(n) = max_batch {
            anyhow::ensure!(n > 0, "--batch-size must be at least 1");
            self.max_batch = n;
            self.token_budget = self.token_budget.max(n);
        }
        if let Some(n) = token_budget {
            anyhow::ensure!(n > 0, "--token-budget must be at least 1");
            self.token_budget = n;
        }
        Ok(self)
    }

    /// Digest of everything that decides the model's scores: its files'
    /// content (weights, config, tokenizer, thresholds and temperatures),
    /// and for a model in memory its name and thresholds.
    pub fn digest(&self) -> anyhow::Result<String> {
        let mut files = model::content_digest(&self.files)?;
        files.push_str(&format!("|{}|{:?}", self.name, self.thresholds));
        Ok(files)
    }

    /// The model id written in each output row.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn thresholds(&self) -> [f32; NUM_LABELS] {
        self.thresholds
    }

    /// Sequences the model runs per request (1 trained, 3 NLI).
    pub fn sequences_per_request(&self) -> usize {
        match self.kind {
            Kind::Trained { .. } => 1,
            Kind::Nli { .. } => NUM_LABELS,
        }
    }

    /// Tokenizes one request into [`Self::sequences_per_request`] sequences.
    pub fn encode(&self, request: &ScoreRequest) -> anyhow::Result<Vec<Encoded>> {
        match &self.kind {
            Kind::Trained { input, .. } => {
                Ok(vec![encode_stance_input(&self.tokenizer, request, *input)?])
            }
            Kind::Nli { templates, .. } => templates
                .hypotheses(&request.party.name)
                .iter()
                .map(|hypothesis| self.encode_pair(request.sentence, hypothesis))
                .collect(),
        }
    }

    fn encode_pair(&self, first: &str, second: &str) -> anyhow::Result<Encoded> {
        encode_pair(&self.tokenizer, first, second)
    }

    /// Logits for each sequence, in input order; batches are formed by length.
    pub fn logits(&self, sequences: &[&Encoded]) -> anyhow::Result<Vec<Vec<f32>>> {
        let lengths: Vec<usize> = sequences.iter().map(|s| s.len()).collect();
        let mut out = vec![Vec::new(); sequences.len()];
        for plan in plan_batches(&lengths, self.max_batch, self.token_budget) {
            let batch = Batch::from_sequences(plan.iter().map(|&i| sequences[i]));
            let logits = self.classifier.logits(&batch)?;
            for (&i, row) in plan.iter().zip(logits) {
                out[i] = row;
            }
        }
        Ok(out)
    }

    /// Probabilities from the logits of one request's sequences.
    pub fn probabilities(&self, logits: &[Vec<f32>]) -> RequestScores {
        let mut scores = [0f32; NUM_LABELS];
        let mut holder = None;
        match &self.kind {
            Kind::Trained {
                offset,
                temperature,
                input,
            } => {
                for (label, score) in scores.iter_mut().enumerate() {
                    *score = sigmoid((logits[0][label] - offset[label]) / temperature[label]);
                }
                if input.holder_outputs {
                    holder = Some(std::array::from_fn(|i| sigmoid(logits[0][NUM_LABELS + i])));
                }
            }
            Kind::Nli {
                entail, contradict, ..
            } => {
                for (label, score) in scores.iter_mut().enumerate() {
                    let (e, c) = (logits[label][*entail], logits[label][*contradict]);
                    // softmax over the pair (contradiction, entailment), entailment share
                    *score = sigmoid(e - c);
                }
            }
        }
        RequestScores {
            labels: scores,
            holder,
        }
    }

    /// Scores requests end to end (tokenize, batch, run, combine).
    pub fn score(&self, requests: &[ScoreRequest]) -> anyhow::Result<Vec<RequestScores>> {
        let per = self.sequences_per_request();
        let encoded = requests
            .iter()
            .map(|r| self.encode(r))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let flat: Vec<&Encoded> = encoded.iter().flatten().collect();
        let logits = self.logits(&flat)?;
        Ok(logits
            .chunks(per)
            .map(|chunk| self.probabilities(chunk))
            .collect())
    }

    /// Labels at or above their thresholds.
    pub fn labels_for(&self, scores: &LabelScores) -> Vec<String> {
        LABELS
            .iter()
            .zip(scores.iter().zip(self.thresholds.iter()))
            .filter(|(_, (score, threshold))| {
                crate::types::round_score(**score) >= **threshold as f64
            })
            .map(|(label, _)| label.to_string())
            .collect()
    }
}

/// The trained model's input: the party's name (with [`SPEAKER_CUE`] when
/// the model reads cues and the party is in the speaker's place), then the
/// sentence with the party's mentions marked, then (for context models)
/// `[SEP]` and the previous sentence. Context goes last so that truncation
/// cuts it before the sentence.
pub fn encode_stance_input(
    tokenizer: &Tokenizer,
    request: &ScoreRequest,
    input: InputOptions,
) -> anyhow::Result<Encoded> {
    let marked = mark_mentions(request.sentence, request.mentions);
    let speaking = input.speaker_cue
        && request
            .mentions
            .iter()
            .any(|m| speaker::speaks(request.sentence, m));
    let mut first = request.party.name.clone();
    if speaking {
        first = format!("{first} {SPEAKER_CUE}");
    }
    if input.addressee_cue {
        let own = request
            .mentions
            .iter()
            .any(|m| addressee::addressed(request.sentence, m));
        if own {
            first = format!("{first} {ADDRESSED_CUE}");
        } else if addressee::someone_else_addressed(request.sentence, request.mentions) {
            first = format!("{first} {NOT_ADDRESSED_CUE}");
        }
    }
    match input.previous_sentence.then_some(request.previous) {
        Some(previous) if !previous.trim().is_empty() => encode_pair(
            tokenizer,
            &first,
            &format!("{marked} {CONTEXT_SEPARATOR} {previous}"),
        ),
        _ => encode_pair(tokenizer, &first, &marked),
    }
}

/// Follows the party's name when it is the one speaking.
pub const SPEAKER_CUE: &str = "(speaker)";

/// Follows the party's name when a call in the sentence is addressed to it,
/// and when a call is addressed to someone else.
pub const ADDRESSED_CUE: &str = "(addressed)";
pub const NOT_ADDRESSED_CUE: &str = "(not addressed)";

/// Between the sentence and its context: BERT's separator, which its tokenizer
/// reads as the special token.
pub const CONTEXT_SEPARATOR: &str = "[SEP]";

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Index of the entailment and contradiction labels, as the transformers
/// zero-shot pipeline finds them: entailment is the first label named
/// "entail…"; contradiction is label 0, or the last label when entailment is 0
/// (so two-label "entailment / not_entailment" models work too).
pub fn nli_label_ids(labels: &[String]) -> anyhow::Result<(usize, usize)> {
    let Some(entail) = labels
        .iter()
        .position(|l| l.to_ascii_lowercase().starts_with("entail"))
    else {
        bail!("its labels {labels:?} have no entailment label");
    };
    anyhow::ensure!(labels.len() >= 2, "it has a single label {labels:?}");
    let contradict = if entail == 0 { labels.len() - 1 } else { 0 };
    Ok((entail, contradict))
}

/// Wraps each mention in [`MARK_OPEN`]/[`MARK_CLOSE`] so the model knows which
/// words the party is.
pub fn mark_mentions(sentence: &str, mentions: &[Mention]) -> String {
    let mut out = String::with_capacity(sentence.len() + 4 * mentions.len());
    let mut at = 0;
    for m in mentions {
        if m.start < at
            || m.end > sentence.len()
            || !sentence.is_char_boundary(m.start)
            || !sentence.is_char_boundary(m.end)
        {
            continue; // overlapping or out-of-range spans cannot be marked; the text is kept as is
        }
        out.push_str(&sentence[at..m.start]);
        out.push_str(MARK_OPEN);
        out.push_str(&sentence[m.start..m.end]);
        out.push_str(MARK_CLOSE);
        at = m.end;
    }
    out.push_str(&sentence[at..]);
    out
}

#[cfg(test)]
mod tests;

/// A scorer for unit tests: a classifier that returns fixed logits.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Returns `logits` for every sequence of a batch.
    pub struct FixedLogits(pub Vec<f32>);

    impl SequenceClassifier for FixedLogits {
        fn logits(&self, batch: &Batch) -> anyhow::Result<crate::model::Logits> {
            Ok(vec![self.0.clone(); batch.len()])
        }
    }

    /// The mention of `name` at its first place in `sentence`.
    pub fn mention_of(sentence: &str, name: &str) -> Mention {
        let start = sentence.find(name).expect("name in sentence");
        Mention {
            text: name.to_string(),
            start,
            end: start + name.len(),
        }
    }

    /// A trained-kind scorer over [`FixedLogits`], with holder outputs.
    pub fn scorer(logits: Vec<f32>, temperature: [f32; NUM_LABELS]) -> Scorer {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/parity/bert/tokenizer.json");
        let tokenizer = configure_tokenizer(load_tokenizer(&path).unwrap(), 128).unwrap();
        let input = InputOptions {
            holder_outputs: true,
            ..Default::default()
        };
        Scorer::from_trained(
            "fixed",
            Box::new(FixedLogits(logits)),
            tokenizer,
            temperature,
            [0.5; NUM_LABELS],
            input,
        )
    }
}
