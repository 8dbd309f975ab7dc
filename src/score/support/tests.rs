use super::*;
use crate::score::testing::mention_of;

fn solidarity(sentence: &str, name: &str) -> bool {
    solidarity_object(sentence, &mention_of(sentence, name))
}

fn defence(sentence: &str, name: &str) -> Option<Defence> {
    defended(sentence, &mention_of(sentence, name))
}

#[test]
fn the_object_of_solidarity_is_found_whoever_it_is() {
    let cases = [
        ("Iran expressed its full solidarity with Russia.", "Russia"),
        ("'We stand with Israel,' Schumer said.", "Israel"),
        ("Moscow stands firmly by Hamas.", "Hamas"),
        (
            "Turkey offered condolences to the Palestinian people.",
            "Palestinian",
        ),
        ("Our thoughts are with the people of Israel.", "Israel"),
        ("Tehran is on the side of Hamas.", "Hamas"),
        ("He accused Biden of siding with Hamas.", "Hamas"),
        ("Kyiv stood shoulder to shoulder with Israel.", "Israel"),
    ];
    for (s, name) in cases {
        assert!(solidarity(s, name), "{s}");
    }
}

#[test]
fn denied_solidarity_other_sides_and_other_clauses_are_not() {
    let cases = [
        ("Russia does not stand with Hamas.", "Hamas"),
        ("There was no solidarity with Israel.", "Israel"),
        ("Troops stood on the Gaza side of the border.", "Gaza"),
        ("They stand with us, and Israel knows it.", "Israel"),
        ("Solidarity grew as Israel struck.", "Israel"),
        ("He spoke with Hamas.", "Hamas"),
        ("A state living side by side with Israel.", "Israel"),
    ];
    for (s, name) in cases {
        assert!(!solidarity(s, name), "{s}");
    }
}

#[test]
fn a_party_defended_against_a_charge_is_found() {
    let cleared = [
        (
            "Iran rejected claims that Hamas was behind the blast.",
            "Hamas",
        ),
        (
            "He dismissed reports that the Palestinians were obstructing talks.",
            "Palestinians",
        ),
        (
            "Israel denied that Israeli forces struck the hospital.",
            "Israeli",
        ),
        (
            "Biden said Israel had nothing to do with the explosion.",
            "Israel",
        ),
        (
            "Israel bore no responsibility for the bombing, he said.",
            "Israel",
        ),
        ("Moscow insists Hamas is not to blame.", "Hamas"),
        ("He said Russia was not behind the attack.", "Russia"),
    ];
    for (s, name) in cleared {
        assert_eq!(defence(s, name), Some(Defence::Cleared), "{s}");
    }
    let rejected = [
        (
            "Germany rejected the accusation of genocide against Israel as baseless.",
            "Israel",
        ),
        (
            "He called the genocide allegations against Israel false.",
            "Israel",
        ),
    ];
    for (s, name) in rejected {
        assert_eq!(defence(s, name), Some(Defence::ChargeRejected), "{s}");
    }
}

#[test]
fn charges_made_or_not_denied_are_no_defence() {
    let cases = [
        ("Israel rejected the Hamas proposal.", "Hamas"),
        ("He did not deny that Hamas was behind the attack.", "Hamas"),
        (
            "South Africa filed genocide charges against Israel.",
            "Israel",
        ),
        ("Reports said Hamas was behind the blast.", "Hamas"),
        (
            "Israel denied entry to aid, and Hamas fired rockets.",
            "Hamas",
        ),
        ("Hamas had no comment.", "Hamas"),
        ("Russia was not invited.", "Russia"),
    ];
    for (s, name) in cases {
        assert_eq!(defence(s, name), None, "{s}");
    }
}

#[test]
fn a_denied_terrorist_label_is_found_after_its_subject() {
    let cases = [
        (
            "Erdogan claimed Hamas was not a terrorist organisation.",
            "Hamas",
        ),
        (
            "Russia said Hamas is not a terrorist organisation.",
            "Hamas",
        ),
        (
            "He said Hamas leader Ismail Haniyeh is not a terrorist.",
            "Hamas",
        ),
        ("Ankara holds that Hamas is no terrorist group.", "Hamas"),
        (
            "Its fighters, he said, aren't terrorists: Hamas isn't terrorist.",
            "Hamas",
        ),
        (
            "He said Hamas is not an outright terrorist movement.",
            "Hamas",
        ),
        (
            "Moscow said Hamas is a resistance movement, not a terrorist group.",
            "Hamas",
        ),
    ];
    for (s, name) in cases {
        assert!(terrorist_label_denied(s, &mention_of(s, name)), "{s}");
    }
}

