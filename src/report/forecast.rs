//! Reports of forecasts: the `corridor.forecast/1` JSON document (the first scenario's
//! forecast, the others under `variants`), CSV with a row per scenario and year, and a
//! table per scenario followed by the saturation years side by side.

use super::layout::{columns, wrap_prose, LINE_WIDTH};
use super::table::{cell, figure_cell, num, replications, share_cell, short_name};
use super::{csv_quote, pretty_json, Num, Spread};
use crate::stats::figures::Unit;
use crate::study::forecast::{Forecast, Forecasts, BACKLOG_SHARE, SHARE_EARLY, SHARE_LATE};
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

/// The forecasts as tidy CSV: one row per scenario and year. The first six columns are the
/// means; then the sd and 95 % confidence interval of the delivered TEU, the backlog and
/// the transit time per vehicle; then the transit time per TEU (the table's and the HTML
/// report's figure) with its sd and interval; and the overlays open that year (joined by
/// `;`).
pub fn to_csv(f: &Forecasts) -> String {
    let mut s = String::from(
        "file,year,demand_teu_per_year,delivered_teu_per_year,backlog_teu,transit_h_mean",
    );
    for figure in ["delivered_teu_per_year", "backlog_teu", "transit_h_mean"] {
        let _ = write!(s, ",{figure}_sd,{figure}_ci95_lo,{figure}_ci95_hi");
    }
    s.push_str(",teu_transit_h_mean,teu_transit_h_mean_sd,teu_transit_h_mean_ci95_lo,teu_transit_h_mean_ci95_hi");
    s.push_str(",open\n");
    for (file, f) in &f.forecasts {
        for y in &f.years {
            let network = &y.results.network;
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                csv_quote(file),
                y.year,
                Num(y.demand_teu_per_year),
                Num(network.delivered_teu_per_year.mean),
                Num(y.backlog_teu),
                Num(network.transit_h.mean.mean),
                Spread(&network.delivered_teu_per_year),
                Spread(&y.backlog_teu_stat),
                Spread(&network.transit_h.mean),
                Num(network.teu_transit_h.mean.mean),
                Spread(&network.teu_transit_h.mean),
                csv_quote(&y.open.join(";"))
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
        years(&mut out, file, f);
    }
    saturation(&mut out, f);
    wrap_prose(&out)
}

/// One scenario's forecast, a row per year: demand, then the figures with their 95 %
/// confidence intervals, and the two elements that caused the most delay (the first of the
/// year's bottlenecks, as `run` ranks them) with their utilisation.
fn years(out: &mut String, file: &str, f: &Forecast) {
    let _ = writeln!(out, "{} ({file})", f.scenario);
    let figures = if f.replications == 1 {
        "one replication's values, without a confidence interval (n = 1)"
    } else {
        "mean ± 95 % CI half-width over replications"
    };
    let _ = writeln!(
        out,
        "{} a year, seed {}; {figures} (demand: the scenario's, grown)",
        replications(f.replications),
        f.seed
    );
    let _ = writeln!(
        out,
        "each year is simulated on its own from an empty network: a year's backlog and transit are that year's, not carried over from the year before"
    );
    if !f.repeated_disruptions.is_empty() {
        let _ = writeln!(
            out,
            "every year repeats the disruptions given by day: {}",
            f.repeated_disruptions.join(", ")
        );
    }
    let mut open: &[String] = &[];
    for y in &f.years {
        if y.open != open {
            let new: Vec<&str> = y
                .open
                .iter()
                .filter(|o| !open.contains(o))
                .map(String::as_str)
                .collect();
            let _ = writeln!(out, "open from 1 January {}: {}", y.year, new.join(", "));
            open = &y.open;
        }
    }
    let _ = writeln!(out);
    let header = [
        "year",
        "demand TEU/yr",
        "delivered TEU/yr",
        "backlog TEU",
        "transit h per TEU",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    let mut bottlenecks =
        vec![["year", "bottleneck (utilization)", "second bottleneck"].map(String::from)];
    for y in &f.years {
        let r = &y.results;
        rows.push(vec![
            y.year.to_string(),
            num(y.demand_teu_per_year),
            cell(&r.network.delivered_teu_per_year),
            cell(&y.backlog_teu_stat),
            figure_cell(Unit::Hours, &r.network.teu_transit_h.mean),
        ]);
        let mut top = (r.bottlenecks.iter().take(2))
            .map(|b| format!("{} {} {}", b.kind, b.id, share_cell(&b.utilization)));
        let mut next = || top.next().unwrap_or_default();
        bottlenecks.push([y.year.to_string(), next(), next()]);
    }
    columns(out, rows.iter(), 1);
    // The two elements causing the most delay each year, in a table of their own: their
    // names make it as wide as the figures'.
    let _ = writeln!(out);
    columns(out, bottlenecks.iter(), 3);
    let _ = writeln!(out);
}

/// Characters of the column naming the elements in the table of saturation years.
const ELEMENT_WIDTH: usize = 40;

/// The saturation years of every scenario side by side: per element, the first year its
/// mean is saturated and the first years in which 10 % and 90 % of replications are.
fn saturation(out: &mut String, f: &Forecasts) {
    let forecasts = &f.forecasts;
    let Some((_, first)) = forecasts.first() else {
        return;
    };
    let _ = writeln!(
        out,
        "First year saturated (utilization above {}, or a flow's backlog beyond free flow above {} % of its yearly demand): by the mean over replications, and the first years in which at least {} % and {} % of replications are; - = not within the forecast",
        first.saturation_threshold,
        BACKLOG_SHARE * 100.0,
        SHARE_EARLY * 100.0,
        SHARE_LATE * 100.0
    );
    let mut ids: Vec<(&'static str, &str)> = Vec::new();
    for (_, f) in forecasts {
        for s in f
            .saturation
            .iter()
            .filter(|s| s.year.is_some() || s.year_10.is_some())
        {
            if !ids.contains(&(s.kind, s.id.as_str())) {
                ids.push((s.kind, &s.id));
            }
        }
    }
    const GROUP: &str = "  mean  10 %  90 %";
    // Each scenario's three years under its name; as many scenarios side by side as fit in
    // the line, the rest in parts under them, each with the column of elements.
    let width = |file: &str| short_name(file).chars().count().max(GROUP.len()) + 2;
    let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
    let mut line = 2 + ELEMENT_WIDTH;
    for (k, (file, _)) in forecasts.iter().enumerate() {
        let w = width(file);
        if parts.last().is_some_and(|p| !p.is_empty()) && line + w > LINE_WIDTH {
            parts.push(Vec::new());
            line = 2 + ELEMENT_WIDTH;
        }
        parts.last_mut().expect("one part at least").push(k);
        line += w;
    }
    for (p, part) in parts.iter().enumerate() {
        if p > 0 {
            let _ = writeln!(out);
        }
        let mut names = format!("  {:<ELEMENT_WIDTH$}", "");
        let mut header = format!("  {:<ELEMENT_WIDTH$}", "element");
        for &k in part {
            let file = &forecasts[k].0;
            let (name, width) = (short_name(file), width(file));
            let _ = write!(names, "{name:>width$}");
            let _ = write!(header, "{GROUP:>width$}");
        }
        let _ = writeln!(out, "{}", names.trim_end());
        let _ = writeln!(out, "{}", header.trim_end());
        if ids.is_empty() {
            let _ = writeln!(out, "  nothing saturates");
        }
        for &(kind, id) in &ids {
            let mut line = format!("  {:<ELEMENT_WIDTH$}", format!("{kind} {id}"));
            for &k in part {
                let (file, f) = &forecasts[k];
                let s = f.saturation.iter().find(|s| s.kind == kind && s.id == id);
                let year = |pick: fn(&crate::study::forecast::Saturation) -> Option<i32>| {
                    s.and_then(pick).map_or("-".to_string(), |y| y.to_string())
                };
                let group = format!(
                    "{:>6}{:>6}{:>6}",
                    year(|s| s.year),
                    year(|s| s.year_10),
                    year(|s| s.year_90)
                );
                let width = width(file);
                let _ = write!(line, "{group:>width$}");
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    relieved(out, f);
}

/// Per scenario, the elements and flows whose mean is saturated in some years only after
/// the first (a project relieved them): those years, runs of years joined by a dash.
fn relieved(out: &mut String, f: &Forecasts) {
    for (file, f) in &f.forecasts {
        let Some(last) = f.years.last().map(|y| y.year) else {
            continue;
        };
        let some_only: Vec<String> = f
            .saturation
            .iter()
            .filter(|s| {
                s.year
                    .is_some_and(|y| s.years_saturated.len() as i32 != last - y + 1)
            })
            .map(|s| format!("{} {} {}", s.kind, s.id, runs(&s.years_saturated)))
            .collect();
        if !some_only.is_empty() {
            let _ = writeln!(
                out,
                "Saturated by the mean in these years only ({file}): {}",
                some_only.join("; ")
            );
        }
    }
}

/// Years as runs: `2025–2026, 2035`.
fn runs(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            years[i].to_string()
        } else {
            format!("{}–{}", years[i], years[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn years_in_a_row_are_joined_by_a_dash() {
        assert_eq!(runs(&[2025, 2026, 2035]), "2025–2026, 2035");
        assert_eq!(runs(&[2030]), "2030");
        assert_eq!(runs(&[]), "");
    }
}
