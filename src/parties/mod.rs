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

mod matcher;

pub use matcher::{PartyMatcher, PartyMentions};

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
    /// Parties that a call addressed to this one addresses too, and that a
    /// ceasefire label of this one reaches: the guidelines read "the
    /// Palestinian side" called on to cease fire as the Palestinians plus
    /// Hamas (ids of the same file; see `score::addressee`).
    pub addressed_with: Vec<String>,
    /// A side of the war, which a ceasefire call targets. The guidelines
    /// give ceasefire to the belligerents only ("a sentence where Russia
    /// calls for a ceasefire has ceasefire=0 on the russia row"); where a
    /// file marks any party, the others never get the label (see
    /// `score::rules`). A file that marks none leaves ceasefire to the model.
    pub belligerent: bool,
    /// A belligerent that a call with no addressee targets only where the
    /// sentence names it: the guidelines give such a call to Israel and
    /// Hamas, named or not, "+ palestinians when Palestine/Palestinians/Gaza
    /// is named in the sentence" (see `score::force`).
    pub ceasefire_when_named: bool,
    /// Acts this party is the agent of where a sentence condemns them
    /// without naming who committed them ("the October 7 attack", "the
    /// attacks from Gaza"): the guidelines' "condemning an unnamed but
    /// unambiguous act … condemns its agent" (see `score::condemnation`).
    /// Which acts are unambiguous is a fact of the conflict, so it is
    /// configuration.
    pub unnamed_acts: Vec<String>,
    /// Causes whose advocacy supports this party, named in the sentence or
    /// not: the guidelines' "two-state formula (\"Palestinian state …
    /// living in peace and security with Israel\") → support
    /// palestinians" (see `score::support::names_cause`). Which phrases
    /// name a party's cause is a fact of the conflict, so it is
    /// configuration.
    pub causes: Vec<String>,
    /// Charges levelled at this party alone: a sentence that levels one
    /// condemns the party, named or not ("what he termed genocide in Gaza",
    /// "answering them with collective punishment"; see
    /// `score::condemnation::levels_charge`). Whom a charge of this war is
    /// levelled at is a fact of the conflict, so it is configuration.
    pub charges: Vec<String>,
    /// Whether the party can be a row's `holder`. The gold data never give
    /// the Palestinians as a holder: what Palestinian officials say (Abbas,
    /// the Palestinian Authority, its envoys) is the Palestinian Authority's
    /// (51 gold rows, `palestinian_authority`), a holder outside the parties
    /// file and so `other` (contract). Their names stay aliases, since as
    /// targets they are the Palestinians.
    pub holder: bool,
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
            addressed_with: Vec::new(),
            belligerent: false,
            ceasefire_when_named: false,
            unnamed_acts: Vec::new(),
            causes: Vec::new(),
            charges: Vec::new(),
            holder: true,
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

    /// Whether the party at `index` may get the ceasefire label: a
    /// belligerent, or any party of a file that marks no belligerent.
    pub fn ceasefire_target(&self, index: usize) -> bool {
        self.parties[index].belligerent || !self.parties.iter().any(|p| p.belligerent)
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
    #[serde(default)]
    addressed_with: Vec<String>,
    #[serde(default)]
    belligerent: bool,
    #[serde(default)]
    ceasefire_when_named: bool,
    #[serde(default)]
    unnamed_acts: Vec<String>,
    #[serde(default)]
    causes: Vec<String>,
    #[serde(default)]
    charges: Vec<String>,
    #[serde(default = "holder_by_default")]
    holder: bool,
}

/// A party can hold a stance unless its file says `holder = false`.
fn holder_by_default() -> bool {
    true
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
        for party in &parties {
            for other in &party.addressed_with {
                if other == &party.id || !first_line.contains_key(other) {
                    bail!(
                        "line {}: party {:?} lists {other:?} in `addressed_with`, which is not another party of this file",
                        first_line[&party.id],
                        party.id
                    );
                }
            }
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
        party.addressed_with = self.addressed_with;
        party.belligerent = self.belligerent;
        if self.ceasefire_when_named && !self.belligerent {
            bail!(
                "party {:?} has `ceasefire_when_named` but is not a belligerent",
                party.id
            );
        }
        party.ceasefire_when_named = self.ceasefire_when_named;
        party.holder = self.holder;
        for act in self.unnamed_acts {
            // An act of one word ("attack") would make every condemned
            // attack this party's; the phrase must say which.
            if act.split_whitespace().count() < 2 {
                bail!(
                    "party {:?} has the `unnamed_acts` phrase {act:?}: give at least two words (the act and what makes it unambiguous, as in \"attack from Gaza\")",
                    party.id
                );
            }
            party.unnamed_acts.push(act.trim().to_string());
        }
        for cause in self.causes {
            if cause.trim().is_empty() {
                bail!("party {:?} has an empty `causes` phrase", party.id);
            }
            party.causes.push(cause.trim().to_string());
        }
        for charge in self.charges {
            if charge.trim().is_empty() {
                bail!("party {:?} has an empty `charges` phrase", party.id);
            }
            party.charges.push(charge.trim().to_string());
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

#[cfg(test)]
mod tests;
