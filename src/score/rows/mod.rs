//! The one path from an article's sentences to output rows, shared by
//! `stance score`, `stance eval` and training: which (sentence, party)
//! requests to make, and how their scores become rows (labels, holder,
//! mentions in article offsets).

use super::holder::{HolderTracker, SentenceEvidence, OTHER};
use super::{condemnation, rules, speaker, vetoed};
use super::{RequestScores, ScoreRequest, Scorer};
use crate::parties::{PartyMatcher, PartySet};
use crate::types::{
    round_score, Article, LabelScores, Mention, ScoreRow, SentenceSpan, CEASEFIRE, LABELS,
};

/// One party to score in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Index in the parties file.
    pub party: usize,
    /// Offsets relative to the sentence; empty for an implicit candidate.
    pub mentions: Vec<Mention>,
}

/// A sentence of an article and the parties to score in it.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceTargets {
    pub span: SentenceSpan,
    pub targets: Vec<Target>,
}

impl SentenceTargets {
    /// Each target's mentions, in target order (what the surface rules read).
    pub fn mentions(&self) -> Vec<&[Mention]> {
        self.targets.iter().map(|t| t.mentions.as_slice()).collect()
    }
}

/// Every candidate party in `sentence`, in party order: those the matcher
/// finds (with their mentions) and the others as implicit candidates.
pub fn targets_for(sentence: &str, matcher: &PartyMatcher, candidates: &[usize]) -> Vec<Target> {
    let mut found = matcher.find(sentence);
    let mut targets: Vec<Target> = candidates
        .iter()
        .map(|&party| {
            let mentions = found
                .iter_mut()
                .find(|m| m.party == party)
                .map(|m| std::mem::take(&mut m.mentions))
                .unwrap_or_default();
            Target { party, mentions }
        })
        .collect();
    targets.sort_by_key(|t| t.party);
    targets
}

/// The sentences of `text` at `spans`, each with its targets.
pub fn article_targets(
    text: &str,
    spans: &[SentenceSpan],
    matcher: &PartyMatcher,
    candidates: &[usize],
) -> Vec<SentenceTargets> {
    spans
        .iter()
        .map(|&span| SentenceTargets {
            span,
            targets: targets_for(&text[span.start..span.end], matcher, candidates),
        })
        .collect()
}

/// The requests of an article's sentences, sentence-major, target order
/// within a sentence; each carries the sentence before it as context.
pub fn requests<'a>(
    text: &'a str,
    sentences: &'a [SentenceTargets],
    parties: &'a PartySet,
) -> Vec<ScoreRequest<'a>> {
    let mut out = Vec::new();
    let mut previous = "";
    for sentence in sentences {
        let sentence_text = &text[sentence.span.start..sentence.span.end];
        for target in &sentence.targets {
            out.push(ScoreRequest {
                sentence: sentence_text,
                previous,
                party: &parties.parties[target.party],
                mentions: &target.mentions,
            });
        }
        previous = sentence_text;
    }
    out
}

/// Which rows of an article to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Mentioned parties, and implicit candidates with at least one label
    /// (what `stance score` writes).
    Published,
    /// Every scored pair (evaluation scores the closed world).
    All,
}

/// Rows of one article from its sentences' scores (`scores` in the order of
/// [`requests`]). The holder of each sentence is decided over all its
/// targets and follows the article's speakers ([`HolderTracker`]); a row
/// without labels has none.
pub fn article_rows(
    article: &Article,
    sentences: &[SentenceTargets],
    scores: &[RequestScores],
    scorer: &Scorer,
    parties: &PartySet,
    keep: Keep,
) -> Vec<ScoreRow> {
    scored_rows(article, sentences, scores, scorer, parties, keep)
        .into_iter()
        .map(|(row, _)| row)
        .collect()
}

