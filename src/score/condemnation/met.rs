//! The subject that meets a condemnation: "Hamas came under fierce
//! criticism from Israel", "Russia faced condemnation". The condemnation is
//! a noun the subject meets, not a verb before its object, so the other
//! readings of `condemnation` miss it; the one who condemns follows "from".

use super::{CLAUSE_BREAKS, PASSIVE_FILLER};
use crate::score::speaker::{capitalised, words, BODIES_OF_PARTY, TITLES};
use crate::types::Mention;

/// Verbs whose subject meets a condemnation ("came under fierce criticism",
/// "faced condemnation", "drew sharp rebukes").
const MEETING: &[&str] = &[
    "came", "comes", "come", "coming", "faced", "faces", "face", "facing", "drew", "draws",
    "drawn", "drawing",
];

/// Nouns of condemnation that a subject meets. Not "fire" or "attack": a
/// place or a force "came under fire" from weapons.
pub(super) const MET: &[&str] = &[
    "criticism",
    "condemnation",
    "condemnations",
    "censure",
    "rebuke",
    "rebukes",
];

/// Whether `mention` is the subject that meets a condemnation: "Hamas came
/// under fierce criticism from Israel", "Russia faced condemnation": a verb
/// of [`MEETING`] right after it (auxiliaries and adverbs between), then
/// "under" or nothing, up to two adjectives, and a noun of [`MET`], in one
/// clause.
pub(super) fn under_criticism(sentence: &str, mention: &Mention) -> bool {
    let (Some(before), Some(after)) = (sentence.get(..mention.start), sentence.get(mention.end..))
    else {
        return false;
    };
    // The subject heads its clause: "Moscow's failure to condemn Hamas drew
    // criticism" is Moscow's, not Hamas's.
    let clause_start = (before.char_indices())
        .rev()
        .find(|(_, c)| CLAUSE_BREAKS.contains(c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let own_clause = &before[clause_start..];
    if !words(own_clause)
        .iter()
        .all(|w| w.2 == "the" || TITLES.contains(&w.2.as_str()) || capitalised(own_clause, w.0))
    {
        return false;
    }
    let clause = after.split(CLAUSE_BREAKS).next().unwrap_or("");
    let found = words(clause);
    let word = |i: usize| found.get(i).map_or("", |w| w.2.as_str());
    // Past a title and a name after the mention ("Hamas official Osama
    // Hamdan came under …").
    let Some(verb) = (0..found.len().min(8)).find(|&i| {
        let w = word(i);
        !(PASSIVE_FILLER.contains(&w)
            || TITLES.contains(&w)
            || BODIES_OF_PARTY.contains(&w)
            || capitalised(clause, found[i].0))
    }) else {
        return false;
    };
    if !MEETING.contains(&word(verb)) {
        return false;
    }
    let from = verb + 1 + usize::from(word(verb + 1) == "under");
    (from..from + 3).any(|i| MET.contains(&word(i)))
}
