use super::*;
use crate::score::testing;
use crate::types::{RecordOrigin, CEASEFIRE, CONDEMN, SUPPORT};

mod condemnation;
mod holder;

/// An article of one sentence, its targets among the built-in parties
/// `ids` (named or implicit), and those parties.
fn one_sentence(text: &str, ids: &[&str]) -> (Article, Vec<SentenceTargets>, PartySet) {
    sentences_of(text, &[(0, text.len())], ids)
}

/// An article of the sentences at byte `spans` of `text`, their targets
/// among the built-in parties `ids`, and those parties.
fn sentences_of(
    text: &str,
    spans: &[(usize, usize)],
    ids: &[&str],
) -> (Article, Vec<SentenceTargets>, PartySet) {
    let parties = PartySet::builtin();
    let matcher = PartyMatcher::new(&parties).unwrap();
    let spans: Vec<SentenceSpan> = (spans.iter())
        .map(|&(start, end)| SentenceSpan { start, end })
        .collect();
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

/// The published rows of the article [`sentences_of`] makes, scored `all`
/// by a stub model (thresholds 0.5).
fn published_rows(
    text: &str,
    spans: &[(usize, usize)],
    ids: &[&str],
    all: &[RequestScores],
) -> Vec<ScoreRow> {
    let (article, sentences, parties) = sentences_of(text, spans, ids);
    let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
    article_rows(
        &article,
        &sentences,
        all,
        &scorer,
        &parties,
        Keep::Published,
    )
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
fn a_party_defended_against_a_charge_is_supported() {
    // The model reads "terrorist" as a condemnation.
    let rows = every_row(
        "Erdogan claimed Hamas was not a terrorist organisation.",
        &["hamas"],
        &[scores([0.8, 0.3, 0.0], 0.0, 0.1)],
    );
    assert_eq!(rows[0].labels, ["support"]);
    assert_eq!((rows[0].condemn, rows[0].support), (0.0, 0.9));
    assert_eq!(rows[0].holder.as_deref(), Some("other"));
    // And misses a defence of a party it seldom saw defended.
    let rows = every_row(
        "Israel rejected claims that the Palestinians were behind the blast.",
        &["israel", "palestinians"],
        &[
            scores([0.1, 0.0, 0.0], 0.9, 0.1), // israel, the speaker
            scores([0.3, 0.1, 0.0], 0.0, 0.1), // palestinians, defended
        ],
    );
    assert_eq!(rows[0].labels.len(), 0);
    assert_eq!(rows[1].labels, ["support"]);
    assert_eq!(rows[1].holder.as_deref(), Some("israel"));
}

#[test]
fn the_object_of_solidarity_is_supported_whoever_it_is() {
    let rows = every_row(
        "Iran expressed its full solidarity with Russia.",
        &["russia"],
        &[scores([0.0, 0.2, 0.0], 0.0, 0.1)],
    );
    assert_eq!(rows[0].labels, ["support"]);
    assert_eq!(rows[0].support, 0.9);
    // The model's own higher score stands.
    let rows = every_row(
        "Iran expressed its full solidarity with Russia.",
        &["russia"],
        &[scores([0.0, 0.97, 0.0], 0.0, 0.1)],
    );
    assert_eq!(rows[0].support, 0.97);
}

#[test]
fn renounced_force_is_a_call_on_the_belligerents() {
    let ids = ["israel", "hamas", "palestinians", "united_states"];
    let no_label = scores([0.0, 0.0, 0.1], 0.0, 0.1);
    let ceasefire = |text: &str| -> Vec<(String, f64)> {
        let rows = every_row(text, &ids, &[no_label; 4]);
        rows.iter()
            .map(|r| (r.party.clone(), r.ceasefire))
            .collect()
    };
    // Israel and Hamas named or not; the Palestinians only where named;
    // not the speaker, who is no side (its score stays the model's).
    let with = |values: [f64; 4]| -> Vec<(String, f64)> {
        ids.iter().map(|id| id.to_string()).zip(values).collect()
    };
    assert_eq!(
        ceasefire("Washington said the conflict cannot be solved by force."),
        with([0.9, 0.9, 0.1, 0.1])
    );
    assert_eq!(
        ceasefire("Washington said the war in Gaza cannot be won militarily."),
        with([0.9, 0.9, 0.9, 0.1])
    );
    // A call addressed to a party is the addressee rule's, not this one's.
    assert_eq!(
        ceasefire("Washington urged Israel to accept that the war cannot be won by force."),
        with([0.1, 0.1, 0.1, 0.1])
    );
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
    let ceasefire = ceasefire_scores(&rows);
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

/// (party, ceasefire probability) of every row.
fn ceasefire_scores(rows: &[ScoreRow]) -> Vec<(&str, f64)> {
    (rows.iter())
        .map(|r| (r.party.as_str(), r.ceasefire))
        .collect()
}

/// (party, labels, probability of `label`) of every row.
fn labelled(rows: &[ScoreRow], label: usize) -> Vec<(&str, Vec<String>, f64)> {
    let value = |r: &ScoreRow| [r.condemn, r.support, r.ceasefire][label];
    (rows.iter())
        .map(|r| (r.party.as_str(), r.labels.clone(), value(r)))
        .collect()
}

#[test]
fn a_named_cause_is_support_for_its_party_named_or_not() {
    // The Palestinians are not named; their cause is.
    let rows = every_row(
        "Moscow renewed its call for a two-state solution.",
        &["israel", "palestinians", "russia"],
        &[
            scores([0.0, 0.1, 0.0], 0.0, 0.1),
            scores([0.0, 0.2, 0.0], 0.0, 0.1),
            scores([0.0, 0.0, 0.0], 0.9, 0.1),
        ],
    );
    assert_eq!(
        labelled(&rows, SUPPORT),
        [
            ("israel", vec![], 0.1),
            ("palestinians", vec!["support".to_string()], 0.9),
            ("russia", vec![], 0.0)
        ]
    );
    assert_eq!(rows[1].holder.as_deref(), Some("russia"));
}

#[test]
fn a_levelled_charge_condemns_its_party_named_or_not() {
    // Israel is not named; the charge is levelled at it.
    let text = "He called the United States a partner in what he termed genocide in Gaza.";
    let ids = ["israel", "palestinians", "united_states"];
    let all = [
        scores([0.1, 0.0, 0.0], 0.0, 0.1),
        scores([0.0, 0.0, 0.0], 0.0, 0.1),
        scores([0.8, 0.0, 0.0], 0.0, 0.1),
    ];
    let rows = every_row(text, &ids, &all);
    assert_eq!(
        labelled(&rows, CONDEMN),
        [
            ("israel", vec!["condemn".to_string()], 0.9),
            ("palestinians", vec![], 0.0),
            ("united_states", vec!["condemn".to_string()], 0.8)
        ]
    );
    // Levelled at another party, the charge leaves Israel to the model.
    let rows = every_row(
        "Moscow called the genocide allegations against Hamas baseless.",
        &["israel", "hamas"],
        &all[..2],
    );
    assert_eq!(rows[0].condemn, 0.1);
}

#[test]
fn a_rejected_ceasefire_is_no_call() {
    let call = scores([0.0, 0.0, 0.9], 0.0, 0.1);
    let rows = every_row(
        "Blinken, who has rejected calls for a general ceasefire, met Netanyahu.",
        &["israel", "hamas"],
        &[call, call],
    );
    assert_eq!(
        labelled(&rows, CEASEFIRE),
        [("israel", vec![], 0.0), ("hamas", vec![], 0.0)]
    );
    // The same words as a call stay the model's.
    let rows = every_row(
        "Blinken renewed calls for a general ceasefire.",
        &["israel", "hamas"],
        &[call, call],
    );
    assert_eq!(rows[0].ceasefire, 0.9);
}

#[test]
fn a_condemnation_denied_plainly_condemns_no_one() {
    // The model reads "condemned" and labels its object.
    let rows = every_row(
        "The United States has never condemned Israel.",
        &["united_states", "israel"],
        &[
            scores([0.7, 0.0, 0.0], 0.1, 0.1), // israel, the object denied
            scores([0.1, 0.0, 0.0], 0.6, 0.1), // united_states
        ],
    );
    assert!(rows.iter().all(|r| r.labels.is_empty()), "{rows:?}");
    // Someone complaining of the failure condemns its object: left alone.
    let rows = every_row(
        "Israel regretted that the United States has never condemned Hamas.",
        &["israel", "hamas", "united_states"],
        &[
            scores([0.1, 0.0, 0.0], 0.7, 0.1), // israel, complaining
            scores([0.7, 0.0, 0.0], 0.1, 0.1), // hamas, the object
            scores([0.6, 0.0, 0.0], 0.1, 0.1), // united_states
        ],
    );
    assert_eq!(rows[1].party, "hamas");
    assert_eq!(rows[1].labels, ["condemn"]);
}

#[test]
fn a_ceasefire_call_on_the_palestinians_reaches_hamas() {
    let text = "Palestine and Israel alike were urged by Egypt to hold their fire.";
    let ids = ["israel", "hamas", "palestinians"];
    let call = [
        scores([0.0, 0.0, 0.9], 0.0, 0.1), // israel
        scores([0.0, 0.0, 0.1], 0.0, 0.1), // hamas, implicit: the model misses it
        scores([0.0, 0.0, 0.8], 0.0, 0.1), // palestinians
    ];
    let rows = every_row(text, &ids, &call);
    let ceasefire = ceasefire_scores(&rows);
    assert_eq!(
        ceasefire,
        [("israel", 0.9), ("hamas", 0.8), ("palestinians", 0.8)]
    );
    // Without a call on the Palestinians, Hamas keeps the model's score.
    let no_call = [call[0], call[1], scores([0.0, 0.0, 0.2], 0.0, 0.1)];
    let rows = every_row(text, &ids, &no_call);
    assert_eq!(rows[1].ceasefire, 0.1);
}
