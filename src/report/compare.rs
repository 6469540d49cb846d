//! Reports of a comparison: the JSON document (the base's results, and per variant its
//! results, the tree of paired differences, and the figures of what it adds and removes),
//! a table of what changed, and tidy CSV.

use crate::report::layout::NO_BREAK;
use crate::report::table::{bracket, half_width, replications};
use crate::report::{csv_quote, Num, Spread};
use crate::stats::figures::element_words;
use crate::stats::paired::{MetricDifference, OneSided};
use crate::stats::{Results, Stat};
use crate::study::compare::{Compared, Comparison, VariantReport};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// The compare results schema.
pub const COMPARE_SCHEMA: &str = "corridor.compare/1";

/// The differences as a tree shaped like the results: `network`, then lists of elements by
/// id with their metrics nested (`transit_h.mean` → `{"transit_h": {"mean": ...}}`); route
/// shares under `route_share`, keyed by the route's nodes joined by `>`.
pub fn difference_tree(diffs: &[MetricDifference]) -> Value {
    let entries = diffs.iter().map(|d| {
        let value = serde_json::to_value(d.difference).unwrap_or(Value::Null);
        (d.section, d.id.as_str(), d.metric.as_str(), value)
    });
    tree(entries)
}

/// The figures of elements one side lacks, as a tree shaped like the results (only the
/// elements and figures concerned).
pub fn one_sided_tree(figures: &[OneSided]) -> Value {
    let entries = figures.iter().map(|f| {
        let value = serde_json::to_value(f.stat).unwrap_or(Value::Null);
        (f.section, f.id.as_str(), f.metric.as_str(), value)
    });
    tree(entries)
}

/// A tree shaped like the results from (section, element id, metric path, value) entries.
fn tree<'a>(entries: impl Iterator<Item = (&'a str, &'a str, &'a str, Value)>) -> Value {
    let mut tree = Map::new();
    tree.insert("network".into(), Value::Object(Map::new()));
    for s in ["flows", "crossings", "links", "ferries", "corridors"] {
        tree.insert(s.into(), Value::Array(Vec::new()));
    }
    for (section, id, metric, value) in entries {
        let Some(target) = element_of(&mut tree, section, id) else {
            continue;
        };
        if let Some(route) = metric.strip_prefix("route_share:") {
            let shares = target
                .entry("route_share")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = shares {
                m.insert(route.to_string(), value);
            }
            continue;
        }
        insert_at_path(target, metric, value);
    }
    Value::Object(tree)
}

