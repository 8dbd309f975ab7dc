//! Classification heads on top of [`CpuEncoder`]: the project's stance model
//! (mean pooling, one linear layer) and Hugging Face's
//! `BertForSequenceClassification` (first token, dense + tanh pooler, linear).

use super::matmul::matmul;
use super::{CpuEncoder, Linear};
use crate::model::{Batch, Logits, SequenceClassifier};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// Mean over the tokens (the stance model, sentence-transformers).
    Mean,
    /// The `[CLS]` token through BERT's dense + tanh pooler.
    FirstToken,
}

pub struct CpuClassifier {
    pub encoder: CpuEncoder,
    pub pooling: Pooling,
    /// BERT's pooler (dense + tanh), used with [`Pooling::FirstToken`].
    pub pooler: Option<Linear>,
    pub head: Linear,
}

impl CpuClassifier {
    /// `(batch × out)` = `xs · layer + bias`.
    fn dense(xs: &[f32], layer: &Linear) -> Vec<f32> {
        let mut out = vec![0f32; xs.len() / layer.weight.in_dim * layer.weight.out_dim];
        matmul(xs, &layer.weight, &mut out);
        for row in out.chunks_exact_mut(layer.weight.out_dim) {
            row.iter_mut().zip(&layer.bias).for_each(|(y, &b)| *y += b);
        }
        out
    }
}

impl SequenceClassifier for CpuClassifier {
    fn logits(&self, batch: &Batch) -> anyhow::Result<Logits> {
        let hidden = self.encoder.forward(batch)?;
        let pooled = match self.pooling {
            Pooling::Mean => hidden.mean_pool(),
            Pooling::FirstToken => hidden.first_tokens(),
        };
        let pooled = match &self.pooler {
            Some(pooler) => Self::dense(&pooled, pooler)
                .into_iter()
                .map(f32::tanh)
                .collect(),
            None => pooled,
        };
        let logits = Self::dense(&pooled, &self.head);
        Ok(logits
            .chunks(self.head.weight.out_dim)
            .map(<[f32]>::to_vec)
            .collect())
    }
}
