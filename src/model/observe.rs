//! Observers used inside one replication: time integrals of a level (a queue length),
//! tallies of durations (waits, transit times) with a histogram for quantiles, and totals
//! of TEU.
//! Levels integrate over the measured window (after the warm-up) only; tallies and totals
//! are given only what happens inside it.

use crate::kernel::{ms_to_f64, Duration, SimTime, MS_PER_HOUR};

/// The measured part of a replication: from the end of the warm-up to the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// End of the warm-up.
    pub start: SimTime,
    /// The horizon.
    pub end: SimTime,
}

impl Window {
    /// Milliseconds of `[a, b)` that fall inside the window.
    #[inline]
    pub fn overlap_ms(&self, a: SimTime, b: SimTime) -> u64 {
        let lo = a.max(self.start);
        let hi = b.min(self.end);
        hi.0.saturating_sub(lo.0)
    }

    /// True when `t` is inside the window, both its start and its end included.
    #[inline]
    pub fn contains(&self, t: SimTime) -> bool {
        t >= self.start && t <= self.end
    }

    /// Length of the window, ms (at least 1, to divide by).
    pub fn len_ms(&self) -> f64 {
        (self.end.0.saturating_sub(self.start.0)).max(1) as f64
    }
}

/// A quantity that changes at events (TEU in a yard, wagons in use) and its integral over
/// the measured window, for time averages.
#[derive(Debug, Clone, Default)]
pub struct Level {
    value: f64,
    since: SimTime,
    area: f64,
}

impl Level {
    /// Changes the value by `delta` at `now`.
    #[inline]
    pub fn add(&mut self, now: SimTime, delta: f64, w: &Window) {
        self.area += self.value * ms_to_f64(w.overlap_ms(self.since, now));
        self.since = now;
        self.value += delta;
    }

    /// The value now (after the last change).
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The time average over the window, once the clock stands at `w.end`.
    pub fn time_average(&self, w: &Window) -> f64 {
        let area = self.area + self.value * ms_to_f64(w.overlap_ms(self.since, w.end));
        area / w.len_ms()
    }
}

/// A count that changes at events (vehicles queued at a crossing) and its integral over the
/// measured window, in vehicle-milliseconds as an integer: exact, so it sums the same in
/// any order, as it must where a vehicle's wait is counted ahead of time
/// ([`CountLevel::add_span`]) among changes counted as they happen.
#[derive(Debug, Clone, Default)]
pub struct CountLevel {
    value: u64,
    since: SimTime,
    /// The integral, vehicle-milliseconds: low and high 64 bits (as one `u128` the M/M/10
    /// benchmark ran 12 % slower for the same instructions).
    area: [u64; 2],
}

impl CountLevel {
    /// Changes the count by `delta` at `now`.
    #[inline]
    pub fn add(&mut self, now: SimTime, delta: i64, w: &Window) {
        self.add_area(u128::from(self.value) * u128::from(w.overlap_ms(self.since, now)));
        self.since = now;
        self.value = self.value.wrapping_add_signed(delta);
        debug_assert!(self.value <= u64::MAX / 2, "a count below zero");
    }

    /// Counts one more over `[from, to)`, ahead of time: for a vehicle whose wait is known
    /// as it begins.
    #[inline]
    pub fn add_span(&mut self, from: SimTime, to: SimTime, w: &Window) {
        self.add_area(u128::from(w.overlap_ms(from, to)));
    }

    /// Adds `a` vehicle-milliseconds to the integral.
    #[inline]
    fn add_area(&mut self, a: u128) {
        let (lo, carry) = self.area[0].overflowing_add(a as u64);
        self.area = [
            lo,
            self.area[1].wrapping_add((a >> 64) as u64 + u64::from(carry)),
        ];
    }

    /// The integral so far, vehicle-milliseconds.
    fn area(&self) -> u128 {
        u128::from(self.area[1]) << 64 | u128::from(self.area[0])
    }

    /// The count now (after the last change).
    pub fn value(&self) -> u64 {
        self.value
    }

