//! How a sentence attributes what it says: a speaker named in it, one
//! named earlier (a pronoun, an office, a quotation that goes on), or none
//! (the article's own voice). The holder decision reads it to resolve
//! speakers from the article's earlier sentences.

use super::names::{names_party_on, SPEECH_VERBS};
use super::{capitalised, words, PRONOUNS, SPEAKER_VERBS};
use crate::types::Mention;

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

/// Determiners: a participle after one is an adjective ("the declared
/// goal"). Not "that", which also opens a clause ("a statement that
/// condemned …").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "our", "his", "her", "this", "these", "those",
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
        // "the recognised framework", "its stated aim": a participle after
        // a determiner is an adjective, no one speaking.
        let adjective = word.ends_with("ed") && before(1).is_some_and(|w| DETERMINERS.contains(&w));
        if !SPEAKER_VERBS.contains(&word.as_str()) || name || noun || adjective {
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

/// Nouns of a source's text that "according to" may name before its author
/// ("according to a Monday statement by Hamas").
const SOURCE_NOUNS: &[&str] = &["statement", "readout", "report", "communique", "transcript"];

/// Whether `mention` (offsets relative to `sentence`) is the source the
/// sentence credits its content to: "according to (the) X", "according to
/// a statement by X", "in X's view" (or words, opinion, assessment). What
/// the sentence says is then X's, whoever else it names or whatever a
/// party named in it would hold elsewhere ("In Israel's view, inviting
/// Hamas to Moscow is an obscene step" is not Russia's stance).
pub fn credited_source(sentence: &str, mention: &Mention) -> bool {
    let (Some(prefix), Some(after)) = (sentence.get(..mention.start), sentence.get(mention.end..))
    else {
        return false;
    };
    let before = words(prefix);
    let mut back = before.iter().rev().map(|w| w.2.as_str()).peekable();
    let the = back.next_if_eq(&"the").is_some();
    let back: Vec<&str> = back.take(7).collect();
    // Where "according" stands, counted back from the mention (after "the").
    let according_at =
        |i: usize| back.get(i) == Some(&"to") && back.get(i + 1) == Some(&"according");
    let according = if according_at(0) {
        Some(1)
    } else if matches!(back.first(), Some(&("by" | "from" | "of")))
        && back.get(1).is_some_and(|w| SOURCE_NOUNS.contains(w))
    {
        (2..5).find(|&i| according_at(i)).map(|i| i + 1)
    } else {
        None
    };
    // It credits the whole sentence only from its head ("According to the
    // IDF, …") or its tail ("…, according to Hamas."); inside, it credits a
    // clause ("a blast which according to Hamas killed hundreds").
    let according = according.is_some_and(|back_at| {
        let at = before.len() - usize::from(the) - 1 - back_at;
        let head = at == 0;
        let tail = prefix[..before[at].0].trim_end().ends_with(',') && words(after).len() <= 2;
        head || tail
    });
    // "in Israel's view": the possessive may end the mention or follow it.
    let rest = ["'s", "’s", "'", "’"]
        .iter()
        .find_map(|p| after.strip_prefix(p))
        .unwrap_or(after);
    let view = back.first() == Some(&"in")
        && before.len() == usize::from(the) + 1
        && words(rest).first().is_some_and(|w| {
            w.0 == rest.len() - rest.trim_start().len() && VIEW_NOUNS.contains(&w.2.as_str())
        });
    according || view
}

/// Whether `mention` (offsets relative to `sentence`) names the speaker of
/// the quotation the sentence opens with, in the tail after it: "“We are
/// with Israel,” the Biden administration told a news conference",
/// "“Hamas is responsible for this massacre,” Israeli war cabinet minister
/// Benny Gantz said". What the quotation says is then the speaker's, and
/// the speaker is not its target (the guidelines' holder and target).
/// Only a closing mark right after a comma, question or exclamation mark
/// ends such a quotation; between it and the verb of speech stand only
/// "the", titles, bodies of the party and names.
pub fn quote_speaker(sentence: &str, mention: &Mention) -> bool {
    let (Some(before), Some(after)) = (sentence.get(..mention.start), sentence.get(mention.end..))
    else {
        return false;
    };
    if !opens_quotation(sentence) {
        return false;
    }
    let Some(close) = before.rfind(['"', '”']) else {
        return false;
    };
    let quoted = before[..close].trim_end();
    if close == 0 || !quoted.ends_with([',', '?', '!']) {
        return false;
    }
    let mark_len = before[close..].chars().next().map_or(1, char::len_utf8);
    let between = &before[close + mark_len..];
    let names_only = |text: &str, found: &[(usize, usize, String)]| {
        found
            .iter()
            .all(|w| w.2 == "the" || names_party_on(&w.2) || capitalised(text, w.0))
    };
    if !names_only(between, &words(between)) {
        return false;
    }
    let clause = after.split([',', ';', ':', '(']).next().unwrap_or("");
    let found = words(clause);
    let Some(verb) = found
        .iter()
        .position(|w| SPEECH_VERBS.contains(&w.2.as_str()))
    else {
        return false;
    };
    verb <= 6 && names_only(clause, &found[..verb])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    #[test]
    fn credited_sources() {
        let credited =
            |sentence: &str, name: &str| credited_source(sentence, &mention_of(sentence, name));
        assert!(credited("According to the IDF, Hamas is to blame.", "IDF"));
        assert!(credited(
            "The truce is a trap, according to Hamas.",
            "Hamas"
        ));
        assert!(credited(
            "According to a Monday statement by Hamas, Haniyeh accepted the proposal.",
            "Hamas"
        ));
        assert!(credited(
            "In Israel's view, the visit backs terror.",
            "Israel"
        ));
        assert!(credited(
            "In Israel’s view, the visit backs terror.",
            "Israel’s"
        ));
        assert!(credited("In Hamas' words, the war is a crime.", "Hamas"));
        assert!(!credited("Israel said the visit backs terror.", "Israel"));
        assert!(!credited(
            "According to Qatar, Israel and Hamas agreed.",
            "Israel"
        ));
        assert!(!credited("In Gaza, Israel's strikes went on.", "Gaza"));
        assert!(!credited("In Israel, views differ.", "Israel"));
        assert!(!credited("A report by Hamas was cited.", "Hamas"));
        // inside the sentence it credits a clause, not the sentence
        assert!(!credited(
            "Biden spoke of the blast, which according to Hamas killed hundreds, with anger.",
            "Hamas"
        ));
        assert!(!credited(
            "He said that in Israel's view the visit backs terror.",
            "Israel"
        ));
        assert!(credited("“In the IDF's view, the raid was lawful.", "IDF"));
        assert!(credited(
            "The raid was lawful, according to the IDF.",
            "IDF"
        ));
    }

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
            attribution("It rests on the recognised legal framework and its stated aims."),
            Attribution::None
        );
        assert_eq!(
            attribution("It was a statement that condemned the raid."),
            Attribution::Named
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
