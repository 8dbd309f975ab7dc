//! Renouncing force, read from the surface: "the conflict cannot be solved
//! by force", "there is no military solution". The guidelines count it as a
//! ceasefire call ("renouncing force ('cannot be solved by force')") with no
//! addressee, so its targets are the belligerents; the model, which learnt
//! calls from their verbs ("called for", "urged"), misses a call made as a
//! statement about the war.

use super::exclusion::lowercase_words;

/// Verbs of settling a conflict ("cannot be solved by force").
const SETTLE: &[&str] = &[
    "solved", "resolved", "settled", "ended", "won", "decided", "achieved",
];

/// Negations before them ("cannot", "will never be").
const NEGATED: &[&str] = &[
    "cannot", "can't", "not", "never", "won't", "couldn't", "wouldn't",
];

/// Means of force after them ("by force", "militarily", "by arms").
const FORCE: &[&str] = &["force", "militarily", "arms", "weapons", "bombs"];

/// Whether `sentence` renounces force toward the war: a negated settling
/// by force ("cannot be solved by force", "will never be won militarily"),
/// not force "alone" (a call for more than force is no call to stop), or
/// "no (purely) military solution".
pub fn renounces_force(sentence: &str) -> bool {
    let words = lowercase_words(sentence);
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    (0..words.len()).any(|at| {
        if SETTLE.contains(&word(at)) {
            let negated = (at.saturating_sub(3)..at).any(|i| NEGATED.contains(&word(i)));
            let force = (at + 1..at + 4).find(|&i| FORCE.contains(&word(i)));
            negated && force.is_some_and(|i| word(i + 1) != "alone")
        } else {
            // "no military solution", "no purely military solution".
            word(at) == "no"
                && ((word(at + 1) == "military" && word(at + 2) == "solution")
                    || (word(at + 2) == "military" && word(at + 3) == "solution"))
        }
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
        ] {
            assert!(!renounces_force(s), "{s}");
        }
    }
}
