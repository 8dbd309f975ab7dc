//! Renouncing force, read from the surface: "the conflict cannot be solved
//! by force", "force cannot settle this conflict", "it can only be resolved
//! by political means", "there is no military solution". The guidelines
//! count it as a ceasefire call ("renouncing force ('cannot be solved by
//! force')") with no addressee, so its targets are the belligerents; the
//! model, which learnt calls from their verbs ("called for", "urged"),
//! misses a call made as a statement about the war.

use super::exclusion::lowercase_words;
use super::speaker::words;

/// Verbs of settling a conflict ("cannot be solved by force").
const SETTLE: &[&str] = &[
    "solved", "resolved", "settled", "ended", "won", "decided", "achieved",
];

/// Negations before them ("cannot", "will never be").
const NEGATED: &[&str] = &[
    "cannot", "can't", "not", "never", "won't", "couldn't", "wouldn't",
];

/// The same verbs in the active voice, with force as their subject ("force
/// cannot settle this conflict").
const SETTLE_ACTIVE: &[&str] = &["solve", "resolve", "settle", "end", "win", "decide"];

/// Words that may stand between force and the negated verb ("will never
/// resolve"); "alone" may not (force alone is not renounced).
const AUXILIARIES: &[&str] = &["will", "would", "can", "could", "does", "do", "did", "ever"];

/// Means of force after them ("by force", "militarily", "by arms").
const FORCE: &[&str] = &["force", "militarily", "arms", "weapons", "bombs"];

/// The means a conflict "can only be resolved" by, when that renounces
/// force ("through political and diplomatic means", "by negotiations").
const PEACEFUL: &[&str] = &[
    "political",
    "politically",
    "diplomatic",
    "diplomatically",
    "diplomacy",
    "peaceful",
    "peacefully",
    "negotiation",
    "negotiations",
    "dialogue",
];

/// Whether `sentence` renounces force toward the war: a negated settling
/// by force ("cannot be solved by force", "will never be won militarily"),
/// not force "alone" (a call for more than force is no call to stop); the
/// same with force as the subject ("force cannot settle this conflict"); a
/// settling "only" by peaceful means ("can only be resolved through
/// political and diplomatic means"; not "only militarily"); or "no (purely)
/// military solution".
pub fn renounces_force(sentence: &str) -> bool {
    let words = lowercase_words(sentence);
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    let negated_before = |at: usize| (at.saturating_sub(3)..at).any(|i| NEGATED.contains(&word(i)));
    (0..words.len()).any(|at| {
        if SETTLE.contains(&word(at)) {
            let force = (at + 1..at + 4).find(|&i| FORCE.contains(&word(i)));
            let only = (at.saturating_sub(3)..at).any(|i| word(i) == "only");
            let peaceful = (at + 1..at + 4).any(|i| PEACEFUL.contains(&word(i)));
            (negated_before(at) && force.is_some_and(|i| word(i + 1) != "alone"))
                || (only && peaceful)
        } else if ["come", "comes"].contains(&word(at)) {
            // "peace will never come through weapons"
            negated_before(at)
                && ["through", "by", "from"].contains(&word(at + 1))
                && (at + 2..at + 4).any(|i| FORCE.contains(&word(i)))
                && (at.saturating_sub(5)..at).any(|i| word(i) == "peace")
        } else if SETTLE_ACTIVE.contains(&word(at)) {
            // "force cannot settle", "weapons will never resolve": force
            // right before the negation, the verb right after it.
            let subject = (at.saturating_sub(4)..at).find(|&i| FORCE.contains(&word(i)));
            subject.is_some_and(|i| {
                (i + 1..at).all(|j| NEGATED.contains(&word(j)) || AUXILIARIES.contains(&word(j)))
                    && negated_before(at)
            })
        } else {
            // "no military solution", "no purely military solution".
            word(at) == "no"
                && ((word(at + 1) == "military" && word(at + 2) == "solution")
                    || (word(at + 2) == "military" && word(at + 3) == "solution"))
        }
    })
}

