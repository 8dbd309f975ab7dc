//! Who a call is addressed to, read from its surface: "urged Israel to…",
//! "called on Hamas and Israel to…". The guidelines give a call addressed to
//! named parties to those parties only, and an unaddressed call ("called for
//! an end to the war") to the belligerents; a model trained with the
//! addressee cue is told which case a sentence is.

use super::speaker::{capitalised, words};
use crate::types::{round_score, Mention};

/// Calls that name their addressee right after them ("urged Israel to…",
/// "called on Hamas and Israel to…"), as word sequences.
const CALL_PHRASES: &[&[&str]] = &[
    &["urged"],
    &["urges"],
    &["urge"],
    &["urging"],
    &["called", "on"],
    &["calls", "on"],
    &["call", "on"],
    &["calling", "on"],
    &["called", "upon"],
    &["calls", "upon"],
    &["call", "upon"],
    &["asked"],
    &["asks"],
    &["ask"],
    &["asking"],
    &["pressed"],
    &["presses"],
    &["press"],
    &["pressing"],
    &["push"],
    &["pushes"],
    &["pushed"],
    &["pushing"],
    // A court's or a council's order is a call too ("orders Israel to halt").
    &["order"],
    &["orders"],
    &["ordered"],
    &["ordering"],
    &["appealed", "to"],
    &["appeals", "to"],
    &["appeal", "to"],
    &["implored"],
    &["implores"],
    &["encouraged"],
    &["encourages"],
    &["told"],
    &["tells"],
];

/// Lowercase words that may stand between a call and its addressee ("urged
/// both Israel and Hamas", "called on the Israeli government and Hamas").
const ADDRESSEE_FILLER: &[&str] = &[
    "the",
    "both",
    "and",
    "or",
    "its",
    "his",
    "her",
    "their",
    "of",
    "all",
    "leaders",
    "leadership",
    "government",
    "authorities",
    "forces",
    "side",
    "sides",
];

/// Whether `mention` is the addressee of a call: it follows a call verb
/// ("urged", "called on", "asked", "pressed", …) with nothing but names and
/// a few function words between, and a "to" follows within a few words
/// ("…urged Israel to show restraint", "…called on Israel and Hamas not to
/// escalate"). The guidelines give a call addressed to named parties to
/// those parties only, so the model is told who is addressed.
pub fn addressed(sentence: &str, mention: &Mention) -> bool {
    if mention.end > sentence.len()
        || !sentence.is_char_boundary(mention.start)
        || !sentence.is_char_boundary(mention.end)
    {
        return false;
    }
    call_before(sentence, mention.start) && to_after(&sentence[mention.end..])
}

/// Whether some capitalised word of `sentence` outside `own` (a party's
/// mentions) is the addressee of a call: the call names someone else.
pub fn someone_else_addressed(sentence: &str, own: &[Mention]) -> bool {
    words(sentence).iter().skip(1).any(|&(start, end, _)| {
        let name = capitalised(sentence, start);
        let word = Mention {
            text: String::new(),
            start,
            end,
        };
        name && !own.iter().any(|m| m.start < end && start < m.end) && addressed(sentence, &word)
    })
}

/// The guidelines' addressee rule applied to a sentence's ceasefire scores
/// (`ceasefire[i]` belongs to the party whose mentions are `mentions[i]`):
/// when a party named as a call's addressee gets the ceasefire label (its
/// score `a` at or above `threshold`: "urged Hamas to show restraint"), the
/// call is that party's only, so every party that is not addressed keeps
/// its score times `1 - a`, the model's doubt that the call is the addressed
/// one. A model that reads the whole sentence spreads such a call to the
/// other belligerent (the figures); a confident addressed call now
/// takes the label away, a doubtful one only lowers it. `addressed_with[i]`
/// lists the parties (indices as in `mentions`) that a call addressed to
/// party `i` addresses too ("the Palestinian side": the Palestinians and
/// Hamas). Returns whether the rule applied.
pub fn confine_to_addressees(
    sentence: &str,
    mentions: &[&[Mention]],
    addressed_with: &[Vec<usize>],
    ceasefire: &mut [f32],
    threshold: f32,
) -> bool {
    let named: Vec<bool> = mentions
        .iter()
        .map(|party| party.iter().any(|m| addressed(sentence, m)))
        .collect();
    let mut addressed_parties = named.clone();
    for (i, _) in named.iter().enumerate().filter(|(_, named)| **named) {
        for &j in addressed_with.get(i).into_iter().flatten() {
            addressed_parties[j] = true;
        }
    }
    // Labelled as the rows label: the rounded score against the threshold.
    let call = named
        .iter()
        .zip(ceasefire.iter())
        .filter(|(addressed, score)| **addressed && round_score(**score) >= threshold as f64)
        .map(|(_, score)| *score)
        .reduce(f32::max);
    let Some(call) = call else {
        return false;
    };
    for (addressed, score) in addressed_parties.iter().zip(ceasefire.iter_mut()) {
        if !addressed {
            *score *= 1.0 - call;
        }
    }
    true
}

