//! The condemnation-object rule against the gold data
//! (`score::condemnation`): a party that the rule reads as the object of a
//! condemnation ("condemned the attack by Hamas", "accused Israel of …")
//! must almost always be condemned in that sentence by the annotators, and
//! at least as often as the probability the rule gives it
//! (`CONDEMNED_OBJECT_PROBABILITY`), or the rule would add false positives
//! and overstate its confidence. Every (annotated sentence, party the
//! matcher finds) pair of train, silver and dev is read with the extended
//! parties file; a pair without a gold row is gold 0 (closed world). Run
//! with `--nocapture` to see the pairs.

mod gold_support;

use stance::score::condemnation::condemned_object;
use stance::score::rules::CONDEMNED_OBJECT_PROBABILITY;

/// And only if it finds such pairs at all (a broken reader would find
/// none; measured: 44, 42 condemned).
const MIN_PAIRS: usize = 35;
/// The share condemned may fall this far under the rule's probability
/// before the test fails (a few pairs of sampling noise).
const TOLERANCE: f64 = 0.05;

#[test]
fn annotators_condemn_the_object_of_a_condemnation() {
    let (pairs, condemned) = gold_support::pairs_where(
        |text, mentions| mentions.iter().any(|m| condemned_object(text, m)),
        |row| row["condemn"] == 1,
    );
    let share = condemned as f64 / pairs.max(1) as f64;
    println!(
        "condemned-object pairs: {pairs}, condemned by the annotators: {condemned} ({share:.3})"
    );
    assert!(
        pairs >= MIN_PAIRS,
        "only {pairs} condemned-object pairs found"
    );
    assert!(
        share >= CONDEMNED_OBJECT_PROBABILITY as f64 - TOLERANCE,
        "{condemned} of {pairs} condemned-object pairs are condemned in the gold data ({share:.3}), under the rule's {CONDEMNED_OBJECT_PROBABILITY}"
    );
}