/// The object of element `id` in `section` of `tree`, added if not there yet. A section
/// the results hold only when a scenario has such elements (`fleets`) is a list added with
/// its first element.
fn element_of<'t>(
    tree: &'t mut Map<String, Value>,
    section: &str,
    id: &str,
) -> Option<&'t mut Map<String, Value>> {
    let entry = tree
        .entry(section)
        .or_insert_with(|| Value::Array(Vec::new()));
    match entry {
        Value::Object(m) => Some(m),
        Value::Array(list) => {
            let pos = list.iter().position(|e| e["id"] == id);
            let pos = pos.unwrap_or_else(|| {
                list.push(json!({ "id": id }));
                list.len() - 1
            });
            match &mut list[pos] {
                Value::Object(m) => Some(m),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Puts `value` at the dotted `path` in `node`, making the objects on the way.
fn insert_at_path(mut node: &mut Map<String, Value>, path: &str, value: Value) {
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            node.insert((*part).to_string(), value);
            return;
        }
        let next = node
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        match next {
            Value::Object(m) => node = m,
            _ => return,
        }
    }
}

/// The comparison as the `corridor.compare/1` JSON document.
pub fn to_json(c: &Comparison) -> String {
    let (base_file, base, variants) = (&c.base_file, &c.base, &c.variants);
    let doc = json!({
        "schema": COMPARE_SCHEMA,
        "seed": base.seed,
        "replications": base.replications,
        "base": { "file": base_file, "results": base },
        "variants": variants.iter().map(|v| json!({
            "file": v.file,
            "results": v.compared.results,
            "differences": difference_tree(&v.compared.differences),
            "added": one_sided_tree(&v.compared.added),
            "removed": one_sided_tree(&v.compared.removed),
        })).collect::<Vec<_>>(),
    });
    super::pretty_json(&doc)
}

/// The comparison as tidy CSV: one row per variant and metric. Paired figures have every
/// column but the last three; those of added elements leave the base and the difference
/// empty, those of removed elements the variant and the difference, and both give the
/// spread and 95 % interval of the one figure there is in `value_sd`, `value_ci95_lo` and
/// `value_ci95_hi` (empty with one replication, see [`Spread`]).
pub fn to_csv(c: &Comparison) -> String {
    let mut out = String::from(
        "variant,section,id,metric,base_mean,variant_mean,diff_mean,diff_sd,diff_ci95_lo,diff_ci95_hi,significant,p_value,significant_holm,change,value_sd,value_ci95_lo,value_ci95_hi\n",
    );
    for v in &c.variants {
        let file = csv_quote(&v.file);
        for d in &v.compared.differences {
            let x = &d.difference;
            let _ = writeln!(
                out,
                "{file},{},{},{},{},{},{},{},{},{},{},paired,,,",
                d.section,
                csv_quote(&d.id),
                csv_quote(&d.metric),
                Num(d.base),
                Num(d.variant),
                Num(x.stat.mean),
                Spread(&x.stat),
                x.significant,
                csv_number(x.p_value),
                x.significant_holm
            );
        }
        for (figures, change) in [
            (&v.compared.added, "added"),
            (&v.compared.removed, "removed"),
        ] {
            for f in figures {
                let (base, variant) = match change {
                    "added" => (String::new(), Num(f.stat.mean).to_string()),
                    _ => (Num(f.stat.mean).to_string(), String::new()),
                };
                let _ = writeln!(
                    out,
                    "{file},{},{},{},{base},{variant},,,,,,,,{change},{}",
                    f.section,
                    csv_quote(&f.id),
                    csv_quote(&f.metric),
                    Spread(&f.stat)
                );
            }
        }
    }
    out
}

/// A number for CSV: empty when there is none (NaN).
fn csv_number(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        Num(x).to_string()
    }
}

/// The comparison as a table: a summary ranking the variants, then per variant every
/// figure whose paired difference is significant, with its 95 % interval, and the figures
/// of the elements it adds and removes; the others are counted. With one replication no
/// difference can be tested: every figure that differs is shown, with `(n = 1)`.
pub fn to_table(c: &Comparison) -> String {
    let (base_file, base) = (&c.base_file, &c.base);
    let mut out = String::new();
    let what = if base.replications == 1 {
        "the paired differences variant − base of that replication, without intervals or tests (n = 1)"
    } else {
        "significant paired differences variant − base, mean [95 % CI]"
    };
    let what = format!(
        "{}, seed {}; {what}",
        replications(base.replications),
        base.seed
    );
    let _ = writeln!(
        out,
        "Base: {} ({})\n{what}",
        base.scenario,
        file_in_heading(base_file)
    );
    for note in window_notes(c) {
        let _ = writeln!(out, "OTHER WINDOW: {note}");
    }
    for (name, note) in overload_notes(c) {
        let _ = writeln!(out, "OVERLOADED in {name}: {note}");
    }
    let one = base.replications == 1;
    summary(&mut out, c, one);
    for v in &c.variants {
        variant_table(&mut out, v, one);
    }
    super::layout::wrap_prose(&out)
}

/// True when a table or page shows the difference `d`: when it is significant, or, with
/// one replication (`one`), where nothing can be tested, when the two differ at all.
pub(super) fn shown(d: &MetricDifference, one: bool) -> bool {
    if one {
        !d.difference.identical()
    } else {
        d.difference.significant
    }
}

/// A change that the summary ranks a variant by (the network's delivered TEU a year) or
/// names (a corridor's transit, a crossing's time): at least this share of the base's.
/// Smaller changes, significant or not, say nothing a board would rank on or read.
const MATERIAL_SHARE: f64 = 0.001;