/// A ceasefire call on a party is one on the parties it is addressed with
/// (`addressed_with`, indices as in [`confine_to_addressees`]), addressed
/// or not: each of those gets at least the party's score where that is
/// labelled (at or above `threshold`). The guidelines give Hamas a call on
/// the Palestinians ("Palestine" named as a fighting side -> palestinians,
/// plus hamas; a call about the war -> israel and hamas, plus the
/// Palestinians where named), and every such sentence of the gold data
/// has it; a model reading "urged Palestine and Israel to hold their fire"
/// finds no Hamas in it. Returns whether a score rose.
pub fn reach_addressed_with(
    addressed_with: &[Vec<usize>],
    ceasefire: &mut [f32],
    threshold: f32,
) -> bool {
    let mut rose = false;
    for (i, with) in addressed_with.iter().enumerate() {
        let call = ceasefire[i];
        if round_score(call) < threshold as f64 {
            continue;
        }
        for &j in with {
            if ceasefire[j] < call {
                ceasefire[j] = call;
                rose = true;
            }
        }
    }
    rose
}

fn call_before(sentence: &str, at: usize) -> bool {
    let before = words(&sentence[..at]);
    // Walk back over names (capitalised words) and filler, at most 6 words.
    for skipped in 0..=6.min(before.len()) {
        let end = before.len() - skipped;
        let tail: Vec<&str> = before[..end].iter().map(|w| w.2.as_str()).collect();
        if CALL_PHRASES.iter().any(|phrase| tail.ends_with(phrase)) {
            return true;
        }
        let Some((start, stop, word)) = before.get(end.wrapping_sub(1)) else {
            return false;
        };
        let name = capitalised(sentence, *start);
        // A clause break between them: not the call's object.
        let gap = &sentence[*stop..before.get(end).map_or(at, |w| w.0)];
        if gap.contains(['.', ';', ':', '"', '“', '”', '(']) {
            return false;
        }
        if !name && !ADDRESSEE_FILLER.contains(&word.as_str()) {
            return false;
        }
    }
    false
}

