//! The condemnation rules against the gold data (`score::condemnation`): a
//! party that the rule reads as the object of a condemnation ("condemned
//! the attack by Hamas", "accused Israel of …", "Russia was condemned by
//! …") must almost always be condemned in that sentence by the annotators,
//! and at least as often as the probability the rule gives it
//! (`CONDEMNED_OBJECT_PROBABILITY`), or the rule would add false positives
//! and overstate its confidence; and the one who condemns ("condemned by
//! the United States") must almost never be, since the rule takes its
//! label. Every (annotated sentence, party the matcher finds) pair of
//! train, silver and dev is read with the extended parties file; a pair
//! without a gold row is gold 0 (closed world). Run with `--nocapture` to
//! see the pairs.

mod gold_support;

use stance::score::condemnation::{
    commits_crime, condemned_object, condemned_unnamed_act, condemning_agent, held_responsible,
    levels_charge,
};
use stance::score::rules::CONDEMNED_OBJECT_PROBABILITY;
use stance::score::speaker;

#[test]
fn annotators_condemn_the_object_of_a_condemnation() {
    let counts = gold_support::pairs_where(
        |text, mentions| mentions.iter().any(|m| condemned_object(text, m)),
        |row| row["condemn"] == 1,
    );
    // Measured: 52 pairs, 49 condemned.
    gold_support::assert_share_at_least(
        "condemned-object",
        counts,
        35,
        CONDEMNED_OBJECT_PROBABILITY,
    );
}

#[test]
fn annotators_do_not_condemn_the_one_who_condemns() {
    let counts = gold_support::pairs_where(
        |text, mentions| {
            mentions.iter().any(|m| condemning_agent(text, m))
                && !mentions.iter().any(|m| condemned_object(text, m))
        },
        |row| row["condemn"] == 1,
    );
    // Measured: 5 pairs, none condemned.
    gold_support::assert_seldom_labelled("condemning-agent", counts, 3);
}

#[test]
fn annotators_condemn_the_agent_of_a_condemned_unnamed_act() {
    let counts = gold_support::party_pairs_where(
        |text, party, _| condemned_unnamed_act(text, &party.unnamed_acts),
        |row| row["condemn"] == 1,
    );
    // Measured: 4 pairs, 4 condemned (the guidelines' rule, seldom in news
    // text that names the agent beside the act).
    gold_support::assert_share_at_least(
        "unnamed-act agent",
        counts,
        3,
        CONDEMNED_OBJECT_PROBABILITY,
    );
}

#[test]
fn annotators_condemn_the_party_a_charge_is_levelled_at() {
    let counts = gold_support::party_pairs_where(
        |text, party, mentions| levels_charge(text, &party.charges, mentions),
        |row| row["condemn"] == 1,
    );
    // Measured: 54 pairs, 50 condemned (0.926); the four others deny the
    // charge further back ("had not seen any acts in Gaza that amounted to
    // genocide"), dismiss the accuser ("in no position to lecture anyone
    // about collective punishment") or level it at Hamas without a name
    // beside the word ("calls for Jewish genocide").
    gold_support::assert_share_at_least("charged party", counts, 30, CONDEMNED_OBJECT_PROBABILITY);
}

#[test]
fn annotators_condemn_the_one_who_commits_a_crime() {
    let counts = gold_support::pairs_where(
        |text, mentions| mentions.iter().any(|m| commits_crime(text, m)),
        |row| row["condemn"] == 1,
    );
    // Measured: 6 pairs, 6 condemned.
    gold_support::assert_share_at_least("crime's subject", counts, 3, CONDEMNED_OBJECT_PROBABILITY);
}

#[test]
fn annotators_seldom_support_the_object_of_a_condemnation() {
    let counts = gold_support::pairs_where(
        |text, mentions| mentions.iter().any(|m| condemned_object(text, m)),
        |row| row["support"] == 1,
    );
    // Measured: 52 pairs, 3 supported (mixed sentences: the rule keeps a
    // label where the party is also an object of solidarity, praise or
    // defence).
    gold_support::assert_seldom_labelled("condemned-object support", counts, 35);
}

#[test]
fn annotators_seldom_condemn_or_support_the_speaker_of_an_opening_quotation() {
    let speaker_only = |text: &str, mentions: &[stance::types::Mention]| {
        !mentions.is_empty() && (mentions.iter()).all(|m| speaker::quote_speaker(text, m))
    };
    let counts = gold_support::pairs_where(speaker_only, |row| {
        row["condemn"] == 1 || row["support"] == 1
    });
    // Measured: 14 pairs, 1 labelled ("“Our war is against Hamas
    // terrorists, not against Palestinian civilians,” Netanyahu said").
    gold_support::assert_seldom_labelled("quotation speaker", counts, 5);
}

#[test]
fn annotators_condemn_the_party_held_responsible_for_a_harm() {
    let counts = gold_support::pairs_where(
        |text, mentions| (mentions.iter()).any(|m| held_responsible(text, m)),
        |row| row["condemn"] == 1,
    );
    gold_support::assert_share_at_least(
        "held-responsible",
        counts,
        3,
        CONDEMNED_OBJECT_PROBABILITY,
    );
}
