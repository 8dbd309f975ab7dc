//! `stance score` and `stance eval` as a user runs them: the real binary, the
//! default model (fetched by `make setup`), the sample articles.

use std::process::{Command, Output};

use serde_json::Value;

mod reliability_support;

use reliability_support::{read_rows, repo, stderr, BIN};

/// Runs `stance` with `args`; `STANCE_TEST_MODEL` replaces the default model (for trying another one).
fn stance(args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("HF_HUB_OFFLINE", "1");
    if let Ok(model) = std::env::var("STANCE_TEST_MODEL") {
        if matches!(args.first(), Some(&"score") | Some(&"eval")) {
            cmd.args(["--model", &model]);
        }
    }
    cmd.output().expect("stance runs")
}

#[test]
fn scores_the_samples_into_contract_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let run = stance(&[
        "score",
        repo("datasets/samples").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("5 articles"),
        "summary line: {}",
        stderr(&run)
    );
    let rows = read_rows(&out);
    assert!(!rows.is_empty());

    let keys = reliability_support::CONTRACT_COLUMNS;
    let parties = ["israel", "hamas", "palestinians", "united_states", "russia"];
    let mut mentioned_pairs = std::collections::BTreeSet::new();
    for row in &rows {
        let object = row.as_object().unwrap();
        assert_eq!(
            object.keys().map(String::as_str).collect::<Vec<_>>(),
            keys,
            "key order"
        );
        let doc = row["doc_id"].as_str().unwrap();
        let text = std::fs::read_to_string(repo(&format!("datasets/samples/{doc}.txt"))).unwrap();
        let (start, end) = (
            row["start"].as_u64().unwrap() as usize,
            row["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            &text.as_bytes()[start..end],
            row["sentence"].as_str().unwrap().as_bytes(),
            "start/end slice the sentence"
        );
        for m in row["mentions"].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert!(start <= s && e <= end);
            assert_eq!(
                &text.as_bytes()[s..e],
                m["text"].as_str().unwrap().as_bytes()
            );
        }
        assert!(parties.contains(&row["party"].as_str().unwrap()));
        for label in ["condemn", "support", "ceasefire"] {
            let p = row[label].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p));
        }
        let labels: Vec<&str> = row["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let order: Vec<&str> = ["condemn", "support", "ceasefire"]
            .into_iter()
            .filter(|l| labels.contains(l))
            .collect();
        assert_eq!(labels, order, "labels in contract order");
        // A holder exactly when there is a label: a party id, the author or someone else.
        match row["holder"].as_str() {
            Some(holder) => {
                assert!(!labels.is_empty(), "a row without labels has holder null");
                assert!(
                    parties.contains(&holder) || holder == "author" || holder == "other",
                    "holder {holder}"
                );
            }
            None => assert!(
                labels.is_empty() && row["holder"].is_null(),
                "a labelled row has a holder"
            ),
        }
        if row["mentions"].as_array().unwrap().is_empty() {
            assert!(
                !labels.is_empty(),
                "an implicit row is written only when a label fires"
            );
        } else {
            mentioned_pairs.insert((
                doc.to_string(),
                row["sentence_index"].as_u64().unwrap(),
                row["party"].as_str().unwrap().to_string(),
            ));
        }
    }
    // Every sentence that names a party has a row for it.
    let party_set = stance::parties::PartySet::builtin();
    let matcher = stance::parties::PartyMatcher::new(&party_set).unwrap();
    let segmenter = stance::segment::NewsSegmenter;
    use stance::segment::Segmenter;
    let mut expected = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(repo("datasets/samples")).unwrap() {
        let path = entry.unwrap().path();
        let doc = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, span) in segmenter.split(&text).iter().enumerate() {
            for found in matcher.find(&text[span.start..span.end]) {
                expected.insert((
                    doc.clone(),
                    i as u64,
                    party_set.parties[found.party].id.clone(),
                ));
            }
        }
    }
    assert_eq!(mentioned_pairs, expected);
}

