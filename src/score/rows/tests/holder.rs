//! The holder along the rows path: whose stance each row carries.

use super::*;

#[test]
fn a_party_marked_holder_false_holds_nothing_and_its_speech_is_others() {
    // Abbas is an alias of the Palestinians, who have `holder = false`: the
    // gold data give what he says to the Palestinian Authority (`other`).
    let text = "Abbas condemned the siege of Gaza by Israel. He said it must end.";
    let parties = PartySet::builtin();
    let matcher = PartyMatcher::new(&parties).unwrap();
    let spans = [
        SentenceSpan { start: 0, end: 44 },
        SentenceSpan { start: 45, end: 65 },
    ];
    let (israel, palestinians) = (
        parties.index_of("israel").unwrap(),
        parties.index_of("palestinians").unwrap(),
    );
    let sentences = article_targets(text, &spans, &matcher, &[israel, palestinians]);
    assert_eq!(sentences[0].targets[1].mentions[0].text, "Abbas");
    let scorer = testing::scorer(vec![0.0; 5], [1.0; 3]);
    let all = [
        scores([0.9, 0.0, 0.0], 0.1, 0.1), // israel, condemned
        scores([0.0, 0.0, 0.0], 0.9, 0.1), // palestinians, "holds" it by the model
        scores([0.9, 0.0, 0.0], 0.1, 0.1), // israel, condemned by "he"
        scores([0.0, 0.0, 0.0], 0.0, 0.1), // palestinians, implicit
    ];
    let rows = article_rows(
        &article(text),
        &sentences,
        &all,
        &scorer,
        &parties,
        Keep::All,
    );
    let holders: Vec<Option<&str>> = rows.iter().map(|r| r.holder.as_deref()).collect();
    assert_eq!(holders, [Some("other"), None, Some("other"), None]);

    // The same article with the Palestinians allowed to hold a stance.
    let mut open = parties.clone();
    open.parties[palestinians].holder = true;
    let rows = article_rows(&article(text), &sentences, &all, &scorer, &open, Keep::All);
    assert_eq!(rows[0].holder.as_deref(), Some("palestinians"));
    assert_eq!(rows[2].holder.as_deref(), Some("palestinians"));
}

#[test]
fn a_quotation_left_open_goes_on_until_the_paragraph_ends() {
    let text =
        "Russia said: “The siege of Gaza must end. We call on Israel to stop.\n\nIsrael must stop.";
    assert_eq!(&text[44..70], "We call on Israel to stop.");
    assert_eq!(&text[72..89], "Israel must stop.");
    let spans = [(0, 43), (44, 70), (72, 89)];
    let all = [
        scores([0.9, 0.0, 0.0], 0.1, 0.1), // israel, condemned
        scores([0.0, 0.0, 0.0], 0.9, 0.1), // russia, the speaker
        scores([0.0, 0.0, 0.9], 0.1, 0.1), // israel, called on inside the quotation
        scores([0.0, 0.0, 0.0], 0.0, 0.1), // russia, implicit
        scores([0.0, 0.0, 0.9], 0.1, 0.9), // israel, in the article's own voice
        scores([0.0, 0.0, 0.0], 0.0, 0.9), // russia, implicit
    ];
    let rows = published_rows(text, &spans, &["israel", "russia"], &all);
    let holders: Vec<(usize, Option<&str>)> = rows
        .iter()
        .filter(|r| r.party == "israel")
        .map(|r| (r.sentence_index, r.holder.as_deref()))
        .collect();
    assert_eq!(
        holders,
        [
            (0, Some("russia")),
            (1, Some("russia")),
            (2, Some("author"))
        ]
    );
}

#[test]
fn a_person_introduced_with_their_party_speaks_for_it_by_surname() {
    let text = "Senior Hamas official Karim Nasser spoke in Beirut. Nasser said Israel must end the siege.";
    assert_eq!(&text[52..90], "Nasser said Israel must end the siege.");
    let spans = [(0, 51), (52, 90)];
    // The model names no holder in the second sentence: Hamas is not named there.
    let all = [
        scores([0.0, 0.0, 0.0], 0.0, 0.1), // israel, implicit
        scores([0.0, 0.0, 0.0], 0.1, 0.1), // hamas, whose official is introduced
        scores([0.9, 0.0, 0.0], 0.0, 0.1), // israel, condemned by Nasser
        scores([0.0, 0.0, 0.0], 0.0, 0.1), // hamas, implicit
    ];
    let rows = published_rows(text, &spans, &["israel", "hamas"], &all);
    let condemned: Vec<(&str, Option<&str>)> = rows
        .iter()
        .filter(|r| !r.labels.is_empty())
        .map(|r| (r.party.as_str(), r.holder.as_deref()))
        .collect();
    assert_eq!(condemned, [("israel", Some("hamas"))]);
}

