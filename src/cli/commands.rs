//! Each command: load its scenarios, call its study, deliver the document on stdout and
//! into `--out`. A command returns its exit code; every message has been printed by then.

use super::args::{BatchArgs, CapacityArgs, ForecastArgs, Format, RunArgs};
use corridor::kernel::Duration;
use corridor::model::Overloaded;
use corridor::report::{check_out_dir, check_out_file, write_atomic, write_files, Document};
use corridor::runner::{Source, WARMUP_PILOTS};
use corridor::scenario::{self, Diagnostic, Override, Scenario, Warmup};
use corridor::stats::Results;
use corridor::study::capacity::Targets;
use corridor::study::forecast::{self as forecasts, Opening};
use corridor::study::{self, Named, StudyError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code after an interruption (128 + SIGINT, as shells report it).
pub(crate) const INTERRUPTED: u8 = 130;
/// Exit code for bad input: a scenario or an option refused before anything ran.
pub(crate) const BAD_INPUT: u8 = 2;
/// Exit code of `capacity` when no demand meets the targets (the answer, `feasible =
/// false`, is delivered as usual).
const NOT_FEASIBLE: u8 = 3;

/// `corridor run`.
pub(crate) fn run(args: &RunArgs, deny_warnings: bool) -> ExitCode {
    let html = args.html.as_deref();
    let prepared = prepare(&args.scenario, &args.sets, &args.batch, html, deny_warnings);
    let (scenario, _) = match prepared {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let results = match study::run(&scenario, &args.batch.batch(), args.precision) {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    if results.partial && !matches!(args.batch.source, Source::Record(_)) {
        eprintln!(
            "interrupted: results of the {} replications finished, marked as partial",
            results.replications
        );
    }
    overload_note(&args.batch, &results);
    if let Some(path) = &args.html {
        if let Err(code) = write_run_html(path, &scenario, &results, &args.batch) {
            return code;
        }
    }
    match deliver(&args.batch, &results) {
        Err(code) => code,
        Ok(()) if results.partial => ExitCode::from(INTERRUPTED),
        Ok(()) => ExitCode::SUCCESS,
    }
}

/// Says on stderr which flows ended `results` overloaded
/// ([`corridor::report::overload_note`]) when no table on stdout says it (`--quiet`).
fn overload_note(batch: &BatchArgs, results: &Results) {
    if let Some(note) = corridor::report::overload_note(results).filter(|_| batch.quiet) {
        eprintln!("note: {note}");
    }
}

/// Everything a command on one scenario checks before it runs, in this order: its outputs
/// (`--out` in `batch`, `--html`), the scenario at `path` loaded with its `--set`s, its
/// warnings, and the memory of a replication within `batch`'s budget. The scenario and its
/// file's name, or the exit code once what is wrong has been printed.
fn prepare(
    path: &Path,
    sets: &[Override],
    batch: &BatchArgs,
    html: Option<&Path>,
    deny_warnings: bool,
) -> Result<(Scenario, String), ExitCode> {
    check_outputs(batch, html)?;
    let scenario = load(path, sets).map_err(|()| ExitCode::from(BAD_INPUT))?;
    if !warned([&scenario], deny_warnings) {
        return Err(ExitCode::from(BAD_INPUT));
    }
    let file = file_name(path);
    let at_once = batch_at_once(batch, &[(&file, &scenario)], 1);
    within_memory(&[(&file, &scenario)], at_once, batch.memory_budget_mb)?;
    Ok((scenario, file))
}

/// Checks `--html FILE`, if given, before anything runs; prints what is wrong (exit 2).
/// Checks `--out` and `--html` before anything runs (exit 2 if either cannot be written),
/// and notes on stderr when `--quiet` leaves the results nowhere to go: a run for its time
/// alone, or an option forgotten.
pub(crate) fn check_outputs(batch: &BatchArgs, html: Option<&Path>) -> Result<(), ExitCode> {
    check_out(batch)?;
    check_html(html)?;
    if batch.quiet && batch.out.is_none() && html.is_none() && batch.shard.is_none() {
        eprintln!("note: --quiet without --out or --html: the results will be neither printed nor written");
    }
    Ok(())
}

/// Checks that the file `--html` names can be written (exit 2 otherwise).
pub(crate) fn check_html(path: Option<&Path>) -> Result<(), ExitCode> {
    match path {
        Some(p) => check_out_file(p).map_err(|why| {
            eprintln!("error: --html {}: {why}; nothing was run", p.display());
            ExitCode::from(BAD_INPUT)
        }),
        None => Ok(()),
    }
}

/// Samples in the time series of a report's replication: enough for a smooth line, few
/// enough to keep the file light.
const SERIES_SAMPLES: f64 = 500.0;

/// Writes the HTML report of a run at `path` (atomically): the results, and replication 0
/// run once more and sampled through its horizon.
fn write_run_html(
    path: &Path,
    scenario: &Scenario,
    results: &Results,
    batch: &BatchArgs,
) -> Result<(), ExitCode> {
    let model = &scenario.model;
    let every = Duration::from_hours((model.horizon.as_hours() / SERIES_SAMPLES).max(1.0));
    let series = corridor::model::series(model, results.seed, 0, every);
    let html = corridor::report::html::run_report(model, results, (0, &series));
    write_report(path, &html, batch)
}

/// Writes the HTML report of a command run in `batch` at `path` (see [`write_html`]): a
/// merge that lacks replications says so under the report's title, as its table, JSON and
/// CSV do.
pub(crate) fn write_report(path: &Path, html: &str, batch: &BatchArgs) -> Result<(), ExitCode> {
    match &batch.source {
        Source::Replay(r) if !r.missing().is_empty() => {
            let notice = format!(
                "INCOMPLETE MERGE: {}.",
                super::merge::say_missing(&r.missing())
            );
            write_html(path, &corridor::report::html::with_notice(html, &notice))
        }
        _ => write_html(path, html),
    }
}

/// `corridor schema`: the JSON Schema of the scenario format on stdout.
pub(crate) fn schema() -> ExitCode {
    let text = serde_json::to_string_pretty(&corridor::scenario::schema()).unwrap_or_default();
    if write_stdout(&format!("{text}\n")) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes an HTML report at `path`, atomically, making its directory if need be (as
/// `--out` does); exit 1 (with a message) if it fails.
pub(crate) fn write_html(path: &Path, html: &str) -> Result<(), ExitCode> {
    let made = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    };
    made.and_then(|()| write_atomic(path, html.as_bytes()))
        .map_err(|e| {
            eprintln!("error: cannot write the report {}: {e}", path.display());
            ExitCode::FAILURE
        })
}

/// `corridor capacity`.
pub(crate) fn capacity(args: &CapacityArgs, deny_warnings: bool) -> ExitCode {
    let targets = Targets {
        elements: args.elements.clone(),
        exclude: args.exclude.clone(),
        max_p95_wait_h: args.max_p95_wait_h,
        max_mean_wait_h: args.max_mean_wait_h,
        max_backlog_teu: args.max_backlog_teu,
    };
    // Targets are checked before the scenario is read: a wrong option costs no loading.
    if let Err(e) = targets.check() {
        return failed(&e.into());
    }
    let html = args.html.as_deref();
    let prepared = prepare(&args.scenario, &args.sets, &args.batch, html, deny_warnings);
    let (scenario, file) = match prepared {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let b = &args.batch;
    // The search runs the scenario at larger demands too, up to where the network no
    // longer carries it.
    let (m, model) = study::capacity::heaviest(&scenario.model);
    let heaviest = Scenario {
        model,
        settings: scenario.settings,
        warnings: Vec::new(),
    };
    let label = format!("{file} at {m} times its container demand (which the search may try)");
    let at_once = batch_at_once(b, &[(&label, &heaviest)], 1);
    if let Err(code) = within_memory(&[(&label, &heaviest)], at_once, b.memory_budget_mb) {
        return code;
    }
    let outcome = study::capacity(&scenario, &targets, &args.batch.batch());
    if let (Ok(c), Some(path)) = (&outcome, &args.html) {
        // How close the targets are around the answer (or, with none, up to the scenario's
        // demand), on the same replications.
        let multipliers = corridor::report::html::curve_multipliers(c);
        let curve =
            match study::capacity::curve(&scenario, &targets, &multipliers, &args.batch.batch()) {
                Ok(curve) => curve,
                Err(e) => return failed(&e),
            };
        let html = corridor::report::html::capacity_report(c, &curve);
        if let Err(code) = write_report(path, &html, &args.batch) {
            return code;
        }
    }
    match outcome {
        Ok(c) => match deliver(&args.batch, &c) {
            Err(code) => code,
            Ok(()) if !c.feasible => ExitCode::from(NOT_FEASIBLE),
            Ok(()) => ExitCode::SUCCESS,
        },
        Err(e) => failed(&e),
    }
}

/// `corridor forecast`.
pub(crate) fn forecast(args: &ForecastArgs, deny_warnings: bool) -> ExitCode {
    if !args.open.is_empty() && args.scenarios.len() > 1 {
        eprintln!(
            "error: --open opens projects on one scenario: give one scenario file (forecast the others separately)"
        );
        return ExitCode::from(BAD_INPUT);
    }
    let last = args.years.1;
    if let Some((year, file)) = args.open.iter().find(|(year, _)| *year > last) {
        eprintln!(
            "error: --open {year}:{}: {year} is after the last year forecast, {last}, so the project would change nothing; forecast to {year} or later (--years), or leave it out",
            file.display()
        );
        return ExitCode::from(BAD_INPUT);
    }
    if let Err(code) = check_outputs(&args.batch, args.html.as_deref()) {
        return code;
    }
    let mut scenarios = Vec::with_capacity(args.scenarios.len());
    for p in &args.scenarios {
        let Ok(s) = load(p, &[]) else {
            return ExitCode::from(BAD_INPUT);
        };
        scenarios.push((file_name(p), s));
    }
    let Ok(stages) = opened(&args.scenarios[0], &args.open) else {
        return ExitCode::from(BAD_INPUT);
    };
    let years = args.years.0..=args.years.1;
    let all = scenarios.iter().map(|(_, s)| s);
    if !warned(all.chain(stages.iter().map(|(_, _, s)| s)), deny_warnings)
        || !growth_warned(&scenarios, &stages, &years, deny_warnings)
    {
        return ExitCode::from(BAD_INPUT);
    }
    let all: Vec<(&str, &Scenario)> = (scenarios.iter().map(|(f, s)| (f.as_str(), s)))
        .chain(stages.iter().map(|(_, _, s)| (scenarios[0].0.as_str(), s)))
        .collect();
    let b = &args.batch;
    // Each scenario's years run one after another.
    let at_once = batch_at_once(b, &all, 1);
    if let Err(code) = within_memory(&all, at_once, b.memory_budget_mb) {
        return code;
    }
    let named: Vec<Named> = scenarios
        .iter()
        .map(|(file, scenario)| Named { file, scenario })
        .collect();
    let batch = args.batch.batch();
    let outcome = if stages.is_empty() {
        study::forecast(&named, years, args.saturation, &batch)
    } else {
        let openings: Vec<Opening> = stages
            .iter()
            .map(|(year, open, scenario)| Opening {
                year: *year,
                open,
                scenario,
            })
            .collect();
        forecasts::forecast_openings(named[0], &openings, years, args.saturation, &batch)
    };
    if let (Ok(f), Some(path)) = (&outcome, &args.html) {
        let html = corridor::report::html::forecast_report(f);
        if let Err(code) = write_report(path, &html, &args.batch) {
            return code;
        }
    }
    finish(&args.batch, outcome)
}

/// Warns of each scenario of a forecast over several years in which no flow grows (with
/// the projects opened, if any); false when the warnings are denied (`--deny-warnings`),
/// after saying so.
fn growth_warned(
    scenarios: &[(String, Scenario)],
    stages: &[Stage],
    years: &std::ops::RangeInclusive<i32>,
    deny_warnings: bool,
) -> bool {
    let mut warned = 0;
    for (file, s) in scenarios {
        let all = std::iter::once(s).chain(stages.iter().map(|(_, _, s)| s));
        if years.start() < years.end() && !all.clone().any(|s| forecasts::grows(&s.model)) {
            eprintln!(
                "warning: no flow of {file} grows (growth_per_year is 0 or less for every flow): every year of {}..{} has the demand of {}; set growth_per_year on the flows to forecast growth",
                years.start(),
                years.end(),
                s.model.start_year
            );
            warned += 1;
        }
    }
    if deny_warnings && warned > 0 {
        let s = if warned == 1 { "" } else { "s" };
        eprintln!("\nerror: {warned} warning{s} denied by --deny-warnings; nothing was run");
        return false;
    }
    true
}

/// A year in which projects open, the overlays open from then on, and the network.
type Stage = (i32, Vec<String>, Scenario);

/// The networks of the years in which projects open: per year of `open` (earliest first),
/// the overlays open by then (in the order of their years, then as given) and `base` with
/// them applied. Errors are printed (the caller exits with [`BAD_INPUT`]).
fn opened(base: &Path, open: &[(i32, PathBuf)]) -> Result<Vec<Stage>, ()> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    for (i, (_, p)) in open.iter().enumerate() {
        if open[..i].iter().any(|(_, q)| same(p, q)) {
            eprintln!(
                "error: --open gives {} twice: open each overlay once",
                p.display()
            );
            return Err(());
        }
    }
    let mut open: Vec<&(i32, PathBuf)> = open.iter().collect();
    open.sort_by_key(|(year, _)| *year);
    let mut stages = Vec::new();
    for (i, (year, _)) in open.iter().enumerate() {
        if open.get(i + 1).is_some_and(|(next, _)| next == year) {
            continue;
        }
        let files: Vec<&Path> = open[..=i].iter().map(|(_, p)| p.as_path()).collect();
        let scenario = scenario::load_stack(base, &files).map_err(|diags| eprint!("{diags}"))?;
        let names = files.iter().map(|p| file_name(p)).collect();
        stages.push((*year, names, scenario));
    }
    Ok(stages)
}

/// `corridor validate`: the scenario, with each of `sets` put in as `run --set` would.
pub(crate) fn validate(
    path: &Path,
    sets: &[Override],
    memory_budget_mb: u64,
    deny_warnings: bool,
) -> ExitCode {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match scenario::load_with(path, sets) {
        Ok(scenario) => {
            let file = file_name(path);
            if let Err(code) = within_memory(&[(&file, &scenario)], 1, memory_budget_mb) {
                return code;
            }
            let Scenario {
                model: m, warnings, ..
            } = scenario;
            if !warnings.is_empty() {
                print_warnings(&warnings);
                let denied = if deny_warnings {
                    ", denied by --deny-warnings"
                } else {
                    ""
                };
                eprintln!(
                    "\n{}: {}{denied}",
                    path.display(),
                    count(warnings.len(), "warning")
                );
                if deny_warnings {
                    return ExitCode::from(BAD_INPUT);
                }
            }
            // Ferry lines and fleets are named only where there are some.
            let parts = [
                (m.nodes.len(), "node"),
                (m.links.len(), "segment"),
                (m.crossings.len(), "crossing"),
                (m.ferries.len(), "ferry line"),
                (m.flows.len(), "flow"),
                (m.fleets.len(), "fleet"),
            ];
            let listed: Vec<String> = (parts.iter())
                .filter(|&&(n, what)| n > 0 || !matches!(what, "ferry line" | "fleet"))
                .map(|&(n, what)| count(n, what))
                .collect();
            let changed: String = (sets.iter())
                .map(|o| format!(" --set {}={}", o.path(), o.value_text()))
                .collect();
            println!("ok: {}{changed} ({})", path.display(), listed.join(", "));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{diags}");
            eprintln!("\n{}: {}", path.display(), count(diags.0.len(), "error"));
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// Prints warnings on stderr, a blank line between two.
fn print_warnings(warnings: &[Diagnostic]) {
    for (i, w) in warnings.iter().enumerate() {
        if i > 0 {
            eprintln!();
        }
        eprint!("{w}");
    }
}

/// Prints the warnings of `scenarios`, each once (an overlay's base gives its own again);
/// false when they are denied (`--deny-warnings`), after saying so.
pub(crate) fn warned<'s>(
    scenarios: impl IntoIterator<Item = &'s Scenario>,
    deny_warnings: bool,
) -> bool {
    warned_with(scenarios, std::iter::empty(), deny_warnings)
}

/// [`warned`], with the warnings of the command itself (`more`) after the scenarios'.
pub(crate) fn warned_with<'s>(
    scenarios: impl IntoIterator<Item = &'s Scenario>,
    more: impl IntoIterator<Item = Diagnostic>,
    deny_warnings: bool,
) -> bool {
    let mut all: Vec<Diagnostic> = Vec::new();
    for w in scenarios.into_iter().flat_map(|s| &s.warnings) {
        if !all.contains(w) {
            all.push(w.clone());
        }
    }
    all.extend(more);
    warn(&all, deny_warnings)
}

/// Prints warnings; false when they are denied (`--deny-warnings`), after saying so.
pub(crate) fn warn(warnings: &[Diagnostic], deny_warnings: bool) -> bool {
    if warnings.is_empty() {
        return true;
    }
    print_warnings(warnings);
    if deny_warnings {
        let n = warnings.len();
        let s = if n == 1 { "" } else { "s" };
        eprintln!("\nerror: {n} warning{s} denied by --deny-warnings; nothing was run");
        return false;
    }
    eprintln!();
    true
}

/// How many replications run at once, at most, as the runner sizes its pool: one per
/// worker thread (`threads`, or one per core of `cores`), never more than the cores nor the
/// tasks of a batch: `replications` of each of `together` models run side by side, or when
/// `pilots` (a warm-up found from the data) the [`WARMUP_PILOTS`] pilot replications,
/// whichever are more. At least 1.
fn running_at_once(
    threads: Option<u16>,
    cores: usize,
    replications: u64,
    together: usize,
    pilots: bool,
) -> u64 {
    let mut tasks = replications.saturating_mul(together as u64);
    if pilots {
        tasks = tasks.max(WARMUP_PILOTS);
    }
    corridor::runner::effective_threads(threads.map(usize::from), cores, tasks) as u64
}

/// The replications of `scenarios` that `batch` runs at once, at most, with `together` of
/// them run side by side (compare's base and variants; 1 when they run one after another):
/// [`running_at_once`] on this machine's cores, for the replications given (or the most
/// any of the scenarios asks for), cut to a shard's slice when it runs one.
pub(crate) fn batch_at_once(
    batch: &BatchArgs,
    scenarios: &[(&str, &Scenario)],
    together: usize,
) -> u64 {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let asked = (batch.replications)
        .or_else(|| scenarios.iter().map(|(_, s)| s.settings.replications).max())
        .map_or(1, u64::from);
    let replications = match &batch.source {
        Source::Record(recorder) => {
            let slice = recorder.shard().slice(&(0..asked));
            slice.end - slice.start
        }
        _ => asked,
    };
    let pilots = (scenarios.iter()).any(|(_, s)| matches!(s.settings.warmup, Warmup::Auto));
    running_at_once(batch.threads, cores, replications, together, pilots)
}

/// Checks that `at_once` replications of `scenarios` running at once (see
/// [`batch_at_once`]) hold at most `budget_mb`: what a replication holds before any vehicle
/// appears, and the vehicles that pile up by its horizon where demand exceeds what the
/// network serves (`Model::backlog`). Prints what is wrong (exit 2) otherwise, naming the
/// segment that holds the most before any vehicle appears, or the crossing or segment
/// where the most vehicles pile up.
pub(crate) fn within_memory(
    scenarios: &[(&str, &Scenario)],
    at_once: u64,
    budget_mb: u64,
) -> Result<(), ExitCode> {
    let Some((file, s, f, b)) = scenarios
        .iter()
        .map(|(file, s)| (file, s, s.model.footprint(), s.model.backlog()))
        .max_by_key(|(_, _, f, b)| f.bytes.saturating_add(b.bytes))
    else {
        return Ok(());
    };
    let mb = |b: u64| b.div_ceil(1 << 20);
    let total = mb(f.bytes.saturating_add(b.bytes));
    if total.saturating_mul(at_once) <= budget_mb {
        return Ok(());
    }
    let together = match at_once {
        1 => String::new(),
        n => format!(
            "; {n} at once on {n} threads hold {} MB",
            total.saturating_mul(n)
        ),
    };
    let advice = "run fewer --threads, or raise --memory-budget-mb; nothing was run";
    if b.bytes > f.bytes {
        let m = &s.model;
        let place = b.largest.map_or(String::new(), |(at, bytes, load)| {
            let what = match at {
                Overloaded::Crossing(i) => format!("crossing \"{}\"", m.crossings[i].id),
                Overloaded::Link(i) => format!("segment \"{}\"", m.links[i].id),
                Overloaded::Fleet(i) => format!("the stock of fleet \"{}\"", m.fleets[i].id),
            };
            format!(
                " ({} MB of them at {what}, whose flows ask {load:.1} times what it serves)",
                mb(bytes)
            )
        });
        eprintln!(
            "error: a replication of {file} would hold about {total} MB by its horizon, most of it vehicles waiting where demand exceeds what the network serves{place}{together}, more than --memory-budget-mb {budget_mb}: shorten the horizon, lower the demand or add capacity there, {advice}"
        );
        return Err(ExitCode::from(BAD_INPUT));
    }
    let largest = f.largest.map_or(String::new(), |(i, b)| {
        format!(" (segment \"{}\" alone {} MB)", s.model.links[i].id, mb(b))
    });
    // Only a single track's blocks are worth cutting; other segments hold little.
    let single = f.largest.is_some_and(|(i, _)| {
        matches!(
            s.model.links[i].layout,
            corridor::model::Layout::SingleTrack { .. }
        )
    });
    let fewer_blocks = match single {
        true => "give single tracks fewer stretches (loop_spacing_km), ",
        false => "",
    };
    eprintln!(
        "error: a replication of {file} holds about {} MB before any vehicle appears{largest}{together}, more than --memory-budget-mb {budget_mb}: {fewer_blocks}{advice}",
        mb(f.bytes),
    );
    Err(ExitCode::from(BAD_INPUT))
}

/// Checks `--out DIR`, if given, before anything runs; prints what is wrong (exit 2).
fn check_out(batch: &BatchArgs) -> Result<(), ExitCode> {
    match &batch.out {
        Some(dir) => check_out_dir(dir).map_err(|why| {
            eprintln!("error: --out {}: {why}; nothing was run", dir.display());
            ExitCode::from(BAD_INPUT)
        }),
        None => Ok(()),
    }
}

/// A study's document delivered, or its error printed, as an exit code.
pub(crate) fn finish<D: Document>(batch: &BatchArgs, outcome: Result<D, StudyError>) -> ExitCode {
    match outcome {
        Ok(doc) => deliver(batch, &doc).err().unwrap_or(ExitCode::SUCCESS),
        Err(e) => failed(&e),
    }
}

/// Prints why a study gave no answer and gives the exit code that goes with it.
pub(crate) fn failed(e: &StudyError) -> ExitCode {
    match e {
        StudyError::Interrupted(why) => {
            eprintln!("{why}");
            ExitCode::from(INTERRUPTED)
        }
        StudyError::Input(e) => {
            eprintln!("error: {e}");
            ExitCode::from(BAD_INPUT)
        }
        StudyError::Scenario(diags) => {
            eprint!("{diags}");
            ExitCode::from(BAD_INPUT)
        }
        StudyError::Run(e) if e.is_bad_input() => {
            eprintln!("error: {e}");
            ExitCode::from(BAD_INPUT)
        }
        e => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A path as documents name the file: as given.
pub(crate) fn file_name(p: &Path) -> String {
    p.display().to_string()
}

/// Loads a scenario with `overrides`, or prints its errors (the caller exits with
/// [`BAD_INPUT`]); its warnings are for the caller to print ([`warned`]).
pub(crate) fn load(path: &Path, overrides: &[Override]) -> Result<Scenario, ()> {
    scenario::load_with(path, overrides).map_err(|diags| eprint!("{diags}"))
}

/// Writes the document into `--out DIR` (atomically) if given, and prints the chosen
/// format on stdout unless `--quiet`; exit 1 if either fails. A shard delivers nothing (its
/// partial result is written once the command ends); a merge that lacks replications says
/// so in the document.
fn deliver(batch: &BatchArgs, doc: &dyn Document) -> Result<(), ExitCode> {
    let incomplete;
    let doc = match &batch.source {
        Source::Record(_) => return Ok(()),
        Source::Replay(r) if !r.missing().is_empty() => {
            incomplete = super::merge::Incomplete {
                doc,
                missing: r.missing(),
            };
            &incomplete as &dyn Document
        }
        _ => doc,
    };
    if let Some(dir) = &batch.out {
        if let Err(e) = write_files(dir, doc) {
            eprintln!("error: cannot write results into {}: {e}", dir.display());
            return Err(ExitCode::FAILURE);
        }
    }
    if batch.quiet {
        return Ok(());
    }
    let text = match batch.format {
        Format::Table => doc.table(),
        Format::Json => doc.json(),
        Format::Csv => doc.csv(),
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

#[cfg(test)]
mod tests {
    use super::running_at_once;

    #[test]
    fn the_memory_check_charges_the_replications_a_batch_runs_at_once_not_every_core() {
        // Two replications on 64 cores: two at once, not 64.
        assert_eq!(running_at_once(None, 64, 2, 1, false), 2);
        assert_eq!(running_at_once(None, 64, 1, 1, false), 1);
        // A comparison runs its base and two variants side by side.
        assert_eq!(running_at_once(None, 64, 2, 3, false), 6);
        // More replications than cores: one per core, or per thread asked.
        assert_eq!(running_at_once(None, 8, 100, 1, false), 8);
        assert_eq!(running_at_once(Some(2), 8, 100, 1, false), 2);
        assert_eq!(running_at_once(Some(32), 8, 100, 1, false), 8);
        // A warm-up found from the data first runs its pilot replications together.
        assert_eq!(running_at_once(None, 64, 2, 1, true), 5);
        assert_eq!(running_at_once(None, 64, 20, 1, true), 20);
    }
}
