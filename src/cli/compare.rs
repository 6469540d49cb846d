//! `corridor compare`: the base and its variants loaded with the files they extend, the
//! variants that would mislead warned of, the comparison run and delivered.

use super::args::CompareArgs;
use super::commands::{
    batch_at_once, check_outputs, file_name, finish, warned_with, within_memory, write_report,
    BAD_INPUT,
};
use corridor::kernel::SimTime;
use corridor::model::Model;
use corridor::scenario::{self, canonical, Diagnostic, Override, Scenario, Warmup};
use corridor::study::compare::Filter;
use corridor::study::{self, Named};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `corridor compare`.
pub(crate) fn compare(args: &CompareArgs, deny_warnings: bool) -> ExitCode {
    if args.variants.is_empty() && args.sets.is_empty() {
        eprintln!("error: give at least one variant scenario file, or --set PATH=VALUE to compare the base with itself changed");
        return ExitCode::from(BAD_INPUT);
    }
    if let Err(code) = check_outputs(&args.batch, args.html.as_deref()) {
        return code;
    }
    let base = read_and_load(&args.base, &[]);
    // With no variant file, the variant is the base itself with the --set's.
    let variant_files = match args.variants.is_empty() {
        true => std::slice::from_ref(&args.base),
        false => &args.variants[..],
    };
    let variants: Vec<_> = (variant_files.iter())
        .map(|p| read_and_load(p, &args.sets))
        .collect();
    let (Ok((base_chain, base)), Ok(variants)) =
        (base, variants.into_iter().collect::<Result<Vec<_>, _>>())
    else {
        return ExitCode::from(BAD_INPUT);
    };
    let (chains, variants): (Vec<_>, Vec<_>) = variants.into_iter().unzip();
    let base_flows: std::collections::HashSet<&str> =
        (base.model.flows.iter()).map(|f| f.id.as_str()).collect();
    let base_files: Vec<PathBuf> = base_chain.iter().map(|p| canonical(p)).collect();
    let not_of_base =
        (variant_files.iter().zip(&chains).zip(&variants)).filter_map(|((path, chain), v)| {
            match other_base(&base_files, chain) {
                Some(other) => Some(variant_of_another(&args.base, path, chain, other)),
                None if !v
                    .model
                    .flows
                    .iter()
                    .any(|f| base_flows.contains(f.id.as_str())) =>
                {
                    Some(unrelated_variant(&args.base, &base, path, v))
                }
                None => None,
            }
        });
    let other_windows = (variant_files.iter().zip(&variants))
        .filter_map(|(path, v)| other_window(&args.base, &base, path, v));
    if !warned_with(
        std::iter::once(&base).chain(&variants),
        not_of_base.chain(other_windows),
        deny_warnings,
    ) {
        return ExitCode::from(BAD_INPUT);
    }
    let names: Vec<String> = std::iter::once(&args.base)
        .chain(variant_files)
        .map(|p| file_name(p))
        .collect();
    let all: Vec<(&str, &Scenario)> = (names.iter().map(String::as_str))
        .zip(std::iter::once(&base).chain(&variants))
        .collect();
    let b = &args.batch;
    // The base and every variant run each replication side by side.
    let at_once = batch_at_once(b, &all, all.len());
    if let Err(code) = within_memory(&all, at_once, b.memory_budget_mb) {
        return code;
    }
    let base_file = file_name(&args.base);
    let files: Vec<String> = variant_files
        .iter()
        .map(|p| with_sets(&file_name(p), &args.sets))
        .collect();
    let named: Vec<Named> = files
        .iter()
        .zip(&variants)
        .map(|(file, scenario)| Named { file, scenario })
        .collect();
    let base = Named {
        file: &base_file,
        scenario: &base,
    };
    let filter = Filter {
        elements: args.elements.clone(),
        metrics: args.metrics.clone(),
    };
    let outcome = study::compare(base, &named, &filter, &args.batch.batch());
    if let (Ok(c), Some(path)) = (&outcome, &args.html) {
        let models: Vec<&Model> = variants.iter().map(|s| &s.model).collect();
        let html = corridor::report::html::compare_report(&base.scenario.model, &models, c);
        if let Err(code) = write_report(path, &html, &args.batch) {
            return code;
        }
    }
    finish(&args.batch, outcome)
}

/// A scenario file as documents name it, followed by the `--set`s applied to it.
fn with_sets(file: &str, sets: &[Override]) -> String {
    let mut name = file.to_string();
    for o in sets {
        name.push(' ');
        name.push_str(&o.to_string());
    }
    name
}

