//! Trained fold models kept between cross-validation runs (`--cv-models`).
//!
//! A fold's model depends only on its training examples, its recipe, its
//! seed and the encoder; the rules after the model do not touch it. Kept,
//! a new rule is measured out of fold by scoring the held-out articles
//! again (a minute) instead of training every fold again (an hour). A fold
//! is reused only when a fingerprint of everything its training reads is
//! the one it was trained with; anything else trains it afresh and
//! replaces it.

use sha2::{Digest, Sha256};

use super::*;
use crate::model::load::{load_stance_head, StanceModelSpec};

/// Bump when `fine_tune` learns something else from the same examples,
/// recipe and seed: the fingerprint cannot see a change of the code.
const TRAINING_CODE: &str = "stance-fold/1";

/// What a kept fold records besides its weights.
#[derive(Debug, Serialize, Deserialize)]
struct FoldRecord {
    fingerprint: String,
    final_train_loss: f64,
    /// Seconds the fold's training took when it was trained.
    training_seconds: f64,
}

/// One fold's place in the `--cv-models` directory and the fingerprint of
/// the training it stands for.
pub(super) struct FoldCache {
    dir: PathBuf,
    fingerprint: String,
}

/// A fold model read back from the cache.
pub(super) struct KeptFold {
    pub(super) head: StanceHead,
    pub(super) final_train_loss: f64,
    pub(super) training_seconds: f64,
}

const RECORD_FILE: &str = "fold.json";

impl FoldCache {
    /// Fold `fold` of `root`, for training on `train` with `seed` and
    /// scoring the articles `held_out`.
    pub(super) fn new(
        root: &Path,
        fold: usize,
        opts: &TrainOptions,
        setup: &Setup,
        (train, seed): (&[Example], u64),
        held_out: &[String],
    ) -> anyhow::Result<FoldCache> {
        Ok(FoldCache {
            dir: root.join(format!("fold-{}", fold + 1)),
            fingerprint: fingerprint(opts, setup, (train, seed), held_out)?,
        })
    }

    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The kept model when its fingerprint matches; None when there is
    /// none or it was trained from something else. A matching record whose
    /// weights cannot be read is an error naming the file, not a retrain.
    pub(super) fn load(
        &self,
        opts: &TrainOptions,
        setup: &Setup,
    ) -> anyhow::Result<Option<KeptFold>> {
        let record_path = self.dir.join(RECORD_FILE);
        let Ok(text) = std::fs::read_to_string(&record_path) else {
            return Ok(None);
        };
        let record: FoldRecord = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a fold record", record_path.display()))?;
        if record.fingerprint != self.fingerprint {
            return Ok(None);
        }
        let spec = StanceModelSpec::read(&self.dir)?;
        anyhow::ensure!(
            spec.outputs() == opts.input.outputs(),
            "{}: {} outputs, the recipe has {}",
            self.dir.display(),
            spec.outputs(),
            opts.input.outputs()
        );
        let (head, _) =
            load_stance_head(&spec, &self.dir, &setup.encoder, &setup.device, DType::F32)?;
        Ok(Some(KeptFold {
            head,
            final_train_loss: record.final_train_loss,
            training_seconds: record.training_seconds,
        }))
    }

    /// Keeps a freshly trained fold: weights in f32 (the scores of a reused
    /// fold are the ones it gave in memory), the record last, so that an
    /// interrupted write leaves no record that vouches for it.
    pub(super) fn store(
        &self,
        opts: &TrainOptions,
        weights: &HashMap<String, Tensor>,
        final_train_loss: f64,
        training_seconds: f64,
    ) -> anyhow::Result<()> {
        let record_path = self.dir.join(RECORD_FILE);
        if record_path.exists() {
            std::fs::remove_file(&record_path)
                .with_context(|| format!("{}: cannot remove", record_path.display()))?;
        }
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create", self.dir.display()))?;
        save_as(opts, &self.dir, weights, DType::F32)?;
        let record = FoldRecord {
            fingerprint: self.fingerprint.clone(),
            final_train_loss,
            training_seconds,
        };
        let partial = self.dir.join(format!("{RECORD_FILE}.partial"));
        std::fs::write(&partial, serde_json::to_string_pretty(&record)? + "\n")
            .with_context(|| format!("{}: cannot write", partial.display()))?;
        std::fs::rename(&partial, &record_path)
            .with_context(|| format!("{}: cannot write", record_path.display()))
    }
}

/// SHA-256 over everything a fold's training reads: the training code's
/// version, the recipe, the seed, the held-out articles, every example's
/// input ids, targets and loss weights, and the encoder's files.
fn fingerprint(
    opts: &TrainOptions,
    setup: &Setup,
    (train, seed): (&[Example], u64),
    held_out: &[String],
) -> anyhow::Result<String> {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(TRAINING_CODE.as_bytes());
    // Where the run writes and how its folds are reported do not change
    // what a fold learns (folds never look at dev).
    let mut recipe = serde_json::to_value(opts)?;
    if let Some(map) = recipe.as_object_mut() {
        for key in ["out_dir", "dev_dir", "cv_figures_only"] {
            map.remove(key);
        }
    }
    field(recipe.to_string().as_bytes());
    field(&seed.to_le_bytes());
    for id in held_out {
        field(id.as_bytes());
    }
    let mut numbers = Vec::new();
    for example in train {
        numbers.clear();
        for encoded in std::iter::once(&example.input).chain(&example.swapped) {
            numbers.extend(
                encoded
                    .ids
                    .iter()
                    .chain(&encoded.type_ids)
                    .flat_map(|v| v.to_le_bytes()),
            );
            numbers.push(u8::from(encoded.truncated));
        }
        numbers.extend(
            example
                .target
                .iter()
                .chain(&example.weight)
                .flat_map(|v| v.to_bits().to_le_bytes()),
        );
        field(&numbers);
    }
    let encoder_files = ["config.json", "tokenizer.json", "model.safetensors"]
        .iter()
        .map(|name| setup.encoder.file(name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    field(crate::model::content_digest(&encoder_files)?.as_bytes());
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
