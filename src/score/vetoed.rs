//! A ceasefire call that is the text of a draft someone vetoed or blocked:
//! "the United States vetoed a draft that demanded an immediate ceasefire",
//! "Washington's veto of an Algerian-drafted ceasefire resolution". The
//! guidelines label the call ("a draft resolution 'that would have called
//! for' a pause → 1: the sponsors did call"), so its holder is the draft's
//! sponsors: not the party that vetoed it, nor the speaker who reports or
//! deplores the veto ("Russia slams US veto on Gaza ceasefire": Russia
//! holds the condemnation, the draft's sponsors the call).

use super::rejection::CeasefireWords;
use crate::types::Mention;

/// Words of a veto or a block.
const BLOCKS: &[&str] = &[
    "veto", "vetoes", "vetoed", "vetoing", "block", "blocks", "blocked", "blocking",
];

/// Nouns of a text put to a vote.
const TEXTS: &[&str] = &[
    "draft",
    "drafts",
    "resolution",
    "resolutions",
    "text",
    "texts",
    "measure",
    "motion",
    "proposal",
];

/// Word beginnings of a text's demand ("demanding", "called for",
/// "sought", "that would have declared").
const DEMANDS: &[&str] = &["demand", "call", "sought", "seek", "urg", "would"];

/// Words after "veto" that make the ceasefire its object ("US veto on Gaza
/// ceasefire").
const VETO_OF: &[&str] = &["on", "of", "against"];

/// How many words may stand between the veto and the text's noun ("vetoed
/// an Algerian draft", "blocked with its veto a UN Security Council text").
const TEXT_REACH: usize = 6;

/// How many words may stand between the text's noun and the ceasefire
/// noun its demand names.
const DEMAND_REACH: usize = 10;

/// Words before a sponsor ("a resolution drafted by the United States").
const SPONSORED_BY: &[&str] = &["drafted", "sponsored", "proposed", "tabled", "presented"];

/// Where a draft is put to the vote, not who wrote it ("a UN Security
/// Council draft").
const VENUES: &[&str] = &["council", "assembly"];

/// A call that only vetoed texts make: `Some(sponsor)` when every ceasefire
/// `sentence` names is the demand of a text that the sentence says was
/// vetoed or blocked, with the sponsor's index in `mentions` (per party, in
/// the caller's order) when a party is named as the text's author ("a
/// United States draft", "US-drafted", "drafted by the U.S."); `None`
/// when the sentence makes or reports any other call.
pub fn vetoed_call(sentence: &str, mentions: &[&[Mention]]) -> Option<Option<usize>> {
    let ceasefire_words = CeasefireWords::new(sentence);
    let CeasefireWords { found, nouns, .. } = &ceasefire_words;
    let word = |i: usize| ceasefire_words.word(i);
    let breaks = |from: usize, to: usize| ceasefire_words.breaks(from, to);
    // The text whose demand the noun is, found from the veto before it.
    let vetoed_text = |noun: usize| -> Option<usize> {
        (noun.saturating_sub(TEXT_REACH + DEMAND_REACH + 2)..noun)
            .filter(|&veto| BLOCKS.contains(&word(veto)) && !breaks(veto, noun))
            .find_map(|veto| {
                let texts = (veto + 1..found.len().min(veto + TEXT_REACH + 2))
                    .filter(|&t| TEXTS.contains(&word(t)));
                let mut demanded = texts.filter(|&t| {
                    // "ceasefire resolution", or a text that demands it.
                    t == noun + 1
                        || (t < noun
                            && noun - t <= DEMAND_REACH
                            && (t + 1..noun)
                                .any(|i| DEMANDS.iter().any(|d| word(i).starts_with(d))))
                });
                let veto_of = VETO_OF.contains(&word(veto + 1)) && noun - veto <= 4;
                demanded.next().or(veto_of.then_some(noun))
            })
    };
    let texts: Vec<usize> = nouns
        .iter()
        .map(|&n| vetoed_text(n))
        .collect::<Option<_>>()?;
    let &first_text = texts.first()?;
    // "veto on Gaza ceasefire" names no text, so no author of one.
    let named_text = TEXTS.contains(&word(first_text));
    Some(
        named_text
            .then(|| sponsor(sentence, found, first_text, mentions))
            .flatten(),
    )
}

