use super::*;

fn matcher() -> (PartySet, PartyMatcher) {
    let set = PartySet::builtin();
    let matcher = PartyMatcher::new(&set).unwrap();
    (set, matcher)
}

/// (party id, mention text) pairs found in `text`, in party order.
fn found(text: &str) -> Vec<(String, String)> {
    let (set, matcher) = matcher();
    let mut out = Vec::new();
    for pm in matcher.find(text) {
        for m in pm.mentions {
            assert_eq!(
                &text[m.start..m.end],
                m.text,
                "offsets must slice to the mention"
            );
            out.push((set.parties[pm.party].id.clone(), m.text));
        }
    }
    out
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|&(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn embedded_files_parse() {
    let set = PartySet::builtin();
    assert_eq!(
        set.ids(),
        ["israel", "hamas", "palestinians", "united_states", "russia"]
    );
    assert_eq!(set.parties[3].name, "United States");
    assert_eq!(set.index_of("russia"), Some(4));
    assert_eq!(set.index_of("iran"), None);
    assert_eq!(set.parties[2].addressed_with, ["hamas"]);
    let belligerents: Vec<&str> = (set.parties.iter())
        .filter(|p| p.belligerent)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(belligerents, ["israel", "hamas", "palestinians"]);
    assert!(set.ceasefire_target(0) && !set.ceasefire_target(3));
    let when_named: Vec<&str> = (set.parties.iter())
        .filter(|p| p.ceasefire_when_named)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(when_named, ["palestinians"]);
    let extended = PartySet::extended();
    assert_eq!(extended.ids()[..5], set.ids()[..]);
    assert_eq!(extended.parties.len(), 15);
    let holders: Vec<&str> = (set.parties.iter())
        .filter(|p| !p.holder)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(holders, ["palestinians"], "`holder = false`");
    let marked = |set: &PartySet| -> Vec<(bool, bool, bool)> {
        (set.parties.iter())
            .map(|p| (p.belligerent, p.ceasefire_when_named, p.holder))
            .collect()
    };
    assert_eq!(
        marked(&extended)[..5],
        marked(&set)[..],
        "the five kept in sync"
    );
    // The phrase lists of the five, each with one phrase it must hold.
    type Phrases = fn(&Party) -> &Vec<String>;
    let lists: [(&str, Phrases, usize, &str); 3] = [
        ("unnamed_acts", |p| &p.unnamed_acts, 1, "attack from Gaza"),
        ("causes", |p| &p.causes, 2, "Palestinian state"),
        ("charges", |p| &p.charges, 0, "collective punishment"),
    ];
    for (field, phrases, party, phrase) in lists {
        let of = |set: &PartySet| -> Vec<Vec<String>> {
            (set.parties.iter()).map(|p| phrases(p).clone()).collect()
        };
        assert!(of(&set)[party].contains(&phrase.to_string()), "{field}");
        assert_eq!(
            of(&extended)[..5],
            of(&set)[..],
            "{field}: the five kept in sync"
        );
    }
    assert!(
        !marked(&extended)[5..]
            .iter()
            .any(|&(belligerent, _, holder)| belligerent || !holder),
        "the guidelines' sides are the three, and the other parties can hold a stance"
    );
    PartyMatcher::new(&extended).unwrap();
}

#[test]
fn word_boundaries() {
    assert_eq!(found("Israelis fled."), pairs(&[("israel", "Israelis")]));
    assert_eq!(
        found("Shamash and Hamasi are not Hamas."),
        pairs(&[("hamas", "Hamas")])
    );
    assert_eq!(found("Israelite tribes"), pairs(&[]));
    // Letters of other scripts are word characters too.
    assert_eq!(
        found("éIsrael Israelé Israel"),
        pairs(&[("israel", "Israel")])
    );
    // Hyphens and brackets are boundaries.
    assert_eq!(
        found("the Hamas-run health ministry (IDF) pro-Israel"),
        pairs(&[("israel", "IDF"), ("israel", "Israel"), ("hamas", "Hamas")])
    );
}

#[test]
fn acronyms_are_case_sensitive() {
    assert_eq!(
        found("Tell us what the US and the U.S. want."),
        pairs(&[("united_states", "US"), ("united_states", "U.S.")])
    );
    assert_eq!(found("Us and us"), pairs(&[]));
    assert_eq!(AliasCase::default_for("U.S."), AliasCase::Exact);
    assert_eq!(AliasCase::default_for("Israel"), AliasCase::Ignore);
    assert_eq!(AliasCase::default_for("A"), AliasCase::Ignore);
}

#[test]
fn headline_caps_match() {
    assert_eq!(
        found("ISRAEL POUNDS GAZA AS HAMAS HOLDS HOSTAGES, US SAYS"),
        pairs(&[
            ("israel", "ISRAEL"),
            ("hamas", "HAMAS"),
            ("palestinians", "GAZA"),
            ("united_states", "US")
        ])
    );
}

#[test]
fn possessives_and_curly_apostrophes() {
    assert_eq!(
        found("Israel's army, Israel’s allies, the Israelis' fear, Hamas’ leaders"),
        pairs(&[
            ("israel", "Israel"),
            ("israel", "Israel"),
            ("israel", "Israelis"),
            ("hamas", "Hamas")
        ])
    );
}

#[test]
fn longest_match_wins() {
    assert_eq!(
        found("the Palestinian Authority said"),
        pairs(&[("palestinians", "Palestinian Authority")])
    );
    assert_eq!(
        found("the US National Security Council"),
        pairs(&[
            ("united_states", "US"),
            ("united_states", "National Security Council")
        ])
    );
    // An exclusion phrase hides the shorter alias inside it.
    assert_eq!(
        found("Abbas Kamel met Mahmoud Abbas"),
        pairs(&[("palestinians", "Mahmoud Abbas")])
    );
}

#[test]
fn offsets_are_bytes_and_slice() {
    let text = "«Ísrael» — 🇮🇱 Israel’s reply to Ḥamas and Hamas";
    let (_, matcher) = matcher();
    let found = matcher.find(text);
    let all: Vec<&Mention> = found.iter().flat_map(|pm| &pm.mentions).collect();
    assert_eq!(all.len(), 2);
    for m in all {
        assert_eq!(&text[m.start..m.end], m.text);
    }
    assert_eq!(found[0].mentions[0].start, text.find("Israel").unwrap());
}

#[test]
fn never_panics_on_odd_input() {
    let (_, matcher) = matcher();
    let rtl = "إسرائيل \u{202E}Israel\u{202C} حماس";
    for text in [
        "",
        "\0",
        "\0Hamas\0",
        "🙂Israel🙂",
        rtl,
        "U.S",
        "'s",
        "’",
        "Israel'",
        "US’",
    ] {
        for pm in matcher.find(text) {
            for m in pm.mentions {
                assert_eq!(&text[m.start..m.end], m.text);
            }
        }
    }
    // A 5 MB line is handled in one pass.
    let big = "Hamas and Israel, ".repeat(5_000_000 / 18);
    let found = matcher.find(&big);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].mentions.len(), big.len() / 18);
    let unbroken = "Israel".repeat(1_000_000);
    assert!(matcher.find(&unbroken).is_empty());
}

