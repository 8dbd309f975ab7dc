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

mod news;
mod terminators;

use news::*;
use terminators::*;

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

#[cfg(test)]
mod tests;
