//! Monte Carlo batches: replications run in parallel with rayon, one replication per task,
//! results kept in replication order so that the summary is the same on any number of
//! threads.

use crate::model::{simulate, Model};
use crate::stats::paired::{self, MetricDifference};
use crate::stats::{ReplicationObs, Results};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// How to run a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Number of replications (indices 0..replications).
    pub replications: u32,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// A batch that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The thread pool could not be created.
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// Why it failed.
        source: rayon::ThreadPoolBuildError,
    },
    /// Zero replications were asked for.
    #[error("at least one replication is needed")]
    NoReplications,
}

/// Runs replications `0..opts.replications` of `model` and returns their observations in
/// replication order.
pub fn run(model: &Model, opts: &RunOptions) -> Result<Vec<ReplicationObs>, RunError> {
    run_range(model, opts, 0..u64::from(opts.replications))
}

/// Runs replications `range` of `model` and returns their observations in order.
fn run_range(
    model: &Model,
    opts: &RunOptions,
    range: std::ops::Range<u64>,
) -> Result<Vec<ReplicationObs>, RunError> {
    if range.is_empty() {
        return Err(RunError::NoReplications);
    }
    let pool = pool(opts.threads)?;
    let bar = progress_bar(range.end - range.start, opts.progress);
    let reps = pool.install(|| {
        range
            .into_par_iter()
            .map(|r| {
                if interrupted() {
                    return None;
                }
                let obs = simulate(model, opts.seed, r);
                bar.inc(1);
                Some(obs)
            })
            .collect::<Vec<_>>()
    });
    bar.finish_and_clear();
    // After an interruption, keep the replications finished from the first on without a
    // gap: the partial result is then exactly a plain run of that many.
    Ok(reps.into_iter().map_while(|r| r).collect())
}

/// A pool of `threads` worker threads (every core if `None`) for a batch.
pub(crate) fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, RunError> {
    let threads = threads.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks running batches to stop: replications not yet started are skipped, those under
/// way finish. Safe to call from a signal handler.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// True once [`interrupt`] has been called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Replications run to find the warm-up when a scenario says `warmup_days = "auto"`.
pub const WARMUP_PILOTS: u64 = 5;

/// Sets the warm-up of a model whose scenario asked for it to be found from the data:
/// pilot replications `0..WARMUP_PILOTS` record the vehicles in the network every day; their
/// average goes through MSER-5 ([`crate::stats::warmup::mser5`]). Returns the days found,
/// or `None` (model unchanged) when the scenario gave the warm-up.
pub fn resolve_warmup(
    model: &mut Model,
    seed: u64,
    threads: Option<usize>,
) -> Result<Option<f64>, RunError> {
    if !model.warmup_auto {
        return Ok(None);
    }
    let pool = pool(threads)?;
    let day = crate::kernel::Duration::from_hours(24.0);
    let series: Vec<Vec<f64>> = pool.install(|| {
        (0..WARMUP_PILOTS)
            .into_par_iter()
            .map(|r| crate::model::vehicles_in_network(model, seed, r, day))
            .collect()
    });
    let len = series.iter().map(Vec::len).min().unwrap_or(0);
    let mean: Vec<f64> = (0..len)
        .map(|i| series.iter().map(|s| s[i]).sum::<f64>() / series.len() as f64)
        .collect();
    let days = crate::stats::warmup::mser5(&mean) as f64;
    model.warmup = crate::kernel::SimTime::from_hours(days * 24.0);
    model.warmup_auto = false;
    Ok(Some(days))
}

/// The outcome of sequential stopping.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Precision {
    /// The relative CI half-width asked for on the network's delivered TEU per year.
    pub target: f64,
    /// The relative CI half-width reached.
    pub reached: f64,
    /// Replications used (at most the `--replications` given).
    pub replications_used: u32,
}

