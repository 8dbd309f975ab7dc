//! Speakers named by a person's name that the article gave earlier with
//! their party: "Chinese Foreign Minister Wang Yi … Wang said", "senior
//! Hamas official Osama Hamdan … Hamdan told reporters". News introduces a
//! speaker once, with party and title, and names them by surname after
//! that; a parties file cannot list every official, so the holder decision
//! remembers the names each article introduces.

use super::{capitalised, words, SPEAKER_VERBS};
use crate::types::Mention;

/// Words of a title between a party's mention and a person's name
/// ("Russian Foreign Minister Sergey Lavrov", "Hamas political bureau chief
/// Ismail Haniyeh").
pub(in crate::score) const TITLES: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "ministry",
    "foreign",
    "defence",
    "defense",
    "interior",
    "finance",
    "affairs",
    "of",
    "deputy",
    "secretary",
    "state",
    "general",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "representative",
    "negotiator",
    "official",
    "leader",
    "chief",
    "head",
    "senior",
    "top",
    "political",
    "military",
    "bureau",
    "commander",
    "adviser",
    "advisor",
    "chancellor",
    "premier",
    "king",
    "emir",
    "sheikh",
    "diplomat",
    "member",
];

/// Nouns that, after a party's name or adjective, still name the party:
/// its government, bodies and forces ("the Biden administration", "the
/// Russian delegation", "Hamas's armed wing", "the Israeli government",
/// "Hamas officials"). The readers of a speaker, of a subject before its
/// verb and of an object after a condemnation step over them as they step
/// over a title.
pub(in crate::score) const BODIES_OF_PARTY: &[&str] = &[
    "administration",
    "government",
    "cabinet",
    "delegation",
    "side",
    "office",
    "movement",
    "diplomats",
    "mission",
    "embassy",
    "regime",
    "leadership",
    "leaders",
    "officials",
    "authorities",
    "wing",
    "armed",
    "forces",
    "army",
    "troops",
    "soldiers",
    "fighters",
];

/// Whether `word` (lowercased) continues a party's mention into the phrase
/// that names it: the possessive's "s", a body of the party or a title
/// ("Hamas's armed wing", "the Biden administration", "Russian Foreign
/// Minister"). The readers of what follows a mention step over such words.
pub(in crate::score) fn names_party_on(word: &str) -> bool {
    word == "s" || BODIES_OF_PARTY.contains(&word) || TITLES.contains(&word)
}

/// Capitalised words in a speaker's place that are no name.
const NOT_NAMES: &[&str] = &[
    "he", "she", "it", "they", "we", "i", "the", "this", "that", "these", "those",
];

/// Verbs after which a name speaks ("…," said Hamdan).
const SAID: &[&str] = &["said", "says", "added", "told", "wrote"];

/// Verbs of speech alone, without the stance acts of [`SPEAKER_VERBS`]
/// ("the United States vetoed" says who acted, not who speaks).
pub const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "declared",
    "declares",
    "wrote",
    "writes",
    "tweeted",
    "posted",
    "insisted",
    "insists",
    "stressed",
    "stresses",
    "noted",
    "argued",
    "argues",
    "warned",
    "warns",
    "asserted",
    "remarked",
    "explained",
];

/// The name words, lowercased, of a person `sentence` introduces right
/// after `mention` with a title: "Russian Foreign Minister Sergey Lavrov"
/// gives sergey and lavrov for the mention "Russian". Capitalised words
/// before the last title are part of a body ("Israel Defense Forces
/// spokesman Daniel Hagari"), not the name. Nothing without a title.
pub fn introduced_names(sentence: &str, mention: &Mention) -> Vec<String> {
    let (Some(before), Some(after)) = (sentence.get(..mention.start), sentence.get(mention.end..))
    else {
        return Vec::new();
    };
    // "Hamas's political chief …": the possessive belongs to the mention.
    let after = after
        .strip_prefix("'s")
        .or_else(|| after.strip_prefix("’s"))
        .unwrap_or(after);
    // "Algeria's U.N. Ambassador Amar Bendjama": the title is another's.
    let owned_by_another = before.ends_with("'s ") || before.ends_with("’s ");
    if owned_by_another {
        return Vec::new();
    }
    let titled_after = titled_name(after);
    if titled_after.is_empty() {
        apposed_name(before, after)
    } else {
        titled_after
    }
}

