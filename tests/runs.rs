//! Runs that must not be spliced or mistaken for failures: a `--resume`
//! after the model changed in place is refused with nothing written; a
//! consumer that closes the pipe stops `stance score` quietly with status 141;
//! `stance eval`'s files appear whole, next to same-stem outputs.

mod reliability_support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use candle_core::{Device, Tensor};
use reliability_support::{assert_error, assert_success, repo, sibling, stderr, write_dump, BIN};

/// A trained-format stance model directory over the tiny BERT fixture: the
/// fixture's encoder with a small random head, and `thresholds`.
fn tiny_trained_model(dir: &Path, thresholds: [f32; 3]) -> PathBuf {
    let model = dir.join("model");
    fs::create_dir_all(&model).unwrap();
    let weights: Vec<f32> = (0..3 * 32)
        .map(|i| ((i * 37 % 17) as f32 - 8.0) / 20.0)
        .collect();
    let tensors = [
        (
            "stance_head.weight".to_string(),
            Tensor::from_vec(weights, (3, 32), &Device::Cpu).unwrap(),
        ),
        (
            "stance_head.bias".to_string(),
            Tensor::from_vec(vec![0.1f32, -0.2, 0.05], 3, &Device::Cpu).unwrap(),
        ),
    ];
    candle_core::safetensors::save(
        &tensors.into_iter().collect(),
        model.join("trained.safetensors"),
    )
    .unwrap();
    let spec = serde_json::json!({
        "format": "stance-cross-encoder/1",
        "name": "tiny-trained",
        "encoder": repo("tests/fixtures/parity/bert").display().to_string(),
        "weights": "trained.safetensors",
        "trained_from_layer": 0,
        "labels": ["condemn", "support", "ceasefire"],
        "thresholds": thresholds,
        "temperature": [1.0, 1.0, 1.0],
        "max_length": 128
    });
    fs::write(
        model.join("stance_model.json"),
        serde_json::to_string_pretty(&spec).unwrap(),
    )
    .unwrap();
    model
}

fn score_with(model: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("score")
        .args(args)
        .args(["--model", model.to_str().unwrap(), "--quiet"]);
    cmd.env("HF_HUB_OFFLINE", "1")
        .env("CANDLE_NUM_THREADS", "1");
    cmd
}

fn records_done(out: &Path) -> u64 {
    fs::read(sibling(out, ".state.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|s| s["records_done"].as_u64())
        .unwrap_or(0)
}

#[test]
fn resume_after_the_model_changed_in_place_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_dump(&dump, 3000, 11, None);
    let model = tiny_trained_model(dir.path(), [0.5, 0.5, 0.5]);
    let out = dir.path().join("out.jsonl");

    // Kill a run once it has committed a checkpoint.
    let mut child = score_with(
        &model,
        &[dump.to_str().unwrap(), "-o", out.to_str().unwrap()],
    )
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let started = Instant::now();
    while records_done(&out) == 0 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        records_done(&out) > 0,
        "the run committed a checkpoint before the kill"
    );
    let partial = fs::read(sibling(&out, ".partial")).unwrap();
    let resume = |extra: &[&str]| {
        let args = [
            &[
                dump.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--resume",
            ][..],
            extra,
        ]
        .concat();
        score_with(&model, &args).output().unwrap()
    };

    // The model is retrained in place: same directory and name, new thresholds.
    tiny_trained_model(dir.path(), [0.3, 0.5, 0.5]);
    let resumed = resume(&[]);
    assert_error(
        &resumed,
        &["cannot resume", "a different model", "to start over"],
    );
    assert!(!out.exists(), "no output was published");
    assert_eq!(
        fs::read(sibling(&out, ".partial")).unwrap(),
        partial,
        "the partial rows were left as they were"
    );

    // Other parties are refused the same way, naming them.
    let parties = dir.path().join("parties.toml");
    let builtin = fs::read_to_string(repo("config/parties.toml")).unwrap();
    fs::write(&parties, builtin.replace("\"Kremlin\",", "")).unwrap();
    tiny_trained_model(dir.path(), [0.5, 0.5, 0.5]);
    let other_parties = resume(&["--parties", parties.to_str().unwrap()]);
    assert_error(&other_parties, &["used different parties"]);

    // With the original model back, the resumed run completes, identical to an uninterrupted one.
    let resumed = resume(&[]);
    assert_success(&resumed);
    let reference = dir.path().join("reference.jsonl");
    assert_success(
        &score_with(
            &model,
            &[dump.to_str().unwrap(), "-o", reference.to_str().unwrap()],
        )
        .output()
        .unwrap(),
    );
    assert!(fs::read(&out).unwrap() == fs::read(&reference).unwrap());
}

#[test]
fn a_closed_pipe_stops_quietly_with_status_141() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_dump(&dump, 400, 5, None);
    let model = repo("tests/fixtures/parity/bert");
    let mut child = score_with(&model, &[dump.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, as `| head -1` does, then close the pipe.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"doc_id\""), "{first}");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(141), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "nothing on standard error");
}

#[test]
fn eval_outputs_with_one_stem_both_appear_and_leave_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let (articles, gold) = (
        repo("datasets/dev/articles.jsonl"),
        repo("datasets/dev/gold.jsonl"),
    );
    let (report, predictions) = (dir.path().join("dev.json"), dir.path().join("dev.jsonl"));
    let run = std::process::Command::new(BIN)
        .args([
            "eval",
            "--articles",
            articles.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ])
        .args([
            "--model",
            repo("tests/fixtures/parity/bert").to_str().unwrap(),
        ])
        .args([
            "--json",
            report.to_str().unwrap(),
            "--predictions",
            predictions.to_str().unwrap(),
        ])
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    assert_success(&run);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert!(json["holder"]["rows"].as_u64().unwrap() > 0);
    assert!(fs::read_to_string(&predictions).unwrap().lines().count() > 100);
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["dev.json", "dev.jsonl"]);
}
