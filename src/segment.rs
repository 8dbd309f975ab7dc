//! Sentence segmentation of news text.
//!
//! [`NewsSegmenter`] cuts an article into sentences and returns byte spans into
//! the original text. sentencex (English) decides, terminator by terminator,
//! whether a `.`, `!`, `?` or `…` ends a sentence: it knows the abbreviations
//! (`Mr.`, `Gen.`, `U.S.`, `Jan.`), initials (`Antony J. Blinken`), `5 p.m.`,
//! `No. 2` and the like. Around that decision sit the rules news text needs:
//!
//! - **Layout.** A line break ends a sentence: titles, sub-headings, bylines,
//!   bullets and navigation lines stand on their own line, usually without a
//!   full stop. A blank line always ends one. The exception is hard-wrapped
//!   prose: a line that stops on a comma or a word like `the` or `for`, or
//!   whose next line goes on in lowercase, continues on the next line.
//! - **Quotes.** News quotes several sentences at once, and each of them is a
//!   sentence of its own, so a quote never hides a terminator. A closing quote
//!   or bracket right after the terminator stays with its sentence
//!   (`he said.”`), and a terminator followed by lowercase does not end one
//!   (`“Is it over?” he asked.`).
//! - **Flattened pages.** When a page lost its line breaks, a headline runs into
//!   the body without punctuation (`… during Ramadan The UN Security Council
//!   passed …`); a capitalised pronoun or determiner after an ordinary word
//!   starts a new sentence there.
//! - **Datelines and list markers.** `UNITED NATIONS, October 24. /TASS/.` and
//!   the `1.` of a numbered item stay with the sentence they introduce; a
//!   dash or bar after a terminator (`What Happened? – LIVE BLOG`) and a time
//!   zone after a clock time (`10 a.m. Israeli time`) stay in the sentence.
//!
//! sentencex's own `segment` is not used on whole paragraphs: it never splits
//! inside quotes, and its quote pairing takes quadratic time on unbalanced
//! quotes (seconds for 200 KB of `“`). Each terminator is judged on a short
//! window instead, which keeps the whole split linear in the text length.
//!
//! Nothing is dropped: every non-whitespace character of the text lies in
//! exactly one span (a byte order mark or zero-width character counts as text,
//! since Rust does not class it as whitespace).

use crate::types::SentenceSpan;
use sentencex::languages::{English, Language};

/// A sentence splitter: returns byte spans into `text`.
///
/// Spans are in increasing order, do not overlap, are non-empty, start and end
/// on char boundaries, have no leading or trailing whitespace, and every byte
/// outside them is whitespace.
pub trait Segmenter: Send + Sync {
    fn split(&self, text: &str) -> Vec<SentenceSpan>;
}

/// The project's segmenter for news text (sentencex + news rules, see the
/// module documentation).
#[derive(Debug, Clone, Default)]
pub struct NewsSegmenter;

impl Segmenter for NewsSegmenter {
    fn split(&self, text: &str) -> Vec<SentenceSpan> {
        let mut spans = Vec::new();
        let mut probe = String::new();
        for (start, end) in blocks(text) {
            let block = &text[start..end];
            let mut sentence_start = 0;
            for cut in sentence_ends(block, &mut probe)
                .into_iter()
                .chain([block.len()])
            {
                push_trimmed(block, start, sentence_start, cut, &mut spans);
                sentence_start = cut;
            }
        }
        spans
    }
}

/// Exact-match segmentation counts `(matched, predicted, gold)`.
///
/// Sentences are compared as trimmed strings, as multisets: a sentence that
/// occurs twice in both lists matches twice. Empty strings (after trimming)
/// still count as sentences.
pub fn match_counts(predicted: &[&str], gold: &[&str]) -> (usize, usize, usize) {
    let mut unmatched_gold: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::new();
    for sentence in gold {
        *unmatched_gold.entry(sentence.trim()).or_default() += 1;
    }
    let mut matched = 0;
    for sentence in predicted {
        if let Some(left) = unmatched_gold.get_mut(sentence.trim()) {
            if *left > 0 {
                *left -= 1;
                matched += 1;
            }
        }
    }
    (matched, predicted.len(), gold.len())
}

