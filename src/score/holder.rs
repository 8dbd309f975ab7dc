//! Who holds the stance of a sentence (contract: `holder`).
//!
//! A model trained with holder outputs gives, for every party it scores in a
//! sentence, the probability that this party holds a stance there ("holds"),
//! and the probability that the stance is the article's own voice
//! ("author"). The decision per sentence, in order:
//! 1. the party most likely to hold it, when that is at least 0.5; else
//!    the party the surface rules put in the speaker's place, when the
//!    model gives it at least 0.2;
//! 2. a speaker named by a pronoun or an office ("…, she said"), or none
//!    in a quotation: the last speaker of the article's earlier sentences;
//! 3. the article's own voice (`author`) when the model says so, else
//!    `other` (a speaker outside the parties file).
//!
//! Models without holder outputs (zero-shot NLI, older trained models) use
//! the surface rules of [`super::speaker`] in place of the two probabilities.
//! The same decision serves scoring and evaluation.

use std::collections::HashMap;

use super::speaker::Attribution;

pub const AUTHOR: &str = "author";
pub const OTHER: &str = "other";

/// Decisions at or above this probability count.
const DECIDE: f32 = 0.5;

/// Where no party reaches [`DECIDE`], the surface rules' speaker holds the
/// stance if the model gives it at least this. Chosen out of fold on the
/// first of the two cross-validation folds (0, 0.1, 0.2, 0.3 tried; holder
/// accuracy 0.528 → 0.537 at 0.2) and confirmed on the second (0.463 →
/// 0.476); ungated (0) it lost on both.
const SPEAKER_FALLBACK: f32 = 0.2;

