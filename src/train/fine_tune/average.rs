//! Checkpoint averaging (`--average-last`): the shipped weights are the
//! elementwise mean of the last epochs' snapshots.

use super::*;

/// Running sum of weight snapshots, for checkpoint averaging.
#[derive(Default)]
pub(super) struct WeightAverage {
    sum: Option<HashMap<String, Tensor>>,
    /// The epochs added so far.
    pub(super) epochs: Vec<usize>,
}

impl WeightAverage {
    pub(super) fn add(
        &mut self,
        epoch: usize,
        weights: HashMap<String, Tensor>,
    ) -> candle_core::Result<()> {
        self.sum = Some(match self.sum.take() {
            None => weights,
            Some(sum) => sum
                .into_iter()
                .map(|(name, total)| Ok((name.clone(), (total + &weights[&name])?)))
                .collect::<candle_core::Result<_>>()?,
        });
        self.epochs.push(epoch);
        Ok(())
    }

    /// The elementwise mean of what was added; `None` if nothing was.
    pub(super) fn mean(self) -> candle_core::Result<Option<HashMap<String, Tensor>>> {
        let n = self.epochs.len() as f64;
        self.sum
            .map(|sum| {
                sum.into_iter()
                    .map(|(name, total)| Ok((name, (total / n)?)))
                    .collect()
            })
            .transpose()
    }
}

/// A detached copy of every trained variable: one epoch's weights to average.
pub(super) fn snapshot(vars: &[(String, Var)]) -> anyhow::Result<HashMap<String, Tensor>> {
    vars.iter()
        .map(|(name, var)| Ok((name.clone(), var.as_tensor().detach().copy()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(a: &[f32], b: f32) -> HashMap<String, Tensor> {
        let mut w = HashMap::new();
        w.insert("a".to_string(), Tensor::new(a, &Device::Cpu).unwrap());
        w.insert("b".to_string(), Tensor::new(&[b], &Device::Cpu).unwrap());
        w
    }

    #[test]
    fn weight_average_is_the_elementwise_mean_of_the_added_epochs() {
        let mut average = WeightAverage::default();
        average.add(6, weights(&[1.0, -2.0], 0.5)).unwrap();
        average.add(7, weights(&[2.0, 4.0], 1.5)).unwrap();
        average.add(8, weights(&[6.0, 1.0], -0.5)).unwrap();
        assert_eq!(average.epochs, vec![6, 7, 8]);
        let mean = average.mean().unwrap().expect("three epochs were added");
        assert_eq!(mean["a"].to_vec1::<f32>().unwrap(), vec![3.0, 1.0]);
        assert_eq!(mean["b"].to_vec1::<f32>().unwrap(), vec![0.5]);
    }

    #[test]
    fn weight_average_of_nothing_is_none() {
        assert!(WeightAverage::default().mean().unwrap().is_none());
    }
}