/// F1 = 2·matched / (predicted + gold) from counts summed over documents.
///
/// Returns 0 when both `predicted` and `gold` are 0 (nothing to score).
pub fn f1_from_counts(matched: usize, predicted: usize, gold: usize) -> f64 {
    if predicted + gold == 0 {
        return 0.0;
    }
    2.0 * matched as f64 / (predicted + gold) as f64
}

/// Pushes `block[from..to]`, trimmed, as a span of the full text (`offset` is
/// where `block` starts); whitespace-only pieces produce nothing.
fn push_trimmed(block: &str, offset: usize, from: usize, to: usize, out: &mut Vec<SentenceSpan>) {
    let piece = &block[from..to];
    let trimmed = piece.trim_start();
    let start = from + (piece.len() - trimmed.len());
    let end = start + trimmed.trim_end().len();
    if start < end {
        out.push(SentenceSpan {
            start: offset + start,
            end: offset + end,
        });
    }
}

// ---------------------------------------------------------------------------
// Layout: lines and blocks

/// Characters that end a line (CR LF counts as one break).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Byte ranges of the lines of `text`, line breaks excluded.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let line_start = start?;
        while let Some((i, c)) = chars.next() {
            if is_line_break(c) {
                let mut next = i + c.len_utf8();
                if c == '\r' && chars.next_if(|&(_, c)| c == '\n').is_some() {
                    next += 1;
                }
                start = Some(next);
                return Some((line_start, i));
            }
        }
        start = None;
        Some((line_start, text.len()))
    })
}

/// Byte ranges of the blocks of `text`: runs of lines a sentence may span.
/// Blank lines are left out; a sentence never crosses a block boundary.
fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut after_blank_line = true;
    for (start, end) in lines(text) {
        let line = &text[start..end];
        if line.trim().is_empty() {
            after_blank_line = true;
            continue;
        }
        match out.last_mut() {
            Some(block) if !after_blank_line && is_wrapped(&text[block.0..block.1], line) => {
                block.1 = end;
            }
            _ => out.push((start, end)),
        }
        after_blank_line = false;
    }
    out
}

/// True when `next` continues the sentence of `previous` across a single line
/// break, as in hard-wrapped text: `previous` stops on a comma or a word that
/// cannot end a sentence or title ("for", "the"), or stops on a word and
/// `next` goes on in lowercase. The news pages in the data put each
/// paragraph, title and menu item on its own line, so any other line break
/// ends the sentence.
fn is_wrapped(previous: &str, next: &str) -> bool {
    let last_line = previous.rsplit(is_line_break).next().unwrap_or(previous);
    if is_crumb(last_line) || is_crumb(next) {
        return false;
    }
    let Some(last_word) = previous.split_whitespace().next_back() else {
        return false;
    };
    let ends_on_word = last_word
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let open_ended = last_word.ends_with(',')
        || DANGLING_WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(last_word));
    let next_is_text = next
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || is_opener_quote(c));
    (open_ended && next_is_text) || (ends_on_word && starts_lowercase(next))
}

/// Words a sentence or title does not end on.
#[rustfmt::skip]
const DANGLING_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "for", "in", "on", "at", "by",
    "with", "from", "into", "than", "that", "as", "his", "her", "their", "its", "our",
    "my", "your", "is", "was", "are", "were", "be", "has", "have", "had", "not",
];

fn starts_lowercase(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

// ---------------------------------------------------------------------------
// Sentence ends inside a block

/// Byte offsets in `block` where a sentence ends (before any whitespace that
/// follows it), in increasing order. `probe` is scratch space.
fn sentence_ends(block: &str, probe: &mut String) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut sentence_start = 0;
    let mut after_whitespace = true;
    let mut i = 0;
    while let Some(c) = block[i..].chars().next() {
        let mut next = i + c.len_utf8();
        let end = if is_terminator(c) {
            next = terminator_run_end(block, i);
            terminator_break(block, sentence_start, i, next, probe)
        } else if c.is_whitespace() && !after_whitespace {
            headline_break(block, sentence_start, i).then_some(i)
        } else {
            None
        };
        // A terminator run ends on a terminator, so `c` tells whether the
        // step ended on whitespace.
        after_whitespace = c.is_whitespace();
        i = next;
        if let Some(end) = end {
            ends.push(end);
            sentence_start = end;
            i = i.max(end);
        }
    }
    ends
}

