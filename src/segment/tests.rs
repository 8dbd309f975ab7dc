use super::*;
use std::time::Instant;

fn sentences(text: &str) -> Vec<&str> {
    let spans = NewsSegmenter.split(text);
    assert_invariants(text, &spans);
    spans.iter().map(|s| &text[s.start..s.end]).collect()
}

/// The contract of [`Segmenter::split`].
fn assert_invariants(text: &str, spans: &[SentenceSpan]) {
    let mut covered = 0;
    for span in spans {
        assert!(
            covered <= span.start,
            "out of order or overlapping: {spans:?}"
        );
        assert!(span.start < span.end, "empty span {span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let sentence = &text[span.start..span.end];
        assert_eq!(sentence, sentence.trim(), "untrimmed span {span:?}");
        let gap = &text[covered..span.start];
        assert!(gap.trim().is_empty(), "dropped text {gap:?}");
        covered = span.end;
    }
    assert!(
        text[covered..].trim().is_empty(),
        "dropped tail {:?}",
        &text[covered..]
    );
}

#[test]
fn splits_plain_sentences() {
    assert_eq!(
        sentences("One here. Two there! Three? Four…"),
        ["One here.", "Two there!", "Three?", "Four…"]
    );
}

#[test]
fn keeps_abbreviations_and_initials() {
    for text in [
        "U.S. President Joe Biden met U.N. and U.K. officials.",
        "Mr. Smith, Mrs. Jones and Dr. Brown met Gen. Halevi.",
        "Lt. Col. Richard Hecht and Sen. Chuck Schumer spoke.",
        "Rep. Ilhan Omar, Gov. Kathy Hochul and Prof. Said agreed.",
        "They met on St. George Street.",
        "The attack on Oct. 7 killed 1,200 people and on Jan. 26 UNRWA responded.",
        "The vote is set for Sept. 12 in New York.",
        "The council met at 5 p.m. on Monday and again at 9 a.m. today.",
        "He is the No. 2 official.",
        "Secretary of State Antony J. Blinken arrived.",
        "The U.S.-drafted text got 3.5 votes.",
        "“His comments… constitute a justification,” he said.",
    ] {
        assert_eq!(sentences(text), [text]);
    }
}

#[test]
fn splits_after_abbreviations_that_end_a_sentence() {
    assert_eq!(
        sentences("The plan was backed by the U.S. The U.N. disagreed."),
        ["The plan was backed by the U.S.", "The U.N. disagreed."]
    );
    assert_eq!(
        sentences("The vote was at 5 p.m. The council then adjourned."),
        ["The vote was at 5 p.m.", "The council then adjourned."]
    );
    assert_eq!(
        sentences("It ended at 10 a.m. Israeli time. Talks resume at 9 A.M. GMT."),
        [
            "It ended at 10 a.m. Israeli time.",
            "Talks resume at 9 A.M. GMT."
        ]
    );
}

#[test]
fn closing_quotes_stay_with_their_sentence() {
    assert_eq!(
        sentences("“We are hopeful,” he said. “Talks go on.” The envoy left."),
        [
            "“We are hopeful,” he said.",
            "“Talks go on.”",
            "The envoy left."
        ]
    );
    assert_eq!(
        sentences("It ended (for now.) Then it resumed."),
        ["It ended (for now.)", "Then it resumed."]
    );
}

#[test]
fn splits_inside_multi_sentence_quotes() {
    assert_eq!(
        sentences("“People in Gaza are starving. No excuses.” She left."),
        ["“People in Gaza are starving.", "No excuses.”", "She left."]
    );
    assert_eq!(
        sentences(r#"He wrote on the platform X. "The world must unite.""#),
        ["He wrote on the platform X.", r#""The world must unite.""#]
    );
}

#[test]
fn lowercase_after_a_quoted_question_continues() {
    let text = "“Is it over?” he asked. “Not yet!” she said.";
    assert_eq!(
        sentences(text),
        ["“Is it over?” he asked.", "“Not yet!” she said."]
    );
}

#[test]
fn line_breaks_end_titles_bullets_and_paragraphs() {
    let text = "Russia Says to Pave Way for Early Truce in Gaza\n\nThe talks went on.\n\
                • Live\n  • Audio Only\nNews > Palestine\r\nPublished 9 November 2023\n\n\nEnd.";
    assert_eq!(
        sentences(text),
        [
            "Russia Says to Pave Way for Early Truce in Gaza",
            "The talks went on.",
            "• Live",
            "• Audio Only",
            "News > Palestine",
            "Published 9 November 2023",
            "End.",
        ]
    );
}

#[test]
fn joins_hard_wrapped_lines() {
    let text = "The council met on Monday and\nvoted for a pause.\nThe US abstained.";
    assert_eq!(
        sentences(text),
        [
            "The council met on Monday and\nvoted for a pause.",
            "The US abstained."
        ]
    );
}

#[test]
fn splits_headlines_that_lost_their_line_break() {
    assert_eq!(
        sentences("Council passes resolution during Ramadan The UN Security Council voted."),
        [
            "Council passes resolution during Ramadan",
            "The UN Security Council voted."
        ]
    );
    assert_eq!(
        sentences("Security Council adopts resolution on Gaza NEW YORK (Agencies): It passed."),
        [
            "Security Council adopts resolution on Gaza",
            "NEW YORK (Agencies): It passed."
        ]
    );
    // Not after a word that leads into a name, nor inside Title Case.
    for text in [
        "The minister told The Associated Press on Monday.",
        "The court in The Hague ruled.",
        "Why Israel Says It Will Not Stop",
    ] {
        assert_eq!(sentences(text), [text]);
    }
}

#[test]
fn keeps_datelines_and_list_markers_with_their_sentence() {
    let text = "UNITED NATIONS, October 24. /TASS/. UN chief Antonio Guterres spoke.";
    assert_eq!(sentences(text), [text]);
    assert_eq!(
        sentences("  1. I am saddened. I stand with them."),
        ["1. I am saddened.", "I stand with them."]
    );
    assert_eq!(
        sentences("What Happened? – LIVE BLOG"),
        ["What Happened? – LIVE BLOG"]
    );
}

#[test]
fn offsets_are_bytes_in_multibyte_text() {
    let text = "\u{feff}Ünïcödé “quote” here. Ωmega – 🎉 two.\r\n\r\nمرحبا. هذا اختبار؟";
    let spans = NewsSegmenter.split(text);
    assert_invariants(text, &spans);
    let got: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
    assert_eq!(got[0], "\u{feff}Ünïcödé “quote” here.");
    assert_eq!(got[1], "Ωmega – 🎉 two.");
    assert_eq!(got.len(), 4);
}

#[test]
fn odd_inputs_keep_the_invariants() {
    for text in [
        "",
        " ",
        "\n\n\t \r\n",
        ".",
        "...",
        "?!?!",
        "“”",
        "\"",
        "'",
        "\0",
        "\0. \0.",
        "\u{feff}",
        "\u{2028}\u{2029}",
        "a\rb\rc",
        "\u{a0}x\u{a0}",
        "1.",
        "A. B. C.",
        "U.S.",
        "Mr.",
        "“.”",
        ". . .",
        "x. . . Y",
        "(((",
        ")))",
        "—",
        "• ",
        "NEW YORK (",
        "a The b The c",
        "🎉🎉🎉. 👍🏽 Yes!",
        "עברית. English. العربية؟",
    ] {
        sentences(text);
    }
}

/// A small deterministic generator (xorshift) so the property loop needs no
/// extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random text built from pieces that stress the rules, plus random chars.
fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a", "word", "The", "He", "Mr", "U.S.", "p.m.", "No", "J", "NEW YORK", "October", "Gaza",
        "1", "iv", ".", "!", "?", "…", ",", ":", "–", "-", "|", "/", " ", " ", "  ", "\n", "\n\n",
        "\r\n", "\r", "\t", "\u{a0}", "\u{2028}", "“", "”", "‘", "’", "\"", "'", "(", ")", "[",
        "]", "«", "»", "é", "Ω", "🎉", "👍🏽", "ع", "עב", "中文", "。", "\0", "\u{feff}", "\u{200b}",
        "•",
    ];
    let len = rng.below(40);
    let mut text = String::new();
    for _ in 0..len {
        if rng.below(8) == 0 {
            let c = char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('x');
            text.push(c);
        } else {
            text.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    text
}

#[test]
fn random_texts_keep_the_invariants() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..20_000 {
        let text = random_text(&mut rng);
        assert_invariants(&text, &NewsSegmenter.split(&text));
    }
}

/// Splits `text` and checks the spans; returns the sentence count.
fn split_checked(text: &str) -> usize {
    let spans = NewsSegmenter.split(text);
    assert_invariants(text, &spans);
    spans.len()
}

/// Fastest of five splits of `text`, in seconds.
fn split_seconds(text: &str) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(NewsSegmenter.split(std::hint::black_box(text)));
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Linear time, as a ratio (no wall-clock limit, which a loaded machine
/// would break): twice the input takes at most 2.5 times as long. A
/// quadratic split takes four times as long every time; a linear one can
/// look slower once on a busy machine, so it gets three tries.
fn assert_linear(unit: &str, repeats: usize) {
    let (single, double) = (unit.repeat(repeats), unit.repeat(2 * repeats));
    let ratios: Vec<f64> = (0..3)
        .map(|_| split_seconds(&double) / split_seconds(&single).max(1e-6))
        .collect();
    assert!(
        ratios.iter().any(|&r| r < 2.5),
        "{:?} x{repeats}: twice the input took {ratios:.2?} times as long",
        &unit[..unit.len().min(20)]
    );
}

#[test]
fn long_inputs_take_linear_time() {
    const SIZE: usize = 2_000_000;
    let sentence = "The council met on Monday. ";
    assert_eq!(split_checked(&sentence.repeat(100_000)), 100_000);
    assert_eq!(split_checked(&"a".repeat(5 * SIZE)), 1);
    assert_eq!(split_checked(&"word ".repeat(SIZE / 5)), 1);
    assert_eq!(split_checked(&"“a ".repeat(SIZE / 5)), 1);
    for (unit, repeats) in [
        (sentence, SIZE / 27),
        ("a", SIZE),
        ("word ", SIZE / 5),
        // Unbalanced quotes are quadratic for sentencex's own quote pairing.
        ("“a ", SIZE / 5),
        ("\"Mr. U.S. 5 p.m. (x. ", SIZE / 21),
        (". ", SIZE / 2),
        ("in Gaza NEW YORK (AP) The ", SIZE / 26),
        ("line\n", SIZE / 5),
        ("Home > News By Staff Photo: x ", SIZE / 30),
    ] {
        assert_linear(unit, repeats);
    }
}