    /// The time average over the window, once the clock stands at `w.end`.
    pub fn time_average(&self, w: &Window) -> f64 {
        let rest = u128::from(self.value) * u128::from(w.overlap_ms(self.since, w.end));
        (self.area() + rest) as f64 / w.len_ms()
    }
}

/// Counts of whole seconds in log-linear buckets: exact below 256 s, then 128 buckets per
/// doubling, so that a bucket is less than 0.8 % of its values wide (the layout of an HDR
/// histogram with two significant digits). Storage grows to the largest value recorded.
#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Per bucket, the values recorded (saturating: four billion in one bucket of one
    /// replication is far beyond any scenario).
    counts: Vec<u32>,
}

/// Bits of a value kept below its leading one: 128 buckets per doubling.
const SUB_BITS: u32 = 7;

impl Histogram {
    /// The bucket of `v` seconds.
    #[inline]
    fn index(v: u64) -> usize {
        let magnitude = (u64::BITS - 1).saturating_sub(v.leading_zeros());
        if magnitude <= SUB_BITS {
            v as usize
        } else {
            let shift = magnitude - SUB_BITS;
            // (shift + 1) << SUB_BITS buckets lie below this doubling's first one.
            ((shift as usize) << SUB_BITS) + (v >> shift) as usize
        }
    }

    /// The largest value in bucket `i`.
    fn highest(i: usize) -> u64 {
        let block = i >> SUB_BITS;
        if block <= 1 {
            i as u64
        } else {
            let shift = block as u32 - 1;
            let lowest = ((i - ((shift as usize) << SUB_BITS)) as u64) << shift;
            lowest + ((1 << shift) - 1)
        }
    }

    #[inline]
    fn record(&mut self, v: u64) {
        let i = Self::index(v);
        match self.counts.get_mut(i) {
            Some(c) => *c = c.saturating_add(1),
            None => self.grow_to(i),
        }
    }

    /// Grows the buckets to hold bucket `i`, and counts one value in it: once per new
    /// largest bucket, so out of the common path.
    #[cold]
    fn grow_to(&mut self, i: usize) {
        self.counts.resize(i + 1, 0);
        self.counts[i] = 1;
    }

    /// The largest value of the bucket holding the `rank`-th smallest value (from 1), with
    /// `below` values counted under every bucket (zeros kept elsewhere).
    fn value_at_rank(&self, rank: u64, below: u64) -> u64 {
        let mut seen = below;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if seen >= rank {
                return Self::highest(i);
            }
        }
        self.counts.len().checked_sub(1).map_or(0, Self::highest)
    }
}

/// A total of TEU that is the same whatever order its parts are added in: each part is
/// split into whole TEU, summed exactly as a float (integers below 2^53 are), and the rest,
/// cut once down to a multiple of 2^-62 TEU and summed as an integer.
///
/// A floating-point sum depends on the order of its terms, and the order in which vehicles
/// are counted is not the order of events everywhere: a vehicle run through a segment is
/// counted out of it before its turn, and a compact line counts its vehicles together.
/// With this total the figures come out bit for bit as counting one by one in time order.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TeuTotal {
    /// Whole TEU (exact below 2^53 TEU, some nine million billion).
    whole: f64,
    /// What the parts held beyond their nearest whole TEU, in 2^-62ths of a TEU.
    rest: i128,
}

impl TeuTotal {
    /// 2^52: a figure from 0 to 2^51 added to it is rounded to a whole number.
    const ROUNDING: f64 = 4_503_599_627_370_496.0;
    /// 2^62: multiplying a fraction of a TEU by it is exact.
    const REST_UNITS: f64 = 4_611_686_018_427_387_904.0;

    /// Adds `teu` TEU (from 0 to 2^51).
    #[inline]
    pub fn add(&mut self, teu: f64) {
        self.add_times(teu, 1);
    }

    /// Adds `n` parts of `teu` TEU each (from 0 to 2^51): the same as `n` calls of
    /// [`TeuTotal::add`].
    #[inline]
    pub fn add_times(&mut self, teu: f64, n: u64) {
        // Four float operations, where converting to an integer takes several instructions
        // or a library call: this runs for every vehicle leaving every segment.
        let whole = (teu + Self::ROUNDING) - Self::ROUNDING;
        let rest = teu - whole;
        self.whole += whole * n as f64;
        if rest != 0.0 {
            self.add_rest(rest, n);
        }
    }

