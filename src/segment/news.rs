//! News page furniture: datelines, headlines run into the body, crumbs and
//! boilerplate labels that start a sentence of their own.

use super::*;

/// True when `text` is only a dateline: capitalised place names, a date and an
/// agency tag, as in `UNITED NATIONS, October 24. /TASS/.` or `MOSCOW, Oct. 7.`
pub(super) fn is_dateline(text: &str) -> bool {
    const MAX_DATELINE: usize = 80;
    if text.len() > MAX_DATELINE {
        return false;
    }
    let mut tokens = text
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| c.is_ascii_punctuation() || matches!(c, '–' | '—')));
    let first_is_place = tokens.next().is_some_and(is_all_caps_word);
    first_is_place
        && tokens.all(|t| {
            t.is_empty()
                || is_all_caps_word(t)
                || is_month(t)
                || t.chars().all(|c| c.is_ascii_digit())
        })
}

pub(super) fn is_all_caps_word(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(char::is_uppercase)
}

pub(super) fn is_month(word: &str) -> bool {
    #[rustfmt::skip]
    const MONTHS: [&str; 12] = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ];
    MONTHS
        .iter()
        .any(|m| *m == word || (word.len() >= 3 && m.starts_with(word)))
}

/// Words after which a capitalised `The`, `He`… is part of the sentence (a
/// title or name: "told The Associated Press", "in The Hague").
#[rustfmt::skip]
pub(super) const LEADS_INTO_NAME: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "called", "for", "from", "in", "into", "is",
    "like", "named", "nor", "of", "on", "or", "said", "say", "says", "see", "than", "that",
    "the", "titled", "to", "told", "tells", "via", "was", "with", "wrote", "according",
];

/// Capitalised words that open a sentence and almost never appear
/// capitalised inside one.
pub(super) const OPENERS: &[&str] = &[
    "The", "This", "These", "Those", "He", "She", "They", "It", "We", "In",
];

/// True when the whitespace at `at` separates a headline that lost its line
/// break from the next sentence: the headline ends on an ordinary word (no
/// punctuation) and the next sentence starts with one of [`OPENERS`],
/// possibly quoted, or with a dateline.
pub(super) fn headline_break(block: &str, sentence_start: usize, at: usize) -> bool {
    if boilerplate_break(&block[sentence_start..at], block[at..].trim_start()) {
        return true;
    }
    let mut words = block[sentence_start..at].split_whitespace().rev();
    let (Some(last), Some(before), Some(_)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let ends_plainly = last
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit() || is_closer(c));
    // A capitalised last word is fine ("… during Ramadan"), but not in a
    // Title Case headline, where every word is capitalised.
    let sentence_case = !starts_uppercase(last) || !starts_uppercase(before);
    let rest = block[at..].trim_start();
    ends_plainly
        && sentence_case
        && !LEADS_INTO_NAME.iter().any(|w| w.eq_ignore_ascii_case(last))
        && (starts_with_opener(rest) || starts_with_dateline(rest))
}

/// A navigation trail: `Home > News > Middle East`.
pub(super) fn is_crumb(line: &str) -> bool {
    line.matches(" > ").count() >= 1 && !line.trim_end().ends_with(is_terminator)
}

/// Labels that open a caption, a link or an update line.
pub(super) const BOILERPLATE_MARKERS: &[&str] = &[
    "Photo:",
    "Photo credit:",
    "Caption:",
    "Image:",
    "Picture:",
    "Video:",
    "Watch:",
    "Read more:",
    "Read also:",
    "Related:",
    "Update:",
    "Update –",
    "Update -",
    "UPDATE:",
];

/// True when a page that lost its line breaks runs boilerplate into what
/// follows: a caption, link or update label (`… correspondent Photo: …`),
/// or a byline after a navigation trail (`Home > News > Palestine By Staff
/// Writer`). `before` is the sentence so far, `rest` the text after the
/// whitespace.
pub(super) fn boilerplate_break(before: &str, rest: &str) -> bool {
    // Bylines and labels follow short lines; a bound keeps the split linear.
    const MAX_BEFORE: usize = 300;
    let before = before.trim_end();
    if before.len() > MAX_BEFORE {
        return false;
    }
    if before.is_empty() || before.ends_with(|c: char| is_connector(c) || is_opener_quote(c)) {
        return false;
    }
    if BOILERPLATE_MARKERS.iter().any(|m| rest.starts_with(m)) {
        return true;
    }
    let byline = rest
        .strip_prefix("By ")
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_uppercase() || r_starts_with_article(rest));
    byline && is_crumb(before)
}

/// `By our …`, `By the …`: a byline naming a desk rather than a person.
pub(super) fn r_starts_with_article(rest: &str) -> bool {
    rest.starts_with("By our ") || rest.starts_with("By the ")
}

pub(super) fn starts_uppercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Opening quotes that go with the sentence they precede.
pub(super) fn is_opener_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '"' | '\'' | '«' | '‹' | '„')
}

pub(super) fn starts_with_opener(text: &str) -> bool {
    let text = text.strip_prefix(is_opener_quote).unwrap_or(text);
    let word_len = text
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len());
    let (word, after) = text.split_at(word_len);
    OPENERS.contains(&word) && after.starts_with(char::is_whitespace)
}

/// True when `text` starts with an upper-case place followed by a date or an
/// agency in brackets: `NEW YORK (Agencies): …`, `UNITED NATIONS, October 24.`
pub(super) fn starts_with_dateline(text: &str) -> bool {
    const MAX_PLACE: usize = 40;
    let place_len = text
        .char_indices()
        .take_while(|&(i, c)| i < MAX_PLACE && (c.is_uppercase() || matches!(c, ' ' | '-' | '.')))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let place = text[..place_len].trim_end();
    let after = &text[place.len()..];
    let letters = place.chars().filter(|c| c.is_uppercase()).count();
    let dated = after
        .strip_prefix(", ")
        .and_then(|date| date.split_whitespace().next())
        .is_some_and(|month| is_month(month.trim_end_matches('.')));
    let credited =
        after.starts_with(" (") && after[..after.floor_char_boundary(MAX_PLACE)].contains(')');
    letters >= 4 && (dated || credited)
}
