//! The phrases of the parties file's lists (`unnamed_acts`, `charges`,
//! `causes`) found in a sentence, and the unnamed act a sentence condemns:
//! "denounced the attacks from Gaza" condemns Hamas though it names no one.

use super::{condemned_object, CLAUSE_BREAKS, CONDEMNATION};
use crate::score::speaker::words;
use crate::types::Mention;

/// How many words may stand between two words of an unnamed act ("the
/// attacks under way against Israel", "the October 7 terrorist attack").
const PHRASE_GAP: usize = 2;

/// Whether `sentence` condemns one of the acts that `acts` name (the
/// phrases of a party's `unnamed_acts` in the parties file: "attack from
/// Gaza", "October 7 attack") without naming its agent: the act stands
/// where a condemned party would ([`condemned_object`]: after the
/// condemnation through articles and adjectives only, so no name or
/// possessive comes before it; or the subject of a passive: "the attacks
/// from Gaza were condemned"), and no "by" follows it ("the attack on
/// Israel by Hezbollah" names another agent). A phrase's words match in
/// order, a plural for a singular ("attacks" for "attack"), with up to
/// [`PHRASE_GAP`] other words between two of them but no clause break, "by" or
/// "and". The sentence is read once for all the phrases.
pub fn condemned_unnamed_act<S: AsRef<str>>(sentence: &str, acts: &[S]) -> bool {
    // Most sentences condemn nothing: no word scan for them.
    let lowercase = sentence.to_lowercase();
    if acts.is_empty() || !CONDEMNATION.iter().any(|stem| lowercase.contains(stem)) {
        return false;
    }
    let found = words(sentence);
    phrase_matches(sentence, &found, acts)
        .into_iter()
        .any(|(first, last)| {
            let span = Mention {
                text: sentence[found[first].0..found[last].1].to_string(),
                start: found[first].0,
                end: found[last].1,
            };
            found.get(last + 1).is_none_or(|w| w.2 != "by") && condemned_object(sentence, &span)
        })
}

/// Where the phrases of a parties-file list (`unnamed_acts`, `causes`,
/// `charges`) occur among `found`, the words of `sentence`: each match's
/// first and last word, matched by [`phrase_ends_at`]. A phrase whose first
/// word the sentence lacks costs no word scan.
pub(in crate::score) fn phrase_matches<S: AsRef<str>>(
    sentence: &str,
    found: &[(usize, usize, String)],
    phrases: &[S],
) -> Vec<(usize, usize)> {
    let lowercase = sentence.to_lowercase();
    let mut matches = Vec::new();
    for phrase in phrases {
        let phrase: Vec<String> = words(phrase.as_ref()).into_iter().map(|w| w.2).collect();
        if !first_word_in(&lowercase, &phrase) {
            continue;
        }
        matches.extend(
            (0..found.len()).filter_map(|first| {
                Some((first, phrase_ends_at(sentence, found, first, &phrase)?))
            }),
        );
    }
    matches
}

/// Whether some phrase of `phrases` may occur in `sentence`: its first word
/// does. Most sentences name none of a list's phrases, and this costs no
/// word scan of the sentence, so a rule tests it before [`words`].
pub(in crate::score) fn may_name_phrase<S: AsRef<str>>(sentence: &str, phrases: &[S]) -> bool {
    // Most parties have no such list: no lowercased copy of the sentence.
    if phrases.is_empty() {
        return false;
    }
    let lowercase = sentence.to_lowercase();
    phrases.iter().any(|phrase| {
        let phrase: Vec<String> = words(phrase.as_ref()).into_iter().map(|w| w.2).collect();
        first_word_in(&lowercase, &phrase)
    })
}

/// Whether the first of a phrase's lowercased words occurs in the
/// lowercased sentence (anywhere: a cheap necessary condition).
fn first_word_in(lowercase: &str, phrase: &[String]) -> bool {
    phrase
        .first()
        .is_some_and(|first| lowercase.contains(first.as_str()))
}

/// Where a phrase's words (`phrase`, lowercased), matched in order from
/// `found[first]` as [`condemned_unnamed_act`] describes, end; `None`
/// where they do not match there.
fn phrase_ends_at(
    sentence: &str,
    found: &[(usize, usize, String)],
    first: usize,
    phrase: &[String],
) -> Option<usize> {
    let same = |word: &str, phrase_word: &str| {
        word == phrase_word
            || [word.strip_suffix('s'), word.strip_suffix("es")].contains(&Some(phrase_word))
    };
    if !same(&found[first].2, &phrase[0]) {
        return None;
    }
    let mut at = first;
    for phrase_word in &phrase[1..] {
        at = (at + 1..found.len())
            .take(PHRASE_GAP + 1)
            .take_while(|&i| {
                !sentence[found[at].1..found[i].0].contains(CLAUSE_BREAKS)
                    && (at + 1..i).all(|j| found[j].2 != "by" && found[j].2 != "and")
            })
            .find(|&i| same(&found[i].2, phrase_word))?;
    }
    Some(at)
}
