//! The behaviour suite (`tests/behaviour/suite.toml`) and its paraphrase,
//! reworded and fourth sets (`tests/behaviour/*.toml`) against the default
//! model (or
//! `STANCE_TEST_MODEL`): prints each category's share of fully right cases
//! and fails when the whole falls below the set's floor.
//!
//! The floors guard against regressions of the committed model; each is set
//! a little under what that model measured (see the model card), not at the
//! project's target of 0.90, which the README reports against.

use stance::eval::behaviour;
use stance::model::device::{self, DeviceChoice};
use stance::parties::PartySet;
use stance::score::Scorer;

/// Share of fully right cases the default model must keep on the suite: it
/// measured 0.987 (model card); the floor leaves room for a retrain's
/// noise.
const SUITE_FLOOR: f64 = 0.95;

/// The same on the paraphrase set: it measured 0.954.
const PARAPHRASE_FLOOR: f64 = 0.90;

/// The same on the reworded set: it measured 0.765 at its first run, 0.770
/// with the rules written from the other two sets' failures, 0.991 with
/// those written from its own and 0.995 with the fourth set's (README).
const REWORDED_FLOOR: f64 = 0.95;

/// The same on the fourth set: it measured 0.771 at its first run, before
/// the rules written from its failures, and 0.965 with them (README).
const FOURTH_FLOOR: f64 = 0.93;

fn check(name: &str, path: &str, floor: f64) {
    let model = std::env::var("STANCE_TEST_MODEL").ok();
    let device = device::select(DeviceChoice::Cpu).unwrap();
    let scorer = Scorer::load(model.as_deref(), &device, &PartySet::builtin().templates)
        .expect("the default model loads (make setup)");
    let cases = behaviour::load(std::path::Path::new(path)).unwrap();
    let report = behaviour::run(&scorer, &cases).unwrap();
    println!(
        "{name}, model {}:\n{}",
        scorer.name(),
        behaviour::render(&report)
    );
    for (category, failures) in &report.failures {
        for failure in failures {
            println!("  {category}: {failure}");
        }
    }
    assert!(
        report.rate >= floor,
        "{name}: {:.3} of cases fully right, under the floor {floor}",
        report.rate
    );
}

#[test]
fn behaviour_suite() {
    check("behaviour suite", behaviour::SUITE, SUITE_FLOOR);
}

#[test]
fn paraphrase_set() {
    check("paraphrase set", behaviour::PARAPHRASE, PARAPHRASE_FLOOR);
}

#[test]
fn reworded_set() {
    check("reworded set", behaviour::REWORDED, REWORDED_FLOOR);
}

#[test]
fn fourth_set() {
    check("fourth set", behaviour::FOURTH, FOURTH_FLOOR);
}
