use super::*;
use crate::eval::metrics::{average_precision, precision_recall_curve, reliability_bins};

/// A fresh directory under the system temp dir, unique per process and call.
fn scratch_dir(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!(
        "stance-plots-{name}-{}-{nanos}",
        std::process::id()
    ))
}

/// Deterministic scores for a toy label: positives drawn higher with `skill`.
fn toy_label(seed: u64, skill: f64, n: usize) -> (Vec<f64>, Vec<bool>) {
    let mut state = seed;
    let mut next = move || {
        // xorshift64*: a dependency-free deterministic generator for test data.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let positive = next() < 0.2;
            let noise = next();
            let score = if positive {
                noise.powf(1.0 - skill)
            } else {
                noise.powf(1.0 + 6.0 * skill)
            };
            (score, positive)
        })
        .unzip()
}

fn assert_png(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        path.display()
    );
    assert!(
        bytes.len() > 10_000,
        "{} is only {} bytes",
        path.display(),
        bytes.len()
    );
}

#[test]
fn renders_both_figures() {
    let dir = scratch_dir("render");
    let labels = [("condemn", 0.8), ("support", 0.5), ("ceasefire", 0.3)];
    let data: Vec<(String, Vec<f64>, Vec<bool>)> = labels
        .iter()
        .enumerate()
        .map(|(i, &(label, skill))| {
            let (scores, gold) = toy_label(i as u64 * 7919 + 17, skill, 600);
            (label.to_string(), scores, gold)
        })
        .collect();
    let curves: Vec<LabelCurve> = data
        .iter()
        .map(|(label, scores, gold)| LabelCurve {
            label: label.clone(),
            points: precision_recall_curve(scores, gold),
            average_precision: average_precision(scores, gold),
            positives: gold.iter().filter(|&&g| g).count(),
        })
        .collect();
    let bins: Vec<(String, Vec<ReliabilityBin>)> = data
        .iter()
        .map(|(label, scores, gold)| (label.clone(), reliability_bins(scores, gold, 10)))
        .collect();

    // A nested path also checks that the parent directory is created.
    let pr = dir.join("figures").join("precision_recall.png");
    let reliability = dir.join("figures").join("reliability.png");
    plot_precision_recall(&pr, "Precision-recall (toy data)", &curves).unwrap();
    plot_reliability(&reliability, "Reliability (toy data)", &bins).unwrap();
    assert_png(&pr);
    assert_png(&reliability);
    if std::env::var_os("STANCE_KEEP_PLOTS").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    } else {
        eprintln!("plots kept in {}", dir.display());
    }
}

#[test]
fn renders_degenerate_inputs() {
    // No curves, an empty curve, an all-empty bin table: still valid PNGs.
    let dir = scratch_dir("degenerate");
    let empty = LabelCurve {
        label: "support".into(),
        points: vec![],
        average_precision: None,
        positives: 0,
    };
    plot_precision_recall(&dir.join("pr_none.png"), "none", &[]).unwrap();
    plot_precision_recall(&dir.join("pr_empty.png"), "empty", &[empty]).unwrap();
    plot_reliability(&dir.join("rel_none.png"), "none", &[]).unwrap();
    plot_reliability(
        &dir.join("rel_empty.png"),
        "empty",
        &[("support".into(), reliability_bins(&[], &[], 10))],
    )
    .unwrap();
    for name in [
        "pr_none.png",
        "pr_empty.png",
        "rel_none.png",
        "rel_empty.png",
    ] {
        assert!(std::fs::read(dir.join(name))
            .unwrap()
            .starts_with(b"\x89PNG"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_name_the_path() {
    // A regular file used as a directory makes creating the parent fail.
    let dir = scratch_dir("error");
    std::fs::create_dir_all(&dir).unwrap();
    let blocker = dir.join("not_a_dir");
    std::fs::write(&blocker, b"x").unwrap();
    let target = blocker.join("pr.png");
    let err = plot_precision_recall(&target, "t", &[]).unwrap_err();
    assert!(format!("{err:#}").contains("not_a_dir"), "{err:#}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn step_points_hold_precision_until_the_next_recall() {
    // (1/3, 1), (2/3, 0.5) -> (0, 1) (1/3, 1) (1/3, 0.5) (2/3, 0.5)
    let steps = step_points(&[(1.0 / 3.0, 1.0), (2.0 / 3.0, 0.5), (f64::NAN, 0.2)]);
    assert_eq!(
        steps,
        vec![
            (0.0, 1.0),
            (1.0 / 3.0, 1.0),
            (1.0 / 3.0, 0.5),
            (2.0 / 3.0, 0.5)
        ]
    );
}
