//! The command line's arguments, as clap parses them.

use clap::{Parser, Subcommand, ValueEnum};
use corridor::runner::{Shard, Source};
use corridor::scenario::limits::{
    MAX_FORECAST_SPAN_YEARS, MAX_REPLICATIONS, MAX_THREADS, MAX_YEAR, MIN_REPLICATIONS,
    MIN_THREADS, MIN_YEAR,
};
use corridor::scenario::{Override, Parameter};
use corridor::study::Batch;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The default of `--memory-budget-mb`: 4 GB for the replications running at once.
pub(crate) const DEFAULT_MEMORY_BUDGET_MB: u64 = 4096;

/// The largest seed: the largest integer a scenario file can hold (TOML integers are 64-bit
/// signed), so that any seed given on the command line can be written in a file too.
const MAX_SEED: u64 = i64::MAX as u64;

/// Discrete-event simulation of container freight on the Eurasian transit corridors.
#[derive(Parser, Debug)]
#[command(name = "corridor", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Treat warnings (implausible values of a scenario) as errors: exit 2, nothing run.
    #[arg(long, global = true)]
    pub(crate) deny_warnings: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Simulate a scenario and report throughput, transit times and waits with 95 % CIs.
    Run(RunArgs),
    /// Compare variants with a base scenario on the same replications (common random
    /// numbers): paired differences of every figure, with 95 % CIs.
    Compare(CompareArgs),
    /// The largest multiplier of container demand that meets service targets.
    Capacity(CapacityArgs),
    /// Simulate year after year with demand growth; the first year each element saturates.
    Forecast(ForecastArgs),
    /// Run a scenario at every combination of values of some of its parameters, on common
    /// random numbers.
    Sweep(SweepArgs),
    /// The events of one replication as CSV on stdout (time_h, vehicle, flow, event,
    /// element, detail), written as they happen.
    Trace(TraceArgs),
    /// A time–distance (stringline) diagram of the trains of one replication along a route,
    /// as an HTML page.
    Stringline(StringlineArgs),
    /// Combine the partial results of the shards of one command (run, compare, capacity,
    /// forecast or sweep with --shard I/N) into the result one machine gives.
    Merge(MergeArgs),
    /// Print the JSON Schema of the scenario format, for editors that check TOML while
    /// typing (taplo, Even Better TOML).
    Schema,
    /// Check a scenario file: prints "ok" or every error with file:line:column.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Check the scenario with one value changed, as `run --set` would run it: a path
        /// such as crossing.dostyk-rail.stage.2.servers, `=`, a TOML value (repeat for
        /// several).
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
        sets: Vec<Override>,
        /// The most memory a replication may hold, MB: before any vehicle appears, and with
        /// the vehicles that pile up by its horizon where demand exceeds what the network
        /// serves.
        #[arg(long, value_name = "MB", default_value_t = DEFAULT_MEMORY_BUDGET_MB)]
        memory_budget_mb: u64,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct RunArgs {
    /// The scenario file (TOML).
    pub(crate) scenario: PathBuf,
    /// Run replications until the 95 % CI half-width of the network's delivered TEU per
    /// year is within this share of its mean (e.g. 0.01), up to --replications.
    #[arg(long, value_name = "P")]
    pub(crate) precision: Option<f64>,
    /// Change one value of the scenario for this run, as an overlay would: a path such as
    /// crossing.dostyk-rail.stage.2.servers, `=`, a TOML value (repeat for several).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub(crate) sets: Vec<Override>,
    /// Also write the results as one self-contained HTML report (map, charts with their
    /// 95 % CIs, one replication over time) into this file; checked before anything runs.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

/// The one replication `trace` and `stringline` run, and its seed.
#[derive(clap::Args, Debug)]
pub(crate) struct OneReplication {
    /// The replication, numbered from 0 as `run` numbers them: replication R of a run with
    /// the same seed.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32)
        .range(0..i64::from(MAX_REPLICATIONS)))]
    pub(crate) replication: u32,
    /// Seed of the random streams [default: the scenario's `seed`].
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=MAX_SEED))]
    pub(crate) seed: Option<u64>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct TraceArgs {
    /// The scenario file (TOML).
    pub(crate) scenario: PathBuf,
    /// Which replication is traced.
    #[command(flatten)]
    pub(crate) one: OneReplication,
    /// First hour of simulated time traced [default: 0].
    #[arg(long, value_name = "H", value_parser = parse_hours)]
    pub(crate) from_h: Option<f64>,
    /// Last hour of simulated time traced; the replication stops there [default: the
    /// horizon].
    #[arg(long, value_name = "H", value_parser = parse_hours)]
    pub(crate) to_h: Option<f64>,
    /// Change one value of the scenario, as for `run` (repeat for several).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub(crate) sets: Vec<Override>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct StringlineArgs {
    /// The scenario file (TOML).
    pub(crate) scenario: PathBuf,
    /// The route: node ids joined by rail segments, comma-separated (such as
    /// dostyk,aktogay,moyynty).
    #[arg(
        long,
        value_name = "NODE,NODE,...",
        value_delimiter = ',',
        required = true
    )]
    pub(crate) route: Vec<String>,
    /// Which replication is drawn.
    #[command(flatten)]
    pub(crate) one: OneReplication,
    /// First day drawn [default: the end of the warm-up].
    #[arg(long, value_name = "D", value_parser = parse_hours)]
    pub(crate) from_day: Option<f64>,
    /// Last day drawn [default: a week after --from-day].
    #[arg(long, value_name = "D", value_parser = parse_hours)]
    pub(crate) to_day: Option<f64>,
    /// Change one value of the scenario, as for `run` (repeat for several).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub(crate) sets: Vec<Override>,
    /// The HTML file to write (checked before anything runs).
    #[arg(long, value_name = "FILE", required = true)]
    pub(crate) html: PathBuf,
}

