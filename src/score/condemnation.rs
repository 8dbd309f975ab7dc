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
pub(super) const CONDEMNATION: &[&str] = &[
    "condemn",
    "denounc",
    "denunciat",
    "accus",
    "blam",
    "criticis",
    "criticiz",
    "slam",
    "lambast",
    "decri",
    "decry",
    "castigat",
    "rebuk",
    "censur",
    "chastis",
    "assail",
    "excoriat",
    "vilif",
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
/// party. Not "of" after an act ("the bombing of Gaza", "the killing of
/// Palestinians" name the victim), not "in" (a place: "war crimes in Gaza",
/// "condemnation in Washington"), not "and" (a new clause may follow:
/// "condemned the attack and Israel vowed revenge").
const FILLER: &[&str] = &[
    "the",
    "its",
    "their",
    "his",
    "her",
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
    "oct",
];

/// Offices that stand for their party ("condemned the Israeli government",
/// "the government of Israel").
const OFFICES: &[&str] = &[
    "regime",
    "government",
    "leadership",
    "leaders",
    "forces",
    "army",
];

/// Nouns of condemnation after which "of" names the party itself
/// ("condemnation of Israel"), as it does after an office.
const OF_PARTY: &[&str] = &["condemnation", "condemnations", "denunciation", "criticism"];

/// Words that deny the condemnation when they stand just before it
/// ("refused to condemn Hamas", "did not condemn"): the guidelines give no
/// condemnation to an actor that fails to condemn.
const NEGATION: &[&str] = &[
    "not",
    "never",
    "no",
    "refused",
    "refuses",
    "refusing",
    "refusal",
    "failed",
    "fails",
    "failing",
    "failure",
    "declined",
    "declines",
    "declining",
    "refrained",
    "refrains",
    "yet",
    "short",
    "without",
    "reluctant",
    "reluctance",
    "cannot",
    "can't",
    "didn't",
    "doesn't",
    "don't",
    "hasn't",
    "haven't",
    "won't",
    "wouldn't",
];

/// How many words back from the mention the condemnation may stand.
const REACH: usize = 8;

/// Whether `mention` (offsets relative to `sentence`) is the object of a
/// condemnation: a verb or noun of condemnation, then only articles,
/// adjectives of an act, the act itself and "by" after it ("of" only after
/// a noun of condemnation or an office), then the mention, within one clause (no comma or other break between) and not denied ("did not condemn …"). "By"
/// right after the verb names the one who condemns ("condemned by the
/// United States"), not its object.
pub fn condemned_object(sentence: &str, mention: &Mention) -> bool {
    if mention.start > sentence.len() || !sentence.is_char_boundary(mention.start) {
        return false;
    }
    // "didn’t" reads as "didn't".
    let before: Vec<(usize, usize, String)> = words(&sentence[..mention.start])
        .into_iter()
        .map(|(start, end, word)| (start, end, word.replace('’', "'")))
        .collect();
    let word = |i: usize| before[i].2.as_str();
    for at in (before.len().saturating_sub(REACH)..before.len()).rev() {
        if CONDEMNATION.iter().any(|stem| word(at).starts_with(stem)) {
            let between: Vec<&str> = (at + 1..before.len()).map(word).collect();
            let previous = |i: usize| if i == 0 { word(at) } else { between[i - 1] };
            // "by" names an act's agent ("the attack by Hamas"), not the one
            // condemning ("condemned by the United States"); "of" names the
            // party after a noun of condemnation or an office only.
            let linked = between.iter().enumerate().all(|(i, &w)| match w {
                "by" => i > 0 && ACTS.contains(&previous(i)),
                "of" => OF_PARTY.contains(&previous(i)) || OFFICES.contains(&previous(i)),
                _ => true,
            });
            // "did not condemn", "refused to condemn"; but "not only
            // condemned" condemns.
            let denied = (at.saturating_sub(3)..at).any(|i| {
                NEGATION.contains(&word(i)) && !(word(i) == "not" && word(i + 1) == "only")
            });
            let clause_break = sentence[before[at].0..mention.start]
                .contains([',', ';', ':', '.', '!', '?', '"', '“', '”', '(', '—', '–']);
            return linked && !denied && !clause_break;
        }
        let w = word(at);
        if !(ACTS.contains(&w)
            || FILLER.contains(&w)
            || OFFICES.contains(&w)
            || w == "by"
            || w == "of")
        {
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
            (
                "The EU not only condemned Hamas but cut its funds.",
                "Hamas",
            ),
            (
                "They accused the government of Israel of war crimes.",
                "Israel",
            ),
            ("It voiced its denunciation of Israel.", "Israel"),
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
            ("Erdogan condemned the bombing of Gaza.", "Gaza"),
            (
                "Egypt condemned the killing of Palestinians.",
                "Palestinians",
            ),
            ("Israel has been accused of war crimes in Gaza.", "Gaza"),
            ("The strikes drew condemnation in Washington.", "Washington"),
            (
                "Egypt condemned the attack and Israel vowed revenge.",
                "Israel",
            ),
            (
                "Russia was criticised for failing to condemn Hamas.",
                "Hamas",
            ),
            ("Moscow has yet to condemn Hamas.", "Hamas"),
            ("It stopped short of condemning Hamas.", "Hamas"),
            ("Russia didn’t condemn Hamas.", "Hamas"),
            (
                "Biden condemned the attacks — Israel has the right to act.",
                "Israel",
            ),
        ];
        for (s, name) in cases {
            assert!(!object(s, name), "{s}");
        }
    }
}
