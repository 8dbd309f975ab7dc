//! A ceasefire rejected, read from a sentence's surface: the guidelines'
//! "Rejection: 'any ceasefire would be dangerous' → ceasefire 0". News of
//! the war reports the refusals as often as the calls ("Blinken, who has
//! rejected calls for a general ceasefire", "such a ceasefire would only
//! sow the seeds of the next war"), and a model that reads the whole
//! sentence takes the word "ceasefire" for a call.

use super::speaker::words;

/// Nouns of a ceasefire (with "halt" and "pause", which the war's
/// diplomacy uses for one: "opposed an immediate halt to the fighting").
const CEASEFIRE_NOUNS: &[&str] = &[
    "ceasefire",
    "ceasefires",
    "cease-fire",
    "cease-fires",
    "truce",
    "truces",
    "pause",
    "pauses",
    "halt",
];

/// Verbs of rejection whose object the ceasefire is ("rejected calls for
/// a general ceasefire", "opposes an immediate ceasefire").
const REJECTION: &[&str] = &[
    "reject",
    "rejected",
    "rejects",
    "rejecting",
    "oppose",
    "opposed",
    "opposes",
    "opposing",
    "refuse",
    "refused",
    "refuses",
    "refusing",
    "dismiss",
    "dismissed",
    "dismisses",
    "dismissing",
];

/// Word runs of rejection, matched where they end ("ruled out a truce",
/// "turned down the pause", "stops short of ordering a ceasefire",
/// "premature to call for a ceasefire", "won't say ceasefire", "chose not
/// to impose a ceasefire").
const REJECTION_RUNS: &[&[&str]] = &[
    &["ruled", "out"],
    &["rule", "out"],
    &["rules", "out"],
    &["turned", "down"],
    &["turn", "down"],
    &["turns", "down"],
    &["short", "of"],
    &["premature", "to"],
    &["won't", "say"],
    &["not", "to", "impose"],
    &["not", "to", "order"],
];

/// How many words may stand between the rejection and the ceasefire noun.
const REACH: usize = 5;

/// Words that, between the rejection and the noun, make the noun another
/// party's call ("rejected a resolution calling for a ceasefire": its
/// sponsors called; "demands by Arab governments for a ceasefire": they
/// did) or end the rejection's clause.
const NOT_REJECTED_BETWEEN: &[&str] = &[
    "resolution",
    "resolutions",
    "draft",
    "drafts",
    "text",
    "motion",
    "bill",
    "proposal",
    "proposals",
    "plan",
    "deal",
    "calling",
    "demanding",
    "urging",
    "by",
    "that",
    "which",
    "who",
    "while",
    "but",
    "whereas",
    "because",
    "and",
    "demanded",
    "called",
    "proposed",
    "sought",
    "backed",
    "supported",
    "welcomed",
];

/// Words after "would" or "will" that judge a ceasefire harmful or vain
/// ("a ceasefire would only sow the seeds of the next war", "any
/// ceasefire will be temporary at best", "a ceasefire will not end it").
const HARMFUL: &[&str] = &[
    "only", "not", "never", "merely", "simply", "reward", "embolden", "benefit",
];

/// What a ceasefire "would" or "will be" that judges it harmful ("any
/// ceasefire will be temporary at best").
const HARMFUL_STATES: &[&str] = &[
    "temporary",
    "dangerous",
    "premature",
    "counterproductive",
    "futile",
];

/// Word beginnings of a call that the sentence may make beside the
/// rejection ("… while Russia urged restraint"): such a sentence is left
/// to the model.
const OTHER_CALLS: &[&str] = &[
    "urg",
    "appeal",
    "implor",
    "restrain",
    "de-escalat",
    "deescalat",
];