/// A call to stop the fighting in the words of arms ([`silences_guns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GunsSilenced {
    /// "the guns must fall silent", "silence the guns": no one in
    /// particular, so the belligerents.
    Guns,
    /// "lay down its arms" at this byte offset: the party named last before
    /// it ("Hamas has to lay down its arms", "pleaded with Hamas to lay down
    /// its arms"), or the belligerents where none is.
    LayDown(usize),
}

/// Whether `sentence` asks for the fighting to stop in the words of arms:
/// "the guns must fall silent", "silence the guns", "lay down its arms".
/// The guidelines' ceasefire is any call to end the fighting; the model
/// knows the call by "ceasefire" and "truce" and misses these.
pub fn silences_guns(sentence: &str) -> Option<GunsSilenced> {
    let found = words(sentence);
    let words: Vec<String> = found.iter().map(|w| w.2.replace('’', "'")).collect();
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    let arms = |w: &str| ["arms", "weapons", "guns"].contains(&w);
    (0..words.len()).find_map(|at| match word(at) {
        // "the guns (must, should) fall silent", "guns falling silent"
        "fall" | "falls" | "fell" | "falling"
            if word(at + 1) == "silent"
                && (at.saturating_sub(3)..at).any(|i| word(i) == "guns") =>
        {
            Some(GunsSilenced::Guns)
        }
        "silence" | "silencing" if word(at + 1) == "the" && word(at + 2) == "guns" => {
            Some(GunsSilenced::Guns)
        }
        // "lay down its arms", "laid down their weapons": not past a
        // negation ("will never lay down its arms" is a refusal).
        "lay" | "lays" | "laid" | "laying"
            if word(at + 1) == "down"
                && (arms(word(at + 2)) || arms(word(at + 3)))
                && !(at.saturating_sub(3)..at).any(|i| NEGATED.contains(&word(i))) =>
        {
            Some(GunsSilenced::LayDown(found[at].0))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renouncing_force_is_found() {
        for s in [
            "Russia said the conflict cannot be solved by force.",
            "Biden said the war will never be won militarily.",
            "He stressed that there is no military solution to the conflict.",
            "There can be no purely military solution, she said.",
            "The crisis can't be resolved through force of arms.",
            "Force cannot settle this conflict, which is now 75 years old.",
            "Weapons will never resolve the dispute, the minister said.",
            "The conflict can only be resolved through political and diplomatic means.",
            "He said the crisis could only be settled by negotiations.",
            "The Pentagon said peace will never come through weapons.",
        ] {
            assert!(renounces_force(s), "{s}");
        }
    }

    #[test]
    fn force_used_or_force_alone_is_not_renounced() {
        for s in [
            "Israel said Hamas can only be defeated by force.",
            "The war cannot be won by force alone.",
            "The talks were not solved quickly.",
            "He said the matter was solved by diplomacy.",
            "Netanyahu vowed to use force.",
            "The war can only be won militarily, he said.",
            "Force alone will not end the threat, so diplomacy must follow.",
            "The army said force would end the siege.",
            "Only diplomacy, he said, was discussed at the meeting.",
            "Hamas said the use of force cannot be ruled out.",
            "Peace will come through strength, he said.",
        ] {
            assert!(!renounces_force(s), "{s}");
        }
    }

    #[test]
    fn a_call_to_silence_the_guns_is_found() {
        for s in [
            "Russia said the guns must fall silent in Gaza.",
            "He urged both sides to silence the guns.",
            "Washington pleaded with Hamas to lay down its arms.",
        ] {
            assert!(silences_guns(s).is_some(), "{s}");
        }
        for s in [
            "Hamas said it will never lay down its arms.",
            "The guns were loud all night.",
            "Israel laid down conditions for the talks.",
        ] {
            assert!(silences_guns(s).is_none(), "{s}");
        }
    }
}
