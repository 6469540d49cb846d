//! The `corridor` command: argument parsing and wiring; the work is in the library.

use clap::{Parser, Subcommand, ValueEnum};
use corridor::capacity::{capacity, to_table as capacity_table, Targets};
use corridor::forecast::{forecast, to_table as forecast_table};
use corridor::report::compare::{self as compare_report, VariantReport};
use corridor::report::{csv_quote, pretty_json, to_csv, to_json, to_table, write_atomic};
use corridor::runner::{
    compare, resolve_warmup, run, run_to_precision, RunError, RunOptions, WARMUP_PILOTS,
};
use corridor::scenario;
use corridor::stats::WarmupFound;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Discrete-event simulation of container freight on the Eurasian transit corridors.
#[derive(Parser, Debug)]
#[command(name = "corridor", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Simulate a scenario and report throughput, transit times and waits with 95 % CIs.
    Run(RunArgs),
    /// Compare variants with a base scenario on the same replications (common random
    /// numbers): paired differences of every figure, with 95 % CIs.
    Compare(CompareArgs),
    /// The largest multiplier of container demand that meets service targets.
    Capacity(CapacityArgs),
    /// Simulate year after year with demand growth; the first year each element saturates.
    Forecast(ForecastArgs),
    /// Check a scenario file: prints "ok" or every error with file:line:column.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Run replications until the 95 % CI half-width of the network's delivered TEU per
    /// year is within this share of its mean (e.g. 0.01), up to --replications.
    #[arg(long, value_name = "P")]
    precision: Option<f64>,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(clap::Args, Debug)]
struct CompareArgs {
    /// The base scenario file (TOML).
    base: PathBuf,
    /// One or more variant scenario files (often overlays of the base).
    #[arg(required = true)]
    variants: Vec<PathBuf>,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(clap::Args, Debug)]
struct CapacityArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Longest 95th-percentile wait allowed at any crossing, segment or ferry, hours.
    #[arg(long, value_name = "H")]
    max_p95_wait_h: Option<f64>,
    /// Longest mean wait allowed at any crossing, segment or ferry, hours.
    #[arg(long, value_name = "H")]
    max_mean_wait_h: Option<f64>,
    /// Largest container backlog allowed at the horizon, TEU.
    #[arg(long, value_name = "TEU")]
    max_backlog_teu: Option<f64>,
    /// Count waits only at this crossing, segment or ferry (repeat for several).
    #[arg(long = "element", value_name = "ID")]
    elements: Vec<String>,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(clap::Args, Debug)]
struct ForecastArgs {
    /// The scenario file (TOML); give several to see them side by side.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// The years to simulate, as FIRST..LAST (inclusive), e.g. 2025..2035.
    #[arg(long, value_parser = parse_years)]
    years: (i32, i32),
    /// Utilisation above which an element counts as saturated.
    #[arg(long, default_value_t = 0.85)]
    saturation: f64,
    #[command(flatten)]
    batch: BatchArgs,
}

fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let bad = || format!("expected FIRST..LAST such as 2025..2035, found {s:?}");
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let a: i32 = a.trim().parse().map_err(|_| bad())?;
    let b: i32 = b
        .trim()
        .trim_start_matches('=')
        .parse()
        .map_err(|_| bad())?;
    if !(1900..=2200).contains(&a) || !(1900..=2200).contains(&b) || b < a || b - a > 100 {
        return Err(format!(
            "{s:?}: years between 1900 and 2200, first <= last, at most 100 years"
        ));
    }
    Ok((a, b))
}

/// Options shared by the commands that run replications.
#[derive(clap::Args, Debug)]
struct BatchArgs {
    /// Number of replications [default: the (base) scenario's `replications`].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    replications: Option<u32>,
    /// Seed of the random streams [default: the (base) scenario's `seed`].
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: every core]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write the results as JSON, CSV and a table into this directory
    /// (results.*, compare.*, capacity.* or forecast.*, after the command).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar and nothing on stdout (use with --out).
    #[arg(long)]
    quiet: bool,
}

