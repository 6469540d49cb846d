//! The `corridor` command: argument parsing and wiring; the work is in the library.

use clap::{Parser, Subcommand, ValueEnum};
use corridor::report::{to_csv, to_json, to_table, write_atomic};
use corridor::runner::{run, RunOptions};
use corridor::scenario;
use corridor::stats::Results;
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
    /// Number of replications [default: the scenario's `replications`].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    replications: Option<u32>,
    /// Seed of the random streams [default: the scenario's `seed`].
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: every core]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write results.json, results.csv and results.txt into this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar and nothing on stdout (use with --out).
    #[arg(long)]
    quiet: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run(args) => run_command(&args),
    }
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
    let model = match scenario::load(&args.scenario) {
        Ok(m) => m,
        Err(diags) => {
            eprint!("{diags}");
            return ExitCode::from(2);
        }
    };
    let opts = RunOptions {
        replications: args.replications.unwrap_or(model.replications),
        seed: args.seed.unwrap_or(model.seed),
        threads: args.threads.map(usize::from),
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let reps = match run(&model, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let results = Results::summarise(&model, opts.seed, &reps);
    if let Some(dir) = &args.out {
        if let Err(e) = write_outputs(dir, &results) {
            eprintln!("error: cannot write results into {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if !args.quiet {
        let text = match args.format {
            Format::Table => to_table(&results),
            Format::Json => to_json(&results),
            Format::Csv => to_csv(&results),
        };
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(text.as_bytes())
            .and_then(|_| stdout.flush())
        {
            Ok(()) => {}
            // A closed pipe (`corridor run ... | head`) is the reader's choice, not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                eprintln!("error: cannot write results to stdout: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn write_outputs(dir: &Path, results: &Results) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join("results.json"), to_json(results).as_bytes())?;
    write_atomic(&dir.join("results.csv"), to_csv(results).as_bytes())?;
    write_atomic(&dir.join("results.txt"), to_table(results).as_bytes())
}
