//! Random streams and the distributions of durations.
//!
//! Every element that draws random numbers (a flow's arrivals, a crossing stage's service
//! times) owns its own stream. A stream is seeded from the scenario seed, the replication
//! index, the kind of element and its `id` only: never from the thread, the order of
//! execution or a global generator. Two consequences:
//! - the same scenario, seed and replication give bit-identical results on any number of
//!   threads;
//! - a variant that adds or changes one element leaves every other element's random numbers
//!   unchanged (common random numbers for comparisons).

use crate::kernel::Duration;
use rand::Rng;
use rand_distr::{Distribution, Exp, Exp1, Gamma, LogNormal, Uniform};
use rand_pcg::Pcg64Mcg;

/// The longest duration a distribution may give, hours (about 114 years). Larger means and
/// values are refused when a scenario is loaded; draws beyond it are cut to it.
pub const MAX_HOURS: f64 = 1.0e6;

/// The generator behind every stream: PCG with 128-bit state, portable and reproducible
/// across platforms and versions of this crate.
pub type Stream = Pcg64Mcg;

/// What kind of element a stream belongs to; part of the stream's key, so that a flow and a
/// crossing sharing an id still draw independent numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// A flow's arrival process.
    FlowArrivals,
    /// A crossing stage's service and inspection times (the stage index is the sub-key).
    CrossingStage,
    /// A ferry line's storms.
    FerryWeather,
    /// A random disruption's closures.
    Disruption,
}

impl StreamKind {
    fn tag(self) -> u64 {
        match self {
            StreamKind::FlowArrivals => 0x666c_6f77,
            StreamKind::CrossingStage => 0x6372_6f73,
            StreamKind::FerryWeather => 0x6665_7272,
            StreamKind::Disruption => 0x6469_7372,
        }
    }
}

/// FNV-1a, 64 bit: a stable hash of an id's bytes (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser: spreads the bits of a key so that nearby keys give unrelated seeds.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The stream of element `id` of kind `kind` (with sub-key `sub`, e.g. a stage index) in
/// replication `replication` of a run seeded with `seed`.
pub fn stream(seed: u64, replication: u64, kind: StreamKind, id: &str, sub: u64) -> Stream {
    let a = splitmix(seed ^ splitmix(replication.wrapping_add(0x5851_f42d_4c95_7f2d)));
    let b = splitmix(fnv1a(id.as_bytes()) ^ splitmix(kind.tag() ^ sub.rotate_left(32)));
    let hi = splitmix(a ^ b);
    let lo = splitmix(hi ^ a.rotate_left(17) ^ b);
    Pcg64Mcg::new((u128::from(hi) << 64) | u128::from(lo))
}

/// A probability distribution of a non-negative quantity (a duration in hours), ready to
/// sample. Built from validated parameters; see [`Dist::new`].
#[derive(Debug, Clone)]
pub enum Dist {
    /// Always the same value.
    Const(f64),
    /// Exponential with the given mean.
    Exp(Exp<f64>, f64),
    /// Uniform between min and max.
    Uniform(Uniform<f64>, f64),
    /// Triangular with min, mode and max.
    Tri(Triangular, f64),
    /// Log-normal given by its own mean and standard deviation (not those of its log).
    LogNormal(LogNormal<f64>, f64),
    /// Gamma given by its mean and standard deviation.
    Gamma(Gamma<f64>, f64),
    /// One of the listed values, each equally likely.
    Empirical(Box<[f64]>, f64),
}

/// Every distribution a scenario may name in the table form `{ dist = NAME, ... }`, with
/// the parameters it takes, each exactly once (hours; `values` a list of hours): what the
/// loader accepts and what the JSON Schema of the format lists.
pub const DIST_PARAMETERS: [(&str, &[&str]); 7] = [
    ("const", &["value"]),
    ("exp", &["mean"]),
    ("uniform", &["min", "max"]),
    ("tri", &["min", "mode", "max"]),
    ("lognormal", &["mean", "sd"]),
    ("gamma", &["mean", "sd"]),
    ("empirical", &["values"]),
];

