//! The terminal table: every figure as mean ± half-width of its 95 % confidence interval.

use super::layout::{columns, columns_in_parts, wrap_prose, wrap_values, NO_BREAK};
use crate::stats::figures::{self, Figure, Unit};
use crate::stats::{Results, Stat};
use std::fmt::Write;

/// A number as [`num`] formats it, but exactly 0 as `0` (no warm-up, nobody waited), as
/// headings and labels give it.
pub(crate) fn num_or_zero(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else {
        num(x)
    }
}

/// Formats a number with a precision suited to its size.
pub fn num(x: f64) -> String {
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

/// `x`, a whole number, with its thousands grouped by commas (`-1,234,567`).
pub(super) fn group_thousands(x: f64) -> String {
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

/// A confidence interval as tables and reports print it, from its bounds already formatted:
/// `[-70,339 to -68,035]` (a comma between the bounds would read as one of the thousands).
pub(crate) fn bracket(lo: &str, hi: &str) -> String {
    format!("[{lo} to {hi}]")
}

/// A scenario as a table's column or row names it: the stem of its file, followed by the
/// `--set`s applied to it as given (`border_post --set crossing.post.stage.1.servers=5`).
pub(super) fn short_name(file: &str) -> String {
    let (path, sets) = match file.find("--set ") {
        Some(at) => (file[..at].trim_end(), &file[at..]),
        None => (file, ""),
    };
    let stem = (std::path::Path::new(path).file_stem()).map(|s| s.to_string_lossy());
    match (stem, sets.is_empty()) {
        (Some(stem), true) => stem.into_owned(),
        (Some(stem), false) => format!("{stem} {sets}"),
        (None, _) => file.to_string(),
    }
}

/// A figure as its mean ± the half-width of its 95 % confidence interval; a figure
/// observed in one replication only has no interval, and says `(n = 1)` instead.
pub(super) fn cell(s: &Stat) -> String {
    match s.interval() {
        _ if is_none_ever(s) => none_ever(s),
        Some(_) => format!("{} ± {}", num(s.mean), half_width(s, num)),
        None => format!("{} (n = 1)", num(s.mean)),
    }
}

/// True when a figure was exactly 0 in every replication (no vehicle waited, a segment
/// carried nothing): its cell says `0`, where a figure that only rounds to nothing says
/// `0.000 ± 0.000`.
fn is_none_ever(s: &Stat) -> bool {
    s.mean == 0.0 && s.min == 0.0 && s.max == 0.0
}

/// The half-width of a figure's interval as `format` prints it, or `0` when the figure was
/// the same in every replication (a 95th percentile read from one histogram bucket in each,
/// a time with no randomness): no rounding then hides a spread.
pub(super) fn half_width(s: &Stat, format: impl Fn(f64) -> String) -> String {
    if s.min == s.max {
        "0".to_string()
    } else {
        format(s.half_width())
    }
}

/// The cell of a figure that was 0 in every replication.
fn none_ever(s: &Stat) -> String {
    match s.interval() {
        Some(_) => "0".to_string(),
        None => "0 (n = 1)".to_string(),
    }
}

/// Most flows an overload note names.
const MOST_NAMED: usize = 5;

/// The overloaded flows of `r` ([`crate::stats::FlowSummary::overloaded`]), five at most,
/// with their backlogs at the horizon (`china-almaty-trucks, backlog 90,039 TEU`), and how
/// many they are; `None` when no flow is.
pub(super) fn overloaded_list(r: &Results) -> Option<(String, usize)> {
    let flows: Vec<_> = r.overloaded_flows().collect();
    if flows.is_empty() {
        return None;
    }
    let named: Vec<String> = (flows.iter().take(MOST_NAMED))
        .map(|f| format!("{}, backlog {} TEU", f.id, num(f.backlog_teu.mean)))
        .collect();
    let more = match flows.len().saturating_sub(MOST_NAMED) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    Some((format!("{}{more}", named.join("; ")), flows.len()))
}

/// What it means that a flow is overloaded, said of one flow or of `several`.
pub(super) fn overload_meaning(several: bool) -> String {
    let (verb, its) = if several {
        ("end", "their")
    } else {
        ("ends", "its")
    };
    format!(
        "{verb} the horizon with more than a twentieth of a year's demand waiting beyond what is on its way: demand exceeds what the network carries there, so {its} transit times grow with the horizon rather than settle, and {its} intervals describe this horizon only"
    )
}

/// What the overloaded flows of `r` mean, in a sentence naming them (five at most) with
/// their backlogs; `None` when no flow is. Every report of a run says it: the table, the
/// HTML page, and `compare` for each scenario (`sweep` names the flows of each point).
pub fn overload_note(r: &Results) -> Option<String> {
    let (named, n) = overloaded_list(r)?;
    let count = if n == 1 {
        "1 flow".to_string()
    } else {
        format!("{n} flows")
    };
    Some(format!("{count} ({named}) {}", overload_meaning(n > 1)))
}

/// Hours from which a time is also given in days.
const DAYS_FROM_H: f64 = 48.0;

/// A share from 0 to 1 as mean ± half-width, three decimals whatever its size (`1.000`,
/// not `1.00` beside `0.836`).
pub(super) fn share_cell(s: &Stat) -> String {
    match s.interval() {
        _ if is_none_ever(s) => none_ever(s),
        Some(_) => format!("{:.3} ± {}", s.mean, half_width(s, |x| format!("{x:.3}"))),
        None => format!("{:.3} (n = 1)", s.mean),
    }
}

/// A figure's cell: mean ± half-width, and for times of two days or more the mean in days;
/// shares with three decimals.
pub(super) fn figure_cell(unit: Unit, s: &Stat) -> String {
    match unit {
        Unit::Hours if s.mean >= DAYS_FROM_H => {
            format!("{} ({} d)", cell(s), num(s.mean / 24.0))
        }
        Unit::Share => share_cell(s),
        _ => cell(s),
    }
}

/// Appends a titled table: a header line, then the rows; the first column left-aligned,
/// the others right-aligned. Nothing when there are no rows. A table wider than
/// [`LINE_WIDTH`](super::layout::LINE_WIDTH) is split into parts, one under the other,
/// each with the first column and as many of the others as fit.
fn render(out: &mut String, title: &str, header: &[&str], rows: &[Vec<String>]) {
    render_parts(out, title, header, rows, None);
}

/// [`render`], with the first column of the parts after the first given by `short` (one
/// label per row: an element's id, where the first part gives its name with its id).
fn render_parts(
    out: &mut String,
    title: &str,
    header: &[&str],
    rows: &[Vec<String>],
    short: Option<&[String]>,
) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    columns_in_parts(out, header, rows, 1, short, 1);
}

/// A section of elements: a row per element, a column per figure (in table order). Rows
/// are labelled by `name`; where the figures need more than one part (see [`render`]),
/// the parts after the first label them by `id`.
fn section<O, S>(
    out: &mut String,
    title: &str,
    element: &str,
    figures: &[Figure<O, S>],
    summaries: &[S],
    name: impl Fn(&S) -> String,
    id: impl Fn(&S) -> String,
) {
    let columns = figures::in_table_order(figures);
    let mut header = vec![element];
    header.extend(columns.iter().map(|f| f.label));
    let rows: Vec<Vec<String>> = summaries
        .iter()
        .map(|s| {
            let mut row = vec![name(s)];
            row.extend(columns.iter().map(|f| figure_cell(f.unit, (f.stat)(s))));
            row
        })
        .collect();
    let ids: Vec<String> = summaries.iter().map(id).collect();
    render_parts(out, title, &header, &rows, Some(&ids));
}

/// Most characters of an element's name with its id in a table: what leaves a figure room
/// beside it within [`LINE_WIDTH`](super::layout::LINE_WIDTH).
const NAMED_WIDTH: usize = 80;

/// An element as tables name it: its name with its id, or its id alone; a name too long for
/// [`NAMED_WIDTH`] is cut, with `…`, where the id is not.
fn named(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) if name != id => {
            let room = NAMED_WIDTH.saturating_sub(id.chars().count() + 3);
            if name.chars().count() <= room {
                format!("{name} ({id})")
            } else {
                let cut: String = name.chars().take(room.saturating_sub(1)).collect();
                format!("{}… ({id})", cut.trim_end())
            }
        }
        _ => id.to_string(),
    }
}

