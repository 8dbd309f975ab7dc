//! Tokenizers as the models need them: loaded from `tokenizer.json`,
//! without padding (batches pad themselves), truncating to the model's
//! maximum; and the one way a (first, second) segment pair becomes ids.

use std::path::Path;

use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use super::Encoded;

/// Loads `tokenizer.json`, naming the file on error.
pub fn load_tokenizer(path: &Path) -> anyhow::Result<Tokenizer> {
    Tokenizer::from_file(path)
        .map_err(|e| anyhow::anyhow!("{}: not a usable tokenizer.json ({e})", path.display()))
}

/// No padding (batches pad themselves); truncate the longer side to `max_length`.
pub fn configure_tokenizer(
    mut tokenizer: Tokenizer,
    max_length: usize,
) -> anyhow::Result<Tokenizer> {
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
            direction: TruncationDirection::Right,
        }))
        .map_err(|e| anyhow::anyhow!("tokenizer truncation: {e}"))?;
    Ok(tokenizer)
}

/// Tokenizes a (first, second) segment pair with the tokenizer's own template.
pub fn encode_pair(tokenizer: &Tokenizer, first: &str, second: &str) -> anyhow::Result<Encoded> {
    let encoding = tokenizer
        .encode((first, second), true)
        .map_err(|e| anyhow::anyhow!("tokenizer: {e}"))?;
    Ok(Encoded {
        ids: encoding.get_ids().to_vec(),
        type_ids: encoding.get_type_ids().to_vec(),
        truncated: !encoding.get_overflowing().is_empty(),
    })
}
