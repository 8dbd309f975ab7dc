//! The output stage: JSONL layout, Parquet round trip, rejects, and the
//! checkpoint / resume protocol (crash, garbage, mismatched fingerprint).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use arrow_array::{
    Array, Float64Array, Int64Array, ListArray, RecordBatch, StringArray, StructArray,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::json;
use stance::output::{Counters, OutputSink, OutputTarget, Reject, ResumePoint};

mod reliability_support;
use stance::types::{Mention, RecordOrigin, ScoreRow};

const FINGERPRINT: &str = "inputs=i1 model=m1 parties=p1 format=f1";

fn row(doc: usize, sentence: usize, party: &str) -> ScoreRow {
    let mut meta = serde_json::Map::new();
    meta.insert("source".into(), json!(format!("feed-{}", doc % 3)));
    meta.insert(
        "date".into(),
        json!("2024-01-0".to_string() + &(doc % 9 + 1).to_string()),
    );
    let mentions = (0..(sentence % 3))
        .map(|m| Mention {
            text: format!("Name{m}"),
            start: 10 * sentence + m,
            end: 10 * sentence + m + 5,
        })
        .collect();
    let labels = if sentence.is_multiple_of(2) {
        vec!["condemn".to_string()]
    } else {
        vec![]
    };
    ScoreRow {
        doc_id: format!("doc_{doc}"),
        sentence_index: sentence,
        start: 100 * sentence,
        end: 100 * sentence + 42,
        sentence: format!("Sentence {sentence} of doc {doc}, with \"quotes\" and ünïcode."),
        party: party.to_string(),
        mentions,
        condemn: 0.97,
        support: ((doc * 7 + sentence) % 10) as f64 / 10.0,
        ceasefire: 1.0,
        holder: (!labels.is_empty()).then(|| ["russia", "author", "other"][doc % 3].to_string()),
        labels,
        model: "test-model".to_string(),
        meta,
    }
}

/// The rows of article `doc` (article 3 has none, like an empty text).
fn article_rows(doc: usize) -> Vec<ScoreRow> {
    if doc == 3 {
        return vec![];
    }
    (0..(doc % 4 + 1))
        .flat_map(|s| [row(doc, s, "hamas"), row(doc, s, "israel")])
        .collect()
}

fn reject(i: usize) -> Reject {
    Reject {
        origin: RecordOrigin {
            file: "in/bad.jsonl".into(),
            line: i as u64,
        },
        reason: format!("bad \"record\" {i}"),
    }
}

/// Input record `i`: every fifth one is a reject.
fn feed(sink: &mut OutputSink, i: usize, counters: &mut Counters) {
    if i % 5 == 4 {
        sink.write_reject(&reject(i)).unwrap();
        counters.rejected += 1;
    } else {
        let rows = article_rows(i);
        sink.write_rows(&rows).unwrap();
        counters.articles += 1;
        counters.rows += rows.len() as u64;
    }
}

/// An uninterrupted run over `n` records, checkpointing every 4.
fn full_run(out: &Path, n: usize) {
    let (mut sink, point) =
        OutputSink::open(OutputTarget::File(out.into()), false, FINGERPRINT).unwrap();
    assert_eq!(point, ResumePoint::default());
    let mut counters = Counters::default();
    for i in 0..n {
        feed(&mut sink, i, &mut counters);
        if i % 4 == 3 {
            sink.checkpoint(i as u64 + 1, &counters).unwrap();
        }
    }
    sink.finish(&counters).unwrap();
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", out.display()))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ------------------------------------------------------------------ JSONL

#[test]
fn jsonl_rows_have_contract_key_order_and_float_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let (mut sink, _) = OutputSink::open(OutputTarget::from_arg(&out), false, FINGERPRINT).unwrap();
    let mut r = row(0, 1, "hamas");
    r.mentions = vec![Mention {
        text: "Hamas".into(),
        start: 1870,
        end: 1875,
    }];
    r.labels = vec!["condemn".into()];
    r.holder = Some("united_states".into());
    r.support = 0.01;
    r.ceasefire = 0.0;
    sink.write_rows(&[r]).unwrap();
    sink.finish(&Counters::default()).unwrap();
    let text = fs::read_to_string(&out).unwrap();
    let expected = concat!(
        r#"{"doc_id":"doc_0","sentence_index":1,"start":100,"end":142,"#,
        r#""sentence":"Sentence 1 of doc 0, with \"quotes\" and ünïcode.","party":"hamas","#,
        r#""mentions":[{"text":"Hamas","start":1870,"end":1875}],"condemn":0.97,"support":0.01,"ceasefire":0.0,"#,
        r#""labels":["condemn"],"holder":"united_states","model":"test-model","meta":{"source":"feed-0","date":"2024-01-01"}}"#,
        "\n"
    );
    assert_eq!(text, expected);
    assert_eq!(
        files_in(tmp.path()),
        vec!["out.jsonl"],
        "state and partial files are gone, no rejects file"
    );
}

