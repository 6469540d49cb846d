//! Summaries across replications: mean, standard deviation, Student-t 95 % confidence
//! interval, minimum and maximum.

use serde::Serialize;

/// A metric summarised across replications (the `STAT` of the results contract).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Stat {
    /// Mean across replications.
    pub mean: f64,
    /// Sample standard deviation across replications (0 with one replication).
    pub sd: f64,
    /// Lower end of the 95 % confidence interval of the mean (Student t).
    pub ci95_lo: f64,
    /// Upper end of the 95 % confidence interval of the mean.
    pub ci95_hi: f64,
    /// Smallest value seen in a replication.
    pub min: f64,
    /// Largest value seen in a replication.
    pub max: f64,
    /// Replications that observed the metric (the values summarised); `n` in the JSON.
    /// Below 2 there is no spread and no interval, though `sd` (0) and the bounds (the
    /// mean) are numbers, as the results contract asks.
    #[serde(rename = "n")]
    pub observed: usize,
}

impl Stat {
    /// Summarises one value per replication, in replication order. A NaN marks a
    /// replication that observed nothing of this metric (no vehicle delivered, say): it is
    /// left out. With no value left, every field is 0.
    pub fn from_values(values: &[f64]) -> Stat {
        let mut m = Moments::default();
        for &v in values {
            m.add(v);
        }
        m.stat()
    }

    /// Half the width of the confidence interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci95_hi - self.ci95_lo)
    }

    /// The 95 % confidence interval of the mean, `(ci95_lo, ci95_hi)`; `None` when one
    /// replication only observed the metric, as one value has no interval (the bounds the
    /// results contract asks for then both equal the mean, and `sd` is 0). Every report
    /// asks this before showing a spread or an interval. A metric no replication observed
    /// is 0 throughout, its interval included.
    pub fn interval(&self) -> Option<(f64, f64)> {
        (self.observed != 1).then_some((self.ci95_lo, self.ci95_hi))
    }
}

/// A metric's running summary across replications, fed one value at a time in replication
/// order: count, mean and sum of squared deviations (Welford's update), minimum and
/// maximum. Its size does not grow with the number of replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    n: usize,
    mean: f64,
    /// Sum of squared deviations from the running mean.
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    /// Adds one replication's value; a NaN (nothing observed) is left out.
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// The summary of the values added so far. With none, every field is 0.
    pub fn stat(&self) -> Stat {
        let n = self.n;
        if n == 0 {
            return Stat {
                mean: 0.0,
                sd: 0.0,
                ci95_lo: 0.0,
                ci95_hi: 0.0,
                min: 0.0,
                max: 0.0,
                observed: 0,
            };
        }
        let (sd, half) = if n > 1 {
            let sd = (self.m2 / (n - 1) as f64).sqrt();
            (sd, t_975(n - 1) * sd / (n as f64).sqrt())
        } else {
            (0.0, 0.0)
        };
        // Rounding can put a constant mean a hair outside [min, max]; clamp.
        let mean = self.mean.clamp(self.min, self.max);
        Stat {
            mean,
            sd,
            ci95_lo: mean - half,
            ci95_hi: mean + half,
            min: self.min,
            max: self.max,
            observed: n,
        }
    }
}

/// The 0.975 quantile of Student's t distribution with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010,
        2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739,
        2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => {
            // Cornish-Fisher expansion around the normal quantile (Abramowitz & Stegun
            // 26.7.5); error below 1e-4 for df > 30.
            let z: f64 = 1.959_963_984_540_054;
            let v = df as f64;
            let z3 = z.powi(3);
            let z5 = z.powi(5);
            let z7 = z.powi(7);
            let z9 = z.powi(9);
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z)
                    / (92160.0 * v.powi(4))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_975(10) - 2.2281).abs() < 1e-4);
        // Published values: df 40 -> 2.0211, df 60 -> 2.0003, df 120 -> 1.9799.
        assert!((t_975(40) - 2.0211).abs() < 2e-4);
        assert!((t_975(60) - 2.0003).abs() < 2e-4);
        assert!((t_975(120) - 1.9799).abs() < 2e-4);
    }

    #[test]
    fn stat_of_known_values() {
        let s = Stat::from_values(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s.mean, 3.0);
        assert!((s.sd - 2.5f64.sqrt()).abs() < 1e-12);
        let half = 2.7764 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((s.ci95_hi - 3.0 - half).abs() < 1e-9);
        assert_eq!((s.min, s.max), (1.0, 5.0));
    }

    #[test]
    fn replications_without_observations_are_left_out() {
        let s = Stat::from_values(&[f64::NAN, 2.0, f64::NAN, 4.0]);
        assert_eq!((s.mean, s.min, s.max), (3.0, 2.0, 4.0));
        let none = Stat::from_values(&[f64::NAN, f64::NAN]);
        assert_eq!((none.mean, none.ci95_lo, none.ci95_hi), (0.0, 0.0, 0.0));
    }

    #[test]
    fn running_moments_agree_with_the_two_pass_formulas() {
        let values: Vec<f64> = (0..1000).map(|i| 1e6 + f64::from(i % 37) * 0.25).collect();
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let s = Stat::from_values(&values);
        assert!((s.mean - mean).abs() < 1e-9 * mean, "{} vs {mean}", s.mean);
        assert!((s.sd - sd).abs() < 1e-9 * sd, "{} vs {sd}", s.sd);
        assert_eq!((s.min, s.max, s.observed), (1e6, 1e6 + 9.0, 1000));
    }

    #[test]
    fn one_replication_has_no_interval_though_its_bounds_are_the_mean() {
        let s = Stat::from_values(&[7.0]);
        assert_eq!((s.ci95_lo, s.mean, s.ci95_hi, s.sd), (7.0, 7.0, 7.0, 0.0));
        assert_eq!(s.interval(), None);
        // Observed in one replication of three: still one value, no interval.
        assert_eq!(
            Stat::from_values(&[f64::NAN, 7.0, f64::NAN]).interval(),
            None
        );
        let s = Stat::from_values(&[6.0, 8.0]);
        assert_eq!(s.interval(), Some((s.ci95_lo, s.ci95_hi)));
        assert!(s.ci95_lo < 6.0 && s.ci95_hi > 8.0);
    }
}
