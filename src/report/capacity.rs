//! Reports of a capacity search: the `corridor.capacity/1` JSON document, a one-row CSV
//! and a short table.

use super::table::replications;
use super::{csv_quote, Num};
use crate::study::capacity::{Capacity, Failing, Targets};

/// The answer as the `corridor.capacity/1` JSON document.
pub fn to_json(c: &Capacity) -> String {
    super::pretty_json(c)
}

/// The answer as CSV: a header and one row. The `failing_*` fields are empty when the
/// targets are met at the smallest multiplier in every replication.
pub fn to_csv(c: &Capacity) -> String {
    let failing = c.failing.as_ref().map_or(",,,,".to_string(), |f| {
        format!(
            "{},{},{},{},{}",
            f.kind,
            csv_quote(&f.id),
            f.figure,
            Num(f.value),
            Num(f.limit)
        )
    });
    format!(
        "multiplier,ci95_lo,ci95_hi,teu_per_year,binding_kind,binding,feasible,infeasible_replications,failing_kind,failing,failing_figure,failing_value,failing_limit\n{},{},{},{},{},{},{},{},{}\n",
        Num(c.multiplier),
        Num(c.multiplier_ci95[0]),
        Num(c.multiplier_ci95[1]),
        Num(c.teu_per_year),
        c.binding_kind,
        csv_quote(&c.binding),
        c.feasible,
        c.infeasible_replications,
        failing
    )
}

/// What fails at the smallest multiplier, in words: `ferry kuryk-alat: 95th-percentile
/// wait 26.3 h (limit 24 h)`.
pub(crate) fn failing_text(f: &Failing) -> String {
    let (what, unit) = match f.figure {
        "wait_h.p95" => ("95th-percentile wait", " h"),
        "wait_h.mean" => ("mean wait", " h"),
        "backlog_teu" => ("backlog at the horizon", " TEU"),
        other => (other, ""),
    };
    let element = if f.kind == "network" {
        "the network".to_string()
    } else {
        format!("{} {}", f.kind, f.id)
    };
    format!(
        "{element}: {what} {:.1}{unit} (limit {}{unit})",
        f.value, f.limit
    )
}

/// The targets `t` in words, one phrase each, `at_most` written between a figure and its
/// limit (`<=` in a terminal, `≤` in HTML): `95th-percentile wait <= 4 h everywhere`, and
/// which elements' waits count.
pub(crate) fn targets_text(t: &Targets, at_most: &str) -> Vec<String> {
    let mut targets = Vec::new();
    if let Some(h) = t.max_p95_wait_h {
        targets.push(format!("95th-percentile wait {at_most} {h} h everywhere"));
    }
    if let Some(h) = t.max_mean_wait_h {
        targets.push(format!("mean wait {at_most} {h} h everywhere"));
    }
    if let Some(v) = t.max_backlog_teu {
        targets.push(format!("backlog {at_most} {v} TEU at the horizon"));
    }
    if !t.elements.is_empty() {
        targets.push(format!("waits counted at {} only", t.elements.join(", ")));
    }
    if !t.exclude.is_empty() {
        targets.push(format!("waits not counted at {}", t.exclude.join(", ")));
    }
    targets
}

/// The answer as text for a terminal.
pub fn to_table(c: &Capacity) -> String {
    super::layout::wrap_values(&table(c), 20)
}

/// The answer as [`to_table`] gives it, before its long lines are wrapped.
fn table(c: &Capacity) -> String {
    let head = format!(
        "{}\ntargets: {}\n{}, seed {}\n\n",
        c.scenario,
        targets_text(&c.targets, "<=").join("; "),
        replications(c.replications),
        c.seed
    );
    let Some(f) = &c.failing else {
        return format!("{head}{}", answer(c));
    };
    let smallest = format!(
        "the targets are not met even at 1/{:.0} of the container demand (multiplier {:.3}) in {} of {} replications",
        1.0 / f.multiplier,
        f.multiplier,
        c.infeasible_replications,
        c.replications
    );
    let there = format!(
        "failing there       {}, first in {} of them (their mean)\n",
        failing_text(f),
        f.replications
    );
    if c.feasible {
        format!(
            "{head}{}note                {smallest}, counted as multiplier 0\n{there}",
            answer(c)
        )
    } else {
        format!("{head}NOT FEASIBLE        {smallest}\n{there}")
    }
}

/// The multiplier found, with its confidence interval (with one replication, only the
/// search's tolerance: there is no confidence interval), the demand it means and the
/// binding element.
fn answer(c: &Capacity) -> String {
    let interval = if c.replications == 1 {
        "(n = 1) within the search's tolerance"
    } else {
        "95 % CI"
    };
    format!(
        "demand multiplier   {:.3}   {interval} {}\ncontainer demand    {} TEU/year\nbinding             {} {}\n",
        c.multiplier,
        super::table::bracket(
            &format!("{:.3}", c.multiplier_ci95[0]),
            &format!("{:.3}", c.multiplier_ci95[1])
        ),
        super::table::num(c.teu_per_year),
        c.binding_kind,
        c.binding
    )
}
