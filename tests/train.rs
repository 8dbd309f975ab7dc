//! `stance train` as a user runs it: the real binary on tiny training
//! splits cut from `datasets/train` (a couple of articles, two epochs).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod reliability_support;

use reliability_support::{read_rows, repo, stderr, BIN};

fn stance(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .expect("stance runs")
}

#[test]
fn train_refuses_an_average_over_more_epochs_than_it_runs_and_a_swap_outside_0_to_1() {
    let out = tempfile::tempdir().unwrap();
    for args in [
        ["--epochs", "2", "--average-last", "3", "--patience", "8"],
        ["--epochs", "4", "--average-last", "2", "--patience", "2"],
        [
            "--epochs",
            "2",
            "--party-swap",
            "1.5",
            "--average-last",
            "1",
        ],
    ] {
        let run = stance(
            &[
                &[
                    "train",
                    "--out",
                    out.path().to_str().unwrap(),
                    "--cv-folds",
                    "0",
                ][..],
                &args[..],
            ]
            .concat(),
        );
        assert!(!run.status.success());
        let flag = args[2];
        assert!(stderr(&run).contains(flag), "{flag}: {}", stderr(&run));
    }
    assert!(!out.path().join("trained.safetensors").exists());
}

/// `stance train` end to end on a tiny train split (3 articles in two
/// directories, 2 epochs): its card counts the examples the run reported,
/// 2-fold cross-validation sets the shipped thresholds and temperatures, a
/// second run with the same seed writes the same weights, cross-validating
/// that model's recipe afterwards (`--cv-figures-only`) adds figures to its
/// card and changes nothing else, and the model directory loads and scores.
#[test]
fn train_writes_a_model_directory_that_scores() {
    let dir = tempfile::tempdir().unwrap();
    let (train, extra, model) = (
        dir.path().join("train"),
        dir.path().join("extra"),
        dir.path().join("model"),
    );
    // Two articles in `train`, a third in `extra`.
    let ids = write_train_articles(&train, 0..2);
    let extra_ids = write_train_articles(&extra, 2..3);
    let all_ids: Vec<&String> = ids.iter().chain(&extra_ids).collect();

    let run = train_tiny((&train, &extra), &model, "2", &["--cv-folds", "2"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let log = stderr(&run);
    let reported: usize = log
        .split("train: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect(&log);
    let card: Value =
        serde_json::from_str(&std::fs::read_to_string(model.join("model_card.json")).unwrap())
            .unwrap();
    assert_eq!(card["train_examples"].as_u64(), Some(reported as u64));
    assert!(reported > 0);
    for file in ["stance_model.json", "trained.safetensors", "model_card.md"] {
        assert!(model.join(file).is_file(), "{file}");
    }
    // Two folds of the three articles; the model ships the thresholds and
    // temperatures the folds chose, and the card says so.
    let cv = &card["cross_validation"];
    let folds = cv["folds"].as_array().expect("cross_validation.folds");
    assert_eq!(folds.len(), 2);
    let held: Vec<&str> = folds
        .iter()
        .flat_map(|f| f["held_out_articles"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(held.len(), 3);
    assert!(
        all_ids.iter().all(|id| held.contains(&id.as_str())),
        "{held:?} vs {all_ids:?}"
    );
    assert_eq!(cv["shipped"], true);
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(model.join("stance_model.json")).unwrap())
            .unwrap();
    assert_eq!(spec["thresholds"], cv["thresholds"]);
    assert_eq!(spec["temperature"], cv["temperature"]);
    assert_eq!(card["calibration"]["fitted_on"], "train cross-validation");
    for t in spec["thresholds"].as_array().unwrap() {
        let t = t.as_f64().unwrap();
        assert!((0.05 - 1e-6..=0.95 + 1e-6).contains(&t), "threshold {t}");
    }
    let card_md = std::fs::read_to_string(model.join("model_card.md")).unwrap();
    assert!(card_md.contains("2-fold cross-validated"));
    // The shipped weights are the mean of both epochs, and the card says so.
    assert_eq!(card["averaged_epochs"], serde_json::json!([1, 2]));
    assert!(card_md.contains("the mean of epochs 1–2"), "{card_md}");

    // Training is reproducible: the same seed without cross-validation (which
    // runs after the final model) gives byte-identical weights.
    let again = dir.path().join("again");
    let run = train_tiny((&train, &extra), &again, "2", &["--cv-folds", "0"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        std::fs::read(model.join("trained.safetensors")).unwrap()
            == std::fs::read(again.join("trained.safetensors")).unwrap()
    );
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(again.join("stance_model.json")).unwrap())
            .unwrap();
    assert_eq!(spec["thresholds"], serde_json::json!([0.5, 0.5, 0.5]));

    // Party swaps: the run reports how many examples have a counterfactual,
    // trains on them (other weights than `again`, same seed), and the card
    // records the option so that the recipe can be checked against it.
    let swapped = dir.path().join("swapped");
    let run = train_tiny(
        (&train, &extra),
        &swapped,
        "2",
        &["--cv-folds", "0", "--party-swap", "1"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let log = stderr(&run);
    let with_swap: usize = log
        .split(" with a party-swapped counterfactual")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .expect(&log);
    assert!(with_swap > 0, "{log}");
    assert!(
        std::fs::read(swapped.join("trained.safetensors")).unwrap()
            != std::fs::read(again.join("trained.safetensors")).unwrap()
    );
    let card: Value =
        serde_json::from_str(&std::fs::read_to_string(swapped.join("model_card.json")).unwrap())
            .unwrap();
    assert_eq!(card["options"]["party_swap"], 1.0);

    cross_validating_a_recipe_changes_only_the_card(&again, &train, &extra, &ids);

    let out = dir.path().join("scored.jsonl");
    let score = Command::new(BIN)
        .args([
            "score",
            repo("datasets/samples").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
            "--quiet",
        ])
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    assert!(score.status.success(), "{}", stderr(&score));
    assert!(!read_rows(&out).is_empty());
}

/// A column of a record batch by name, as its concrete array type.
/// `stance train` on `train` + `extra` into `out` for `epochs` epochs, all
/// of them averaged, with `more` arguments.
fn train_tiny((train, extra): (&Path, &Path), out: &Path, epochs: &str, more: &[&str]) -> Output {
    let recipe = [
        "train",
        "--train",
        train.to_str().unwrap(),
        "--train",
        extra.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--epochs",
        epochs,
        "--patience",
        "2",
        "--average-last",
        "2",
    ];
    stance(&[&recipe[..], more].concat())
}

/// Writes `datasets/train`'s articles at `range` and their gold rows into
/// `dir` as a training directory; their ids.
fn write_train_articles(dir: &Path, range: std::ops::Range<usize>) -> Vec<String> {
    std::fs::create_dir(dir).unwrap();
    let articles: Vec<String> = std::fs::read_to_string(repo("datasets/train/articles.jsonl"))
        .unwrap()
        .lines()
        .skip(range.start)
        .take(range.len())
        .map(str::to_string)
        .collect();
    let ids: Vec<String> = articles
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let gold: Vec<String> = std::fs::read_to_string(repo("datasets/train/gold.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| {
            ids.iter()
                .any(|id| serde_json::from_str::<Value>(l).unwrap()["article_id"] == id.as_str())
        })
        .map(str::to_string)
        .collect();
    assert!(!gold.is_empty());
    std::fs::write(dir.join("articles.jsonl"), articles.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("gold.jsonl"), gold.join("\n") + "\n").unwrap();
    ids
}

/// `--cv-figures-only` on `model` (trained on `train` + `extra` without
/// cross-validation, 2 epochs averaged): refuses another recipe, then adds the
/// recipe's out-of-fold figures to the card, holding out only `train`'s
/// articles (`extra` is `--cv-train-always`), and leaves the weights and the
/// model description as they were; `--card-only` then refuses to drop them.
fn cross_validating_a_recipe_changes_only_the_card(
    model: &Path,
    train: &Path,
    extra: &Path,
    train_ids: &[String],
) {
    let recipe = |epochs: &str| {
        train_tiny(
            (train, extra),
            model,
            epochs,
            &[
                "--cv-folds",
                "2",
                "--cv-train-always",
                extra.to_str().unwrap(),
                "--cv-figures-only",
            ],
        )
    };
    let read = |file: &str| std::fs::read(model.join(file)).unwrap();
    let (weights, spec, card_before) = (
        read("trained.safetensors"),
        read("stance_model.json"),
        read("model_card.json"),
    );
    let other = recipe("3");
    assert!(!other.status.success());
    assert!(
        stderr(&other).contains("other options than these (epochs)"),
        "{}",
        stderr(&other)
    );
    assert_eq!(read("model_card.json"), card_before);

    let folds = model.with_file_name("folds");
    let kept = |predictions: &Path| {
        let run = train_tiny(
            (train, extra),
            model,
            "2",
            &[
                "--cv-folds",
                "2",
                "--cv-train-always",
                extra.to_str().unwrap(),
                "--cv-figures-only",
                "--cv-models",
                folds.to_str().unwrap(),
                "--cv-predictions",
                predictions.to_str().unwrap(),
            ],
        );
        assert!(run.status.success(), "{}", stderr(&run));
        run
    };
    let first_rows = model.with_file_name("first-rows.jsonl");
    // (folds trained and kept, folds reused) as a run's log tells them
    let kept_and_reused = |run: &Output| {
        let log = stderr(run);
        (
            log.matches("model kept in").count(),
            log.matches("model reused from").count(),
        )
    };
    let run = kept(&first_rows);
    assert_eq!(kept_and_reused(&run), (2, 0), "{}", stderr(&run));
    assert_eq!(read("trained.safetensors"), weights);
    assert_eq!(read("stance_model.json"), spec);
    let card: Value = serde_json::from_slice(&read("model_card.json")).unwrap();
    let before: Value = serde_json::from_slice(&card_before).unwrap();
    for same in ["command", "options", "epochs", "thresholds", "calibration"] {
        assert_eq!(card[same], before[same], "{same}");
    }
    for split in ["dev", "train"] {
        assert_eq!(
            card[split]["macro_f1"], before[split]["macro_f1"],
            "{split}"
        );
    }
    let cv = &card["cross_validation"];
    assert_eq!(cv["shipped"], false);
    assert!(cv["command"]
        .as_str()
        .unwrap()
        .contains("--cv-figures-only"));
    let held: Vec<&str> = cv["folds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["held_out_articles"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = train_ids.iter().map(String::as_str).collect();
    let mut held_sorted = held.clone();
    expected.sort_unstable();
    held_sorted.sort_unstable();
    assert_eq!(held_sorted, expected);
    assert!(cv["at_half"]["holder"]["rows"].as_u64().is_some());
    let card_md = String::from_utf8(read("model_card.md")).unwrap();
    assert!(card_md.contains("Figures of the recipe only"), "{card_md}");

    // Run again, the kept fold models score the held-out articles without
    // training: the same rows to the digit, the same figures. A fold whose
    // record vouches for other training is trained afresh.
    let card_before_reuse = card;
    let again_rows = model.with_file_name("again-rows.jsonl");
    let again = kept(&again_rows);
    assert_eq!(kept_and_reused(&again), (0, 2), "{}", stderr(&again));
    assert_eq!(
        std::fs::read(&first_rows).unwrap(),
        std::fs::read(&again_rows).unwrap()
    );
    let card: Value = serde_json::from_slice(&read("model_card.json")).unwrap();
    let (cv, cv_before) = (
        &card["cross_validation"],
        &card_before_reuse["cross_validation"],
    );
    for same in ["temperature", "thresholds"] {
        assert_eq!(cv[same], cv_before[same], "{same}");
    }
    for same in ["macro_f1", "labels", "parties", "holder"] {
        assert_eq!(cv["at_half"][same], cv_before["at_half"][same], "{same}");
    }
    let record = folds.join("fold-1").join("fold.json");
    let text = std::fs::read_to_string(&record).unwrap();
    let fingerprint = serde_json::from_str::<Value>(&text).unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(&record, text.replace(&fingerprint, &"0".repeat(64))).unwrap();
    let retrained = kept(&again_rows);
    assert_eq!(
        kept_and_reused(&retrained),
        (1, 1),
        "{}",
        stderr(&retrained)
    );
    assert_eq!(
        std::fs::read(&first_rows).unwrap(),
        std::fs::read(&again_rows).unwrap()
    );

    let card_only = train_tiny((train, extra), model, "2", &["--card-only"]);
    assert!(!card_only.status.success());
    assert!(
        stderr(&card_only).contains("rewrite it with --cv-figures-only"),
        "{}",
        stderr(&card_only)
    );
}

/// `--time-split MONTH` trains on the articles dated before the month and
/// scores those dated from it on (`--time-split-backward`: the other way
/// round), leaves undated articles on neither side, writes its report and
/// rows, and writes no model; a malformed date or month is an error naming
/// it.
#[test]
fn a_time_split_trains_on_one_side_of_a_month_and_scores_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train");
    let ids = write_train_articles(&train, 0..3);
    let dated = |dates: [Option<&str>; 3]| {
        let path = train.join("articles.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<String> = text
            .lines()
            .zip(dates)
            .map(|(line, date)| {
                let mut article: Value = serde_json::from_str(line).unwrap();
                article["date"] = date.map_or(Value::Null, Value::from);
                article.to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    };
    dated([Some("2023-10-09"), Some("2024-02"), None]);
    let (model, report, rows) = (
        dir.path().join("model"),
        dir.path().join("split.json"),
        dir.path().join("split.jsonl"),
    );
    let split = |more: &[&str]| {
        let args = [
            "train",
            "--train",
            train.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
            "--epochs",
            "1",
            "--patience",
            "1",
            "--cv-json",
            report.to_str().unwrap(),
            "--cv-predictions",
            rows.to_str().unwrap(),
            "--time-split",
        ];
        stance(&[&args[..], more].concat())
    };
    let names = |value: &Value| -> Vec<String> {
        (value.as_array().unwrap().iter())
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    for (backward, trained, scored) in [(false, &ids[0], &ids[1]), (true, &ids[1], &ids[0])] {
        let run = if backward {
            split(&["2024-01", "--time-split-backward"])
        } else {
            split(&["2024-01"])
        };
        assert!(run.status.success(), "{}", stderr(&run));
        assert!(!model.exists(), "a time split writes no model");
        let split_report: Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        assert_eq!(split_report["backward"], backward);
        assert_eq!(names(&split_report["train_articles"]), [trained.as_str()]);
        assert_eq!(
            names(&split_report["fold"]["held_out_articles"]),
            [scored.as_str()]
        );
        assert_eq!(names(&split_report["undated_articles"]), [ids[2].as_str()]);
        let scored_rows = read_rows(&rows);
        assert!(!scored_rows.is_empty());
        assert!(scored_rows.iter().all(|r| r["doc_id"] == scored.as_str()));
        assert_eq!(
            split_report["report"]["pairs"].as_u64().unwrap(),
            scored_rows.len() as u64
        );
        assert!(split_report["report"]["macro_f1"].as_f64().is_some());
    }

    let bad_month = split(&["2024-13"]);
    assert!(!bad_month.status.success());
    assert!(
        stderr(&bad_month).contains("YYYY-MM"),
        "{}",
        stderr(&bad_month)
    );
    dated([Some("2023-10-09"), Some("Feb 2024"), None]);
    let bad_date = split(&["2024-01"]);
    assert!(!bad_date.status.success());
    let message = stderr(&bad_date);
    let place = format!("{}:2", train.join("articles.jsonl").display());
    assert!(
        message.contains(&place) && message.contains(&ids[1]) && message.contains("Feb 2024"),
        "{message}"
    );
}
