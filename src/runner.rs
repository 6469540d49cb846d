//! Monte Carlo batches: replications run in parallel with rayon, one replication per task,
//! results kept in replication order so that the summary is the same on any number of
//! threads.

use crate::model::{simulate, Model};
use crate::stats::paired::{self, MetricDifference};
use crate::stats::{ReplicationObs, Results};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

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
    if opts.replications == 0 {
        return Err(RunError::NoReplications);
    }
    let threads = opts.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })?;
    let bar = progress_bar(u64::from(opts.replications), opts.progress);
    let reps = pool.install(|| {
        (0..u64::from(opts.replications))
            .into_par_iter()
            .map(|r| {
                let obs = simulate(model, opts.seed, r);
                bar.inc(1);
                obs
            })
            .collect::<Vec<_>>()
    });
    bar.finish_and_clear();
    Ok(reps)
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