/// Whether `sentence` opens with a person's name after a title, before any
/// lowercase word or stop ("South African President Cyril Ramaphosa called
/// on…", "US Secretary of State Antony Blinken said"): a "he" later in it
/// is that person, not an earlier sentence's speaker.
pub fn headed_by_titled_person(sentence: &str) -> bool {
    let (mut titled, mut named) = (false, false);
    let mut previous_end = 0;
    for (start, end, word) in words(sentence) {
        if !sentence[previous_end..start].trim().is_empty() {
            break;
        }
        previous_end = end;
        if word == "of" && titled && !named {
            continue;
        }
        if !capitalised(sentence, start) {
            break;
        }
        if TITLES.contains(&word.as_str()) {
            (titled, named) = (true, false);
        } else if titled {
            named = true;
        }
    }
    named
}

/// Whether `mention` speaks through its title or body right after it: a
/// run of title or body words, then a verb of speech ("the Hamas leader
/// declared", "Russia's foreign ministry said", "Hamas officials told").
/// A person's name between ("Israeli Prime Minister Benjamin Netanyahu
/// said") is [`introduced_names`]' to read.
pub fn titled_speaker(sentence: &str, mention: &Mention) -> bool {
    let Some(after) = sentence.get(mention.end..) else {
        return false;
    };
    let after = (after.strip_prefix("'s"))
        .or_else(|| after.strip_prefix("’s"))
        .unwrap_or(after);
    let mut previous_end = 0;
    let mut titled = false;
    for (start, end, word) in words(after).into_iter().take(5) {
        if !after[previous_end..start].trim().is_empty() {
            return false;
        }
        previous_end = end;
        if SPEECH_VERBS.contains(&word.as_str()) {
            return titled;
        }
        if !(TITLES.contains(&word.as_str()) || BODIES_OF_PARTY.contains(&word.as_str()))
            || word == "of"
        {
            return false;
        }
        titled = true;
    }
    false
}

/// The name after a title at the head of `after` (see [`introduced_names`]).
fn titled_name(after: &str) -> Vec<String> {
    let mut titled = false;
    let mut names = Vec::new();
    let mut previous_end = 0;
    for (start, end, word) in words(after).into_iter().take(10) {
        // The name follows the mention and its title word by word: a comma
        // or a bracket ends it.
        if !after[previous_end..start].trim().is_empty() {
            break;
        }
        previous_end = end;
        if TITLES.contains(&word.as_str()) {
            titled = true;
            names.clear();
        } else if capitalised(after, start) && titled {
            names.push(word);
        } else if capitalised(after, start) && names.is_empty() {
            // a body's name before the title ("Defense Forces spokesman")
            continue;
        } else {
            break;
        }
    }
    if titled {
        names
    } else {
        Vec::new()
    }
}

/// The name before a mention in apposition: "Osama Hamdan, a senior Hamas
/// official," and "Gilad Erdan, Israel's ambassador": a name, a comma,
/// an article or title words, the mention (`before` ends where it starts),
/// then a title.
fn apposed_name(before: &str, after: &str) -> Vec<String> {
    let title_follows = words(after).first().is_some_and(|(start, _, word)| {
        after[..*start].trim().is_empty() && TITLES.contains(&word.as_str())
    });
    if !title_follows {
        return Vec::new();
    }
    let words = words(before);
    // The text between word `k - 1` and the next word (or the mention).
    let gap_after = |k: usize| {
        let next = words.get(k).map_or(before.len(), |w| w.0);
        before[words[k - 1].1..next].trim()
    };
    let mut k = words.len();
    while k > 0 && gap_after(k).is_empty() && {
        let word = words[k - 1].2.as_str();
        matches!(word, "a" | "an" | "the") || TITLES.contains(&word)
    } {
        k -= 1;
    }
    if k == 0 || gap_after(k) != "," {
        return Vec::new();
    }
    let mut first = k - 1;
    while first > 0
        && k - first < 4
        && capitalised(before, words[first - 1].0)
        && before[words[first - 1].1..words[first].0].trim().is_empty()
    {
        first -= 1;
    }
    if !capitalised(before, words[k - 1].0) {
        return Vec::new();
    }
    words[first..k].iter().map(|w| w.2.clone()).collect()
}