/// The results as a human-readable table.
pub fn to_table(r: &Results) -> String {
    let mut out = String::new();
    heading(&mut out, r);
    let network = figures::in_table_order(figures::NETWORK);
    let mut header = vec![""];
    header.extend(network.iter().map(|f| f.label));
    let mut row = vec!["all flows".to_string()];
    row.extend(
        network
            .iter()
            .map(|f| figure_cell(f.unit, (f.stat)(&r.network))),
    );
    render(&mut out, "Network (transit per TEU)", &header, &[row]);
    section(
        &mut out,
        "Corridors (transit per TEU)",
        "corridor",
        figures::CORRIDOR,
        &r.corridors,
        |c| named(&c.id, c.name.as_deref()),
        |c| c.id.clone(),
    );
    // A flow of other cargo counts in its own units (`unit_teu`), not in containers.
    let flow = |f: &crate::stats::FlowSummary| {
        if f.other_cargo {
            format!("{} (other cargo)", f.id)
        } else {
            f.id.clone()
        }
    };
    section(
        &mut out,
        "Flows",
        "flow",
        figures::FLOW,
        &r.flows,
        flow,
        flow,
    );
    bottlenecks(&mut out, r);
    route_choice(&mut out, r);
    // Counts are over the measured window, where flows' TEU are a year's: the sections
    // holding counts say so.
    let days = num((r.horizon_h - r.warmup_h) / 24.0);
    section(
        &mut out,
        &format!("Crossings (processed: vehicles in the {days} days measured)"),
        "crossing",
        figures::CROSSING,
        &r.crossings,
        |c| named(&c.id, c.name.as_deref()),
        |c| c.id.clone(),
    );
    section(
        &mut out,
        &format!("Segments (vehicles and TEU in the {days} days measured)"),
        "segment",
        figures::LINK,
        &r.links,
        |l| l.id.clone(),
        |l| l.id.clone(),
    );
    section(
        &mut out,
        &format!("Ferries (TEU and voyages in the {days} days measured)"),
        "ferry",
        figures::FERRY,
        &r.ferries,
        |f| f.id.clone(),
        |f| f.id.clone(),
    );
    section(
        &mut out,
        &format!("Fleets (shares of the time-average stock; trains delayed and empty train-km in the {days} days measured)"),
        "fleet",
        figures::FLEET,
        &r.fleets,
        |f| f.id.clone(),
        |f| f.id.clone(),
    );
    wrap_prose(&out)
}