impl BatchArgs {
    /// Run options, with the scenario's own replications and seed as defaults; the
    /// warm-up is settled later ([`resolve`]).
    fn options(&self, settings: &scenario::Settings) -> RunOptions {
        RunOptions {
            replications: self.replications.unwrap_or(settings.replications),
            seed: self.seed.unwrap_or(settings.seed),
            warmup: corridor::kernel::SimTime::ZERO,
            threads: self.threads.map(usize::from),
            progress: !self.quiet && std::io::stderr().is_terminal(),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable table.
    Table,
    /// The command's JSON document (corridor.results/1 for run, corridor.compare/1,
    /// corridor.capacity/1, corridor.forecast/1).
    Json,
    /// Tidy CSV: one row per element and metric.
    Csv,
}

/// Exit code after an interruption (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // First Ctrl-C: finish the replications under way and report what is done. Second:
    // leave at once, but for the output file being written, if any (output files are
    // written atomically, so none is left half-written, and no temporary file is left).
    let _ = ctrlc::set_handler(|| {
        if corridor::runner::interrupted() {
            corridor::report::exit_between_writes(i32::from(INTERRUPTED));
        }
        corridor::runner::interrupt();
    });
    match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run(args) => run_command(&args).unwrap_or_else(|code| code),
        Command::Compare(args) => compare_command(&args).unwrap_or_else(|code| code),
        Command::Capacity(args) => capacity_command(&args).unwrap_or_else(|code| code),
        Command::Forecast(args) => forecast_command(&args).unwrap_or_else(|code| code),
    }
}

// The commands return `Ok(code)` when they got to the end, `Err(code)` when they stopped
// early; either way the message has been printed.