/// Where a variant stands in the summary, least first: those delivering significantly and
/// materially more TEU (most first), then those whose deliveries do not change so (by the
/// change in transit per TEU, shortest first), then those delivering significantly and
/// materially fewer (least loss first). With one replication, which tests nothing, by the
/// change in TEU alone.
fn rank_key(v: &VariantReport, one: bool) -> (u8, f64) {
    let Some(teu) = headline(v, "delivered_teu_per_year") else {
        return (3, 0.0);
    };
    let change = teu.difference.stat.mean;
    if one {
        return (1, -change);
    }
    let material = change.abs() >= MATERIAL_SHARE * teu.base.abs();
    match (teu.difference.significant && material, change > 0.0) {
        (true, true) => (0, -change),
        (true, false) => (2, -change),
        (false, _) => {
            let transit = headline(v, "teu_transit_h.mean");
            (1, transit.map_or(f64::INFINITY, |d| d.difference.stat.mean))
        }
    }
}

/// Whether variant `v` offers a container demand other than the base's (`base_demand`,
/// TEU a year), and by how much: its change in delivered TEU then includes that of its
/// demand, and says nothing alone of what its network carries.
pub(crate) fn demand_change(v: &VariantReport, base_demand: f64) -> Option<f64> {
    let change = v.compared.results.network.demand_teu_per_year - base_demand;
    (change.abs() > 1e-9 * base_demand.abs().max(1.0)).then_some(change)
}

/// A sentence on the variants of `c` whose demand differs from the base's
/// ([`demand_change`]), with how many they are; `None` when none does.
pub(crate) fn demand_note(c: &Comparison) -> Option<(String, usize)> {
    let base = c.base.network.demand_teu_per_year;
    let differ: Vec<String> = (c.variants.iter())
        .filter_map(|v| {
            let change = demand_change(v, base)?;
            Some(format!(
                "{} ({}, {})",
                name_of(v),
                super::table::group_thousands(v.compared.results.network.demand_teu_per_year),
                signed_whole(change)
            ))
        })
        .collect();
    if differ.is_empty() {
        return None;
    }
    let their = if differ.len() == 1 { "its" } else { "their" };
    let note = format!(
        "container demand differs from the base's {} TEU/year in {}: {their} change in delivered TEU/year includes that in demand",
        super::table::group_thousands(base),
        differ.join(", ")
    );
    Some((note, differ.len()))
}

