//! Where a text names the parties: one Aho–Corasick pass over all aliases,
//! whole words only, leftmost-longest (see the module comment of `parties`).

use super::*;

/// The mentions of one party in a text, offsets relative to the text passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyMentions {
    /// Index into [`PartySet::parties`].
    pub party: usize,
    /// In text order, never overlapping.
    pub mentions: Vec<Mention>,
}

/// Finds the parties of a [`PartySet`] in texts. Build once, share freely
/// (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct PartyMatcher {
    automaton: AhoCorasick,
    /// Indexed by the automaton's pattern id.
    patterns: Vec<Pattern>,
    num_parties: usize,
}

/// One distinct search string.
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    text: String,
    case: AliasCase,
    /// Parties it names; empty for an `exclude` phrase.
    parties: Vec<usize>,
}

/// A whole-word match of one pattern, before overlaps are resolved.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    start: usize,
    end: usize,
    pattern: usize,
}

impl PartyMatcher {
    /// Compiles the aliases of `parties`; fails only on an empty alias (which
    /// the file loader already rejects) or if the automaton cannot be built.
    pub fn new(parties: &PartySet) -> Result<PartyMatcher> {
        let patterns = collect_patterns(parties)?;
        // One case-insensitive automaton for everything: exact-case patterns
        // are checked after the fact. `Standard` + overlapping search reports
        // every match, so a rejected one ("us" for "US", "Israel" inside
        // "Israelis") can never hide a valid shorter or later one; overlaps
        // are resolved afterwards among the valid matches only.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns.iter().map(|p| p.text.as_str()))
            .context("cannot build the party alias matcher")?;
        Ok(PartyMatcher {
            automaton,
            patterns,
            num_parties: parties.parties.len(),
        })
    }

    /// Parties mentioned in `text`, ordered by party index; each with its
    /// mentions in text order.
    pub fn find(&self, text: &str) -> Vec<PartyMentions> {
        let mut per_party: Vec<Vec<Mention>> = vec![Vec::new(); self.num_parties];
        for c in leftmost_longest(self.candidates(text)) {
            for &party in &self.patterns[c.pattern].parties {
                let mentions = &mut per_party[party];
                // Two spellings of one alias can match the same span.
                if mentions.last().is_some_and(|m| m.start == c.start) {
                    continue;
                }
                mentions.push(Mention {
                    text: text[c.start..c.end].to_string(),
                    start: c.start,
                    end: c.end,
                });
            }
        }
        per_party
            .into_iter()
            .enumerate()
            .filter(|(_, mentions)| !mentions.is_empty())
            .map(|(party, mentions)| PartyMentions { party, mentions })
            .collect()
    }

    /// Every match that has the right case and stands as a whole word.
    fn candidates(&self, text: &str) -> Vec<Candidate> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        // Cannot panic: the automaton is built with MatchKind::Standard.
        for m in self.automaton.find_overlapping_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if pattern.case == AliasCase::Exact
                && &bytes[m.start()..m.end()] != pattern.text.as_bytes()
            {
                continue;
            }
            if !is_whole_word(text, m.start(), m.end()) {
                continue;
            }
            out.push(Candidate {
                start: m.start(),
                end: m.end(),
                pattern: m.pattern().as_usize(),
            });
        }
        out
    }
}

/// The search strings for a party set: each alias under its case rule, with
/// its spelling variants, merged when two parties share one.
pub(super) fn collect_patterns(set: &PartySet) -> Result<Vec<Pattern>> {
    let mut patterns: Vec<Pattern> = Vec::new();
    let mut by_key: HashMap<(String, AliasCase), usize> = HashMap::new();
    let mut add = |text: String, case: AliasCase, party: Option<usize>| {
        // Under `Ignore` the automaton cannot tell "Israel" from "ISRAEL".
        let key = match case {
            AliasCase::Ignore => (text.to_ascii_lowercase(), case),
            AliasCase::Exact => (text.clone(), case),
        };
        let index = *by_key.entry(key).or_insert_with(|| {
            patterns.push(Pattern {
                text,
                case,
                parties: Vec::new(),
            });
            patterns.len() - 1
        });
        let parties = &mut patterns[index].parties;
        if let Some(party) = party.filter(|p| !parties.contains(p)) {
            parties.push(party);
        }
    };
    for (index, party) in set.parties.iter().enumerate() {
        for alias in &party.aliases {
            if alias.trim().is_empty() {
                bail!("party {:?} has an empty alias", party.id);
            }
            let case = party.alias_case(alias);
            for spelling in spellings(alias, case) {
                add(spelling, case, Some(index));
            }
        }
        for phrase in party.exclude.iter().filter(|p| !p.trim().is_empty()) {
            let case = AliasCase::default_for(phrase);
            for spelling in spellings(phrase, case) {
                add(spelling, case, None);
            }
        }
    }
    Ok(patterns)
}

/// An alias and the variants the automaton would otherwise miss: the other
/// apostrophe (' and ’), and for a case-insensitive alias with non-ASCII
/// letters its all-capitals and all-lower forms ("TÜRKIYE"), since the
/// automaton folds ASCII letters only.
pub(super) fn spellings(alias: &str, case: AliasCase) -> Vec<String> {
    let mut out = vec![alias.to_string()];
    if alias.contains('\'') || alias.contains('’') {
        out.push(alias.replace('\'', "’"));
        out.push(alias.replace('’', "'"));
    }
    if case == AliasCase::Ignore && !alias.is_ascii() {
        let folded: Vec<String> = out
            .iter()
            .flat_map(|s| [s.to_uppercase(), s.to_lowercase()])
            .collect();
        out.extend(folded);
    }
    out.sort();
    out.dedup();
    out
}

/// True when no letter or digit (of any script) touches the span, so the
/// span is a word of its own. Apostrophes, hyphens and punctuation are
/// boundaries, which is what makes "Israel's" and "Hamas-run" match.
pub(super) fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Resolves overlaps: scanning left to right, the earliest-starting and then
/// longest candidate wins and the ones it overlaps are dropped. Candidates
/// with exactly the winner's span are kept too (two parties sharing a span).
pub(super) fn leftmost_longest(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.pattern));
    let mut chosen: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut free_from = 0;
    for c in candidates {
        let same_span = chosen
            .last()
            .is_some_and(|w| w.start == c.start && w.end == c.end);
        if c.start >= free_from || same_span {
            free_from = c.end;
            chosen.push(c);
        }
    }
    chosen
}