/// [`article_rows`], each row with the probabilities it publishes before
/// rounding (the model's after the guidelines' rules, [`rules`]): evaluation measures and
/// calibrates exactly what the rows say.
pub fn scored_rows(
    article: &Article,
    sentences: &[SentenceTargets],
    scores: &[RequestScores],
    scorer: &Scorer,
    parties: &PartySet,
    keep: Keep,
) -> Vec<(ScoreRow, LabelScores)> {
    let mut rows = Vec::new();
    let mut tracker = HolderTracker::default();
    let mut inside_quotation = false;
    let mut previous_end = 0;
    let mut at = 0;
    for (index, sentence) in sentences.iter().enumerate() {
        let sentence_scores = &scores[at..at + sentence.targets.len()];
        at += sentence.targets.len();
        let text = &article.text[sentence.span.start..sentence.span.end];
        // News reopens a quotation that runs into a new paragraph ("“…"
        // again), so a paragraph break closes one left open: a stray mark
        // costs one paragraph at most.
        let gap = article
            .text
            .get(previous_end..sentence.span.start)
            .unwrap_or("");
        inside_quotation &= !gap.contains('\n');
        previous_end = sentence.span.end;
        let mut sentence_evidence = evidence(text, sentence, sentence_scores, parties);
        sentence_evidence.quotation |= inside_quotation;
        inside_quotation = speaker::quotation_open_after(text, inside_quotation);
        let holder = tracker.decide(&sentence_evidence);
        let sentence_scores = rules::after_model(text, sentence, sentence_scores, scorer, parties);
        let labels: Vec<Vec<String>> = (sentence_scores.iter())
            .map(|s| scorer.labels_for(&s.labels))
            .collect();
        let call_only = |labels: &[String]| labels == [LABELS[CEASEFIRE]];
        // A call that is only a vetoed draft's demand is its sponsors', the
        // sentence's speaker holding what else it says ([`vetoed`]); read
        // only where a row is such a call (most sentences have none: no
        // word scan).
        let draft_holder = (labels.iter().any(|l| call_only(l)))
            .then(|| vetoed::vetoed_call(text, &sentence.mentions()))
            .flatten()
            .map(|sponsor| {
                sponsor
                    .map(|at| &parties.parties[sentence.targets[at].party])
                    .filter(|party| party.holder)
                    .map_or(OTHER.to_string(), |party| party.id.clone())
            });
        for ((target, s), labels) in sentence.targets.iter().zip(&sentence_scores).zip(labels) {
            let holder = match &draft_holder {
                Some(sponsors) if call_only(&labels) => sponsors,
                _ => &holder,
            };
            if keep == Keep::Published && target.mentions.is_empty() && labels.is_empty() {
                continue;
            }
            let offset = sentence.span.start;
            let row = ScoreRow {
                doc_id: article.id.clone(),
                sentence_index: index,
                start: sentence.span.start,
                end: sentence.span.end,
                sentence: text.to_string(),
                party: parties.parties[target.party].id.clone(),
                mentions: target
                    .mentions
                    .iter()
                    .map(|m| Mention {
                        text: m.text.clone(),
                        start: m.start + offset,
                        end: m.end + offset,
                    })
                    .collect(),
                condemn: round_score(s.labels[0]),
                support: round_score(s.labels[1]),
                ceasefire: round_score(s.labels[2]),
                holder: (!labels.is_empty()).then(|| holder.clone()),
                labels,
                model: scorer.name().to_string(),
                meta: article.meta.clone(),
            };
            rows.push((row, s.labels));
        }
    }
    rows
}

