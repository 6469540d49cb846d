//! The questions users ask, each a function from scenarios and settings to a document:
//! [`run()`] (a batch of replications), [`compare()`] (variants against a base on common
//! random numbers), [`capacity()`] (the largest demand that meets targets) and
//! [`forecast()`] (year after year with demand growth) and [`sweep()`] (every combination
//! of values of some parameters, on common random numbers). The `report` layer renders each
//! document as a table, JSON and CSV; the command line only parses arguments and calls
//! these. Every batch goes through the [`runner`](crate::runner).

pub mod capacity;
pub mod compare;
pub mod forecast;
mod run;
pub mod stringline;
pub mod sweep;

pub use capacity::capacity;
pub use compare::compare;
pub use forecast::forecast;
pub use run::run;
pub use sweep::sweep;

use crate::runner::{resolve_warmup, RunError, RunOptions, Source, WARMUP_PILOTS};
use crate::scenario::{Diagnostics, Scenario, Settings};
use crate::stats::WarmupFound;

/// How to run the batches of a study: the scenario's own settings, less what the caller
/// overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// Replications, instead of the (base) scenario's `replications`.
    pub replications: Option<u32>,
    /// Seed of the random streams, instead of the (base) scenario's `seed`.
    pub seed: Option<u64>,
    /// Worker threads; every core when `None`. Results do not depend on it.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (drawn only when stderr is a terminal).
    pub progress: bool,
    /// Where the replications come from: simulated here, a shard's slice recorded, or read
    /// back from shards' partial results (the document is then the same as simulated).
    pub source: Source,
}

impl Batch {
    /// Run options for a scenario with `settings`, its warm-up not yet settled (zero).
    fn options(&self, settings: &Settings) -> RunOptions {
        RunOptions {
            replications: self.replications.unwrap_or(settings.replications),
            seed: self.seed.unwrap_or(settings.seed),
            warmup: crate::kernel::SimTime::ZERO,
            threads: self.threads,
            progress: self.progress,
            source: self.source.clone(),
        }
    }
}

/// A scenario with the file it was read from, as documents name it.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    /// The file, as given.
    pub file: &'a str,
    /// The scenario read from it.
    pub scenario: &'a Scenario,
}

