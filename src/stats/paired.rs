//! Paired differences between a base scenario and a variant run on the same replications.
//!
//! Replication r of the base and of the variant draw the same random numbers for every
//! element they share (common random numbers: streams are keyed by element id), so the
//! difference of a metric within each replication carries little noise, and its mean has
//! a far narrower confidence interval than the difference of two independent means.

use super::{metrics, Results, Stat};
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
    /// Summarises per-replication differences (NaN entries are left out).
    pub fn from_values(diffs: &[f64]) -> Difference {
        let stat = Stat::from_values(diffs);
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

/// Per-replication values of every metric, keyed by (section, id, metric), from the
/// per-replication results.
pub fn per_replication(reps: &[Results]) -> BTreeMap<(&'static str, String, String), Vec<f64>> {
    let mut out: BTreeMap<(&'static str, String, String), Vec<f64>> = BTreeMap::new();
    for (r, res) in reps.iter().enumerate() {
        for (section, id, metric, stat) in metrics(res) {
            let values = out
                .entry((section, id.to_string(), metric))
                .or_insert_with(|| vec![f64::NAN; reps.len()]);
            // A replication that observed nothing of the metric stays NaN, left out of the
            // difference, instead of counting as 0.
            if stat.observed > 0 {
                values[r] = stat.mean;
            }
        }
    }
    out
}

/// Compares every metric the base and the variant both have, in the base's order.
/// `base_reps` and `variant_reps` hold one single-replication summary per replication,
/// in replication order (the same indices for both).
pub fn compare(
    base: &Results,
    variant: &Results,
    base_reps: &[Results],
    variant_reps: &[Results],
) -> Vec<MetricDifference> {
    let b = per_replication(base_reps);
    let v = per_replication(variant_reps);
    let variant_means: BTreeMap<(&str, &str, String), f64> = metrics(variant)
        .into_iter()
        .map(|(s, id, m, st)| ((s, id, m), st.mean))
        .collect();
    let mut out = Vec::new();
    for (section, id, metric, stat) in metrics(base) {
        let key = (section, id.to_string(), metric.clone());
        let (Some(bv), Some(vv)) = (b.get(&key), v.get(&key)) else {
            continue;
        };
        let diffs: Vec<f64> = bv.iter().zip(vv).map(|(x, y)| y - x).collect();
        out.push(MetricDifference {
            section,
            id: id.to_string(),
            metric: metric.clone(),
            base: stat.mean,
            variant: variant_means
                .get(&(section, id, metric))
                .copied()
                .unwrap_or(f64::NAN),
            difference: Difference::from_values(&diffs),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_is_significant_only_when_its_interval_excludes_zero() {
        let d = Difference::from_values(&[1.0, 1.2, 0.9, 1.1]);
        assert!(d.significant && d.stat.ci95_lo > 0.0);
        let d = Difference::from_values(&[1.0, -1.2, 0.9, -1.1]);
        assert!(!d.significant);
        let d = Difference::from_values(&[0.0, 0.0, 0.0]);
        assert!(!d.significant);
        assert_eq!((d.stat.mean, d.stat.sd), (0.0, 0.0));
    }
}
