//! The `corridor` command: argument parsing and wiring; the work is in the library.

use clap::{Parser, Subcommand, ValueEnum};
use corridor::capacity::{capacity, to_table as capacity_table, Targets};
use corridor::forecast::{forecast, to_table as forecast_table};
use corridor::report::compare::{self as compare_report, VariantReport};
use corridor::report::{pretty_json, to_csv, to_json, to_table, write_atomic};
use corridor::runner::{compare, resolve_warmup, run, run_to_precision, RunOptions, WARMUP_PILOTS};
use corridor::scenario;
use corridor::stats::{Results, WarmupFound};
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
    /// (results.* for run, compare.* for compare).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar and nothing on stdout (use with --out).
    #[arg(long)]
    quiet: bool,
}

impl BatchArgs {
    /// Run options, with the scenario's own replications and seed as defaults.
    fn options(&self, model: &corridor::model::Model) -> RunOptions {
        RunOptions {
            replications: self.replications.unwrap_or(model.replications),
            seed: self.seed.unwrap_or(model.seed),
            threads: self.threads.map(usize::from),
            progress: !self.quiet && std::io::stderr().is_terminal(),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable table.
    Table,
    /// The corridor.results/1 JSON document.
    Json,
    /// Tidy CSV: one row per element and metric.
    Csv,
}

/// Exit code after an interruption (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // First Ctrl-C: finish the replications under way and report what is done. Second:
    // leave at once (output files are written atomically, so none is left half-written).
    let _ = ctrlc::set_handler(|| {
        if corridor::runner::interrupted() {
            std::process::exit(i32::from(INTERRUPTED));
        }
        corridor::runner::interrupt();
    });
    match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run(args) => run_command(&args),
        Command::Compare(args) => compare_command(&args),
        Command::Capacity(args) => capacity_command(&args),
        Command::Forecast(args) => forecast_command(&args),
    }
}

fn compare_command(args: &CompareArgs) -> ExitCode {
    let mut failed = false;
    let mut load = |p: &Path| {
        let m = load_scenario(p).ok();
        failed |= m.is_none();
        m
    };
    let base = load(&args.base);
    let variants: Vec<_> = args.variants.iter().map(|p| load(p)).collect();
    let (Some(base), false) = (base, failed) else {
        return ExitCode::from(2);
    };
    let variants: Vec<_> = variants.into_iter().flatten().collect();
    let args_b = &args.batch;
    let opts = args_b.options(&base);
    let mut base = base;
    if let Err(code) = resolve(&mut base, &opts) {
        return code;
    }
    // Variants asking for an automatic warm-up share the base's, so that all are measured
    // over the same window.
    let variants: Vec<_> = variants
        .into_iter()
        .map(|mut v| {
            if v.warmup_auto {
                v.warmup = base.warmup;
                v.warmup_auto = false;
            }
            v
        })
        .collect();
    let comparison = match compare(&base, &variants, &opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if corridor::runner::interrupted() {
        eprintln!(
            "interrupted; a partial comparison would pair unequal batches, so nothing is written"
        );
        return ExitCode::from(INTERRUPTED);
    }
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
    deliver(args_b, "compare", &json, &csv, &table)
}

fn capacity_command(args: &CapacityArgs) -> ExitCode {
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
        return ExitCode::from(2);
    }
    if given
        .iter()
        .flatten()
        .any(|v| !(v.is_finite() && *v >= 0.0))
    {
        eprintln!("error: targets must be numbers >= 0");
        return ExitCode::from(2);
    }
    let model = match load_scenario(&args.scenario) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let known = |id: &String| {
        model.crossings.iter().any(|c| c.id == *id)
            || model.links.iter().any(|l| l.id == *id)
            || model.ferries.iter().any(|f| f.id == *id)
    };
    if let Some(bad) = args.elements.iter().find(|e| !known(e)) {
        let ids = model
            .crossings
            .iter()
            .map(|c| c.id.as_str())
            .chain(model.links.iter().map(|l| l.id.as_str()))
            .chain(model.ferries.iter().map(|f| f.id.as_str()));
        let hint = scenario::did_you_mean(bad, ids)
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        eprintln!("error: --element {bad:?}: no crossing, segment or ferry has that id{hint}");
        return ExitCode::from(2);
    }
    let opts = args.batch.options(&model);
    let mut model = model;
    if let Err(code) = resolve(&mut model, &opts) {
        return code;
    }
    let found = match capacity(&model, &targets, opts.seed, opts.replications, opts.threads) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if corridor::runner::interrupted() {
        eprintln!("interrupted; nothing written");
        return ExitCode::from(INTERRUPTED);
    }
    let json = || pretty_json(&found);
    let csv = || {
        format!(
            "multiplier,ci95_lo,ci95_hi,teu_per_year,binding_kind,binding\n{},{},{},{},{},{}\n",
            found.multiplier,
            found.multiplier_ci95[0],
            found.multiplier_ci95[1],
            found.teu_per_year,
            found.binding_kind,
            found.binding
        )
    };
    let table = || capacity_table(&found);
    deliver(&args.batch, "capacity", &json, &csv, &table)
}