/// The parameters of a distribution as a scenario gives them, before they are checked.
#[derive(Debug, Clone, PartialEq)]
pub enum DistSpec {
    /// `x` or `{ dist = "const", value = x }`.
    Const(f64),
    /// `{ dist = "exp", mean }`.
    Exp {
        /// Mean, > 0.
        mean: f64,
    },
    /// `{ dist = "uniform", min, max }`.
    Uniform {
        /// Lower bound, >= 0.
        min: f64,
        /// Upper bound, >= min.
        max: f64,
    },
    /// `{ dist = "tri", min, mode, max }`.
    Tri {
        /// Lower bound, >= 0.
        min: f64,
        /// Most likely value, in [min, max].
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// `{ dist = "lognormal", mean, sd }`.
    LogNormal {
        /// Mean, > 0.
        mean: f64,
        /// Standard deviation, >= 0.
        sd: f64,
    },
    /// `{ dist = "gamma", mean, sd }`.
    Gamma {
        /// Mean, > 0.
        mean: f64,
        /// Standard deviation, > 0.
        sd: f64,
    },
    /// `{ dist = "empirical", values }`.
    Empirical {
        /// The values, at least one, each >= 0.
        values: Vec<f64>,
    },
}

impl DistSpec {
    /// The mean of the distribution these parameters describe.
    pub fn mean(&self) -> f64 {
        match self {
            DistSpec::Const(v) => *v,
            DistSpec::Exp { mean } | DistSpec::LogNormal { mean, .. } => *mean,
            DistSpec::Gamma { mean, .. } => *mean,
            DistSpec::Uniform { min, max } => 0.5 * (min + max),
            DistSpec::Tri { min, mode, max } => (min + mode + max) / 3.0,
            DistSpec::Empirical { values } => {
                values.iter().sum::<f64>() / values.len().max(1) as f64
            }
        }
    }
}

/// The triangular distribution on `[min, max]` hours with its peak at `mode`, drawn by
/// inverting its distribution function: the same draws as `rand_distr::Triangular` from the
/// same stream, bit for bit, but without a branch on which side of the peak a draw falls
/// (a coin the processor cannot guess).
#[derive(Debug, Clone, Copy)]
pub struct Triangular {
    /// Lower bound, hours.
    min: f64,
    /// Upper bound, hours.
    max: f64,
    /// `mode - min`, hours.
    rise: f64,
    /// `max - min`, hours.
    range: f64,
    /// `max - mode`, hours.
    fall: f64,
}

impl Triangular {
    /// Needs finite `min <= mode <= max` with `min < max` (checked by [`Dist::new`]).
    fn new(min: f64, mode: f64, max: f64) -> Self {
        Triangular {
            min,
            max,
            rise: mode - min,
            range: max - min,
            fall: max - mode,
        }
    }
}

impl Distribution<f64> for Triangular {
    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let u: f64 = rng.random();
        let f_range = u * self.range;
        // Both sides computed and weighed by 1 and 0, exactly, instead of a branch.
        let rising = f64::from(u8::from(f_range < self.rise));
        let falling = 1.0 - rising;
        let area = rising * (f_range * self.rise) + falling * ((self.range - f_range) * self.fall);
        let from = rising * self.min + falling * self.max;
        let sign = rising - falling;
        from + sign * area.sqrt()
    }
}

/// A draw from `d`, as a call: for samplers too long to copy into every caller.
#[inline(never)]
fn draw_out_of_line<D: Distribution<f64>>(d: &D, rng: &mut Stream) -> f64 {
    d.sample(rng)
}