/// A batch's outcome, or (its error printed) exit 1.
fn ran<T>(outcome: Result<T, RunError>) -> Result<T, ExitCode> {
    outcome.map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

/// Exit 130 when the batch was interrupted, saying why nothing is written.
fn unless_interrupted(why_nothing: &str) -> Result<(), ExitCode> {
    if corridor::runner::interrupted() {
        eprintln!("interrupted; {why_nothing}");
        return Err(ExitCode::from(INTERRUPTED));
    }
    Ok(())
}

fn compare_command(args: &CompareArgs) -> Result<ExitCode, ExitCode> {
    let mut failed = false;
    let mut load = |p: &Path| {
        let m = load_scenario(p).ok();
        failed |= m.is_none();
        m
    };
    let base = load(&args.base);
    let variants: Vec<_> = args.variants.iter().map(|p| load(p)).collect();
    let (Some(base), false) = (base, failed) else {
        return Err(ExitCode::from(2));
    };
    let variants: Vec<_> = variants.into_iter().flatten().collect();
    let args_b = &args.batch;
    let mut opts = args_b.options(&base.settings);
    resolve(&base, &mut opts)?;
    // Variants asking for an automatic warm-up share the base's, so that all are measured
    // over the same window.
    let variants: Vec<_> = variants
        .iter()
        .map(|v| match v.settings.warmup {
            scenario::Warmup::Fixed(t) => (&v.model, t),
            scenario::Warmup::Auto => (&v.model, opts.warmup),
        })
        .collect();
    let comparison = ran(compare(&base.model, &variants, &opts))?;
    unless_interrupted("a partial comparison would pair unequal batches, so nothing is written")?;
    let base_file = args.base.display().to_string();
    let reports: Vec<VariantReport> = comparison
        .variants
        .into_iter()
        .zip(&args.variants)
        .map(|((results, differences), file)| VariantReport {
            file: file.display().to_string(),
            results,
            differences,
        })
        .collect();
    let json = || compare_report::to_json(&base_file, &comparison.base, &reports);
    let table = || compare_report::to_table(&base_file, &comparison.base, &reports);
    let csv = || compare_report::to_csv(&reports);
    deliver(args_b, "compare", &json, &csv, &table)?;
    Ok(ExitCode::SUCCESS)
}

fn capacity_command(args: &CapacityArgs) -> Result<ExitCode, ExitCode> {
    let targets = Targets {
        elements: args.elements.clone(),
        max_p95_wait_h: args.max_p95_wait_h,
        max_mean_wait_h: args.max_mean_wait_h,
        max_backlog_teu: args.max_backlog_teu,
    };
    let given = [
        targets.max_p95_wait_h,
        targets.max_mean_wait_h,
        targets.max_backlog_teu,
    ];
    if given.iter().all(Option::is_none) {
        eprintln!("error: give at least one target: --max-p95-wait-h, --max-mean-wait-h or --max-backlog-teu");
        return Err(ExitCode::from(2));
    }
    if given
        .iter()
        .flatten()
        .any(|v| !(v.is_finite() && *v >= 0.0))
    {
        eprintln!("error: targets must be numbers >= 0");
        return Err(ExitCode::from(2));
    }
    let scenario = load_scenario(&args.scenario)?;
    let model = &scenario.model;
    let known = |id: &String| model.elements().any(|e| e.id == id);
    if let Some(bad) = args.elements.iter().find(|e| !known(e)) {
        let hint = scenario::hint(bad, model.elements().map(|e| e.id));
        eprintln!("error: --element {bad:?}: no crossing, segment or ferry has that id{hint}");
        return Err(ExitCode::from(2));
    }
    let mut opts = args.batch.options(&scenario.settings);
    resolve(&scenario, &mut opts)?;
    let found = ran(capacity(model, &targets, &opts))?;
    // Interrupted, `capacity` has no answer (some replications never started) or one from
    // a batch cut short: neither is written, and this says so.
    unless_interrupted("nothing written")?;
    let Some(found) = found else {
        // Only an interruption leaves no answer, and it was refused just above.
        return Err(ExitCode::from(INTERRUPTED));
    };
    let json = || pretty_json(&found);
    let csv = || {
        format!(
            "multiplier,ci95_lo,ci95_hi,teu_per_year,binding_kind,binding\n{},{},{},{},{},{}\n",
            found.multiplier,
            found.multiplier_ci95[0],
            found.multiplier_ci95[1],
            found.teu_per_year,
            found.binding_kind,
            csv_quote(&found.binding)
        )
    };
    let table = || capacity_table(&found);
    deliver(&args.batch, "capacity", &json, &csv, &table)?;
    Ok(ExitCode::SUCCESS)
}

fn forecast_command(args: &ForecastArgs) -> Result<ExitCode, ExitCode> {
    if !(args.saturation.is_finite() && args.saturation > 0.0 && args.saturation <= 1.0) {
        eprintln!(
            "error: --saturation must be above 0 and at most 1, found {}",
            args.saturation
        );
        return Err(ExitCode::from(2));
    }
    let mut models = Vec::new();
    for p in &args.scenarios {
        models.push(load_scenario(p)?);
    }
    let opts = args.batch.options(&models[0].settings);
    let mut forecasts = Vec::new();
    for (m, p) in models.iter().zip(&args.scenarios) {
        let mut opts = opts.clone();
        resolve(m, &mut opts)?;
        let f = ran(forecast(
            &m.model,
            args.years.0..=args.years.1,
            args.saturation,
            &opts,
        ))?;
        forecasts.push((p.display().to_string(), f));
        unless_interrupted("nothing written")?;
    }
    let json = || {
        let (first_file, first) = &forecasts[0];
        let mut doc = serde_json::to_value(first).unwrap_or_default();
        doc["file"] = first_file.clone().into();
        doc["variants"] = forecasts[1..]
            .iter()
            .map(|(file, f)| {
                let mut v = serde_json::to_value(f).unwrap_or_default();
                v["file"] = file.clone().into();
                v
            })
            .collect::<Vec<_>>()
            .into();
        pretty_json(&doc)
    };
    let csv = || {
        let mut s = String::from(
            "file,year,demand_teu_per_year,delivered_teu_per_year,backlog_teu,transit_h_mean\n",
        );
        for (file, f) in &forecasts {
            for y in &f.years {
                s.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    csv_quote(file),
                    y.year,
                    y.demand_teu_per_year,
                    y.results.network.delivered_teu_per_year.mean,
                    y.backlog_teu,
                    y.results.network.transit_h.mean.mean
                ));
            }
        }
        s
    };
    let table = || forecast_table(&forecasts);
    deliver(&args.batch, "forecast", &json, &csv, &table)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `STEM.json`, `STEM.csv` and `STEM.txt` into `--out DIR` (atomically) if given,