#[test]
fn a_terrorist_label_that_stands_is_not_denied() {
    let cases = [
        ("Canada says Hamas is a terrorist organisation.", "Hamas"),
        (
            "Israel says Hamas is a terrorist group, not a resistance movement.",
            "Hamas",
        ),
        (
            "Hamas is not only a terrorist group but a death cult.",
            "Hamas",
        ),
        (
            "Russia has not designated Hamas a terrorist group.",
            "Russia",
        ),
        ("Israel is not alone in calling Hamas terrorists.", "Israel"),
        (
            "Hamas attacked; it is not clear who the terrorists were.",
            "Hamas",
        ),
        (
            "Hamas attacked Israel, which is not a terrorist state.",
            "Hamas",
        ),
        (
            "The United States said Israel is not a terrorist organisation.",
            "United States",
        ),
    ];
    for (s, name) in cases {
        assert!(!terrorist_label_denied(s, &mention_of(s, name)), "{s}");
    }
}

fn praised(sentence: &str, name: &str) -> bool {
    praised_object(sentence, &mention_of(sentence, name))
}

#[test]
fn the_object_of_praise_or_thanks_is_found() {
    let cases = [
        ("Hamas thanked Qatar and Egypt for their efforts.", "Egypt"),
        (
            "He thanked Iran, Turkey and Russia for their support.",
            "Russia",
        ),
        ("Iran hails Hamas victory", "Hamas"),
        (
            "The movement has repeatedly praised Moscow's stance.",
            "Moscow",
        ),
        ("Thanking the US for its backing, he replied.", "US"),
        (
            "It welcomed what it called Russia's tireless efforts.",
            "Russia",
        ),
        ("Qatar welcomed Russia's efforts to end the war.", "Russia"),
        (
            "He commended Prime Minister Benjamin Netanyahu.",
            "Netanyahu",
        ),
        ("Haniyeh congratulates Putin on re-election.", "Putin"),
    ];
    for (s, name) in cases {
        assert!(praised(s, name), "{s}");
    }
}

#[test]
fn hosting_causes_denied_praise_and_other_clauses_are_not_praise() {
    let cases = [
        // "welcomed" with a party as its object is hosting a visitor
        ("The UAE president welcomed the Russian leader.", "Russian"),
        ("Kremlin welcomes Gaza truce", "Gaza"),
        // "thanks to" names a cause
        ("The deal came thanks to Qatar's mediation.", "Qatar"),
        ("He refused to praise Israel.", "Israel"),
        ("He did not thank Washington.", "Washington"),
        ("They praised the deal, Russia said.", "Russia"),
        ("He praised the courage of Israeli soldiers.", "Israeli"),
        ("Hamas was praised by Iran.", "Iran"),
    ];
    for (s, name) in cases {
        assert!(!praised(s, name), "{s}");
    }
}

/// The Palestinians' causes in both shipped parties files.
const CAUSES: &[&str] = &[
    "two-state",
    "two states",
    "Palestinian state",
    "Palestinian statehood",
];

#[test]
fn a_cause_is_found_in_its_spellings() {
    let cases = [
        "He urged that a Palestinian state be created.",
        "Work should start at once on Palestinian statehood.",
        "It backs an independent, sovereign Palestinian state within the 1967 borders.",
        "The kingdom renewed its appeal for a two-state solution.",
        "The only way out is a just peace based on two states.",
        "Leaders have renewed their push for the Palestinians' own state.",
    ];
    for s in cases {
        assert!(names_cause(s, CAUSES), "{s}");
    }
}

#[test]
fn other_states_and_statements_are_no_cause() {
    let cases = [
        "Russia holds contacts with the Palestinians and Arab states.",
        "The Palestinian statement was read out.",
        "The Palestinian envoy said the state of Israel must stop.",
        "Two Palestinian militants and the states of the region.",
        "The observer State of Palestine said the vote was a turning point.",
    ];
    for s in cases {
        assert!(!names_cause(s, CAUSES), "{s}");
    }
    assert!(!names_cause("A Palestinian state.", &[] as &[&str]));
}

#[test]
fn a_party_said_to_deserve_support_or_to_have_a_right_is_supported() {
    let reads =
        |sentence: &str, name: &str| deserving_or_entitled(sentence, &mention_of(sentence, name));
    assert!(reads(
        "“Israel deserves the world's support,” he said.",
        "Israel"
    ));
    assert!(reads(
        "He defended the right of the Pentagon to defend itself.",
        "Pentagon"
    ));
    assert!(reads(
        "Israel's right to self-defence is not in question.",
        "Israel"
    ));
    assert!(reads(
        "They backed the Palestinians' right to a state.",
        "Palestinians"
    ));
    assert!(!reads("Israel deserves condemnation, he said.", "Israel"));
    assert!(!reads(
        "He denied the right of Hamas to rule Gaza.",
        "Hamas"
    ));
    assert!(!reads("Israel turned right to avoid the crowd.", "Israel"));
}

#[test]
fn the_first_person_with_a_party_is_solidarity() {
    let reads =
        |sentence: &str, name: &str| solidarity_object(sentence, &mention_of(sentence, name));
    assert!(reads("“We are with Israel,” the minister said.", "Israel"));
    assert!(reads(
        "“We are fully with the Palestinians,” she said.",
        "Palestinians"
    ));
    assert!(!reads("The talks are with Hamas, officials said.", "Hamas"));
    assert!(reads(
        "Washington pledged unwavering support to Israel.",
        "Israel"
    ));
    assert!(reads(
        "France renewed its full backing for Israel.",
        "Israel"
    ));
}
