//! A charge levelled at a party without naming it: "what he termed genocide
//! and ethnic cleansing in Gaza", "answering them with collective
//! punishment". The guidelines' condemnation is an accusation of
//! wrongdoing; some charges of this war are levelled at one side only, so
//! the word is the accusation and its target together. Which charges are
//! whose is a fact of the conflict, so the parties file lists them
//! (`charges`); the model, which scores a party from what the sentence
//! says about it by name, misses such a sentence when the party is not
//! named or named far from the charge.

use super::{may_name_phrase, phrase_matches, CLAUSE_BREAKS};
use crate::score::speaker::{capitalised, words};
use crate::types::Mention;

/// Words that deny a charge within [`DENIAL_REACH`] words before it ("is
/// not genocide", "we do not believe that genocide has occurred", "no
/// genocide").
const DENIALS: &[&str] = &[
    "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't",
];

/// Nouns of a charge ("the genocide allegations against Hamas", "rejected
/// claims that Hamas …"), shared with the defence reader of `support`.
pub(in crate::score) const CHARGE_NOUNS: &[&str] = &[
    "claim",
    "claims",
    "allegation",
    "allegations",
    "accusation",
    "accusations",
    "charge",
    "charges",
];

/// How far before a charge a denial reaches; "not a war but a genocide"
/// is no denial ("but" ends it).
const DENIAL_REACH: usize = 3;

/// Whether `sentence` levels one of `charges` (the phrases of a party's
/// `charges` in the parties file, matched as unnamed acts are: a plural for
/// a singular, up to two words between) at the party whose mentions in it
/// are `own` (empty where it is not named): the charge is not denied
/// within [`DENIAL_REACH`] words before it, and it is not levelled at
/// another name. Another name levels it when its possessive stands right
/// before it ("Hamas's genocidal rhetoric", "Russia's collective
/// punishment of Ukrainians"; "Netanyahu's genocidal war", a mention of
/// the party, is the party's), when it follows as the one accused or the
/// agent ("the genocide allegations against Hamas", "genocide committed by
/// Russia"; "genocide against the Palestinians" names the victims,
/// "charges brought by South Africa" the accuser), or when it stands
/// between "accused" or "charged" and the charge ("accused Moscow of
/// genocide"; "accused Israel of genocide" is the party's).
pub fn levels_charge<S: AsRef<str>>(sentence: &str, charges: &[S], own: &[Mention]) -> bool {
    if !may_name_phrase(sentence, charges) {
        return false;
    }
    let found = words(sentence);
    let word = |i: usize| {
        found
            .get(i)
            .map_or(String::new(), |w| w.2.replace('’', "'"))
    };
    let in_clause =
        |from: usize, to: usize| !sentence[found[from].1..found[to].0].contains(CLAUSE_BREAKS);
    let denied = |first: usize| {
        (first.saturating_sub(DENIAL_REACH)..first).any(|at| {
            DENIALS.contains(&word(at).as_str())
                && (at + 1..first).all(|i| word(i) != "but")
                && in_clause(at, first)
        })
    };
    // A capitalised word that is no mention of the party: another name.
    let another_name = |at: usize| {
        let (start, end) = (found[at].0, found[at].1);
        capitalised(sentence, start) && !own.iter().any(|m| m.start <= start && end <= m.end + 2)
    };
    let another_possessive = |first: usize| {
        (first.saturating_sub(2)..first).any(|at| {
            let text = &sentence[found[at].0..found[at].1];
            let possessive = sentence[found[at].1..].starts_with(['\'', '’'])
                || text.ends_with("'s")
                || text.ends_with("’s");
            possessive && another_name(at)
        })
    };
    let levelled_at_another_after = |last: usize| {
        let next = |k: usize| word(last + k);
        let reported = CHARGE_NOUNS.contains(&next(1).as_str()) || next(1) == "case";
        let committed = matches!(next(1).as_str(), "committed" | "perpetrated");
        // The word after which the one accused or the agent is named.
        let link = if (reported && next(2) == "against") || (committed && next(2) == "by") {
            last + 2
        } else if next(1) == "by" {
            last + 1
        } else {
            return false;
        };
        in_clause(last, link) && (link + 1..found.len().min(link + 3)).any(another_name)
    };
    let levelled_at_another_before = |first: usize| {
        (first.saturating_sub(5)..first).any(|at| {
            (word(at).starts_with("accus") || word(at).starts_with("charg"))
                && in_clause(at, first)
                && (at + 1..first).any(another_name)
        })
    };
    phrase_matches(sentence, &found, charges)
        .into_iter()
        .any(|(first, last)| {
            !denied(first)
                && !another_possessive(first)
                && !levelled_at_another_after(last)
                && !levelled_at_another_before(first)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    const CHARGES: &[&str] = &[
        "genocide",
        "genocidal",
        "collective punishment",
        "collectively punishing",
    ];

    #[test]
    fn a_charge_is_levelled_named_or_not() {
        for s in [
            "He called the United States a partner in what he termed genocide in Gaza.",
            "Lavrov denounced the collective punishment being inflicted on Gaza's civilians.",
            "It amounts to collectively punishing a people who are besieged.",
            "Lula said what is happening in Gaza is not a war but a genocide.",
            "Nor can the collective punishment of the Palestinian people be justified.",
            "It offers no justification for the collective punishment of civilians.",
        ] {
            assert!(levels_charge(s, CHARGES, &[]), "{s}");
        }
        let s = "Abbas urged the world to stop Netanyahu's genocidal war.";
        assert!(levels_charge(s, CHARGES, &[mention_of(s, "Netanyahu")]));
        let s = "South Africa accused Israel of genocide.";
        assert!(levels_charge(s, CHARGES, &[mention_of(s, "Israel")]));
        for s in [
            "Netanyahu said the claim that Israel is committing genocide against the Palestinians is false.",
            "Israel called the genocide charges brought by South Africa false.",
            "The court cited the Genocide Convention against Palestinians in Gaza.",
        ] {
            assert!(levels_charge(s, CHARGES, &[]), "{s}");
        }
        let s = "Moscow called the genocide allegations against Israel baseless.";
        assert!(levels_charge(s, CHARGES, &[mention_of(s, "Israel")]));
    }

    #[test]
    fn denied_and_others_charges_are_not_levelled() {
        for s in [
            "Washington said it does not believe that genocide has occurred in Gaza.",
            "The minister said there was no genocide.",
            "Hamas's genocidal rhetoric was condemned.",
            "Russia's collective punishment of Ukrainians goes on.",
            "Moscow called the genocide allegations against Hamas baseless.",
            "Israel accused Hamas of genocide.",
            "It charged Moscow with collective punishment.",
            "It spoke of genocide committed by Russia.",
            "The talks were about aid.",
        ] {
            assert!(!levels_charge(s, CHARGES, &[]), "{s}");
        }
        assert!(!levels_charge("A genocide.", &[] as &[&str], &[]));
    }
}