#[test]
fn parquet_output_has_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, parquet) = (dir.path().join("o.jsonl"), dir.path().join("o.parquet"));
    let sample = repo("datasets/samples/001_83371cccb170d7fa.txt");
    for out in [&jsonl, &parquet] {
        let run = stance(&[
            "score",
            sample.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let rows = read_rows(&jsonl);
    let file = std::fs::File::open(&parquet).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut seen = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let doc = column::<arrow_array::StringArray>(&batch, "doc_id");
        let party = column::<arrow_array::StringArray>(&batch, "party");
        let condemn = column::<arrow_array::Float64Array>(&batch, "condemn");
        let start = column::<arrow_array::Int64Array>(&batch, "start");
        for i in 0..batch.num_rows() {
            let row = &rows[seen + i];
            assert_eq!(doc.value(i), row["doc_id"].as_str().unwrap());
            assert_eq!(party.value(i), row["party"].as_str().unwrap());
            assert_eq!(condemn.value(i), row["condemn"].as_f64().unwrap());
            assert_eq!(start.value(i) as u64, row["start"].as_u64().unwrap());
        }
        seen += batch.num_rows();
    }
    assert_eq!(seen, rows.len());
}

#[test]
fn malformed_input_fails_with_file_line_reason_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"Israel said so.\"}\n{\"id\": \"b\", \"text\": 5}\n",
    )
    .unwrap();
    let out = dir.path().join("out.jsonl");
    let run = stance(&[
        "score",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(!run.status.success());
    let message = stderr(&run);
    assert!(
        message.contains("dump.jsonl:2") && message.contains("text"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
    assert!(
        !out.exists(),
        "no complete-looking output after a failed run"
    );
}

#[test]
fn skip_bad_records_rejects_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump.jsonl");
    std::fs::write(&input, "{\"id\": \"a\", \"text\": \"Hamas was condemned by Russia.\"}\nnot json\n{\"id\": \"c\", \"text\": \"Israel.\", \"source\": \"x\"}\n").unwrap();
    let out = dir.path().join("out.jsonl");
    let run = stance(&[
        "score",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--skip-bad",
        "--quiet",
    ]);
    assert_eq!(
        run.status.code(),
        Some(3),
        "finished with rejects: {}",
        stderr(&run)
    );
    assert!(stderr(&run).contains("1 rejected"), "{}", stderr(&run));
    let rejects = read_rows(&dir.path().join("out.jsonl.rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], 2);
    assert!(rejects[0]["file"].as_str().unwrap().ends_with("dump.jsonl"));
    let rows = read_rows(&out);
    let docs: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["doc_id"].as_str().unwrap()).collect();
    assert_eq!(docs, ["a", "c"].into_iter().collect());
    assert!(
        rows.iter()
            .filter(|r| r["doc_id"] == "c")
            .all(|r| r["meta"]["source"] == "x"),
        "meta passes through"
    );
}

#[test]
fn cuda_without_support_is_a_clear_error() {
    let run = stance(&[
        "score",
        repo("datasets/samples").to_str().unwrap(),
        "--device",
        "cuda",
        "--quiet",
    ]);
    if cfg!(feature = "cuda") {
        if run.status.success() {
            return; // a GPU answered: this is a GPU machine
        }
        // A CUDA build without a GPU (`scripts/build-cuda.sh --tests` runs this
        // with a driver stub that reports no device): a clear error, no panic.
        assert_eq!(run.status.code(), Some(1));
        let message = stderr(&run);
        assert!(
            message.contains("--device cuda") && message.contains("no usable CUDA GPU"),
            "{message}"
        );
        assert!(!message.contains("panicked"), "{message}");
        return;
    }
    assert_eq!(run.status.code(), Some(1));
    let message = stderr(&run);
    assert!(
        message.contains("--device cuda") && message.contains("without CUDA"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn eval_reports_and_an_independent_script_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let (report, predictions, plots) = (
        dir.path().join("r.json"),
        dir.path().join("p.jsonl"),
        dir.path().join("plots"),
    );
    let (articles, gold) = (
        repo("datasets/dev/articles.jsonl"),
        repo("datasets/dev/gold.jsonl"),
    );
    let run = stance(&[
        "eval",
        "--articles",
        articles.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--json",
        report.to_str().unwrap(),
        "--predictions",
        predictions.to_str().unwrap(),
        "--plots",
        plots.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("macro F1"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    for key in [
        "model",
        "pairs",
        "macro_f1",
        "ece",
        "labels",
        "parties",
        "holder",
        "segmentation",
        "sentences_per_second",
    ] {
        assert!(json.get(key).is_some(), "report has {key}");
    }
    let holder = &json["holder"];
    assert!((0.0..=1.0).contains(&holder["accuracy"].as_f64().unwrap()));
    assert_eq!(
        holder["rows"].as_u64(),
        Some(89),
        "dev's labelled gold rows of the five parties"
    );
    let confusion_total: u64 = holder["confusion"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|g| g.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(confusion_total, 89);
    for label in ["condemn", "support", "ceasefire"] {
        for key in [
            "precision",
            "recall",
            "f1",
            "pr_auc",
            "roc_auc",
            "threshold",
            "positives",
        ] {
            assert!(
                json["labels"][label].get(key).is_some(),
                "labels.{label}.{key}"
            );
        }
    }
    assert!(json["segmentation"]["f1"].as_f64().unwrap() >= 0.97);
    for png in ["precision_recall.png", "reliability.png"] {
        let bytes = std::fs::read(plots.join(png)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{png}"
        );
    }
    let check = Command::new("python3")
        .arg(repo("scripts/recompute_metrics.py"))
        .args([
            "--articles",
            articles.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ])
        .args([
            "--predictions",
            predictions.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "recompute_metrics disagrees:\n{}\n{}",
        String::from_utf8_lossy(&check.stdout),
        stderr(&check)
    );
}

fn column<'a, T: 'static>(batch: &'a arrow_array::RecordBatch, name: &str) -> &'a T {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap_or_else(|| panic!("column {name} has another type"))
}
