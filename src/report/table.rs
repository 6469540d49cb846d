//! The terminal table: every figure as mean ± half-width of its 95 % confidence interval.

use crate::stats::{Results, Stat};
use std::fmt::Write;

/// Formats a number with a precision suited to its size.
fn num(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 {
        group_thousands(x.round())
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn group_thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

fn cell(s: &Stat) -> String {
    format!("{} ± {}", num(s.mean), num(s.half_width()))
}

/// Appends a titled table: a header line, then the rows; the first column left-aligned,
/// the others right-aligned. Nothing when there are no rows.
fn render(out: &mut String, title: &str, header: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    columns(out, std::iter::once(&header).chain(rows), 1);
}

/// Appends `rows` as aligned columns, indented two spaces and three apart: the first `left`
/// columns left-aligned, the others right-aligned.
pub(super) fn columns<R: AsRef<[String]>>(
    out: &mut String,
    rows: impl Iterator<Item = R> + Clone,
    left: usize,
) {
    let mut width: Vec<usize> = Vec::new();
    for row in rows.clone() {
        for (i, c) in row.as_ref().iter().enumerate() {
            if i == width.len() {
                width.push(0);
            }
            width[i] = width[i].max(c.chars().count());
        }
    }
    for row in rows {
        let mut line = String::from(" ");
        for (i, c) in row.as_ref().iter().enumerate() {
            let pad = " ".repeat(width[i] - c.chars().count());
            line.push_str(if i == 0 { " " } else { "   " });
            if i < left {
                line.push_str(c);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(c);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The results as a human-readable table.
pub fn to_table(r: &Results) -> String {
    let mut out = String::new();
    let window_days = (r.horizon_h - r.warmup_h) / 24.0;
    let _ = writeln!(out, "{}", r.scenario);
    let _ = writeln!(
        out,
        "{} replications, seed {}; measured over {} days after a {}-day warm-up; mean ± 95 % CI half-width",
        r.replications,
        r.seed,
        num(window_days),
        num(r.warmup_h / 24.0)
    );
    if r.partial {
        let _ = writeln!(
            out,
            "PARTIAL: interrupted; these figures summarise the {} replications finished",
            r.replications
        );
    }
    if let Some(w) = &r.warmup_auto {
        let _ = writeln!(
            out,
            "warm-up found from the data: {} days ({} on {} pilot replications)",
            w.days, w.method, w.pilot_replications
        );
    }
    if let Some(p) = &r.precision {
        let _ = writeln!(
            out,
            "precision: CI half-width of delivered TEU/year {:.2} % of the mean (asked {:.2} %) with {} replications",
            100.0 * p.reached,
            100.0 * p.target,
            p.replications_used
        );
    }
    render(
        &mut out,
        "Network",
        &["", "delivered TEU/year", "transit h mean", "transit h p95"],
        &[vec![
            "all flows".to_string(),
            cell(&r.network.delivered_teu_per_year),
            cell(&r.network.transit_h.mean),
            cell(&r.network.transit_h.p95),
        ]],
    );
    let rows: Vec<Vec<String>> = r
        .flows
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                cell(&f.delivered_teu_per_year),
                cell(&f.backlog_teu),
                cell(&f.transit_h.mean),
                cell(&f.transit_h.p50),
                cell(&f.transit_h.p95),
            ]
        })
        .collect();
    render(
        &mut out,
        "Flows",
        &[
            "flow",
            "delivered TEU/year",
            "backlog TEU",
            "transit h mean",
            "transit h p50",
            "transit h p95",
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .bottlenecks
        .iter()
        .take(5)
        .map(|b| {
            vec![
                format!("{} {}", b.kind, b.id),
                cell(&b.delay_share),
                cell(&b.delay_h_per_year),
                cell(&b.utilization),
            ]
        })
        .collect();
    render(
        &mut out,
        "Bottlenecks (by share of all delay)",
        &[
            "element",
            "delay share",
            "delay vehicle-h/year",
            "utilization",
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .flows
        .iter()
        .filter(|f| f.routes.len() > 1)
        .flat_map(|f| {
            f.routes.iter().map(move |route| {
                vec![
                    f.id.clone(),
                    route.via.join(" > "),
                    num(route.free_flow_h),
                    cell(&route.share),
                ]
            })
        })
        .collect();
    render(
        &mut out,
        "Route choice",
        &["flow", "route", "free-flow h", "share"],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .crossings
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                cell(&c.processed),
                cell(&c.utilization),
                cell(&c.queue_len),
                cell(&c.wait_h.mean),
                cell(&c.wait_h.p95),
            ]
        })
        .collect();
    render(
        &mut out,
        "Crossings",
        &[
            "crossing",
            "processed",
            "utilization",
            "queue length",
            "wait h mean",
            "wait h p95",
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .links
        .iter()
        .map(|l| {
            vec![
                l.id.clone(),
                cell(&l.trains),
                cell(&l.teu),
                cell(&l.utilization),
                cell(&l.wait_h.mean),
                cell(&l.wait_h.p95),
            ]
        })
        .collect();
    render(
        &mut out,
        "Segments",
        &[
            "segment",
            "vehicles",
            "TEU",
            "utilization",
            "wait h mean",
            "wait h p95",
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .ferries
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                cell(&f.teu),
                cell(&f.voyages),
                cell(&f.wait_h.mean),
                cell(&f.wait_h.p95),
                cell(&f.fill),
                cell(&f.yard_teu),
            ]
        })
        .collect();
    render(
        &mut out,
        "Ferries",
        &[
            "ferry",
            "TEU",
            "voyages",
            "wait h mean",
            "wait h p95",
            "fill",
            "yard TEU",
        ],
        &rows,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_rounded_by_size() {
        assert_eq!(num(1_234_567.4), "1,234,567");
        assert_eq!(num(123.4), "123");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(0.1234), "0.123");
        assert_eq!(num(-4_500.0), "-4,500");
    }
}
