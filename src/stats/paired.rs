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
/// confidence interval excludes zero. Serialised as a STAT with `significant`, `p_value`
/// and `significant_holm` added.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// The paired differences summarised.
    #[serde(flatten)]
    pub stat: Stat,
    /// True when the interval excludes zero; false when fewer than two replications
    /// observed the difference, which then has no interval to test.
    pub significant: bool,
    /// Two-sided p-value of a paired t test of a zero difference (NaN, `null` in JSON,
    /// with fewer than two replications observed).
    pub p_value: f64,
    /// True when the difference stays significant after Holm's correction for all the
    /// figures compared for the variant (the chance that any of those called significant
    /// is so by chance alone is then below 5 %).
    pub significant_holm: bool,
}

impl Difference {
    /// The difference summarised by `stat` (Holm's correction not yet applied).
    pub fn of(stat: Stat) -> Difference {
        Difference {
            stat,
            significant: stat.interval().is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0),
            p_value: super::student::p_value(&stat),
            significant_holm: false,
        }
    }

    /// True when the base and the variant gave the same value in every replication: no
    /// test is made of it.
    pub fn identical(&self) -> bool {
        self.stat.mean == 0.0 && self.stat.sd == 0.0
    }
}

/// A figure that only one side of a comparison has: of an element (or a route) that the
/// variant adds, or that it removes from the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneSided {
    /// `flows`, `crossings`, `links`, `ferries`, `corridors` or `fleets`.
    pub section: &'static str,
    /// The id of the flow, element or corridor.
    pub id: String,
    /// The metric's path, e.g. `wait_h.mean`.
    pub metric: String,
    /// Its summary on the side that has it.
    pub stat: Stat,
}

/// One metric compared: where it is, the two means and the paired difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDifference {
    /// `network`, `flows`, `crossings`, `links`, `ferries`, `corridors` or `fleets`.
    pub section: &'static str,
    /// The id of the flow, element or corridor (`network` for the network).
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
/// replication at a time, and the metrics that only one of them has.
#[derive(Debug, Clone)]
pub struct Pairing {
    /// Per metric compared: its position in the base's metrics and in the variant's.
    pairs: Vec<(usize, usize)>,
    /// Positions in the base's metrics of those the variant lacks.
    base_only: Vec<usize>,
    /// Positions in the variant's metrics of those the base lacks.
    variant_only: Vec<usize>,
    /// Per metric compared: the differences (variant − base) so far.
    diffs: Vec<Moments>,
}

impl Pairing {
    /// Pairs the metrics of `base` and `variant` (summaries of the two models, of any
    /// number of replications) by section, element id and metric, in the base's order.
    pub fn new(base: &Results, variant: &Results) -> Pairing {
        let position = |r: &Results| -> BTreeMap<(&'static str, String, String), usize> {
            metrics(r)
                .into_iter()
                .enumerate()
                .map(|(j, (s, id, m, _))| ((s, id.to_string(), m), j))
                .collect()
        };
        let (in_base, in_variant) = (position(base), position(variant));
        let mut pairs = Vec::new();
        let mut base_only = Vec::new();
        for (i, (s, id, m, _)) in metrics(base).into_iter().enumerate() {
            match in_variant.get(&(s, id.to_string(), m)) {
                Some(&j) => pairs.push((i, j)),
                None => base_only.push(i),
            }
        }
        let variant_only = metrics(variant)
            .into_iter()
            .enumerate()
            .filter(|(_, (s, id, m, _))| !in_base.contains_key(&(*s, id.to_string(), m.clone())))
            .map(|(j, _)| j)
            .collect();
        Pairing {
            diffs: vec![Moments::default(); pairs.len()],
            pairs,
            base_only,
            variant_only,
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
    /// replications added) and the paired differences, Holm's correction applied over all
    /// of them that are tests (those not identical in every replication).
    pub fn differences(&self, base: &Results, variant: &Results) -> Vec<MetricDifference> {
        let mut out = self.uncorrected(base, variant);
        let p: Vec<f64> = out
            .iter()
            .map(|d| {
                if d.difference.identical() {
                    f64::NAN
                } else {
                    d.difference.p_value
                }
            })
            .collect();
        for (d, rejected) in out.iter_mut().zip(super::student::holm_rejects(&p)) {
            d.difference.significant_holm = rejected;
        }
        out
    }

    /// The figures of `variant` that the base lacks: those of elements (or routes) the
    /// variant adds, and those no replication of the base observed while the variant's did
    /// (the wait on a segment no train used in the base).
    pub fn added(&self, base: &Results, variant: &Results) -> Vec<OneSided> {
        self.alone(base, variant, true)
    }

    /// The figures of `base` that the variant lacks: those of elements it removes, and
    /// those no replication of the variant observed while the base's did.
    pub fn removed(&self, base: &Results, variant: &Results) -> Vec<OneSided> {
        self.alone(base, variant, false)
    }

    /// The figures the variant (`in_variant`) or the base alone has: those of its own
    /// elements, and those of both whose pair no replication observed on both sides
    /// ([`unpaired`]) while this side did; in the order of its metrics.
    fn alone(&self, base: &Results, variant: &Results, in_variant: bool) -> Vec<OneSided> {
        let (b, v) = (metrics(base), metrics(variant));
        let (only, own) = if in_variant {
            (&self.variant_only, &v)
        } else {
            (&self.base_only, &b)
        };
        let mut positions = only.clone();
        for (&(i, j), d) in self.pairs.iter().zip(&self.diffs) {
            let k = if in_variant { j } else { i };
            if unpaired(d, &b[i].3, &v[j].3) && own[k].3.observed > 0 {
                positions.push(k);
            }
        }
        positions.sort_unstable();
        (positions.iter())
            .map(|&k| {
                let (section, id, metric, stat) = &own[k];
                OneSided {
                    section,
                    id: id.to_string(),
                    metric: metric.clone(),
                    stat: *stat,
                }
            })
            .collect()
    }

    fn uncorrected(&self, base: &Results, variant: &Results) -> Vec<MetricDifference> {
        let b = metrics(base);
        let v = metrics(variant);
        self.pairs
            .iter()
            .zip(&self.diffs)
            .filter(|&(&(i, j), d)| !unpaired(d, &b[i].3, &v[j].3))
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

/// True when a figure both sides have (`base`, `variant`) was observed on one side at
/// least, but never on both in one replication (`diff` holds no difference): it cannot
/// be paired, and each side's figure stands alone.
fn unpaired(diff: &Moments, base: &Stat, variant: &Stat) -> bool {
    diff.stat().observed == 0 && (base.observed > 0 || variant.observed > 0)
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

    #[test]
    fn a_difference_seen_in_one_replication_is_no_test() {
        let d = Difference::of(Stat::from_values(&[-294.0]));
        assert!(!d.significant && d.p_value.is_nan());
        let d = Difference::of(Stat::from_values(&[f64::NAN, 3.0, f64::NAN]));
        assert!(!d.significant && d.p_value.is_nan());
    }
}
