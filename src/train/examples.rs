//! Training examples: every annotated sentence × its candidate parties,
//! with the labels and the holder targets.

use super::*;

/// Outputs of the head when training with holder outputs.
const MAX_OUTPUTS: usize = NUM_LABELS + HOLDER_OUTPUTS;

/// One training or dev example: the labels, then (with holder outputs)
/// "holds" and "author"; `weight` 0 leaves an output out of the loss.
pub(super) struct Example {
    pub(super) input: Encoded,
    pub(super) target: [f32; MAX_OUTPUTS],
    pub(super) weight: [f32; MAX_OUTPUTS],
}

/// Gold holder slugs that name a party of the extended file by another name.
fn holder_slug(slug: &str) -> &str {
    match slug {
        "eu" => "european_union",
        "uk" => "united_kingdom",
        "us" | "usa" => "united_states",
        "un" => "united_nations",
        other => other,
    }
}

/// Holders of each annotated sentence: everyone who holds one of its
/// stances (gold slugs, normalised by [`holder_slug`]).
fn holders_by_sentence(gold: &GoldSet) -> HashMap<(usize, usize), BTreeSet<String>> {
    let index = gold.article_index();
    let mut holders: HashMap<(usize, usize), BTreeSet<String>> = HashMap::new();
    for row in gold.rows.iter().filter(|r| r.labels().iter().any(|&l| l)) {
        let slugs = row
            .holder
            .iter()
            .flat_map(|h| h.split(';'))
            .map(|h| holder_slug(h.trim()).to_string());
        holders
            .entry((index[row.article_id.as_str()], row.sentence_index))
            .or_default()
            .extend(slugs);
    }
    holders
}

/// Targets and loss weights of one example: the labels; with holder
/// outputs, "holds" (is this party among the sentence's holders: 0 in a
/// sentence without stance) and "author" (only where there is a stance).
/// `holds` and `author` are `None` in a sentence without stance. A
/// positive label weighs `positive_weight` in the loss.
fn targets(
    labels: [bool; NUM_LABELS],
    holds: Option<bool>,
    author: Option<bool>,
    input: InputOptions,
    positive_weight: f32,
) -> ([f32; MAX_OUTPUTS], [f32; MAX_OUTPUTS]) {
    let mut target = [0.0; MAX_OUTPUTS];
    let mut weight = [0.0; MAX_OUTPUTS];
    for l in 0..NUM_LABELS {
        target[l] = if labels[l] { 1.0 } else { 0.0 };
        weight[l] = if labels[l] { positive_weight } else { 1.0 };
    }
    if input.holder_outputs {
        target[NUM_LABELS] = holds.unwrap_or(false) as u8 as f32;
        weight[NUM_LABELS] = 1.0;
        if let Some(author) = author {
            target[NUM_LABELS + 1] = author as u8 as f32;
            weight[NUM_LABELS + 1] = 1.0;
        }
    }
    (target, weight)
}

/// Builds examples for every annotated sentence of `gold`.
pub(super) fn examples(
    gold: &GoldSet,
    setup: &Setup,
    input: InputOptions,
    positive_weight: f32,
) -> anyhow::Result<Vec<Example>> {
    let (parties, matcher, tokenizer) = (&setup.parties, &setup.matcher, &setup.tokenizer);
    let index = gold.article_index();
    // Parties annotated per article: the closed world of that article.
    let mut article_parties: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for row in gold.rows.iter().filter(|r| r.party != eval::gold::NO_PARTY) {
        article_parties
            .entry(index[row.article_id.as_str()])
            .or_default()
            .insert(row.party.clone());
    }
    let all_parties = gold.parties();
    let world: HashMap<(usize, usize, String), [bool; NUM_LABELS]> = gold
        .closed_world(&all_parties)
        .into_iter()
        .map(|p| ((p.article, p.sentence, p.party.clone()), p.gold))
        .collect();
    let holders = holders_by_sentence(gold);
    let mut out = Vec::new();
    for (article, sentence_index) in gold.annotated_sentences() {
        let sentence = &gold.articles[article].sentences[sentence_index];
        let sentence_holders = holders.get(&(article, sentence_index));
        let found = matcher.find(sentence);
        let mut candidates: BTreeSet<String> =
            article_parties.get(&article).cloned().unwrap_or_default();
        candidates.extend(found.iter().map(|m| parties.parties[m.party].id.clone()));
        for party_id in candidates {
            let Some(p) = parties.index_of(&party_id) else {
                continue;
            };
            let gold_labels = world
                .get(&(article, sentence_index, party_id.clone()))
                .copied()
                .unwrap_or([false; NUM_LABELS]);
            let mentions = party_mentions(matcher, sentence, p);
            let request = ScoreRequest {
                sentence,
                previous: eval::previous_sentence(
                    &gold.articles[article].sentences,
                    sentence_index,
                ),
                party: &parties.parties[p],
                mentions: &mentions,
            };
            let (target, weight) = targets(
                gold_labels,
                sentence_holders.map(|h| h.contains(&party_id)),
                sentence_holders.map(|h| h.contains(holder::AUTHOR)),
                input,
                positive_weight,
            );
            out.push(Example {
                input: score::encode_stance_input(tokenizer, &request, input)?,
                target,
                weight,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_positive_label_weighs_the_positive_weight_and_a_negative_one() {
        let input = InputOptions {
            holder_outputs: true,
            ..Default::default()
        };
        let (target, weight) = targets([true, false, true], Some(true), None, input, 2.0);
        assert_eq!(target[..NUM_LABELS], [1.0, 0.0, 1.0]);
        assert_eq!(weight[..NUM_LABELS], [2.0, 1.0, 2.0]);
        // The holder outputs keep weight 1 ("author" is out of the loss without a stance).
        assert_eq!(weight[NUM_LABELS..], [1.0, 0.0]);
        let (_, plain) = targets([true, false, false], None, None, input, 1.0);
        assert_eq!(plain[..NUM_LABELS], [1.0; NUM_LABELS]);
    }
}
