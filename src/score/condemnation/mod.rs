//! The object of a condemnation, read from its surface: "condemned the
//! attack by Hamas", "accused Israel of war crimes", "blamed the
//! Palestinians for the collapse of the talks", "denounced Russia's
//! aggression". The guidelines' first label is exactly this (an explicit
//! condemnation of a party or of its acts, whoever voices it), and it is
//! the case the model gets wrong by role: news gives each party habitual
//! roles, so a condemnation of a party seldom condemned in the training
//! data (the Palestinians, Russia by Israel) is missed. Read from the words
//! alone, the object is the target whoever it is.

use super::speaker::{capitalised, words, BODIES_OF_PARTY, TITLES};
use crate::types::Mention;

mod charge;
mod denied;
mod met;
mod perpetrator;
mod phrases;
mod responsible;
mod subject;
pub use charge::levels_charge;
pub(super) use charge::CHARGE_NOUNS;
pub use denied::denied_without_complaint;
use met::{under_criticism, MET};
pub use perpetrator::commits_crime;
pub use phrases::condemned_unnamed_act;
pub(super) use phrases::{may_name_phrase, phrase_matches};
pub use responsible::held_responsible;
pub use subject::{condemned_in_headline, condemning_subject};

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
    // "lashed out at", "branded … a threat"
    "lash",
    "brand",
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

/// Nouns of condemnation after which "of" names the party itself
/// ("condemnation of Israel"), as it does after an office.
const OF_PARTY: &[&str] = &["condemnation", "condemnations", "denunciation", "criticism"];

/// Words that deny the condemnation when they stand just before it
/// ("refused to condemn Hamas", "did not condemn"): the guidelines give no
/// condemnation to an actor that fails to condemn.
pub(super) const NEGATION: &[&str] = &[
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
    "avoided",
    "avoids",
    "avoiding",
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

/// Clause breaks: a cue on the other side of one is another clause's.
pub(super) const CLAUSE_BREAKS: [char; 12] =
    [',', ';', ':', '.', '!', '?', '"', '“', '”', '(', '—', '–'];

/// How many words back from the mention the condemnation may stand.
const REACH: usize = 8;

/// Whether `mention` (offsets relative to `sentence`) is the object of a
/// condemnation in one of the shapes news uses: after the condemnation
/// ([`object_after_condemnation`]: "condemned the attack by Hamas",
/// "condemned both Hamas and Israel"), its passive subject
/// ([`passive_subject`]: "Israel was condemned by …"), or the one a blame is
/// laid on ([`blame_laid_on`]: "put the blame for the collapse squarely on
/// Hamas").
pub fn condemned_object(sentence: &str, mention: &Mention) -> bool {
    object_after_condemnation(sentence, mention)
        || passive_subject(sentence, mention)
        || blame_laid_on(sentence, mention)
        || under_criticism(sentence, mention)
}

/// Whether a title's word stands right before `mention` ("Minister Yoav
/// Gallant", "political chief Khaled Meshaal"): the person the mention
/// before the title introduces, so the object that mention already is.
pub(super) fn after_title(sentence: &str, mention: &Mention) -> bool {
    words_before(sentence, mention)
        .and_then(|before| {
            before
                .last()
                .map(|w| w.2 != "of" && TITLES.contains(&w.2.as_str()))
        })
        .unwrap_or(false)
}

/// Whether `mentions` (a party's) name only the object of condemnations
/// ([`condemned_object`]), a person's name after their title read as the
/// mention before it.
pub fn condemned_object_only(sentence: &str, mentions: &[Mention]) -> bool {
    let objects: Vec<&Mention> = (mentions.iter())
        .filter(|m| !after_title(sentence, m))
        .collect();
    !objects.is_empty() && objects.iter().all(|m| condemned_object(sentence, m))
}

/// Whether `mention` follows a condemnation: a verb or noun of
/// condemnation, then only articles, adjectives of an act, the act itself
/// and "by" after it ("of" only after a noun of condemnation or an office),
/// then the mention, within one clause (no comma or other break between)
/// and not denied ("did not condemn …"). "By" right after the verb names
/// the one who condemns ("condemned by the United States"), not its
/// object. A name joined by "and" to a first named object is an object
/// too ("condemned both Hamas and Israel"), when the clause goes no
/// further than the name ("… Hamas and Israel vowed revenge" is a new
/// clause).
fn object_after_condemnation(sentence: &str, mention: &Mention) -> bool {
    condemnation_before(sentence, mention) == Some(Stated::Affirmed)
}

/// Whether a condemnation that a mention follows is affirmed or denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stated {
    Affirmed,
    /// "did not condemn …", "refused to condemn …", "avoided any
    /// criticism of …".
    Denied,
}