#[test]
fn no_output_exists_before_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    let mut counters = Counters::default();
    for i in 0..10 {
        feed(&mut sink, i, &mut counters);
    }
    sink.checkpoint(10, &counters).unwrap();
    assert!(!out.exists());
    assert!(!sibling(&out, ".rejects.jsonl").exists());
    assert_eq!(
        files_in(tmp.path()),
        vec![
            "out.jsonl.partial",
            "out.jsonl.rejects.jsonl.partial",
            "out.jsonl.state.json"
        ]
    );
    let state: serde_json::Value =
        serde_json::from_slice(&fs::read(sibling(&out, ".state.json")).unwrap()).unwrap();
    assert_eq!(state["records_done"], 10);
    assert_eq!(state["fingerprint"], FINGERPRINT);
    assert_eq!(
        state["rows_bytes"],
        fs::metadata(sibling(&out, ".partial")).unwrap().len()
    );
    assert_eq!(state["counters"]["rejected"], 2);
    sink.finish(&counters).unwrap();
    assert!(out.exists());
    assert_eq!(
        files_in(tmp.path()),
        vec!["out.jsonl", "out.jsonl.rejects.jsonl"]
    );
}

#[test]
fn rejects_file_has_file_line_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    sink.write_reject(&reject(7)).unwrap();
    sink.finish(&Counters::default()).unwrap();
    assert_eq!(
        fs::read_to_string(tmp.path().join("out.jsonl.rejects.jsonl")).unwrap(),
        "{\"file\":\"in/bad.jsonl\",\"line\":7,\"reason\":\"bad \\\"record\\\" 7\"}\n"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "");
}

#[test]
fn fresh_run_replaces_old_output_only_at_finish_and_drops_stale_rejects() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    fs::write(&out, "old complete output\n").unwrap();
    fs::write(sibling(&out, ".rejects.jsonl"), "old rejects\n").unwrap();
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    sink.write_rows(&article_rows(1)).unwrap();
    sink.checkpoint(1, &Counters::default()).unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap(), "old complete output\n");
    sink.finish(&Counters::default()).unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 4);
    assert!(
        !sibling(&out, ".rejects.jsonl").exists(),
        "this run rejected nothing"
    );
}

#[test]
fn non_finite_score_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut sink, _) = OutputSink::open(
        OutputTarget::File(tmp.path().join("o.jsonl")),
        false,
        FINGERPRINT,
    )
    .unwrap();
    let mut r = row(0, 0, "hamas");
    r.support = f64::NAN;
    let err = sink.write_rows(&[r]).unwrap_err();
    assert!(err.to_string().contains("score support"), "{err}");
}

// ----------------------------------------------------------------- Parquet

fn read_parquet(path: &Path) -> (Vec<RecordBatch>, usize) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let groups = builder.metadata().num_row_groups();
    let batches = builder
        .build()
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (batches, groups)
}

