//! Who is supported, read from the surface: the object of solidarity ("stands
//! with Israel", "solidarity with the Palestinians", "condolences to
//! Israel", "our thoughts are with …", "on the side of Hamas") and the party
//! defended against a charge ("rejected claims that Hamas was behind the
//! blast", "said Israel had nothing to do with the explosion", "dismissed the
//! genocide accusations against Israel as baseless"). The guidelines' support
//! label names both ("solidarity, condolences, backing of the party",
//! "defending the party against a charge"); the model reads the words of
//! the charge as an attack on the party it defends, and misses solidarity
//! with a party it seldom saw supported.

use super::condemnation::{
    linking_word, may_name_phrase, phrase_matches, words_before, CHARGE_NOUNS, CLAUSE_BREAKS,
    NEGATION,
};
use super::exclusion::lowercase_words;
use super::speaker::{capitalised, names_party_on, words, SPEAKER_VERBS};
use crate::types::Mention;

/// How a party is defended against a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defence {
    /// The charge is denied and nobody is said to make it ("rejected claims
    /// that Hamas was behind the blast", "Israel bore no responsibility"):
    /// support, and no condemnation of the party.
    Cleared,
    /// A charge someone makes is rejected ("dismissed the accusations of
    /// genocide against Israel as baseless"): support, and the reported
    /// charge may still be a condemnation (the gold data labels both).
    ChargeRejected,
}

/// Verbs of denial ("rejected", "dismissing", "denies", "refuted").
const DENIAL: &[&str] = &["reject", "dismiss", "deni", "deny", "refut", "rebuff"];

/// Nouns of a charge besides the condemnation rules' ([`CHARGE_NOUNS`]):
/// what a defence denies may be reported or suggested too.
const MORE_CHARGE_NOUNS: &[&str] = &[
    "report",
    "reports",
    "suggestion",
    "suggestions",
    "assertion",
    "assertions",
];

/// Whether `word` names a charge.
fn charge_noun(word: &str) -> bool {
    CHARGE_NOUNS.contains(&word) || MORE_CHARGE_NOUNS.contains(&word)
}

/// Words that call a charge untrue.
const UNTRUE: &[&str] = &[
    "baseless",
    "unfounded",
    "groundless",
    "false",
    "absurd",
    "lie",
    "lies",
    "fabricated",
    "fabrication",
    "slander",
    "slanderous",
    "libel",
    "untrue",
    "nonsense",
];

/// What a party denied a charge "had" or "bore" ("had nothing to do with
/// the explosion", "bore no responsibility").
const NO_PART: &[&[&str]] = &[
    &["nothing", "to", "do", "with"],
    &["no", "responsibility"],
    &["no", "hand", "in"],
];

/// What a party "was not" when cleared ("was not behind the attack").
const NOT_GUILTY: &[&str] = &["behind", "responsible", "guilty", "to"];

/// Words between a cue of solidarity and its object ("solidarity with the
/// people of Israel", "stands firmly with").
const SOLIDARITY_FILLER: &[&str] = &[
    "the",
    "people",
    "of",
    "its",
    "their",
    "our",
    "firmly",
    "fully",
    "squarely",
    "resolutely",
    "always",
    "together",
    "shoulder",
    "to",
    "full",
    "out",
];

/// Words of solidarity whose object follows a preposition: (word, the
/// prepositions it takes).
const SOLIDARITY: &[(&str, &[&str])] = &[
    ("solidarity", &["with"]),
    ("condolences", &["to"]),
    ("sympathy", &["with", "to", "for"]),
    // "pledged unwavering support to Israel", "its backing for Hamas":
    // reported backing is support in the guidelines.
    ("support", &["to", "for"]),
    ("backing", &["to", "for"]),
    ("stand", &["with", "by", "behind"]),
    ("stands", &["with", "by", "behind"]),
    ("standing", &["with", "by", "behind"]),
    ("stood", &["with", "by", "behind"]),
    // "on the side of" only: "side by side with" is no stance.
    ("side", &["of"]),
    ("sides", &["with"]),
    ("sided", &["with"]),
    ("siding", &["with"]),
    ("thoughts", &["with", "to"]),
    ("prayers", &["with", "to"]),
    ("hearts", &["with", "to"]),
];

