//! The parties whose stance is scored, and where a text names them.
//!
//! A [`PartySet`] is read from a TOML file; the default set is
//! `config/parties.toml`, embedded at build time, whose header documents the
//! format. A [`PartyMatcher`] finds every party's aliases in a text:
//!
//! * whole words only: no letter or digit (any script) directly before or
//!   after the match, so "Israel" is not found inside "Israelis" and "Hamas"
//!   not inside "Shamash", while "Hamas-run" and "(IDF)" still match;
//! * possessives come for free: the apostrophe of "Israel's" / "Israel’s" /
//!   "Israelis'" is a boundary, and the mention is the alias without it;
//! * case: acronyms (two or more letters, all capitals: "US", "U.S.", "IDF")
//!   match only in that exact case, so "us" is not the United States; every
//!   other alias ignores case, so shouting headlines ("ISRAEL STRIKES GAZA")
//!   still match. A TOML alias can override this with `case = "exact"` or
//!   `case = "ignore"`;
//! * overlaps: the leftmost, then longest, whole-word match wins
//!   ("Palestinian Authority" over "Palestinian").
//!
//! Matching is one Aho–Corasick pass over the text (linear in its length and
//! in the number of raw matches) plus a sort of the whole-word candidates; it
//! never panics on any `&str`.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;

use crate::types::Mention;

/// The default parties (the five of the October 2023 war).
const BUILTIN_TOML: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/config/parties.toml"));
/// The defaults plus the other parties annotated in the training data.
const EXTENDED_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/parties-extended.toml"
));

/// The placeholder a hypothesis template must contain.
pub const PARTY_PLACEHOLDER: &str = "{party}";

/// How an alias compares with the letter case of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasCase {
    /// Only this exact spelling: "US" matches "US", not "us" or "Us".
    Exact,
    /// Any letter case: "Israel" matches "ISRAEL" and "israel".
    Ignore,
}

impl AliasCase {
    /// The rule for an alias the file gives no `case` for: acronyms (at
    /// least two letters, all of them capitals: "US", "U.S.", "IDF", "UN")
    /// are exact, because in lower case they are common words ("us", "un",
    /// "pa"); all other aliases ignore case so that headlines in capitals
    /// still match.
    pub fn default_for(alias: &str) -> AliasCase {
        let mut letters = 0;
        for c in alias.chars().filter(|c| c.is_alphabetic()) {
            if !c.is_uppercase() {
                return AliasCase::Ignore;
            }
            letters += 1;
        }
        if letters >= 2 {
            AliasCase::Exact
        } else {
            AliasCase::Ignore
        }
    }
}

/// One party: an id for output, a display name for the templates, and the
/// words that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Slug used in output rows (`israel`, `united_states`).
    pub id: String,
    /// Display name substituted for `{party}` in the templates.
    pub name: String,
    /// Surface forms that name the party (see the module docs for matching).
    pub aliases: Vec<String>,
    /// Aliases whose case rule the file set explicitly; the others follow
    /// [`AliasCase::default_for`].
    pub case_overrides: Vec<(String, AliasCase)>,
    /// Phrases that contain an alias but do not name the party ("Abbas
    /// Kamel" for the Palestinians' "Abbas"). They are matched like aliases,
    /// so they win as the longer match, and then yield no party.
    pub exclude: Vec<String>,
}

impl Party {
    /// A party whose aliases all follow the default case rule.
    pub fn new(id: impl Into<String>, name: impl Into<String>, aliases: Vec<String>) -> Party {
        Party {
            id: id.into(),
            name: name.into(),
            aliases,
            case_overrides: Vec::new(),
            exclude: Vec::new(),
        }
    }

    /// The case rule for one of this party's aliases.
    pub fn alias_case(&self, alias: &str) -> AliasCase {
        self.case_overrides
            .iter()
            .find(|(text, _)| text == alias)
            .map(|&(_, case)| case)
            .unwrap_or_else(|| AliasCase::default_for(alias))
    }
}

/// Zero-shot NLI hypothesis templates, each with a `{party}` placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    pub condemn: String,
    pub support: String,
    pub ceasefire: String,
}

