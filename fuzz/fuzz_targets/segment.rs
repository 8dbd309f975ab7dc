//! Fuzzes the sentence segmenter (`src/segment.rs`) on any text: spans are
//! in order, never overlap, are non-empty, lie on char boundaries, slice the
//! input to a trimmed sentence, and nothing but whitespace lies outside them
//! (the segmenter drops nothing else). Splitting is also deterministic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::segment::{NewsSegmenter, Segmenter};

fuzz_target!(|data: &[u8]| {
    // Arbitrary bytes become text the way a lossy reader would see them, so
    // invalid UTF-8 still exercises U+FFFD and every other code point.
    let text = String::from_utf8_lossy(data);
    let spans = NewsSegmenter.split(&text);
    let mut covered = 0;
    for span in &spans {
        assert!(covered <= span.start && span.start < span.end && span.end <= text.len(), "span {span:?} after {covered} in {} bytes", text.len());
        let sentence = text.get(span.start..span.end).unwrap_or_else(|| panic!("span {span:?} is not on char boundaries"));
        assert_eq!(sentence, sentence.trim(), "span {span:?} is not trimmed");
        let gap = &text[covered..span.start];
        assert!(gap.trim().is_empty(), "non-whitespace {gap:?} dropped before {span:?}");
        covered = span.end;
    }
    assert!(text[covered..].trim().is_empty(), "non-whitespace dropped at the end: {:?}", &text[covered..]);
    assert_eq!(spans, NewsSegmenter.split(&text), "same text, same spans");
});