/// Verbs between "thoughts" and their object ("our thoughts are with").
const THOUGHTS_VERBS: &[&str] = &["are", "were", "go", "went", "remain", "remained"];

/// How many words back from the mention a cue of solidarity may stand.
const REACH: usize = 6;

/// Whether `mention` (offsets relative to `sentence`) is the object of
/// solidarity: a word of solidarity, its preposition, then only articles,
/// "the people of" and adverbs, within one clause and not denied ("does not
/// stand with", "no solidarity with").
pub fn solidarity_object(sentence: &str, mention: &Mention) -> bool {
    let Some(before) = words_before(sentence, mention) else {
        return false;
    };
    let word = |i: usize| before[i].2.as_str();
    for at in (before.len().saturating_sub(REACH)..before.len()).rev() {
        let w = word(at);
        // "We are with Israel", "we're with you": the first person's
        // "are" is solidarity; "talks are with Hamas" is not.
        let we_are = (w == "are" || w == "re") && at > 0 && word(at - 1) == "we";
        let cue = if we_are {
            Some(&("are", &["with"][..]))
        } else {
            SOLIDARITY.iter().find(|(cue, _)| *cue == w)
        };
        if let Some((_, prepositions)) = cue {
            // The preposition right after the cue, or after "are" for
            // "thoughts are with".
            let mut next = at + 1;
            if ["thoughts", "prayers", "hearts"].contains(&w) {
                if next < before.len() && THOUGHTS_VERBS.contains(&word(next)) {
                    next += 1;
                } else {
                    return false;
                }
            }
            // "stands firmly with", "stood shoulder to shoulder with".
            while next < before.len() && !prepositions.contains(&word(next)) {
                if !SOLIDARITY_FILLER.contains(&word(next)) {
                    return false;
                }
                next += 1;
            }
            if next >= before.len() {
                return false;
            }
            // "on the side of": "side" needs "the" and "on" before it.
            if w == "side"
                && word(next) == "of"
                && !(at >= 2 && word(at - 1) == "the" && word(at - 2) == "on")
            {
                return false;
            }
            let denied = (at.saturating_sub(3)..at).any(|i| NEGATION.contains(&word(i)));
            let clause_break = sentence[before[at].0..mention.start].contains(CLAUSE_BREAKS);
            return !denied && !clause_break;
        }
        if !(SOLIDARITY_FILLER.contains(&w)
            || THOUGHTS_VERBS.contains(&w)
            || ["with", "by", "behind", "to", "of", "for"].contains(&w))
        {
            return false;
        }
    }
    false
}

/// Whether `mention` is said to deserve support ("Israel deserves the
/// world's support", "the Palestinians deserve our solidarity") or to have
/// a right ("the right of Israel to defend itself", "Israel's right to
/// self-defence", "the Palestinians' right to a state"): the guidelines'
/// support names backing of the party and of its rights.
pub fn deserving_or_entitled(sentence: &str, mention: &Mention) -> bool {
    let (Some(before), Some(after)) = (sentence.get(..mention.start), sentence.get(mention.end..))
    else {
        return false;
    };
    let after = lowercase_words(after.split(CLAUSE_BREAKS).next().unwrap_or(""));
    let word = |i: usize| after.get(i).map_or("", String::as_str);
    // Past the party's body and a person's title and name words are not
    // read: "deserves" and "right" come right after the mention's phrase.
    let body = (0..after.len())
        .take_while(|&i| names_party_on(word(i)))
        .count();
    let deserves = ["deserves", "deserve", "deserved"].contains(&word(body))
        && (body + 1..body + 5).any(|i| DESERVED.contains(&word(i)));
    let own_right = word(body) == "right" && word(body + 1) == "to" && word(0) == "s"
        || (word(0) == "right" && word(1) == "to");
    let before = lowercase_words(before);
    let n = before.len();
    let right_of = n >= 2 && before[n - 1] == "of" && before[n - 2] == "right"
        || n >= 3 && before[n - 1] == "the" && before[n - 2] == "of" && before[n - 3] == "right";
    let right_of = right_of && word(body) == "to";
    let negated = (before.iter().rev().take(4))
        .any(|w| NEGATION.contains(&w.as_str()) || DENIAL.iter().any(|stem| w.starts_with(stem)));
    (deserves || own_right || right_of) && !negated
}

/// What a party deserves when it is supported.
const DESERVED: &[&str] = &[
    "support",
    "solidarity",
    "backing",
    "sympathy",
    "help",
    "protection",
];

