use super::*;
use crate::score::testing::mention_of;

fn object(sentence: &str, name: &str) -> bool {
    condemned_object(sentence, &mention_of(sentence, name))
}

#[test]
fn the_object_of_a_condemnation_is_found_whoever_it_is() {
    let cases = [
        (
            "Israel condemned the attack by the Palestinians.",
            "Palestinians",
        ),
        (
            "Hamas accused the Palestine Liberation Organization of war crimes.",
            "Palestine",
        ),
        (
            "Moscow blamed the Palestinians for the collapse of the talks.",
            "Palestinians",
        ),
        ("Biden condemns Iran's 'brazen attack'.", "Iran"),
        (
            "Putin unequivocally condemns the appalling violence by Hamas.",
            "Hamas",
        ),
        (
            "The summit issued a strong condemnation of Israel's campaign.",
            "Israel",
        ),
        ("Erdan slams Russia for hosting Hamas.", "Russia"),
        (
            "The EU not only condemned Hamas but cut its funds.",
            "Hamas",
        ),
        (
            "They accused the government of Israel of war crimes.",
            "Israel",
        ),
        ("It voiced its denunciation of Israel.", "Israel"),
        (
            "Israel was condemned by the Arab League for the strikes.",
            "Israel",
        ),
        ("Hamas has been widely accused of war crimes.", "Hamas"),
        ("Russia's conduct was sharply criticised.", "Russia"),
        ("Hamas attacks were denounced around the world.", "Hamas"),
        (
            "Egypt put the blame for the collapse of the truce squarely on Hamas.",
            "Hamas",
        ),
        (
            "Lavrov blamed the impasse on Washington's policies.",
            "Washington",
        ),
        ("Jordan condemned both Hamas and Israel.", "Israel"),
        (
            "Jordan condemned Hamas and Israel for the violence.",
            "Israel",
        ),
        // An office ends the first object; a title and name follow the second.
        (
            "The Kremlin condemned both the Israeli army and Hamas.",
            "Hamas",
        ),
        (
            "Blinken condemned both Israeli Defence Minister Yoav Gallant and Hamas political chief Khaled Meshaal.",
            "Hamas",
        ),
        ("Egypt lashed out at Israel over the strikes.", "Israel"),
        ("Moscow branded Washington a threat to peace.", "Washington"),
        (
            "Hamas came under fierce criticism from Israel on Tuesday.",
            "Hamas",
        ),
        ("On Monday, Russia faced condemnation abroad.", "Russia"),
    ];
    for (s, name) in cases {
        assert!(object(s, name), "{s}");
    }
}

#[test]
fn holders_agents_of_other_verbs_and_denials_are_not_objects() {
    let cases = [
        ("Israel condemned the attack by the Palestinians.", "Israel"),
        (
            "The attacks were unequivocally condemned by the United States.",
            "United States",
        ),
        ("Russia did not condemn Hamas in its statement.", "Hamas"),
        ("Malaysia refused to condemn Hamas.", "Hamas"),
        ("Moscow's failure to condemn Hamas drew criticism.", "Hamas"),
        ("He condemned the attack on Israel.", "Israel"),
        ("She condemned the violence and met Hamas leaders.", "Hamas"),
        ("They condemned it: \"Hamas must go\".", "Hamas"),
        (
            "Joining the condemnations, the British minister spoke.",
            "British",
        ),
        ("Hamas praised Russia.", "Russia"),
        ("Erdogan condemned the bombing of Gaza.", "Gaza"),
        (
            "Egypt condemned the killing of Palestinians.",
            "Palestinians",
        ),
        ("Israel has been accused of war crimes in Gaza.", "Gaza"),
        ("The strikes drew condemnation in Washington.", "Washington"),
        (
            "Egypt condemned the attack and Israel vowed revenge.",
            "Israel",
        ),
        (
            "Egypt condemned the Israeli army and Hamas leader Yahya Sinwar vowed revenge.",
            "Hamas",
        ),
        (
            "Russia was criticised for failing to condemn Hamas.",
            "Hamas",
        ),
        ("Moscow has yet to condemn Hamas.", "Hamas"),
        ("It stopped short of condemning Hamas.", "Hamas"),
        ("Russia didn’t condemn Hamas.", "Hamas"),
        (
            "Biden condemned the attacks — Israel has the right to act.",
            "Israel",
        ),
        ("The attack on Israel was condemned by Egypt.", "Israel"),
        ("Israel was not condemned in the text.", "Israel"),
        (
            "Hamas came under fierce criticism from Israel on Tuesday.",
            "Israel",
        ),
        ("Gaza came under fire from Israeli tanks.", "Gaza"),
        ("Egypt condemned Hamas and Israel vowed revenge.", "Israel"),
        ("Cairo blamed Israel for the attack on Gaza.", "Gaza"),
        ("Sisi blamed the strikes on the Gaza side.", "Gaza"),
        ("Russia blamed the strikes on Gaza.", "Gaza"),
        ("Egypt refused to put the blame on Hamas.", "Hamas"),
        (
            "The attacks were condemned by the United States.",
            "United States",
        ),
    ];
    for (s, name) in cases {
        assert!(!object(s, name), "{s}");
    }
}

#[test]
fn the_one_who_condemns_follows_by() {
    let agent = |s: &str, name: &str| condemning_agent(s, &mention_of(s, name));
    assert!(agent(
        "The attacks were condemned by the United States.",
        "United States"
    ));
    assert!(agent("It drew criticism by Moscow.", "Moscow"));
    assert!(!agent("Israel condemned the attack by Hamas.", "Hamas"));
    assert!(!agent("Israel condemned the attack by Hamas.", "Israel"));
}

#[test]
fn a_condemned_act_without_its_agent_is_found_in_its_shapes() {
    let found = [
        (
            "Germany denounced the attacks from Gaza.",
            "attack from Gaza",
        ),
        ("India condemned the October 7 attack.", "October 7 attack"),
        (
            "Paris strongly condemned the October 7 terrorist attack as barbaric.",
            "October 7 attack",
        ),
        (
            "France condemned the terrorist attacks under way against Israel.",
            "terrorist attack against Israel",
        ),
        (
            "The attacks from Gaza were widely condemned in Europe.",
            "attack from Gaza",
        ),
        ("Turkey condemned the siege of Gaza.", "siege of Gaza"),
    ];
    for (sentence, act) in found {
        assert!(condemned_unnamed_act(sentence, &[act]), "{sentence}");
    }
}

#[test]
fn an_act_with_its_agent_named_or_not_condemned_is_not_found() {
    let not_found = [
        // The agent named: the model and the object rule read it.
        (
            "Iran condemned Hezbollah's attack from Gaza.",
            "attack from Gaza",
        ),
        (
            "Canada condemned the attack from Gaza by Islamic Jihad.",
            "attack from Gaza",
        ),
        // No condemnation, or a denied one.
        (
            "Rockets were fired in an attack from Gaza.",
            "attack from Gaza",
        ),
        (
            "The statement did not condemn the October 7 attack.",
            "October 7 attack",
        ),
        // A clause break or "and" between the act's words.
        (
            "He condemned the attack, which came from Gaza.",
            "attack from Gaza",
        ),
        (
            "They condemned the siege and the hunger of Gaza.",
            "siege of Gaza",
        ),
        // Too many words between the act's words.
        (
            "She condemned the attack that was launched early on Saturday from Gaza.",
            "attack from Gaza",
        ),
    ];
    for (sentence, act) in not_found {
        assert!(!condemned_unnamed_act(sentence, &[act]), "{sentence}");
    }
}