/// Reads a number of hours: finite and not negative.
fn parse_hours(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(h) if h.is_finite() && h >= 0.0 => Ok(h),
        _ => Err(format!(
            "{s} is not a time: give a number of 0 or more, such as 240"
        )),
    }
}

/// Reads `--set PATH=VALUE`.
fn parse_override(s: &str) -> Result<Override, String> {
    Override::parse(s).map_err(|e| e.to_string())
}

#[derive(clap::Args, Debug)]
pub(crate) struct CompareArgs {
    /// The base scenario file (TOML).
    pub(crate) base: PathBuf,
    /// Variant scenario files (often overlays of the base); none with --set, which then
    /// makes the base's own variant.
    pub(crate) variants: Vec<PathBuf>,
    /// Change one value of every variant (of the base's own variant, when no variant file
    /// is given): a path such as crossing.post.stage.1.servers, `=`, a TOML value (repeat
    /// for several).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub(crate) sets: Vec<Override>,
    /// Report only this element's figures (an id, or `network`; repeat for several).
    #[arg(long = "element", value_name = "ID")]
    pub(crate) elements: Vec<String>,
    /// Report only this figure (a path such as `time_h.mean`, or its first part such as
    /// `wait_h`; repeat for several).
    #[arg(long = "metric", value_name = "NAME")]
    pub(crate) metrics: Vec<String>,
    /// Also write the comparison as one self-contained HTML report (the differences of
    /// each variant with their 95 % CIs, its new elements, its map) into this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct SweepArgs {
    /// The scenario file (TOML).
    pub(crate) scenario: PathBuf,
    /// A parameter and its values: a path as for run --set, `=`, then a comma list (4,5,6),
    /// an integer range (4..6) or a range with a step (0.5..1.5/0.25). Repeat for several:
    /// every combination is run.
    #[arg(long = "set", value_name = "PATH=VALUES", value_parser = parse_parameter)]
    pub(crate) sets: Vec<Parameter>,
    /// Multipliers of every container flow's teu_per_year (cargo = "other" unchanged), as
    /// VALUES of --set, e.g. 0.8..1.4/0.2.
    #[arg(long, value_name = "VALUES", value_parser = parse_demand)]
    pub(crate) demand: Option<Parameter>,
    /// Also write the sweep as one self-contained HTML report (each figure against the
    /// swept values, with 95 % bands) into this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

/// Reads `--set PATH=VALUES` of a sweep.
fn parse_parameter(s: &str) -> Result<Parameter, String> {
    Parameter::set(s).map_err(|e| e.to_string())
}

/// Reads `--demand VALUES` of a sweep.
fn parse_demand(s: &str) -> Result<Parameter, String> {
    Parameter::demand(s).map_err(|e| e.to_string())
}

#[derive(clap::Args, Debug)]
pub(crate) struct CapacityArgs {
    /// The scenario file (TOML).
    pub(crate) scenario: PathBuf,
    /// Longest 95th-percentile wait allowed at any crossing, segment, ferry or fleet (a
    /// train's wait for stock), hours.
    #[arg(long, value_name = "H")]
    pub(crate) max_p95_wait_h: Option<f64>,
    /// Longest mean wait allowed at any crossing, segment, ferry or fleet, hours.
    #[arg(long, value_name = "H")]
    pub(crate) max_mean_wait_h: Option<f64>,
    /// Largest container backlog allowed at the horizon, TEU.
    #[arg(long, value_name = "TEU")]
    pub(crate) max_backlog_teu: Option<f64>,
    /// Count waits only at this crossing, segment, ferry or fleet (repeat for several).
    #[arg(long = "element", value_name = "ID")]
    pub(crate) elements: Vec<String>,
    /// Leave this crossing, segment, ferry or fleet's waits out of the targets (repeat for
    /// several).
    #[arg(long = "exclude", value_name = "ID")]
    pub(crate) exclude: Vec<String>,
    /// Change one value of the scenario searched, as an overlay would (e.g.
    /// fleet.broad-1520.wagons=14000 on eurasia_2025.toml; repeat for several).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub(crate) sets: Vec<Override>,
    /// Also write the answer as one self-contained HTML report into this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ForecastArgs {
    /// The scenario file (TOML); give several to see them side by side.
    #[arg(required = true)]
    pub(crate) scenarios: Vec<PathBuf>,
    /// The years to simulate, as FIRST..LAST (inclusive), e.g. 2025..2035.
    #[arg(long, value_parser = parse_years)]
    pub(crate) years: (i32, i32),
    /// Utilisation above which an element counts as saturated.
    #[arg(long, default_value_t = 0.85)]
    pub(crate) saturation: f64,
    /// Open a project from 1 January of YEAR on: an overlay of the scenario (repeat for
    /// several; each year's network is the scenario with every overlay opened by then).
    #[arg(long = "open", value_name = "YEAR:OVERLAY.toml", value_parser = parse_open)]
    pub(crate) open: Vec<(i32, PathBuf)>,
    /// Also write the forecast as one self-contained HTML report (demand and delivered
    /// TEU by year with 95 % bands, saturation years) into this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

pub(crate) fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let bad = || format!("expected FIRST..LAST such as 2025..2035, found {s:?}");
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let a: i32 = a.trim().parse().map_err(|_| bad())?;
    let b: i32 = b
        .trim()
        .trim_start_matches('=')
        .parse()
        .map_err(|_| bad())?;
    let years = MIN_YEAR..=MAX_YEAR;
    if !years.contains(&a) || !years.contains(&b) || b < a || b - a > MAX_FORECAST_SPAN_YEARS {
        return Err(format!(
            "{s:?}: years between {MIN_YEAR} and {MAX_YEAR}, first <= last, at most {MAX_FORECAST_SPAN_YEARS} years"
        ));
    }
    Ok((a, b))
}

/// Reads `--open YEAR:OVERLAY.toml`: a year in the accepted range and a file.
pub(crate) fn parse_open(s: &str) -> Result<(i32, PathBuf), String> {
    let bad = || {
        format!("expected YEAR:OVERLAY.toml such as 2027:scenarios/bakhty_ayagoz.toml, found {s:?}")
    };
    let (year, file) = s.split_once(':').ok_or_else(bad)?;
    let year: i32 = year.trim().parse().map_err(|_| bad())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!(
            "{s:?}: the year must be between {MIN_YEAR} and {MAX_YEAR}"
        ));
    }
    if file.trim().is_empty() {
        return Err(bad());
    }
    Ok((year, PathBuf::from(file)))
}

