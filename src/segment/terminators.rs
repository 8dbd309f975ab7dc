//! Whether a terminator ends a sentence: sentencex's judgement on a short
//! window, and the news exceptions around it (quotes, dates, clock times,
//! list markers).

use super::*;

/// Sentence-final punctuation, Latin and other scripts.
#[rustfmt::skip]
pub(super) const TERMINATORS: [char; 16] = [
    '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '。', '！', '？', '｡', '؟', '۔', '।', '॥',
];

pub(super) fn is_terminator(c: char) -> bool {
    TERMINATORS.contains(&c)
}

/// End of the terminator run starting at `start`: `?!`, `...` and spaced
/// `. . .` count as one terminator.
pub(super) fn terminator_run_end(block: &str, start: usize) -> usize {
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
pub(super) fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | '»' | '›' | ')' | ']' | '}')
}

/// Where the sentence ends if the terminator `block[run_start..run_end]` ends
/// it, or `None` if the sentence goes on.
pub(super) fn terminator_break(
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
pub(super) fn is_trailing_bracket(text: &str) -> bool {
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
pub(super) const QUOTE_VERBS: &[&str] = &[
    "said", "says", "asked", "asks", "added", "adds", "told", "wrote", "writes", "insisted",
    "replied",
];

/// True when `text` starts with a name (one to three capitalised words, none
/// of them a sentence opener) and a speech verb that ends its clause:
/// `Nasrallah asked, …`, `Russian envoy Nebenzia said.`
pub(super) fn starts_with_attribution(text: &str) -> bool {
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
pub(super) fn ends_with_day_and_month(head: &str) -> bool {
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

pub(super) fn is_full_month(word: &str) -> bool {
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
pub(super) fn is_clock_time(head: &str) -> bool {
    let tail = &head.as_bytes()[head.len().saturating_sub(4)..];
    tail.eq_ignore_ascii_case(b"a.m.") || tail.eq_ignore_ascii_case(b"p.m.")
}

/// `Israeli time`, `local time`, `GMT`: what follows a clock time within
/// its sentence.
pub(super) fn starts_with_time_zone(text: &str) -> bool {
    const ZONES: [&str; 5] = ["GMT", "UTC", "ET", "EST", "EDT"];
    let mut words = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_punctuation()));
    let first = words.next().unwrap_or_default();
    ZONES.contains(&first) || words.next() == Some("time")
}

/// Punctuation that continues a sentence rather than opening one.
pub(super) fn is_connector(c: char) -> bool {
    matches!(c, '–' | '—' | '-' | '|' | ',' | ';' | ':')
}

/// True for the marker of a numbered or lettered list item before its `.`:
/// `1`, `12`, `b`, `iv`. A sentence does not end right after it.
pub(super) fn is_list_marker(text: &str) -> bool {
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
pub(super) struct Window<'a> {
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
pub(super) fn sentencex_breaks(window: &Window, probe: &mut String) -> bool {
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