/// Verbs of praise and thanks: their object is supported ("Hamas thanked
/// Qatar and Egypt for their efforts", "praised Moscow's stance", "hails
/// Hamas victory"). The guidelines' support is "backing of the party, its
/// cause"; news reports praise and thanks far more often than it says
/// "support", and the model reads a praised party it seldom saw supported
/// (Russia, Egypt) as condemned.
const PRAISE: &[&str] = &[
    "thank",
    "thanked",
    "thanking",
    "thanks",
    "praise",
    "praised",
    "praises",
    "praising",
    "hail",
    "hailed",
    "hails",
    "hailing",
    "commend",
    "commended",
    "commends",
    "commending",
    "laud",
    "lauded",
    "lauds",
    "lauding",
    "applaud",
    "applauded",
    "applauds",
    "salute",
    "saluted",
    "salutes",
    "saluting",
    "congratulate",
    "congratulated",
    "congratulates",
    "congratulating",
];

/// "Welcomed" praises only what a party did ("welcomed Russia's efforts",
/// "welcomed what it called Russia's tireless efforts"); with a party as
/// its object it is hosting a visitor ("welcomed the Russian leader").
const WELCOME: &[&str] = &["welcome", "welcomed", "welcomes", "welcoming"];

/// Words between a verb of praise and its object ("thanked the Russian
/// leadership", "praised what it called Russia's tireless efforts").
const PRAISE_FILLER: &[&str] = &[
    "the",
    "its",
    "his",
    "her",
    "their",
    "our",
    "warmly",
    "also",
    "again",
    "repeatedly",
    "publicly",
    "what",
    "it",
    "he",
    "she",
    "they",
    "called",
    "and",
];

/// Whether `mention` (offsets relative to `sentence`) is the object of a
/// verb of praise or thanks: the verb, then only articles, possessives,
/// "what it called", adverbs and other names of a list ("thanked Iran,
/// Turkey and Russia"), not denied ("refused to thank", "did not praise").
/// A preposition is no filler, so "thanks to Qatar's mediation" (a cause)
/// and "praise for Israel" are not read. After "welcomed" only what the
/// party did counts: its possessive or "what it called".
pub fn praised_object(sentence: &str, mention: &Mention) -> bool {
    let Some(before) = words_before(sentence, mention) else {
        return false;
    };
    let word = |i: usize| before[i].2.as_str();
    let name_at = |i: usize| capitalised(sentence, before[i].0);
    let possessive = sentence
        .get(mention.end..)
        .is_some_and(|after| after.starts_with("'s") || after.starts_with("’s"));
    for at in (before.len().saturating_sub(REACH)..before.len()).rev() {
        let w = word(at);
        let welcome = WELCOME.contains(&w);
        if PRAISE.contains(&w) || welcome {
            let called = before[at + 1..].iter().any(|b| b.2 == "called");
            if welcome && !(possessive || called) {
                return false;
            }
            // A list of names may hold commas ("thanked Iran, Turkey and
            // Russia"); any other break ends the clause.
            let gap = &sentence[before[at].1..mention.start];
            let list = (at + 1..before.len()).all(|i| name_at(i) || word(i) == "and");
            let only_list_commas =
                list && !gap.contains(|c: char| c != ',' && CLAUSE_BREAKS.contains(&c));
            let clause_break = gap.contains(CLAUSE_BREAKS) && !only_list_commas;
            let denied = (at.saturating_sub(3)..at).any(|i| NEGATION.contains(&word(i)));
            return !denied && !clause_break;
        }
        if !(PRAISE_FILLER.contains(&w) || name_at(at)) {
            return false;
        }
    }
    false
}

/// Whether `sentence` names one of `causes` (the phrases of a party's
/// `causes` in the parties file: "two-state", "Palestinian state"), whose
/// advocacy supports the party, named in the sentence or not: the
/// guidelines' "two-state formula (\"Palestinian state … living in peace
/// and security with Israel\") → support palestinians". A phrase's words
/// match in order as an unnamed act's do ([`phrase_matches`]: a plural for
/// a singular, up to two other words between, no clause break, "by" or
/// "and"), so "an independent, sovereign Palestinian state" is read and
/// "the Palestinians and Arab states" is not. Neither the verb nor a
/// negation is read: in the gold data a cause named is supported even
/// where someone is said to reject it ("if one side declares that it
/// rejects the two-state solution", said by its advocate).
pub fn names_cause<S: AsRef<str>>(sentence: &str, causes: &[S]) -> bool {
    may_name_phrase(sentence, causes)
        && !phrase_matches(sentence, &words(sentence), causes).is_empty()
}

