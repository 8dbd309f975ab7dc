//! The one path from an article's sentences to output rows, shared by
//! `stance score`, `stance eval` and training: which (sentence, party)
//! requests to make, and how their scores become rows (labels, holder,
//! mentions in article offsets).

use super::holder::{HolderTracker, SentenceEvidence};
use super::{rules, speaker};
use super::{RequestScores, ScoreRequest, Scorer};
use crate::parties::{PartyMatcher, PartySet};
use crate::types::{round_score, Article, LabelScores, Mention, ScoreRow, SentenceSpan};

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
    let mut at = 0;
    for (index, sentence) in sentences.iter().enumerate() {
        let sentence_scores = &scores[at..at + sentence.targets.len()];
        at += sentence.targets.len();
        let text = &article.text[sentence.span.start..sentence.span.end];
        let holder = tracker.decide(&evidence(text, sentence, sentence_scores, parties));
        let sentence_scores = rules::after_model(text, sentence, sentence_scores, scorer, parties);
        for (target, s) in sentence.targets.iter().zip(&sentence_scores) {
            let labels = scorer.labels_for(&s.labels);
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
    SentenceEvidence {
        parties: sentence
            .targets
            .iter()
            .zip(scores)
            .map(|(t, s)| {
                (
                    parties.parties[t.party].id.as_str(),
                    // Only a party named in the sentence can be its speaker
                    // there; one that is not named speaks through a pronoun
                    // or an office, which the tracker resolves from earlier
                    // sentences (the model's guess for an unnamed party
                    // leans toward whoever speaks most in the training data).
                    s.holder
                        .map(|h| if t.mentions.is_empty() { 0.0 } else { h[0] }),
                    t.mentions.iter().any(|m| speaker::speaks(text, m)),
                )
            })
            .collect(),
        author: (!authors.is_empty()).then(|| authors.iter().sum::<f32>() / authors.len() as f32),
        attribution: speaker::attribution(text),
        subject: sentence
            .targets
            .iter()
            .filter(|t| t.mentions.iter().any(|m| speaker::heads(text, m)))
            .min_by_key(|t| t.mentions[0].start)
            .map(|t| parties.parties[t.party].id.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing;
    use crate::types::RecordOrigin;

    /// An article of one sentence, its targets among the built-in parties
    /// `ids` (named or implicit), and those parties.
    fn one_sentence(text: &str, ids: &[&str]) -> (Article, Vec<SentenceTargets>, PartySet) {
        let parties = PartySet::builtin();
        let matcher = PartyMatcher::new(&parties).unwrap();
        let spans = [SentenceSpan {
            start: 0,
            end: text.len(),
        }];
        let candidates: Vec<usize> = ids.iter().map(|id| parties.index_of(id).unwrap()).collect();
        let sentences = article_targets(text, &spans, &matcher, &candidates);
        (article(text), sentences, parties)
    }

    /// Every row of a one-sentence article whose targets are the built-in
    /// parties `ids`, scored `all` by a stub model (thresholds 0.5).
    fn every_row(text: &str, ids: &[&str], all: &[RequestScores]) -> Vec<ScoreRow> {
        let (article, sentences, parties) = one_sentence(text, ids);
        let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
        article_rows(&article, &sentences, all, &scorer, &parties, Keep::All)
    }

    fn article(text: &str) -> Article {
        Article {
            id: "a".into(),
            text: text.into(),
            meta: Default::default(),
            origin: RecordOrigin {
                file: "-".into(),
                line: 1,
            },
        }
    }

    fn scores(labels: [f32; 3], holds: f32, author: f32) -> RequestScores {
        RequestScores {
            labels,
            holder: Some([holds, author]),
        }
    }

    #[test]
    fn implicit_rows_only_with_a_label_and_holders_only_on_labelled_rows() {
        let parties = PartySet::builtin();
        let matcher = PartyMatcher::new(&parties).unwrap();
        let text = "Russia condemned the siege. It was quiet.";
        let article = article(text);
        let spans = [
            SentenceSpan { start: 0, end: 27 },
            SentenceSpan { start: 28, end: 41 },
        ];
        let (israel, russia) = (
            parties.index_of("israel").unwrap(),
            parties.index_of("russia").unwrap(),
        );
        let sentences = article_targets(text, &spans, &matcher, &[israel, russia]);
        assert_eq!(sentences[0].targets[1].mentions[0].text, "Russia");
        assert!(
            sentences[0].targets[0].mentions.is_empty(),
            "israel is implicit"
        );
        assert_eq!(requests(text, &sentences, &parties).len(), 4);
        let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
        let all = [
            scores([0.9, 0.0, 0.0], 0.1, 0.2), // israel, implicit, condemned by Russia
            scores([0.0, 0.0, 0.0], 0.9, 0.2), // russia, named, no label: the holder
            scores([0.1, 0.0, 0.0], 0.0, 0.9), // israel, implicit, no label: no row
            scores([0.0, 0.0, 0.0], 0.0, 0.9), // russia, implicit, no label: no row
        ];
        let rows = article_rows(
            &article,
            &sentences,
            &all,
            &scorer,
            &parties,
            Keep::Published,
        );
        let keys: Vec<(usize, &str, Option<&str>)> = rows
            .iter()
            .map(|r| (r.sentence_index, r.party.as_str(), r.holder.as_deref()))
            .collect();
        assert_eq!(keys, [(0, "israel", Some("russia")), (0, "russia", None)]);
        assert_eq!(rows[0].labels, ["condemn"]);
        assert!(rows[0].mentions.is_empty());
        assert_eq!((rows[1].mentions[0].start, rows[1].mentions[0].end), (0, 6));
        let every = article_rows(&article, &sentences, &all, &scorer, &parties, Keep::All);
        assert_eq!(every.len(), 4, "evaluation keeps every scored pair");
    }

    #[test]
    fn a_call_addressed_to_one_belligerent_is_not_spread_to_the_other() {
        let (article, sentences, parties) =
            one_sentence("Egypt urged Hamas to show restraint.", &["israel", "hamas"]);
        let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
        // The model reads a ceasefire call toward both belligerents.
        let both = [
            scores([0.0, 0.0, 0.8], 0.0, 0.1), // israel, implicit
            scores([0.0, 0.0, 0.9], 0.1, 0.1), // hamas, the addressee
        ];
        let rows = article_rows(
            &article,
            &sentences,
            &both,
            &scorer,
            &parties,
            Keep::Published,
        );
        let parties_labelled: Vec<(&str, &[String])> = rows
            .iter()
            .map(|r| (r.party.as_str(), r.labels.as_slice()))
            .collect();
        assert_eq!(
            parties_labelled,
            [("hamas", &["ceasefire".to_string()][..])]
        );
        assert_eq!(rows[0].ceasefire, 0.9);
        let every = article_rows(&article, &sentences, &both, &scorer, &parties, Keep::All);
        assert_eq!(every[0].party, "israel");
        assert!(
            (every[0].ceasefire - 0.08).abs() < 1e-4,
            "{}",
            every[0].ceasefire
        );
    }

    #[test]
    fn the_victim_of_a_condemned_attack_is_not_condemned() {
        let (article, sentences, parties) = one_sentence(
            "Russia condemned the attacks by Hamas on Israel.",
            &["israel", "hamas", "russia"],
        );
        let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
        let party_ids: Vec<&str> = (sentences[0].targets.iter())
            .map(|t| parties.parties[t.party].id.as_str())
            .collect();
        assert_eq!(party_ids, ["israel", "hamas", "russia"]);
        // The model reads the condemnation toward the victim as well.
        let all = [
            scores([0.7, 0.2, 0.0], 0.0, 0.1), // israel, the victim
            scores([0.9, 0.0, 0.0], 0.0, 0.1), // hamas, the agent
            scores([0.0, 0.0, 0.0], 0.9, 0.1), // russia, the speaker
        ];
        let rows = article_rows(&article, &sentences, &all, &scorer, &parties, Keep::All);
        let labelled: Vec<(&str, &[String], f64)> = rows
            .iter()
            .map(|r| (r.party.as_str(), r.labels.as_slice(), r.condemn))
            .collect();
        assert_eq!(
            labelled,
            [
                ("israel", &[][..], 0.0),
                ("hamas", &["condemn".to_string()][..], 0.9),
                ("russia", &[][..], 0.0),
            ]
        );
        assert_eq!(rows[0].support, 0.2, "only condemn is the agent's");
        assert_eq!(rows[1].holder.as_deref(), Some("russia"));
    }

    #[test]
    fn a_humanitarian_request_is_no_ceasefire_call_and_takes_no_side() {
        // The model reads a ceasefire call toward both belligerents and
        // support for the addressee.
        let rows = every_row(
            "Russia urged Israel to protect civilians and respect international humanitarian law.",
            &["israel", "hamas", "russia"],
            &[
                scores([0.1, 0.7, 0.8], 0.0, 0.1), // israel, the addressee
                scores([0.0, 0.0, 0.6], 0.0, 0.1), // hamas, implicit
                scores([0.0, 0.6, 0.0], 0.9, 0.1), // russia, the speaker
            ],
        );
        let labelled: Vec<(&str, &[String])> = rows
            .iter()
            .map(|r| (r.party.as_str(), r.labels.as_slice()))
            .collect();
        assert_eq!(
            labelled,
            [
                ("israel", &[][..]),
                ("hamas", &[][..]),
                ("russia", &["support".to_string()][..]),
            ],
            "only the addressee loses its support"
        );
        assert_eq!((rows[0].support, rows[0].ceasefire), (0.0, 0.0));
    }

    #[test]
    fn a_denied_terrorist_label_is_support() {
        // The model reads "terrorist" as a condemnation.
        let rows = every_row(
            "Erdogan claimed Hamas was not a terrorist organisation.",
            &["hamas"],
            &[scores([0.8, 0.3, 0.0], 0.0, 0.1)],
        );
        assert_eq!(rows[0].labels, ["support"]);
        assert_eq!((rows[0].condemn, rows[0].support), (0.0, 0.8));
        assert_eq!(rows[0].holder.as_deref(), Some("other"));
    }

    #[test]
    fn only_a_belligerent_gets_the_ceasefire_label() {
        let (article, sentences, parties) = one_sentence(
            "Washington demanded a humanitarian ceasefire in Gaza.",
            &["israel", "hamas", "russia"],
        );
        let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
        let all = [
            scores([0.0, 0.0, 0.9], 0.0, 0.1), // israel, implicit
            scores([0.0, 0.0, 0.8], 0.0, 0.1), // hamas, implicit
            scores([0.0, 0.0, 0.7], 0.0, 0.1), // russia, implicit: no side
        ];
        let rows = article_rows(&article, &sentences, &all, &scorer, &parties, Keep::All);
        let ceasefire: Vec<(&str, f64)> = rows
            .iter()
            .map(|r| (r.party.as_str(), r.ceasefire))
            .collect();
        assert_eq!(
            ceasefire,
            [("israel", 0.9), ("hamas", 0.8), ("russia", 0.0)]
        );
        // A file that marks no belligerent leaves ceasefire to the model.
        let mut unmarked = parties.clone();
        for party in &mut unmarked.parties {
            party.belligerent = false;
        }
        let rows = article_rows(&article, &sentences, &all, &scorer, &unmarked, Keep::All);
        assert_eq!(rows[2].ceasefire, 0.7);
    }

    #[test]
    fn the_object_of_a_condemnation_is_condemned_whoever_it_is() {
        // The model misses a condemnation of a party the news seldom
        // condemns.
        let rows = every_row(
            "Israel condemned the attack by the Palestinians.",
            &["israel", "palestinians"],
            &[
                scores([0.1, 0.0, 0.0], 0.9, 0.1), // israel, the speaker
                scores([0.2, 0.0, 0.0], 0.0, 0.1), // palestinians, the object
            ],
        );
        assert_eq!((rows[0].labels.len(), rows[0].condemn), (0, 0.1));
        assert_eq!(rows[1].labels, ["condemn"]);
        assert_eq!(rows[1].condemn, 0.9, "the rule's probability");
        assert_eq!(rows[1].holder.as_deref(), Some("israel"));
    }
}
