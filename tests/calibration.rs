//! The logit offset of a model trained with a positive weight (the default
//! model: `--positive-weight 2`): scores move by the prior correction, labels
//! stay where training decided them (the raw logit 0) with the thresholds
//! training ships.
//! Needs the default model and its encoder (`make setup`).

mod reliability_support;

use std::fs;
use std::path::Path;
use std::process::Command;

use reliability_support::{repo, BIN};
use stance::score::rules::{
    CONDEMNED_OBJECT_PROBABILITY, RENOUNCED_FORCE_PROBABILITY, SUPPORTED_OBJECT_PROBABILITY,
};
use stance::types::round_score;

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
fn the_shipped_offset_shifts_scores_and_keeps_the_raw_decision() {
    // The default model as shipped, and the same weights without the offset
    // (thresholds 0.5: the decision at the raw logit 0 with no correction).
    let shipped = repo("models/stance-minilm");
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw");
    fs::create_dir_all(&raw).unwrap();
    for file in ["stance_model.json", "trained.safetensors"] {
        fs::copy(shipped.join(file), raw.join(file)).unwrap();
    }
    let spec_path = raw.join("stance_model.json");
    let mut spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&spec_path).unwrap()).unwrap();
    let temperature: Vec<f64> = serde_json::from_value(spec["temperature"].clone()).unwrap();
    let offset: Vec<f64> = serde_json::from_value(spec["logit_offset"].clone()).unwrap();
    let thresholds: Vec<f64> = serde_json::from_value(spec["thresholds"].clone()).unwrap();
    for l in 0..3 {
        // What `stance train` ships without cross-validation: sigmoid(-offset / T).
        let at_raw_zero = 1.0 / (1.0 + (offset[l] / temperature[l]).exp());
        assert!(
            (thresholds[l] - at_raw_zero).abs() < 1e-5,
            "label {l}: threshold {} is not the raw logit 0 ({at_raw_zero})",
            thresholds[l]
        );
    }
    spec["logit_offset"] = serde_json::json!([0.0, 0.0, 0.0]);
    spec["thresholds"] = serde_json::json!([0.5, 0.5, 0.5]);
    fs::write(&spec_path, spec.to_string()).unwrap();

    let a = score(&raw, &dir.path().join("a.jsonl"));
    let b = score(&shipped, &dir.path().join("b.jsonl"));
    assert_eq!(a.len(), b.len());
    let mut checked = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["labels"], y["labels"], "{x} vs {y}");
        assert_eq!(x["holder"], y["holder"]);
        for (l, label) in ["condemn", "support", "ceasefire"].iter().enumerate() {
            let (p, q) = (x[label].as_f64().unwrap(), y[label].as_f64().unwrap());
            // A score a rule raised is the rule's floor, not the model's.
            let floor = [
                CONDEMNED_OBJECT_PROBABILITY,
                SUPPORTED_OBJECT_PROBABILITY,
                RENOUNCED_FORCE_PROBABILITY,
            ][l];
            let by_rule = q == round_score(floor);
            if (0.02..0.98).contains(&p) && (0.02..0.98).contains(&q) && !by_rule {
                let expected = logit(p) - offset[l] / temperature[l];
                assert!(
                    (logit(q) - expected).abs() < 0.05,
                    "{label}: {p} -> {q}, expected logit {expected}"
                );
                checked += 1;
            }
            assert!(q <= p, "{label}: the correction lowers scores ({p} -> {q})");
        }
    }
    assert!(
        checked > 50,
        "too few scores in the checked range ({checked})"
    );
}