/// A whole number with its sign and thousands grouped: `+411,650`.
pub(crate) fn signed_whole(x: f64) -> String {
    let text = super::table::group_thousands(x.round());
    if x.round() > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A sentence for each variant of `c` measured over another window than the base's
/// (another horizon or warm-up): its figures counted over the window differ by the
/// window's length alone.
pub(crate) fn window_notes(c: &Comparison) -> Vec<String> {
    let days = |r: &Results| (r.horizon_h - r.warmup_h) / 24.0;
    let base = days(&c.base);
    (c.variants.iter())
        .filter(|v| days(&v.compared.results) != base)
        .map(|v| {
            format!(
                "{} is measured over {} days, the base over {}: its figures counted over the window (vehicles processed, TEU carried, trains, voyages, backlogs) differ by that alone; figures a year, times and utilisations compare",
                name_of(v),
                super::table::num(days(&v.compared.results)),
                super::table::num(base)
            )
        })
        .collect()
}

/// The scenarios of `c` (the base, then each variant, named as the tables name them) with
/// overloaded flows, and what that means ([`super::table::overload_note`]).
pub(crate) fn overload_notes(c: &Comparison) -> Vec<(String, String)> {
    let base = std::iter::once((super::table::short_name(&c.base_file), &c.base));
    let variants = (c.variants.iter()).map(|v| (name_of(v), &v.compared.results));
    (base.chain(variants))
        .filter_map(|(name, r)| Some((name, super::table::overload_note(r)?)))
        .collect()
}

/// The variants ranked by [`rank_key`], with the change in transit and the crossings and
/// ports whose time changed significantly; those whose demand differs from the base's
/// ([`demand_change`]) last, in the order given, and said so.
fn summary(out: &mut String, c: &Comparison, one: bool) {
    let variants = &c.variants;
    let base_demand = c.base.network.demand_teu_per_year;
    if variants.len() < 2
        && variants
            .iter()
            .all(|v| headline(v, "delivered_teu_per_year").is_none())
    {
        return;
    }
    let mut ranked: Vec<&VariantReport> = variants.iter().collect();
    // A stable sort: variants of another demand keep the order given.
    ranked.sort_by(|a, b| {
        let key = |v: &VariantReport| match demand_change(v, base_demand) {
            Some(_) => (4, 0.0),
            None => rank_key(v, one),
        };
        let (a, b) = (key(a), key(b));
        a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
    });
    let rule = if one {
        "the change in delivered TEU/year".to_string()
    } else {
        format!(
            "the change in delivered TEU/year where significant and at least {} % of the base's, else by the change in transit per TEU (shortest first)",
            100.0 * MATERIAL_SHARE
        )
    };
    let _ = writeln!(out, "\nSummary: variants ranked by {rule}");
    let header = ["variant", "delivered TEU/year", "transit h per TEU"];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut acts = String::new();
    for v in &ranked {
        let cell = |metric: &str| {
            headline(v, metric).map_or("-".to_string(), |d| interval(&d.difference.stat))
        };
        rows.push(vec![
            name_of(v),
            cell("delivered_teu_per_year"),
            cell("teu_transit_h.mean"),
        ]);
        // A list per variant, not a column: it runs to a line or more where a project
        // speeds up several corridors.
        // No-break spaces keep each element with its change, and each list's first with
        // its heading, when the line wraps.
        let unbroken = |list: String| {
            (list
                .split(", ")
                .map(|item| item.replace(' ', &NO_BREAK.to_string())))
            .collect::<Vec<_>>()
            .join(", ")
        };
        let _ = writeln!(
            acts,
            "  {}: corridors{NO_BREAK}{}; crossings{NO_BREAK}and{NO_BREAK}ports{NO_BREAK}{}",
            name_of(v),
            unbroken(changed(v, &["corridors"], "transit_h.mean", one)),
            unbroken(changed(v, &["crossings", "ferries"], "time_h.mean", one)),
        );
    }
    // Two figures a variant: a long name (a file with its `--set` changes) takes a line
    // of its own rather than parts.
    let header = header.map(String::from).to_vec();
    super::layout::columns_within(out, std::iter::once(&header).chain(&rows), 1);
    let _ = writeln!(
        out,
        "  Where they act, h: the corridors whose transit per TEU changed, the crossings and ports whose time changed"
    );
    out.push_str(&acts);
    if let Some((note, n)) = demand_note(c) {
        let them = if n == 1 { "it is" } else { "they are" };
        let _ = writeln!(out, "  Note: {note}, so {them} listed last, not ranked");
    }
}

/// The elements of `sections` whose figure `metric` changed significantly (with one
/// replication, `one`: at all) and materially (by [`MATERIAL_SHARE`] of the base's at
/// least), with the change: `dostyk-rail -4.65, bakhty-rail new`; `none` when none did.
/// Ferry lines, listed with the crossings and ports, are named as such
/// (`ferry aktau-baku -3.20`).
fn changed(v: &VariantReport, sections: &[&str], metric: &str, one: bool) -> String {
    let c = &v.compared;
    let name = |section: &str, id: &str| match section {
        "ferries" => format!("ferry {id}"),
        _ => id.to_string(),
    };
    let mut out: Vec<String> = (c.differences.iter())
        .filter(|d| sections.contains(&d.section) && d.metric == metric)
        .filter(|d| shown(d, one))
        .filter(|d| d.difference.stat.mean.abs() >= MATERIAL_SHARE * d.base.abs())
        .map(|d| {
            format!(
                "{} {}",
                name(d.section, &d.id),
                signed(d.difference.stat.mean)
            )
        })
        .collect();
    for (figures, change) in [(&c.added, "new"), (&c.removed, "removed")] {
        out.extend(
            (figures.iter())
                .filter(|f| sections.contains(&f.section) && f.metric == metric)
                .map(|f| format!("{} {change}", name(f.section, &f.id))),
        );
    }
    if out.is_empty() {
        "none".into()
    } else {
        out.join(", ")
    }
}

/// The network figure `metric` of a variant's differences.
fn headline<'v>(v: &'v VariantReport, metric: &str) -> Option<&'v MetricDifference> {
    v.compared
        .differences
        .iter()
        .find(|d| d.section == "network" && d.metric == metric)
}

/// A variant as tables name it: its file's stem and its `--set`s.
fn name_of(v: &VariantReport) -> String {
    super::table::short_name(&v.file)
}