impl Default for Templates {
    fn default() -> Templates {
        Templates {
            condemn: "This text condemns {party}.".to_string(),
            support: "This text expresses support for {party}.".to_string(),
            ceasefire: "This text calls for a ceasefire or restraint by {party}.".to_string(),
        }
    }
}

impl Templates {
    /// The three hypotheses for a party, in label order (condemn, support,
    /// ceasefire — the order of `types::LABELS`).
    pub fn hypotheses(&self, party_name: &str) -> [String; 3] {
        [&self.condemn, &self.support, &self.ceasefire]
            .map(|t| t.replace(PARTY_PLACEHOLDER, party_name))
    }
}

/// The parties to score, in output order, and the templates to score them with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartySet {
    pub parties: Vec<Party>,
    pub templates: Templates,
}

impl PartySet {
    /// The embedded default set (`config/parties.toml`).
    pub fn builtin() -> PartySet {
        PartySet::from_toml_str(BUILTIN_TOML, "config/parties.toml (built in)")
            .expect("the embedded config/parties.toml is valid (checked by a unit test)")
    }

    /// The embedded extended set (`config/parties-extended.toml`): the
    /// defaults plus the other parties of the training data.
    pub fn extended() -> PartySet {
        PartySet::from_toml_str(EXTENDED_TOML, "config/parties-extended.toml (built in)")
            .expect("the embedded config/parties-extended.toml is valid (checked by a unit test)")
    }

    /// Parses a parties file; `origin` (usually its path) starts every error
    /// message.
    pub fn from_toml_str(s: &str, origin: &str) -> Result<PartySet> {
        let doc: FileDoc =
            toml::from_str(s).map_err(|e| anyhow!("{origin}: invalid parties file: {e}"))?;
        doc.into_party_set(s).map_err(|e| anyhow!("{origin}: {e}"))
    }

    /// Reads and parses a parties file.
    /// The file given on the command line, else the built-in parties.
    pub fn from_option(path: Option<&Path>) -> Result<PartySet> {
        match path {
            Some(path) => PartySet::from_file(path),
            None => Ok(PartySet::builtin()),
        }
    }

    pub fn from_file(path: &Path) -> Result<PartySet> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read parties file {}", path.display()))?;
        PartySet::from_toml_str(&text, &path.display().to_string())
    }

    /// Position of the party with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.id == id)
    }

    /// The party ids, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.parties.iter().map(|p| p.id.as_str()).collect()
    }
}