/// A count of replications in words: `1 replication`, `20 replications`.
pub(super) fn replications(n: u32) -> String {
    if n == 1 {
        "1 replication".to_string()
    } else {
        format!("{n} replications")
    }
}

/// The scenario's name and how its figures were obtained: replications, seed, window,
/// and whether the batch was cut short, its warm-up found or its precision sought.
fn heading(out: &mut String, r: &Results) {
    let window_days = (r.horizon_h - r.warmup_h) / 24.0;
    let _ = writeln!(out, "{}", r.scenario);
    let how = replications(r.replications);
    let figures = match r.replications {
        1 => "one replication's values, without a confidence interval (n = 1)",
        _ => "mean ± 95 % CI half-width",
    };
    let _ = writeln!(
        out,
        "{how}, seed {}; measured over {} days after a {}-day warm-up; {figures}",
        r.seed,
        num(window_days),
        num_or_zero(r.warmup_h / 24.0)
    );
    if r.partial {
        let _ = writeln!(
            out,
            "PARTIAL: interrupted; these figures summarise the {} replications finished",
            r.replications
        );
    }
    if let Some(note) = overload_note(r) {
        let _ = writeln!(out, "OVERLOADED: {note}");
    }
    if let Some(w) = &r.warmup_auto {
        let _ = writeln!(
            out,
            "warm-up found from the data: {} days ({} on {} pilot replications)",
            w.days, w.method, w.pilot_replications
        );
    }
    if let Some(p) = &r.precision {
        let _ = write!(
            out,
            "precision: CI half-width of delivered TEU/year {} % of the mean (asked {} %) with {} replications",
            percent(p.reached),
            percent(p.target),
            p.replications_used
        );
        // NaN (no spread measured) is no precision reached either.
        let reached = p.reached <= p.target;
        let _ = if reached {
            writeln!(out)
        } else {
            writeln!(
                out,
                ": NOT REACHED, the most --replications allowed; raise --replications for more"
            )
        };
    }
}

/// A share in per cent to three significant digits, two decimals at least (0.50, 0.00100).
fn percent(share: f64) -> String {
    let x = 100.0 * share;
    let decimals = if x > 0.0 && x.is_finite() {
        (2 - x.log10().floor() as i32).clamp(2, 12) as usize
    } else {
        2
    };
    format!("{x:.decimals$}")
}

