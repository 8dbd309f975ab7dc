//! Fuzzes the party matcher (`src/parties.rs`): the built-in and extended
//! party sets on any text, and parties files (TOML) that the fuzzer writes
//! itself, matched against the text after them.
//!
//! Checked: loading a parties file never panics (it is accepted or refused
//! with an error); every mention slices the text to its own `text`, is
//! non-empty, stands as a whole word (no letter or digit touches it); a
//! party's mentions are in text order and never overlap; parties come in
//! index order, each once; two parties' mentions are either the same span
//! (a shared alias) or disjoint.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stance::parties::{PartyMatcher, PartySet};

fn builtin() -> &'static (PartySet, PartyMatcher) {
    static SET: OnceLock<(PartySet, PartyMatcher)> = OnceLock::new();
    SET.get_or_init(|| {
        let set = PartySet::builtin();
        let matcher = PartyMatcher::new(&set).unwrap();
        (set, matcher)
    })
}

fn extended() -> &'static (PartySet, PartyMatcher) {
    static SET: OnceLock<(PartySet, PartyMatcher)> = OnceLock::new();
    SET.get_or_init(|| {
        let set = PartySet::extended();
        let matcher = PartyMatcher::new(&set).unwrap();
        (set, matcher)
    })
}

fn check(set: &PartySet, matcher: &PartyMatcher, text: &str) {
    let found = matcher.find(text);
    let mut spans = Vec::new();
    let mut last_party = None;
    for party in &found {
        assert!(party.party < set.parties.len());
        assert!(last_party < Some(party.party), "parties out of order or repeated: {found:?}");
        last_party = Some(party.party);
        assert!(!party.mentions.is_empty());
        let mut free_from = 0;
        for m in &party.mentions {
            assert!(m.start < m.end, "{m:?}");
            assert!(free_from <= m.start, "overlapping mentions of one party: {found:?}");
            free_from = m.end;
            assert_eq!(text.get(m.start..m.end), Some(m.text.as_str()), "{m:?}");
            let before = text[..m.start].chars().next_back();
            let after = text[m.end..].chars().next();
            assert!(!before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric), "{m:?} is inside a word of {text:?}");
            spans.push((m.start, m.end));
        }
    }
    spans.sort();
    spans.dedup();
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "mentions of two parties overlap: {pair:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => {
            let (set, matcher) = builtin();
            check(set, matcher, &String::from_utf8_lossy(rest));
        }
        1 => {
            let (set, matcher) = extended();
            check(set, matcher, &String::from_utf8_lossy(rest));
        }
        // A parties file up to the first NUL byte, then the text to match.
        _ => {
            let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let toml = String::from_utf8_lossy(&rest[..split]);
            let text = String::from_utf8_lossy(rest.get(split + 1..).unwrap_or_default());
            let Ok(set) = PartySet::from_toml_str(&toml, "fuzz.toml") else { return };
            let Ok(matcher) = PartyMatcher::new(&set) else { return };
            check(&set, &matcher, &text);
        }
    }
});
