//! Broken model directories: every one is a clear error (exit status 1)
//! whose message names the file at fault, never a panic. Each case copies
//! the tiny BERT NLI fixture into a temporary directory and breaks one file.

mod reliability_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reliability_support::{assert_error, repo, BIN};

/// A copy of a parity fixture model (`bert`, `deberta_v3`, ...) in `dir`.
fn copy_fixture(name: &str, dir: &Path) -> PathBuf {
    let model = dir.join(name);
    fs::create_dir_all(&model).unwrap();
    for entry in fs::read_dir(repo(&format!("tests/fixtures/parity/{name}"))).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), model.join(entry.file_name())).unwrap();
    }
    model
}

/// `stance score` of one small article with `--model MODEL`.
fn score_with(model: &Path) -> Output {
    let dir = model.parent().unwrap();
    let input = dir.join("in.jsonl");
    fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"Israel condemned Hamas.\"}\n",
    )
    .unwrap();
    Command::new(BIN)
        .args([
            "score",
            input.to_str().unwrap(),
            "-o",
            dir.join("out.jsonl").to_str().unwrap(),
            "--quiet",
            "--model",
            model.to_str().unwrap(),
        ])
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap()
}

/// Breaks one file of a fresh fixture copy with `damage`, then checks that
/// scoring fails naming that file and each of `parts`.
fn check_broken(file: &str, damage: impl FnOnce(&Path), parts: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let model = copy_fixture("bert", dir.path());
    damage(&model.join(file));
    let run = score_with(&model);
    let named = model.join(file).display().to_string();
    assert_error(&run, &[&[named.as_str()][..], parts].concat());
    assert!(!dir.path().join("out.jsonl").exists());
}