/// The walk of [`object_after_condemnation`]: `Some` where `mention` is in
/// a condemnation's object place, saying whether the condemnation is
/// denied; `None` where it is not.
fn condemnation_before(sentence: &str, mention: &Mention) -> Option<Stated> {
    let before = words_before(sentence, mention)?;
    // A name before "and": its words are capitalised in the text.
    let name_at = |i: usize| capitalised(sentence, before[i].0);
    let mut coordinated = false;
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
                "of" => OF_PARTY.contains(&previous(i)) || BODIES_OF_PARTY.contains(&previous(i)),
                _ => true,
            });
            // "did not condemn", "refused to condemn"; but "not only
            // condemned" condemns.
            let denied = (at.saturating_sub(3)..at).any(|i| {
                NEGATION.contains(&word(i)) && !(word(i) == "not" && word(i + 1) == "only")
            });
            let clause_break = sentence[before[at].0..mention.start].contains(CLAUSE_BREAKS);
            let object =
                linked && !clause_break && (!coordinated || clause_ends_after(sentence, mention));
            return object.then_some(if denied {
                Stated::Denied
            } else {
                Stated::Affirmed
            });
        }
        let w = word(at);
        // "lashed out at Israel": the phrasal verb's particles.
        let lashed = |i: usize| i < at && word(at - i - 1).starts_with("lash");
        if (w == "out" && lashed(0)) || (matches!(w, "at" | "against") && lashed(1)) {
            continue;
        }
        // "both the Israeli army and Hamas": an office ends a name too.
        if w == "and" && at > 0 && (name_at(at - 1) || BODIES_OF_PARTY.contains(&word(at - 1))) {
            coordinated = true;
            continue;
        }
        if !(ACTS.contains(&w)
            || FILLER.contains(&w)
            || BODIES_OF_PARTY.contains(&w)
            || w == "by"
            || w == "of"
            || (coordinated && name_at(at)))
        {
            return None;
        }
    }
    None
}

/// The words before `mention`, "didn’t" read as "didn't"; `None` where the
/// mention's offsets do not fit the sentence.
pub(super) fn words_before(
    sentence: &str,
    mention: &Mention,
) -> Option<Vec<(usize, usize, String)>> {
    if mention.start > sentence.len() || !sentence.is_char_boundary(mention.start) {
        return None;
    }
    Some(
        words(&sentence[..mention.start])
            .into_iter()
            .map(|(start, end, word)| (start, end, word.replace('’', "'")))
            .collect(),
    )
}

/// The index in `before` (the words before a mention) of `link` when only
/// "the" stands between it and the mention ("on the", "that", "against").
pub(super) fn linking_word(before: &[(usize, usize, String)], link: &str) -> Option<usize> {
    let at = before.iter().rposition(|w| w.2 != "the")?;
    (before[at].2 == link).then_some(at)
}

/// Whether the clause after a coordinated object ends with it: a break,
/// the sentence's end, or a word that goes on with the condemnation ("for
/// …", "over …", "alike").
/// A person's title and name after the mention are part of the object
/// ("… and Hamas political chief Khaled Meshaal.").
fn clause_ends_after(sentence: &str, mention: &Mention) -> bool {
    let after = sentence.get(mention.end..).unwrap_or("");
    let rest = words(after)
        .into_iter()
        .find(|w| {
            let title = TITLES.contains(&w.2.as_str()) && w.2 != "of";
            !(title || capitalised(after, w.0))
        })
        .map_or("", |w| &after[w.0..]);
    let gap = &after[..after.len() - rest.len()];
    let next = words(rest).into_iter().next().map(|w| w.2);
    gap.contains(CLAUSE_BREAKS)
        || rest.is_empty()
        || next.is_some_and(|w| AFTER_OBJECT.contains(&w.as_str()))
}

/// Words that go on with a condemnation after its object.
const AFTER_OBJECT: &[&str] = &["for", "over", "alike", "as", "of", "equally"];

/// Auxiliaries and adverbs between a passive subject and its participle
/// ("has been widely condemned"); one of [`PASSIVE_BE`] must be there.
const PASSIVE_FILLER: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "again",
    "now",
    "since",
    "repeatedly",
];
const PASSIVE_BE: &[&str] = &["is", "are", "was", "were", "been", "being"];

/// Prepositions before a name that make it something else than the
/// subject ("the attack on Israel was condemned": the victim).
const NOT_SUBJECT_AFTER: &[&str] = &[
    "on", "against", "in", "of", "at", "to", "toward", "towards", "with", "from", "for", "into",
];

