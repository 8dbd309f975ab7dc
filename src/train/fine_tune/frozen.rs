//! The frozen-layer cache: with the lower layers frozen, their hidden
//! states are computed once per run, not once per epoch.

use super::*;

/// Hidden states after layer `from - 1` for each example, unpadded (len, hidden).
pub(super) fn frozen_states(
    head: &StanceHead,
    examples: &[Example],
    from: usize,
) -> anyhow::Result<Vec<Tensor>> {
    let started = Instant::now();
    let lengths: Vec<usize> = examples.iter().map(|e| e.input.len()).collect();
    let mut states = vec![None; examples.len()];
    for plan in score::plan_batches(&lengths, 64, 64 * 64) {
        let batch = Batch::from_sequences(plan.iter().map(|&i| &examples[i].input));
        let input = head.pad(&batch)?;
        let xs = head.bert.embed(&input, Mode::Infer)?;
        let xs = head
            .bert
            .run_layers(xs, &input.attention_bias()?, 0..from, Mode::Infer)?;
        for (row, &i) in plan.iter().enumerate() {
            states[i] = Some(xs.get(row)?.narrow(0, 0, lengths[i])?.contiguous()?);
        }
    }
    eprintln!(
        "cached frozen layers 0..{from} for {} examples in {:.0} s",
        examples.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(states
        .into_iter()
        .map(|s| s.expect("every example is in a batch"))
        .collect())
}

/// Right-pads cached states of a batch to (batch, max_length, hidden).
pub(super) fn pad_states(
    states: &[Tensor],
    ids: &[usize],
    max_length: usize,
    hidden: usize,
) -> candle_core::Result<Tensor> {
    let rows = ids
        .iter()
        .map(|&i| {
            let len = states[i].dim(0)?;
            if len == max_length {
                Ok(states[i].clone())
            } else {
                let pad = Tensor::zeros(
                    (max_length - len, hidden),
                    states[i].dtype(),
                    states[i].device(),
                )?;
                Tensor::cat(&[&states[i], &pad], 0)
            }
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    Tensor::stack(&rows, 0)
}