/// The five elements causing the most delay, most first.
fn bottlenecks(out: &mut String, r: &Results) {
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
    let header = [
        "element",
        "delay share",
        "delay vehicle-h/year",
        "utilization",
    ];
    render(out, "Bottlenecks (by share of all delay)", &header, &rows);
}

/// How the vehicles of flows with several routes split across them: a row per route, its
/// nodes last (they run long), so that every figure stands beside its route.
fn route_choice(out: &mut String, r: &Results) {
    let mut rows = vec![["flow", "free-flow h", "share"].map(String::from).to_vec()];
    let mut routes = vec!["route".to_string()];
    for f in r.flows.iter().filter(|f| f.routes.len() > 1) {
        for route in &f.routes {
            rows.push(vec![
                f.id.clone(),
                num(route.free_flow_h),
                cell(&route.share),
            ]);
            // A no-break space keeps each node with the `>` after it: a long route wraps
            // after an arrow, never before one.
            routes.push(route.via.join(&format!("{NO_BREAK}> ")));
        }
    }
    if rows.len() == 1 {
        return;
    }
    let _ = writeln!(out, "\nRoute choice");
    let mut table = String::new();
    columns(&mut table, rows.iter(), 1);
    // The figures' columns end together (the last is right-aligned): the routes begin in
    // one column, and a long one wraps under itself.
    let column = table.lines().next().map_or(0, |l| l.chars().count()) + 3;
    let mut section = String::new();
    for (line, route) in table.lines().zip(&routes) {
        let _ = writeln!(section, "{line}   {route}");
    }
    out.push_str(&wrap_values(&section, column));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_zero_in_every_replication_reads_0_and_one_that_rounds_to_it_does_not() {
        let zero = Stat::from_values(&[0.0, 0.0, 0.0]);
        assert_eq!(cell(&zero), "0");
        assert_eq!(share_cell(&zero), "0");
        assert_eq!(cell(&Stat::from_values(&[0.0])), "0 (n = 1)");
        let tiny = Stat::from_values(&[0.0, 0.0, 0.000_3]);
        assert_eq!(cell(&tiny), "0.000 ± 0.000");
    }

    #[test]
    fn a_figure_the_same_in_every_replication_has_a_half_width_of_0_not_a_rounded_one() {
        let same = Stat::from_values(&[17.1, 17.1, 17.1]);
        assert_eq!(cell(&same), "17.1 ± 0");
        assert_eq!(share_cell(&Stat::from_values(&[1.0, 1.0])), "1.000 ± 0");
        let close = Stat::from_values(&[17.1, 17.1, 17.100_01]);
        assert_eq!(cell(&close), "17.1 ± 0.000");
    }

    #[test]
    fn a_scenario_is_named_by_its_file_stem_and_its_sets_in_full() {
        assert_eq!(short_name("scenarios/border_post.toml"), "border_post");
        assert_eq!(
            short_name("scenarios/closure.toml --set crossing.post.stage.1.servers=5"),
            "closure --set crossing.post.stage.1.servers=5"
        );
        assert_eq!(
            short_name("--set scenario.name=\"a/b.c\""),
            "--set scenario.name=\"a/b.c\""
        );
    }

    #[test]
    fn a_name_too_long_for_a_table_is_cut_and_its_id_kept() {
        let long =
            "A border crossing whose name runs on and on, past any width a table can give it";
        let label = named("post", Some(long));
        let width = label.chars().count();
        assert!(width <= NAMED_WIDTH && width > NAMED_WIDTH - 3, "{label}");
        assert!(label.ends_with("… (post)") && label.starts_with("A border crossing"));
        assert_eq!(named("post", Some("Post")), "Post (post)");
        assert_eq!(named("post", Some("post")), "post");
    }

    #[test]
    fn numbers_are_grouped_and_rounded_by_size() {
        assert_eq!(num(1_234_567.4), "1,234,567");
        assert_eq!(num(123.4), "123");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(0.1234), "0.123");
        assert_eq!(num(-4_500.0), "-4,500");
    }

    #[test]
    fn shares_in_per_cent_keep_three_significant_digits_and_two_decimals_at_least() {
        assert_eq!(percent(0.01), "1.00");
        assert_eq!(percent(0.00252), "0.252");
        assert_eq!(percent(0.00001), "0.00100");
        assert_eq!(percent(0.5), "50.00");
        assert_eq!(percent(f64::NAN), "NaN");
    }
}
