//! The object of a condemnation, read from its surface: "condemned the
//! attack by Hamas", "accused Israel of war crimes", "blamed the
//! Palestinians for the collapse of the talks", "denounced Russia's
//! aggression". The guidelines' first label is exactly this (an explicit
//! condemnation of a party or of its acts, whoever voices it), and it is
//! the case the model gets wrong by role: news gives each party habitual
//! roles, so a condemnation of a party seldom condemned in the training
//! data (the Palestinians, Russia by Israel) is missed. Read from the words
//! alone, the object is the target whoever it is.

use super::speaker::words;
use crate::types::Mention;

/// Word beginnings of verbs and nouns of condemnation ("condemned",
/// "condemnation", "accused", "blamed", "criticised", "decried").
const CONDEMNATION: &[&str] = &[
    "condemn", "denounc", "accus", "blam", "criticis", "criticiz", "slam", "lambast", "decri",
    "decry", "castigat", "rebuk", "censur", "chastis", "assail", "excoriat", "vilif",
];

/// Acts whose agent follows "by" ("condemned the attack by Hamas") and
/// that stand for their agent ("condemned Israel's strikes").
const ACTS: &[&str] = &[
    "attack",
    "attacks",
    "assault",
    "strike",
    "strikes",
    "violence",
    "conduct",
    "policy",
    "policies",
    "crimes",
    "behaviour",
    "behavior",
    "action",
    "actions",
    "campaign",
    "offensive",
    "aggression",
    "war",
    "terror",
    "atrocities",
    "massacre",
    "killing",
    "killings",
    "bombing",
    "bombardment",
    "shelling",
    "operation",
    "operations",
];

/// Words that may stand between the condemnation and its object: articles,
/// adverbs of degree, the adjectives of a condemned act, an office of the
/// party ("the government of Israel").
const FILLER: &[&str] = &[
    "the",
    "of",
    "its",
    "their",
    "his",
    "her",
    "in",
    "and",
    "both",
    "also",
    "again",
    "strongly",
    "unequivocally",
    "sharply",
    "harshly",
    "terrorist",
    "brutal",
    "appalling",
    "horrific",
    "deadly",
    "barbaric",
    "heinous",
    "savage",
    "vicious",
    "murderous",
    "cowardly",
    "despicable",
    "abhorrent",
    "unprovoked",
    "latest",
    "recent",
    "october",
    "7",
    "military",
    "regime",
    "government",
    "leadership",
    "leaders",
    "forces",
    "army",
];

/// Words that deny the condemnation when they stand just before it
/// ("refused to condemn Hamas", "did not condemn"): the guidelines give no
/// condemnation to an actor that fails to condemn.
const NEGATION: &[&str] = &[
    "not",
    "never",
    "no",
    "refused",
    "refuses",
    "refusal",
    "failed",
    "fails",
    "failure",
    "declined",
    "declines",
    "without",
    "reluctant",
    "reluctance",
    "didn't",
    "doesn't",
    "don't",
    "won't",
    "wouldn't",
];

/// How many words back from the mention the condemnation may stand.
const REACH: usize = 8;

/// Whether `mention` (offsets relative to `sentence`) is the object of a
/// condemnation: a verb or noun of condemnation, then only articles,
/// adjectives of an act, the act itself and "by" after it, then the
/// mention, within one clause (no comma or other break between) and not denied ("did not condemn …"). "By"
/// right after the verb names the one who condemns ("condemned by the
/// United States"), not its object.
pub fn condemned_object(sentence: &str, mention: &Mention) -> bool {
    if mention.start > sentence.len() || !sentence.is_char_boundary(mention.start) {
        return false;
    }
    let before = words(&sentence[..mention.start]);
    let word = |i: usize| before[i].2.as_str();
    for at in (before.len().saturating_sub(REACH)..before.len()).rev() {
        if CONDEMNATION.iter().any(|stem| word(at).starts_with(stem)) {
            let between: Vec<&str> = (at + 1..before.len()).map(word).collect();
            let agent_follows_act = between
                .iter()
                .enumerate()
                .all(|(i, &w)| w != "by" || (i > 0 && ACTS.contains(&between[i - 1])));
            let denied = (at.saturating_sub(3)..at).any(|i| NEGATION.contains(&word(i)));
            let clause_break = sentence[before[at].0..mention.start]
                .contains([',', ';', ':', '!', '?', '"', '“', '”', '(']);
            return agent_follows_act && !denied && !clause_break;
        }
        let w = word(at);
        if !(ACTS.contains(&w) || FILLER.contains(&w) || w == "by") {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn object(sentence: &str, name: &str) -> bool {
        condemned_object(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn the_object_of_a_condemnation_is_found_whoever_it_is() {
        let cases = [
            (
                "Israel condemned the attack by the Palestinians.",
                "Palestinians",
            ),
            (
                "Hamas accused the Palestine Liberation Organization of war crimes.",
                "Palestine",
            ),
            (
                "Moscow blamed the Palestinians for the collapse of the talks.",
                "Palestinians",
            ),
            ("Biden condemns Iran's 'brazen attack'.", "Iran"),
            (
                "Putin unequivocally condemns the appalling violence by Hamas.",
                "Hamas",
            ),
            (
                "The summit issued a strong condemnation of Israel's campaign.",
                "Israel",
            ),
            ("Erdan slams Russia for hosting Hamas.", "Russia"),
        ];
        for (s, name) in cases {
            assert!(object(s, name), "{s}");
        }
    }

    #[test]
    fn holders_agents_of_other_verbs_and_denials_are_not_objects() {
        let cases = [
            ("Israel condemned the attack by the Palestinians.", "Israel"),
            (
                "The attacks were unequivocally condemned by the United States.",
                "United States",
            ),
            ("Russia did not condemn Hamas in its statement.", "Hamas"),
            ("Malaysia refused to condemn Hamas.", "Hamas"),
            ("Moscow's failure to condemn Hamas drew criticism.", "Hamas"),
            ("He condemned the attack on Israel.", "Israel"),
            ("She condemned the violence and met Hamas leaders.", "Hamas"),
            ("They condemned it: \"Hamas must go\".", "Hamas"),
            (
                "Joining the condemnations, the British minister spoke.",
                "British",
            ),
            ("Hamas praised Russia.", "Russia"),
        ];
        for (s, name) in cases {
            assert!(!object(s, name), "{s}");
        }
    }
}
