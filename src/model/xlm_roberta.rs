//! XLM-RoBERTa (and RoBERTa) sequence classification, through candle-transformers.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::xlm_roberta::{Config, XLMRobertaForSequenceClassification};

use super::{Batch, Logits, SequenceClassifier};

pub struct XlmRobertaClassifier {
    model: XLMRobertaForSequenceClassification,
    pad_id: u32,
    /// RoBERTa models have one token type: every id must be 0.
    single_token_type: bool,
    device: Device,
    dtype: DType,
}

impl XlmRobertaClassifier {
    pub fn load(
        vb: VarBuilder,
        config: &Config,
        num_labels: usize,
        device: &Device,
    ) -> anyhow::Result<Self> {
        let dtype = vb.dtype();
        let model = XLMRobertaForSequenceClassification::new(num_labels, config, vb)?;
        Ok(Self {
            model,
            pad_id: config.pad_token_id,
            single_token_type: config.type_vocab_size <= 1,
            device: device.clone(),
            dtype,
        })
    }
}

/// Fills what older configs omit with transformers' defaults (`config.json` as JSON).
pub fn complete_config(raw: &mut serde_json::Value) {
    if let Some(obj) = raw.as_object_mut() {
        obj.entry("position_embedding_type")
            .or_insert("absolute".into());
        obj.entry("attention_probs_dropout_prob")
            .or_insert(0.1.into());
        obj.entry("hidden_dropout_prob").or_insert(0.1.into());
    }
}

impl SequenceClassifier for XlmRobertaClassifier {
    fn logits(&self, batch: &Batch) -> anyhow::Result<Logits> {
        let (ids, types, mask) = batch.padded(self.pad_id);
        let shape = (batch.len(), batch.max_length);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let types = if self.single_token_type {
            vec![0u32; types.len()]
        } else {
            types
        };
        let types = Tensor::from_vec(types, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?.to_dtype(self.dtype)?;
        Ok(self
            .model
            .forward(&ids, &mask, &types)?
            .to_dtype(DType::F32)?
            .to_vec2()?)
    }
}
