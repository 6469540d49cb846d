//! Variants against a base: each run on the same replications and seed, so that every
//! element they share draws the same random numbers (common random numbers), and every
//! figure compared replication by replication (paired differences with 95 % CIs).

use super::{settled, unless_interrupted, Batch, Named, StudyError};
use crate::kernel::SimTime;
use crate::model::Model;
use crate::runner::{run_together, RunError, RunOptions};
use crate::scenario::Warmup;
use crate::stats::paired::{self, MetricDifference};
use crate::stats::{Results, Summariser};

/// A comparison: the base's results, and per variant its results and differences.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The base's scenario file, as given.
    pub base_file: String,
    /// The base's results.
    pub base: Results,
    /// Each variant, in the order given.
    pub variants: Vec<VariantReport>,
}

/// One variant compared with the base.
#[derive(Debug, Clone)]
pub struct VariantReport {
    /// The variant's scenario file, as given.
    pub file: String,
    /// The variant's results.
    pub results: Results,
    /// Paired differences (variant − base), one per metric both have.
    pub differences: Vec<MetricDifference>,
}

/// The results of a base and its variants run together, with the paired differences.
#[derive(Debug, Clone)]
pub struct Paired {
    /// The base's results.
    pub base: Results,
    /// Per variant: its results and the paired differences (variant − base).
    pub variants: Vec<(Results, Vec<MetricDifference>)>,
}

/// Compares each of `variants` with `base` on the base's seed and replications (or the
/// batch's). The base's warm-up is settled first; a variant that asks for an automatic
/// warm-up shares it, so that both are measured over the same window. An interrupted
/// comparison has no answer: it would pair unequal batches.
pub fn compare(
    base: Named<'_>,
    variants: &[Named<'_>],
    batch: &Batch,
) -> Result<Comparison, StudyError> {
    let (opts, _) = settled(base.scenario, batch.options(&base.scenario.settings))?;
    let measured: Vec<(&Model, SimTime)> = variants
        .iter()
        .map(|v| match v.scenario.settings.warmup {
            Warmup::Fixed(t) => (&v.scenario.model, t),
            Warmup::Auto => (&v.scenario.model, opts.warmup),
        })
        .collect();
    let done = paired(&base.scenario.model, &measured, &opts)?;
    unless_interrupted(
        "interrupted; a partial comparison would pair unequal batches, so nothing is written",
    )?;
    Ok(Comparison {
        base_file: base.file.to_string(),
        base: done.base,
        variants: done
            .variants
            .into_iter()
            .zip(variants)
            .map(|((results, differences), v)| VariantReport {
                file: v.file.to_string(),
                results,
                differences,
            })
            .collect(),
    })
}

/// Runs `base` (measured after `opts.warmup`) and each of `variants` (each measured after
/// its own warm-up) on replications `0..opts.replications` with the same seed (common
/// random numbers) and compares them replication by replication.
pub fn paired(
    base: &Model,
    variants: &[(&Model, SimTime)],
    opts: &RunOptions,
) -> Result<Paired, RunError> {
    let mut models = vec![(base, opts.warmup)];
    models.extend(variants);
    let mut summaries: Vec<Summariser> = models
        .iter()
        .map(|&(m, warmup)| Summariser::new(m, warmup, opts.seed))
        .collect();
    // Which metric of the base pairs with which of each variant depends on their elements
    // only, so it is settled on the empty summaries.
    let shapes: Vec<Results> = summaries.iter().map(Summariser::results).collect();
    let mut pairs: Vec<paired::Pairing> = shapes[1..]
        .iter()
        .map(|v| paired::Pairing::new(&shapes[0], v))
        .collect();
    // The metrics of one replication, each model's in the order of `metrics`; reused.
    let mut rows: Vec<Vec<f64>> = vec![Vec::new(); models.len()];
    run_together(&models, opts, 0..u64::from(opts.replications), |obs| {
        for ((s, o), row) in summaries.iter_mut().zip(obs.iter()).zip(rows.iter_mut()) {
            s.add(o);
            row.clear();
            row.extend(s.values(o));
        }
        for (p, row) in pairs.iter_mut().zip(&rows[1..]) {
            p.add(&rows[0], row);
        }
    })?;
    let mut results = summaries.iter().map(Summariser::results);
    let base_results = results.next().expect("the base is summarised");
    let variants = results
        .zip(&pairs)
        .map(|(v, p)| {
            let diffs = p.differences(&base_results, &v);
            (v, diffs)
        })
        .collect();
    Ok(Paired {
        base: base_results,
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::tests::post;

    #[test]
    fn replications_that_observed_nothing_are_left_out_of_a_paired_difference() {
        let base = post(2);
        let opts = RunOptions {
            replications: 20,
            seed: 7,
            warmup: SimTime::ZERO,
            threads: Some(1),
            progress: false,
        };
        let c = paired(&base, &[(&post(3), SimTime::ZERO)], &opts).unwrap();
        let mut with_rare = 0;
        crate::runner::run_each(&base, &opts, |r| {
            with_rare += usize::from(r.flows[1].transit_mean_h.is_finite());
        })
        .unwrap();
        assert!(
            0 < with_rare && with_rare < 20,
            "{with_rare} replications saw a rare truck"
        );
        let d = c.variants[0]
            .1
            .iter()
            .find(|d| d.id == "rare" && d.metric == "transit_h.mean")
            .expect("the rare flow's transit is compared");
        assert_eq!(d.difference.stat.observed, with_rare);
    }
}