// ---------------------------------------------------------------------------
// The file format. These mirror the TOML; `into_party_set` checks what serde
// cannot (unique ids, non-empty aliases, placeholders).

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    templates: Option<TemplatesDoc>,
    #[serde(default)]
    party: Vec<PartyDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplatesDoc {
    condemn: Option<String>,
    support: Option<String>,
    ceasefire: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyDoc {
    /// Spanned so that later checks can point at the party's line.
    id: toml::Spanned<String>,
    name: String,
    aliases: Vec<AliasDoc>,
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "an alias: a string, or a table { text = \"...\", case = \"exact\" | \"ignore\" }"
)]
enum AliasDoc {
    Plain(String),
    WithCase(AliasWithCaseDoc),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasWithCaseDoc {
    text: String,
    case: AliasCase,
}

impl FileDoc {
    fn into_party_set(self, source: &str) -> Result<PartySet> {
        if self.party.is_empty() {
            bail!("defines no parties: add at least one [[party]] table with id, name and aliases");
        }
        let templates = match self.templates {
            Some(doc) => doc.into_templates()?,
            None => Templates::default(),
        };
        let mut parties: Vec<Party> = Vec::with_capacity(self.party.len());
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for doc in self.party {
            let line = line_of(source, doc.id.span().start);
            if let Some(first) = first_line.insert(doc.id.get_ref().clone(), line) {
                bail!(
                    "line {line}: duplicate party id {:?} (first defined on line {first})",
                    doc.id.get_ref()
                );
            }
            parties.push(doc.into_party().map_err(|e| anyhow!("line {line}: {e}"))?);
        }
        Ok(PartySet { parties, templates })
    }
}

impl TemplatesDoc {
    fn into_templates(self) -> Result<Templates> {
        let defaults = Templates::default();
        let pick = |key: &str, given: Option<String>, default: String| -> Result<String> {
            match given {
                Some(t) if !t.contains(PARTY_PLACEHOLDER) => {
                    bail!("[templates] {key} = {t:?} has no {PARTY_PLACEHOLDER} placeholder")
                }
                Some(t) => Ok(t),
                None => Ok(default),
            }
        };
        Ok(Templates {
            condemn: pick("condemn", self.condemn, defaults.condemn)?,
            support: pick("support", self.support, defaults.support)?,
            ceasefire: pick("ceasefire", self.ceasefire, defaults.ceasefire)?,
        })
    }
}

impl PartyDoc {
    fn into_party(self) -> Result<Party> {
        let id = self.id.into_inner();
        if !is_slug(&id) {
            bail!(
                "party id {id:?} must be a non-empty slug of lowercase letters a-z, digits and `_`"
            );
        }
        let name = self.name.trim().to_string();
        if name.is_empty() {
            bail!("party {id:?} has an empty name");
        }
        let mut party = Party::new(id, name, Vec::new());
        for alias in self.aliases {
            let (text, case) = match alias {
                AliasDoc::Plain(text) => (text, None),
                AliasDoc::WithCase(a) => (a.text, Some(a.case)),
            };
            let text = text.trim().to_string();
            if text.is_empty() {
                bail!("party {:?} has an empty alias", party.id);
            }
            if let Some(case) = case {
                party.case_overrides.push((text.clone(), case));
            }
            if !party.aliases.contains(&text) {
                party.aliases.push(text);
            }
        }
        if party.aliases.is_empty() {
            bail!(
                "party {:?} has no aliases: list at least one name it is mentioned by",
                party.id
            );
        }
        for phrase in self.exclude {
            let phrase = phrase.trim().to_string();
            if phrase.is_empty() {
                bail!("party {:?} has an empty `exclude` phrase", party.id);
            }
            party.exclude.push(phrase);
        }
        Ok(party)
    }
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// 1-based line number of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------
// Matching.

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
struct Pattern {
    text: String,
    case: AliasCase,
    /// Parties it names; empty for an `exclude` phrase.
    parties: Vec<usize>,
}

/// A whole-word match of one pattern, before overlaps are resolved.
#[derive(Debug, Clone, Copy)]
struct Candidate {
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
fn collect_patterns(set: &PartySet) -> Result<Vec<Pattern>> {
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
fn spellings(alias: &str, case: AliasCase) -> Vec<String> {
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
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Resolves overlaps: scanning left to right, the earliest-starting and then
/// longest candidate wins and the ones it overlaps are dropped. Candidates
/// with exactly the winner's span are kept too (two parties sharing a span).
fn leftmost_longest(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> (PartySet, PartyMatcher) {
        let set = PartySet::builtin();
        let matcher = PartyMatcher::new(&set).unwrap();
        (set, matcher)
    }

    /// (party id, mention text) pairs found in `text`, in party order.
    fn found(text: &str) -> Vec<(String, String)> {
        let (set, matcher) = matcher();
        let mut out = Vec::new();
        for pm in matcher.find(text) {
            for m in pm.mentions {
                assert_eq!(
                    &text[m.start..m.end],
                    m.text,
                    "offsets must slice to the mention"
                );
                out.push((set.parties[pm.party].id.clone(), m.text));
            }
        }
        out
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|&(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn embedded_files_parse() {
        let set = PartySet::builtin();
        assert_eq!(
            set.ids(),
            ["israel", "hamas", "palestinians", "united_states", "russia"]
        );
        assert_eq!(set.parties[3].name, "United States");
        assert_eq!(set.index_of("russia"), Some(4));
        assert_eq!(set.index_of("iran"), None);
        let extended = PartySet::extended();
        assert_eq!(extended.ids()[..5], set.ids()[..]);
        assert_eq!(extended.parties.len(), 15);
        PartyMatcher::new(&extended).unwrap();
    }

    #[test]
    fn word_boundaries() {
        assert_eq!(found("Israelis fled."), pairs(&[("israel", "Israelis")]));
        assert_eq!(
            found("Shamash and Hamasi are not Hamas."),
            pairs(&[("hamas", "Hamas")])
        );
        assert_eq!(found("Israelite tribes"), pairs(&[]));
        // Letters of other scripts are word characters too.
        assert_eq!(
            found("éIsrael Israelé Israel"),
            pairs(&[("israel", "Israel")])
        );
        // Hyphens and brackets are boundaries.
        assert_eq!(
            found("the Hamas-run health ministry (IDF) pro-Israel"),
            pairs(&[("israel", "IDF"), ("israel", "Israel"), ("hamas", "Hamas")])
        );
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        assert_eq!(
            found("Tell us what the US and the U.S. want."),
            pairs(&[("united_states", "US"), ("united_states", "U.S.")])
        );
        assert_eq!(found("Us and us"), pairs(&[]));
        assert_eq!(AliasCase::default_for("U.S."), AliasCase::Exact);
        assert_eq!(AliasCase::default_for("Israel"), AliasCase::Ignore);
        assert_eq!(AliasCase::default_for("A"), AliasCase::Ignore);
    }

    #[test]
    fn headline_caps_match() {
        assert_eq!(
            found("ISRAEL POUNDS GAZA AS HAMAS HOLDS HOSTAGES, US SAYS"),
            pairs(&[
                ("israel", "ISRAEL"),
                ("hamas", "HAMAS"),
                ("palestinians", "GAZA"),
                ("united_states", "US")
            ])
        );
    }

    #[test]
    fn possessives_and_curly_apostrophes() {
        assert_eq!(
            found("Israel's army, Israel’s allies, the Israelis' fear, Hamas’ leaders"),
            pairs(&[
                ("israel", "Israel"),
                ("israel", "Israel"),
                ("israel", "Israelis"),
                ("hamas", "Hamas")
            ])
        );
    }

    #[test]
    fn longest_match_wins() {
        assert_eq!(
            found("the Palestinian Authority said"),
            pairs(&[("palestinians", "Palestinian Authority")])
        );
        assert_eq!(
            found("the US National Security Council"),
            pairs(&[
                ("united_states", "US"),
                ("united_states", "National Security Council")
            ])
        );
        // An exclusion phrase hides the shorter alias inside it.
        assert_eq!(
            found("Abbas Kamel met Mahmoud Abbas"),
            pairs(&[("palestinians", "Mahmoud Abbas")])
        );
    }

    #[test]
    fn offsets_are_bytes_and_slice() {
        let text = "«Ísrael» — 🇮🇱 Israel’s reply to Ḥamas and Hamas";
        let (_, matcher) = matcher();
        let found = matcher.find(text);
        let all: Vec<&Mention> = found.iter().flat_map(|pm| &pm.mentions).collect();
        assert_eq!(all.len(), 2);
        for m in all {
            assert_eq!(&text[m.start..m.end], m.text);
        }
        assert_eq!(found[0].mentions[0].start, text.find("Israel").unwrap());
    }

    #[test]
    fn never_panics_on_odd_input() {
        let (_, matcher) = matcher();
        let rtl = "إسرائيل \u{202E}Israel\u{202C} حماس";
        for text in [
            "",
            "\0",
            "\0Hamas\0",
            "🙂Israel🙂",
            rtl,
            "U.S",
            "'s",
            "’",
            "Israel'",
            "US’",
        ] {
            for pm in matcher.find(text) {
                for m in pm.mentions {
                    assert_eq!(&text[m.start..m.end], m.text);
                }
            }
        }
        // A 5 MB line is handled in one pass.
        let big = "Hamas and Israel, ".repeat(5_000_000 / 18);
        let found = matcher.find(&big);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].mentions.len(), big.len() / 18);
        let unbroken = "Israel".repeat(1_000_000);
        assert!(matcher.find(&unbroken).is_empty());
    }

    #[test]
    fn results_are_ordered_by_party_then_text() {
        let (set, matcher) = matcher();
        let found = matcher.find("Russia and Hamas; Israel, then Hamas again.");
        let ids: Vec<&str> = found
            .iter()
            .map(|pm| set.parties[pm.party].id.as_str())
            .collect();
        assert_eq!(ids, ["israel", "hamas", "russia"]);
        let starts: Vec<usize> = found[1].mentions.iter().map(|m| m.start).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn custom_parties_replace_the_defaults() {
        let toml = r#"
            [templates]
            condemn = "The author blames {party}."

            [[party]]
            id = "red"
            name = "Red Team"
            aliases = ["Red Team", "Reds", "RT", { text = "rt", case = "exact" }, { text = "Crimson", case = "exact" }]

            [[party]]
            id = "blue"
            name = "Blue Team"
            aliases = ["Blues"]
            exclude = ["Blues Brothers"]
        "#;
        let set = PartySet::from_toml_str(toml, "teams.toml").unwrap();
        assert_eq!(set.ids(), ["red", "blue"]);
        assert_eq!(set.templates.condemn, "The author blames {party}.");
        assert_eq!(set.templates.support, Templates::default().support);
        assert_eq!(
            set.templates.hypotheses("Red Team")[0],
            "The author blames Red Team."
        );
        let matcher = PartyMatcher::new(&set).unwrap();
        let text = "REDS and rt and Rt and crimson; the Blues Brothers; the blues; Israel";
        let found: Vec<(usize, Vec<String>)> = matcher
            .find(text)
            .into_iter()
            .map(|pm| (pm.party, pm.mentions.into_iter().map(|m| m.text).collect()))
            .collect();
        assert_eq!(
            found,
            [
                (0, vec!["REDS".to_string(), "rt".to_string()]),
                (1, vec!["blues".to_string()])
            ]
        );
    }

    fn error_of(toml: &str) -> String {
        format!(
            "{:#}",
            PartySet::from_toml_str(toml, "my-parties.toml").unwrap_err()
        )
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let missing_id = error_of("[[party]]\nname = \"X\"\naliases = [\"X\"]\n");
        assert!(
            missing_id.starts_with("my-parties.toml:") && missing_id.contains("missing field `id`"),
            "{missing_id}"
        );

        let dup = error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\n[[party]]\nid = \"a\"\nname = \"B\"\naliases = [\"B\"]\n");
        assert!(
            dup.starts_with(
                "my-parties.toml: line 6: duplicate party id \"a\" (first defined on line 2)"
            ),
            "{dup}"
        );

        let empty = error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = []\n");
        assert!(
            empty.contains("my-parties.toml: line 2: party \"a\" has no aliases"),
            "{empty}"
        );

        let unknown =
            error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\nalias = [\"B\"]\n");
        assert!(
            unknown.contains("my-parties.toml") && unknown.contains("unknown field `alias`"),
            "{unknown}"
        );

        let bad = error_of("[[party]]\nid = \"a\"\nname = \"A\naliases = [\"A\"]\n");
        assert!(
            bad.contains("my-parties.toml") && bad.contains("line 3"),
            "{bad}"
        );

        let slug = error_of("[[party]]\nid = \"United States\"\nname = \"A\"\naliases = [\"A\"]\n");
        assert!(slug.contains("must be a non-empty slug"), "{slug}");

        let template = error_of("[templates]\ncondemn = \"bad\"\n[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\n");
        assert!(
            template.contains("has no {party} placeholder"),
            "{template}"
        );

        let none = error_of("[templates]\ncondemn = \"{party}\"\n");
        assert!(none.contains("defines no parties"), "{none}");

        let bad_case = error_of(
            "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [{ text = \"A\", case = \"upper\" }]\n",
        );
        assert!(
            bad_case.contains("my-parties.toml")
                && bad_case.contains("an alias: a string, or a table"),
            "{bad_case}"
        );
    }

    #[test]
    fn from_file_reads_and_reports_the_path() {
        let dir = std::env::temp_dir().join(format!("stance-parties-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.toml");
        std::fs::write(
            &path,
            "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"Alpha\"]\n",
        )
        .unwrap();
        assert_eq!(PartySet::from_file(&path).unwrap().ids(), ["a"]);
        let missing = dir.join("missing.toml");
        let err = format!("{:#}", PartySet::from_file(&missing).unwrap_err());
        assert!(err.contains("missing.toml"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