/// Sentence-final punctuation, Latin and other scripts.
#[rustfmt::skip]
const TERMINATORS: [char; 16] = [
    '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '。', '！', '？', '｡', '؟', '۔', '।', '॥',
];

fn is_terminator(c: char) -> bool {
    TERMINATORS.contains(&c)
}

/// End of the terminator run starting at `start`: `?!`, `...` and spaced
/// `. . .` count as one terminator.
fn terminator_run_end(block: &str, start: usize) -> usize {
    let mut end = start;
    loop {
        let run = block[end..]
            .find(|c: char| !is_terminator(c))
            .unwrap_or(block.len() - end);
        end += run;
        let blanks = block[end..]
            .find(|c: char| c != ' ' && c != '\t')
            .unwrap_or(block.len() - end);
        let after_blanks = &block[end + blanks..];
        if blanks == 0 || !after_blanks.starts_with(is_terminator) {
            return end;
        }
        end += blanks;
    }
}

/// Closing quotes and brackets that stay with the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | '»' | '›' | ')' | ']' | '}')
}

/// Where the sentence ends if the terminator `block[run_start..run_end]` ends
/// it, or `None` if the sentence goes on.
fn terminator_break(
    block: &str,
    sentence_start: usize,
    run_start: usize,
    run_end: usize,
    probe: &mut String,
) -> Option<usize> {
    let closers = block[run_end..]
        .find(|c: char| !is_closer(c))
        .unwrap_or(block.len() - run_end);
    let end = run_end + closers;
    let after = &block[end..];
    let next = after.trim_start();
    // Nothing after it, or glued to what follows: "U.S.-led", "3.5", "a.m.,".
    if next.is_empty() || next.len() == after.len() {
        return None;
    }
    // “Is it over?” he asked. / What Happened? – LIVE BLOG
    if starts_lowercase(next) || next.starts_with(is_connector) {
        return None;
    }
    // "1. I am saddened." / "UNITED NATIONS, October 24. /TASS/. UN chief …"
    if is_list_marker(&block[sentence_start..run_start]) {
        return None;
    }
    if is_dateline(&block[sentence_start..end]) {
        return None;
    }
    // "at 10 a.m. Israeli time", "5 p.m. GMT"
    if is_clock_time(&block[..run_end]) && starts_with_time_zone(next) {
        return None;
    }
    // "… in Jerusalem. (Photo: GPO)": a bracketed credit that ends the line
    if is_trailing_bracket(next) {
        return None;
    }
    // "'Who believes that?' Nasrallah asked, …": the speaker of the quote
    if closers > 0 && starts_with_attribution(next) {
        return None;
    }
    // "on 28 May. Israel answered": May is a month, not an abbreviation
    if ends_with_day_and_month(&block[sentence_start..run_start])
        && next.starts_with(char::is_uppercase)
    {
        return Some(end);
    }
    let window = Window::around(block, sentence_start, run_start, run_end, end);
    sentencex_breaks(&window, probe).then_some(end)
}

/// True when `text` opens with a bracketed group that closes on the same
/// line and nothing but whitespace follows it there.
fn is_trailing_bracket(text: &str) -> bool {
    // Credits are short: looking no further keeps the split linear.
    const MAX_CREDIT: usize = 80;
    let Some(inside) = text.strip_prefix('(') else {
        return false;
    };
    let window = &inside[..inside.floor_char_boundary(MAX_CREDIT.min(inside.len()))];
    let Some(close) = window
        .find(|c: char| c == ')' || is_line_break(c))
        .filter(|&i| window[i..].starts_with(')'))
    else {
        return false;
    };
    let after = inside[close + 1..]
        .chars()
        .find(|c| !matches!(c, ' ' | '\t'));
    !window[..close].contains(is_terminator) && after.is_none_or(is_line_break)
}

/// Speech verbs that can follow a quote with its speaker's name.
const QUOTE_VERBS: &[&str] = &[
    "said", "says", "asked", "asks", "added", "adds", "told", "wrote", "writes", "insisted",
    "replied",
];

