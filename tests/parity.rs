//! NLI parity: tiny random BERT, DeBERTa-v2/v3 and XLM-RoBERTa
//! sequence-classification models (made by scripts/make_parity_fixtures.py
//! with Python transformers) must give the same logits, tokens and zero-shot
//! scores in candle as in transformers.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device};
use serde_json::Value;
use stance::model::{load_sequence_classifier, Batch, Encoded, ModelDir};
use stance::parties::{Party, Templates};
use stance::score::{ScoreRequest, Scorer};

const TOLERANCE: f32 = 1e-4;

fn fixture(name: &str) -> (PathBuf, Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parity")
        .join(name);
    let expected =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    (dir, expected)
}

fn u32s(v: &Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect()
}

fn f32s(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// The unpadded sequence of row `i` of a padded batch.
fn unpad(ids: &Value, types: &Value, mask: &Value) -> Encoded {
    let keep: Vec<bool> = u32s(mask).iter().map(|&m| m == 1).collect();
    let pick = |v: Vec<u32>| {
        v.into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x)
            .collect::<Vec<_>>()
    };
    Encoded {
        ids: pick(u32s(ids)),
        type_ids: pick(u32s(types)),
        truncated: false,
    }
}

fn check_model(name: &str) {
    let (dir, expected) = fixture(name);
    let loaded =
        load_sequence_classifier(&ModelDir { dir: dir.clone() }, &Device::Cpu, DType::F32).unwrap();
    let labels: Vec<String> = (0..loaded.labels.len())
        .map(|i| {
            expected["id2label"][i.to_string()]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(loaded.labels, labels);

    // Each pair alone.
    let mut worst: f32 = 0.0;
    for pair in expected["pairs"].as_array().unwrap() {
        let seq = Encoded {
            ids: u32s(&pair["input_ids"]),
            type_ids: u32s(&pair["token_type_ids"]),
            truncated: false,
        };
        let logits = loaded.model.logits(&Batch::from_sequences([&seq])).unwrap();
        worst = worst.max(max_diff(&logits[0], &f32s(&pair["logits"])));
    }
    // All pairs as one padded batch (masking must not leak padding into real tokens).
    let batch = &expected["batch"];
    let rows = batch["input_ids"].as_array().unwrap().len();
    let seqs: Vec<Encoded> = (0..rows)
        .map(|i| {
            unpad(
                &batch["input_ids"][i],
                &batch["token_type_ids"][i],
                &batch["attention_mask"][i],
            )
        })
        .collect();
    let logits = loaded.model.logits(&Batch::from_sequences(&seqs)).unwrap();
    for (i, row) in logits.iter().enumerate() {
        worst = worst.max(max_diff(row, &f32s(&batch["logits"][i])));
    }
    println!("{name}: max |logit difference| vs transformers = {worst:.2e}");
    assert!(worst <= TOLERANCE, "{name}: logits differ by {worst}");
}

/// The tokenizer reproduces transformers' pair encoding.
fn check_tokenizer(name: &str) {
    let (dir, expected) = fixture(name);
    let tokenizer = stance::score::load_tokenizer(&dir.join("tokenizer.json")).unwrap();
    let tokenizer = stance::score::configure_tokenizer(tokenizer, 512).unwrap();
    for pair in expected["pairs"].as_array().unwrap() {
        let enc = stance::score::encode_pair(
            &tokenizer,
            pair["premise"].as_str().unwrap(),
            pair["hypothesis"].as_str().unwrap(),
        )
        .unwrap();
        assert_eq!(
            enc.ids,
            u32s(&pair["input_ids"]),
            "{name}: ids of {:?}",
            pair["premise"]
        );
        assert_eq!(
            enc.type_ids,
            u32s(&pair["token_type_ids"]),
            "{name}: type ids"
        );
    }
}

/// The zero-shot scorer gives the transformers zero-shot pipeline's multi-label scores.
fn check_zero_shot(name: &str) {
    let (dir, expected) = fixture(name);
    for case in expected["zero_shot"].as_array().unwrap() {
        // Every label uses the case's template, so each score is that candidate's.
        let template = case["hypothesis_template"]
            .as_str()
            .unwrap()
            .replace("{}", "{party}");
        let templates = Templates {
            condemn: template.clone(),
            support: template.clone(),
            ceasefire: template,
        };
        let scorer = Scorer::load(Some(dir.to_str().unwrap()), &Device::Cpu, &templates).unwrap();
        for label in case["candidate_labels"].as_array().unwrap() {
            let label = label.as_str().unwrap();
            let party = Party::new("x", label, vec![label.to_string()]);
            let request = ScoreRequest {
                sentence: case["sequence"].as_str().unwrap(),
                previous: "",
                party: &party,
                mentions: &[],
            };
            let scores = scorer.score(&[request]).unwrap()[0].labels;
            let want = case["scores"][label].as_f64().unwrap() as f32;
            for got in scores {
                assert!(
                    (got - want).abs() <= TOLERANCE,
                    "{name}: zero-shot {label}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn bert_parity() {
    check_model("bert");
    check_tokenizer("bert");
    check_zero_shot("bert");
}

#[test]
fn deberta_v3_parity() {
    check_model("deberta_v3");
    check_tokenizer("deberta_v3");
    check_zero_shot("deberta_v3");
}

#[test]
fn xlm_roberta_parity() {
    check_model("xlm_roberta");
    check_tokenizer("xlm_roberta");
    check_zero_shot("xlm_roberta");
}

/// DeBERTa-v2 checkpoints with the convolution layer are refused with a clear
/// message (candle-transformers does not implement that layer), never a panic.
#[test]
fn deberta_v2_conv_is_refused_clearly() {
    let (dir, _) = fixture("deberta_v2");
    let err = load_sequence_classifier(&ModelDir { dir }, &Device::Cpu, DType::F32)
        .err()
        .expect("must be refused");
    let message = format!("{err:#}");
    assert!(
        message.contains("conv_kernel_size") && message.contains("config.json"),
        "{message}"
    );
}
