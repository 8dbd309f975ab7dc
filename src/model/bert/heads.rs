//! Heads over the encoder: a Hugging Face `BertForSequenceClassification`
//! and the project's stance head (mean pooling, one output per label and
//! holder output).

use super::*;

/// Mean of the hidden states over real tokens: (batch, seq, h) → (batch, h).
pub fn mean_pool(hidden: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let mask = mask.unsqueeze(D::Minus1)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
    summed.broadcast_div(&counts)
}

/// Hugging Face's `BertForSequenceClassification`: pooler (dense + tanh on the
/// first token) and a linear classifier. Used for zero-shot NLI models.
pub struct BertClassifier {
    bert: BertModel,
    pooler: Dense,
    classifier: Dense,
    device: Device,
    dtype: DType,
}

impl BertClassifier {
    pub fn load(vb: VarBuilder, config: &BertConfig, num_labels: usize) -> Result<Self> {
        // Checkpoints saved from BertForSequenceClassification prefix the encoder with `bert.`.
        let encoder_vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb.clone()
        };
        let h = config.hidden_size;
        Ok(Self {
            pooler: Dense::load(encoder_vb.pp("pooler.dense"), h, h)?,
            bert: BertModel::load(encoder_vb, config)?,
            classifier: Dense::load(vb.pp("classifier"), h, num_labels)?,
            device: vb.device().clone(),
            dtype: vb.dtype(),
        })
    }
}

impl BertClassifier {
    /// The same classifier on the CPU inference path ([`super::cpu`]).
    pub fn to_cpu(&self) -> anyhow::Result<CpuClassifier> {
        Ok(CpuClassifier {
            encoder: self.bert.cpu_encoder()?,
            pooling: Pooling::FirstToken,
            pooler: Some(self.pooler.to_cpu()?),
            head: self.classifier.to_cpu()?,
        })
    }
}

impl SequenceClassifier for BertClassifier {
    fn logits(&self, batch: &Batch) -> anyhow::Result<Logits> {
        let input = PaddedInput::new(
            batch,
            self.bert.config.pad_token_id,
            self.dtype,
            &self.device,
        )?;
        let hidden = self.bert.forward(&input, Mode::Infer)?;
        let first = hidden.narrow(1, 0, 1)?.squeeze(1)?;
        let pooled = self.pooler.forward(&first)?.tanh()?;
        Ok(self
            .classifier
            .forward(&pooled)?
            .to_dtype(DType::F32)?
            .to_vec2()?)
    }
}

/// The project's trained stance model: the BERT encoder over
/// "party [SEP] sentence", mean-pooled, and one logit per label.
#[derive(Clone)]
pub struct StanceHead {
    pub bert: BertModel,
    pub head: Dense,
    pub device: Device,
    pub dtype: DType,
}

pub const HEAD_PREFIX: &str = "stance_head";

impl StanceHead {
    pub fn load(vb: VarBuilder, config: &BertConfig, num_labels: usize) -> Result<Self> {
        Ok(Self {
            bert: BertModel::load(vb.clone(), config)?,
            head: Dense::load(vb.pp(HEAD_PREFIX), config.hidden_size, num_labels)?,
            device: vb.device().clone(),
            dtype: vb.dtype(),
        })
    }

    /// Logits of the head from the encoder's hidden states: mean pooling over
    /// the mask, dropout when training, then the linear head.
    pub fn head_logits(&self, hidden: &Tensor, mask: &Tensor, mode: Mode) -> Result<Tensor> {
        let pooled = mode.dropout(&mean_pool(hidden, mask)?)?;
        self.head.forward(&pooled)
    }

    /// Makes layers `from..` and the head trainable; returns the variables by checkpoint name.
    pub fn trainable(&mut self, from: usize) -> Result<Vec<(String, Var)>> {
        let mut vars = self.bert.trainable_layers(from)?;
        self.head.params(HEAD_PREFIX, &mut vars)?;
        Ok(vars)
    }

    /// A copy of the current weights on the CPU inference path ([`super::cpu`]).
    pub fn to_cpu(&self) -> anyhow::Result<CpuClassifier> {
        Ok(CpuClassifier {
            encoder: self.bert.cpu_encoder()?,
            pooling: Pooling::Mean,
            pooler: None,
            head: self.head.to_cpu()?,
        })
    }

    pub fn pad(&self, batch: &Batch) -> Result<PaddedInput> {
        PaddedInput::new(
            batch,
            self.bert.config.pad_token_id,
            self.dtype,
            &self.device,
        )
    }
}

impl SequenceClassifier for StanceHead {
    fn logits(&self, batch: &Batch) -> anyhow::Result<Logits> {
        let input = self.pad(batch)?;
        let hidden = self.bert.forward(&input, Mode::Infer)?;
        Ok(self
            .head_logits(&hidden, &input.mask, Mode::Infer)?
            .to_dtype(DType::F32)?
            .to_vec2()?)
    }
}
