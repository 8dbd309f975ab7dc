//! How a sentence attributes what it says: a speaker named in it, one
//! named earlier (a pronoun, an office, a quotation that goes on), or none
//! (the article's own voice). The holder decision reads it to resolve
//! speakers from the article's earlier sentences.

use super::{words, PRONOUNS, SPEAKER_VERBS};

/// Words after "the" that name a speaker by office ("the minister said").
const OFFICES: &[&str] = &[
    "president",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "official",
    "officials",
    "leader",
    "secretary",
    "chancellor",
    "premier",
    "diplomat",
    "ministry",
    "statement",
    // a body named earlier ("the group said", "the movement added")
    "group",
    "movement",
    "king",
    "emir",
    "sheikh",
];

/// Speaker verbs that are also nouns ("calls", "claims").
const NOUN_FORMS: &[&str] = &[
    "calls", "demands", "claims", "notes", "states", "voices", "support", "appeals", "pledges",
    "thanks", "vows",
];

/// Words before a noun, never before its verb (with any possessive,
/// "Israel's"): determiners, prepositions and the adjectives news puts
/// before calls and demands.
const NOUN_CUES: &[&str] = &[
    "the",
    "a",
    "an",
    "his",
    "her",
    "its",
    "their",
    "our",
    "these",
    "those",
    "such",
    "amid",
    "despite",
    "of",
    "for",
    "with",
    "against",
    "growing",
    "mounting",
    "renewed",
    "repeated",
    "international",
    "global",
    "fresh",
    "new",
    "increasing",
    "widespread",
    "earlier",
    "recent",
    "public",
    "unwavering",
    "continued",
    "military",
    "financial",
    "political",
    "diplomatic",
];

/// Nouns of "in his view", "in her words": whose view a sentence gives.
const VIEW_NOUNS: &[&str] = &[
    "view",
    "views",
    "words",
    "opinion",
    "telling",
    "assessment",
    "estimation",
];

/// How a sentence attributes what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// No speech verb: the article's own voice, unless the model knows better.
    None,
    /// A speaker named by a pronoun or an office ("he said", "the minister
    /// added"): someone named earlier.
    Pronoun,
    /// A speaker named in the sentence.
    Named,
}

/// Whether `sentence` opens with a quotation mark (straight, curly or
/// single), as a quotation that goes on from the sentence before does.
pub fn opens_quotation(sentence: &str) -> bool {
    sentence
        .trim_start()
        .starts_with(['"', '\'', '“', '‘', '«', '„'])
}

/// Whether a quotation is still open after `sentence`, given whether one
/// was open before it: curly and guillemet marks open and close, a straight
/// double mark toggles. Single marks are left out: they are also
/// apostrophes. A quotation left open runs on into the next sentence
/// ("“A steep escalation … is a cause of grave concern. In this respect, we
/// wish to restate …").
pub fn quotation_open_after(sentence: &str, open_before: bool) -> bool {
    sentence.chars().fold(open_before, |open, c| match c {
        '“' | '«' | '„' => true,
        '”' | '»' => false,
        '"' => !open,
        _ => open,
    })
}

