//! Reports of a capacity search: the `corridor.capacity/1` JSON document, a one-row CSV
//! and a short table.

use super::csv_quote;
use crate::study::capacity::Capacity;

/// The answer as the `corridor.capacity/1` JSON document.
pub fn to_json(c: &Capacity) -> String {
    super::pretty_json(c)
}

/// The answer as CSV: a header and one row.
pub fn to_csv(c: &Capacity) -> String {
    format!(
        "multiplier,ci95_lo,ci95_hi,teu_per_year,binding_kind,binding\n{},{},{},{},{},{}\n",
        c.multiplier,
        c.multiplier_ci95[0],
        c.multiplier_ci95[1],
        c.teu_per_year,
        c.binding_kind,
        csv_quote(&c.binding)
    )
}

/// The answer as text for a terminal.
pub fn to_table(c: &Capacity) -> String {
    let mut targets = Vec::new();
    if let Some(h) = c.targets.max_p95_wait_h {
        targets.push(format!("95th-percentile wait <= {h} h everywhere"));
    }
    if let Some(h) = c.targets.max_mean_wait_h {
        targets.push(format!("mean wait <= {h} h everywhere"));
    }
    if let Some(t) = c.targets.max_backlog_teu {
        targets.push(format!("backlog <= {t} TEU at the horizon"));
    }
    if !c.targets.elements.is_empty() {
        targets.push(format!(
            "waits counted at {} only",
            c.targets.elements.join(", ")
        ));
    }
    format!(
        "{}\ntargets: {}\n{} replications, seed {}\n\ndemand multiplier   {:.3}   95 % CI [{:.3}, {:.3}]\ncontainer demand    {:.0} TEU/year\nbinding             {} {}\n",
        c.scenario,
        targets.join("; "),
        c.replications,
        c.seed,
        c.multiplier,
        c.multiplier_ci95[0],
        c.multiplier_ci95[1],
        c.teu_per_year,
        c.binding_kind,
        c.binding
    )
}