fn truncate(path: &Path, len: u64) {
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// Overwrites bytes of a file from `at` on.
fn overwrite(path: &Path, at: usize, bytes: &[u8]) {
    let mut data = fs::read(path).unwrap();
    data[at..at + bytes.len()].copy_from_slice(bytes);
    fs::write(path, data).unwrap();
}

#[test]
fn the_intact_fixture_scores() {
    let dir = tempfile::tempdir().unwrap();
    let model = copy_fixture("bert", dir.path());
    let run = score_with(&model);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn truncated_safetensors() {
    let half = |p: &Path| truncate(p, fs::metadata(p).unwrap().len() / 2);
    check_broken("model.safetensors", half, &["not a valid safetensors file"]);
    // Shorter than the 8-byte header length, and empty.
    check_broken(
        "model.safetensors",
        |p| truncate(p, 5),
        &["not a valid safetensors file"],
    );
    check_broken(
        "model.safetensors",
        |p| truncate(p, 0),
        &["not a valid safetensors file"],
    );
}

#[test]
fn corrupt_safetensors() {
    // A header length far beyond the file, then a header that is not JSON.
    check_broken(
        "model.safetensors",
        |p| overwrite(p, 0, &u64::MAX.to_le_bytes()),
        &["not a valid safetensors file"],
    );
    check_broken(
        "model.safetensors",
        |p| overwrite(p, 8, b"\xff\x00garbage{{{"),
        &["not a valid safetensors file"],
    );
    // Random bytes.
    check_broken(
        "model.safetensors",
        |p| {
            fs::write(
                p,
                (0..5000u32)
                    .map(|i| (i * 7919 % 251) as u8)
                    .collect::<Vec<_>>(),
            )
            .unwrap()
        },
        &["not a valid safetensors file"],
    );
}

/// Fills every f32 of the tensors whose names start with `prefix` with NaN.
fn nan_tensors(path: &Path, prefix: &str) {
    let mut data = fs::read(path).unwrap();
    let header_len = u64::from_le_bytes(data[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&data[8..8 + header_len]).unwrap();
    for (name, info) in header.as_object().unwrap() {
        if name.starts_with(prefix) && info["dtype"] == "F32" {
            let offsets = info["data_offsets"].as_array().unwrap();
            let (from, to) = (
                offsets[0].as_u64().unwrap() as usize,
                offsets[1].as_u64().unwrap() as usize,
            );
            for value in data[8 + header_len + from..8 + header_len + to].chunks_exact_mut(4) {
                value.copy_from_slice(&f32::NAN.to_le_bytes());
            }
        }
    }
    fs::write(path, data).unwrap();
}

#[test]
fn nan_weights() {
    // Structurally valid, but the classifier's weights are NaN (damaged
    // data): refused at load time instead of scoring NaN.
    check_broken(
        "model.safetensors",
        |p| nan_tensors(p, "classifier"),
        &["corrupt weights", "classifier", "NaN"],
    );
}

#[test]
fn weights_of_another_model() {
    // A valid safetensors file whose tensors do not fit the config.
    let other = repo("tests/fixtures/parity/xlm_roberta/model.safetensors");
    check_broken(
        "model.safetensors",
        |p| {
            fs::copy(&other, p).unwrap();
        },
        &["cannot build a bert model"],
    );
}

#[test]
fn missing_or_corrupt_tokenizer() {
    check_broken(
        "tokenizer.json",
        |p| fs::remove_file(p).unwrap(),
        &["missing"],
    );
    check_broken(
        "tokenizer.json",
        |p| truncate(p, 100),
        &["not a usable tokenizer.json"],
    );
    check_broken(
        "tokenizer.json",
        |p| fs::write(p, b"\0\xff").unwrap(),
        &["not a usable tokenizer.json"],
    );
}

#[test]
fn unsupported_or_broken_config() {
    let set_model_type = |p: &Path| {
        let mut config: serde_json::Value = serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
        config["model_type"] = "gpt2".into();
        config["architectures"] = serde_json::json!(["GPT2ForSequenceClassification"]);
        fs::write(p, config.to_string()).unwrap();
    };
    check_broken(
        "config.json",
        set_model_type,
        &["\"gpt2\" is not supported"],
    );
    check_broken("config.json", |p| fs::remove_file(p).unwrap(), &["missing"]);
    check_broken("config.json", |p| truncate(p, 40), &["not valid JSON"]);
    let no_labels = |p: &Path| {
        let mut config: serde_json::Value = serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
        config.as_object_mut().unwrap().remove("id2label");
        fs::write(p, config.to_string()).unwrap();
    };
    check_broken("config.json", no_labels, &["not a classification model"]);
}

#[test]
fn missing_weights() {
    check_broken(
        "model.safetensors",
        |p| fs::remove_file(p).unwrap(),
        &["missing"],
    );
}

#[test]
fn broken_trained_model_description_or_weights() {
    // A trained stance model directory on the fixture encoder: its
    // description and its own weights file, each broken.
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("bert", dir.path());
    let model = dir.path().join("trained");
    fs::create_dir_all(&model).unwrap();
    let spec = serde_json::json!({
        "format": "stance-cross-encoder/1", "name": "broken", "encoder": "../bert",
        "weights": "trained.safetensors", "trained_from_layer": 0,
        "labels": ["condemn", "support", "ceasefire"], "thresholds": [0.5, 0.5, 0.5],
        "temperature": [1.0, 1.0, 1.0], "max_length": 64,
    });
    fs::write(model.join("stance_model.json"), spec.to_string()).unwrap();
    let weights = model.join("trained.safetensors");

    let run = score_with(&model);
    assert_error(&run, &[weights.to_str().unwrap(), "cannot read weights"]);

    fs::write(&weights, b"\x10\x00\x00\x00\x00\x00\x00\x00{\"a\": ").unwrap();
    let run = score_with(&model);
    assert_error(
        &run,
        &[weights.to_str().unwrap(), "not a valid safetensors file"],
    );

    fs::write(
        model.join("stance_model.json"),
        "{\"format\": \"stance-cross-encoder/1\", ",
    )
    .unwrap();
    let run = score_with(&model);
    assert_error(
        &run,
        &[
            model.join("stance_model.json").to_str().unwrap(),
            "not a valid stance model description",
        ],
    );
}
