//! A condemnation denied in the sentence's own report: "America has never
//! condemned Israel", "The Kremlin pointedly avoided any criticism of
//! Hamas". The guidelines give no condemnation to an actor that fails to
//! condemn ("by failing to condemn Hamas → no condemnation by that actor"),
//! while the model reads the condemnation word and labels its object.
//! Where someone complains of the failure ("regretted that the draft failed
//! to condemn Hamas", "abstained because the text did not condemn Hamas"),
//! the gold data do condemn the object, held by the one complaining; each
//! such sentence of train and silver has a verb of speech or a word of
//! complaint, so only a sentence with neither is read here.

use super::{after_title, condemnation_before, Stated, CONDEMNATION};
use crate::score::speaker::{words, SPEECH_VERBS};
use crate::types::Mention;

/// Word beginnings of a complaint about a failure to condemn, or of its
/// reason ("regretted that", "a disgrace that", "because the text did not").
const COMPLAINT: &[&str] = &[
    "regret", "disgrace", "reproach", "fault", "appal", "shame", "outrag", "deplor", "lament",
    "complain", "protest", "because", "since", "serious", "unable", "rebuk",
];

/// Whether every one of `mentions` (a party's, offsets relative to
/// `sentence`) is the object of a denied condemnation ("has never condemned
/// Israel") and the sentence voices no complaint of it: no verb of speech,
/// no word of complaint and no other condemnation.
/// A person's name after their title ("Israeli Defence Minister Yoav
/// Gallant") is the object the mention before the title already is.
pub fn denied_without_complaint(sentence: &str, mentions: &[Mention]) -> bool {
    let objects: Vec<&Mention> = (mentions.iter())
        .filter(|m| !after_title(sentence, m))
        .collect();
    let denied = !objects.is_empty()
        && (objects.iter()).all(|m| condemnation_before(sentence, m) == Some(Stated::Denied));
    denied && !complains(sentence)
}

fn complains(sentence: &str) -> bool {
    let words = words(sentence);
    let begins = |stems: &[&str], w: &str| stems.iter().any(|stem| w.starts_with(stem));
    let condemnations = (words.iter())
        .filter(|w| begins(CONDEMNATION, &w.2))
        .count();
    condemnations > 1
        || (words.iter()).any(|w| SPEECH_VERBS.contains(&w.2.as_str()) || begins(COMPLAINT, &w.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testing::mention_of;

    fn denied(sentence: &str, name: &str) -> bool {
        denied_without_complaint(sentence, &[mention_of(sentence, name)])
    }

    #[test]
    fn a_denied_condemnation_reported_plainly() {
        assert!(denied("America has never condemned Israel.", "Israel"));
        assert!(denied(
            "The Kremlin pointedly avoided any criticism of Hamas.",
            "Hamas"
        ));
        assert!(denied("Malaysia refused to condemn Hamas.", "Hamas"));
        assert!(denied(
            "Beijing did not condemn the attack by Hamas.",
            "Hamas"
        ));
    }

    #[test]
    fn a_denied_condemnation_of_a_titled_person() {
        let sentence = "Lavrov has never condemned Israeli Defence Minister Yoav Gallant.";
        let mentions = [
            mention_of(sentence, "Israeli"),
            mention_of(sentence, "Yoav Gallant"),
        ];
        assert!(denied_without_complaint(sentence, &mentions));
        // A name after a title alone is no object the rule can read.
        let alone = "Lavrov has never condemned the group's political chief Haniyeh.";
        assert!(!denied_without_complaint(
            alone,
            &[mention_of(alone, "Haniyeh")]
        ));
    }

    #[test]
    fn an_affirmed_or_complained_of_condemnation_is_left_alone() {
        assert!(!denied("America condemned Israel.", "Israel"));
        assert!(!denied(
            "Russia not only condemned Hamas but cut ties.",
            "Hamas"
        ));
        assert!(!denied(
            "She regretted that the draft failed to condemn Hamas.",
            "Hamas"
        ));
        assert!(!denied(
            "Washington abstained because the text did not condemn Hamas.",
            "Hamas"
        ));
        assert!(!denied(
            "Israel said Russia had never condemned Hamas.",
            "Hamas"
        ));
        assert!(!denied(
            "Israel condemned Moscow, which has never condemned Hamas.",
            "Hamas"
        ));
        // a party named elsewhere in the sentence too
        let s = "Hamas fired rockets, yet Cairo has never condemned Hamas.";
        let last = s.rfind("Hamas").unwrap();
        let later = Mention {
            text: "Hamas".to_string(),
            start: last,
            end: last + "Hamas".len(),
        };
        assert!(denied_without_complaint(s, std::slice::from_ref(&later)));
        let both = [mention_of(s, "Hamas"), later];
        assert!(!denied_without_complaint(s, &both));
    }
}
