//! DeBERTa-v2/v3 sequence classification, through candle-transformers.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::debertav2::{Config, DebertaV2SeqClassificationModel};

use super::{Batch, Logits, SequenceClassifier};

pub struct DebertaClassifier {
    model: DebertaV2SeqClassificationModel,
    pad_id: u32,
    uses_token_types: bool,
    device: Device,
}

impl DebertaClassifier {
    pub fn load(
        vb: VarBuilder,
        config: &Config,
        num_labels: usize,
        device: &Device,
    ) -> anyhow::Result<Self> {
        // candle sizes the classifier from the config's id2label; ours must agree.
        let config_labels = config.id2label.as_ref().map_or(0, |m| m.len());
        anyhow::ensure!(
            config_labels == num_labels,
            "id2label has {config_labels} labels, expected {num_labels}"
        );
        // candle's model takes the `deberta.` prefix for the encoder and the root for pooler/classifier.
        let model = DebertaV2SeqClassificationModel::load(vb.pp("deberta"), config, None)?;
        Ok(Self {
            model,
            pad_id: config.pad_token_id.unwrap_or(0) as u32,
            uses_token_types: config.type_vocab_size > 0,
            device: device.clone(),
        })
    }
}

/// Fills what candle needs and transformers defaults (`config.json` as JSON).
pub fn complete_config(raw: &mut serde_json::Value) {
    if let Some(obj) = raw.as_object_mut() {
        let hidden = obj
            .get("hidden_size")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        obj.entry("pooler_hidden_size").or_insert(hidden);
        obj.entry("pooler_dropout").or_insert(0.0.into());
        obj.entry("pooler_hidden_act").or_insert("gelu".into());
        if obj.get("pos_att_type").is_none_or(|v| v.is_null()) {
            obj.insert("pos_att_type".into(), serde_json::Value::Array(vec![]));
        }
    }
}

/// candle-transformers 0.11 leaves DeBERTa-v2's convolution layer
/// unimplemented (it would panic at the first forward pass): such
/// checkpoints are refused up front.
pub fn check_supported(config: &Config) -> anyhow::Result<()> {
    anyhow::ensure!(
        config.conv_kernel_size.unwrap_or(0) == 0,
        "DeBERTa-v2 checkpoints with a convolution layer (conv_kernel_size > 0, e.g. deberta-v2-xlarge) are not supported yet; DeBERTa-v3 models (no convolution) are"
    );
    Ok(())
}

impl SequenceClassifier for DebertaClassifier {
    fn logits(&self, batch: &Batch) -> anyhow::Result<Logits> {
        let (ids, types, mask) = batch.padded(self.pad_id);
        let shape = (batch.len(), batch.max_length);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let types = if self.uses_token_types {
            Some(Tensor::from_vec(types, shape, &self.device)?)
        } else {
            None
        };
        let mask = Tensor::from_vec(mask, shape, &self.device)?.to_dtype(DType::I64)?;
        Ok(self
            .model
            .forward(&ids, types, Some(mask))?
            .to_dtype(DType::F32)?
            .to_vec2()?)
    }
}
