//! Monte Carlo batches: replications run in parallel with rayon, one replication per task,
//! a chunk of replications at a time. Each chunk's observations are handed on in
//! replication order and dropped, so that the summary is the same on any number of
//! threads and memory does not grow with the number of replications. A batch may also be
//! cut into shards run apart and merged again ([`shards`]).

pub mod shards;

use crate::kernel::SimTime;
use crate::model::{simulate, Model};
use crate::scenario::Warmup;
use crate::stats::{Precision, ReplicationObs, Results, Summariser};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
pub use shards::{PartError, Shard, Source};

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
    /// Where the replications come from: simulated here (all, or a shard's slice,
    /// recorded), or read back from the partial results of shards.
    pub source: Source,
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
    /// A shard's partial result could not be written, or partial results could not be
    /// read back or do not fit the command.
    #[error(transparent)]
    Part(#[from] PartError),
}

impl RunError {
    /// True when what was asked cannot be run at all (no replication, more shards than
    /// replications), as opposed to a failure while running: a bad input, refused before
    /// any replication runs.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            RunError::NoReplications | RunError::Part(PartError::EmptyShard { .. })
        )
    }
}

/// Runs replications `0..opts.replications` of `model` and summarises them. After an
/// interruption, the summary covers the replications finished from the first on without a
/// gap (possibly none).
pub fn run(model: &Model, opts: &RunOptions) -> Result<Results, RunError> {
    let mut summary = Summariser::new(model, opts.warmup, opts.seed);
    run_together(
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
    run_together(
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

/// Runs replications `0..opts.replications` in parallel, each one `work(replication)` on
/// one thread (a study's own unit of work, such as a capacity search), and hands `each`
/// their answers in replication order, with chunks, progress, threads and interruption as
/// for any batch. After an interruption, `each` sees the finished replications from the
/// first on without a gap.
///
/// `what` is what the work depends on besides the seed and the replication (its models and
/// settings, written with `Debug`): it fingerprints the batch for shards and their merge.
pub fn map_replications<T: Send + Serialize + DeserializeOwned>(
    opts: &RunOptions,
    what: &dyn std::fmt::Debug,
    work: impl Fn(u64) -> T + Sync,
    mut each: impl FnMut(T),
) -> Result<(), RunError> {
    let range = 0..u64::from(opts.replications);
    run_tasks(
        opts,
        what,
        range,
        1,
        |rep, _| work(rep),
        |answers| {
            for a in answers.drain(..) {
                each(a);
            }
        },
    )
}

/// Runs replications `range` of each of `models` (each measured after its own warm-up),
/// and hands `each` every replication's observations of all models, in the order of
/// `models`, in replication order.
pub fn run_together(
    models: &[(&Model, SimTime)],
    opts: &RunOptions,
    range: std::ops::Range<u64>,
    each: impl FnMut(&mut Vec<ReplicationObs>),
) -> Result<(), RunError> {
    let simulate_one = |rep: u64, k: usize| {
        let (model, warmup) = models[k];
        simulate(model, warmup, opts.seed, rep)
    };
    run_tasks(opts, &models, range, models.len(), simulate_one, each)
}

/// Runs `per_rep` tasks for each replication of `range` in parallel, `work(replication,
/// task)`, a chunk of replications at a time, and hands `each` the answers of one
/// replication's tasks (in task order), in replication order. After an interruption,
/// replications not yet started are skipped and `each` sees the finished ones from the
/// first on without a gap, so that a partial result is exactly a plain run of that many.
///
/// With `opts.source` recording a shard, only the shard's slice of `range` runs, and each
/// replication's answers are recorded as `each` gets them; replaying, the answers are read
/// back from the shards' partial results instead of being worked out. `what` (the models
/// and settings the work depends on) fingerprints the batch for both.
fn run_tasks<T: Send + Serialize + DeserializeOwned>(
    opts: &RunOptions,
    what: &dyn std::fmt::Debug,
    range: std::ops::Range<u64>,
    per_rep: usize,
    work: impl Fn(u64, usize) -> T + Sync,
    mut each: impl FnMut(&mut Vec<T>),
) -> Result<(), RunError> {
    if range.is_empty() {
        return Err(RunError::NoReplications);
    }
    let print = || shards::fingerprint(what, opts.seed, &range, per_rep);
    match &opts.source {
        Source::Simulate => simulate_tasks(opts, range, per_rep, work, each),
        Source::Record(recorder) => {
            let slice = recorder.begin(print(), opts.seed, &range, per_rep)?;
            simulate_tasks(opts, slice, per_rep, work, |answers| {
                recorder.write(answers);
                each(answers);
            })?;
            match recorder.failure() {
                Some(e) => Err(e.into()),
                None => Ok(()),
            }
        }
        Source::Replay(replayer) => {
            Ok(replayer.replay(print(), opts.seed, &range, per_rep, each)?)
        }
    }
}

/// [`run_tasks`] simulating here every replication of `range`.
fn simulate_tasks<T: Send>(
    opts: &RunOptions,
    range: std::ops::Range<u64>,
    per_rep: usize,
    work: impl Fn(u64, usize) -> T + Sync,
    mut each: impl FnMut(&mut Vec<T>),
) -> Result<(), RunError> {
    let pool = pool(opts.threads, (range.end - range.start) * per_rep as u64)?;
    let chunk = CHUNK_PER_THREAD * pool.current_num_threads() as u64;
    let tasks = per_rep as u64;
    let bar = progress_bar((range.end - range.start) * tasks, opts.progress);
    let mut start = range.start;
    while start < range.end {
        let end = range.end.min(start + chunk);
        let runs = pool.install(|| {
            (start * tasks..end * tasks)
                .into_par_iter()
                .map(|k| {
                    if interrupted() {
                        return None;
                    }
                    let answer = work(k / tasks, (k % tasks) as usize);
                    bar.inc(1);
                    Some(answer)
                })
                .collect::<Vec<_>>()
        });
        let mut runs = runs.into_iter();
        let mut rep = Vec::with_capacity(per_rep);
        for _ in start..end {
            rep.clear();
            rep.extend(runs.by_ref().take(per_rep).flatten());
            if rep.len() < per_rep {
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

/// A pool for `tasks` tasks of `threads` worker threads (every core if `None`), but never
/// more threads than cores or tasks: more would only add memory (each thread holds a
/// replication, and a chunk holds the answers of 64 replications per thread), not speed.
/// Results do not depend on the number of threads.
fn pool(threads: Option<usize>, tasks: u64) -> Result<rayon::ThreadPool, RunError> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = effective_threads(threads, cores, tasks);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })
}

/// The worker threads used for `tasks` tasks on `cores` cores when `asked` are asked for
/// (every core when `None`): at least one, at most the cores and the tasks.
pub fn effective_threads(asked: Option<usize>, cores: usize, tasks: u64) -> usize {
    let tasks = usize::try_from(tasks).unwrap_or(usize::MAX);
    asked.unwrap_or(cores).min(cores).min(tasks).max(1)
}

/// Asks running batches to stop: replications not yet started are skipped, those under
/// way finish; loading stops too (see [`crate::kernel::interrupt`]). Safe to call from a signal
/// handler.
pub fn interrupt() {
    crate::kernel::interrupt();
}

/// True once [`interrupt`] has been called.
pub fn interrupted() -> bool {
    crate::kernel::interrupted()
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
    let pool = pool(threads, WARMUP_PILOTS)?;
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
        run_together(&[(model, opts.warmup)], opts, done..next, |obs| {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario::load_str;
    use std::path::Path;

    /// A two-lane post with a steady flow and a rare one (about one truck in two
    /// replications of 30 days); `lanes` sets the post's servers.
    pub(crate) fn post(lanes: u32) -> Model {
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
            source: Source::Simulate,
        }
    }

    #[test]
    fn threads_beyond_the_cores_or_the_replications_are_not_started() {
        assert_eq!(effective_threads(Some(32), 2, 1000), 2);
        assert_eq!(effective_threads(Some(8), 16, 3), 3);
        assert_eq!(effective_threads(None, 4, 1000), 4);
        assert_eq!(effective_threads(Some(1), 4, 1000), 1);
        assert_eq!(effective_threads(Some(4), 4, 0), 1);
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