/// True when `text` starts with a name (one to three capitalised words, none
/// of them a sentence opener) and a speech verb that ends its clause:
/// `Nasrallah asked, …`, `Russian envoy Nebenzia said.`
fn starts_with_attribution(text: &str) -> bool {
    let mut words = text.split_whitespace();
    for _ in 0..4 {
        let Some(word) = words.next() else {
            return false;
        };
        let bare = word.trim_end_matches([',', '.', ';', ':']);
        if QUOTE_VERBS.contains(&bare) {
            return bare.len() < word.len();
        }
        if !starts_uppercase(word) || OPENERS.contains(&bare) {
            return false;
        }
    }
    false
}

/// True when `head` ends with a day and a full month name: `28 May`.
fn ends_with_day_and_month(head: &str) -> bool {
    let mut words = head.split_whitespace().rev();
    let (Some(month), Some(day)) = (words.next(), words.next()) else {
        return false;
    };
    month.len() >= 3
        && is_month(month)
        && month.chars().next().is_some_and(char::is_uppercase)
        && !month.ends_with('.')
        && day.chars().all(|c| c.is_ascii_digit())
        && is_full_month(month)
}

fn is_full_month(word: &str) -> bool {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .contains(&word)
}

/// True when `head` ends with `a.m.` or `p.m.`.
fn is_clock_time(head: &str) -> bool {
    let tail = &head.as_bytes()[head.len().saturating_sub(4)..];
    tail.eq_ignore_ascii_case(b"a.m.") || tail.eq_ignore_ascii_case(b"p.m.")
}

/// `Israeli time`, `local time`, `GMT`: what follows a clock time within
/// its sentence.
fn starts_with_time_zone(text: &str) -> bool {
    const ZONES: [&str; 5] = ["GMT", "UTC", "ET", "EST", "EDT"];
    let mut words = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_punctuation()));
    let first = words.next().unwrap_or_default();
    ZONES.contains(&first) || words.next() == Some("time")
}

/// Punctuation that continues a sentence rather than opening one.
fn is_connector(c: char) -> bool {
    matches!(c, '–' | '—' | '-' | '|' | ',' | ';' | ':')
}

/// True for the marker of a numbered or lettered list item before its `.`:
/// `1`, `12`, `b`, `iv`. A sentence does not end right after it.
fn is_list_marker(text: &str) -> bool {
    let text = text.trim();
    let all =
        |f: fn(&u8) -> bool| !text.is_empty() && text.len() <= 3 && text.bytes().all(|b| f(&b));
    all(u8::is_ascii_digit)
        || (text.len() == 1 && all(u8::is_ascii_alphabetic))
        || all(|b| matches!(b, b'i' | b'v' | b'x' | b'I' | b'V' | b'X'))
}

/// The text sentencex sees for one terminator: up to [`Window::HEAD`] bytes of
/// the sentence before it and [`Window::TAIL`] bytes after it. Quotes around
/// the break are left out, so that sentencex reads `U.S.” The` and
/// `platform X. "The` as `U.S. The` and `platform X. The`: it recognises
/// sentence openers only when they are not quoted.
struct Window<'a> {
    head: &'a str,
    terminator: &'a str,
    tail: &'a str,
}

impl<'a> Window<'a> {
    const HEAD: usize = 160;
    const TAIL: usize = 48;

    fn around(
        block: &'a str,
        sentence_start: usize,
        run_start: usize,
        run_end: usize,
        end: usize,
    ) -> Self {
        let head_start = block.floor_char_boundary(run_start.saturating_sub(Self::HEAD));
        let rest = block[end..].trim_start();
        let rest = rest.trim_start_matches(is_opener_quote);
        let tail_start = block.len() - rest.len();
        let tail_end = block.ceil_char_boundary((tail_start + Self::TAIL).min(block.len()));
        Window {
            head: &block[head_start.max(sentence_start)..run_start],
            terminator: &block[run_start..run_end],
            tail: &block[tail_start..tail_end],
        }
    }
}

/// Asks sentencex whether the window's terminator ends a sentence.
fn sentencex_breaks(window: &Window, probe: &mut String) -> bool {
    probe.clear();
    probe.push_str(window.head);
    probe.push_str(window.terminator);
    probe.push(' ');
    probe.push_str(window.tail);
    let start = window.head.len();
    English {}
        .find_boundary(probe, start, start + window.terminator.len())
        .is_some()
}

