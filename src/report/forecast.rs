//! Reports of forecasts: the `corridor.forecast/1` JSON document (the first scenario's
//! forecast, the others under `variants`), CSV with a row per scenario and year, and a
//! table per scenario followed by the saturation years side by side.

use super::{csv_quote, pretty_json};
use crate::study::forecast::{Forecasts, BACKLOG_SHARE};
use std::fmt::Write;

/// The forecasts as the `corridor.forecast/1` JSON document: the first scenario's forecast
/// with its `file`, and the others, each with its `file`, under `variants`.
pub fn to_json(f: &Forecasts) -> String {
    let with_file = |(file, forecast): &(String, _)| {
        let mut v = serde_json::to_value(forecast).unwrap_or_default();
        v["file"] = file.clone().into();
        v
    };
    let Some(first) = f.forecasts.first() else {
        return pretty_json(&serde_json::Value::Null);
    };
    let mut doc = with_file(first);
    doc["variants"] = f.forecasts[1..]
        .iter()
        .map(with_file)
        .collect::<Vec<_>>()
        .into();
    pretty_json(&doc)
}

/// The forecasts as tidy CSV: one row per scenario and year.
pub fn to_csv(f: &Forecasts) -> String {
    let mut s = String::from(
        "file,year,demand_teu_per_year,delivered_teu_per_year,backlog_teu,transit_h_mean\n",
    );
    for (file, f) in &f.forecasts {
        for y in &f.years {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{}",
                csv_quote(file),
                y.year,
                y.demand_teu_per_year,
                y.results.network.delivered_teu_per_year.mean,
                y.backlog_teu,
                y.results.network.transit_h.mean.mean
            );
        }
    }
    s
}

/// The forecasts as text: per scenario a row per year, then the saturation years side by
/// side.
pub fn to_table(f: &Forecasts) -> String {
    let forecasts = &f.forecasts;
    let mut out = String::new();
    for (file, f) in forecasts {
        let _ = writeln!(out, "{} ({file})", f.scenario);
        let _ = writeln!(
            out,
            "{} replications a year, seed {}; means over replications\n",
            f.replications, f.seed
        );
        let _ = writeln!(
            out,
            "  {:>4}  {:>14}  {:>14}  {:>12}  {:>9}  busiest (utilisation)",
            "year", "demand TEU/yr", "delivered", "backlog TEU", "transit h"
        );
        for y in &f.years {
            let r = &y.results;
            let busiest: Vec<String> = r
                .bottlenecks
                .iter()
                .take(2)
                .map(|b| format!("{} {:.2}", b.id, b.utilization.mean))
                .collect();
            let _ = writeln!(
                out,
                "  {:>4}  {:>14.0}  {:>14.0}  {:>12.0}  {:>9.1}  {}",
                y.year,
                y.demand_teu_per_year,
                r.network.delivered_teu_per_year.mean,
                y.backlog_teu,
                r.network.transit_h.mean.mean,
                busiest.join(", ")
            );
        }
        let _ = writeln!(out);
    }
    let Some((_, first)) = forecasts.first() else {
        return out;
    };
    let _ = writeln!(
        out,
        "First year saturated (utilisation above {}, or a flow's backlog beyond free flow above {} % of its yearly demand); - = not within the forecast",
        first.saturation_threshold,
        BACKLOG_SHARE * 100.0
    );
    let mut ids: Vec<(&'static str, String)> = Vec::new();
    for (_, f) in forecasts {
        for s in f.saturation.iter().filter(|s| s.year.is_some()) {
            if !ids.iter().any(|(k, id)| *k == s.kind && *id == s.id) {
                ids.push((s.kind, s.id.clone()));
            }
        }
    }
    let mut header = format!("  {:<40}", "element");
    for (file, _) in forecasts {
        let name = std::path::Path::new(file)
            .file_stem()
            .map_or(file.clone(), |s| s.to_string_lossy().into_owned());
        header.push_str(&format!("  {name:>28}"));
    }
    let _ = writeln!(out, "{}", header.trim_end());
    if ids.is_empty() {
        let _ = writeln!(out, "  nothing saturates");
    }
    for (kind, id) in ids {
        let mut line = format!("  {:<40}", format!("{kind} {id}"));
        for (_, f) in forecasts {
            let year = f
                .saturation
                .iter()
                .find(|s| s.kind == kind && s.id == id)
                .and_then(|s| s.year)
                .map_or("-".to_string(), |y| y.to_string());
            line.push_str(&format!("  {year:>28}"));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}