fn column<'a, T: 'static>(batch: &'a RecordBatch, name: &str) -> &'a T {
    batch
        .column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref::<T>()
        .unwrap()
}

/// Reads back every column of the Parquet file as `ScoreRow`s.
fn parquet_rows(path: &Path) -> (Vec<ScoreRow>, usize) {
    let (batches, groups) = read_parquet(path);
    let mut rows = Vec::new();
    for batch in &batches {
        let s = |name| column::<StringArray>(batch, name);
        let i = |name| column::<Int64Array>(batch, name);
        let f = |name| column::<Float64Array>(batch, name);
        let mentions = column::<ListArray>(batch, "mentions");
        let labels = column::<ListArray>(batch, "labels");
        for r in 0..batch.num_rows() {
            let m = mentions.value(r);
            let m = m.as_any().downcast_ref::<StructArray>().unwrap();
            let mt = m.column(0).as_any().downcast_ref::<StringArray>().unwrap();
            let ms = m.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
            let me = m.column(2).as_any().downcast_ref::<Int64Array>().unwrap();
            let l = labels.value(r);
            let l = l.as_any().downcast_ref::<StringArray>().unwrap();
            rows.push(ScoreRow {
                doc_id: s("doc_id").value(r).into(),
                sentence_index: i("sentence_index").value(r) as usize,
                start: i("start").value(r) as usize,
                end: i("end").value(r) as usize,
                sentence: s("sentence").value(r).into(),
                party: s("party").value(r).into(),
                mentions: (0..m.len())
                    .map(|k| Mention {
                        text: mt.value(k).into(),
                        start: ms.value(k) as usize,
                        end: me.value(k) as usize,
                    })
                    .collect(),
                condemn: f("condemn").value(r),
                support: f("support").value(r),
                ceasefire: f("ceasefire").value(r),
                labels: (0..l.len()).map(|k| l.value(k).to_string()).collect(),
                holder: s("holder")
                    .is_valid(r)
                    .then(|| s("holder").value(r).to_string()),
                model: s("model").value(r).into(),
                meta: serde_json::from_str(s("meta").value(r)).unwrap(),
            });
        }
    }
    (rows, groups)
}

#[test]
fn parquet_round_trip_every_column() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.parquet");
    let target = OutputTarget::from_arg(&out);
    assert!(target.is_parquet());
    let (mut sink, _) = OutputSink::open(target, false, FINGERPRINT).unwrap();
    let mut expected = Vec::new();
    for doc in 0..40 {
        let rows = article_rows(doc);
        sink.write_rows(&rows).unwrap();
        expected.extend(rows);
    }
    sink.finish(&Counters::default()).unwrap();
    assert_eq!(files_in(tmp.path()), vec!["out.parquet"]);
    let (batches, _) = read_parquet(&out);
    let schema = batches[0].schema();
    let names: Vec<_> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, reliability_support::CONTRACT_COLUMNS);
    let (rows, _) = parquet_rows(&out);
    assert_eq!(rows, expected);
}

#[test]
fn parquet_large_output_is_split_into_row_groups() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("big.parquet");
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    let rows: Vec<_> = (0..70_000).map(|i| row(i / 10, i % 10, "israel")).collect();
    for chunk in rows.chunks(10) {
        sink.write_rows(chunk).unwrap();
    }
    sink.finish(&Counters::default()).unwrap();
    let (back, groups) = parquet_rows(&out);
    assert_eq!(groups, 2);
    assert_eq!(back.len(), rows.len());
    assert!(back == rows);
}

#[test]
fn parquet_with_no_rows_is_a_valid_empty_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("empty.parquet");
    let (sink, _) = OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    sink.finish(&Counters::default()).unwrap();
    let (rows, _) = parquet_rows(&out);
    assert!(rows.is_empty());
}

// ------------------------------------------------------------------ resume

/// Runs records 0..crash_at, checkpointing after record `checkpoint_at`,
/// then dies (drop without finish) and leaves a half line of garbage.
fn crashed_run(out: &Path, checkpoint_at: usize, crash_at: usize) -> Counters {
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.into()), false, FINGERPRINT).unwrap();
    let mut counters = Counters::default();
    let mut committed = Counters::default();
    for i in 0..crash_at {
        feed(&mut sink, i, &mut counters);
        if i == checkpoint_at {
            sink.checkpoint(i as u64 + 1, &counters).unwrap();
            committed = counters.clone();
        }
    }
    drop(sink);
    for suffix in [".partial", ".rejects.jsonl.partial"] {
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(sibling(out, suffix))
            .unwrap();
        f.write_all(b"{\"doc_id\":\"garbage\",\"sent\0\0\xFF")
            .unwrap();
    }
    committed
}

