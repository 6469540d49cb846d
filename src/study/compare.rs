//! Variants against a base: each run on the same replications and seed, so that every
//! element they share draws the same random numbers (common random numbers), and every
//! figure compared replication by replication (paired differences with 95 % CIs).

use super::{settled, unless_interrupted, Batch, InputError, Named, StudyError};
use crate::kernel::SimTime;
use crate::model::Model;
use crate::runner::{run_together, RunError, RunOptions};
use crate::scenario::Warmup;
use crate::stats::paired::{self, MetricDifference, OneSided};
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
    /// What the comparison found.
    pub compared: Compared,
}

/// A variant compared with the base.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The variant's results.
    pub results: Results,
    /// Paired differences (variant − base), one per metric both have.
    pub differences: Vec<MetricDifference>,
    /// The figures of elements (or routes) the variant adds: the base has none of them.
    pub added: Vec<OneSided>,
    /// The figures of elements (or routes) of the base that the variant removes.
    pub removed: Vec<OneSided>,
    /// Paired figures tested (not identical in every replication), before any filter:
    /// the family Holm's correction is made for.
    pub tested: usize,
}

/// The results of a base and its variants run together, compared.
#[derive(Debug, Clone)]
pub struct Paired {
    /// The base's results.
    pub base: Results,
    /// Each variant compared with the base, in the order given.
    pub variants: Vec<Compared>,
}

/// Which figures a comparison reports: all, or those of the elements and metrics named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Element ids (`network` for the network's figures); all when empty.
    pub elements: Vec<String>,
    /// Metric paths or their first part (`wait_h` keeps `wait_h.mean` and `wait_h.p95`);
    /// all when empty.
    pub metrics: Vec<String>,
}

impl Filter {
    /// True when the figure `metric` of element `id` is kept.
    pub fn keeps(&self, id: &str, metric: &str) -> bool {
        let element = self.elements.is_empty() || self.elements.iter().any(|e| e == id);
        let metric = self.metrics.is_empty()
            || self.metrics.iter().any(|m| {
                metric == m
                    || metric
                        .strip_prefix(m.as_str())
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with(':'))
            });
        element && metric
    }

    /// Refuses an element or a metric that none of the results has, with the closest.
    fn check(&self, all: &[&Results]) -> Result<(), InputError> {
        let mut ids: Vec<&str> = vec!["network"];
        let mut paths: Vec<String> = Vec::new();
        for r in all {
            for (_, id, metric, _) in crate::stats::metrics(r) {
                ids.push(id);
                let first = metric.split(['.', ':']).next().unwrap_or("").to_string();
                paths.extend([metric, first]);
            }
        }
        if let Some(bad) = self.elements.iter().find(|e| !ids.contains(&e.as_str())) {
            return Err(InputError::UnknownComparedElement {
                id: bad.clone(),
                hint: crate::scenario::hint_or_list(bad, ids.into_iter()),
            });
        }
        if let Some(bad) = self.metrics.iter().find(|m| !paths.contains(m)) {
            return Err(InputError::UnknownMetric {
                metric: bad.clone(),
                hint: crate::scenario::hint(bad, paths.iter().map(String::as_str)),
            });
        }
        Ok(())
    }

    /// Keeps in `c` only the figures this filter keeps.
    fn apply(&self, c: &mut Compared) {
        c.differences.retain(|d| self.keeps(&d.id, &d.metric));
        c.added.retain(|d| self.keeps(&d.id, &d.metric));
        c.removed.retain(|d| self.keeps(&d.id, &d.metric));
    }
}

/// Compares each of `variants` with `base` on the base's seed and replications (or the
/// batch's). The base's warm-up is settled first; a variant that asks for an automatic
/// warm-up shares it, so that both are measured over the same window. An interrupted
/// comparison has no answer: it would pair unequal batches.
pub fn compare(
    base: Named<'_>,
    variants: &[Named<'_>],
    filter: &Filter,
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
    // The filter is checked against the figures the results will have (those of empty
    // summaries), before anything runs.
    let mut shapes = vec![Summariser::new(&base.scenario.model, opts.warmup, opts.seed).results()];
    shapes.extend(
        measured
            .iter()
            .map(|&(m, w)| Summariser::new(m, w, opts.seed).results()),
    );
    filter.check(&shapes.iter().collect::<Vec<_>>())?;
    let mut done = paired(&base.scenario.model, &measured, &opts)?;
    unless_interrupted(
        "interrupted; a partial comparison would pair unequal batches, so nothing is written",
    )?;
    for c in &mut done.variants {
        filter.apply(c);
    }
    Ok(Comparison {
        base_file: base.file.to_string(),
        base: done.base,
        variants: done
            .variants
            .into_iter()
            .zip(variants)
            .map(|(compared, v)| VariantReport {
                file: v.file.to_string(),
                compared,
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
            let differences = p.differences(&base_results, &v);
            Compared {
                tested: differences
                    .iter()
                    .filter(|d| !d.difference.identical())
                    .count(),
                differences,
                added: p.added(&base_results, &v),
                removed: p.removed(&base_results, &v),
                results: v,
            }
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
            source: crate::runner::Source::Simulate,
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
            .differences
            .iter()
            .find(|d| d.id == "rare" && d.metric == "transit_h.mean")
            .expect("the rare flow's transit is compared");
        assert_eq!(d.difference.stat.observed, with_rare);
    }
}
