//! The parties file's `addressed_with` against the gold data
//! (`score::addressee::reach_addressed_with`): the rule gives every party
//! listed there a ceasefire call labelled on the party that lists it (the
//! Palestinians -> Hamas), so in the annotated sentences of train, silver
//! and dev a ceasefire label on the one must come with one on the other.
//! Run with `--nocapture` to see the sentences that break it.

mod gold_support;

fn ceasefire(sentence: &gold_support::GoldSentence, party: &str) -> bool {
    sentence
        .rows
        .get(party)
        .is_some_and(|row| row["ceasefire"] == 1)
}

#[test]
fn annotators_give_hamas_every_ceasefire_call_on_the_palestinians() {
    let (parties, _) = gold_support::extended_parties();
    let pairs: Vec<(&str, &str)> = (parties.parties.iter())
        .flat_map(|p| p.addressed_with.iter().map(|w| (p.id.as_str(), w.as_str())))
        .collect();
    assert_eq!(
        pairs,
        [("palestinians", "hamas")],
        "the file's pairs changed"
    );
    let (mut calls, mut reached) = (0, 0);
    for split in ["train", "silver", "dev"] {
        for sentence in gold_support::sentences(split) {
            if !ceasefire(&sentence, "palestinians") {
                continue;
            }
            calls += 1;
            if ceasefire(&sentence, "hamas") {
                reached += 1;
            } else {
                println!("{split} {} no hamas call: {}", sentence.key, sentence.text);
            }
        }
    }
    println!("palestinians ceasefire calls: {calls}, with hamas: {reached}");
    // Measured: 152 sentences, every one with a hamas call.
    assert!(
        calls >= 100,
        "only {calls} sentences call on the Palestinians"
    );
    assert!(
        reached as f64 >= 0.95 * calls as f64,
        "{reached} of {calls} calls on the Palestinians reach Hamas in the gold data"
    );
}