/// Resumes and runs to the end (`n` records), like the CLI would.
fn resumed_run(out: &Path, n: usize, expected: &ResumePoint) {
    let (mut sink, point) =
        OutputSink::open(OutputTarget::File(out.into()), true, FINGERPRINT).unwrap();
    assert_eq!(&point, expected);
    let mut counters = point.counters.clone();
    for i in point.records_done as usize..n {
        feed(&mut sink, i, &mut counters);
        if i % 4 == 3 {
            sink.checkpoint(i as u64 + 1, &counters).unwrap();
        }
    }
    sink.finish(&counters).unwrap();
}

fn check_resume_is_byte_identical(name: &str) {
    let n = 23;
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("ref").join(name);
    fs::create_dir(reference.parent().unwrap()).unwrap();
    full_run(&reference, n);

    let out = tmp.path().join(name);
    let committed = crashed_run(&out, 10, 17);
    assert!(!out.exists());
    resumed_run(
        &out,
        n,
        &ResumePoint {
            records_done: 11,
            counters: committed,
        },
    );

    assert_eq!(fs::read(&out).unwrap(), fs::read(&reference).unwrap());
    let rejects = |p: &Path| fs::read(sibling(p, ".rejects.jsonl")).unwrap();
    assert_eq!(rejects(&out), rejects(&reference));
    assert_eq!(
        files_in(tmp.path()),
        vec![
            name.to_string(),
            format!("{name}.rejects.jsonl"),
            "ref".to_string()
        ]
    );
}

#[test]
fn resume_after_crash_is_byte_identical_jsonl() {
    check_resume_is_byte_identical("out.jsonl");
}

#[test]
fn resume_after_crash_is_byte_identical_parquet() {
    check_resume_is_byte_identical("out.parquet");
}

#[test]
fn resume_after_crash_before_first_checkpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("ref.jsonl");
    full_run(&reference, 9);
    let out = tmp.path().join("out.jsonl");
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    let mut counters = Counters::default();
    for i in 0..3 {
        feed(&mut sink, i, &mut counters);
    }
    drop(sink);
    resumed_run(&out, 9, &ResumePoint::default());
    assert_eq!(fs::read(&out).unwrap(), fs::read(&reference).unwrap());
}

#[test]
fn resume_twice_in_a_row() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("ref.jsonl");
    full_run(&reference, 20);
    let out = tmp.path().join("out.jsonl");
    let committed = crashed_run(&out, 5, 8);
    // The first resume also dies, after one more checkpoint.
    let (mut sink, point) =
        OutputSink::open(OutputTarget::File(out.clone()), true, FINGERPRINT).unwrap();
    assert_eq!(
        point,
        ResumePoint {
            records_done: 6,
            counters: committed
        }
    );
    let mut counters = point.counters;
    for i in 6..12 {
        feed(&mut sink, i, &mut counters);
        if i == 9 {
            sink.checkpoint(10, &counters).unwrap();
        }
    }
    drop(sink);
    let (sink, point) =
        OutputSink::open(OutputTarget::File(out.clone()), true, FINGERPRINT).unwrap();
    assert_eq!(point.records_done, 10);
    drop(sink);
    resumed_run(&out, 20, &point);
    assert_eq!(fs::read(&out).unwrap(), fs::read(&reference).unwrap());
}

