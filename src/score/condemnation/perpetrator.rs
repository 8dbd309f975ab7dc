//! The one said to commit a crime: "Israel is committing war crimes",
//! "Hamas carried out the massacre". The guidelines' condemnation is an
//! accusation of wrongdoing ("accused of war crimes"); news also states
//! the accusation with the party as the subject of the crime, where the
//! model reads "According to Israel, Hamas committed war crimes" as a
//! report of fact and labels no one. In train and silver, every party
//! named as such a subject is condemned but where the sentence denies it
//! ("denied that Hamas had carried out the massacre");
//! `tests/condemnation.rs` checks that share on all the gold data.

use super::{words_before, CLAUSE_BREAKS, NEGATION};
use crate::score::speaker::{words, BODIES_OF_PARTY};
use crate::types::Mention;

/// Verbs of committing ("carried" and its forms only with "out").
const COMMITTING: &[&str] = &[
    "commit",
    "commits",
    "committed",
    "committing",
    "perpetrate",
    "perpetrates",
    "perpetrated",
    "perpetrating",
    "carry",
    "carries",
    "carried",
    "carrying",
];

/// Nouns of a crime ("war crimes", "crimes against humanity", "ethnic
/// cleansing"). Not "attack" or "terrorist attack": a report of an attack
/// names it without accusing, as the guidelines' naming-only rule reads it.
const CRIMES: &[&str] = &[
    "crime",
    "crimes",
    "atrocity",
    "atrocities",
    "massacre",
    "massacres",
    "genocide",
    "cleansing",
];

/// Words that may stand between the subject and the verb: auxiliaries and
/// adverbs (besides a body of the party: "Israeli forces committed").
const SUBJECT_TO_VERB: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "been",
    "being",
    "also",
    "again",
    "allegedly",
    "repeatedly",
    "openly",
    "deliberately",
    "systematically",
    "s",
];

/// How many words may stand between the verb and the crime ("carried out
/// the largest massacre", "committed more war crimes").
const VERB_TO_CRIME: usize = 4;

/// Verbs that, right before the subject's clause, deny what follows
/// ("denied that Hamas had carried out the massacre").
const DENYING: &[&str] = &[
    "denied",
    "denies",
    "deny",
    "denying",
    "rejected",
    "rejects",
    "dismissed",
];

/// Whether `mention` (offsets relative to `sentence`) is the subject of
/// committing a crime, within one clause and not denied: no negation
/// between subject and verb ("never committed"), no denying verb just
/// before the subject ("denied that Israel had committed").
pub fn commits_crime(sentence: &str, mention: &Mention) -> bool {
    let Some(after) = sentence.get(mention.end..) else {
        return false;
    };
    let clause = after.split(CLAUSE_BREAKS).next().unwrap_or("");
    let found = words(clause);
    let Some(verb) = found.iter().position(|w| {
        !(SUBJECT_TO_VERB.contains(&w.2.as_str()) || BODIES_OF_PARTY.contains(&w.2.as_str()))
    }) else {
        return false;
    };
    let word = |i: usize| found.get(i).map_or("", |w| w.2.as_str());
    if !COMMITTING.contains(&word(verb)) {
        return false;
    }
    let object = if word(verb).starts_with("carr") {
        if word(verb + 1) != "out" {
            return false;
        }
        verb + 2
    } else {
        verb + 1
    };
    let crime =
        (object..found.len().min(object + VERB_TO_CRIME + 1)).any(|i| CRIMES.contains(&word(i)));
    let negated = (0..verb).any(|i| NEGATION.contains(&word(i)));
    crime && !negated && !denied_before(sentence, mention)
}

/// Whether a denying verb stands within three words before the mention, in
/// its clause ("denied that the Israeli army had …").
pub(super) fn denied_before(sentence: &str, mention: &Mention) -> bool {
    let Some(before) = words_before(sentence, mention) else {
        return false;
    };
    (before.len().saturating_sub(3)..before.len()).any(|i| {
        DENYING.contains(&before[i].2.as_str())
            && !sentence[before[i].1..mention.start].contains(CLAUSE_BREAKS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn commits(sentence: &str, name: &str) -> bool {
        commits_crime(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn the_subject_of_a_crime_is_accused() {
        assert!(commits(
            "According to Israel, Hamas committed war crimes in the war.",
            "Hamas"
        ));
        assert!(commits(
            "Safadi said Israel was committing war crimes.",
            "Israel"
        ));
        assert!(commits(
            "After Hamas carried out the largest massacre of Jews since the Holocaust, they met.",
            "Hamas"
        ));
        assert!(commits(
            "He said Israeli forces had committed atrocities in Jabalia.",
            "Israeli"
        ));
        assert!(commits(
            "South Africa alleges that Israel is perpetrating genocide.",
            "Israel"
        ));
    }

    #[test]
    fn no_accusation_without_a_crime_or_with_a_denial() {
        // Denied, by a negation or a denying verb.
        assert!(!commits(
            "Hamas never committed war crimes, he said.",
            "Hamas"
        ));
        assert!(!commits(
            "The ministry denied that Hamas had carried out the massacre.",
            "Hamas"
        ));
        // Committed to something, carried out an attack: no crime named.
        assert!(!commits("Israel is committed to the talks.", "Israel"));
        assert!(!commits("Hamas carried out an attack on Sunday.", "Hamas"));
        // Not the subject: the victim of the crimes, or another clause.
        assert!(!commits(
            "Crimes against the Palestinians were committed, Abbas said.",
            "Palestinians"
        ));
        assert!(!commits(
            "Israel said the group, not Gaza's civilians, committed the massacre.",
            "Israel"
        ));
    }
}