#[test]
fn a_vetoed_drafts_call_is_its_sponsors_and_the_rest_the_speakers() {
    let text = "Russia condemned the American veto of a draft that demanded a ceasefire in Gaza.";
    let ids = ["israel", "hamas", "united_states", "russia"];
    let all = [
        scores([0.0, 0.0, 0.9], 0.0, 0.1), // israel, called on by the draft
        scores([0.0, 0.0, 0.9], 0.0, 0.1), // hamas, implicit
        scores([0.9, 0.0, 0.0], 0.1, 0.1), // united_states, condemned
        scores([0.0, 0.0, 0.0], 0.9, 0.1), // russia, the speaker
    ];
    let rows = every_row(text, &ids, &all);
    let holders: Vec<(&str, Option<&str>)> = rows
        .iter()
        .map(|r| (r.party.as_str(), r.holder.as_deref()))
        .collect();
    assert_eq!(
        holders,
        [
            ("israel", Some("other")),
            ("hamas", Some("other")),
            ("united_states", Some("russia")),
            ("russia", None),
        ]
    );
    // Its sponsor named, the call is the sponsor's.
    let text = "Russia vetoed a United States draft that demanded a ceasefire in Gaza.";
    let sponsored = [all[0], all[1], scores([0.0, 0.0, 0.0], 0.2, 0.1), all[3]];
    let rows = every_row(text, &ids, &sponsored);
    assert_eq!(rows[0].holder.as_deref(), Some("united_states"));
    // A call of the speaker's own keeps its holder.
    let text = "Russia called for a ceasefire in Gaza and condemned the American veto.";
    let rows = every_row(text, &ids, &all);
    assert_eq!(rows[0].holder.as_deref(), Some("russia"));
}

#[test]
fn a_credited_source_holds_the_stance_and_is_not_its_target() {
    // The model leans to the party named first and condemns the source too.
    let rows = every_row(
        "In Israel's view, the brutal attacks by Hamas are a crime.",
        &["israel", "hamas"],
        &[
            scores([0.6, 0.0, 0.0], 0.3, 0.1), // israel, the source
            scores([0.9, 0.0, 0.0], 0.6, 0.1), // hamas, the target
        ],
    );
    assert!(rows[0].labels.is_empty(), "{rows:?}");
    assert_eq!(rows[1].labels, ["condemn"]);
    assert_eq!(rows[1].holder.as_deref(), Some("israel"));
}

#[test]
fn the_subject_who_condemns_holds_the_stance_and_is_not_its_target() {
    // The model condemns the one laying the blame and holds it the target's.
    let rows = every_row(
        "Israel put the blame for the collapse of the truce squarely on Hamas.",
        &["israel", "hamas"],
        &[
            scores([0.7, 0.0, 0.0], 0.3, 0.1), // israel, the subject
            scores([0.9, 0.0, 0.0], 0.6, 0.1), // hamas, the blamed
        ],
    );
    assert!(rows[0].labels.is_empty(), "{rows:?}");
    assert_eq!(rows[1].labels, ["condemn"]);
    assert_eq!(rows[1].holder.as_deref(), Some("israel"));
}

#[test]
fn the_head_speaker_holds_over_the_model() {
    // "rejected" is a verb of speech and stance: its subject at the head of
    // the sentence holds the defence, though the model leans to the target.
    let rows = every_row(
        "Russia rejected claims that Hamas was behind the blast.",
        &["hamas", "russia"],
        &[
            scores([0.0, 0.9, 0.0], 0.7, 0.1), // hamas, defended
            scores([0.0, 0.0, 0.0], 0.4, 0.1), // russia, the speaker
        ],
    );
    assert_eq!(rows[0].labels, ["support"]);
    assert_eq!(rows[0].holder.as_deref(), Some("russia"));
    // Not when the head names the target of a headline's passive.
    let rows = every_row(
        "Hamas accused of war crimes by Russia",
        &["hamas", "russia"],
        &[
            scores([0.9, 0.0, 0.0], 0.2, 0.1), // hamas, accused
            scores([0.0, 0.0, 0.0], 0.6, 0.1), // russia, the accuser
        ],
    );
    assert_eq!(rows[0].labels, ["condemn"]);
    assert_eq!(rows[0].holder.as_deref(), Some("russia"));
}
