//! What the guidelines leave unlabelled or turn around, read from a
//! sentence's surface: concern alone ("deeply concerned about the
//! escalation") and humanitarian calls alone ("urged Israel to protect
//! civilians", "called for more aid to reach Gaza") are no ceasefire call,
//! and a denied terrorist label ("Hamas is not a terrorist organisation")
//! is support, not condemnation; a rejected ceasefire
//! ([`super::rejection`]) is no call either. A model that reads the whole sentence
//! takes the words of the war for a call to end it and the word
//! "terrorist" for an attack; these are the sentences where its cue words
//! mislead it.

use super::addressee;
use super::condemnation::CONDEMNATION;
use super::rejection::ceasefire_rejected;
use super::speaker::words;
use crate::types::{round_score, LabelScores, Mention, CEASEFIRE, CONDEMN, NUM_LABELS, SUPPORT};

/// Word beginnings of worry ("concerned", "worries", "alarmed").
const CONCERN: &[&str] = &[
    "concern",
    "worr",
    "alarm",
    "disturb",
    "troubl",
    "anxi",
    "apprehens",
    "dismay",
    "uneas",
];

/// Word beginnings of a humanitarian request's object: aid and its
/// access, civilians, the law of war ("international humanitarian law").
const HUMANITARIAN: &[&str] = &[
    "humanitarian",
    "civilian",
    "corridor",
    "food",
    "water",
    "medicine",
    "medical",
    "electricity",
    "hospital",
];

/// Whole words of the same kind ("aid" as a beginning would match "aide";
/// ("fuel" and "relief" likewise: "fuelling the war", "relieved").
const HUMANITARIAN_WORDS: &[&str] = &["aid", "fuel", "relief"];

/// Word beginnings of what a ceasefire call asks for, or of a call, or of
/// the fighting itself: a sentence with one of them may be a ceasefire
/// call, or may condemn the fighting, so it is left to the model.
const CEASEFIRE_CONTENT: &[&str] = &[
    "cease",
    "truce",
    "pause",
    "restrain",
    "self-restrain",
    "refrain",
    "proportion",
    "de-escalat",
    "deescalat",
    "hostilit",
    "halt",
    "stop",
    "calm",
    "peace",
    "armistice",
    "cessation",
    "silen",
    "deal",
    "agreement",
    "accord",
    "resolution",
    "proposal",
    "framework",
    "stabil",
    "bloodshed",
    "violen",
    "fighting",
    "offensive",
    "assault",
    "invasion",
    "operation",
    "bomb",
    "strike",
    "attack",
    "kill",
    "massacre",
    "genocid",
    "crime",
    "punish",
    "terror",
    "withdr",
];

/// Word beginnings a humanitarian request may not have beside it either
/// ("avoid escalation", "retaliation", "a ground incursion": a call for
/// restraint), though concern alone may ("concerned about the
/// escalation").
const RESTRAINT_OBJECTS: &[&str] = &["escalat", "retaliat", "incursion", "invad"];

/// Whole words of the same kind, too short to match as beginnings
/// ("end" would match "endorse", "war" "warn").
const CEASEFIRE_WORDS: &[&str] = &[
    "end", "ends", "ended", "ending", "war", "wars", "force", "plan",
];

/// Word beginnings and whole words of a call or demand ("urged", "called
/// for", "must"): concern with one of them may be a call.
const CALL: &[&str] = &[
    "urg", "call", "demand", "appeal", "press", "ask", "insist", "plead", "implor", "exhort",
];
const CALL_WORDS: &[&str] = &["must", "should", "need", "needs", "needed", "lay"];

/// Whether `sentence` voices concern and nothing more toward the war:
/// a word of worry, no call and nothing a ceasefire call asks for. The
/// guidelines: "concern/worry alone ('deeply concerned by the escalation')"
/// is not labelled.
pub fn concern_only(sentence: &str) -> bool {
    let words = lowercase_words(sentence);
    any_begins(&words, CONCERN)
        && !any_begins(&words, CEASEFIRE_CONTENT)
        && !any_is(&words, CEASEFIRE_WORDS)
        && !any_begins(&words, CALL)
        && !any_is(&words, CALL_WORDS)
}

/// Whether what `sentence` asks for is humanitarian only: aid, civilians,
/// the law of war, and no word of a ceasefire, of the fighting or of a
/// deal. The guidelines: "humanitarian calls alone (aid access, protect
/// civilians, IHL compliance …)" are not labelled.
pub fn humanitarian_only(sentence: &str) -> bool {
    let words = lowercase_words(sentence);
    (any_begins(&words, HUMANITARIAN)
        || any_is(&words, HUMANITARIAN_WORDS)
        || humanitarian_law(&words))
        && !any_begins(&words, CEASEFIRE_CONTENT)
        && !any_begins(&words, RESTRAINT_OBJECTS)
        && !any_is(&words, CEASEFIRE_WORDS)
}

