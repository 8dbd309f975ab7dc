use super::*;

#[test]
fn marks_mentions() {
    let m = |s, e| Mention {
        text: String::new(),
        start: s,
        end: e,
    };
    assert_eq!(
        mark_mentions("Israel and Hamas", &[m(0, 6)]),
        "«Israel» and Hamas"
    );
    assert_eq!(mark_mentions("a b", &[m(0, 1), m(2, 3)]), "«a» «b»");
    // overlapping second span is skipped, text intact
    assert_eq!(mark_mentions("abc", &[m(0, 2), m(1, 3)]), "«ab»c");
}

fn fixture_tokenizer(max_length: usize) -> Tokenizer {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parity/bert/tokenizer.json");
    configure_tokenizer(load_tokenizer(&path).unwrap(), max_length).unwrap()
}

fn party(name: &str) -> Party {
    Party::new(name.to_lowercase(), name, vec![name.to_string()])
}

#[test]
fn previous_sentence_follows_the_sentence_after_a_separator() {
    let tokenizer = fixture_tokenizer(128);
    let sep = tokenizer.token_to_id("[SEP]").unwrap();
    let hamas = party("hamas");
    let request = |previous| ScoreRequest {
        sentence: "it was terrorism .",
        previous,
        party: &hamas,
        mentions: &[],
    };
    let context = InputOptions {
        previous_sentence: true,
        ..Default::default()
    };
    let plain =
        encode_stance_input(&tokenizer, &request("the attack"), InputOptions::default()).unwrap();
    let empty = encode_stance_input(&tokenizer, &request("  "), context).unwrap();
    assert_eq!(plain.ids, empty.ids, "an empty context adds nothing");
    let with = encode_stance_input(&tokenizer, &request("the attack"), context).unwrap();
    assert_eq!(
        &with.ids[..plain.ids.len() - 1],
        &plain.ids[..plain.ids.len() - 1],
        "the sentence comes first, unchanged"
    );
    // [CLS] party [SEP] sentence [SEP] context [SEP]
    assert_eq!(with.ids.iter().filter(|&&id| id == sep).count(), 3);
    assert_eq!(with.ids[plain.ids.len() - 1], sep);
    // Truncation cuts the context before the sentence.
    let short = fixture_tokenizer(plain.ids.len() + 1);
    let cut =
        encode_stance_input(&short, &request("a long context sentence here"), context).unwrap();
    assert_eq!(&cut.ids[..plain.ids.len()], &plain.ids[..]);
}

#[test]
fn speaker_cue_follows_the_name_only_for_a_speaking_party() {
    let tokenizer = fixture_tokenizer(128);
    let us = party("United States");
    let sentence = "The United States condemns the attacks by Hamas.";
    let mentions = [Mention {
        text: "The United States".into(),
        start: 0,
        end: 17,
    }];
    let request = ScoreRequest {
        sentence,
        previous: "",
        party: &us,
        mentions: &mentions,
    };
    let cue = InputOptions {
        speaker_cue: true,
        ..Default::default()
    };
    let with = encode_stance_input(&tokenizer, &request, cue).unwrap();
    let without = encode_stance_input(&tokenizer, &request, InputOptions::default()).unwrap();
    assert!(
        with.ids.len() > without.ids.len(),
        "the cue adds tokens to the first segment"
    );
    let hamas = party("Hamas");
    let target = [Mention {
        text: "Hamas".into(),
        start: 42,
        end: 47,
    }];
    let object = ScoreRequest {
        sentence,
        previous: "",
        party: &hamas,
        mentions: &target,
    };
    assert_eq!(
        encode_stance_input(&tokenizer, &object, cue).unwrap(),
        encode_stance_input(&tokenizer, &object, InputOptions::default()).unwrap()
    );
}

#[test]
fn addressee_cue_marks_the_addressed_party_and_the_others() {
    let tokenizer = fixture_tokenizer(128);
    let sentence = "Egypt urged Israel to show restraint.";
    let (israel, hamas) = (party("Israel"), party("Hamas"));
    let mentions = [Mention {
        text: "Israel".into(),
        start: 12,
        end: 18,
    }];
    let addressed = ScoreRequest {
        sentence,
        previous: "",
        party: &israel,
        mentions: &mentions,
    };
    let implicit = ScoreRequest {
        sentence,
        previous: "",
        party: &hamas,
        mentions: &[],
    };
    let cue = InputOptions {
        addressee_cue: true,
        ..Default::default()
    };
    let plain = InputOptions::default();
    let with = |r: &ScoreRequest, o| encode_stance_input(&tokenizer, r, o).unwrap().ids;
    assert!(with(&addressed, cue).len() > with(&addressed, plain).len());
    assert!(with(&implicit, cue).len() > with(&implicit, plain).len());
    assert_ne!(with(&addressed, cue)[..4], with(&implicit, cue)[..4]);
    // No call with an addressee: no cue for anyone.
    let open = ScoreRequest {
        sentence: "Egypt called for a ceasefire in Gaza.",
        previous: "",
        party: &hamas,
        mentions: &[],
    };
    assert_eq!(with(&open, cue), with(&open, plain));
}

#[test]
fn trained_probabilities_are_sigmoids_of_tempered_logits_and_holder_outputs() {
    let scorer = testing::scorer(vec![2.0, 0.0, -1.0, 3.0, -3.0], [2.0, 1.0, 0.5]);
    let scores = scorer.probabilities(&[vec![2.0, 0.0, -1.0, 3.0, -3.0]]);
    let expected = [sigmoid(1.0), 0.5, sigmoid(-2.0)];
    for (got, want) in scores.labels.iter().zip(expected) {
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    }
    // The holder outputs are not tempered.
    let holder = scores.holder.expect("holder outputs");
    assert!((holder[0] - sigmoid(3.0)).abs() < 1e-6 && (holder[1] - sigmoid(-3.0)).abs() < 1e-6);
    // 0.5 is at the threshold: labelled; below it: not.
    assert_eq!(
        scorer.labels_for(&[0.5, 0.49994, 0.9]),
        ["condemn", "ceasefire"]
    );
}

#[test]
fn finds_nli_labels_by_name() {
    let labels: Vec<String> = ["CONTRADICTION", "NEUTRAL", "ENTAILMENT"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(nli_label_ids(&labels).unwrap(), (2, 0));
    let deberta: Vec<String> = ["entailment", "neutral", "contradiction"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(nli_label_ids(&deberta).unwrap(), (0, 2));
    let two: Vec<String> = ["entailment", "not_entailment"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(nli_label_ids(&two).unwrap(), (0, 1));
    assert!(nli_label_ids(&["LABEL_0".to_string(), "LABEL_1".to_string()]).is_err());
}