/// How `sentence` attributes its content (see [`Attribution`]).
pub fn attribution(sentence: &str) -> Attribution {
    let words = words(sentence);
    // A sentence whose subject is "he" or "she" speaks for someone named
    // earlier, whatever its verb ("She went on, however: “Any ceasefire …”").
    // Not "they", which as often means those acted on as those speaking.
    let head = sentence.trim_start();
    let opens_with_pronoun = words.first().is_some_and(|(start, _, word)| {
        (word == "he" || word == "she") && *start == sentence.len() - head.len()
    });
    // "In his view, …", "in her words": the view of someone named earlier.
    let word = |i: usize| words.get(i).map_or("", |w| w.2.as_str());
    let in_pronoun_view = (0..words.len()).any(|i| {
        word(i) == "in"
            && matches!(word(i + 1), "his" | "her" | "their")
            && VIEW_NOUNS.contains(&word(i + 2))
    });
    // "According to the group, …", "according to him": someone named earlier.
    let according_to_earlier = (0..words.len()).any(|i| {
        word(i) == "according"
            && word(i + 1) == "to"
            && (matches!(word(i + 2), "him" | "her" | "them")
                || (word(i + 2) == "the" && OFFICES.contains(&word(i + 3))))
    });
    if opens_with_pronoun || in_pronoun_view || according_to_earlier {
        return Attribution::Pronoun;
    }
    let mut named = false;
    for (i, (_, _, word)) in words.iter().enumerate() {
        let before = |k: usize| i.checked_sub(k).map(|j| words[j].2.as_str());
        // "the United States" is a name, not "states" said by someone: read
        // as a verb, it made every sentence naming the United States one
        // with a named speaker, so no pronoun or quotation went on there.
        let name = word == "states" && before(1) == Some("united");
        // "calls for a ceasefire grew", "rejected Israel's demands": a
        // noun, no one speaking (read here only: the model's speaker cue
        // was trained with the verb lists as they are).
        let noun = NOUN_FORMS.contains(&word.as_str())
            && before(1)
                .is_none_or(|w| NOUN_CUES.contains(&w) || w.ends_with("'s") || w.ends_with("’s"));
        if !SPEAKER_VERBS.contains(&word.as_str()) || name || noun {
            continue;
        }
        named = true;
        let after = words.get(i + 1).map(|w| w.2.as_str());
        // "It said" is a body named earlier (a ministry, a group); "said
        // it" is not, it is what was said ("Hamas said it was ready").
        let speaking_pronoun = |w: &str| PRONOUNS.contains(&w) || w == "it";
        let pronoun_before = before(1).is_some_and(speaking_pronoun)
            || (before(2).is_some_and(speaking_pronoun)
                && before(1).is_some_and(|w| w.ends_with("ly") || w == "also"));
        let office_before =
            before(2) == Some("the") && before(1).is_some_and(|w| OFFICES.contains(&w));
        if pronoun_before || office_before || after.is_some_and(|w| PRONOUNS.contains(&w)) {
            return Attribution::Pronoun;
        }
    }
    if named {
        Attribution::Named
    } else {
        Attribution::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_kinds() {
        assert_eq!(
            attribution("\"This must end now,\" she said."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("He also urged restraint on both sides."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("The minister said the siege was a crime."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("Guterres said the siege was a crime."),
            Attribution::Named
        );
        assert_eq!(attribution("The siege is a crime."), Attribution::None);
        assert_eq!(
            attribution("It also welcomed Russia's efforts."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("The group said the raid was a crime."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("Hamas said it was ready to talk."),
            Attribution::Named
        );
        assert_eq!(
            attribution("“The veto by the United States is a licence to kill."),
            Attribution::None
        );
        assert_eq!(
            attribution("The minister states that the United States erred."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("Calls for a ceasefire grew louder after the strike."),
            Attribution::None
        );
        assert_eq!(
            attribution("Amid mounting calls for restraint, Israel's demands hardened."),
            Attribution::None
        );
        assert_eq!(
            attribution("Russia calls for an immediate ceasefire."),
            Attribution::Named
        );
        assert_eq!(
            attribution("In her words, every step Washington takes costs lives."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("In Wang's view, the strikes will raise tensions."),
            Attribution::None
        );
        assert_eq!(
            attribution("According to the movement, the deal provides for a truce."),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("According to the agreement, the truce lasts four days."),
            Attribution::None
        );
    }

    #[test]
    fn a_sentence_headed_by_he_or_she_speaks_for_someone_named_earlier() {
        assert_eq!(
            attribution("She went on, however: “Any ceasefire would be dangerous.”"),
            Attribution::Pronoun
        );
        assert_eq!(
            attribution("He wished the talks success."),
            Attribution::Pronoun
        );
        // Quoted, "he" is not the speaker; "they" is left alone.
        assert_eq!(
            attribution("“He is a criminal,” Biden said."),
            Attribution::Named
        );
        assert_eq!(
            attribution("They were killed in the strike."),
            Attribution::None
        );
        assert_eq!(attribution("Shelter was scarce."), Attribution::None);
    }

    #[test]
    fn a_quotation_left_open_runs_on() {
        let open = quotation_open_after("“A steep escalation is a cause of concern.", false);
        assert!(open);
        assert!(quotation_open_after(
            "In this respect, we restate our position.",
            open
        ));
        assert!(!quotation_open_after("We call on Israel to stop.”", open));
        assert!(!quotation_open_after("\"This must end,\" she said.", false));
        assert!(quotation_open_after("It said: \"Stop.", false));
        assert!(!quotation_open_after("Hamas's leader's words.", false));
    }

    #[test]
    fn quotations_open_with_a_quotation_mark() {
        assert!(opens_quotation("“The siege is a crime.”"));
        assert!(opens_quotation(" \"The siege is a crime.\""));
        assert!(!opens_quotation("The siege is a “crime”."));
    }
}
