//! The terminal table: every figure as mean ± half-width of its 95 % confidence interval.

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

/// Widest a table's line may be, in characters, before its figures are split over parts:
/// wide enough for most terminals and for the code blocks of the docs.
pub(super) const LINE_WIDTH: usize = 120;

/// `text` with every line of prose longer than [`LINE_WIDTH`] wrapped between words. The
/// continuation lines of an indented line (an item under a table) hang two spaces further
/// in, so that the next item stands out; those of a heading start at the margin. A line
/// holding a run of three spaces after its indent is a table's row (columns stand three
/// apart) and is left as it is: tables keep within the width by parts (see [`render`]).
/// A no-break space (U+00A0) joins words that must stay on one line; the caller turns it
/// back into a space.
pub(crate) fn wrap_prose(text: &str) -> String {
    wrap_lines(text, |body| {
        let indent = body.len() - body.trim_start_matches(' ').len();
        match (body[indent..].contains("   "), indent) {
            (true, _) => None,
            (false, 0) => Some((0, 0)),
            (false, _) => Some((indent, indent + 2)),
        }
    })
}

/// `text`, a list of labels and their values (`NOT FEASIBLE        the targets are not met
/// …`), with every value that would reach past [`LINE_WIDTH`] wrapped under itself: values
/// begin `column` characters in. A no-break space joins words as in [`wrap_prose`].
pub(super) fn wrap_values(text: &str, column: usize) -> String {
    wrap_lines(text, |body| {
        let start = body.char_indices().nth(column)?.0;
        (body[..start].ends_with(' ') && !body[start..].starts_with(' ')).then_some((start, column))
    })
}

