//! The party held responsible for a harm: "Hamas bore full responsibility
//! for the escalation", "“Israel is responsible for this massacre,” …",
//! "Moscow held Washington responsible for the deaths". The guidelines'
//! condemnation includes blame ("blame, accusation … of the party or of its
//! actions"); the model reads the blame word "accused" but seldom the
//! predicate of responsibility, least of all for a party it seldom saw
//! condemned. `tests/condemnation.rs` checks the share of such pairs the
//! annotators condemn.

use super::perpetrator::denied_before;
use super::{words_before, CLAUSE_BREAKS, NEGATION};
use crate::score::speaker::{names_party_on, words};
use crate::types::Mention;

/// Verbs that make their subject the one responsible ("is responsible",
/// "bore responsibility").
const BEARING: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "bears", "bore", "bear", "has", "have", "had",
];

/// Words between the verb and "responsible" / "responsibility".
const DEGREE: &[&str] = &[
    "fully",
    "entirely",
    "solely",
    "directly",
    "wholly",
    "primarily",
    "full",
    "the",
    "sole",
    "entire",
    "direct",
    "primary",
    "all",
    "also",
    "ultimately",
];

/// Harms whose author is blamed ("responsible for the escalation").
const HARMS: &[&str] = &[
    "massacre",
    "massacres",
    "attack",
    "attacks",
    "escalation",
    "death",
    "deaths",
    "killing",
    "killings",
    "violence",
    "bloodshed",
    "crime",
    "crimes",
    "suffering",
    "destruction",
    "war",
    "blast",
    "explosion",
    "strike",
    "strikes",
    "bombing",
    "catastrophe",
    "tragedy",
    "collapse",
    "failure",
    "atrocities",
    "genocide",
    "starvation",
    "famine",
    "carnage",
    "chaos",
    "crisis",
];

/// How many words after "for" the harm may stand ("for the deaths of
/// thousands": within four).
const FOR_TO_HARM: usize = 4;

/// Whether `mention` (offsets relative to `sentence`) is held responsible
/// for a harm, within one clause and not denied: as the subject ("Hamas
/// bore full responsibility for the escalation", "the Israeli government
/// is responsible for this massacre") or as the object of "held"/"holds"
/// ("held Washington responsible for the deaths").
pub fn held_responsible(sentence: &str, mention: &Mention) -> bool {
    let Some(after) = sentence.get(mention.end..) else {
        return false;
    };
    let clause = after.split(CLAUSE_BREAKS).next().unwrap_or("");
    let found = words(clause);
    let word = |i: usize| found.get(i).map_or("", |w| w.2.as_str());
    let mut at = (0..found.len())
        .take_while(|&i| names_party_on(word(i)))
        .count();
    let held = words_before(sentence, mention).is_some_and(|before| {
        let n = before.len();
        let w = |back: usize| {
            before
                .get(n.wrapping_sub(back))
                .map_or("", |w| w.2.as_str())
        };
        let verb = if w(1) == "the" { w(2) } else { w(1) };
        ["held", "holds", "hold", "holding"].contains(&verb)
    });
    if !held {
        if !BEARING.contains(&word(at)) {
            return false;
        }
        at += 1;
    }
    while DEGREE.contains(&word(at)) {
        at += 1;
    }
    if !["responsible", "responsibility"].contains(&word(at)) || word(at + 1) != "for" {
        return false;
    }
    let harm = (at + 2..at + 2 + FOR_TO_HARM).any(|i| HARMS.contains(&word(i)));
    let negated = (0..at).any(|i| NEGATION.contains(&word(i)));
    harm && !negated && !denied_before(sentence, mention)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn responsible(sentence: &str, name: &str) -> bool {
        held_responsible(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn the_party_held_responsible_for_a_harm() {
        assert!(responsible(
            "Jerusalem said Hamas bore full responsibility for the escalation.",
            "Hamas"
        ));
        assert!(responsible(
            "“The Israeli government is responsible for this massacre,” Hamas said.",
            "Israeli"
        ));
        assert!(responsible(
            "Moscow held Washington responsible for the deaths of civilians.",
            "Washington"
        ));
        assert!(responsible(
            "Hamas's armed wing is directly responsible for the attacks.",
            "Hamas"
        ));
    }

    #[test]
    fn no_blame_where_denied_or_for_no_harm() {
        assert!(!responsible(
            "Israel said Hamas bore no responsibility for the aid delays.",
            "Hamas"
        ));
        assert!(!responsible(
            "Russia denied that Hamas was responsible for the blast.",
            "Hamas"
        ));
        assert!(!responsible(
            "Egypt is responsible for the Rafah crossing.",
            "Egypt"
        ));
        assert!(!responsible(
            "Israel was not responsible for the explosion, the army said.",
            "Israel"
        ));
    }
}