/// The party named as the author of the text at word `text`: right before
/// it ("a United States draft", not "a UN Security Council draft"), joined
/// to a participle ("US-drafted"), or after "drafted by".
fn sponsor(
    sentence: &str,
    found: &[(usize, usize, String)],
    text: usize,
    mentions: &[&[Mention]],
) -> Option<usize> {
    let text_start = found[text].0;
    // The end of "drafted by" right after the text's noun, if any.
    let by_end = (text + 1..found.len().min(text + 3))
        .find(|&i| {
            SPONSORED_BY.contains(&found[i].2.as_str())
                && found.get(i + 1).is_some_and(|w| w.2 == "by")
        })
        .map(|i| found[i + 1].1);
    mentions.iter().position(|party_mentions| {
        party_mentions.iter().any(|m| {
            let venue = VENUES.iter().any(|v| m.text.to_lowercase().ends_with(v));
            let before_text = (sentence.get(m.end..text_start)).is_some_and(|between| {
                let participle = between.strip_prefix('-').is_some_and(|rest| {
                    SPONSORED_BY
                        .iter()
                        .any(|p| rest.to_lowercase().starts_with(p))
                });
                between.trim().is_empty() || participle
            });
            let after_by = by_end.is_some_and(|end| {
                sentence.get(end..m.start).is_some_and(|between| {
                    matches!(between.trim().to_lowercase().as_str(), "" | "the")
                })
            });
            (before_text || after_by) && !venue
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mentions of each name in `names`, as the caller passes them.
    fn mentions_of(sentence: &str, names: &[&str]) -> Vec<Vec<Mention>> {
        names
            .iter()
            .map(|name| {
                sentence
                    .match_indices(name)
                    .map(|(start, text)| Mention {
                        text: text.to_string(),
                        start,
                        end: start + text.len(),
                    })
                    .collect()
            })
            .collect()
    }

    fn call(sentence: &str, names: &[&str]) -> Option<Option<usize>> {
        let found = mentions_of(sentence, names);
        let slices: Vec<&[Mention]> = found.iter().map(Vec::as_slice).collect();
        vetoed_call(sentence, &slices)
    }

    #[test]
    fn a_vetoed_texts_call_is_its_sponsors() {
        for s in [
            "Washington vetoed a draft that demanded an immediate ceasefire.",
            "The Americans on Friday vetoed a Security Council draft demanding an immediate humanitarian ceasefire.",
            "Moscow condemned the American veto of another draft calling for a truce in Gaza.",
            "Officials slam latest veto on Gaza ceasefire",
            "London Blocks Security Council Ceasefire Resolution",
            "By blocking with its veto a council text that sought a humanitarian pause, Washington isolated itself.",
            "He said the veto of an Algerian-drafted ceasefire resolution was a green light for more killing.",
            "The delegation did not use its veto against the new text, which calls for a ceasefire.",
        ] {
            assert_eq!(call(s, &["Washington", "Moscow"]), Some(None), "{s}");
        }
    }

    #[test]
    fn a_sponsor_named_as_the_texts_author_holds_its_call() {
        for s in [
            "Russia and China vetoed a United States draft that would have declared an immediate ceasefire an imperative.",
            "Russia and China vetoed a US-drafted resolution calling for a ceasefire.",
            "Russia vetoed the resolution drafted by the United States, which called for a pause.",
        ] {
            assert_eq!(call(s, &["Russia", "United States", "US"]).flatten().map(|i| i >= 1), Some(true), "{s}");
        }
        let venue = "The US vetoed a UN Security Council draft demanding a ceasefire.";
        assert_eq!(call(venue, &["US", "UN Security Council"]), Some(None));
        let no_text = "Officials slam the US veto on Israel ceasefire";
        assert_eq!(call(no_text, &["US", "Israel"]), Some(None));
    }

    #[test]
    fn other_calls_and_other_texts_are_left_alone() {
        for s in [
            "Russia called for an immediate ceasefire.",
            "Russia voted for a draft that demanded a ceasefire, but the US vetoed it.",
            "Russia, which urged a ceasefire, condemned the US veto of a resolution on aid.",
            "She said her country cast the veto because the resolution could endanger talks aimed at a ceasefire.",
            "Russia has called for a ceasefire and supported the drafts that the US vetoed.",
            "The council adopted a resolution demanding a ceasefire.",
            "Israel blocked aid convoys; Egypt called for a truce.",
        ] {
            assert_eq!(call(s, &["Russia", "US"]), None, "{s}");
        }
    }
}