/// The names of [`names_by_verb`] that one of `verbs` puts in place.
pub fn names_before(names: &[(String, String)], verbs: &[&str]) -> Vec<String> {
    (names.iter())
        .filter(|(_, verb)| verbs.contains(&verb.as_str()))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Each name word, lowercased, in a speaker's place in `sentence` with the
/// verb that puts it there: right before the verb ("Wang said", "Hamdan
/// also told"), or right after a quotation's "said" ("…," said Hamdan);
/// for the verbs of [`SPEAKER_VERBS`] and [`SPEECH_VERBS`] alike: one scan
/// of the sentence serves both lists.
pub fn names_by_verb(sentence: &str) -> Vec<(String, String)> {
    let words = words(sentence);
    let adjacent = |a: usize, b: usize| sentence[words[a].1..words[b].0].trim().is_empty();
    let name_at =
        |i: usize| capitalised(sentence, words[i].0) && !NOT_NAMES.contains(&words[i].2.as_str());
    let mut names = Vec::new();
    for (i, (_, _, word)) in words.iter().enumerate() {
        if !SPEAKER_VERBS.contains(&word.as_str()) && !SPEECH_VERBS.contains(&word.as_str()) {
            continue;
        }
        // "Wang said", "Wang also said", "Wang firmly rejected"
        let subject = match i.checked_sub(1) {
            Some(j) if words[j].2 == "also" || words[j].2.ends_with("ly") => j.checked_sub(1),
            before => before,
        };
        let in_reach = |j: usize| (j..i).all(|k| adjacent(k, k + 1));
        if let Some(j) = subject.filter(|&j| name_at(j) && in_reach(j)) {
            names.push((words[j].2.clone(), word.clone()));
        }
        // "…," said Hamdan; not "Biden, who …, said Israel must", where
        // the name after "said" is what was said.
        let quoted_before = sentence[..words[i].0]
            .trim_end()
            .trim_end_matches(',')
            .ends_with(['"', '”', '’', '\'']);
        if SAID.contains(&word.as_str()) && quoted_before {
            names.extend(
                (i + 1..words.len())
                    .take_while(|&k| name_at(k) && adjacent(k - 1, k))
                    .map(|k| (words[k].2.clone(), word.clone())),
            );
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    /// The names one of `verbs` puts in a speaker's place.
    fn speaker_names(sentence: &str, verbs: &[&str]) -> Vec<String> {
        names_before(&names_by_verb(sentence), verbs)
    }

    fn introduced(sentence: &str, name: &str) -> Vec<String> {
        introduced_names(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn a_title_after_the_party_introduces_a_name() {
        assert_eq!(
            introduced(
                "Chinese Foreign Minister Wang Yi met his counterpart.",
                "Chinese"
            ),
            ["wang", "yi"]
        );
        assert_eq!(
            introduced(
                "On Friday, senior Hamas official Osama Hamdan told reporters.",
                "Hamas"
            ),
            ["osama", "hamdan"]
        );
        assert_eq!(
            introduced(
                "Hamas's political bureau chief Ismail Haniyeh spoke.",
                "Hamas"
            ),
            ["ismail", "haniyeh"]
        );
        assert_eq!(
            introduced(
                "Israel Defense Forces spokesman Daniel Hagari said so.",
                "Israel"
            ),
            ["daniel", "hagari"]
        );
    }

    #[test]
    fn a_party_speaks_through_its_title_or_body() {
        for (sentence, name) in [
            (
                "Later the Hamas leader declared that the truce was over.",
                "Hamas",
            ),
            (
                "Russia's foreign ministry said the strikes must stop.",
                "Russia",
            ),
            (
                "Hamas officials told reporters the talks had stalled.",
                "Hamas",
            ),
            (
                "The Israeli government stated that it would go on.",
                "Israeli",
            ),
        ] {
            assert!(
                titled_speaker(sentence, &mention_of(sentence, name)),
                "{sentence}"
            );
        }
        for (sentence, name) in [
            (
                "Israeli Prime Minister Benjamin Netanyahu said so.",
                "Israeli",
            ),
            ("The Hamas attack, he said, was barbaric.", "Hamas"),
            ("Hamas said the talks had stalled.", "Hamas"),
            ("The leader of Hamas said the truce was over.", "Hamas"),
            ("Washington's envoy to Cairo said so.", "Washington"),
        ] {
            assert!(
                !titled_speaker(sentence, &mention_of(sentence, name)),
                "{sentence}"
            );
        }
    }

    #[test]
    fn a_sentence_headed_by_a_titled_person_is_found() {
        for sentence in [
            "South African President Cyril Ramaphosa called on the world to act, he said.",
            "US Secretary of State Antony Blinken said he would return.",
        ] {
            assert!(headed_by_titled_person(sentence), "{sentence}");
        }
        for sentence in [
            "He said the President would return.",
            "The President said he would return.",
            "Cyril Ramaphosa said he would return.",
            "On Monday, President Cyril Ramaphosa said he would return.",
        ] {
            assert!(!headed_by_titled_person(sentence), "{sentence}");
        }
    }

    #[test]
    fn no_title_no_name() {
        assert!(introduced("Russia Today reported the talks.", "Russia").is_empty());
        assert!(introduced("Israel struck Gaza on Monday.", "Israel").is_empty());
        assert!(introduced("The Hamas official, Osama Hamdan, spoke.", "Hamas").is_empty());
        assert!(introduced("Algeria's U.N. Ambassador Amar Bendjama spoke.", "U.N.").is_empty());
        assert_eq!(
            introduced("Israel's UN ambassador Gilad Erdan spoke.", "Israel"),
            ["gilad", "erdan"]
        );
    }

    #[test]
    fn a_name_in_apposition_to_the_party_and_a_title() {
        assert_eq!(
            introduced("Osama Hamdan, a senior Hamas official, said so.", "Hamas"),
            ["osama", "hamdan"]
        );
        assert_eq!(
            introduced(
                "Speaking on Monday, Gilad Erdan, Israel's ambassador, said so.",
                "Israel"
            ),
            ["gilad", "erdan"]
        );
        assert!(introduced("Talks with Israel, a partner, resumed.", "Israel").is_empty());
        assert!(introduced("In Doha, Hamas officials met.", "Hamas").is_empty());
    }

    #[test]
    fn names_in_the_speakers_place() {
        assert_eq!(
            speaker_names("Wang said the war must end.", SPEECH_VERBS),
            ["wang"]
        );
        assert_eq!(
            speaker_names("Later, Hamdan also told reporters so.", SPEECH_VERBS),
            ["hamdan"]
        );
        assert_eq!(
            speaker_names("“We stay,” said Osama Hamdan on Tuesday.", SPEECH_VERBS),
            ["osama", "hamdan"]
        );
        assert!(speaker_names("The envoy said Wang was wrong.", SPEECH_VERBS).is_empty());
        assert!(speaker_names("He said Israel must stop.", SPEECH_VERBS).is_empty());
        assert!(
            speaker_names("Biden, who met him, said Israel must stop.", SPEECH_VERBS).is_empty()
        );
        assert!(speaker_names("The United States vetoed the draft.", SPEECH_VERBS).is_empty());
    }
}
