//! `corridor trace`: the events of one replication, streamed as CSV on stdout.

use super::args::TraceArgs;
use super::commands::{load, warned, BAD_INPUT, INTERRUPTED};
use corridor::kernel::SimTime;
use corridor::report::{trace_line, TRACE_HEADER};
use std::io::{BufWriter, ErrorKind, Write};
use std::process::ExitCode;

/// `corridor trace`.
pub(crate) fn trace(args: &TraceArgs, deny_warnings: bool) -> ExitCode {
    let Ok(scenario) = load(&args.scenario, &args.sets) else {
        return ExitCode::from(BAD_INPUT);
    };
    if !warned([&scenario], deny_warnings) {
        return ExitCode::from(BAD_INPUT);
    }
    let model = &scenario.model;
    let horizon_h = model.horizon.as_hours();
    let from_h = args.from_h.unwrap_or(0.0);
    let to_h = args.to_h.unwrap_or(horizon_h);
    if to_h < from_h {
        eprintln!("error: --to-h {to_h} is before --from-h {from_h}: give a window of simulated hours, such as --from-h 240 --to-h 480");
        return ExitCode::from(BAD_INPUT);
    }
    if from_h > horizon_h {
        eprintln!("error: --from-h {from_h} is past the scenario's horizon ({horizon_h} h): nothing would be traced");
        return ExitCode::from(BAD_INPUT);
    }
    let seed = args.seed.unwrap_or(scenario.settings.seed);
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut failure = None;
    let mut line = String::with_capacity(160);
    let mut write = |text: &str, failure: &mut Option<std::io::Error>| {
        if let Err(e) = out.write_all(text.as_bytes()) {
            *failure = Some(e);
        }
    };
    write(TRACE_HEADER, &mut failure);
    let window = (SimTime::from_hours(from_h), SimTime::from_hours(to_h));
    corridor::model::trace(
        model,
        seed,
        u64::from(args.replication),
        window,
        &mut |row| {
            line.clear();
            trace_line(row, &mut line);
            write(&line, &mut failure);
            failure.is_none() && !corridor::runner::interrupted()
        },
    );
    if failure.is_none() {
        if let Err(e) = out.flush() {
            failure = Some(e);
        }
    }
    match failure {
        // `corridor trace ... | head` is the reader's choice, not a failure.
        Some(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Some(e) => {
            eprintln!("error: cannot write the trace to stdout: {e}");
            ExitCode::FAILURE
        }
        None if corridor::runner::interrupted() => {
            eprintln!("interrupted: the trace ends with the last event written");
            ExitCode::from(INTERRUPTED)
        }
        None => ExitCode::SUCCESS,
    }
}