/// Options shared by the commands that run replications.
#[derive(clap::Args, Debug)]
pub(crate) struct BatchArgs {
    /// Number of replications [default: the (base) scenario's `replications`].
    #[arg(long, value_parser = clap::value_parser!(u32)
        .range(i64::from(MIN_REPLICATIONS)..=i64::from(MAX_REPLICATIONS)))]
    pub(crate) replications: Option<u32>,
    /// Seed of the random streams [default: the (base) scenario's `seed`].
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=MAX_SEED))]
    pub(crate) seed: Option<u64>,
    /// Worker threads [default: every core]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16)
        .range(i64::from(MIN_THREADS)..=i64::from(MAX_THREADS)))]
    pub(crate) threads: Option<u16>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Also write the results as JSON, CSV and a table into this directory
    /// (results.*, compare.*, capacity.*, forecast.* or sweep.*, after the command);
    /// checked before anything runs.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// No progress bar and nothing on stdout (use with --out).
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Run only the I-th of N disjoint slices of the replications (I from 1 to N) and
    /// write them as a partial result into --out (part-I-of-N.cbor), for `corridor merge`.
    /// `env/N` reads I from SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN, plus 1) or
    /// JOB_COMPLETION_INDEX (plus 1), so that one job script serves every task.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub(crate) shard: Option<ShardArg>,
    /// The most memory the replications running at once may hold, MB, estimated before
    /// they run: what each holds before any vehicle appears (a single track holds each of
    /// its blocks), and the vehicles that pile up by its horizon where demand exceeds what
    /// the network serves. A scenario (or sweep point) above it is refused before anything
    /// runs.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MEMORY_BUDGET_MB)]
    pub(crate) memory_budget_mb: u64,
    /// Where the replications come from (set by --shard and by `corridor merge`).
    #[arg(skip)]
    pub(crate) source: Source,
}

