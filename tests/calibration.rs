//! The logit offset of a model trained with a positive weight: scores move
//! by the prior correction, labels stay where training decided them (the
//! raw logit 0) when the thresholds are the ones training ships.
//! Needs the default model and its encoder (`make setup`).

mod reliability_support;

use std::fs;
use std::path::Path;
use std::process::Command;

use reliability_support::{repo, BIN};

fn score(model: &Path, out: &Path) -> Vec<serde_json::Value> {
    let run = Command::new(BIN)
        .args(["score", repo("datasets/samples").to_str().unwrap(), "-o"])
        .arg(out)
        .args(["--quiet", "--model"])
        .arg(model)
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    fs::read_to_string(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

#[test]
fn an_offset_shifts_scores_and_its_thresholds_keep_the_raw_decision() {
    let original = repo("models/stance-minilm");
    let dir = tempfile::tempdir().unwrap();
    let shifted = dir.path().join("shifted");
    fs::create_dir_all(&shifted).unwrap();
    for file in ["stance_model.json", "trained.safetensors"] {
        fs::copy(original.join(file), shifted.join(file)).unwrap();
    }
    let spec_path = shifted.join("stance_model.json");
    let mut spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&spec_path).unwrap()).unwrap();
    let temperature: Vec<f64> = serde_json::from_value(spec["temperature"].clone()).unwrap();
    let before: Vec<f64> = serde_json::from_value(spec["thresholds"].clone()).unwrap();
    assert_eq!(before, [0.5; 3], "the default model decides at 0.5");
    let offset = 2f64.ln();
    // What `stance train --positive-weight 2` ships: sigmoid(-ln 2 / T).
    let thresholds: Vec<f64> = temperature
        .iter()
        .map(|t| 1.0 / (1.0 + (offset / t).exp()))
        .collect();
    spec["logit_offset"] = serde_json::json!([offset, offset, offset]);
    spec["thresholds"] = serde_json::json!(thresholds);
    fs::write(&spec_path, spec.to_string()).unwrap();

    let a = score(&original, &dir.path().join("a.jsonl"));
    let b = score(&shifted, &dir.path().join("b.jsonl"));
    assert_eq!(a.len(), b.len());
    let mut moved = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["labels"], y["labels"], "{x} vs {y}");
        assert_eq!(x["holder"], y["holder"]);
        for (l, label) in ["condemn", "support", "ceasefire"].iter().enumerate() {
            let (p, q) = (x[label].as_f64().unwrap(), y[label].as_f64().unwrap());
            if (0.02..0.98).contains(&p) {
                let expected = logit(p) - offset / temperature[l];
                assert!(
                    (logit(q) - expected).abs() < 0.05,
                    "{label}: {p} -> {q}, expected logit {expected}"
                );
                moved += 1;
            }
            assert!(q <= p, "{label}: the correction lowers scores ({p} -> {q})");
        }
    }
    assert!(moved > 50, "too few scores in the checked range ({moved})");
}
