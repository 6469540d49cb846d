//! `corridor trace`: the events of one replication, streamed as CSV on stdout; and
//! `corridor stringline`, drawn from them.

use super::args::{StringlineArgs, TraceArgs};
use super::commands::{check_html, load, warned, write_html, BAD_INPUT, INTERRUPTED};
use corridor::kernel::SimTime;
use corridor::report::{trace_line, TRACE_HEADER};
use corridor::study::stringline::{stringline as lines_of, Route};
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
    if from_h > horizon_h {
        eprintln!("error: --from-h {from_h} is past the scenario's horizon ({horizon_h} h): nothing would be traced");
        return ExitCode::from(BAD_INPUT);
    }
    if to_h < from_h {
        eprintln!("error: --to-h {to_h} is before --from-h {from_h}: give a window of simulated hours, such as --from-h 240 --to-h 480");
        return ExitCode::from(BAD_INPUT);
    }
    let seed = args.one.seed.unwrap_or(scenario.settings.seed);
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
        u64::from(args.one.replication),
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

/// `corridor stringline`.
pub(crate) fn stringline(args: &StringlineArgs, deny_warnings: bool) -> ExitCode {
    if let Err(code) = check_html(Some(&args.html)) {
        return code;
    }
    let Ok(scenario) = load(&args.scenario, &args.sets) else {
        return ExitCode::from(BAD_INPUT);
    };
    if !warned([&scenario], deny_warnings) {
        return ExitCode::from(BAD_INPUT);
    }
    let model = &scenario.model;
    let route = match Route::new(model, &args.route) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let horizon_d = model.horizon.as_hours() / 24.0;
    let warmup_d = scenario
        .settings
        .warmup
        .fixed()
        .map_or(0.0, |w| w.as_hours() / 24.0);
    let from = args.from_day.unwrap_or(warmup_d);
    if from >= horizon_d {
        eprintln!("error: --from-day {from} is not before the horizon, day {horizon_d}: give a window of days within it, such as --from-day 60 --to-day 67");
        return ExitCode::from(BAD_INPUT);
    }
    let given_to = args.to_day.unwrap_or(from + 7.0);
    if given_to <= from {
        eprintln!("error: --to-day {given_to} is not after --from-day {from}: give a window of days, such as --from-day 60 --to-day 67");
        return ExitCode::from(BAD_INPUT);
    }
    // A window running past the horizon ends there.
    let to = given_to.min(horizon_d);
    let seed = args.one.seed.unwrap_or(scenario.settings.seed);
    let window = (
        SimTime::from_hours(from * 24.0),
        SimTime::from_hours(to * 24.0),
    );
    let replication = u64::from(args.one.replication);
    let lines = lines_of(model, (seed, replication), &route, window);
    let html = corridor::report::html::stringline_report(
        model,
        (&model.name, replication),
        &route,
        &lines,
        (from * 24.0, to * 24.0),
    );
    match write_html(&args.html, &html) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
