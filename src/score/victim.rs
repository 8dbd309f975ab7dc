//! The victim of an attack, read from its surface: "the attacks by Hamas on
//! Israel", "Israel's war on Gaza", "the assault that Hamas launched against
//! Israel". The guidelines give the condemnation of an act to its agent
//! ("condemning an unnamed but unambiguous act condemns its agent") and
//! leave victim framing unlabelled; in the gold data a party named only as
//! the one attacked is almost never condemned in that sentence (1 of the 56
//! rows that [`victim_only`] finds in train, silver and dev), while a model
//! that reads the whole sentence gives "condemned the attacks on Israel" to
//! Israel as well.

use super::speaker::words;
use crate::types::Mention;

/// Nouns of violent acts whose object ("on Israel", "against Hamas") is
/// their victim.
const ATTACKS: &[&str] = &[
    "attack",
    "attacks",
    "assault",
    "assaults",
    "strike",
    "strikes",
    "airstrike",
    "airstrikes",
    "bombing",
    "bombings",
    "bombardment",
    "bombardments",
    "aggression",
    "offensive",
    "raid",
    "raids",
    "rocket",
    "rockets",
    "fire",
    "massacre",
    "massacres",
    "invasion",
    "incursion",
    "incursions",
    "onslaught",
    "shelling",
    "atrocities",
    "violence",
    "war",
    "killing",
    "killings",
];

/// Verbs that carry out such an act against someone ("the assault that
/// Hamas launched against Israel"); "carried out" is matched by its "out".
const ATTACK_VERBS: &[&str] = &[
    "launched",
    "launch",
    "launches",
    "staged",
    "mounted",
    "waged",
    "wages",
    "unleashed",
    "perpetrated",
    "committed",
    "fired",
];

/// Prepositions that introduce the victim.
const AGAINST: &[&str] = &["on", "against", "targeting", "upon", "into"];

/// Words that may stand between the preposition and the victim's name ("on
/// the southern Israeli towns" is read at "Israeli").
const BEFORE_VICTIM: &[&str] = &["the", "southern", "northern", "central", "its", "their"];

/// Words that introduce an attack's agent between the noun and its victim
/// ("attacks by Hamas on Israel", "the invasion of Russian troops into…").
const AGENT: &[&str] = &["by", "of", "from"];

/// How many words an agent may span ("by Hamas, the Palestinian group, on…").
const AGENT_WORDS: usize = 10;

/// Whether every one of a party's `mentions` (offsets relative to
/// `sentence`) names the victim of an attack, so that a condemnation in the
/// sentence is not of this party. False without mentions (an implicit
/// party is the agent of an unnamed act as often as its victim).
pub fn victim_only(sentence: &str, mentions: &[Mention]) -> bool {
    !mentions.is_empty() && mentions.iter().all(|m| victim(sentence, m))
}

/// Whether `mention` is the object of an attack: an attack noun or verb,
/// perhaps with its agent, then "on" / "against" / … right before it.
pub fn victim(sentence: &str, mention: &Mention) -> bool {
    if mention.start > sentence.len() || !sentence.is_char_boundary(mention.start) {
        return false;
    }
    let before = words(&sentence[..mention.start]);
    let word = |i: usize| before[i].2.as_str();
    let mut at = before.len();
    while at > 0 && before.len() - at < 3 && BEFORE_VICTIM.contains(&word(at - 1)) {
        at -= 1;
    }
    if at == 0 || !AGAINST.contains(&word(at - 1)) {
        return false;
    }
    let preposition = at - 1;
    if preposition == 0 {
        return false;
    }
    let act = word(preposition - 1);
    if ATTACKS.contains(&act)
        || ATTACK_VERBS.contains(&act)
        || (act == "out" && preposition >= 2 && word(preposition - 2) == "carried")
    {
        return true;
    }
    // "the attacks by Hamas, the Palestinian group, on Israel": an attack
    // noun and its agent, within one clause.
    (preposition.saturating_sub(AGENT_WORDS)..preposition)
        .rev()
        .filter(|&j| j > 0 && AGENT.contains(&word(j)) && ATTACKS.contains(&word(j - 1)))
        .any(|j| {
            !sentence[before[j].0..mention.start].contains(['.', ';', ':', '!', '?', '"', '“', '”'])
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn victim_at(sentence: &str, name: &str) -> bool {
        victim(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn the_object_of_an_attack_is_its_victim() {
        let s = "The minister condemned the attacks on Israel.";
        assert!(victim_at(s, "Israel"));
        assert!(victim_at("They denounced Israel's war on Gaza.", "Gaza"));
        assert!(victim_at(
            "It condemned the Hamas-led attacks of October 7 against southern Israeli towns.",
            "Israeli"
        ));
        assert!(victim_at(
            "She condemned the assault that Hamas launched against Israel.",
            "Israel"
        ));
        assert!(victim_at(
            "He condemned the massacre carried out on Israeli civilians.",
            "Israeli"
        ));
    }

    #[test]
    fn an_attack_named_with_its_agent_still_has_its_victim() {
        let s = "The EU condemned the latest attacks by Hamas, the Palestinian group, on Israel.";
        assert!(victim_at(s, "Israel."));
        assert!(!victim_at(s, "Hamas"), "the agent is not the victim");
    }

    #[test]
    fn agents_speakers_and_other_objects_are_not_victims() {
        assert!(!victim_at("Israel's strikes on Gaza go on.", "Israel"));
        assert!(!victim_at("The attacks by Hamas were condemned.", "Hamas"));
        assert!(!victim_at("Russia relies on Hamas for contacts.", "Hamas"));
        assert!(!victim_at(
            "The US put sanctions on Hamas financiers.",
            "Hamas"
        ));
        assert!(!victim_at(
            "Putin accused the United States.",
            "United States"
        ));
        // A clause break: the agent phrase does not reach across a quote.
        assert!(!victim_at(
            "After the attacks by Hamas: \"we count on Israel\", he said.",
            "Israel"
        ));
    }

    #[test]
    fn a_party_named_elsewhere_too_is_not_only_the_victim() {
        let s = "Israel vowed revenge for the attacks on Israel.";
        let mentions: Vec<Mention> = s
            .match_indices("Israel")
            .map(|(start, text)| Mention {
                text: text.to_string(),
                start,
                end: start + text.len(),
            })
            .collect();
        assert!(!victim_only(s, &mentions));
        assert!(victim_only(s, &mentions[1..]));
        assert!(!victim_only(s, &[]), "an implicit party");
    }
}