/// What one sentence offers for the decision.
#[derive(Debug, Clone)]
pub struct SentenceEvidence<'a> {
    /// Per candidate party: its id, the model's "holds" probability (None
    /// without holder outputs; 0 for a party not named in the sentence), and
    /// whether the surface rules put it in the speaker's place.
    pub parties: Vec<(&'a str, Option<f32>, bool)>,
    /// The model's "author's voice" probability, averaged over the sentence's
    /// scored parties (None without holder outputs).
    pub author: Option<f32>,
    pub attribution: Attribution,
    /// The party named at the head of the sentence, before its first
    /// lowercase word ("Joe Biden addressed…", "Russian President Vladimir
    /// Putin met…"): the antecedent of a later "he said" when the sentence
    /// names no speaker.
    pub subject: Option<&'a str>,
    /// The sentence opens with a quotation mark, or sits inside one an
    /// earlier sentence of its paragraph left open: with no speaker named
    /// in it, the quotation goes on from the sentence before ("“…,” he
    /// said. “…”").
    pub quotation: bool,
    /// People the sentence introduces with their party and a title
    /// ("Chinese Foreign Minister Wang Yi"): each name word, lowercased,
    /// and the party.
    pub introduced: Vec<(String, &'a str)>,
    /// Name words, lowercased, in a speaker's place ("Wang said"): a
    /// person an earlier sentence introduced speaks for their party.
    pub speaker_names: Vec<String>,
    /// A party named right before a verb of speech ("Lavrov said"; not an
    /// act, "the United States vetoed"), or before its title or body and
    /// such a verb ("the Hamas leader declared"), or right after a
    /// quotation's "said": the speaker by the narrowest surface reading,
    /// which holds without the model's say.
    pub named_speaker: Option<&'a str>,
    /// The sentence opens with a person's name after a title ("South
    /// African President Cyril Ramaphosa called on…"): its "he" is that
    /// person, not an earlier sentence's speaker.
    pub titled_person: bool,
    /// A party the sentence credits what it says to ("according to the
    /// IDF", "in Israel's view") or names as the one who condemns in a
    /// passive ("Russia was condemned by the Israeli Foreign Ministry"):
    /// it holds the stance before the model's say, which in such sentences
    /// leans to the party named first (the target).
    pub credited: Option<&'a str>,
    /// The party at the head of the sentence that is the subject of a
    /// speech or stance verb ("The Israeli army rejected claims that …",
    /// "Hamas blamed …"): it holds the stance before the model's say,
    /// which in such sentences often leans to the target named after it.
    pub head_speaker: Option<&'a str>,
}

/// The holder decision, carried through an article so pronoun speakers
/// resolve to the last named one.
#[derive(Debug, Default)]
pub struct HolderTracker {
    last_speaker: Option<String>,
    /// The party of each person introduced so far, by name word.
    people: HashMap<String, String>,
}

impl HolderTracker {
    /// The holder of `sentence`'s stances; remembers its speaker for later sentences.
    pub fn decide(&mut self, sentence: &SentenceEvidence) -> String {
        for (name, party) in &sentence.introduced {
            self.people.insert(name.clone(), party.to_string());
        }
        // A person introduced earlier, named in the speaker's place ("Wang
        // said"): the sentence names no party, but the speaker is one's.
        let introduced_speaker = (sentence.speaker_names.iter())
            .find_map(|name| self.people.get(name))
            .cloned();
        let model_party = sentence
            .parties
            .iter()
            .filter_map(|(id, holds, _)| holds.map(|p| (id, p)))
            .filter(|(_, p)| *p >= DECIDE)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id.to_string());
        let speaker = (sentence.parties.iter()).find(|(_, _, speaks)| *speaks);
        let rule_party = speaker.map(|(id, _, _)| id.to_string());
        let has_model = sentence.author.is_some();
        // The surface speaker, where the model gives it some chance but no
        // party reaches the decision ("Beijing has called for an immediate
        // ceasefire …": holds 0.47); without the gate the speaker rule
        // loses more rows than it wins (out of fold).
        let speaker_fallback = || {
            speaker
                .filter(|(_, holds, _)| holds.is_some_and(|p| p >= SPEAKER_FALLBACK))
                .map(|(id, _, _)| id.to_string())
        };
        let credited = (sentence.credited.or(sentence.head_speaker)).map(str::to_string);
        // "“Israel deserves the world's support,” he said": a party inside
        // the quotation is what it speaks of, and its speaker is the
        // pronoun's, an earlier sentence's; the model's "holds" leans to the
        // party named.
        let quoted_by_pronoun = sentence.attribution == Attribution::Pronoun
            && sentence.quotation
            && !sentence.titled_person;
        let named = if quoted_by_pronoun {
            credited
        } else if has_model {
            credited
                .or(model_party)
                .or_else(speaker_fallback)
                .or_else(|| sentence.named_speaker.map(str::to_string))
        } else {
            credited.or_else(|| rule_party.clone())
        }
        .or_else(|| introduced_speaker.clone());
        if let Some(party) = named {
            self.last_speaker = Some(party.clone());
            return party;
        }
        // The guidelines resolve a speaker named by a pronoun from the
        // article's earlier sentences; a quotation that names no speaker is
        // resolved the same way (out of fold, chosen on the first fold and
        // confirmed on the second: see the README).
        let earlier_speaker = (sentence.attribution == Attribution::Pronoun
            && !sentence.titled_person)
            || (sentence.attribution == Attribution::None && sentence.quotation);
        if earlier_speaker {
            if let Some(last) = &self.last_speaker {
                return last.clone();
            }
        }
        let holder = match sentence.author {
            Some(author) if author >= DECIDE => AUTHOR,
            Some(_) => OTHER,
            None if sentence.attribution == Attribution::None => AUTHOR,
            None => OTHER,
        };
        // A speaker of a sentence without a stance still names whom a later
        // "he said" means.
        match (
            rule_party.or(introduced_speaker),
            sentence.attribution,
            sentence.subject,
        ) {
            (Some(party), _, _) => self.last_speaker = Some(party),
            // A person outside the parties file, named with a title.
            (None, _, None) if sentence.titled_person => {
                self.last_speaker = Some(OTHER.to_string())
            }
            (None, Attribution::Named, _) => self.last_speaker = Some(OTHER.to_string()),
            (None, Attribution::None, Some(subject)) => {
                self.last_speaker = Some(subject.to_string())
            }
            _ => {}
        }
        holder.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence<'a>(
        parties: Vec<(&'a str, Option<f32>, bool)>,
        author: Option<f32>,
        attribution: Attribution,
    ) -> SentenceEvidence<'a> {
        SentenceEvidence {
            parties,
            author,
            attribution,
            subject: None,
            quotation: false,
            introduced: Vec::new(),
            speaker_names: Vec::new(),
            named_speaker: None,
            titled_person: false,
            credited: None,
            head_speaker: None,
        }
    }

    #[test]
    fn a_credited_source_holds_over_the_model() {
        let mut t = HolderTracker::default();
        // "Russia was condemned by the Israeli Foreign Ministry for
        // inviting Hamas": the model leans to Russia, named first.
        let mut s = evidence(
            vec![
                ("russia", Some(0.8), false),
                ("israel", Some(0.3), true),
                ("hamas", Some(0.1), false),
            ],
            Some(0.1),
            Attribution::None,
        );
        s.credited = Some("israel");
        assert_eq!(t.decide(&s), "israel");
        // and is the speaker a later "he said" means
        let next = evidence(
            vec![("hamas", Some(0.1), false)],
            Some(0.1),
            Attribution::Pronoun,
        );
        assert_eq!(t.decide(&next), "israel");
    }

    #[test]
    fn the_likeliest_party_holds_it() {
        let mut t = HolderTracker::default();
        let s = evidence(
            vec![
                ("hamas", Some(0.1), false),
                ("united_states", Some(0.9), true),
                ("russia", Some(0.6), false),
            ],
            Some(0.1),
            Attribution::Named,
        );
        assert_eq!(t.decide(&s), "united_states");
    }

    #[test]
    fn a_pronoun_after_a_sentence_headed_by_a_party_takes_that_party() {
        let mut t = HolderTracker::default();
        let mut first = evidence(
            vec![("united_states", Some(0.1), false)],
            Some(0.1),
            Attribution::None,
        );
        first.subject = Some("united_states");
        t.decide(&first);
        let second = evidence(
            vec![("israel", Some(0.1), false)],
            Some(0.2),
            Attribution::Pronoun,
        );
        assert_eq!(t.decide(&second), "united_states");
    }

    #[test]
    fn a_quotation_given_to_a_pronoun_is_the_earlier_speakers_whoever_it_names() {
        let mut t = HolderTracker::default();
        let first = evidence(
            vec![("russia", Some(0.9), true)],
            Some(0.1),
            Attribution::Named,
        );
        assert_eq!(t.decide(&first), "russia");
        // "“Israel deserves the world's support,” he said."
        let mut quoted = evidence(
            vec![("israel", Some(0.8), false)],
            Some(0.1),
            Attribution::Pronoun,
        );
        quoted.quotation = true;
        assert_eq!(t.decide(&quoted), "russia");
        // Without the quotation the model's party holds: "He said Israel
        // backs the plan" is left to it.
        let mut plain = evidence(
            vec![("israel", Some(0.8), false)],
            Some(0.1),
            Attribution::Pronoun,
        );
        plain.quotation = false;
        assert_eq!(t.decide(&plain), "israel");
    }

    #[test]
    fn a_pronoun_in_a_sentence_headed_by_a_titled_person_is_that_person() {
        let mut t = HolderTracker::default();
        let first = evidence(
            vec![("russia", Some(0.9), true)],
            Some(0.1),
            Attribution::Named,
        );
        assert_eq!(t.decide(&first), "russia");
        // "South African President Cyril Ramaphosa called on the world not
        // to fund what he described as Israel's genocidal actions."
        let mut second = evidence(
            vec![("israel", Some(0.0), false)],
            Some(0.1),
            Attribution::Pronoun,
        );
        second.titled_person = true;
        assert_eq!(t.decide(&second), OTHER);
        // "He said …": still that person.
        let third = evidence(
            vec![("palestinians", Some(0.0), false)],
            Some(0.1),
            Attribution::Pronoun,
        );
        assert_eq!(t.decide(&third), OTHER);
    }

    #[test]
    fn a_person_introduced_with_their_party_speaks_for_it_by_name() {
        let mut t = HolderTracker::default();
        let mut first = evidence(
            vec![("china", Some(0.9), true)],
            Some(0.1),
            Attribution::Named,
        );
        first.introduced = vec![("wang".to_string(), "china"), ("yi".to_string(), "china")];
        assert_eq!(t.decide(&first), "china");
        // "Wang said Israel must stop": only Israel is named.
        let mut second = evidence(
            vec![("israel", Some(0.0), false)],
            Some(0.2),
            Attribution::Named,
        );
        second.speaker_names = vec!["wang".to_string()];
        assert_eq!(t.decide(&second), "china");
        // and a pronoun after it means the same person
        let third = evidence(
            vec![("israel", Some(0.0), false)],
            Some(0.2),
            Attribution::Pronoun,
        );
        assert_eq!(t.decide(&third), "china");
        // A name nobody introduced is someone outside the file.
        let mut fourth = evidence(
            vec![("israel", Some(0.0), false)],
            Some(0.2),
            Attribution::Named,
        );
        fourth.speaker_names = vec!["smith".to_string()];
        assert_eq!(t.decide(&fourth), OTHER);
    }

    #[test]
    fn pronouns_take_the_last_speaker() {
        let mut t = HolderTracker::default();
        let first = evidence(
            vec![("russia", Some(0.1), true)],
            Some(0.1),
            Attribution::Named,
        );
        // No stance here (holds 0.1, under the speaker fallback), but
        // Russia is the speaker by the rules.
        assert_eq!(t.decide(&first), OTHER);
        let second = evidence(
            vec![("israel", Some(0.1), false)],
            Some(0.2),
            Attribution::Pronoun,
        );
        assert_eq!(t.decide(&second), "russia");
        let named_other = evidence(
            vec![("israel", Some(0.1), false)],
            Some(0.2),
            Attribution::Named,
        );
        assert_eq!(t.decide(&named_other), OTHER);
        assert_eq!(
            t.decide(&second),
            OTHER,
            "the last speaker is now someone outside the parties"
        );
    }

    #[test]
    fn a_quotation_without_a_speaker_goes_on_from_the_last_one() {
        let mut t = HolderTracker::default();
        let quoted = |quotation| {
            let mut s = evidence(
                vec![("israel", Some(0.1), false)],
                Some(0.8),
                Attribution::None,
            );
            s.quotation = quotation;
            s
        };
        assert_eq!(t.decide(&quoted(true)), AUTHOR, "no speaker yet");
        let first = evidence(
            vec![("russia", Some(0.9), true)],
            Some(0.1),
            Attribution::Named,
        );
        assert_eq!(t.decide(&first), "russia");
        assert_eq!(t.decide(&quoted(true)), "russia");
        assert_eq!(t.decide(&quoted(false)), AUTHOR, "not a quotation");
    }

    #[test]
    fn the_speaker_holds_it_where_no_party_is_decided_and_the_model_gives_it_a_chance() {
        let mut t = HolderTracker::default();
        let speaker = |holds| {
            evidence(
                vec![("china", Some(holds), true), ("israel", Some(0.1), false)],
                Some(0.3),
                Attribution::Named,
            )
        };
        assert_eq!(t.decide(&speaker(0.47)), "china");
        assert_eq!(t.decide(&speaker(0.1)), OTHER, "under the gate");
    }

    #[test]
    fn author_or_other_without_a_party() {
        let mut t = HolderTracker::default();
        assert_eq!(
            t.decide(&evidence(
                vec![("israel", Some(0.1), false)],
                Some(0.8),
                Attribution::None
            )),
            AUTHOR
        );
        assert_eq!(
            t.decide(&evidence(
                vec![("israel", Some(0.1), false)],
                Some(0.3),
                Attribution::Named
            )),
            OTHER
        );
    }

    #[test]
    fn rules_stand_in_without_holder_outputs() {
        let mut t = HolderTracker::default();
        assert_eq!(
            t.decide(&evidence(
                vec![("israel", None, false), ("russia", None, true)],
                None,
                Attribution::Named
            )),
            "russia"
        );
        assert_eq!(
            t.decide(&evidence(
                vec![("israel", None, false)],
                None,
                Attribution::None
            )),
            AUTHOR
        );
        assert_eq!(
            t.decide(&evidence(
                vec![("israel", None, false)],
                None,
                Attribution::Named
            )),
            OTHER
        );
    }
}