/// Parameters that make no distribution; the message names the parameter and what is
/// accepted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DistError {
    /// A parameter that must be hours from 0 to [`MAX_HOURS`].
    #[error("`{name}` must be a number of hours from 0 to {MAX_HOURS:e}, found {value}")]
    NotHours {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A parameter that must be hours above 0, at most [`MAX_HOURS`].
    #[error("`{name}` must be a number of hours above 0 and at most {MAX_HOURS:e}, found {value}")]
    NotPositiveHours {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A uniform distribution whose `max` is below its `min`.
    #[error("`max` ({max}) must not be below `min` ({min})")]
    MaxBelowMin {
        /// The lower bound given, hours.
        min: f64,
        /// The upper bound given, hours.
        max: f64,
    },
    /// A triangular distribution whose mode is outside its bounds.
    #[error("need min <= mode <= max, found min {min}, mode {mode}, max {max}")]
    ModeOutside {
        /// The lower bound, hours.
        min: f64,
        /// The mode, hours.
        mode: f64,
        /// The upper bound, hours.
        max: f64,
    },
    /// An empirical distribution without values.
    #[error("`values` must list at least one value")]
    NoValues,
    /// Parameters the sampler itself refuses (what it says).
    #[error("{0}")]
    Sampler(String),
}

/// Hours from 0 to [`MAX_HOURS`], or the error naming the parameter.
fn hours(name: &'static str, value: f64) -> Result<f64, DistError> {
    if value.is_finite() && (0.0..=MAX_HOURS).contains(&value) {
        Ok(value)
    } else {
        Err(DistError::NotHours { name, value })
    }
}

/// Hours above 0, at most [`MAX_HOURS`], or the error naming the parameter.
fn positive_hours(name: &'static str, value: f64) -> Result<f64, DistError> {
    if value.is_finite() && value > 0.0 && value <= MAX_HOURS {
        Ok(value)
    } else {
        Err(DistError::NotPositiveHours { name, value })
    }
}

/// What a sampler of rand_distr says of parameters it refuses.
fn sampler(e: impl std::fmt::Display) -> DistError {
    DistError::Sampler(e.to_string())
}

impl Dist {
    /// Checks the parameters and builds the distribution. The error says which parameter is
    /// wrong and what is accepted.
    pub fn new(spec: &DistSpec) -> Result<Dist, DistError> {
        let mean = spec.mean();
        match spec {
            DistSpec::Const(v) => Ok(Dist::Const(hours("value", *v)?)),
            DistSpec::Exp { mean } => {
                let mean = positive_hours("mean", *mean)?;
                Ok(Dist::Exp(Exp::new(1.0 / mean).map_err(sampler)?, mean))
            }
            DistSpec::Uniform { min, max } => Self::uniform(*min, *max, mean),
            DistSpec::Tri { min, mode, max } => Self::triangular(*min, *mode, *max, mean),
            DistSpec::LogNormal { mean, sd } => Self::lognormal(*mean, *sd),
            DistSpec::Gamma { mean, sd } => Self::gamma(*mean, *sd),
            DistSpec::Empirical { values } => {
                if values.is_empty() {
                    return Err(DistError::NoValues);
                }
                for v in values {
                    hours("values", *v)?;
                }
                Ok(Dist::Empirical(values.clone().into_boxed_slice(), mean))
            }
        }
    }

    fn uniform(min: f64, max: f64, mean: f64) -> Result<Dist, DistError> {
        hours("min", min)?;
        hours("max", max)?;
        if max < min {
            return Err(DistError::MaxBelowMin { min, max });
        }
        if max == min {
            return Ok(Dist::Const(min));
        }
        Ok(Dist::Uniform(
            Uniform::new(min, max).map_err(sampler)?,
            mean,
        ))
    }

    fn triangular(min: f64, mode: f64, max: f64, mean: f64) -> Result<Dist, DistError> {
        hours("min", min)?;
        hours("mode", mode)?;
        hours("max", max)?;
        if !(min <= mode && mode <= max) {
            return Err(DistError::ModeOutside { min, mode, max });
        }
        if min == max {
            return Ok(Dist::Const(min));
        }
        Ok(Dist::Tri(Triangular::new(min, mode, max), mean))
    }

    /// A log-normal of the given mean and standard deviation (hours).
    fn lognormal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        positive_hours("mean", mean)?;
        hours("sd", sd)?;
        if sd == 0.0 {
            return Ok(Dist::Const(mean));
        }
        let s2 = (1.0 + (sd / mean).powi(2)).ln();
        let mu = mean.ln() - 0.5 * s2;
        Ok(Dist::LogNormal(
            LogNormal::new(mu, s2.sqrt()).map_err(sampler)?,
            mean,
        ))
    }

    /// A gamma of the given mean and standard deviation (hours).
    fn gamma(mean: f64, sd: f64) -> Result<Dist, DistError> {
        positive_hours("mean", mean)?;
        hours("sd", sd)?;
        if sd < 1e-9 * mean {
            // So little spread is a constant (and a shape parameter this large would
            // overflow the sampler).
            return Ok(Dist::Const(mean));
        }
        positive_hours("sd", sd)?;
        let shape = (mean / sd).powi(2);
        let scale = sd * sd / mean;
        Ok(Dist::Gamma(
            Gamma::new(shape, scale).map_err(sampler)?,
            mean,
        ))
    }

    /// Draws one value (hours) from `rng`. Never negative.
    ///
    /// Inlined where it is called, so that the short draws (constant, uniform, triangular,
    /// exponential, empirical: a service time at every stage a vehicle passes) are made
    /// there, without a call; the long ones (log-normal, gamma) are a call away.
    #[inline(always)]
    pub fn sample(&self, rng: &mut Stream) -> f64 {
        let x = match self {
            Dist::Const(v) => *v,
            Dist::Exp(d, _) => d.sample(rng),
            Dist::Uniform(d, _) => d.sample(rng),
            Dist::Tri(d, _) => d.sample(rng),
            Dist::LogNormal(d, _) => draw_out_of_line(d, rng),
            Dist::Gamma(d, _) => draw_out_of_line(d, rng),
            Dist::Empirical(values, _) => values[rng.random_range(0..values.len())],
        };
        if x.is_nan() {
            0.0
        } else {
            x.clamp(0.0, MAX_HOURS)
        }
    }

    /// The distribution's mean (hours).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp(_, m)
            | Dist::Uniform(_, m)
            | Dist::Tri(_, m)
            | Dist::LogNormal(_, m)
            | Dist::Gamma(_, m)
            | Dist::Empirical(_, m) => *m,
        }
    }
}

