//! Monte Carlo batches: replications run in parallel with rayon, one replication per task,
//! a chunk of replications at a time. Each chunk's observations are handed on in
//! replication order and dropped, so that the summary is the same on any number of
//! threads and memory does not grow with the number of replications.

use crate::kernel::SimTime;
use crate::model::{simulate, Model};
use crate::scenario::Warmup;
use crate::stats::paired::{self, MetricDifference};
use crate::stats::{Precision, ReplicationObs, Results, Summariser};
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
    /// End of the warm-up: each replication's observations before it are discarded.
    pub warmup: SimTime,
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

/// Runs replications `0..opts.replications` of `model` and summarises them. After an
/// interruption, the summary covers the replications finished from the first on without a
/// gap (possibly none).
pub fn run(model: &Model, opts: &RunOptions) -> Result<Results, RunError> {
    let mut summary = Summariser::new(model, opts.warmup, opts.seed);
    run_chunks(
        &[(model, opts.warmup)],
        opts,
        0..u64::from(opts.replications),
        |obs| {
            summary.add(&obs[0]);
        },
    )?;
    Ok(summary.results())
}

/// Runs replications `0..opts.replications` of `model` and hands `each` their observations
/// one at a time, in replication order: for studies that need every replication's figures.
pub fn run_each(
    model: &Model,
    opts: &RunOptions,
    mut each: impl FnMut(ReplicationObs),
) -> Result<(), RunError> {
    run_chunks(
        &[(model, opts.warmup)],
        opts,
        0..u64::from(opts.replications),
        |obs| {
            for o in obs.drain(..) {
                each(o);
            }
        },
    )?;
    Ok(())
}

/// Replications per worker thread run before their observations are handed on: enough that
/// threads seldom wait for the slowest replication of a chunk, few enough that the chunk's
/// observations take little memory.
const CHUNK_PER_THREAD: u64 = 64;

