//! The `corridor` command: parses the arguments and calls a study; the work is in the
//! library.

mod cli;

use clap::Parser;
use cli::args::{Cli, Command};
use cli::commands::{self, INTERRUPTED};
use cli::{merge, shard, sweep, trace};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // First Ctrl-C (or SIGTERM, SIGHUP: what a scheduler or a closed terminal sends):
    // finish the replications under way and report what is done. Second:
    // leave at once, but for the output file being written, if any (output files are
    // written atomically, so none is left half-written, and no temporary file is left).
    let _ = ctrlc::set_handler(|| {
        if corridor::runner::interrupted() {
            corridor::report::exit_between_writes(i32::from(INTERRUPTED));
        }
        corridor::runner::interrupt();
    });
    let deny = cli.deny_warnings;
    let code = match cli.command {
        Command::Validate {
            scenario,
            sets,
            memory_budget_mb,
        } => commands::validate(&scenario, &sets, memory_budget_mb, deny),
        Command::Schema => commands::schema(),
        Command::Run(args) => shard::run(args, deny, commands::run),
        Command::Compare(args) => shard::run(args, deny, cli::compare::compare),
        Command::Capacity(args) => shard::run(args, deny, commands::capacity),
        Command::Forecast(args) => shard::run(args, deny, commands::forecast),
        Command::Sweep(args) => shard::run(args, deny, sweep::sweep),
        Command::Merge(args) => merge::merge(&args, deny),
        Command::Trace(args) => trace::trace(&args, deny),
        Command::Stringline(args) => trace::stringline(&args, deny),
    };
    // A load interrupted (while finding routes, say) fails as bad input would; it was not.
    if corridor::runner::interrupted() && code == ExitCode::from(commands::BAD_INPUT) {
        return ExitCode::from(INTERRUPTED);
    }
    code
}
