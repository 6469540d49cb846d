//! Finding the warm-up from the data: MSER-5 (White, 1997; Franklin and White, 2008).
//!
//! The series (here: vehicles in the network, sampled daily and averaged over a few pilot
//! replications) is cut into batches of five; for each number d of leading batches dropped,
//! the statistic is the variance of the remaining batch means divided by their count. The
//! warm-up is the d that minimises it, searched over the first half of the series only, so
//! that at least half of the data always remains.

/// Batch size of MSER-5.
pub const BATCH: usize = 5;

/// The number of leading observations of `series` to discard (a multiple of five, at most
/// half the series).
pub fn mser5(series: &[f64]) -> usize {
    let batches: Vec<f64> = series
        .chunks_exact(BATCH)
        .map(|c| c.iter().sum::<f64>() / BATCH as f64)
        .collect();
    let n = batches.len();
    if n < 4 {
        return 0;
    }
    let mut best = (0, f64::INFINITY);
    for d in 0..=n / 2 {
        let rest = &batches[d..];
        let k = rest.len() as f64;
        let mean = rest.iter().sum::<f64>() / k;
        let ss: f64 = rest.iter().map(|x| (x - mean).powi(2)).sum();
        let stat = ss / (k * k);
        if stat < best.1 {
            best = (d, stat);
        }
    }
    best.0 * BATCH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_that_rises_then_levels_is_cut_where_it_levels() {
        // 50 days rising from 0 to 100, then 250 days around 100.
        let mut x = 0x9e37_79b9_u64;
        let series: Vec<f64> = (0..300)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                let noise = ((x >> 40) as f64 / (1u64 << 24) as f64 - 0.5) * 10.0;
                if i < 50 {
                    2.0 * i as f64 + noise
                } else {
                    100.0 + noise
                }
            })
            .collect();
        // The transient goes, and at least half the data stays.
        let d = mser5(&series);
        assert!((45..=150).contains(&d), "cut at {d}");
    }

    #[test]
    fn a_stationary_series_needs_little_or_no_warmup() {
        let series: Vec<f64> = (0..200).map(|i| 50.0 + ((i * 37) % 11) as f64).collect();
        assert!(mser5(&series) <= 20);
    }
}