/// An exponential duration of mean `mean` drawn from `rng` (gaps between random closures
/// and storms, and their lengths).
pub(crate) fn exponential(rng: &mut Stream, mean: Duration) -> Duration {
    let x: f64 = Exp1.sample(rng);
    Duration::from_hours(x * mean.as_hours())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_draws_are_rand_distrs_bit_for_bit() {
        for (min, mode, max) in [
            (3.0, 4.0, 6.0),
            (0.0, 0.0, 1.0),
            (2.0, 5.0, 5.0),
            (0.1, 0.7, 0.9),
        ] {
            let ours = Triangular::new(min, mode, max);
            let theirs = rand_distr::Triangular::new(min, max, mode).unwrap();
            let mut a = stream(1, 2, StreamKind::CrossingStage, "tri", 0);
            let mut b = a.clone();
            for _ in 0..10_000 {
                let (x, y) = (ours.sample(&mut a), theirs.sample(&mut b));
                assert_eq!(x.to_bits(), y.to_bits(), "({min}, {mode}, {max})");
            }
        }
    }

    fn sample_mean_sd(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = stream(7, 0, StreamKind::CrossingStage, "test", 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt())
    }

    #[test]
    fn lognormal_and_gamma_have_the_mean_and_sd_the_scenario_gives() {
        for spec in [
            DistSpec::LogNormal { mean: 2.0, sd: 0.8 },
            DistSpec::Gamma {
                mean: 0.75,
                sd: 0.5,
            },
        ] {
            let d = Dist::new(&spec).unwrap();
            let (m, sd) = sample_mean_sd(&d, 400_000);
            let (want_m, want_sd) = match spec {
                DistSpec::LogNormal { mean, sd } | DistSpec::Gamma { mean, sd } => (mean, sd),
                _ => unreachable!(),
            };
            assert!((m - want_m).abs() < 0.01 * want_m, "{spec:?}: mean {m}");
            assert!((sd - want_sd).abs() < 0.02 * want_sd, "{spec:?}: sd {sd}");
        }
    }

    #[test]
    fn empirical_draws_each_value_about_equally_often() {
        let d = Dist::new(&DistSpec::Empirical {
            values: vec![1.0, 2.0, 3.0, 4.0],
        })
        .unwrap();
        let mut rng = stream(1, 0, StreamKind::CrossingStage, "e", 0);
        let mut counts = [0usize; 4];
        let n = 100_000;
        for _ in 0..n {
            counts[d.sample(&mut rng) as usize - 1] += 1;
        }
        // Chi-squared with 3 degrees of freedom; 16.27 is its 0.999 quantile.
        let e = n as f64 / 4.0;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
        assert!(chi2 < 16.27, "chi2 {chi2}, counts {counts:?}");
    }

    #[test]
    fn streams_depend_on_seed_replication_kind_and_id_only() {
        let draw = |s: &mut Stream| s.random::<u64>();
        let a = draw(&mut stream(1, 2, StreamKind::FlowArrivals, "x", 0));
        assert_eq!(a, draw(&mut stream(1, 2, StreamKind::FlowArrivals, "x", 0)));
        assert_ne!(a, draw(&mut stream(1, 3, StreamKind::FlowArrivals, "x", 0)));
        assert_ne!(a, draw(&mut stream(2, 2, StreamKind::FlowArrivals, "x", 0)));
        assert_ne!(
            a,
            draw(&mut stream(1, 2, StreamKind::CrossingStage, "x", 0))
        );
        assert_ne!(a, draw(&mut stream(1, 2, StreamKind::FlowArrivals, "y", 0)));
        assert_ne!(a, draw(&mut stream(1, 2, StreamKind::FlowArrivals, "x", 1)));
    }

    #[test]
    fn impossible_parameters_are_refused_with_the_parameter_named() {
        let e = Dist::new(&DistSpec::Tri {
            min: 3.0,
            mode: 1.0,
            max: 4.0,
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("min <= mode <= max"), "{e}");
        let e = Dist::new(&DistSpec::Exp { mean: 0.0 })
            .unwrap_err()
            .to_string();
        assert!(e.contains("`mean`"), "{e}");
        let e = Dist::new(&DistSpec::Const(-1.0)).unwrap_err().to_string();
        assert!(e.contains("from 0 to"), "{e}");
        assert!(Dist::new(&DistSpec::Exp { mean: 1e308 }).is_err());
        for sd in [-2.0, -1e-300, f64::NAN] {
            let e = Dist::new(&DistSpec::Gamma { mean: 5.0, sd })
                .unwrap_err()
                .to_string();
            assert!(e.contains("`sd`") && e.contains("from 0 to"), "{e}");
        }
    }

    #[test]
    fn a_gamma_with_almost_no_spread_is_its_mean() {
        let d = Dist::new(&DistSpec::Gamma {
            mean: 1.0,
            sd: 1e-160,
        })
        .unwrap();
        let mut rng = stream(1, 0, StreamKind::CrossingStage, "g", 0);
        assert_eq!(d.sample(&mut rng), 1.0);
    }
}