/// `text` with each line longer than [`LINE_WIDTH`] for which `wrap` gives where its words
/// begin (a byte offset) and how many spaces its continuation lines begin with, wrapped
/// between those words.
fn wrap_lines(text: &str, wrap: impl Fn(&str) -> Option<(usize, usize)>) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let how = (body.chars().count() > LINE_WIDTH)
            .then(|| wrap(body))
            .flatten();
        let Some((start, hanging)) = how else {
            out.push_str(line);
            continue;
        };
        out.push_str(&body[..start]);
        let mut width = body[..start].chars().count();
        for (i, word) in body[start..].split(' ').enumerate() {
            let w = word.chars().count();
            if i > 0 && width + 1 + w > LINE_WIDTH {
                out.push('\n');
                out.push_str(&" ".repeat(hanging));
                width = hanging;
            } else if i > 0 {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += w;
        }
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Appends a titled table: a header line, then the rows; the first column left-aligned,
/// the others right-aligned. Nothing when there are no rows. A table wider than
/// [`LINE_WIDTH`] is split into parts, one under the other, each with the first column
/// and as many of the others as fit.
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

/// Appends `rows` under `header` as [`columns`] does, the first `left` columns (the labels)
/// left-aligned, split into parts one under the other where wider than [`LINE_WIDTH`] (see
/// [`render`]). Each part repeats the labels; given `short` (one per row: an element's id,
/// a sweep's point), the parts after the first are labelled by it alone. Figures whose
/// headers begin with the same `group_words` words are kept together where they can be.
pub(super) fn columns_in_parts(
    out: &mut String,
    header: &[&str],
    rows: &[Vec<String>],
    left: usize,
    short: Option<&[String]>,
    group_words: usize,
) {
    let chars = |s: &str| s.chars().count();
    let width = |i: usize| (rows.iter().map(|r| chars(&r[i]))).fold(chars(header[i]), usize::max);
    let figures: Vec<usize> = (left..header.len()).map(width).collect();
    // The labels, three spaces apart as every column.
    let first = (0..left).map(|i| width(i) + 3).sum::<usize>() - 3;
    let rest = short.map_or(first, |s| {
        (s.iter().map(|l| chars(l))).fold(chars(header[0]), usize::max)
    });
    let parts = split(&figures, &header[left..], group_words, first, rest);
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for (p, range) in parts.iter().enumerate() {
        if p > 0 {
            let _ = writeln!(out);
        }
        let (labels, short) = match short {
            Some(s) if p > 0 => (1, Some(s)),
            _ => (left, None),
        };
        let part = |i: Option<usize>, row: &[String]| {
            let mut cells = match (short, i) {
                (Some(s), Some(i)) => vec![s[i].clone()],
                _ => row[..labels].to_vec(),
            };
            cells.extend_from_slice(&row[left + range.start..left + range.end]);
            cells
        };
        let head = part(None, &header);
        let body = rows.iter().enumerate().map(|(i, r)| part(Some(i), r));
        let lines: Vec<Vec<String>> = std::iter::once(head).chain(body).collect();
        columns(out, lines.iter(), labels);
    }
}

/// The figure columns of each part of a table whose figures are `figures` characters wide
/// and headed `labels`, whose row labels are `first` wide in the first part and `rest` in
/// the others: as few parts as keep every line within [`LINE_WIDTH`] (a figure too wide
/// for it alone gets a part of its own); among those splits, the one cutting fewest groups
/// of figures (columns whose labels begin with the same `group_words` words: `wait h mean`
/// and `wait h p95` for one word, `crossing post wait h mean` and `crossing post
/// utilization` for two), then the one whose first parts are fullest, as a table is read.
fn split(
    figures: &[usize],
    labels: &[&str],
    group_words: usize,
    first: usize,
    rest: usize,
) -> Vec<std::ops::Range<usize>> {
    let n = figures.len();
    if n == 0 {
        return std::iter::once(0..0).collect();
    }
    let group = |i: usize| labels[i].split(' ').take(group_words).collect::<Vec<_>>();
    // Per first figure `i` of a part after the first (`i` = 0: the first part), the best
    // split of the figures from `i` on, as (parts, groups cut, part lengths), the least
    // being the best: the lengths compared in reverse, so that fuller first parts win.
    type Best = (usize, usize, std::cmp::Reverse<Vec<usize>>);
    let mut best: Vec<Option<Best>> = vec![None; n + 1];
    best[n] = Some((0, 0, std::cmp::Reverse(Vec::new())));
    for i in (0..n).rev() {
        // Two spaces of indent, then the label; three spaces before each figure.
        let mut line = 2 + if i == 0 { first } else { rest };
        for j in i + 1..=n {
            line += 3 + figures[j - 1];
            if j > i + 1 && line > LINE_WIDTH {
                break;
            }
            let Some((parts, cut, std::cmp::Reverse(lengths))) = best[j].clone() else {
                continue;
            };
            let cuts_group = j < n && group(j - 1) == group(j);
            let mut all = vec![j - i];
            all.extend(lengths);
            let candidate = (
                parts + 1,
                cut + usize::from(cuts_group),
                std::cmp::Reverse(all),
            );
            if best[i].as_ref().is_none_or(|b| candidate < *b) {
                best[i] = Some(candidate);
            }
        }
    }
    let lengths = best[0].take().map(|(_, _, l)| l.0).unwrap_or_default();
    let mut start = 0;
    (lengths.into_iter())
        .map(|len| {
            start += len;
            start - len..start
        })
        .collect()
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
/// beside it within [`LINE_WIDTH`].
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
            routes.push(route.via.join("\u{a0}> "));
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
    let mut section = String::new();
    let mut column = 0;
    for (line, route) in table.lines().zip(&routes) {
        column = line.chars().count() + 3;
        let _ = writeln!(section, "{line}   {route}");
    }
    out.push_str(&wrap_values(&section, column).replace('\u{a0}', " "));
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

    /// The figure columns of each part, from `split`.
    fn parts_of(figures: &[usize], labels: &[&str], first: usize, rest: usize) -> Vec<Vec<usize>> {
        (split(figures, labels, 1, first, rest).into_iter())
            .map(|r| r.collect())
            .collect()
    }

    #[test]
    fn a_table_within_the_line_stays_whole() {
        let labels = [
            "vehicles",
            "TEU",
            "utilization",
            "wait h mean",
            "wait h p95",
        ];
        assert_eq!(
            parts_of(&[15, 17, 13, 13, 13], &labels, 27, 27),
            vec![vec![0, 1, 2, 3, 4]]
        );
    }

    #[test]
    fn a_split_keeps_figures_of_one_kind_together_and_fills_the_first_part_first() {
        // Flows: delivered and backlog fit beside the long labels, the three transit
        // times together after them, though a cut inside them would fit too.
        let labels = [
            "delivered TEU/year",
            "backlog TEU",
            "transit h mean",
            "transit h p50",
            "transit h p95",
        ];
        assert_eq!(
            parts_of(&[18, 13, 21, 21, 21], &labels, 36, 36),
            vec![vec![0, 1], vec![2, 3, 4]]
        );
        // Fleets: the six shares of stock, then the trains.
        let labels = [
            "wagons loaded",
            "wagons empty",
            "wagons idle",
            "locos loaded",
            "locos empty",
            "locos idle",
            "trains delayed",
            "wait h mean",
            "wait h p95",
            "empty train-km",
        ];
        let widths = [13, 13, 13, 13, 13, 13, 14, 13, 11, 20];
        assert_eq!(
            parts_of(&widths, &labels, 13, 13),
            vec![(0..6).collect::<Vec<_>>(), (6..10).collect()]
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
    fn many_figures_fill_parts_as_few_figures_do() {
        // 28 figures of 20 characters beside labels of 10: four a part (2 + 10 + 4 × 23 =
        // 104; five would take 127), never one a part.
        let names: Vec<String> = (0..28).map(|i| format!("figure{i} h")).collect();
        let labels: Vec<&str> = names.iter().map(String::as_str).collect();
        let parts = parts_of(&[20; 28], &labels, 10, 10);
        let lengths: Vec<usize> = parts.iter().map(Vec::len).collect();
        assert_eq!(lengths, [4, 4, 4, 4, 4, 4, 4], "{parts:?}");
    }

    #[test]
    fn figures_of_one_element_stay_together_when_grouped_by_two_words() {
        // A sweep's columns: the network's transit, then two figures of each of three
        // segments. Cuts between elements need no more parts than cuts inside them.
        let labels = [
            "network transit h mean per TEU",
            "segment urumqi-jinghe wait h mean",
            "segment urumqi-jinghe utilization",
            "segment jinghe-alashankou wait h mean",
            "segment jinghe-alashankou utilization",
            "segment almaty-shu wait h mean",
            "segment almaty-shu utilization",
        ];
        let widths: Vec<usize> = labels.iter().map(|l| l.len()).collect();
        let parts: Vec<Vec<usize>> = (split(&widths, &labels, 2, 5, 5).into_iter())
            .map(|r| r.collect())
            .collect();
        for part in &parts[1..] {
            assert_eq!(part.len(), 2, "{parts:?}");
            assert_eq!(
                labels[part[0]].split(' ').nth(1),
                labels[part[1]].split(' ').nth(1)
            );
        }
    }

    #[test]
    fn a_figure_wider_than_the_line_gets_a_part_of_its_own() {
        let labels = ["a", "b", "c"];
        assert_eq!(
            parts_of(&[10, 200, 10], &labels, 10, 10),
            vec![vec![0], vec![1], vec![2]]
        );
        assert_eq!(parts_of(&[], &[], 10, 10), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn a_wide_table_reads_in_parts_that_repeat_the_element_column_by_id_after_the_first() {
        let header: Vec<String> = std::iter::once("crossing".to_string())
            .chain((1..=8).map(|i| format!("figure {i} h mean")))
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = ["one", "two"]
            .iter()
            .map(|id| {
                std::iter::once(format!("A crossing with a long display name ({id})"))
                    .chain((1..=8).map(|i| format!("{i}{i}{i}.{i} ± {i}.{i}{i} (1{i}.0 d)")))
                    .collect()
            })
            .collect();
        let ids = ["one".to_string(), "two".to_string()];
        let mut out = String::new();
        render_parts(&mut out, "Crossings", &header, &rows, Some(&ids));
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        let heads: Vec<&&str> = lines
            .iter()
            .filter(|l| l.starts_with("  crossing "))
            .collect();
        assert!(heads.len() >= 2, "{out}");
        // Every figure once, in order, under its own heading.
        for i in 1..=8 {
            assert_eq!(
                out.matches(&format!("figure {i} h mean")).count(),
                1,
                "{out}"
            );
            assert_eq!(out.matches(&format!("{i}{i}{i}.{i} ±")).count(), 2, "{out}");
        }
        assert_eq!(out.matches("long display name (one)").count(), 1, "{out}");
        assert_eq!(
            (lines.iter().filter(|l| l.starts_with("  one "))).count(),
            heads.len() - 1,
            "{out}"
        );
    }

    #[test]
    fn long_prose_wraps_between_words_hanging_under_its_indent_and_table_rows_stay_whole() {
        let words = "figures tested, of which some significant at 95 %; ".repeat(6);
        let text = format!(
            "  {words}\n  row   {}\nshort line\n",
            "1.0 ± 0.1   ".repeat(15)
        );
        let out = wrap_prose(&text);
        let lines: Vec<&str> = out.lines().collect();
        let row = lines.iter().find(|l| l.starts_with("  row")).unwrap();
        assert_eq!(row.trim_end(), text.lines().nth(1).unwrap().trim_end());
        let prose: Vec<&&str> = lines
            .iter()
            .take_while(|l| !l.starts_with("  row"))
            .collect();
        assert!(prose.len() >= 3, "{out}");
        // The first line at its indent, the others hanging two spaces further in.
        assert!(prose[0].starts_with("  f"), "{out}");
        assert!(
            (prose[1..].iter()).all(|l| l.starts_with("    ") && !l.starts_with("     ")),
            "{out}"
        );
        assert!(
            prose.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        let rejoined: Vec<&str> = prose.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(rejoined, words.split_whitespace().collect::<Vec<_>>());
        assert!(out.ends_with("short line\n"));
    }

    #[test]
    fn a_long_value_beside_its_label_wraps_under_itself() {
        let value = "the targets are not met even at 1/64 of the container demand ".repeat(3);
        let text = format!(
            "NOT FEASIBLE        {}\nshort               line\n",
            value.trim_end()
        );
        let out = wrap_values(&text, 20);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() >= 2, "{out}");
        assert!(
            lines[0].starts_with("NOT FEASIBLE        the targets"),
            "{out}"
        );
        for l in &lines[1..lines.len() - 1] {
            assert!(
                l.starts_with(&" ".repeat(20)) && !l.starts_with(&" ".repeat(21)),
                "{out}"
            );
        }
        assert!(
            lines.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        assert_eq!(as_words(&out), as_words(&text));
    }

    /// The words of `text`, whatever its wrapping.
    fn as_words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
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