impl BatchArgs {
    /// The batch settings the study runs with (the scenario's own where not given).
    pub(crate) fn batch(&self) -> Batch {
        Batch {
            replications: self.replications,
            seed: self.seed,
            threads: self.threads.map(usize::from),
            progress: !self.quiet && std::io::stderr().is_terminal(),
            source: self.source.clone(),
        }
    }
}

/// `--shard`: a shard given, or its index to read from the batch scheduler's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShardArg {
    /// `I/N`.
    Given(Shard),
    /// `env/N`.
    FromEnv(u32),
}

/// The most shards a batch may be cut into.
pub(crate) const MAX_SHARDS: u32 = MAX_REPLICATIONS;

/// Reads `--shard I/N` or `--shard env/N`.
fn parse_shard(s: &str) -> Result<ShardArg, String> {
    let usage =
        || format!("{s:?} is not a shard: give I/N with 1 <= I <= N (such as 3/8), or env/N");
    let (i, n) = s.split_once('/').ok_or_else(usage)?;
    let count: u32 = n.trim().parse().map_err(|_| usage())?;
    if count == 0 || count > MAX_SHARDS {
        return Err(format!(
            "{s:?}: N must be from 1 to {MAX_SHARDS} (and at most the replications)"
        ));
    }
    if i.trim() == "env" {
        return Ok(ShardArg::FromEnv(count));
    }
    let index: u32 = i.trim().parse().map_err(|_| usage())?;
    if index == 0 || index > count {
        return Err(usage());
    }
    Ok(ShardArg::Given(Shard { index, count }))
}

#[derive(clap::Args, Debug)]
pub(crate) struct MergeArgs {
    /// Partial results (part-I-of-N.cbor), or directories holding them.
    #[arg(required = true, value_name = "PART")]
    pub(crate) parts: Vec<PathBuf>,
    /// Merge the parts there are, when shards are missing or were interrupted: the
    /// result says which replications it lacks.
    #[arg(long)]
    pub(crate) allow_missing: bool,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Also write the merged result as JSON, CSV and a table into this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Also write the command's HTML report into this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    /// Nothing on stdout (use with --out).
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Worker threads for what the merge simulates itself (the series of a run's report,
    /// the curve of a capacity report) [default: every core].
    #[arg(long, value_parser = clap::value_parser!(u16)
        .range(i64::from(MIN_THREADS)..=i64::from(MAX_THREADS)))]
    pub(crate) threads: Option<u16>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Human-readable table.
    Table,
    /// The command's JSON document (corridor.results/1 for run, corridor.compare/1,
    /// corridor.capacity/1, corridor.forecast/1, corridor.sweep/1).
    Json,
    /// Tidy CSV: one row per element and metric.
    Csv,
}