/// and prints the chosen format on stdout unless `--quiet`; exit 1 if either fails.
fn deliver(
    batch: &BatchArgs,
    stem: &str,
    json: &dyn Fn() -> String,
    csv: &dyn Fn() -> String,
    table: &dyn Fn() -> String,
) -> Result<(), ExitCode> {
    if let Some(dir) = &batch.out {
        let written = std::fs::create_dir_all(dir)
            .and_then(|_| write_atomic(&dir.join(format!("{stem}.json")), json().as_bytes()))
            .and_then(|_| write_atomic(&dir.join(format!("{stem}.csv")), csv().as_bytes()))
            .and_then(|_| write_atomic(&dir.join(format!("{stem}.txt")), table().as_bytes()));
        if let Err(e) = written {
            eprintln!("error: cannot write results into {}: {e}", dir.display());
            return Err(ExitCode::FAILURE);
        }
    }
    if batch.quiet {
        return Ok(());
    }
    let text = match batch.format {
        Format::Table => table(),
        Format::Json => json(),
        Format::Csv => csv(),
    };
    if write_stdout(&text) {
        Ok(())
    } else {
        Err(ExitCode::FAILURE)
    }
}

/// Writes `text` on stdout. False (with a message) when it fails for another reason than
/// a closed pipe (`corridor ... | head` is the reader's choice, not a failure).
fn write_stdout(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("error: cannot write results to stdout: {e}");
            false
        }
    }
}

/// Sets the warm-up of `opts` to the scenario's, found from the data when the scenario
/// asks for it (what was found, if it did); exit 1, with the error printed, if the pilot
/// runs cannot run.
fn resolve(s: &scenario::Scenario, opts: &mut RunOptions) -> Result<Option<WarmupFound>, ExitCode> {
    let (warmup, days) = ran(resolve_warmup(
        &s.model,
        s.settings.warmup,
        opts.seed,
        opts.threads,
    ))?;
    opts.warmup = warmup;
    Ok(days.map(|days| WarmupFound {
        method: "MSER-5",
        days,
        pilot_replications: WARMUP_PILOTS,
    }))
}

/// Loads a scenario, or prints its errors and gives the exit code for bad input (2).
fn load_scenario(path: &Path) -> Result<scenario::Scenario, ExitCode> {
    scenario::load(path).map_err(|diags| {
        eprint!("{diags}");
        ExitCode::from(2)
    })
}

fn validate(path: &Path) -> ExitCode {
    match scenario::load(path) {
        Ok(scenario::Scenario { model: m, .. }) => {
            println!(
                "ok: {} ({} nodes, {} segments, {} crossings, {} flows)",
                path.display(),
                m.nodes.len(),
                m.links.len(),
                m.crossings.len(),
                m.flows.len()
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "\n{}: {} error{}",
                path.display(),
                diags.0.len(),
                if diags.0.len() == 1 { "" } else { "s" }
            );
            ExitCode::from(2)
        }
    }
}

fn run_command(args: &RunArgs) -> Result<ExitCode, ExitCode> {
    if let Some(p) = args.precision {
        if !(p.is_finite() && p > 0.0 && p < 1.0) {
            eprintln!("error: --precision must be a share between 0 and 1 such as 0.01, found {p}");
            return Err(ExitCode::from(2));
        }
    }
    let scenario = load_scenario(&args.scenario)?;
    let model = &scenario.model;
    let mut opts = args.batch.options(&scenario.settings);
    let warmup_found = resolve(&scenario, &mut opts)?;
    let (mut results, precision) = ran(match args.precision {
        Some(p) => run_to_precision(model, &opts, p).map(|(r, pr)| (r, Some(pr))),
        None => run(model, &opts).map(|r| (r, None)),
    })?;
    if results.replications == 0 {
        eprintln!("interrupted before any replication finished; nothing written");
        return Err(ExitCode::from(INTERRUPTED));
    }
    results.precision = precision;
    results.warmup_auto = warmup_found;
    results.partial = corridor::runner::interrupted();
    if results.partial {
        eprintln!(
            "interrupted: results of the {} replications finished, marked as partial",
            results.replications
        );
    }
    let json = || to_json(&results);
    let csv = || to_csv(&results);
    let table = || to_table(&results);
    deliver(&args.batch, "results", &json, &csv, &table)?;
    Ok(if results.partial {
        ExitCode::from(INTERRUPTED)
    } else {
        ExitCode::SUCCESS
    })
}
