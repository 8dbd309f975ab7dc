//! Encodes sentences with stance's BERT encoder and mean pooling, timing the
//! forward passes: the candle side of the peer comparison (benches/compare).
//!
//! ```sh
//! cargo run --release --example encode -- --model DIR --ids ids.jsonl --out vectors.f32
//! cargo run --release --example encode -- --model DIR --sentences lines.txt --out vectors.f32
//! ```
//! `--ids`: one JSON array of token ids per line (already tokenized, so every
//! engine of the comparison sees the same tokens); `--sentences`: one sentence
//! per line, tokenized with the model's tokenizer.json. Writes the pooled
//! vectors as little-endian f32, one row per input line, and prints one JSON
//! line: sentences, tokens, batches, seconds (forward + pooling only), rate.
//! Threads: RAYON_NUM_THREADS. `STANCE_CPU_ENGINE=candle` runs candle's ops instead.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use candle_core::Device;
use stance::model::sentence_encoder::SentenceEncoder;
use stance::model::Encoded;

struct Args {
    model: PathBuf,
    ids: Option<PathBuf>,
    sentences: Option<PathBuf>,
    out: Option<PathBuf>,
    max_batch: Option<usize>,
    token_budget: Option<usize>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        model: PathBuf::new(),
        ids: None,
        sentences: None,
        out: None,
        max_batch: None,
        token_budget: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--model" => args.model = value()?.into(),
            "--ids" => args.ids = Some(value()?.into()),
            "--sentences" => args.sentences = Some(value()?.into()),
            "--out" => args.out = Some(value()?.into()),
            "--max-batch" => args.max_batch = Some(value()?.parse()?),
            "--token-budget" => args.token_budget = Some(value()?.parse()?),
            other => bail!("unknown argument {other:?} (see the header of examples/encode.rs)"),
        }
    }
    if args.model.as_os_str().is_empty() {
        args.model = stance::model::hub::resolve(
            "sentence-transformers/all-MiniLM-L6-v2",
            &stance::model::hub::MODEL_FILES,
        )?;
    }
    Ok(args)
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let mut encoder = SentenceEncoder::load(&args.model, &Device::Cpu)?;
    if let Some(n) = args.max_batch {
        encoder.max_batch = n;
    }
    if let Some(n) = args.token_budget {
        encoder.token_budget = n;
    }
    let sequences: Vec<Encoded> = match (&args.ids, &args.sentences) {
        (Some(path), None) => std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let ids: Vec<u32> = serde_json::from_str(line)
                    .with_context(|| format!("{}: not a JSON array of ids", path.display()))?;
                Ok(Encoded {
                    type_ids: vec![0; ids.len()],
                    ids,
                    truncated: false,
                })
            })
            .collect::<anyhow::Result<_>>()?,
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?
            .lines()
            .map(|line| encoder.encode_text(line))
            .collect::<anyhow::Result<_>>()?,
        _ => bail!("give exactly one of --ids and --sentences"),
    };
    let refs: Vec<&Encoded> = sequences.iter().collect();
    let started = Instant::now();
    let vectors = encoder.embed(&refs)?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(out) = &args.out {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(out)
                .with_context(|| format!("{}: cannot create", out.display()))?,
        );
        for v in &vectors {
            for x in v {
                file.write_all(&x.to_le_bytes())?;
            }
        }
        file.flush()?;
    }
    let tokens: usize = sequences.iter().map(Encoded::len).sum();
    println!(
        "{}",
        serde_json::json!({
            "engine": encoder.engine_name(),
            "sentences": sequences.len(),
            "tokens": tokens,
            "max_batch": encoder.max_batch,
            "token_budget": encoder.token_budget,
            "threads": rayon::current_num_threads(),
            "seconds": seconds,
            "sentences_per_s": sequences.len() as f64 / seconds,
        })
    );
    Ok(())
}