/// A study that could not give its answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StudyError {
    /// An option is out of its range (a bad input: nothing was run).
    #[error(transparent)]
    Input(#[from] InputError),
    /// The batch could not run.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Interrupted before an answer could be given; says why nothing is written.
    #[error("{0}")]
    Interrupted(&'static str),
    /// Replications read back from shards are missing, and the study cannot answer
    /// without them; says why nothing is written.
    #[error("{0}")]
    Incomplete(&'static str),
    /// A scenario built by the study (a point of a sweep) is refused by the checks (a bad
    /// input: nothing was run).
    #[error("{0}")]
    Scenario(Diagnostics),
}

/// An option of a study out of its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// `--precision` is not a share strictly between
    /// [`MIN_PRECISION`](crate::scenario::limits::MIN_PRECISION) and
    /// [`MAX_PRECISION`](crate::scenario::limits::MAX_PRECISION).
    #[error(
        "--precision must be a share between {lo} and {hi} such as 0.01, found {0}",
        lo = crate::scenario::limits::MIN_PRECISION,
        hi = crate::scenario::limits::MAX_PRECISION
    )]
    Precision(f64),
    /// `--saturation` is not above
    /// [`MIN_SATURATION`](crate::scenario::limits::MIN_SATURATION) and at most
    /// [`MAX_SATURATION`](crate::scenario::limits::MAX_SATURATION).
    #[error(
        "--saturation must be above {lo} and at most {hi}, found {0}",
        lo = crate::scenario::limits::MIN_SATURATION,
        hi = crate::scenario::limits::MAX_SATURATION
    )]
    Saturation(f64),
    /// A capacity search with no target.
    #[error("give at least one target: --max-p95-wait-h, --max-mean-wait-h or --max-backlog-teu")]
    NoTarget,
    /// A capacity target out of its range, or not a number: a wait target not above
    /// [`MIN_WAIT_TARGET_H`](crate::scenario::limits::MIN_WAIT_TARGET_H), a backlog target
    /// below [`MIN_BACKLOG_TARGET_TEU`](crate::scenario::limits::MIN_BACKLOG_TARGET_TEU).
    #[error("{option} {value}: a target must be {accepted}")]
    Target {
        /// The option: `--max-p95-wait-h`, `--max-mean-wait-h` or `--max-backlog-teu`.
        option: &'static str,
        /// The value given (hours, or TEU).
        value: f64,
        /// What the option accepts, such as `a number of hours above 0`.
        accepted: String,
    },
    /// A sweep without a parameter to vary.
    #[error("give at least one parameter to sweep: --set PATH=VALUES or --demand VALUES")]
    NothingSwept,
    /// A sweep with more points than [`MAX_SWEEP_POINTS`](crate::scenario::limits::MAX_SWEEP_POINTS).
    #[error(
        "the sweep has {points} points ({parameters}); at most {} are accepted",
        crate::scenario::limits::MAX_SWEEP_POINTS
    )]
    TooManyPoints {
        /// The points asked for.
        points: usize,
        /// Each parameter with its number of values.
        parameters: String,
    },
    /// A comparison's `--element` names no element of the base or the variants.
    #[error("--element {id:?}: no flow, crossing, segment, ferry or fleet of the base or the variants has that id{hint}")]
    UnknownComparedElement {
        /// The id given.
        id: String,
        /// `; did you mean "..."?`, the ids containing it, or nothing
        /// ([`crate::scenario::hint_or_list`]).
        hint: String,
    },
    /// A comparison's `--metric` names no figure of the results.
    #[error("--metric {metric:?}: no figure of the results has that name{hint}")]
    UnknownMetric {
        /// The metric given.
        metric: String,
        /// `; did you mean "..."?`, or nothing.
        hint: String,
    },
    /// `--element` or `--exclude` names no crossing, segment, ferry or fleet of the scenario.
    #[error("{option} {id:?}: no crossing, segment, ferry or fleet has that id{hint}")]
    UnknownElement {
        /// The option: `--element` or `--exclude`.
        option: &'static str,
        /// The id given.
        id: String,
        /// `; did you mean "..."?`, the ids containing it, or nothing
        /// ([`crate::scenario::hint_or_list`]).
        hint: String,
    },
    /// An element both counted (`--element`) and left out (`--exclude`).
    #[error("--element and --exclude both name {0:?}: an element's waits either count or not")]
    CountedAndExcluded(String),
    /// Every element left out of the wait targets, and no backlog target: nothing to meet.
    #[error("--exclude leaves out every crossing, segment, ferry and fleet, and no --max-backlog-teu is given: no target is left to meet")]
    NothingCounted,
}

/// Run options for `scenario`, with its warm-up settled: the one it gives, or the one found
/// from pilot replications (then also returned, for the results to say how it was found).
fn settled(
    scenario: &Scenario,
    mut opts: RunOptions,
) -> Result<(RunOptions, Option<WarmupFound>), RunError> {
    let (warmup, days) = resolve_warmup(
        &scenario.model,
        scenario.settings.warmup,
        opts.seed,
        opts.threads,
    )?;
    opts.warmup = warmup;
    let found = days.map(|days| WarmupFound {
        method: "MSER-5",
        days,
        pilot_replications: WARMUP_PILOTS,
    });
    Ok((opts, found))
}

/// `Err(Interrupted(why))` once the batches have been interrupted.
fn unless_interrupted(why_nothing: &'static str) -> Result<(), StudyError> {
    if crate::runner::interrupted() {
        return Err(StudyError::Interrupted(why_nothing));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::InputError;
    use crate::scenario::limits::{MAX_PRECISION, MAX_SATURATION, MIN_PRECISION, MIN_SATURATION};

    #[test]
    fn range_messages_state_the_bounds_the_checks_use() {
        assert_eq!(
            InputError::Precision(2.0).to_string(),
            format!("--precision must be a share between {MIN_PRECISION} and {MAX_PRECISION} such as 0.01, found 2")
        );
        assert_eq!(
            InputError::Saturation(0.0).to_string(),
            format!(
                "--saturation must be above {MIN_SATURATION} and at most {MAX_SATURATION}, found 0"
            )
        );
        assert_eq!(
            InputError::Precision(0.5).to_string(),
            "--precision must be a share between 0 and 1 such as 0.01, found 0.5"
        );
    }
}