/// True when `text` is only a dateline: capitalised place names, a date and an
/// agency tag, as in `UNITED NATIONS, October 24. /TASS/.` or `MOSCOW, Oct. 7.`
fn is_dateline(text: &str) -> bool {
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

fn is_all_caps_word(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(char::is_uppercase)
}

fn is_month(word: &str) -> bool {
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
const LEADS_INTO_NAME: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "called", "for", "from", "in", "into", "is",
    "like", "named", "nor", "of", "on", "or", "said", "say", "says", "see", "than", "that",
    "the", "titled", "to", "told", "tells", "via", "was", "with", "wrote", "according",
];

/// Capitalised words that open a sentence and almost never appear
/// capitalised inside one.
const OPENERS: &[&str] = &[
    "The", "This", "These", "Those", "He", "She", "They", "It", "We", "In",
];

/// True when the whitespace at `at` separates a headline that lost its line
/// break from the next sentence: the headline ends on an ordinary word (no
/// punctuation) and the next sentence starts with one of [`OPENERS`],
/// possibly quoted, or with a dateline.
fn headline_break(block: &str, sentence_start: usize, at: usize) -> bool {
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
fn is_crumb(line: &str) -> bool {
    line.matches(" > ").count() >= 1 && !line.trim_end().ends_with(is_terminator)
}

/// Labels that open a caption, a link or an update line.
const BOILERPLATE_MARKERS: &[&str] = &[
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
fn boilerplate_break(before: &str, rest: &str) -> bool {
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
fn r_starts_with_article(rest: &str) -> bool {
    rest.starts_with("By our ") || rest.starts_with("By the ")
}

fn starts_uppercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Opening quotes that go with the sentence they precede.
fn is_opener_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '"' | '\'' | '«' | '‹' | '„')
}

fn starts_with_opener(text: &str) -> bool {
    let text = text.strip_prefix(is_opener_quote).unwrap_or(text);
    let word_len = text
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len());
    let (word, after) = text.split_at(word_len);
    OPENERS.contains(&word) && after.starts_with(char::is_whitespace)
}

/// True when `text` starts with an upper-case place followed by a date or an
/// agency in brackets: `NEW YORK (Agencies): …`, `UNITED NATIONS, October 24.`
fn starts_with_dateline(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn sentences(text: &str) -> Vec<&str> {
        let spans = NewsSegmenter.split(text);
        assert_invariants(text, &spans);
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    /// The contract of [`Segmenter::split`].
    fn assert_invariants(text: &str, spans: &[SentenceSpan]) {
        let mut covered = 0;
        for span in spans {
            assert!(
                covered <= span.start,
                "out of order or overlapping: {spans:?}"
            );
            assert!(span.start < span.end, "empty span {span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            let sentence = &text[span.start..span.end];
            assert_eq!(sentence, sentence.trim(), "untrimmed span {span:?}");
            let gap = &text[covered..span.start];
            assert!(gap.trim().is_empty(), "dropped text {gap:?}");
            covered = span.end;
        }
        assert!(
            text[covered..].trim().is_empty(),
            "dropped tail {:?}",
            &text[covered..]
        );
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            sentences("One here. Two there! Three? Four…"),
            ["One here.", "Two there!", "Three?", "Four…"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        for text in [
            "U.S. President Joe Biden met U.N. and U.K. officials.",
            "Mr. Smith, Mrs. Jones and Dr. Brown met Gen. Halevi.",
            "Lt. Col. Richard Hecht and Sen. Chuck Schumer spoke.",
            "Rep. Ilhan Omar, Gov. Kathy Hochul and Prof. Said agreed.",
            "They met on St. George Street.",
            "The attack on Oct. 7 killed 1,200 people and on Jan. 26 UNRWA responded.",
            "The vote is set for Sept. 12 in New York.",
            "The council met at 5 p.m. on Monday and again at 9 a.m. today.",
            "He is the No. 2 official.",
            "Secretary of State Antony J. Blinken arrived.",
            "The U.S.-drafted text got 3.5 votes.",
            "“His comments… constitute a justification,” he said.",
        ] {
            assert_eq!(sentences(text), [text]);
        }
    }

    #[test]
    fn splits_after_abbreviations_that_end_a_sentence() {
        assert_eq!(
            sentences("The plan was backed by the U.S. The U.N. disagreed."),
            ["The plan was backed by the U.S.", "The U.N. disagreed."]
        );
        assert_eq!(
            sentences("The vote was at 5 p.m. The council then adjourned."),
            ["The vote was at 5 p.m.", "The council then adjourned."]
        );
        assert_eq!(
            sentences("It ended at 10 a.m. Israeli time. Talks resume at 9 A.M. GMT."),
            [
                "It ended at 10 a.m. Israeli time.",
                "Talks resume at 9 A.M. GMT."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("“We are hopeful,” he said. “Talks go on.” The envoy left."),
            [
                "“We are hopeful,” he said.",
                "“Talks go on.”",
                "The envoy left."
            ]
        );
        assert_eq!(
            sentences("It ended (for now.) Then it resumed."),
            ["It ended (for now.)", "Then it resumed."]
        );
    }

    #[test]
    fn splits_inside_multi_sentence_quotes() {
        assert_eq!(
            sentences("“People in Gaza are starving. No excuses.” She left."),
            ["“People in Gaza are starving.", "No excuses.”", "She left."]
        );
        assert_eq!(
            sentences(r#"He wrote on the platform X. "The world must unite.""#),
            ["He wrote on the platform X.", r#""The world must unite.""#]
        );
    }

    #[test]
    fn lowercase_after_a_quoted_question_continues() {
        let text = "“Is it over?” he asked. “Not yet!” she said.";
        assert_eq!(
            sentences(text),
            ["“Is it over?” he asked.", "“Not yet!” she said."]
        );
    }

    #[test]
    fn line_breaks_end_titles_bullets_and_paragraphs() {
        let text = "Russia Says to Pave Way for Early Truce in Gaza\n\nThe talks went on.\n\
                    • Live\n  • Audio Only\nNews > Palestine\r\nPublished 9 November 2023\n\n\nEnd.";
        assert_eq!(
            sentences(text),
            [
                "Russia Says to Pave Way for Early Truce in Gaza",
                "The talks went on.",
                "• Live",
                "• Audio Only",
                "News > Palestine",
                "Published 9 November 2023",
                "End.",
            ]
        );
    }

    #[test]
    fn joins_hard_wrapped_lines() {
        let text = "The council met on Monday and\nvoted for a pause.\nThe US abstained.";
        assert_eq!(
            sentences(text),
            [
                "The council met on Monday and\nvoted for a pause.",
                "The US abstained."
            ]
        );
    }

    #[test]
    fn splits_headlines_that_lost_their_line_break() {
        assert_eq!(
            sentences("Council passes resolution during Ramadan The UN Security Council voted."),
            [
                "Council passes resolution during Ramadan",
                "The UN Security Council voted."
            ]
        );
        assert_eq!(
            sentences("Security Council adopts resolution on Gaza NEW YORK (Agencies): It passed."),
            [
                "Security Council adopts resolution on Gaza",
                "NEW YORK (Agencies): It passed."
            ]
        );
        // Not after a word that leads into a name, nor inside Title Case.
        for text in [
            "The minister told The Associated Press on Monday.",
            "The court in The Hague ruled.",
            "Why Israel Says It Will Not Stop",
        ] {
            assert_eq!(sentences(text), [text]);
        }
    }

    #[test]
    fn keeps_datelines_and_list_markers_with_their_sentence() {
        let text = "UNITED NATIONS, October 24. /TASS/. UN chief Antonio Guterres spoke.";
        assert_eq!(sentences(text), [text]);
        assert_eq!(
            sentences("  1. I am saddened. I stand with them."),
            ["1. I am saddened.", "I stand with them."]
        );
        assert_eq!(
            sentences("What Happened? – LIVE BLOG"),
            ["What Happened? – LIVE BLOG"]
        );
    }

    #[test]
    fn offsets_are_bytes_in_multibyte_text() {
        let text = "\u{feff}Ünïcödé “quote” here. Ωmega – 🎉 two.\r\n\r\nمرحبا. هذا اختبار؟";
        let spans = NewsSegmenter.split(text);
        assert_invariants(text, &spans);
        let got: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got[0], "\u{feff}Ünïcödé “quote” here.");
        assert_eq!(got[1], "Ωmega – 🎉 two.");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn odd_inputs_keep_the_invariants() {
        for text in [
            "",
            " ",
            "\n\n\t \r\n",
            ".",
            "...",
            "?!?!",
            "“”",
            "\"",
            "'",
            "\0",
            "\0. \0.",
            "\u{feff}",
            "\u{2028}\u{2029}",
            "a\rb\rc",
            "\u{a0}x\u{a0}",
            "1.",
            "A. B. C.",
            "U.S.",
            "Mr.",
            "“.”",
            ". . .",
            "x. . . Y",
            "(((",
            ")))",
            "—",
            "• ",
            "NEW YORK (",
            "a The b The c",
            "🎉🎉🎉. 👍🏽 Yes!",
            "עברית. English. العربية؟",
        ] {
            sentences(text);
        }
    }

    /// A small deterministic generator (xorshift) so the property loop needs no
    /// extra crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Random text built from pieces that stress the rules, plus random chars.
    fn random_text(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "a", "word", "The", "He", "Mr", "U.S.", "p.m.", "No", "J", "NEW YORK", "October",
            "Gaza", "1", "iv", ".", "!", "?", "…", ",", ":", "–", "-", "|", "/", " ", " ", "  ",
            "\n", "\n\n", "\r\n", "\r", "\t", "\u{a0}", "\u{2028}", "“", "”", "‘", "’", "\"", "'",
            "(", ")", "[", "]", "«", "»", "é", "Ω", "🎉", "👍🏽", "ع", "עב", "中文", "。", "\0",
            "\u{feff}", "\u{200b}", "•",
        ];
        let len = rng.below(40);
        let mut text = String::new();
        for _ in 0..len {
            if rng.below(8) == 0 {
                let c = char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('x');
                text.push(c);
            } else {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
        }
        text
    }

    #[test]
    fn random_texts_keep_the_invariants() {
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        for _ in 0..20_000 {
            let text = random_text(&mut rng);
            assert_invariants(&text, &NewsSegmenter.split(&text));
        }
    }

    /// Splits `text` and checks the spans; returns the sentence count.
    fn split_checked(text: &str) -> usize {
        let spans = NewsSegmenter.split(text);
        assert_invariants(text, &spans);
        spans.len()
    }

    /// Fastest of five splits of `text`, in seconds.
    fn split_seconds(text: &str) -> f64 {
        (0..5)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(NewsSegmenter.split(std::hint::black_box(text)));
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Linear time, as a ratio (no wall-clock limit, which a loaded machine
    /// would break): twice the input takes at most 2.5 times as long. A
    /// quadratic split takes four times as long every time; a linear one can
    /// look slower once on a busy machine, so it gets three tries.
    fn assert_linear(unit: &str, repeats: usize) {
        let (single, double) = (unit.repeat(repeats), unit.repeat(2 * repeats));
        let ratios: Vec<f64> = (0..3)
            .map(|_| split_seconds(&double) / split_seconds(&single).max(1e-6))
            .collect();
        assert!(
            ratios.iter().any(|&r| r < 2.5),
            "{:?} x{repeats}: twice the input took {ratios:.2?} times as long",
            &unit[..unit.len().min(20)]
        );
    }

    #[test]
    fn long_inputs_take_linear_time() {
        const SIZE: usize = 2_000_000;
        let sentence = "The council met on Monday. ";
        assert_eq!(split_checked(&sentence.repeat(100_000)), 100_000);
        assert_eq!(split_checked(&"a".repeat(5 * SIZE)), 1);
        assert_eq!(split_checked(&"word ".repeat(SIZE / 5)), 1);
        assert_eq!(split_checked(&"“a ".repeat(SIZE / 5)), 1);
        for (unit, repeats) in [
            (sentence, SIZE / 27),
            ("a", SIZE),
            ("word ", SIZE / 5),
            // Unbalanced quotes are quadratic for sentencex's own quote pairing.
            ("“a ", SIZE / 5),
            ("\"Mr. U.S. 5 p.m. (x. ", SIZE / 21),
            (". ", SIZE / 2),
            ("in Gaza NEW YORK (AP) The ", SIZE / 26),
            ("line\n", SIZE / 5),
            ("Home > News By Staff Photo: x ", SIZE / 30),
        ] {
            assert_linear(unit, repeats);
        }
    }
}