/// Whether and how `mention` is defended against a charge (see
/// [`Defence`]): the subject of a charge denied ("rejected claims that
/// Hamas …", "denied that Israel …"), a party said to have had nothing to do
/// with an act ("Israel had nothing to do with the explosion", "Hamas was
/// not behind the attack"), or the target of a charge called untrue ("the
/// genocide allegations against Israel are baseless").
pub fn defended(sentence: &str, mention: &Mention) -> Option<Defence> {
    let before = words_before(sentence, mention)?;
    let after = sentence.get(mention.end..)?;
    let mut after = lowercase_words(after.split(CLAUSE_BREAKS).next().unwrap_or(""));
    // "the Biden administration was not to blame", "Hamas's armed wing had
    // nothing to do with …": past the party's body to its verb.
    let body = (after.iter()).take_while(|w| names_party_on(w)).count();
    after.drain(..body);
    if charge_denied(sentence, mention, &before)
        || no_part(&after)
        || terrorist_label_denied(sentence, mention)
        || terrorist_label_withheld(sentence, mention)
    {
        return Some(Defence::Cleared);
    }
    charge_called_untrue(sentence, &before).then_some(Defence::ChargeRejected)
}

/// "rejected claims that (the) X", "denied that X": a verb of denial, the
/// charge, "that", the mention; not denied itself ("did not deny that").
fn charge_denied(sentence: &str, mention: &Mention, before: &[(usize, usize, String)]) -> bool {
    let word = |i: usize| before[i].2.as_str();
    let Some(at) = linking_word(before, "that") else {
        return false;
    };
    // The charge's noun and up to two words before it ("the Israeli
    // claims"), or none ("denied that").
    let verb = (at.saturating_sub(4)..at)
        .rev()
        .find(|&i| DENIAL.iter().any(|stem| word(i).starts_with(stem)));
    let Some(verb) = verb else {
        return false;
    };
    let charge_or_nothing = verb + 1 == at || (verb + 1..at).any(|i| charge_noun(word(i)));
    let denied = (verb.saturating_sub(3)..verb).any(|i| NEGATION.contains(&word(i)));
    let clause_break = sentence[before[verb].0..mention.start].contains(CLAUSE_BREAKS);
    charge_or_nothing && !denied && !clause_break
}

/// "X had nothing to do with …", "bore no responsibility", "was not behind
/// the attack", "is not to blame": the words right after the mention.
fn no_part(after: &[String]) -> bool {
    let word = |i: usize| after.get(i).map_or("", String::as_str);
    let verb = word(0);
    if ["had", "has", "have", "bore", "bears", "bear"].contains(&verb) {
        return NO_PART
            .iter()
            .any(|phrase| phrase.iter().enumerate().all(|(i, w)| word(i + 1) == *w));
    }
    if ["was", "is", "were", "are"].contains(&verb) && word(1) == "not" {
        let what = word(2);
        return NOT_GUILTY.contains(&what) && (what != "to" || word(3) == "blame");
    }
    false
}

/// "the accusations of genocide against Israel … baseless", "rejected the
/// charges against Hamas": a charge "against" the mention, and in the same
/// sentence a word calling it untrue or a verb of denial before it.
fn charge_called_untrue(sentence: &str, before: &[(usize, usize, String)]) -> bool {
    let word = |i: usize| before[i].2.as_str();
    let Some(at) = linking_word(before, "against") else {
        return false;
    };
    // "the accusation of genocide against": the charge within four words.
    let Some(charge) = (at.saturating_sub(4)..at)
        .rev()
        .find(|&i| charge_noun(word(i)))
    else {
        return false;
    };
    let denial_before = (charge.saturating_sub(4)..charge)
        .any(|i| DENIAL.iter().any(|stem| word(i).starts_with(stem)));
    let untrue = words(sentence)
        .iter()
        .any(|w| UNTRUE.contains(&w.2.as_str()));
    denial_before || untrue
}

