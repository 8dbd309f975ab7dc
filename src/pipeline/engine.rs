//! What scoring needs, loaded once (parties, their matcher, the model), and
//! the steps from an article to its rows: prepare (segment, match, tokenize),
//! score a window of prepared articles, turn scores into rows. `stance score`
//! streams these steps over threads; [`Engine::score_articles`] runs them over
//! articles held in memory (the Python binding). Both go through the same
//! functions, so the same article gives the same rows either way.

use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use crate::model::device::{self, DeviceChoice};
use crate::model::Encoded;
use crate::parties::{PartyMatcher, PartySet};
use crate::score::rows::{self, Keep, SentenceTargets};
use crate::score::{RequestScores, Scorer};
use crate::segment::{NewsSegmenter, Segmenter};
use crate::types::{Article, ScoreRow};

/// Sequences per model window: the batches are planned (length-sorted)
/// inside a window. Scores are rounded (`types::SCORE_DECIMALS`), so rows do
/// not depend on where window boundaries fall.
pub const WINDOW_SEQUENCES: usize = 2048;

/// The parties, their matcher and the model of a run.
pub struct Engine {
    pub parties: PartySet,
    pub matcher: PartyMatcher,
    pub scorer: Scorer,
    /// Whether the model runs on the CPU (then preparing shares its cores).
    pub on_cpu: bool,
}

/// An article segmented, matched and tokenized, ready for the model.
pub struct PreparedArticle {
    pub article: Article,
    pub sentences: Vec<SentenceTargets>,
    /// `sequences_per_request` encodings per target, in [`rows::requests`] order.
    pub encoded: Vec<Encoded>,
}

impl PreparedArticle {
    /// Requests (sentence, party pairs) of the article: its share of a
    /// window's scores.
    pub fn requests(&self) -> usize {
        self.sentences.iter().map(|s| s.targets.len()).sum()
    }

    /// Encodings longer than the model's maximum, which were cut.
    pub fn truncated(&self) -> u64 {
        self.encoded.iter().filter(|e| e.truncated).count() as u64
    }
}

impl Engine {
    /// Loads the parties file (or the built-in parties) and the model, as
    /// `stance score` does; errors are the ones the command line prints.
    pub fn load(
        model: Option<&str>,
        parties: Option<&Path>,
        device: DeviceChoice,
        batch_size: Option<usize>,
        token_budget: Option<usize>,
    ) -> anyhow::Result<Engine> {
        let parties = PartySet::from_option(parties)?;
        let matcher = PartyMatcher::new(&parties)?;
        let device = device::select(device)?;
        let scorer = Scorer::load(model, &device, &parties.templates)?
            .with_batch_limits(batch_size, token_budget)?;
        Ok(Engine {
            parties,
            matcher,
            scorer,
            on_cpu: device.is_cpu(),
        })
    }

    /// Segments, matches and tokenizes one article: every party of the file
    /// is a candidate in every sentence (mentioned, or implicit).
    pub fn prepare(&self, article: Article) -> anyhow::Result<PreparedArticle> {
        let spans = NewsSegmenter.split(&article.text);
        let candidates: Vec<usize> = (0..self.parties.parties.len()).collect();
        let sentences = rows::article_targets(&article.text, &spans, &self.matcher, &candidates);
        let mut encoded = Vec::new();
        for request in rows::requests(&article.text, &sentences, &self.parties) {
            encoded.extend(
                self.scorer
                    .encode(&request)
                    .with_context(|| format!("article {:?}", article.id))?,
            );
        }
        Ok(PreparedArticle {
            article,
            sentences,
            encoded,
        })
    }

    /// Scores of every target of every sentence of `articles`, in order.
    pub fn score_window(
        &self,
        articles: &[&PreparedArticle],
    ) -> anyhow::Result<Vec<RequestScores>> {
        let flat: Vec<&Encoded> = articles.iter().flat_map(|a| a.encoded.iter()).collect();
        let logits = self.scorer.logits(&flat)?;
        Ok(logits
            .chunks(self.scorer.sequences_per_request())
            .map(|chunk| self.scorer.probabilities(chunk))
            .collect())
    }

    /// The published rows of one prepared article from its scores.
    pub fn rows(&self, article: &PreparedArticle, scores: &[RequestScores]) -> Vec<ScoreRow> {
        rows::article_rows(
            &article.article,
            &article.sentences,
            scores,
            &self.scorer,
            &self.parties,
            Keep::Published,
        )
    }

    /// Rows of `articles`, in order: what `stance score` writes for them.
    /// Preparing runs on the current rayon pool (the caller chooses its size).
    pub fn score_articles(&self, articles: Vec<Article>) -> anyhow::Result<Vec<ScoreRow>> {
        let prepared: Vec<PreparedArticle> = articles
            .into_par_iter()
            .map(|article| self.prepare(article))
            .collect::<anyhow::Result<_>>()?;
        let mut out = Vec::new();
        for window in windows(&prepared, |article| article.encoded.len()) {
            let scores = self.score_window(&window)?;
            let mut at = 0;
            for article in window {
                let end = at + article.requests();
                out.extend(self.rows(article, &scores[at..end]));
                at = end;
            }
        }
        Ok(out)
    }
}

/// Consecutive items grouped into windows of about [`WINDOW_SEQUENCES`]
/// sequences: a window closes once its items' `sequences` reach the limit,
/// or when the items end. Its composition never depends on timing (how fast
/// a channel fills), so the batches, and the output bytes, are the same on
/// every run. Shared by [`Engine::score_articles`] and `stance score`.
pub(crate) fn windows<T>(
    items: impl IntoIterator<Item = T>,
    sequences: impl Fn(&T) -> usize,
) -> impl Iterator<Item = Vec<T>> {
    let mut items = items.into_iter();
    std::iter::from_fn(move || {
        let mut window = Vec::new();
        let mut total = 0usize;
        while total < WINDOW_SEQUENCES {
            let Some(item) = items.next() else { break };
            total = total.saturating_add(sequences(&item));
            window.push(item);
        }
        (!window.is_empty()).then_some(window)
    })
}