    /// Adds `n` times `rest` (from -1/2 to 1/2 TEU).
    #[cold]
    fn add_rest(&mut self, rest: f64, n: u64) {
        self.rest += i128::from((rest * Self::REST_UNITS) as i64) * i128::from(n);
    }

    /// The total, TEU.
    pub fn teu(self) -> f64 {
        self.whole + self.rest as f64 / Self::REST_UNITS
    }
}

/// Durations observed inside the window: count, exact mean, and quantiles good to about 1 %.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Durations that round to zero seconds (a vehicle that did not wait at all, the usual
    /// case on a free segment): counted here instead of in the histogram.
    zeros: u64,
    /// Sum of the durations, ms (exact).
    sum_ms: u128,
    /// Whole seconds, to better than 1 %.
    hist: Histogram,
}

impl Tally {
    /// Records a duration.
    #[inline]
    pub fn record(&mut self, d: Duration) {
        self.sum_ms += u128::from(d.0);
        // To the nearest second, halves up (saturating some 580 million years out).
        let secs = d.0.saturating_add(500) / 1000;
        if secs == 0 {
            self.zeros += 1;
        } else {
            self.hist.record(secs);
        }
    }

    /// Adds every duration `other` observed to this tally.
    pub fn merge(&mut self, other: &Tally) {
        self.zeros += other.zeros;
        self.sum_ms += other.sum_ms;
        let counts = &mut self.hist.counts;
        if counts.len() < other.hist.counts.len() {
            counts.resize(other.hist.counts.len(), 0);
        }
        for (c, o) in counts.iter_mut().zip(&other.hist.counts) {
            *c = c.saturating_add(*o);
        }
    }

    /// Number of observations: counted when asked (a replication asks at its end), not at
    /// every observation.
    pub fn count(&self) -> u64 {
        self.zeros + self.hist.counts.iter().map(|&c| u64::from(c)).sum::<u64>()
    }

    /// Sum of the durations observed, hours.
    pub fn total(&self) -> f64 {
        self.sum_ms as f64 / MS_PER_HOUR as f64
    }

    /// Mean in hours; NaN ("no observation") when nothing was observed.
    pub fn mean(&self) -> f64 {
        match self.count() {
            0 => f64::NAN,
            n => self.sum_ms as f64 / n as f64 / MS_PER_HOUR as f64,
        }
    }

    /// The TEU-weighted (or otherwise weighted) mean and `q` quantiles, hours, of the
    /// durations of several tallies taken together, each observation of tally i weighing
    /// `parts[i].1`: the figures of a group of flows whose vehicles carry different TEU.
    /// NaN ("no observation") when no weighed observation was made. With equal weights,
    /// the same as one tally of every observation.
    pub fn weighted(parts: &[(&Tally, f64)], qs: &[f64]) -> (f64, Vec<f64>) {
        let weight_of = |n: u64, w: f64| n as f64 * w;
        let total: f64 = parts.iter().map(|(t, w)| weight_of(t.count(), *w)).sum();
        if total <= 0.0 || total.is_nan() {
            return (f64::NAN, vec![f64::NAN; qs.len()]);
        }
        let sum_ms: f64 = parts.iter().map(|(t, w)| t.sum_ms as f64 * w).sum();
        let mean = sum_ms / total / MS_PER_HOUR as f64;
        let zeros: f64 = parts.iter().map(|(t, w)| weight_of(t.zeros, *w)).sum();
        let buckets = parts
            .iter()
            .map(|(t, _)| t.hist.counts.len())
            .max()
            .unwrap_or(0);
        let quantiles = qs
            .iter()
            .map(|&q| {
                // The weight at or below which the quantile lies, less a hair of rounding:
                // with equal weights, the bucket of the observation of rank ceil(q n).
                let target = (q.min(1.0) * total).max(f64::MIN_POSITIVE) * (1.0 - 1e-12);
                if zeros >= target {
                    return 0.0;
                }
                let mut seen = zeros;
                for i in 0..buckets {
                    seen += parts
                        .iter()
                        .map(|(t, w)| {
                            weight_of(u64::from(t.hist.counts.get(i).copied().unwrap_or(0)), *w)
                        })
                        .sum::<f64>();
                    if seen >= target {
                        return Histogram::highest(i) as f64 / 3600.0;
                    }
                }
                buckets
                    .checked_sub(1)
                    .map_or(0.0, |i| Histogram::highest(i) as f64 / 3600.0)
            })
            .collect();
        (mean, quantiles)
    }

