//! `corridor sweep`: read the scenario once, check every point, then run them all.

use super::args::SweepArgs;
use super::commands::{
    batch_at_once, check_outputs, failed, file_name, finish, warn, within_memory, write_report,
    BAD_INPUT,
};
use corridor::scenario::{Merged, Parameter};
use corridor::study;
use std::process::ExitCode;

/// `corridor sweep`.
pub(crate) fn sweep(args: &SweepArgs, deny_warnings: bool) -> ExitCode {
    if let Err(code) = check_outputs(&args.batch, args.html.as_deref()) {
        return code;
    }
    let merged = match Merged::read(&args.scenario) {
        Ok(m) => m,
        Err(diags) => {
            eprint!("{diags}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let mut params: Vec<Parameter> = args.sets.clone();
    params.extend(args.demand.clone());
    let file = file_name(&args.scenario);
    match study::sweep::check(&merged, &params) {
        Ok(checked) if warn(&checked.warnings, deny_warnings) => {
            if let Some(s) = &checked.heaviest {
                let b = &args.batch;
                let at_once = batch_at_once(b, &[(&file, s)], 1);
                if let Err(code) = within_memory(&[(&file, s)], at_once, b.memory_budget_mb) {
                    return code;
                }
            }
        }
        Ok(_) => return ExitCode::from(BAD_INPUT),
        Err(e) => return failed(&e),
    }
    let outcome = study::sweep(&merged, &file, &params, &args.batch.batch());
    if let (Ok(s), Some(path)) = (&outcome, &args.html) {
        let html = corridor::report::html::sweep_report(s);
        if let Err(code) = write_report(path, &html, &args.batch) {
            return code;
        }
    }
    finish(&args.batch, outcome)
}
