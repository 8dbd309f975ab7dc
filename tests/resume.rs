//! `--resume` against real crashes: a real `stance score` process is killed
//! with SIGKILL at seeded random moments (during startup, scoring,
//! checkpoints, publishing), sometimes followed by a simulated power loss
//! (the partial files cut after their last durable byte, garbage appended,
//! a half-written temporary state file), and resumed each time. Every run
//! that completes must have written exactly the bytes of an uninterrupted
//! run, rows and rejects alike, and left no run files behind.
//!
//! The dump is a few hundred short generated articles with some malformed
//! records (`--skip-bad`), scored with the tiny NLI fixture model, so that a
//! run takes a second or two and checkpoints many times (one per window of
//! 2048 model sequences).

mod reliability_support;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reliability_support::{score, score_cmd, sibling, stderr, write_dump, Rng};

/// What a finished run leaves: the output and (with rejects) its rejects file.
fn final_files(out: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    let rows = fs::read(out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let rejects = fs::read(sibling(out, ".rejects.jsonl")).ok();
    (rows, rejects)
}

/// The run's working files; none may remain once it has finished.
fn run_files(out: &Path) -> Vec<PathBuf> {
    [
        ".partial",
        ".state.json",
        ".state.json.tmp",
        ".tmp",
        ".rejects.jsonl.partial",
    ]
    .iter()
    .map(|s| sibling(out, s))
    .filter(|p| p.exists())
    .collect()
}

/// The committed length of a partial file, from the state file (see the
/// resume format in src/output/mod.rs), if a state exists.
fn committed(out: &Path, key: &str) -> Option<u64> {
    let state: serde_json::Value =
        serde_json::from_slice(&fs::read(sibling(out, ".state.json")).ok()?).ok()?;
    state[key].as_u64()
}

/// Simulates losing power right after a kill: the bytes written after the
/// last durable checkpoint are partly lost (the file is cut somewhere after
/// its committed length, usually inside a line) and partly garbage, and the
/// temporary state file was half written (where the run still wrote one).
fn power_loss(out: &Path, rng: &mut Rng) {
    for (suffix, key) in [
        (".partial", "rows_bytes"),
        (".rejects.jsonl.partial", "rejects_bytes"),
    ] {
        let path = sibling(out, suffix);
        let (Some(committed), Ok(meta)) = (committed(out, key), fs::metadata(&path)) else {
            continue;
        };
        let len = meta.len();
        if len > committed {
            let cut = committed + rng.below(len - committed + 1);
            OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(cut)
                .unwrap();
        }
        if rng.below(2) == 0 {
            let mut file = OpenOptions::new().append(true).open(&path).unwrap();
            file.write_all(b"{\"doc_id\":\"half a li\0\xff\xfe garbage")
                .unwrap();
        }
    }
    // A half-written temporary state needs a run that still writes
    // checkpoints: once the output is published and its state removed, the
    // run writes nothing more, so there is no temporary to lose.
    let finished = out.exists() && !sibling(out, ".state.json").exists();
    if !finished {
        fs::write(sibling(out, ".state.json.tmp"), b"{\"version\":1,\"fingerp").unwrap();
    }
}

/// A run that ended by itself must end as the uninterrupted run did (a
/// resume that only finished an interrupted publish included), never panic.
fn check_finished(status: ExitStatus, message: &str, expected: Option<i32>) {
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(status.code(), expected, "{message}");
}

/// A completed output must be the reference, with no run files left.
fn check_complete(out: &Path, reference: &(Vec<u8>, Option<Vec<u8>>), after: &str) {
    assert!(
        final_files(out) == *reference,
        "output after {after} differs from the uninterrupted run"
    );
    assert_eq!(
        run_files(out),
        Vec::<PathBuf>::new(),
        "run files left behind after {after}"
    );
}

/// Kills `kills` runs of `stance score DUMP -o OUT --skip-bad --resume` at
/// random moments and checks every completed output against `reference`.
/// Returns how many runs completed along the way.
fn kill_and_resume(
    dump: &Path,
    out: &Path,
    kills: usize,
    seed: u64,
    reference: &(Vec<u8>, Option<Vec<u8>>),
    expected: Option<i32>,
    duration: Duration,
) -> usize {
    let mut rng = Rng::new(seed);
    let records = fs::read_to_string(dump).unwrap().lines().count();
    let args = [
        dump.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--skip-bad",
        "--resume",
    ];
    let (mut killed, mut completed) = (0, 0);
    while killed < kills {
        if out.exists() && !sibling(out, ".state.json").exists() {
            // The last kill came after the publish: that run completed (and
            // a resume of it would rightly be refused). Start the next one
            // from scratch.
            check_complete(out, reference, &format!("{killed} kills"));
            completed += 1;
            fs::remove_file(out).unwrap();
            let _ = fs::remove_file(sibling(out, ".rejects.jsonl"));
        }
        // Anywhere in what is left of the run (estimated from the records
        // the state file says are done) and a little beyond: startup, every
        // checkpoint and the publish at the end all get hit.
        let left =
            1.0 - committed(out, "records_done").map_or(0.0, |done| done as f64 / records as f64);
        let delay = duration.mul_f64((0.1 + 1.1 * left) * rng.unit());
        let mut child = score_cmd(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            killed += 1;
            if killed % 3 == 0 {
                power_loss(out, &mut rng);
            }
            continue;
        }
        // The run finished before the kill.
        let done = child.wait_with_output().unwrap();
        check_finished(done.status, &stderr(&done), expected);
        check_complete(out, reference, &format!("{killed} kills"));
        completed += 1;
        fs::remove_file(out).unwrap();
        let _ = fs::remove_file(sibling(out, ".rejects.jsonl"));
    }
    // The last run goes to the end (unless the last kill came after the publish).
    if sibling(out, ".state.json").exists() || !out.exists() {
        let last = score(&args);
        check_finished(last.status, &stderr(&last), expected);
    }
    check_complete(out, reference, "the final resume");
    completed + 1
}

/// An uninterrupted run: its files and how long it took.
fn reference_run(
    dump: &Path,
    out: &Path,
    expected: Option<i32>,
) -> ((Vec<u8>, Option<Vec<u8>>), Duration) {
    let started = Instant::now();
    let run = score(&[
        dump.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--skip-bad",
    ]);
    let duration = started.elapsed();
    assert_eq!(run.status.code(), expected, "{}", stderr(&run));
    (final_files(out), duration)
}

#[test]
fn sigkill_at_20_random_points_then_resume_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_dump(&dump, 200, 7, Some(37));
    let (reference, duration) = reference_run(&dump, &dir.path().join("reference.jsonl"), Some(3));
    assert!(
        reference.1.is_some(),
        "the dump has malformed records, so there are rejects"
    );
    let rows = reference.0.iter().filter(|&&b| b == b'\n').count();
    assert!(
        rows > 1500,
        "a dump big enough for many checkpoints: {rows} rows"
    );
    let completed = kill_and_resume(
        &dump,
        &dir.path().join("out.jsonl"),
        20,
        2024,
        &reference,
        Some(3),
        duration,
    );
    eprintln!("20 kills over a {duration:?} run ({rows} rows), {completed} completed outputs, all identical");
}