/// Whether `mention` is the subject of a passive condemnation: "Israel was
/// condemned by …", "Hamas has been accused of …", "Russia's conduct was
/// sharply criticised", "Hamas attacks were widely denounced". Not where a
/// preposition makes the name a victim or a place ("the attack on Israel
/// was condemned"), nor where the verb is denied ("was not condemned").
pub fn passive_subject(sentence: &str, mention: &Mention) -> bool {
    if mention.end > sentence.len() || !sentence.is_char_boundary(mention.end) {
        return false;
    }
    let Some(before) = words_before(sentence, mention) else {
        return false;
    };
    let last = before
        .iter()
        .rev()
        .map(|w| w.2.as_str())
        .find(|w| *w != "the");
    let by_agent = before.len() >= 2 && ACTS.contains(&before[before.len() - 2].2.as_str());
    if last.is_some_and(|w| NOT_SUBJECT_AFTER.contains(&w) || (w == "by" && !by_agent)) {
        return false;
    }
    let after = &sentence[mention.end..];
    let clause = after
        .split([',', ';', ':', '"', '“', '”', '(', '—', '–'])
        .next()
        .unwrap_or("");
    let mut be = false;
    for (i, (_, _, word)) in words(clause).into_iter().enumerate().take(8) {
        let w = word.as_str();
        // "Israel's strikes were condemned": the possessive's "s" and the act.
        let possessive = i == 0 && w == "s" && (after.starts_with("'s") || after.starts_with("’s"));
        if PASSIVE_BE.contains(&w) {
            be = true;
        } else if be && w.ends_with("ed") && CONDEMNATION.iter().any(|stem| w.starts_with(stem)) {
            return true;
        } else if !(possessive
            || PASSIVE_FILLER.contains(&w)
            || ACTS.contains(&w)
            || FILLER.contains(&w)
            || (be && w.ends_with("ly")))
        {
            return false;
        }
    }
    false
}

/// Whether `mention` is the one a blame is laid on: "put the blame for the
/// collapse of the truce squarely on Hamas", "blamed the explosion on
/// Israel". The noun's "on" names the blamed across a "for" phrase; the
/// verb's only before one ("blamed Israel for the attack on Gaza": Gaza is
/// the victim) and not after an act ("blamed the strikes on Gaza" may name
/// a victim). Not a side ("on the Gaza side") and not denied.
pub fn blame_laid_on(sentence: &str, mention: &Mention) -> bool {
    let Some(before) = words_before(sentence, mention) else {
        return false;
    };
    let word = |i: usize| before[i].2.as_str();
    let Some(on) = linking_word(&before, "on") else {
        return false;
    };
    let after = sentence.get(mention.end..).unwrap_or("");
    if words(after)
        .first()
        .is_some_and(|w| w.2 == "side" || w.2 == "sides")
    {
        return false;
    }
    for at in (on.saturating_sub(BLAME_REACH)..on).rev() {
        if sentence[before[at].0..before[on].0].contains(CLAUSE_BREAKS) {
            return false;
        }
        if !word(at).starts_with("blam") {
            continue;
        }
        let noun = word(at) == "blame" && at > 0 && BLAME_DETERMINERS.contains(&word(at - 1));
        let between = || (at + 1..on).map(word);
        // "refused to put the blame": the negation four words back.
        let denied = (at.saturating_sub(4)..at).any(|i| NEGATION.contains(&word(i)));
        return !denied
            && (noun || (!between().any(|w| w == "for") && !ACTS.contains(&word(on - 1))));
    }
    false
}

/// How many words back from "on" the blame may stand.
const BLAME_REACH: usize = 12;

/// Words before "blame" that make it the noun ("laid the blame").
const BLAME_DETERMINERS: &[&str] = &["the", "full", "all", "much", "most"];

/// Whether `mention` names the one who condemns, after the condemnation
/// and "by" ("condemned by the United States", "criticism by Moscow") or
/// after a noun of condemnation and "from" ("fierce criticism from
/// Israel"): the holder, not a target.
pub fn condemning_agent(sentence: &str, mention: &Mention) -> bool {
    let Some(before) = words_before(sentence, mention) else {
        return false;
    };
    let mut tail = before
        .iter()
        .rev()
        .map(|w| w.2.as_str())
        .skip_while(|w| *w == "the");
    let condemnation = |w: &str| CONDEMNATION.iter().any(|stem| w.starts_with(stem));
    match tail.next() {
        Some("by") => tail.next().is_some_and(condemnation),
        // "criticism from Israel", "condemnation from Washington": the noun.
        Some("from") => tail
            .next()
            .is_some_and(|w| OF_PARTY.contains(&w) || MET.contains(&w)),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