/// Whether `mention` is the subject of a denied terrorist label: "Hamas is
/// not a terrorist organisation", "Hamas was no terrorist group", "the
/// movement's fighters are not terrorists". The guidelines: such a defence
/// is support (condemn 0, support 1).
pub fn terrorist_label_denied(sentence: &str, mention: &Mention) -> bool {
    if mention.end > sentence.len() || !sentence.is_char_boundary(mention.end) {
        return false;
    }
    let after = lowercase_words(&sentence[mention.end..]);
    let word = |i: usize| after.get(i).map_or("", String::as_str);
    // "Hamas leader Ismail Haniyeh is …", "the Qassam Brigades, Hamas's
    // armed wing, is …": the verb within a few words of the name, in the
    // same clause ("Hamas attacked Israel, which is not …" is not Hamas's)
    // and not past a verb of speech ("Washington said Israel is not …":
    // the label is Israel's, not Washington's).
    let Some(mut at) = (0..5)
        .take_while(|&i| !CLAUSE_WORDS.contains(&word(i)) && !SPEAKER_VERBS.contains(&word(i)))
        .find(|&i| COPULAS.contains(&word(i)))
    else {
        return false;
    };
    let verb = word(at);
    at += 1;
    if !verb.ends_with("n't") {
        if !["not", "no"].contains(&word(at)) {
            // "Hamas is a resistance movement, not a terrorist group": the
            // label denied in a contrast after the predicate.
            let rest = sentence[mention.end..].to_lowercase();
            return CONTRASTED_LABEL.iter().any(|label| rest.contains(label));
        }
        at += 1;
    }
    // "not only a terrorist group but …", "no less a terrorist group than
    // …", "no ordinary terrorist group", "not the only terrorist group"
    // keep the label.
    if (at..at + 2).any(|i| KEEPS_LABEL.contains(&word(i))) {
        return false;
    }
    // "a terrorist", "an outright terrorist", "terrorists": the label
    // within three words of the negation.
    (at..at + 3).any(|i| word(i).starts_with("terrorist"))
}

/// Whether `mention` is the object of a negated verb of regarding with a
/// terrorist label after it: "does not consider Hamas a terrorist
/// organisation", "has never regarded Hamas as terrorists". A view that
/// the party is no terrorist group is the same defence as "Hamas is not a
/// terrorist organisation" (support); a label merely not used ("did not
/// label Hamas …") is left to the denied-condemnation reading.
fn terrorist_label_withheld(sentence: &str, mention: &Mention) -> bool {
    let (Some(before), Some(after)) = (sentence.get(..mention.start), sentence.get(mention.end..))
    else {
        return false;
    };
    let before = lowercase_words(before);
    let mut back = before.iter().rev().map(String::as_str).peekable();
    back.next_if_eq(&"the");
    let regards = back.next().is_some_and(|verb| {
        REGARDING.iter().any(|stem| verb.starts_with(stem)) || SEEING.contains(&verb)
    });
    let negated = back.take(3).any(|w| NEGATION.contains(&w));
    let after = lowercase_words(after.split(CLAUSE_BREAKS).next().unwrap_or(""));
    regards
        && negated
        && !(after.iter().take(3)).any(|w| KEEPS_LABEL.contains(&w.as_str()))
        && (after.iter().take(6)).any(|w| w.starts_with("terrorist"))
}

/// Word beginnings of the verbs of regarding a party as something, and
/// the forms of "see" (whole words: not "seek", "seem").
const REGARDING: &[&str] = &["regard", "consider", "view", "deem"];
const SEEING: &[&str] = &["see", "sees", "seeing", "seen", "saw"];

/// A terrorist label denied in a contrast after the predicate.
const CONTRASTED_LABEL: &[&str] = &[", not a terrorist", ", not terrorist"];

const COPULAS: &[&str] = &[
    "is", "was", "are", "were", "isn't", "wasn't", "aren't", "weren't",
];

/// Words after a negation that keep the label it seems to deny.
const KEEPS_LABEL: &[&str] = &[
    "only",
    "just",
    "merely",
    "simply",
    "mere",
    "less",
    "more",
    "ordinary",
    "different",
];

/// Words that open another clause between a name and a verb.
const CLAUSE_WORDS: &[&str] = &["which", "who", "that", "and", "but", "while", "whereas"];

#[cfg(test)]
mod tests;