/// Runs replications `range` of each of `models` in parallel, a chunk of replications at a
/// time, and hands `each` every replication's observations of all models (in the order of
/// `models`), in replication order. After an interruption, replications not yet started
/// are skipped and `each` sees the finished ones from the first on without a gap, so that
/// a partial result is exactly a plain run of that many.
fn run_chunks(
    models: &[(&Model, SimTime)],
    opts: &RunOptions,
    range: std::ops::Range<u64>,
    mut each: impl FnMut(&mut Vec<ReplicationObs>),
) -> Result<(), RunError> {
    if range.is_empty() {
        return Err(RunError::NoReplications);
    }
    let pool = pool(opts.threads)?;
    let chunk = CHUNK_PER_THREAD * pool.current_num_threads() as u64;
    let per_rep = models.len() as u64;
    let bar = progress_bar((range.end - range.start) * per_rep, opts.progress);
    let mut start = range.start;
    while start < range.end {
        let end = range.end.min(start + chunk);
        let runs = pool.install(|| {
            (start * per_rep..end * per_rep)
                .into_par_iter()
                .map(|k| {
                    if interrupted() {
                        return None;
                    }
                    let (model, warmup) = models[(k % per_rep) as usize];
                    let obs = simulate(model, warmup, opts.seed, k / per_rep);
                    bar.inc(1);
                    Some(obs)
                })
                .collect::<Vec<_>>()
        });
        let mut runs = runs.into_iter();
        let mut rep = Vec::with_capacity(models.len());
        for _ in start..end {
            rep.clear();
            rep.extend(runs.by_ref().take(models.len()).flatten());
            if rep.len() < models.len() {
                bar.finish_and_clear();
                return Ok(());
            }
            each(&mut rep);
        }
        start = end;
    }
    bar.finish_and_clear();
    Ok(())
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

/// The warm-up a scenario asks for: the one it gives, or the one found from the data by
/// [`find_warmup`] (then also returned as the days found).
pub fn resolve_warmup(
    model: &Model,
    warmup: Warmup,
    seed: u64,
    threads: Option<usize>,
) -> Result<(SimTime, Option<f64>), RunError> {
    match warmup {
        Warmup::Fixed(t) => Ok((t, None)),
        Warmup::Auto => {
            let days = find_warmup(model, seed, threads)?;
            Ok((SimTime::from_hours(days * 24.0), Some(days)))
        }
    }
}

/// The warm-up of `model`, in whole days, found from the data: pilot replications
/// `0..WARMUP_PILOTS` record the vehicles in the network every day; their average goes
/// through MSER-5 ([`crate::stats::warmup::mser5`]).
pub fn find_warmup(model: &Model, seed: u64, threads: Option<usize>) -> Result<f64, RunError> {
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
    Ok(crate::stats::warmup::mser5(&mean) as f64)
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
) -> Result<(Results, Precision), RunError> {
    let max = u64::from(opts.replications);
    let mut summary = Summariser::new(model, opts.warmup, opts.seed);
    let mut next = max.min(10);
    loop {
        let done = u64::from(summary.replications());
        run_chunks(&[(model, opts.warmup)], opts, done..next, |obs| {
            summary.add(&obs[0])
        })?;
        let n = u64::from(summary.replications());
        let results = summary.results();
        let s = results.network.delivered_teu_per_year;
        let reached = if s.mean > 0.0 {
            s.half_width() / s.mean
        } else {
            f64::INFINITY
        };
        if reached <= target || n >= max || interrupted() {
            let p = Precision {
                target,
                reached,
                replications_used: summary.replications(),
            };
            return Ok((results, p));
        }
        let wanted = (n as f64 * (reached / target).powi(2) * 1.1).ceil() as u64;
        next = wanted.clamp(n + 1, max);
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

/// Runs `base` (measured after `opts.warmup`) and each of `variants` (each measured after
/// its own warm-up) on replications `0..opts.replications` with the same seed (common
/// random numbers) and compares them replication by replication.
pub fn compare(
    base: &Model,
    variants: &[(&Model, SimTime)],
    opts: &RunOptions,
) -> Result<Comparison, RunError> {
    let mut models = vec![(base, opts.warmup)];
    models.extend(variants);
    let mut summaries: Vec<Summariser> = models
        .iter()
        .map(|&(m, warmup)| Summariser::new(m, warmup, opts.seed))
        .collect();
    // Which metric of the base pairs with which of each variant depends on their elements
    // only, so it is settled on the empty summaries.
    let shapes: Vec<Results> = summaries.iter().map(Summariser::results).collect();
    let mut pairs: Vec<paired::Pairing> = shapes[1..]
        .iter()
        .map(|v| paired::Pairing::new(&shapes[0], v))
        .collect();
    // The metrics of one replication, each model's in the order of `metrics`; reused.
    let mut rows: Vec<Vec<f64>> = vec![Vec::new(); models.len()];
    run_chunks(&models, opts, 0..u64::from(opts.replications), |obs| {
        for ((s, o), row) in summaries.iter_mut().zip(obs.iter()).zip(rows.iter_mut()) {
            s.add(o);
            row.clear();
            row.extend(s.values(o));
        }
        for (p, row) in pairs.iter_mut().zip(&rows[1..]) {
            p.add(&rows[0], row);
        }
    })?;
    let mut results = summaries.iter().map(Summariser::results);
    let base_results = results.next().expect("the base is summarised");
    let variants = results
        .zip(&pairs)
        .map(|(v, p)| {
            let diffs = p.differences(&base_results, &v);
            (v, diffs)
        })
        .collect();
    Ok(Comparison {
        base: base_results,
        variants,
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
        load_str(Path::new("rare.toml"), &src)
            .unwrap_or_else(|e| panic!("{e}"))
            .model
    }

    /// Options for `replications` replications from `seed` on `threads` threads, without a
    /// progress bar.
    fn quiet(replications: u32, seed: u64, threads: usize) -> RunOptions {
        RunOptions {
            replications,
            seed,
            warmup: SimTime::ZERO,
            threads: Some(threads),
            progress: false,
        }
    }

    #[test]
    fn replications_that_observed_nothing_are_left_out_of_a_paired_difference() {
        let base = post(2);
        let opts = quiet(20, 7, 1);
        let c = compare(&base, &[(&post(3), SimTime::ZERO)], &opts).unwrap();
        let mut with_rare = 0;
        run_each(&base, &opts, |r| {
            with_rare += usize::from(r.flows[1].transit_mean_h.is_finite());
        })
        .unwrap();
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

    #[test]
    fn the_running_summary_of_a_batch_equals_the_summary_of_its_replications_kept_whole() {
        let model = post(2);
        let opts = quiet(300, 3, 2);
        let streamed = run(&model, &opts).unwrap();
        let mut kept = Vec::new();
        run_each(&model, &opts, |r| kept.push(r)).unwrap();
        assert_eq!(kept.len(), 300);
        assert!(kept
            .iter()
            .enumerate()
            .all(|(i, r)| r.replication == i as u64));
        // Each figure in its place: the metric read off every replication, summarised.
        let of = |pick: &dyn Fn(&ReplicationObs) -> f64| {
            crate::stats::Stat::from_values(&kept.iter().map(pick).collect::<Vec<_>>())
        };
        let close = |a: crate::stats::Stat, b: crate::stats::Stat| {
            let near = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
            near(a.mean, b.mean) && near(a.sd, b.sd) && a.min == b.min && a.max == b.max
        };
        assert_eq!(streamed.replications, 300);
        assert!(close(
            streamed.crossings[0].wait_h.p95,
            of(&|r| r.crossings[0].wait_p95_h)
        ));
        assert!(close(
            streamed.flows[1].transit_h.mean,
            of(&|r| r.flows[1].transit_mean_h)
        ));
        assert!(close(streamed.links[1].teu, of(&|r| r.links[1].teu)));
        assert!(close(
            streamed.network.delivered_teu_per_year,
            of(&|r| r.network.delivered_teu_per_year)
        ));
        assert_eq!(
            streamed.flows[1].transit_h.mean.observed,
            kept.iter()
                .filter(|r| !r.flows[1].transit_mean_h.is_nan())
                .count()
        );
    }
}