/// Runs replications until the 95 % CI half-width of the network's delivered TEU per year
/// is within `target` times its mean, or `opts.replications` have run. Starts with ten (or
/// all, if fewer), then adds as many as the current spread says are needed, plus a tenth.
/// Replication r is the same whatever the batches, so the result equals a plain run of the
/// replications used.
pub fn run_to_precision(
    model: &Model,
    opts: &RunOptions,
    target: f64,
) -> Result<(Vec<ReplicationObs>, Precision), RunError> {
    let max = u64::from(opts.replications);
    let mut n = max.min(10);
    let mut reps = run_range(model, opts, 0..n)?;
    loop {
        let values: Vec<f64> = reps
            .iter()
            .map(|r| r.network.delivered_teu_per_year)
            .collect();
        let s = crate::stats::Stat::from_values(&values);
        let reached = if s.mean > 0.0 {
            s.half_width() / s.mean
        } else {
            f64::INFINITY
        };
        if reached <= target || n >= max || n < 2 || interrupted() {
            let p = Precision {
                target,
                reached,
                replications_used: reps.len() as u32,
            };
            return Ok((reps, p));
        }
        let wanted = (n as f64 * (reached / target).powi(2) * 1.1).ceil() as u64;
        let next = wanted.clamp(n + 1, max);
        reps.extend(run_range(model, opts, n..next)?);
        n = reps.len() as u64;
    }
}

fn progress_bar(len: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} replications, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A base scenario and its variants run on the same replications, with the paired
/// differences of every metric.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The base's results.
    pub base: Results,
    /// Per variant: its results and the paired differences (variant − base).
    pub variants: Vec<(Results, Vec<MetricDifference>)>,
}

/// Runs `base` and each of `variants` on replications `0..opts.replications` with the same
/// seed (common random numbers) and compares them replication by replication.
pub fn compare(
    base: &Model,
    variants: &[Model],
    opts: &RunOptions,
) -> Result<Comparison, RunError> {
    let per_rep = |m: &Model, reps: &[ReplicationObs]| -> Vec<Results> {
        reps.iter()
            .map(|r| Results::summarise(m, opts.seed, std::slice::from_ref(r)))
            .collect()
    };
    let base_reps = run(base, opts)?;
    let base_results = Results::summarise(base, opts.seed, &base_reps);
    let base_each = per_rep(base, &base_reps);
    let mut out = Vec::with_capacity(variants.len());
    for v in variants {
        let reps = run(v, opts)?;
        let results = Results::summarise(v, opts.seed, &reps);
        let diffs = paired::compare(&base_results, &results, &base_each, &per_rep(v, &reps));
        out.push((results, diffs));
    }
    Ok(Comparison {
        base: base_results,
        variants: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;
    use std::path::Path;

    /// A two-lane post with a steady flow and a rare one (about one truck in two
    /// replications of 30 days); `lanes` sets the post's servers.
    fn post(lanes: u32) -> Model {
        let src = format!(
            "[scenario]\nname = \"rare\"\nhorizon_days = 30\nreplications = 20\n\
             [[node]]\nid = \"w\"\nkind = \"terminal\"\n[[node]]\nid = \"p\"\nkind = \"crossing\"\n\
             [[node]]\nid = \"e\"\nkind = \"terminal\"\n\
             [[road]]\nid = \"wp\"\nfrom = \"w\"\nto = \"p\"\nlength_km = 10\nspeed_kmh = 50\n\
             [[road]]\nid = \"pe\"\nfrom = \"p\"\nto = \"e\"\nlength_km = 10\nspeed_kmh = 50\n\
             [[crossing]]\nid = \"p\"\nnode = \"p\"\nmode = \"road\"\n\
             [[crossing.stage]]\nname = \"control\"\nservers = {lanes}\nservice_h = {{ dist = \"exp\", mean = 1.0 }}\n\
             [[flow]]\nid = \"steady\"\nfrom = \"w\"\nto = \"e\"\nmode = \"road\"\nteu_per_year = 26280\nunit_teu = 2\n\
             [[flow]]\nid = \"rare\"\nfrom = \"w\"\nto = \"e\"\nmode = \"road\"\nteu_per_year = 12\nunit_teu = 2\n"
        );
        load_str(Path::new("rare.toml"), &src).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn replications_that_observed_nothing_are_left_out_of_a_paired_difference() {
        let base = post(2);
        let opts = RunOptions {
            replications: 20,
            seed: 7,
            threads: Some(1),
            progress: false,
        };
        let c = compare(&base, &[post(3)], &opts).unwrap();
        let with_rare = run(&base, &opts)
            .unwrap()
            .iter()
            .filter(|r| r.flows[1].transit_mean_h.is_finite())
            .count();
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
