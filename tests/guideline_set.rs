//! The guideline training set (`datasets/guideline/`) is what its generator
//! writes, and its templates are not the behaviour suite's: the suite must
//! keep measuring rules the model learnt, not sentences it was trained on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn generator(args: &[&str]) -> String {
    let run = Command::new("python3")
        .arg(repo("scripts/make_guideline_set.py"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

/// A template with its slot names replaced by one placeholder, lower case,
/// without punctuation: two templates that differ only in slot names or
/// punctuation compare equal.
fn shape(template: &str) -> String {
    let mut out = String::new();
    let mut in_slot = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_slot = true;
                out.push('X');
            }
            '}' => in_slot = false,
            _ if in_slot => {}
            c if c.is_alphanumeric() || c == ' ' => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_committed_set_is_the_generators_output() {
    let dir = tempfile::tempdir().unwrap();
    generator(&[dir.path().to_str().unwrap()]);
    for file in ["articles.jsonl", "gold.jsonl"] {
        let fresh = std::fs::read(dir.path().join(file)).unwrap();
        let committed = std::fs::read(repo("datasets/guideline").join(file)).unwrap();
        assert!(
            fresh == committed,
            "datasets/guideline/{file} differs from `python3 scripts/make_guideline_set.py`"
        );
    }
}

#[test]
fn no_guideline_template_is_a_behaviour_template() {
    let read = |file: &str| -> toml::Value {
        toml::from_str(&std::fs::read_to_string(repo(file)).unwrap()).unwrap()
    };
    let suite = read("tests/behaviour/suite.toml");
    let paraphrase = read("tests/behaviour/paraphrase.toml");
    let suite_shapes: BTreeSet<String> = [&suite, &paraphrase]
        .iter()
        .flat_map(|file| file["case"].as_array().unwrap())
        .flat_map(|case| case["text"].as_str().unwrap().split(" || "))
        .map(shape)
        .collect();
    let templates = generator(&["--templates"]);
    let shapes: Vec<String> = templates.lines().map(shape).collect();
    assert!(shapes.len() >= 20, "too few templates: {}", shapes.len());
    for (template, shape) in templates.lines().zip(&shapes) {
        assert!(
            !suite_shapes.contains(shape),
            "guideline template {template:?} is a behaviour suite template"
        );
    }
    // The check can fail: a suite template is found by the same comparison.
    for file in [&suite, &paraphrase] {
        let first_case = file["case"][0]["text"].as_str().unwrap();
        assert!(suite_shapes.contains(&shape(&first_case.replace("{A}", "{H}"))));
    }
}