fn to_after(after: &str) -> bool {
    let clause = after.split(['.', ';', ':']).next().unwrap_or("");
    words(clause).iter().take(8).any(|w| w.2 == "to")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn addressed_at(sentence: &str, name: &str) -> bool {
        addressed(sentence, &mention_of(sentence, name))
    }

    #[test]
    fn the_addressee_of_a_call_is_found() {
        assert!(addressed_at(
            "Egypt urged Israel to show restraint.",
            "Israel"
        ));
        assert!(addressed_at(
            "The UN called on Israel and Hamas to stop the fighting.",
            "Hamas"
        ));
        assert!(addressed_at(
            "The UN called on Israel and Hamas to stop the fighting.",
            "Israel"
        ));
        assert!(addressed_at(
            "Macron urged Prime Minister Benjamin Netanyahu not to invade Gaza.",
            "Netanyahu"
        ));
        assert!(addressed_at(
            "China pressed both Israel and the Palestinians to talk.",
            "Palestinians"
        ));
        assert!(addressed_at(
            "The court orders Israel to halt its offensive in Rafah.",
            "Israel"
        ));
    }

    /// A party named once, as `name`.
    fn mentions_of(sentence: &str, name: &str) -> Vec<Mention> {
        vec![mention_of(sentence, name)]
    }

    /// The rule without `addressed_with`, at threshold 0.4.
    fn confine(sentence: &str, mentions: &[&[Mention]], ceasefire: &mut [f32]) -> bool {
        confine_to_addressees(sentence, mentions, &[], ceasefire, 0.4)
    }

    #[test]
    fn an_addressed_call_is_taken_from_the_parties_not_addressed() {
        let sentence = "Egypt urged Hamas to show restraint.";
        let hamas = mentions_of(sentence, "Hamas");
        let mentions: [&[Mention]; 3] = [&[], &hamas, &[]]; // israel (implicit), hamas, a third party
        let mut ceasefire: [f32; 3] = [0.8, 0.9, 0.1];
        assert!(confine(sentence, &mentions, &mut ceasefire));
        assert_eq!(ceasefire[1], 0.9, "the addressee keeps its score");
        assert!((ceasefire[0] - 0.08).abs() < 1e-6, "{ceasefire:?}");
        assert!((ceasefire[2] - 0.01).abs() < 1e-6, "{ceasefire:?}");
    }

    #[test]
    fn a_call_to_a_party_reaches_the_parties_it_is_addressed_with() {
        let sentence = "Russia called on the Palestinian and Israeli sides to cease fire.";
        let palestinians = mentions_of(sentence, "Palestinian");
        let israel = mentions_of(sentence, "Israeli");
        // israel, hamas (implicit), palestinians, united_states (implicit)
        let mentions: [&[Mention]; 4] = [&israel, &[], &palestinians, &[]];
        let addressed_with = [vec![], vec![], vec![1], vec![]];
        let mut ceasefire = [0.9, 0.8, 0.9, 0.5];
        assert!(confine_to_addressees(
            sentence,
            &mentions,
            &addressed_with,
            &mut ceasefire,
            0.4
        ));
        assert_eq!(
            &ceasefire[..3],
            &[0.9, 0.8, 0.9],
            "hamas comes with the Palestinian side"
        );
        assert!(ceasefire[3] < 0.4, "{ceasefire:?}");
    }

    #[test]
    fn a_call_on_a_party_reaches_those_it_is_addressed_with() {
        // Palestinians (0) addressed with Hamas (1); Israel (2) with none.
        let with = vec![vec![1], vec![], vec![]];
        let mut ceasefire = [0.8, 0.1, 0.7];
        assert!(reach_addressed_with(&with, &mut ceasefire, 0.5));
        assert_eq!(ceasefire, [0.8, 0.8, 0.7]);
        // Under the threshold nothing reaches; a higher score stays.
        let mut ceasefire = [0.4, 0.1, 0.7];
        assert!(!reach_addressed_with(&with, &mut ceasefire, 0.5));
        assert_eq!(ceasefire, [0.4, 0.1, 0.7]);
        let mut ceasefire = [0.8, 0.9, 0.0];
        assert!(!reach_addressed_with(&with, &mut ceasefire, 0.5));
        assert_eq!(ceasefire, [0.8, 0.9, 0.0]);
    }

    #[test]
    fn without_an_addressed_ceasefire_label_nothing_changes() {
        let sentence = "Egypt urged Hamas to show restraint.";
        let hamas = mentions_of(sentence, "Hamas");
        let mentions: [&[Mention]; 2] = [&[], &hamas];
        // The addressee's own score is under the threshold: not a call the
        // model reads as ceasefire, so the rule does not apply.
        let mut ceasefire = [0.8, 0.3];
        assert!(!confine(sentence, &mentions, &mut ceasefire));
        assert_eq!(ceasefire, [0.8, 0.3]);
        // An unaddressed call: nobody is addressed.
        let sentence = "Egypt called for restraint by Hamas and Israel.";
        let hamas = mentions_of(sentence, "Hamas");
        let israel = mentions_of(sentence, "Israel");
        let mentions: [&[Mention]; 2] = [&israel, &hamas];
        let mut ceasefire = [0.8, 0.9];
        assert!(!confine(sentence, &mentions, &mut ceasefire));
        assert_eq!(ceasefire, [0.8, 0.9]);
    }

    #[test]
    fn speakers_objects_and_other_places_are_not_addressees() {
        assert!(!addressed_at(
            "Israel urged the world to condemn Hamas.",
            "Israel"
        ));
        assert!(!addressed_at(
            "Egypt urged restraint after Hamas fired rockets.",
            "Hamas"
        ));
        assert!(!addressed_at(
            "Reporters asked Russia about its contacts.",
            "Russia"
        ));
        assert!(!addressed_at(
            "Turkey urged calm. Israel went on to strike Gaza.",
            "Israel"
        ));
        assert!(!addressed_at(
            "Jordan called for restraint by Israel to avoid escalation.",
            "Israel"
        ));
    }
}
