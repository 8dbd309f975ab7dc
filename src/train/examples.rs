//! Training examples: every annotated sentence × its candidate parties,
//! with the labels and the holder targets.

use super::*;

/// Outputs of the head when training with holder outputs.
pub(super) const MAX_OUTPUTS: usize = NUM_LABELS + HOLDER_OUTPUTS;

/// One training or dev example: the labels, then (with holder outputs)
/// "holds" and "author"; `weight` 0 leaves an output out of the loss.
pub(super) struct Example {
    pub(super) input: Encoded,
    /// With `--party-swap`: the same example with the party's mentions
    /// renamed to another party, which takes over its condemn and support
    /// labels and its holder targets (see [`party_swap`]; its ceasefire
    /// label stays out of the loss, see `fine_tune::loss_weight`); training
    /// draws it instead of `input` with that probability each epoch.
    pub(super) swapped: Option<Encoded>,
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

/// The counterfactual of a sentence for one of its named parties: every
/// mention of `party` renamed to another party of the file that the sentence
/// does not name (drawn with `rng`), and that party's mentions in the new
/// sentence. `None` where the party is not named or no other party is left.
///
/// Why: the gold labels follow what is said about a party, not which party
/// it is, but news gives each party its habitual roles (the Palestinians are
/// rarely condemned, the United States often speaks). Renaming breaks that
/// prior, so the model has to read the role from the sentence.
fn party_swap(
    parties: &PartySet,
    matcher: &PartyMatcher,
    sentence: &str,
    party: usize,
    rng: &mut StdRng,
) -> Option<(String, usize, Vec<Mention>)> {
    let found = matcher.find(sentence);
    let own = found.iter().find(|m| m.party == party)?;
    let named: BTreeSet<usize> = found.iter().map(|m| m.party).collect();
    let others: Vec<usize> = (0..parties.parties.len())
        .filter(|p| !named.contains(p))
        .collect();
    if others.is_empty() {
        return None;
    }
    let other = others[rng.random_range(0..others.len())];
    let name = &parties.parties[other].name;
    let mut swapped = String::with_capacity(sentence.len());
    let mut from = 0;
    for mention in &own.mentions {
        swapped.push_str(&sentence[from..mention.start]);
        swapped.push_str(name);
        from = mention.end;
    }
    swapped.push_str(&sentence[from..]);
    // The new name must read as that party (and only where it was put).
    let mentions = party_mentions(matcher, &swapped, other);
    (mentions.len() == own.mentions.len()).then_some((swapped, other, mentions))
}

/// Builds examples for every annotated sentence of `gold`.
pub(super) fn examples(
    gold: &GoldSet,
    setup: &Setup,
    opts: &TrainOptions,
) -> anyhow::Result<Vec<Example>> {
    let (parties, matcher, tokenizer) = (&setup.parties, &setup.matcher, &setup.tokenizer);
    let (input, positive_weight) = (opts.input, opts.positive_weight);
    // Its own stream, so that the data order and initialisation of a run
    // without swaps stay as they were.
    let mut swap_rng = StdRng::seed_from_u64(opts.seed ^ 0x05ee_d5a9);
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
            let previous =
                eval::previous_sentence(&gold.articles[article].sentences, sentence_index);
            let request = ScoreRequest {
                sentence,
                previous,
                party: &parties.parties[p],
                mentions: &mentions,
            };
            let swapped = if opts.party_swap > 0.0 {
                party_swap(parties, matcher, sentence, p, &mut swap_rng)
            } else {
                None
            };
            let swapped = swapped
                .map(|(text, other, mentions)| {
                    let request = ScoreRequest {
                        sentence: &text,
                        previous,
                        party: &parties.parties[other],
                        mentions: &mentions,
                    };
                    score::encode_stance_input(tokenizer, &request, input)
                })
                .transpose()?;
            let (target, weight) = targets(
                gold_labels,
                sentence_holders.map(|h| h.contains(&party_id)),
                sentence_holders.map(|h| h.contains(holder::AUTHOR)),
                input,
                positive_weight,
            );
            out.push(Example {
                input: score::encode_stance_input(tokenizer, &request, input)?,
                swapped,
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

    /// The counterfactuals of `party` in `sentence` drawn with seeds 0..`draws`: (text, new party's id).
    fn swaps(sentence: &str, party: &str, draws: u64) -> Vec<(String, String)> {
        let parties = PartySet::extended();
        let matcher = PartyMatcher::new(&parties).unwrap();
        let p = parties.index_of(party).unwrap();
        (0..draws)
            .filter_map(|seed| {
                let mut rng = StdRng::seed_from_u64(seed);
                party_swap(&parties, &matcher, sentence, p, &mut rng)
            })
            .map(|(text, other, mentions)| {
                // The marked mentions are where the new name went.
                for m in &mentions {
                    assert_eq!(text[m.start..m.end], parties.parties[other].name);
                }
                (text, parties.parties[other].id.clone())
            })
            .collect()
    }

    #[test]
    fn a_party_swap_renames_every_mention_to_a_party_the_sentence_does_not_name() {
        let sentence = "Egypt condemned the killing of Palestinians and said Palestinians and Hamas must be spared.";
        let swapped = swaps(sentence, "palestinians", 40);
        assert!(swapped.len() >= 30, "most draws swap: {swapped:?}");
        for (text, other) in &swapped {
            assert!(
                !["palestinians", "hamas", "egypt"].contains(&other.as_str()),
                "{text}"
            );
            assert!(!text.contains("Palestinians"), "{text}");
            assert!(
                text.starts_with("Egypt condemned the killing of ")
                    && text.contains(" and Hamas must"),
                "{text}"
            );
        }
        let others: BTreeSet<&String> = swapped.iter().map(|(_, o)| o).collect();
        assert!(others.len() > 3, "the new party is drawn: {others:?}");
        // A party the sentence does not name has nothing to swap.
        assert!(swaps(sentence, "russia", 5).is_empty());
    }

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
