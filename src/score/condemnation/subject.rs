//! The one who condemns as the sentence's subject: "Israel put the blame
//! for the collapse of the truce squarely on Hamas", "The White House
//! sharply criticised Moscow". The model reads the name beside the verb of
//! condemnation as its target; the guidelines' holder is not the target.

use super::{CLAUSE_BREAKS, CONDEMNATION};
use crate::score::speaker::{capitalised, heads, words, BODIES_OF_PARTY, TITLES};
use crate::types::Mention;

/// Words that may stand between the subject and its verb: auxiliaries,
/// adverbs of degree and time, the possessive's "s" (besides a title or a
/// body of the party: "Israel's foreign ministry", "the Hamas leader",
/// "the Biden administration").
const SUBJECT_TO_VERB: &[&str] = &[
    "s",
    "has",
    "have",
    "had",
    "also",
    "again",
    "strongly",
    "sharply",
    "harshly",
    "bluntly",
    "openly",
    "repeatedly",
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    // "did not blame", "refused to denounce": its subject condemns no one,
    // and is not condemned. Not "failed" or "failure": "Russia's failure
    // to condemn Hamas drew criticism" condemns Russia.
    "did",
    "does",
    "do",
    "not",
    "never",
    "didn't",
    "doesn't",
    "refused",
    "refuses",
    "declined",
    "declines",
    "refrained",
    "refrains",
    "to",
    "from",
];

/// Verbs that lay a blame with "the blame" after them ("put the blame on").
const LAYING: &[&str] = &[
    "put", "puts", "laid", "lays", "placed", "places", "pinned", "pins",
];

/// Words right after the verb that make it a headline's passive ("Israel
/// condemned for …", "Hamas accused of …", "Russia slammed over …"): its
/// subject is the one condemned.
const PASSIVE_AFTER: &[&str] = &[
    "for", "over", "by", "of", "as", "after", "amid", "in", "at", "from",
];

/// How many words may stand between the subject and its verb.
const REACH: usize = 6;

/// Whether `mention` (offsets relative to `sentence`) heads the sentence as
/// the subject of a verb of condemnation in the active voice, or of laying
/// the blame ("put the blame … on").
pub fn condemning_subject(sentence: &str, mention: &Mention) -> bool {
    let Some([verb, next, after_next]) = head_verb(sentence, mention) else {
        return false;
    };
    let lays_blame = LAYING.contains(&verb.as_str()) && (next == "blame" || after_next == "blame");
    (condemns(&verb) || lays_blame) && !PASSIVE_AFTER.contains(&next.as_str())
}

/// Whether `mention` heads a headline's passive condemnation ("Hamas
/// accused of war crimes by Russia", "Israel condemned for …"): the one
/// condemned, though a verb of speech and stance follows it.
pub fn condemned_in_headline(sentence: &str, mention: &Mention) -> bool {
    head_verb(sentence, mention)
        .is_some_and(|[verb, next, _]| condemns(&verb) && PASSIVE_AFTER.contains(&next.as_str()))
}

fn condemns(word: &str) -> bool {
    CONDEMNATION.iter().any(|stem| word.starts_with(stem))
}

/// The verb after `mention` at the head of the sentence, and the two words
/// after it (empty where the clause ends), lowercased.
fn head_verb(sentence: &str, mention: &Mention) -> Option<[String; 3]> {
    if !heads(sentence, mention) {
        return None;
    }
    let clause = sentence.get(mention.end..)?.split(CLAUSE_BREAKS).next()?;
    let found = words(clause);
    let word = |i: usize| found.get(i).map_or(String::new(), |w| w.2.clone());
    let verb = (0..found.len().min(REACH)).find(|&i| {
        let w = word(i);
        !(SUBJECT_TO_VERB.contains(&w.as_str())
            || BODIES_OF_PARTY.contains(&w.as_str())
            || TITLES.contains(&w.as_str())
            || capitalised(clause, found[i].0))
    })?;
    Some([word(verb), word(verb + 1), word(verb + 2)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn subject(sentence: &str, name: &str) -> bool {
        condemning_subject(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn the_one_who_condemns_heads_the_sentence() {
        assert!(subject(
            "Israel put the blame for the collapse of the truce squarely on Hamas.",
            "Israel"
        ));
        assert!(subject(
            "The White House sharply criticised the Kremlin.",
            "White House"
        ));
        assert!(subject(
            "Russia's foreign ministry condemned the strikes.",
            "Russia"
        ));
        assert!(subject(
            "US Secretary of State Antony Blinken accused Hamas of using civilians as shields.",
            "US"
        ));
        assert!(subject("Hamas blamed Israel for the blast.", "Hamas"));
    }

    #[test]
    fn a_headline_passive_is_the_one_condemned() {
        let headline = "Hamas accused of war crimes by Russia";
        assert!(condemned_in_headline(
            headline,
            &mention_of(headline, "Hamas")
        ));
        let active = "Hamas accused Russia of war crimes.";
        assert!(!condemned_in_headline(active, &mention_of(active, "Hamas")));
    }

    #[test]
    fn a_headline_passive_another_verb_or_a_later_name_is_not() {
        assert!(!subject(
            "Israel condemned for the strikes on Rafah",
            "Israel"
        ));
        assert!(!subject(
            "Hamas accused of war crimes by rights groups",
            "Hamas"
        ));
        assert!(!subject("Israel said Hamas was to blame.", "Israel"));
        assert!(!subject(
            "Israel vowed revenge and condemned the attack.",
            "Israel"
        ));
        assert!(!subject(
            "On Monday, Egypt condemned Israel's strikes.",
            "Israel"
        ));
        assert!(!subject("Attacks on Israel were condemned.", "Israel"));
    }
}