fn forecast_command(args: &ForecastArgs) -> ExitCode {
    if !(args.saturation.is_finite() && args.saturation > 0.0 && args.saturation <= 1.0) {
        eprintln!(
            "error: --saturation must be above 0 and at most 1, found {}",
            args.saturation
        );
        return ExitCode::from(2);
    }
    let mut models = Vec::new();
    for p in &args.scenarios {
        match load_scenario(p) {
            Ok(m) => models.push(m),
            Err(code) => return code,
        }
    }
    let opts = args.batch.options(&models[0]);
    for m in &mut models {
        if let Err(code) = resolve(m, &opts) {
            return code;
        }
    }
    let mut forecasts = Vec::new();
    for (m, p) in models.iter().zip(&args.scenarios) {
        match forecast(m, args.years.0..=args.years.1, args.saturation, &opts) {
            Ok(f) => forecasts.push((p.display().to_string(), f)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        if corridor::runner::interrupted() {
            eprintln!("interrupted; nothing written");
            return ExitCode::from(INTERRUPTED);
        }
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
                let backlog: f64 = y.results.flows.iter().map(|x| x.backlog_teu.mean).sum();
                s.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    file,
                    y.year,
                    y.demand_teu_per_year,
                    y.results.network.delivered_teu_per_year.mean,
                    backlog,
                    y.results.network.transit_h.mean.mean
                ));
            }
        }
        s
    };
    let table = || forecast_table(&forecasts);
    deliver(&args.batch, "forecast", &json, &csv, &table)
}

/// Writes `STEM.json`, `STEM.csv` and `STEM.txt` into `--out DIR` (atomically) if given,
/// and prints the chosen format on stdout unless `--quiet`.
fn deliver(
    batch: &BatchArgs,
    stem: &str,
    json: &dyn Fn() -> String,
    csv: &dyn Fn() -> String,
    table: &dyn Fn() -> String,
) -> ExitCode {
    if let Some(dir) = &batch.out {
        let written = std::fs::create_dir_all(dir)
            .and_then(|_| write_atomic(&dir.join(format!("{stem}.json")), json().as_bytes()))
            .and_then(|_| write_atomic(&dir.join(format!("{stem}.csv")), csv().as_bytes()))
            .and_then(|_| write_atomic(&dir.join(format!("{stem}.txt")), table().as_bytes()));
        if let Err(e) = written {
            eprintln!("error: cannot write results into {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if batch.quiet {
        return ExitCode::SUCCESS;
    }
    print_out(&match batch.format {
        Format::Table => table(),
        Format::Json => json(),
        Format::Csv => csv(),
    })
}

/// Writes `text` on stdout; a failure other than a closed pipe is an error (exit 1).
fn print_out(text: &str) -> ExitCode {
    if write_stdout(text) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
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

/// Finds the warm-up from the data when the scenario asks for it; prints an error and
/// returns false if it cannot run.
fn resolve(
    model: &mut corridor::model::Model,
    opts: &RunOptions,
) -> Result<Option<WarmupFound>, ExitCode> {
    match resolve_warmup(model, opts.seed, opts.threads) {
        Ok(days) => Ok(days.map(|days| WarmupFound {
            method: "MSER-5",
            days,
            pilot_replications: WARMUP_PILOTS,
        })),
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// Loads a scenario, or prints its errors and gives the exit code for bad input (2).
fn load_scenario(path: &Path) -> Result<corridor::model::Model, ExitCode> {
    scenario::load(path).map_err(|diags| {
        eprint!("{diags}");
        ExitCode::from(2)
    })
}

fn validate(path: &Path) -> ExitCode {
    match scenario::load(path) {
        Ok(m) => {
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

fn run_command(args: &RunArgs) -> ExitCode {
    let model = match load_scenario(&args.scenario) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let mut model = model;
    let opts = args.batch.options(&model);
    let warmup_found = match resolve(&mut model, &opts) {
        Ok(w) => w,
        Err(code) => return code,
    };
    if let Some(p) = args.precision {
        if !(p.is_finite() && p > 0.0 && p < 1.0) {
            eprintln!("error: --precision must be a share between 0 and 1 such as 0.01, found {p}");
            return ExitCode::from(2);
        }
    }
    let outcome = match args.precision {
        Some(p) => run_to_precision(&model, &opts, p).map(|(r, pr)| (r, Some(pr))),
        None => run(&model, &opts).map(|r| (r, None)),
    };
    let (reps, precision) = match outcome {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if reps.is_empty() {
        eprintln!("interrupted before any replication finished; nothing written");
        return ExitCode::from(INTERRUPTED);
    }
    let mut results = Results::summarise(&model, opts.seed, &reps);
    results.precision = precision;
    results.warmup_auto = warmup_found;
    results.partial = corridor::runner::interrupted();
    if let Some(dir) = &args.batch.out {
        if let Err(e) = write_outputs(dir, &results) {
            eprintln!("error: cannot write results into {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if results.partial {
        eprintln!(
            "interrupted: results of the {} replications finished, marked as partial",
            results.replications
        );
    }
    let code = if results.partial {
        ExitCode::from(INTERRUPTED)
    } else {
        ExitCode::SUCCESS
    };
    if !args.batch.quiet {
        let text = match args.batch.format {
            Format::Table => to_table(&results),
            Format::Json => to_json(&results),
            Format::Csv => to_csv(&results),
        };
        if !write_stdout(&text) {
            return ExitCode::FAILURE;
        }
    }
    code
}

fn write_outputs(dir: &Path, results: &Results) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join("results.json"), to_json(results).as_bytes())?;
    write_atomic(&dir.join("results.csv"), to_csv(results).as_bytes())?;
    write_atomic(&dir.join("results.txt"), to_table(results).as_bytes())
}