/// One variant: the significant differences (with one replication, `one`: every figure
/// that differs), what it adds and removes, and the counts.
fn variant_table(out: &mut String, v: &VariantReport, one: bool) {
    let c = &v.compared;
    let _ = writeln!(
        out,
        "\nVariant: {} ({})",
        c.results.scenario,
        file_in_heading(&v.file)
    );
    let changed: Vec<&MetricDifference> = c.differences.iter().filter(|d| shown(d, one)).collect();
    let mut rows: Vec<[String; 5]> = vec![[
        "element".into(),
        "metric".into(),
        "base".into(),
        "variant".into(),
        "difference".into(),
    ]];
    for d in &changed {
        let holm = if d.difference.significant_holm {
            " *"
        } else {
            ""
        };
        rows.push([
            element_words(d.section, &d.id),
            short_metric(&d.metric),
            fmt(d.base),
            fmt(d.variant),
            format!("{}{holm}", interval(&d.difference.stat)),
        ]);
    }
    if rows.len() == 1 {
        let none = if one {
            "no difference"
        } else {
            "no significant difference"
        };
        let _ = writeln!(out, "  {none}");
    } else {
        super::layout::columns_within(out, rows.iter(), 2);
    }
    tested_counts(out, c, &changed, one);
    one_sided_table(out, "New in the variant", "variant", &c.added, one);
    one_sided_table(out, "Not in the variant", "base", &c.removed, one);
}

/// How many figures were tested and how many differ (`changed`, those the table shows),
/// under a variant's table of differences; with one replication, that nothing was tested.
fn tested_counts(out: &mut String, c: &Compared, changed: &[&MetricDifference], one: bool) {
    let identical = (c.differences.iter())
        .filter(|d| d.difference.identical())
        .count();
    let (shown, tested) = (c.differences.len() - identical, c.tested);
    if one {
        let (n, differ) = match changed.len() {
            1 => ("1 figure".to_string(), "differs"),
            n => (format!("{n} figures"), "differ"),
        };
        let _ = writeln!(
            out,
            "  {n} {differ} in this one replication and {identical} are identical; one replication tests no difference: give --replications 2 or more to test them"
        );
        return;
    }
    let holm = changed
        .iter()
        .filter(|d| d.difference.significant_holm)
        .count();
    let others = c.differences.len() - changed.len() - identical;
    let of_tested = if shown == tested {
        format!("{tested} figures tested")
    } else {
        format!("{tested} figures tested, {shown} of them selected (--element, --metric)")
    };
    let _ = writeln!(
        out,
        "  {of_tested}, {} significant at 95 % (by chance alone, about 1 in 20 figures that do not change shows as significant); {holm} of them (*) remain so after Holm's correction for the {tested} tests",
        changed.len()
    );
    let (others, differ) = match others {
        1 => ("1 other figure".to_string(), "differs"),
        n => (format!("{n} other figures"), "differ"),
    };
    let (identical, are) = match identical {
        1 => ("1".to_string(), "is"),
        n => (n.to_string(), "are"),
    };
    let _ = writeln!(
        out,
        "  ({others} {differ}, not significantly; {identical} {are} identical in every replication)"
    );
}

/// A scenario's file and its `--set` changes, to stay on one line when a heading wraps;
/// where they alone would not fit on one, each `--set` stays with its change.
fn file_in_heading(file: &str) -> String {
    let keep = |text: &str| text.replace(' ', &NO_BREAK.to_string());
    if file.chars().count() + 2 <= super::layout::LINE_WIDTH {
        return keep(file);
    }
    (file.split(" --set ").map(keep))
        .collect::<Vec<_>>()
        .join(&format!(" --set{NO_BREAK}"))
}

/// The figures only one side has (`figures`, of the side named `side`), under `heading`:
/// each with its mean ± the half-width of its 95 % CI (its value alone, with one
/// replication: `one`), as they cannot be paired.
fn one_sided_table(out: &mut String, heading: &str, side: &str, figures: &[OneSided], one: bool) {
    if figures.is_empty() {
        return;
    }
    let n = figures.len();
    let s = if n == 1 { "" } else { "s" };
    let what = if one {
        "of one replication, without an interval"
    } else {
        "mean ± half-width of the 95 % CI"
    };
    let _ = writeln!(out, "  {heading}: {n} figure{s}, {what}");
    let header = ["element".to_string(), "metric".into(), side.into()];
    let rows = figures.iter().map(|f| {
        let value = match f.stat.interval() {
            Some(_) => format!("{} ± {}", fmt(f.stat.mean), half_width(&f.stat, fmt)),
            None => format!("{} (n = 1)", fmt(f.stat.mean)),
        };
        [
            element_words(f.section, &f.id),
            short_metric(&f.metric),
            value,
        ]
    });
    let rows: Vec<[String; 3]> = std::iter::once(header).chain(rows).collect();
    super::layout::columns_within(out, rows.iter(), 2);
}