    /// The `q` quantile in hours (0 < q <= 1): the value of the observation of rank
    /// ceil(q n), to within its bucket; NaN ("no observation") when nothing was observed.
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((q.min(1.0) * n as f64).ceil() as u64).max(1);
        let secs = if rank <= self.zeros {
            0
        } else {
            self.hist.value_at_rank(rank, self.zeros)
        };
        secs as f64 / 3600.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_integrates_only_inside_the_window() {
        let w = Window {
            start: SimTime(100),
            end: SimTime(300),
        };
        let mut l = Level::default();
        // 2 from 0 and 1 from 200: 2 over [100,200) and 1 over [200,300), average 1.5.
        l.add(SimTime(0), 2.0, &w);
        l.add(SimTime(200), -1.0, &w);
        assert!((l.time_average(&w) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn count_level_integrals_are_exact_in_any_order() {
        // Spans of 1, 1 and 2^54 ms: summed in f64 the two ones are lost after 2^54 and
        // kept before it; the count's integral keeps them either way.
        let w = Window {
            start: SimTime(0),
            end: SimTime(1 << 60),
        };
        let spans = [(0, 1), (0, 1), (0, 1 << 54)];
        let mut forward = CountLevel::default();
        let mut backward = CountLevel::default();
        spans
            .iter()
            .for_each(|&(a, b)| forward.add_span(SimTime(a), SimTime(b), &w));
        (spans.iter().rev()).for_each(|&(a, b)| backward.add_span(SimTime(a), SimTime(b), &w));
        assert_eq!(forward.area(), (1 << 54) + 2);
        assert_eq!(backward.area(), forward.area());
        // Changes as they happen: 2 from 100 to 200 and 1 from 200, inside [100, 300).
        let w = Window {
            start: SimTime(100),
            end: SimTime(300),
        };
        let mut l = CountLevel::default();
        l.add(SimTime(0), 2, &w);
        l.add(SimTime(200), -1, &w);
        l.add_span(SimTime(250), SimTime(400), &w);
        assert_eq!(l.value(), 1);
        assert_eq!(l.time_average(&w), (200.0 + 100.0 + 50.0) / 200.0);
    }

    #[test]
    fn tally_quantiles_are_within_one_percent() {
        let mut t = Tally::default();
        for i in 1..=1000 {
            t.record(Duration::from_hours(i as f64));
        }
        assert!((t.mean() - 500.5).abs() < 1e-9);
        assert!((t.quantile(0.95) - 950.0).abs() / 950.0 < 0.01);
        assert!((t.quantile(0.5) - 500.0).abs() / 500.0 < 0.01);
    }

    #[test]
    fn histogram_buckets_are_exact_below_256_s_and_under_one_percent_wide_above() {
        let mut last = 0;
        for v in 1..2_000_000u64 {
            let i = Histogram::index(v);
            assert!(
                i == last || i == last + 1,
                "buckets follow each other at {v}"
            );
            last = i;
            let hi = Histogram::highest(i);
            assert!(hi >= v, "{v} lies in its bucket (highest {hi})");
            assert!(
                (hi - v) as f64 <= v as f64 / 128.0,
                "bucket of {v} too wide: {hi}"
            );
            if v < 256 {
                assert_eq!(hi, v);
            }
        }
        assert_eq!(Histogram::highest(Histogram::index(u64::MAX)), u64::MAX);
    }

    #[test]
    fn merged_tallies_equal_one_tally_of_all_durations() {
        let (mut a, mut b, mut all) = (Tally::default(), Tally::default(), Tally::default());
        for i in 0..500 {
            let h = f64::from(i % 17) * 0.37;
            if i % 3 == 0 {
                a.record(Duration::from_hours(h))
            } else {
                b.record(Duration::from_hours(h))
            }
            all.record(Duration::from_hours(h));
        }
        a.merge(&b);
        assert_eq!(a.count(), all.count());
        for q in [0.1, 0.5, 0.95, 1.0] {
            assert_eq!(a.quantile(q), all.quantile(q));
        }
        assert!((a.total() - all.total()).abs() < 1e-9);
    }

    #[test]
    fn weighted_tallies_with_equal_weights_are_one_tally_and_weights_count_as_copies() {
        let (mut a, mut b, mut all) = (Tally::default(), Tally::default(), Tally::default());
        for i in 0..400 {
            let d = Duration::from_hours(f64::from(i % 23) * 0.61);
            if i % 4 == 0 {
                a.record(d)
            } else {
                b.record(d)
            }
            all.record(d);
        }
        let qs = [0.1, 0.5, 0.95, 1.0];
        let (mean, q) = Tally::weighted(&[(&a, 2.0), (&b, 2.0)], &qs);
        assert!((mean - all.mean()).abs() < 1e-12);
        for (k, &p) in qs.iter().enumerate() {
            assert_eq!(q[k], all.quantile(p), "q {p}");
        }
        // A weight of 3 counts each observation of `a` three times.
        let mut thrice = Tally::default();
        for _ in 0..3 {
            thrice.merge(&a);
        }
        thrice.merge(&b);
        let (mean, q) = Tally::weighted(&[(&a, 3.0), (&b, 1.0)], &qs);
        assert!((mean - thrice.mean()).abs() < 1e-12);
        for (k, &p) in qs.iter().enumerate() {
            assert_eq!(q[k], thrice.quantile(p), "q {p}");
        }
        let (mean, q) = Tally::weighted(&[(&Tally::default(), 1.0)], &qs);
        assert!(mean.is_nan() && q.iter().all(|x| x.is_nan()));
    }

    #[test]
    fn tally_quantiles_count_zero_durations() {
        let mut t = Tally::default();
        for i in 0..1000 {
            t.record(Duration::from_hours(if i < 600 { 0.0 } else { 2.0 }));
        }
        assert_eq!(t.count(), 1000);
        assert_eq!(t.quantile(0.5), 0.0);
        assert_eq!(t.quantile(0.6), 0.0);
        assert!((t.quantile(0.61) - 2.0).abs() / 2.0 < 0.01);
        assert!((t.mean() - 0.8).abs() < 1e-12);
        let mut zeros = Tally::default();
        zeros.record(Duration::ZERO);
        zeros.record(Duration(499));
        assert_eq!(zeros.quantile(0.95), 0.0);
    }

    #[test]
    fn teu_totals_do_not_depend_on_the_order_of_their_parts() {
        // Parts whose floating-point sum forwards and backwards differ in the last bit; the
        // totals must not.
        let parts = [0.3, 0.2, 0.1, 26.50968708699171, 80.0];
        let forward: f64 = parts.iter().sum();
        let backward: f64 = parts.iter().rev().sum();
        assert_ne!(forward.to_bits(), backward.to_bits());
        let total = |order: &mut dyn Iterator<Item = &f64>| {
            let mut t = TeuTotal::default();
            order.for_each(|&p| t.add(p));
            t
        };
        let (a, b) = (total(&mut parts.iter()), total(&mut parts.iter().rev()));
        assert_eq!(a, b);
        assert!((a.teu() - forward).abs() < 1e-12);
        let mut repeated = TeuTotal::default();
        repeated.add_times(0.1, 3);
        let mut one_by_one = TeuTotal::default();
        (0..3).for_each(|_| one_by_one.add(0.1));
        assert_eq!(repeated, one_by_one);
        // Whole TEU come out exactly.
        let mut whole = TeuTotal::default();
        whole.add_times(80.0, 1_000_000);
        assert_eq!(whole.teu(), 80_000_000.0);
    }
}