/// Whether every ceasefire `sentence` names is rejected or judged harmful:
/// the noun within [`REACH`] words after a verb of rejection ("rejected
/// calls for a general ceasefire", "opposed an immediate halt to the
/// fighting", "stops short of ordering a ceasefire"), with no sponsor's
/// text or other caller between; or followed, in its clause, by "would" or
/// "will" and a word of harm or vanity ("such a ceasefire would only sow
/// the seeds of the next war", but not "would not only save lives"). A
/// sentence that also urges or appeals is left to the model.
pub fn ceasefire_rejected(sentence: &str) -> bool {
    let ceasefire_words = CeasefireWords::new(sentence);
    let CeasefireWords { found, nouns, .. } = &ceasefire_words;
    let word = |i: usize| ceasefire_words.word(i);
    let breaks = |from: usize, to: usize| ceasefire_words.breaks(from, to);
    if nouns.is_empty()
        || (found.iter()).any(|w| OTHER_CALLS.iter().any(|call| w.2.starts_with(call)))
    {
        return false;
    }
    let rejected_before = |noun: usize| {
        (noun.saturating_sub(REACH + 1)..noun).any(|at| {
            let rejection = REJECTION.contains(&word(at))
                || REJECTION_RUNS.iter().any(|run| {
                    at + 1 >= run.len()
                        && (0..run.len()).all(|k| word(at + 1 - run.len() + k) == run[k])
                });
            rejection
                && !breaks(at, noun)
                && (at + 1..noun).all(|i| !NOT_REJECTED_BETWEEN.contains(&word(i)))
        })
    };
    let judged_harmful = |noun: usize| {
        (noun + 1..found.len().min(noun + 4)).any(|at| {
            matches!(word(at), "would" | "will")
                && !sentence[found[noun].1..found[at].0].contains(',')
                && !breaks(noun, at)
                && ((HARMFUL.contains(&word(at + 1))
                    && !(word(at + 1) == "not" && word(at + 2) == "only"))
                    || (word(at + 1) == "be" && HARMFUL_STATES.contains(&word(at + 2))))
        })
    };
    nouns
        .iter()
        .all(|&noun| rejected_before(noun) || judged_harmful(noun))
}

/// A sentence's words, apostrophes straightened, and where its ceasefire
/// nouns stand: what the word-run readings here and in [`super::vetoed`]
/// share.
pub(super) struct CeasefireWords<'a> {
    sentence: &'a str,
    /// Each word's byte start and end and its lowercase form.
    pub found: Vec<(usize, usize, String)>,
    /// The indexes in `found` of the [`CEASEFIRE_NOUNS`].
    pub nouns: Vec<usize>,
}

impl<'a> CeasefireWords<'a> {
    pub fn new(sentence: &'a str) -> Self {
        let found: Vec<(usize, usize, String)> = words(sentence)
            .into_iter()
            .map(|(start, end, word)| (start, end, word.replace('’', "'")))
            .collect();
        let nouns = (0..found.len())
            .filter(|&i| CEASEFIRE_NOUNS.contains(&found[i].2.as_str()))
            .collect();
        CeasefireWords {
            sentence,
            found,
            nouns,
        }
    }

    /// The word at `i`; "" past the end.
    pub fn word(&self, i: usize) -> &str {
        self.found.get(i).map_or("", |w| w.2.as_str())
    }

    /// Whether a clause ends between words `from` and `to`.
    pub fn breaks(&self, from: usize, to: usize) -> bool {
        self.sentence[self.found[from].1..self.found[to].0].contains([';', ':', '.', '(', '—', '–'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_or_harmful_ceasefire_is_found() {
        for s in [
            "Blinken, who has rejected calls for a general ceasefire, reaffirmed the US commitment to aid.",
            "He still opposes calls for an immediate, permanent cease-fire.",
            "Washington has so far opposed an immediate halt to the fighting.",
            "The court stops short of ordering a ceasefire.",
            "Israel ruled out a truce until the hostages are freed.",
            "At first they claimed it was premature to call for a ceasefire.",
            "The two governments won't say “ceasefire”.",
            "He welcomed the court's choice not to impose a ceasefire.",
            "Such a ceasefire would only sow the seeds of the next war.",
            "Any ceasefire will be temporary at best, he said, and a ceasefire will not end it.",
            "Israel contends that a ceasefire would only let Hamas rearm.",
        ] {
            assert!(ceasefire_rejected(s), "{s}");
        }
    }

    #[test]
    fn calls_sponsors_and_mixed_sentences_are_left_to_the_model() {
        for s in [
            "Russia called for an immediate ceasefire.",
            "The US voted against a resolution calling for a ceasefire.",
            "Washington vetoed a draft that demanded an immediate ceasefire.",
            "The US rejected a resolution calling for a ceasefire.",
            "Blinken turned aside demands by Arab governments for an immediate ceasefire.",
            "Hamas rejected claims that it had broken the truce.",
            "Israel rejected a ceasefire, while Russia urged restraint.",
            "A ceasefire would not only save lives but free the hostages.",
            "The only solution is a ceasefire, which will let aid in.",
            "Israel rejected the plan; France demanded a ceasefire.",
            "A ceasefire would allow aid to reach Gaza.",
            "Russia dismissed US claims and demanded a ceasefire.",
            "A truce will be agreed soon.",
            "Israel rejected a truce, but Egypt proposed a ceasefire.",
        ] {
            assert!(!ceasefire_rejected(s), "{s}");
        }
    }
}