/// A metric as tables show it: a route share by its first two nodes, the count of the
/// nodes between and its last node (the CSV and JSON give every node).
fn short_metric(metric: &str) -> String {
    let Some(route) = metric.strip_prefix("route_share:") else {
        return metric.to_string();
    };
    let nodes: Vec<&str> = route.split('>').collect();
    if nodes.len() <= 5 {
        return metric.to_string();
    }
    format!(
        "route_share:{}>{}>({} more)>{}",
        nodes[0],
        nodes[1],
        nodes.len() - 3,
        nodes[nodes.len() - 1]
    )
}

/// A difference as `mean [lo to hi]`, or `mean (n = 1)` when one replication observed it.
fn interval(s: &Stat) -> String {
    match s.interval() {
        Some((lo, hi)) => {
            // A mean a billionth of its bounds is the rounding of sums that cancel (a
            // difference of equal deliveries), not a change.
            let mean = if s.mean.abs() <= 1e-9 * lo.abs().max(hi.abs()) {
                0.0
            } else {
                s.mean
            };
            format!("{} {}", fmt(mean), bracket(&fmt(lo), &fmt(hi)))
        }
        None => format!("{} (n = 1)", fmt(s.mean)),
    }
}

/// A change with its sign.
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", fmt(x))
    } else {
        fmt(x)
    }
}

/// A figure or a difference: whole from 1,000 (thousands grouped, as the run's table
/// prints them), one decimal from 10, three below, so that close figures of the base and
/// a variant stay apart, and two significant digits below 0.01 (in scientific notation
/// below 10⁻¹⁰); exactly 0 as `0`.
fn fmt(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        // Exactly nothing (no train ran, nobody waited), as the run's table prints it.
        "0".to_string()
    } else if a >= 1000.0 {
        super::table::group_thousands(x.round())
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 0.01 {
        format!("{x:.3}")
    } else if a < 1e-10 {
        // Two significant digits would take more decimals than a line has room for.
        format!("{x:.1e}")
    } else {
        // Two significant digits, so that a small change does not read as none, nor as
        // one digit beside bounds of two.
        let decimals = (1.0 - a.log10().floor()).min(12.0) as usize;
        let text = format!("{x:.decimals$}");
        // 0.000999 rounds up to 0.00100: one decimal fewer keeps two digits.
        let rounded: f64 = text.parse().unwrap_or(x);
        if decimals > 0 && rounded.abs() >= 10f64.powi(2 - decimals as i32) {
            format!("{x:.*}", decimals - 1)
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_print_grouped_and_a_small_one_never_as_zero() {
        assert_eq!(fmt(-69_187.4), "-69,187");
        assert_eq!(fmt(192.74), "192.7");
        assert_eq!(fmt(-0.367), "-0.367");
        assert_eq!(fmt(-0.000_123), "-0.00012");
        assert_eq!(fmt(-0.000_999), "-0.0010");
        assert_eq!(fmt(0.004_4), "0.0044");
        assert_eq!(fmt(0.012_3), "0.012");
        assert_eq!(fmt(0.0), "0");
        assert_eq!(fmt(1.3e-13), "1.3e-13");
    }

    #[test]
    fn a_mean_lost_in_the_rounding_of_its_sums_reads_0_beside_its_interval() {
        // Two replications whose deliveries differ by +14.5 and -14.5 TEU: their mean is
        // the rounding left when equal sums cancel, not a change.
        let noise = Stat::from_values(&[14.5 + 1e-13, -14.5]);
        assert!(noise.mean != 0.0);
        assert!(interval(&noise).starts_with("0 ["), "{}", interval(&noise));
        let small = Stat::from_values(&[0.002, 0.001]);
        assert!(
            interval(&small).starts_with("0.0015 ["),
            "{}",
            interval(&small)
        );
    }
}
