//! Paired differences between a base scenario and a variant run on the same replications.
//!
//! Replication r of the base and of the variant draw the same random numbers for every
//! element they share (common random numbers: streams are keyed by element id), so the
//! difference of a metric within each replication carries little noise, and its mean has
//! a far narrower confidence interval than the difference of two independent means.

use super::{metrics, Moments, Results, Stat};
use serde::Serialize;
use std::collections::BTreeMap;

/// A summary of per-replication differences (variant − base), with whether its 95 %
/// confidence interval excludes zero. Serialised as a STAT with `significant` added.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// The paired differences summarised.
    #[serde(flatten)]
    pub stat: Stat,
    /// True when the interval excludes zero.
    pub significant: bool,
}

impl Difference {
    /// The difference summarised by `stat`.
    pub fn of(stat: Stat) -> Difference {
        Difference {
            stat,
            significant: stat.ci95_lo > 0.0 || stat.ci95_hi < 0.0,
        }
    }
}

/// One metric compared: where it is, the two means and the paired difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDifference {
    /// `network`, `flows`, `crossings`, `links` or `ferries`.
    pub section: &'static str,
    /// The element's id (`network` for the network).
    pub id: String,
    /// The metric's path, e.g. `wait_h.mean`.
    pub metric: String,
    /// The base's mean.
    pub base: f64,
    /// The variant's mean.
    pub variant: f64,
    /// Variant − base, paired by replication.
    pub difference: Difference,
}

/// The paired differences of every metric a base and a variant both have, built up one
/// replication at a time.
#[derive(Debug, Clone)]
pub struct Pairing {
    /// Per metric compared: its position in the base's metrics and in the variant's.
    pairs: Vec<(usize, usize)>,
    /// Per metric compared: the differences (variant − base) so far.
    diffs: Vec<Moments>,
}

impl Pairing {
    /// Pairs the metrics of `base` and `variant` (summaries of the two models, of any
    /// number of replications) by section, element id and metric, in the base's order.
    pub fn new(base: &Results, variant: &Results) -> Pairing {
        let position: BTreeMap<(&str, &str, String), usize> = metrics(variant)
            .into_iter()
            .enumerate()
            .map(|(j, (s, id, m, _))| ((s, id, m), j))
            .collect();
        let pairs: Vec<(usize, usize)> = metrics(base)
            .into_iter()
            .enumerate()
            .filter_map(|(i, (s, id, m, _))| position.get(&(s, id, m)).map(|&j| (i, j)))
            .collect();
        Pairing {
            diffs: vec![Moments::default(); pairs.len()],
            pairs,
        }
    }

    /// Adds one replication: the values of its metrics for the base and for the variant,
    /// each in the order of [`metrics`] ([`super::Summariser::values`]).
    pub fn add(&mut self, base: &[f64], variant: &[f64]) {
        for (&(i, j), d) in self.pairs.iter().zip(&mut self.diffs) {
            d.add(variant[j] - base[i]);
        }
    }

    /// The metrics compared, with the means of `base` and `variant` (the summaries of the
    /// replications added) and the paired differences.
    pub fn differences(&self, base: &Results, variant: &Results) -> Vec<MetricDifference> {
        let b = metrics(base);
        let v = metrics(variant);
        self.pairs
            .iter()
            .zip(&self.diffs)
            .map(|(&(i, j), d)| {
                let (section, id, metric, stat) = &b[i];
                MetricDifference {
                    section,
                    id: id.to_string(),
                    metric: metric.clone(),
                    base: stat.mean,
                    variant: v[j].3.mean,
                    difference: Difference::of(d.stat()),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_is_significant_only_when_its_interval_excludes_zero() {
        let d = Difference::of(Stat::from_values(&[1.0, 1.2, 0.9, 1.1]));
        assert!(d.significant && d.stat.ci95_lo > 0.0);
        let d = Difference::of(Stat::from_values(&[1.0, -1.2, 0.9, -1.1]));
        assert!(!d.significant);
        let d = Difference::of(Stat::from_values(&[0.0, 0.0, 0.0]));
        assert!(!d.significant);
        assert_eq!((d.stat.mean, d.stat.sd), (0.0, 0.0));
    }
}