/// The guidelines' cases above applied to one sentence's scores
/// (`scores[i]` belongs to the party whose mentions are `mentions[i]`,
/// offsets relative to `sentence`), where they change a label at
/// `thresholds`:
/// - concern alone, a humanitarian request alone or a ceasefire rejected
///   ([`ceasefire_rejected`]: "rejected calls for a general ceasefire",
///   "any ceasefire would be dangerous"): no party gets the ceasefire
///   label (probability 0);
/// - a humanitarian request's addressee ("urged Israel to protect
///   civilians") is asked, neither condemned nor supported (condemn and
///   support 0), unless the sentence also has a word of condemnation or
///   support ("…, accusing it of hypocrisy"): then the stance may be
///   another clause's;
///
/// Returns whether any score changed.
pub fn apply(
    sentence: &str,
    mentions: &[&[Mention]],
    scores: &mut [LabelScores],
    thresholds: [f32; NUM_LABELS],
) -> bool {
    let labelled =
        |s: &LabelScores, label: usize| round_score(s[label]) >= thresholds[label] as f64;
    let mut changed = false;
    if scores.iter().any(|s| labelled(s, CEASEFIRE))
        && (concern_only(sentence) || humanitarian_only(sentence) || ceasefire_rejected(sentence))
    {
        for s in scores.iter_mut() {
            s[CEASEFIRE] = 0.0;
        }
        changed = true;
    }
    let asked = |party: &[Mention]| party.iter().any(|m| addressee::addressed(sentence, m));
    let addressee_labelled = scores
        .iter()
        .zip(mentions)
        .any(|(s, party)| (labelled(s, CONDEMN) || labelled(s, SUPPORT)) && asked(party));
    if addressee_labelled && humanitarian_only(sentence) && !stance_words(sentence) {
        for (s, party) in scores.iter_mut().zip(mentions) {
            if asked(party) {
                s[CONDEMN] = 0.0;
                s[SUPPORT] = 0.0;
            }
        }
        changed = true;
    }
    changed
}

/// The words of `text`, lowercase, "isn’t" read as "isn't".
pub(super) fn lowercase_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .map(|(_, _, word)| word.replace('’', "'"))
        .collect()
}

fn any_begins(words: &[String], beginnings: &[&str]) -> bool {
    words
        .iter()
        .any(|w| beginnings.iter().any(|b| w.starts_with(b)))
}

fn any_is(words: &[String], whole: &[&str]) -> bool {
    words.iter().any(|w| whole.contains(&w.as_str()))
}

/// Whether `sentence` has a word of condemnation or support ("accusing",
/// "condemned", "backing", "solidarity"): a stance a clause beside a
/// humanitarian request may hold.
fn stance_words(sentence: &str) -> bool {
    let words = lowercase_words(sentence);
    any_begins(&words, CONDEMNATION)
        || any_begins(&words, SUPPORT_BEGINNINGS)
        || any_is(&words, SUPPORT_WORDS)
}

/// Word beginnings and whole words of support.
const SUPPORT_BEGINNINGS: &[&str] = &["support", "solidarity", "prais", "hail", "endors"];
const SUPPORT_WORDS: &[&str] = &["back", "backs", "backed", "backing", "stand", "stands"];

/// "international humanitarian law", "international law": the law of war,
/// whose respect is a humanitarian request.
fn humanitarian_law(words: &[String]) -> bool {
    words
        .windows(2)
        .any(|pair| pair[0] == "international" && pair[1] == "law")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    #[test]
    fn concern_alone_is_not_a_call() {
        assert!(concern_only(
            "Russia said it was deeply concerned about the escalation between Israel and Hamas."
        ));
        assert!(concern_only("Egypt voiced alarm at the rising death toll."));
        assert!(concern_only(
            "China expressed grave concern over the situation in Gaza."
        ));
    }

    #[test]
    fn concern_with_a_call_or_a_ceasefire_word_is_left_to_the_model() {
        for s in [
            "Concerned by the escalation, France urged both sides to show restraint.",
            "Russia is worried and called for a ceasefire.",
            "The UN is alarmed and said the war must end.",
            "He was troubled by the bombing of the hospital.",
            "Nothing was said about the war.",
        ] {
            assert!(!concern_only(s), "{s}");
        }
    }

    #[test]
    fn a_humanitarian_request_alone_is_not_a_ceasefire_call() {
        for s in [
            "The United States urged Israel to protect civilians and respect international humanitarian law.",
            "Egypt called for more aid to reach the people of Gaza.",
            "The White House told Israel to keep aid workers safe.",
            "Jordan asked that fuel and medicine be let into the hospitals.",
        ] {
            assert!(humanitarian_only(s), "{s}");
        }
    }

    #[test]
    fn a_humanitarian_request_with_a_ceasefire_word_is_left_to_the_model() {
        for s in [
            "France called for a humanitarian ceasefire in Gaza.",
            "He urged a pause so that aid could reach civilians.",
            "Qatar said the deal would let more aid in.",
            "The war must end so that food can reach civilians.",
            "Israel's strikes on civilians were condemned.",
            "The ministry called for an end to the killing of civilians.",
            "Russia urged both sides to stop.",
            "It urged Israel to respond proportionately, in line with international law.",
            "Japan urged Israel to exercise self-restraint and protect civilians.",
            "He urged Israel to refrain from a ground incursion that would endanger civilians.",
        ] {
            assert!(!humanitarian_only(s), "{s}");
        }
        assert!(
            !humanitarian_only("He endorsed the warning."),
            "no aid word"
        );
    }

    #[test]
    fn a_humanitarian_request_s_addressee_keeps_a_stance_of_another_clause() {
        let s = "Erdogan urged Israel to respect international law, accusing it of hypocrisy.";
        let israel = [mention_of(s, "Israel")];
        let mut scores = [[0.8, 0.0, 0.0]];
        apply(s, &[&israel], &mut scores, [0.5; 3]);
        assert_eq!(scores[0][CONDEMN], 0.8);
        let s = "Erdogan urged Israel to respect international law.";
        let israel = [mention_of(s, "Israel")];
        let mut scores = [[0.8, 0.6, 0.7]];
        assert!(apply(s, &[&israel], &mut scores, [0.5; 3]));
        assert_eq!(scores[0], [0.0, 0.0, 0.0]);
    }
}
