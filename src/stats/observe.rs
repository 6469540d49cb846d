//! Observers used inside one replication: time integrals of a level (a queue length) and
//! tallies of durations (waits, transit times) with a histogram for quantiles.
//! Both count only what happens inside the measured window (after the warm-up).

use crate::kernel::{ms_to_f64, round_to_u64, SimTime};
use hdrhistogram::Histogram;

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

    /// True when `t` is inside the window (start included).
    #[inline]
    pub fn contains(&self, t: SimTime) -> bool {
        t >= self.start && t <= self.end
    }

    /// Length of the window, ms (at least 1, to divide by).
    pub fn len_ms(&self) -> f64 {
        (self.end.0.saturating_sub(self.start.0)).max(1) as f64
    }
}

/// A quantity that changes at events (a queue length, TEU in a yard) and its integral over
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

    /// The time average over the window, once the clock stands at `w.end`.
    pub fn time_average(&self, w: &Window) -> f64 {
        let area = self.area + self.value * ms_to_f64(w.overlap_ms(self.since, w.end));
        area / w.len_ms()
    }
}

/// Durations observed inside the window: count, exact mean, and quantiles good to about 1 %.
#[derive(Debug, Clone)]
pub struct Tally {
    n: u64,
    /// Durations that round to zero seconds (a vehicle that did not wait at all, the usual
    /// case on a free segment): counted here instead of in the histogram.
    zeros: u64,
    sum_h: f64,
    /// Seconds, two significant digits (1 % relative precision).
    hist: Histogram<u32>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            n: 0,
            zeros: 0,
            sum_h: 0.0,
            hist: Histogram::new(2).expect("2 significant digits is a valid precision"),
        }
    }
}

impl Tally {
    /// Records a duration in hours.
    #[inline]
    pub fn record(&mut self, hours: f64) {
        self.n += 1;
        self.sum_h += hours;
        let secs = round_to_u64(hours * 3600.0);
        if secs == 0 {
            self.zeros += 1;
            return;
        }
        // The histogram resizes itself to fit; should that ever fail, clamp to its range.
        if self.hist.record(secs).is_err() {
            self.hist.saturating_record(secs);
        }
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Sum of the durations observed, hours.
    pub fn total(&self) -> f64 {
        self.sum_h
    }

    /// Mean in hours; NaN ("no observation") when nothing was observed.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sum_h / self.n as f64
        }
    }

    /// The `q` quantile in hours (0 < q < 1); NaN ("no observation") when nothing was
    /// observed.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            let secs = if self.zeros == 0 {
                self.hist.value_at_quantile(q)
            } else {
                let mut all = self.hist.clone();
                all.saturating_record_n(0, u32::try_from(self.zeros).unwrap_or(u32::MAX));
                all.value_at_quantile(q)
            };
            secs as f64 / 3600.0
        }
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
        l.add(SimTime(0), 2.0, &w); // 2 from 0
        l.add(SimTime(200), -1.0, &w); // 1 from 200
                                       // 2 over [100,200) and 1 over [200,300): average 1.5.
        assert!((l.time_average(&w) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn tally_quantiles_are_within_one_percent() {
        let mut t = Tally::default();
        for i in 1..=1000 {
            t.record(i as f64);
        }
        assert!((t.mean() - 500.5).abs() < 1e-9);
        assert!((t.quantile(0.95) - 950.0).abs() / 950.0 < 0.01);
        assert!((t.quantile(0.5) - 500.0).abs() / 500.0 < 0.01);
    }

    #[test]
    fn tally_quantiles_count_zero_durations() {
        let mut t = Tally::default();
        for i in 0..1000 {
            t.record(if i < 600 { 0.0 } else { 2.0 });
        }
        assert_eq!(t.count(), 1000);
        assert_eq!(t.quantile(0.5), 0.0);
        assert_eq!(t.quantile(0.6), 0.0);
        assert!((t.quantile(0.61) - 2.0).abs() / 2.0 < 0.01);
        assert!((t.mean() - 0.8).abs() < 1e-12);
        let mut zeros = Tally::default();
        zeros.record(0.0);
        zeros.record(-1.0);
        assert_eq!(zeros.quantile(0.95), 0.0);
    }
}