/// The scenario `variant` extends, when its chain of files (`variant`, the file read first,
/// then the scenarios it extends) never meets `base`'s (canonical): the variant is an overlay of another
/// scenario. `None` when the chains meet, or when the variant extends nothing.
fn other_base<'c>(base: &[PathBuf], variant: &'c [PathBuf]) -> Option<&'c Path> {
    let meets = variant.iter().any(|p| base.contains(&canonical(p)));
    match variant.get(1) {
        Some(extended) if !meets => Some(extended),
        _ => None,
    }
}

/// The warning for the variant read from `path`, whose chain of files (`chain`) extends
/// `other` and never reaches the base (read from `base_path`): its figures would differ
/// from the base's by all that differs between the two scenarios, not only by its changes.
fn variant_of_another(
    base_path: &Path,
    path: &Path,
    chain: &[PathBuf],
    other: &Path,
) -> Diagnostic {
    let names: Vec<String> = chain.iter().map(|p| tidy(p)).collect();
    let other = tidy(other);
    let message = format!(
        "this variant extends {other} ({}), not the base {} nor a scenario the base extends: its differences would mix all that differs between the two scenarios with the variant's own changes; compare it with {other}",
        names.join(" -> "),
        base_path.display(),
    );
    Diagnostic::file_level(path, message).warning()
}

/// `path` as a message shows it, `dir/..` taken out (`scenarios/policies/../eurasia.toml` is
/// `scenarios/eurasia.toml`); the files themselves are not looked at.
fn tidy(path: &Path) -> String {
    use std::path::Component;
    let mut kept: Vec<Component> = Vec::new();
    for part in path.components() {
        match (part, kept.last()) {
            (Component::ParentDir, Some(Component::Normal(_))) => {
                kept.pop();
            }
            (Component::CurDir, _) => {}
            _ => kept.push(part),
        }
    }
    kept.iter().collect::<PathBuf>().display().to_string()
}

/// The warning for `variant` (read from `path`), which has no flow in common with `base`
/// (read from `base_path`): every figure of it would be new or removed, and the comparison
/// would measure no change at all, as when an overlay made for one scenario is compared
/// with another.
fn unrelated_variant(
    base_path: &Path,
    base: &Scenario,
    path: &Path,
    variant: &Scenario,
) -> Diagnostic {
    let listed = |s: &Scenario| {
        let ids: Vec<&str> = (s.model.flows.iter().take(3))
            .map(|f| f.id.as_str())
            .collect();
        let more = s.model.flows.len().saturating_sub(ids.len());
        match more {
            0 => ids.join(", "),
            n => format!("{} and {n} more", ids.join(", ")),
        }
    };
    let message = format!(
        "this variant has no flow in common with the base {} (the variant's: {}; the base's: {}): every figure of one would be new or removed in the other, so the comparison would measure no change; compare the variant with the scenario it was made from",
        base_path.display(),
        listed(variant),
        listed(base),
    );
    Diagnostic::file_level(path, message).warning()
}

/// The warning for `variant` (read from `path`) when it measures over another window than
/// `base` (read from `base_path`): another horizon, or another warm-up where both give
/// theirs (a variant finding its warm-up from the data takes the base's). Figures counted
/// over the window (vehicles processed, TEU carried, voyages, backlogs) would then differ
/// by the window's length alone, and be marked significant.
fn other_window(
    base_path: &Path,
    base: &Scenario,
    path: &Path,
    variant: &Scenario,
) -> Option<Diagnostic> {
    let warmup = |s: &Scenario| match s.settings.warmup {
        Warmup::Fixed(w) => Some(w),
        Warmup::Auto => None,
    };
    let (bw, vw) = (warmup(base), warmup(variant));
    let same_warmup = bw.is_none() || vw.is_none() || bw == vw;
    if variant.model.horizon == base.model.horizon && same_warmup {
        return None;
    }
    let days = |s: &Scenario, w: Option<SimTime>| {
        let w = w.or(bw).unwrap_or(SimTime::ZERO);
        corridor::report::table_number(s.model.window(w).as_hours() / 24.0)
    };
    let message = format!(
        "this variant is measured over {} days (its horizon less its warm-up), the base {} over {} days: figures counted over the window (vehicles processed, TEU carried, trains, voyages, backlogs) would differ by its length alone and read as significant; per-year figures, times and utilisations compare. Give the variant the base's horizon_days and warmup_days",
        days(variant, vw),
        base_path.display(),
        days(base, bw),
    );
    Some(Diagnostic::file_level(path, message).warning())
}

/// [`load`], with the files the scenario was read from: `path`, then each scenario it
/// extends.
fn read_and_load(path: &Path, overrides: &[Override]) -> Result<(Vec<PathBuf>, Scenario), ()> {
    let report = |diags: scenario::Diagnostics| eprint!("{diags}");
    let merged = scenario::Merged::read(path).map_err(report)?;
    let files = merged.files().map(Path::to_path_buf).collect();
    let scenario = merged.build(overrides).map_err(report)?;
    Ok((files, scenario))
}