#[test]
fn sigkill_then_resume_parquet_gives_identical_bytes() {
    // Parquet is staged as JSONL and converted when publishing: kills land
    // in the conversion too.
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_dump(&dump, 80, 11, None);
    let (reference, duration) =
        reference_run(&dump, &dir.path().join("reference.parquet"), Some(0));
    assert!(reference.0.starts_with(b"PAR1"));
    kill_and_resume(
        &dump,
        &dir.path().join("out.parquet"),
        6,
        99,
        &reference,
        Some(0),
        duration,
    );
}

#[test]
fn power_loss_before_the_first_checkpoint_starts_over_cleanly() {
    // Only the files of a run that died at once: an empty partial file and
    // the initial state; garbage after them is dropped.
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_dump(&dump, 40, 3, None);
    let (reference, _) = reference_run(&dump, &dir.path().join("reference.jsonl"), Some(0));
    let out = dir.path().join("out.jsonl");
    let args = [
        dump.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--skip-bad",
    ];
    let mut child = score_cmd(&args).spawn().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    if sibling(&out, ".state.json").exists() {
        power_loss(&out, &mut Rng::new(1));
    }
    let resumed = score(&[&args[..], &["--resume"]].concat());
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert!(final_files(&out) == reference);
    assert_eq!(run_files(&out), Vec::<PathBuf>::new());
}

#[test]
fn resume_that_only_has_to_publish_exits_like_the_finished_run() {
    // A run killed while publishing: everything committed, the state says
    // "finishing". The resume completes the publish and exits 0 (3 with
    // rejects), as the run itself would have, so a retry loop ends.
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.jsonl");
    write_dump(&dump, 30, 5, None);
    let (reference, _) = reference_run(&dump, &dir.path().join("reference.jsonl"), Some(0));
    let out = dir.path().join("out.jsonl");
    let args = [dump.to_str().unwrap(), "-o", out.to_str().unwrap()];
    // The run's fingerprint, from the state a started run writes at once.
    let mut child = score_cmd(&args).stderr(Stdio::null()).spawn().unwrap();
    let state_path = sibling(&out, ".state.json");
    while !state_path.exists() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut state: serde_json::Value =
        serde_json::from_slice(&fs::read(&state_path).unwrap()).unwrap();
    // What the run had committed just before it published.
    fs::write(sibling(&out, ".partial"), &reference.0).unwrap();
    state["records_done"] = 30.into();
    state["rows_bytes"] = reference.0.len().into();
    state["rejects_bytes"] = 0.into();
    state["finishing"] = true.into();
    fs::write(&state_path, state.to_string()).unwrap();

    let resumed = score(&[&args[..], &["--resume"]].concat());
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert!(
        stderr(&resumed).contains("already complete"),
        "{}",
        stderr(&resumed)
    );
    check_complete(&out, &reference, "the publish was completed");
}