/// The holder evidence of one sentence: each target's "holds" probability
/// and speaker place, and the mean "author" probability.
fn evidence<'a>(
    text: &str,
    sentence: &SentenceTargets,
    scores: &[RequestScores],
    parties: &'a PartySet,
) -> SentenceEvidence<'a> {
    let authors: Vec<f32> = scores
        .iter()
        .filter_map(|s| s.holder.map(|h| h[1]))
        .collect();
    // One scan for the names before any speaker verb (people remembered
    // earlier) and those before a verb of speech alone (a named party).
    let names = speaker::names_by_verb(text);
    let speaker_names = speaker::names_before(&names, speaker::SPEAKER_VERBS);
    let speech_names = speaker::names_before(&names, speaker::SPEECH_VERBS);
    SentenceEvidence {
        parties: sentence
            .targets
            .iter()
            .zip(scores)
            .map(|(t, s)| {
                let party = &parties.parties[t.party];
                // A party that cannot hold a stance (`holder = false`) is
                // never the holder, nor the speaker a later pronoun means.
                let may_hold = !t.mentions.is_empty() && party.holder;
                (
                    party.id.as_str(),
                    // Only a party named in the sentence can be its speaker
                    // there; one that is not named speaks through a pronoun
                    // or an office, which the tracker resolves from earlier
                    // sentences (the model's guess for an unnamed party
                    // leans toward whoever speaks most in the training data).
                    s.holder.map(|h| if may_hold { h[0] } else { 0.0 }),
                    // The one who condemns in a passive ("condemned by
                    // Israel") holds the stance as its subject would; read
                    // here, not in the model's speaker cue, which the
                    // shipped weights were trained with as it is.
                    party.holder
                        && t.mentions.iter().any(|m| {
                            speaker::speaks(text, m) || condemnation::condemning_agent(text, m)
                        }),
                )
            })
            .collect(),
        author: (!authors.is_empty()).then(|| authors.iter().sum::<f32>() / authors.len() as f32),
        attribution: speaker::attribution(text),
        subject: sentence
            .targets
            .iter()
            .filter(|t| parties.parties[t.party].holder)
            .filter(|t| t.mentions.iter().any(|m| speaker::heads(text, m)))
            .min_by_key(|t| t.mentions[0].start)
            .map(|t| parties.parties[t.party].id.as_str()),
        quotation: speaker::opens_quotation(text),
        introduced: sentence
            .targets
            .iter()
            .filter(|t| parties.parties[t.party].holder)
            .flat_map(|t| {
                let id = parties.parties[t.party].id.as_str();
                (t.mentions.iter())
                    .flat_map(|m| speaker::introduced_names(text, m))
                    .map(move |name| (name, id))
            })
            .collect(),
        named_speaker: sentence
            .targets
            .iter()
            .filter(|t| !t.mentions.is_empty() && parties.parties[t.party].holder)
            .find(|t| {
                t.mentions.iter().any(|m| {
                    let last = m.text.split_whitespace().last().unwrap_or("");
                    let last = last.to_lowercase();
                    speech_names.contains(&last) || speaker::titled_speaker(text, m)
                })
            })
            .map(|t| parties.parties[t.party].id.as_str()),
        speaker_names,
        titled_person: speaker::headed_by_titled_person(text),
        credited: sentence
            .targets
            .iter()
            .filter(|t| parties.parties[t.party].holder)
            .find(|t| t.mentions.iter().any(|m| rules::source_of(text, m)))
            .map(|t| parties.parties[t.party].id.as_str()),
        head_speaker: head_speaker(text, sentence, parties),
    }
}

/// The party at the head of `text` that is the subject of a speech, stance
/// or effort verb, or of a condemnation: the first named there ("China's UN
/// envoy Fu Cong called …" is China's, whatever the parties file's order).
/// None inside a quotation the sentence opens with ("“We stand with
/// Israel,” he said"): its speaker follows it.
fn head_speaker<'a>(
    text: &str,
    sentence: &SentenceTargets,
    parties: &'a PartySet,
) -> Option<&'a str> {
    if speaker::opens_quotation(text) {
        return None;
    }
    (sentence.targets.iter())
        .filter(|t| parties.parties[t.party].holder)
        .flat_map(|t| t.mentions.iter().map(move |m| (t, m)))
        // The head first: most mentions are not there, and it costs no word
        // scan.
        .filter(|(_, m)| {
            speaker::heads(text, m)
                && ((speaker::heads_as_speaker(text, m)
                    && !condemnation::condemned_in_headline(text, m))
                    || condemnation::condemning_subject(text, m))
        })
        .min_by_key(|(_, m)| m.start)
        .map(|(t, _)| parties.parties[t.party].id.as_str())
}

#[cfg(test)]
mod tests;