#[test]
fn resume_with_other_fingerprint_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    crashed_run(&out, 2, 4);
    let other = "inputs=i1 model=m2 parties=p1 format=f1";
    let err = OutputSink::open(OutputTarget::File(out.clone()), true, other)
        .err()
        .unwrap();
    let message = format!("{err:#}");
    assert!(message.contains("used a different model ("), "{message}");
    assert!(
        message.contains(FINGERPRINT) && message.contains(other),
        "{message}"
    );
    let err = OutputSink::open(
        OutputTarget::File(out.clone()),
        true,
        "inputs=i2 model=m1 parties=p2 format=f2",
    )
    .err()
    .unwrap();
    assert!(
        format!("{err:#}")
            .contains("used different inputs, parties and output format or program version"),
        "{err:#}"
    );
    assert!(
        message.contains(&sibling(&out, ".state.json").display().to_string()),
        "{message}"
    );
    // Nothing was touched: the right fingerprint still resumes.
    let (_, point) = OutputSink::open(OutputTarget::File(out), true, FINGERPRINT).unwrap();
    assert_eq!(point.records_done, 3);
}

#[test]
fn fresh_run_over_unfinished_one_is_refused_naming_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    crashed_run(&out, 2, 6);
    let err = OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT)
        .err()
        .unwrap();
    let message = format!("{err:#}");
    assert!(message.contains("--resume"), "{message}");
    for suffix in [".state.json", ".partial", ".rejects.jsonl.partial"] {
        assert!(
            message.contains(&sibling(&out, suffix).display().to_string()),
            "{message}"
        );
    }
}

#[test]
fn resume_of_complete_output_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    full_run(&out, 5);
    let err = OutputSink::open(OutputTarget::File(out.clone()), true, FINGERPRINT)
        .err()
        .unwrap();
    assert!(format!("{err:#}").contains("already complete"), "{err:#}");
}

#[test]
fn resume_with_nothing_to_resume_starts_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let (sink, point) =
        OutputSink::open(OutputTarget::File(out.clone()), true, FINGERPRINT).unwrap();
    assert_eq!(point, ResumePoint::default());
    sink.finish(&Counters::default()).unwrap();
    assert!(out.exists());
}

#[test]
fn resume_refused_when_partial_lost_committed_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    crashed_run(&out, 6, 7);
    let partial = sibling(&out, ".partial");
    fs::write(&partial, b"short").unwrap();
    let err = OutputSink::open(OutputTarget::File(out), true, FINGERPRINT)
        .err()
        .unwrap();
    let message = format!("{err:#}");
    assert!(
        message.contains("committed") && message.contains(&partial.display().to_string()),
        "{message}"
    );
}

#[test]
fn resume_completes_an_interrupted_publish() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("ref.jsonl");
    full_run(&reference, 6);
    let out = tmp.path().join("out.jsonl");
    let (mut sink, _) =
        OutputSink::open(OutputTarget::File(out.clone()), false, FINGERPRINT).unwrap();
    let mut counters = Counters::default();
    for i in 0..6 {
        feed(&mut sink, i, &mut counters);
    }
    sink.checkpoint(6, &counters).unwrap();
    drop(sink);
    // As if finish() had committed its last state and died before renaming.
    let state_path = sibling(&out, ".state.json");
    let mut state: serde_json::Value =
        serde_json::from_slice(&fs::read(&state_path).unwrap()).unwrap();
    state["finishing"] = json!(true);
    fs::write(&state_path, serde_json::to_vec(&state).unwrap()).unwrap();
    let err = OutputSink::open(OutputTarget::File(out.clone()), true, FINGERPRINT)
        .err()
        .unwrap();
    assert!(format!("{err:#}").contains("already complete"), "{err:#}");
    assert_eq!(fs::read(&out).unwrap(), fs::read(&reference).unwrap());
    assert_eq!(
        fs::read(sibling(&out, ".rejects.jsonl")).unwrap(),
        fs::read(sibling(&reference, ".rejects.jsonl")).unwrap()
    );
    assert!(!state_path.exists());
}

#[test]
fn stdout_cannot_be_resumed() {
    let err = OutputSink::open(OutputTarget::from_arg("-"), true, FINGERPRINT)
        .err()
        .unwrap();
    assert!(format!("{err:#}").contains("standard output"), "{err:#}");
    assert_eq!(
        OutputTarget::from_arg("-").rejects_path(),
        PathBuf::from("stance.rejects.jsonl")
    );
}

#[test]
fn sink_can_move_to_an_output_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<OutputSink>();
}
