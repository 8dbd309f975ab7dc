//! Condemnation along the rows path: who is condemned, and who is not.

use super::*;

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
fn the_one_who_condemns_in_a_passive_holds_the_condemnation() {
    // The model takes the name after "condemned by" for a target.
    let rows = every_row(
        "Hamas was condemned by Israel for the attack.",
        &["israel", "hamas"],
        &[
            scores([0.7, 0.0, 0.0], 0.2, 0.1), // israel, the one condemning
            scores([0.4, 0.0, 0.0], 0.1, 0.1), // hamas, the object
        ],
    );
    assert_eq!(rows[0].labels.len(), 0);
    assert_eq!(rows[1].labels, ["condemn"]);
    assert_eq!(rows[1].condemn, 0.9);
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

#[test]
fn the_agent_of_a_condemned_unnamed_act_is_condemned() {
    // Hamas is not named; the parties file names the act as its own.
    let rows = every_row(
        "Germany denounced the attacks from Gaza.",
        &["israel", "hamas", "palestinians"],
        &[
            scores([0.1, 0.0, 0.0], 0.0, 0.1),
            scores([0.03, 0.0, 0.0], 0.0, 0.1),
            scores([0.2, 0.0, 0.0], 0.0, 0.1),
        ],
    );
    assert_eq!(rows[1].party, "hamas");
    assert_eq!(
        (rows[1].labels.clone(), rows[1].condemn),
        (vec!["condemn".to_string()], 0.9)
    );
    assert!(rows[0].labels.is_empty() && rows[2].labels.is_empty());
    assert_eq!(rows[1].holder.as_deref(), Some("other"));
}

#[test]
fn an_unnamed_party_is_not_condemned_beside_a_named_target() {
    // The model condemns Israel, not named, from the words of condemnation.
    let rows = every_row(
        "In Washington's view, the brutal attacks by Hamas are a crime.",
        &["israel", "hamas", "united_states"],
        &[
            scores([0.7, 0.0, 0.0], 0.0, 0.1), // israel, not named
            scores([0.9, 0.0, 0.0], 0.2, 0.1), // hamas, the target
            scores([0.1, 0.0, 0.0], 0.6, 0.1), // united_states, the source
        ],
    );
    let condemned: Vec<&str> = (rows.iter())
        .filter(|r| !r.labels.is_empty())
        .map(|r| r.party.as_str())
        .collect();
    assert_eq!(condemned, ["hamas"], "{rows:?}");
    // An unnamed party's own charge keeps its label beside a named target.
    let rows = every_row(
        "He called the United States a partner in what he termed genocide.",
        &["israel", "united_states"],
        &[
            scores([0.7, 0.0, 0.0], 0.0, 0.1), // israel, charged
            scores([0.9, 0.0, 0.0], 0.1, 0.1), // united_states, the partner
        ],
    );
    assert_eq!(rows[0].labels, ["condemn"]);
    assert_eq!(rows[1].labels, ["condemn"]);
}

#[test]
fn the_one_who_commits_a_crime_is_condemned() {
    let rows = every_row(
        "According to Israel, Hamas committed war crimes in the war.",
        &["israel", "hamas"],
        &[
            scores([0.1, 0.0, 0.0], 0.5, 0.1), // israel, the source
            scores([0.1, 0.0, 0.0], 0.1, 0.1), // hamas, the accused
        ],
    );
    assert!(rows[0].labels.is_empty());
    assert_eq!(
        (rows[1].labels.clone(), rows[1].condemn),
        (vec!["condemn".into()], 0.9)
    );
    assert_eq!(rows[1].holder.as_deref(), Some("israel"));
}