#[test]
fn results_are_ordered_by_party_then_text() {
    let (set, matcher) = matcher();
    let found = matcher.find("Russia and Hamas; Israel, then Hamas again.");
    let ids: Vec<&str> = found
        .iter()
        .map(|pm| set.parties[pm.party].id.as_str())
        .collect();
    assert_eq!(ids, ["israel", "hamas", "russia"]);
    let starts: Vec<usize> = found[1].mentions.iter().map(|m| m.start).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn custom_parties_replace_the_defaults() {
    let toml = r#"
        [templates]
        condemn = "The author blames {party}."

        [[party]]
        id = "red"
        name = "Red Team"
        aliases = ["Red Team", "Reds", "RT", { text = "rt", case = "exact" }, { text = "Crimson", case = "exact" }]

        [[party]]
        id = "blue"
        name = "Blue Team"
        aliases = ["Blues"]
        exclude = ["Blues Brothers"]
    "#;
    let set = PartySet::from_toml_str(toml, "teams.toml").unwrap();
    assert_eq!(set.ids(), ["red", "blue"]);
    assert_eq!(set.templates.condemn, "The author blames {party}.");
    assert_eq!(set.templates.support, Templates::default().support);
    assert_eq!(
        set.templates.hypotheses("Red Team")[0],
        "The author blames Red Team."
    );
    let matcher = PartyMatcher::new(&set).unwrap();
    let text = "REDS and rt and Rt and crimson; the Blues Brothers; the blues; Israel";
    let found: Vec<(usize, Vec<String>)> = matcher
        .find(text)
        .into_iter()
        .map(|pm| (pm.party, pm.mentions.into_iter().map(|m| m.text).collect()))
        .collect();
    assert_eq!(
        found,
        [
            (0, vec!["REDS".to_string(), "rt".to_string()]),
            (1, vec!["blues".to_string()])
        ]
    );
}

fn error_of(toml: &str) -> String {
    format!(
        "{:#}",
        PartySet::from_toml_str(toml, "my-parties.toml").unwrap_err()
    )
}

#[test]
fn errors_name_the_file_and_the_problem() {
    let missing_id = error_of("[[party]]\nname = \"X\"\naliases = [\"X\"]\n");
    assert!(
        missing_id.starts_with("my-parties.toml:") && missing_id.contains("missing field `id`"),
        "{missing_id}"
    );

    let dup = error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\n[[party]]\nid = \"a\"\nname = \"B\"\naliases = [\"B\"]\n");
    assert!(
        dup.starts_with(
            "my-parties.toml: line 6: duplicate party id \"a\" (first defined on line 2)"
        ),
        "{dup}"
    );

    let empty = error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = []\n");
    assert!(
        empty.contains("my-parties.toml: line 2: party \"a\" has no aliases"),
        "{empty}"
    );

    let unknown =
        error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\nalias = [\"B\"]\n");
    assert!(
        unknown.contains("my-parties.toml") && unknown.contains("unknown field `alias`"),
        "{unknown}"
    );

    let bad = error_of("[[party]]\nid = \"a\"\nname = \"A\naliases = [\"A\"]\n");
    assert!(
        bad.contains("my-parties.toml") && bad.contains("line 3"),
        "{bad}"
    );

    let when_named = error_of(
        "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\nceasefire_when_named = true\n",
    );
    assert!(
        when_named.contains("my-parties.toml: line 2: party \"a\" has `ceasefire_when_named` but is not a belligerent"),
        "{when_named}"
    );

    let one_word_act = error_of(
        "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\nunnamed_acts = [\"attack\"]\n",
    );
    assert!(
        one_word_act.contains(
            "my-parties.toml: line 2: party \"a\" has the `unnamed_acts` phrase \"attack\""
        ),
        "{one_word_act}"
    );

    let empty_cause =
        error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\ncauses = [\" \"]\n");
    assert!(
        empty_cause.contains("my-parties.toml: line 2: party \"a\" has an empty `causes` phrase"),
        "{empty_cause}"
    );

    let empty_charge =
        error_of("[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\ncharges = [\"\"]\n");
    assert!(
        empty_charge.contains("my-parties.toml: line 2: party \"a\" has an empty `charges` phrase"),
        "{empty_charge}"
    );

    let slug = error_of("[[party]]\nid = \"United States\"\nname = \"A\"\naliases = [\"A\"]\n");
    assert!(slug.contains("must be a non-empty slug"), "{slug}");

    let template = error_of(
        "[templates]\ncondemn = \"bad\"\n[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\n",
    );
    assert!(
        template.contains("has no {party} placeholder"),
        "{template}"
    );

    let none = error_of("[templates]\ncondemn = \"{party}\"\n");
    assert!(none.contains("defines no parties"), "{none}");

    let bad_case = error_of(
        "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [{ text = \"A\", case = \"upper\" }]\n",
    );
    assert!(
        bad_case.contains("my-parties.toml") && bad_case.contains("an alias: a string, or a table"),
        "{bad_case}"
    );
    let addressed_with = error_of(
        "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"A\"]\naddressed_with = [\"b\"]\n",
    );
    assert!(
        addressed_with
            .starts_with("my-parties.toml: line 2: party \"a\" lists \"b\" in `addressed_with`"),
        "{addressed_with}"
    );
}

#[test]
fn from_file_reads_and_reports_the_path() {
    let dir = std::env::temp_dir().join(format!("stance-parties-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("p.toml");
    std::fs::write(
        &path,
        "[[party]]\nid = \"a\"\nname = \"A\"\naliases = [\"Alpha\"]\n",
    )
    .unwrap();
    assert_eq!(PartySet::from_file(&path).unwrap().ids(), ["a"]);
    let missing = dir.join("missing.toml");
    let err = format!("{:#}", PartySet::from_file(&missing).unwrap_err());
    assert!(err.contains("missing.toml"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
