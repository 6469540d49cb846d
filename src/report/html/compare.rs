//! The report of a `compare`: per variant, what it changes against the base on the same
//! replications (a forest plot of the paired differences, in per cent of the base), the
//! elements it adds or removes, and its network map with the new elements outlined.

use super::map::{close_up, map};
use super::svg::{at_least_zero, esc, floor, forest_chart, stat_label, Estimate};
use super::{page, section, TransitUnit};
use crate::model::Model;
use crate::report::compare::shown;
use crate::report::table::{num, replications, short_name};
use crate::stats::figures::{element_words, label, network_words, non_negative};
use crate::stats::paired::MetricDifference;
use crate::stats::{Results, Stat};
use crate::study::compare::{Comparison, VariantReport};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Most differences drawn in a variant's forest plot.
const MOST_ROWS: usize = 30;

/// The report of comparison `c` of base `base` with `variants` (in the comparison's order).
pub fn compare_report(base: &Model, variants: &[&Model], c: &Comparison) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}: variants against the base</h1><p class=\"note\">Base {}; {}, seed {}. Each figure of a variant is paired with the base's on the same replications (common random numbers): the differences are variant minus base, {}.</p>",
        esc(&c.base.scenario),
        esc(&c.base_file),
        replications(c.base.replications),
        c.base.seed,
        if c.base.replications == 1 {
            "those of one replication, without confidence intervals, and none is tested (n = 1)"
        } else {
            "with 95 % confidence intervals"
        }
    );
    for note in crate::report::compare::window_notes(c) {
        let _ = write!(
            body,
            "<p class=\"overloaded\">OTHER WINDOW: {}.</p>",
            esc(&note)
        );
    }
    for (name, note) in crate::report::compare::overload_notes(c) {
        let _ = write!(
            body,
            "<p class=\"overloaded\">OVERLOADED in {}: {}.</p>",
            esc(&name),
            esc(&note)
        );
    }
    let one = c.base.replications == 1;
    summary(&mut body, c, one);
    for (k, (v, model)) in c.variants.iter().zip(variants).enumerate() {
        variant(&mut body, k, (v, model), (base, &c.base), one);
    }
    let footer = if one {
        "Differences are variant minus base in the one replication run, without confidence intervals and untested (n = 1); figures of elements one side lacks are that replication's. The maps are drawn as in the run report."
    } else {
        "Differences are variant minus base, paired on the same replications, with their 95 % confidence intervals in brackets and drawn as lines; figures of elements one side lacks are means with their intervals. The maps are drawn as in the run report."
    };
    page(&format!("{} — comparison", c.base.scenario), &body, footer)
}

/// The network's figures of every variant side by side: TEU delivered and transit per TEU.
/// With one replication (`one`) they are that replication's differences, untested.
fn summary(out: &mut String, c: &Comparison, one: bool) {
    // Each variant named as the tables name it (its file's stem and its `--set`s), its
    // scenario's name in the row's tooltip.
    let pick = |v: &VariantReport, metric: &str| -> Option<(Estimate, bool)> {
        let d = v
            .compared
            .differences
            .iter()
            .find(|d| d.section == "network" && d.metric == metric)?;
        let (mut e, cut) = estimate(&short_name(&v.file), d, false);
        e.title = format!("{} ({}): {}", v.compared.results.scenario, v.file, e.title);
        Some((e, cut))
    };
    // Hours where every transit per TEU, base's and variants', is under two days.
    let transit = TransitUnit::for_longest(
        std::iter::once(&c.base)
            .chain(c.variants.iter().map(|v| &v.compared.results))
            .map(|r| r.network.teu_transit_h.mean.mean),
    );
    let transit_axis = format!(
        "{} in transit per TEU, longer (+) or shorter (−) than the base",
        transit.name
    );
    let transit_caption = format!(
        "{} in transit per TEU: each variant minus the base",
        transit.capital()
    );
    for (metric, unit, id, caption, scale) in [
        (
            "delivered_teu_per_year",
            "TEU a year more (+) or fewer (−) than the base",
            "compare-teu",
            "TEU delivered a year: each variant minus the base",
            1.0,
        ),
        (
            "teu_transit_h.mean",
            transit_axis.as_str(),
            "compare-transit",
            transit_caption.as_str(),
            transit.hours,
        ),
    ] {
        let picked: Vec<(Estimate, bool)> =
            c.variants.iter().filter_map(|v| pick(v, metric)).collect();
        let cut = picked.iter().any(|p| p.1);
        let rows: Vec<Estimate> = picked
            .into_iter()
            .map(|(mut e, _)| {
                e.mean /= scale;
                e.lo /= scale;
                e.hi /= scale;
                e
            })
            .collect();
        if !rows.is_empty() {
            let mut note = if one {
                "The difference in the one replication run: no interval, and no test (n = 1)."
                    .to_string()
            } else {
                "Dark: the difference is significant (95 % interval excluding zero); grey: it is not.".to_string()
            };
            if cut {
                note.push_str(" An interval that ran below minus the base's figure is cut there: the variant's figure cannot fall below zero.");
            }
            if let Some((demand, _)) = (metric == "delivered_teu_per_year")
                .then(|| crate::report::compare::demand_note(c))
                .flatten()
            {
                let _ = write!(note, " Note: {demand}.");
            }
            section(
                out,
                caption,
                &note,
                &forest_chart(id, caption, unit, &rows, None),
            );
        }
    }
}

/// Where the axis of the per-cent changes ends: a change of a small base (a wait of
/// minutes that grows sixfold) would otherwise stretch it until the changes that matter
/// bunch up at zero.
const MOST_PERCENT: f64 = 300.0;

/// A difference as a row: labelled `label`, in per cent of the base's figure (`percent`,
/// for a base other than 0) or as it is; and whether its interval was cut. A figure that
/// cannot be negative (every figure reported: waits, times, counts, TEU, shares) cannot
/// fall by more than the base's: its interval, symmetric about the mean, is cut at minus
/// the base's figure (−100 %), and so is the difference the tooltip gives.
fn estimate(label: &str, d: &MetricDifference, percent: bool) -> (Estimate, bool) {
    let x = &d.difference;
    let untested = x.stat.interval().is_none();
    let bounded = non_negative(d.section, &d.metric) && d.base.is_finite() && d.base >= 0.0;
    let least = if bounded { -d.base } else { f64::NEG_INFINITY };
    let (per, least_shown) = match (percent, bounded) {
        (true, true) => (d.base / 100.0, -100.0),
        (true, false) => (d.base.abs() / 100.0, f64::NEG_INFINITY),
        (false, _) => (1.0, least),
    };
    let stat = Stat {
        ci95_lo: floor(x.stat.ci95_lo, least),
        ci95_hi: floor(x.stat.ci95_hi, least),
        ..x.stat
    };
    let cut = !untested && stat.ci95_lo != x.stat.ci95_lo;
    let row = Estimate {
        label: label.to_string(),
        mean: floor(x.stat.mean / per, least_shown),
        // One replication's difference has no interval: none is drawn.
        lo: if untested {
            f64::NAN
        } else {
            floor(x.stat.ci95_lo / per, least_shown)
        },
        hi: if untested {
            f64::NAN
        } else {
            floor(x.stat.ci95_hi / per, least_shown)
        },
        strong: x.significant,
        title: format!(
            "{} {} {}: base {}, variant {}, difference {}{}",
            d.section,
            d.id,
            d.metric,
            num(d.base),
            num(d.variant),
            stat_label(&stat),
            if untested {
                ""
            } else if x.significant_holm {
                ", significant after Holm's correction"
            } else if x.significant {
                ", significant"
            } else {
                ", not significant"
            }
        ),
    };
    (row, cut)
}

/// One variant's panel: its significant differences (with one replication, `one`: every
/// difference, untested) in per cent of the base, what it adds and removes, and its map.
fn variant(
    out: &mut String,
    k: usize,
    (v, model): (&VariantReport, &Model),
    (base, base_results): (&Model, &Results),
    one: bool,
) {
    let _ = write!(
        out,
        "<h2 class=\"variant\">Variant {}: {} <span class=\"file\">({})</span></h2>",
        k + 1,
        esc(&v.compared.results.scenario),
        esc(&v.file)
    );
    let scales = Scales::of(&v.compared.differences);
    let (shown, near_zero): (Vec<&MetricDifference>, Vec<&MetricDifference>) = v
        .compared
        .differences
        .iter()
        .filter(|d| shown(d, one) && d.base != 0.0 && d.base.is_finite())
        .partition(|d| !scales.near_zero(d));
    let left_out = shown.len().saturating_sub(MOST_ROWS);
    let shown = chart_rows(shown, MOST_ROWS, |d| {
        volume(base_results, d) / scales.of_metric(d)
    });
    let estimates: Vec<(Estimate, bool)> = shown
        .iter()
        .map(|d| estimate(&plain_label(d), d, true))
        .collect();
    let cut = estimates.iter().filter(|e| e.1).count();
    let rows: Vec<Estimate> = estimates.into_iter().map(|e| e.0).collect();
    let more = match left_out {
        0 => String::new(),
        1 => "; 1 more is in the table and the JSON".to_string(),
        n => format!("; {n} more are in the table and the JSON"),
    };
    let more = match near_zero.len() {
        0 => more,
        n => format!(
            "{more}; {n} whose base figure is below a twentieth of the largest of its kind (a wait of seconds at a crossing where others wait hours: a per cent of almost nothing) {} only in the table and the JSON",
            if n == 1 { "is" } else { "are" }
        ),
    };
    let mut note = if one {
        format!("The figures that differ in the one replication run, in per cent of the base's figure: the network's first, then by kind of element, every kind that changed given rows, and within a kind the largest change first, weighed by what the element carried (a flow's TEU, a crossing's vehicles); one replication tests none (n = 1){more}. Figures of elements the base lacks are below.")
    } else {
        format!(
            "The figures that changed significantly, in per cent of the base's figure: the network's first, then by kind of element, every kind that changed given rows, and within a kind the largest change first, weighed by what the element carried (a flow's TEU, a crossing's vehicles) ({} figures tested{more}). Figures of elements the base lacks are below.",
            v.compared.tested
        )
    };
    if let Some(change) =
        crate::report::compare::demand_change(v, base_results.network.demand_teu_per_year)
    {
        let _ = write!(
            note,
            " This variant's container demand is not the base's ({} TEU a year, {}): its changes in TEU delivered and carried include that in demand.",
            num(v.compared.results.network.demand_teu_per_year),
            crate::report::compare::signed_whole(change)
        );
    }
    if cut > 0 {
        let _ = write!(
            note,
            " {} ran below −100 % and {} cut there: none of these figures can fall below zero, so none can fall by more than all of the base's.",
            if cut == 1 { "One interval".to_string() } else { format!("{cut} intervals") },
            if cut == 1 { "is" } else { "are" }
        );
    }
    let beyond = (rows.iter())
        .filter(|r| r.mean > MOST_PERCENT || r.hi > MOST_PERCENT)
        .count();
    if beyond > 0 {
        let _ = write!(
            note,
            " {} past +{MOST_PERCENT} %, drawn to the axis's end with an arrow: {} beside {}.",
            if beyond == 1 {
                "One change reaches".to_string()
            } else {
                format!("{beyond} changes reach")
            },
            if beyond == 1 {
                "its figure is"
            } else {
                "their figures are"
            },
            if beyond == 1 { "it" } else { "them" }
        );
    }
    if rows.is_empty() {
        let none = if one {
            "No figure differs in the one replication run.".to_string()
        } else {
            format!(
                "No figure changed significantly ({} tested).",
                v.compared.tested
            )
        };
        let _ = write!(out, "<p class=\"note\">{none}</p>");
    } else {
        section(
            out,
            "What changes",
            &note,
            &forest_chart(
                &format!("forest-{}", k + 1),
                &format!(
                    "{} of variant {}",
                    if one {
                        "Differences"
                    } else {
                        "Significant differences"
                    },
                    k + 1
                ),
                "per cent of the base",
                &rows,
                Some(MOST_PERCENT),
            ),
        );
    }
    one_sided(out, "Elements the base lacks", &v.compared.added);
    one_sided(out, "Elements the variant lacks", &v.compared.removed);
    let base_ids: BTreeSet<&str> = (base.links.iter().map(|l| l.id.as_str()))
        .chain(base.crossings.iter().map(|c| c.id.as_str()))
        .chain(base.ferries.iter().map(|f| f.id.as_str()))
        .collect();
    let new: BTreeSet<&str> = (model.links.iter().map(|l| l.id.as_str()))
        .chain(model.crossings.iter().map(|c| c.id.as_str()))
        .chain(model.ferries.iter().map(|f| f.id.as_str()))
        .filter(|id| !base_ids.contains(id))
        .collect();
    if let Some(close) = close_up(model, &v.compared.results, &new) {
        let close = close.replacen(
            "<svg id=\"map\"",
            &format!("<svg id=\"close-up-{}\"", k + 1),
            1,
        );
        section(
            out,
            "What the variant adds, close up",
            "The segments, crossings and ferry lines the base lacks (outlined in black and dashed) and the network around them, coloured as below.",
            &close,
        );
    }
    let mut chart = map(model, &v.compared.results, &new);
    chart = chart.replacen("<svg id=\"map\"", &format!("<svg id=\"map-{}\"", k + 1), 1);
    let words = format!(
        "As in the run report; segments and crossings the base lacks are outlined in black and dashed.{}",
        super::map::shared_nodes_note(model)
    );
    section(out, "The variant's network", &words, &chart);
}

/// Per section and figure (`wait_h.mean` of crossings), the largest base figure of any
/// element: the scale its changes are read against, the same for every element.
struct Scales<'d>(Vec<(&'d str, &'d str, f64)>);

impl<'d> Scales<'d> {
    /// The scales of `differences`, every one of them counted (significant or not).
    fn of(differences: &'d [MetricDifference]) -> Self {
        let mut scales: Vec<(&str, &str, f64)> = Vec::new();
        for d in differences.iter().filter(|d| d.base.is_finite()) {
            match scales
                .iter_mut()
                .find(|s| s.0 == d.section && s.1 == d.metric)
            {
                Some(s) => s.2 = s.2.max(d.base.abs()),
                None => scales.push((d.section, &d.metric, d.base.abs())),
            }
        }
        Scales(scales)
    }

    /// The scale of `d`'s figure; 1 where every base is 0.
    fn of_metric(&self, d: &MetricDifference) -> f64 {
        (self.0.iter())
            .find(|s| s.0 == d.section && s.1 == d.metric)
            .map_or(1.0, |s| s.2)
            .max(f64::MIN_POSITIVE)
    }

    /// True when `d`'s base figure is below [`NEAR_ZERO`] of its scale: its change in
    /// per cent would dwarf every other row of a chart in per cent.
    fn near_zero(&self, d: &MetricDifference) -> bool {
        d.base.abs() < NEAR_ZERO * self.of_metric(d)
    }
}

/// The share of its figure's scale under which a base figure is too near zero to chart a
/// change in per cent of it.
const NEAR_ZERO: f64 = 0.05;

/// How much the element of difference `d` carried in the base (`base`): the TEU a year of a
/// flow or corridor, the vehicles a crossing processed, the TEU a segment or ferry line
/// carried; 1 for the network and fleets. At least 1, so that an element that carried
/// nothing still ranks by its change.
fn volume(base: &Results, d: &MetricDifference) -> f64 {
    fn of<T>(items: &[T], id: impl Fn(&T) -> &str, want: &str, stat: impl Fn(&T) -> f64) -> f64 {
        items.iter().find(|t| id(t) == want).map_or(1.0, stat)
    }
    let v = match d.section {
        "flows" => of(
            &base.flows,
            |f| &f.id,
            &d.id,
            |f| f.delivered_teu_per_year.mean,
        ),
        "corridors" => of(
            &base.corridors,
            |c| &c.id,
            &d.id,
            |c| c.delivered_teu_per_year.mean,
        ),
        "crossings" => of(&base.crossings, |c| &c.id, &d.id, |c| c.processed.mean),
        "links" => of(&base.links, |l| &l.id, &d.id, |l| l.teu.mean),
        "ferries" => of(&base.ferries, |f| &f.id, &d.id, |f| f.teu.mean),
        _ => 1.0,
    };
    v.max(1.0)
}

/// The differences a variant's chart shows, at most `most`: taken in rounds, each round
/// the largest change left in each section, so that every section with a change has rows
/// (a new line's effect on its crossing and segment is not crowded out by the flows); then
/// listed by section, the network's first, and within each, the largest change first. A
/// change is its size times `weight`: what the element carried in the base over the scale
/// of its figure (see [`Scales`]), so that a flow's transit 25 h shorter for 209,000 TEU a
/// year outranks a small flow's stock wait half an hour shorter for 20,000, and a
/// crossing's wait of seconds that grew a hundredfold outranks nothing.
fn chart_rows(
    differences: Vec<&MetricDifference>,
    most: usize,
    weight: impl Fn(&MetricDifference) -> f64,
) -> Vec<&MetricDifference> {
    let relative = |d: &MetricDifference| d.difference.stat.mean.abs() * weight(d);
    let mut by_section: Vec<Vec<&MetricDifference>> = Vec::new();
    let mut sorted = differences;
    sorted.sort_by(|a, b| {
        (section_rank(a.section).cmp(&section_rank(b.section)))
            .then(relative(b).total_cmp(&relative(a)))
    });
    for d in sorted {
        match by_section.last_mut() {
            Some(group) if group[0].section == d.section => group.push(d),
            _ => by_section.push(vec![d]),
        }
    }
    let mut taken = vec![0; by_section.len()];
    let mut left = most;
    while left > 0 {
        let before = left;
        for (group, n) in by_section.iter().zip(taken.iter_mut()) {
            if left > 0 && *n < group.len() {
                *n += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    (by_section.iter().zip(&taken))
        .flat_map(|(group, &n)| group[..n].iter().copied())
        .collect()
}

/// Where a section's figures stand in a variant's chart: the network, corridors and flows
/// (what a board reads first), then crossings and ports, segments and fleets.
fn section_rank(section: &str) -> u8 {
    match section {
        "network" => 0,
        "corridors" => 1,
        "flows" => 2,
        "crossings" => 3,
        "ferries" => 4,
        "links" => 5,
        "fleets" => 6,
        _ => 7,
    }
}

/// A difference's row as a chart names it: the element by its kind and id (the network
/// alone) and the figure in the words of the run's table (`crossing dostyk-rail · wait h
/// p95`); a figure the tables do not show keeps its name in the results.
fn plain_label(d: &MetricDifference) -> String {
    // A fleet's stock idle at a depot: a metric per depot, which the tables name so.
    let at_depot = [("idle_wagons:", "wagons"), ("idle_locomotives:", "locos")]
        .iter()
        .find_map(|(prefix, stock)| {
            let node = d.metric.strip_prefix(prefix)?;
            Some(format!("{stock} idle at {node}"))
        });
    let figure = match &at_depot {
        Some(words) => words.as_str(),
        None => label(d.section, &d.metric).unwrap_or(&d.metric),
    };
    if d.section == "network" {
        return format!("network · {}", network_words(&d.metric, figure));
    }
    format!("{} · {figure}", element_words(d.section, &d.id))
}

/// The figures of elements one side only has, as a table: element and the figures a
/// planner asks first (TEU, trains, utilisation, time, wait).
fn one_sided(out: &mut String, heading: &str, figures: &[crate::stats::paired::OneSided]) {
    const KEY: [&str; 6] = [
        "delivered_teu_per_year",
        "trains",
        "teu",
        "utilization",
        "time_h.mean",
        "wait_h.mean",
    ];
    let rows: Vec<_> = figures
        .iter()
        .filter(|f| KEY.contains(&f.metric.as_str()))
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section><h2>{}</h2><table><thead><tr><th>element</th><th>figure</th><th>mean [95 % CI]</th></tr></thead><tbody>",
        esc(heading)
    );
    for f in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&element_words(f.section, &f.id)),
            esc(label(f.section, &f.metric).unwrap_or(&f.metric)),
            esc(&{
                let s = if non_negative(f.section, &f.metric) {
                    at_least_zero(&f.stat)
                } else {
                    f.stat
                };
                super::svg::with_ci(s.mean, s.ci95_lo, s.ci95_hi)
            })
        );
    }
    out.push_str("</tbody></table></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::paired::Difference;

    /// The difference of `metric` of a segment whose base's figure is `base`: `mean`
    /// within `lo` and `hi`, over 5 replications.
    fn difference(metric: &str, base: f64, (mean, lo, hi): (f64, f64, f64)) -> MetricDifference {
        MetricDifference {
            section: "links",
            id: "dostyk-aktogay".into(),
            metric: metric.into(),
            base,
            variant: base + mean,
            difference: Difference::of(Stat {
                mean,
                sd: 1.0,
                ci95_lo: lo,
                ci95_hi: hi,
                min: lo,
                max: hi,
                observed: 5,
            }),
        }
    }

    /// [`difference`] of element `id` of `section`.
    fn of(
        section: &'static str,
        id: &str,
        metric: &str,
        base: f64,
        change: (f64, f64, f64),
    ) -> MetricDifference {
        MetricDifference {
            section,
            id: id.into(),
            ..difference(metric, base, change)
        }
    }

    #[test]
    fn a_change_from_a_base_near_zero_is_left_out_of_the_chart_in_per_cent() {
        let dostyk = of(
            "crossings",
            "dostyk-rail",
            "wait_h.mean",
            7.6,
            (-5.2, -6.0, -4.4),
        );
        // A wait of a second that became half a minute: +7,000 %.
        let petukhovo = of(
            "crossings",
            "petukhovo-rail",
            "wait_h.mean",
            0.0003,
            (0.0067, 0.005, 0.008),
        );
        let all = [dostyk, petukhovo];
        let scales = Scales::of(&all);
        assert!(!scales.near_zero(&all[0]));
        assert!(scales.near_zero(&all[1]));
        assert_eq!(scales.of_metric(&all[1]), 7.6);
    }

    #[test]
    fn rows_are_named_in_the_words_of_the_tables_idle_stock_by_its_depot() {
        let wait = of(
            "crossings",
            "dostyk-rail",
            "wait_h.p95",
            30.0,
            (-5.0, -6.0, -4.0),
        );
        assert_eq!(plain_label(&wait), "crossing dostyk-rail · wait h p95");
        let idle = of(
            "fleets",
            "broad-1520",
            "idle_wagons:dostyk",
            0.3,
            (-0.1, -0.12, -0.08),
        );
        assert_eq!(
            plain_label(&idle),
            "fleet broad-1520 · wagons idle at dostyk"
        );
    }

    #[test]
    fn a_small_change_to_a_large_flow_outranks_a_large_change_to_a_small_one() {
        let big = of(
            "flows",
            "china-europe-dostyk",
            "transit_h.mean",
            347.0,
            (-24.6, -30.0, -19.0),
        );
        let small = of(
            "flows",
            "other-cn-kz-dostyk",
            "transit_h.mean",
            50.0,
            (-10.0, -12.0, -8.0),
        );
        let volume = |d: &MetricDifference| {
            if d.id == "china-europe-dostyk" {
                209_000.0
            } else {
                1_900.0
            }
        };
        // Both read against the scale of the figure: the longest base transit.
        let rows = chart_rows(vec![&small, &big], 1, |d| volume(d) / 347.0);
        assert_eq!(rows[0].id, "china-europe-dostyk");
        // In per cent of its own base alone, the small flow's -20 % would come first.
        let per_cent = chart_rows(vec![&small, &big], 1, |d| 1.0 / d.base);
        assert_eq!(per_cent[0].id, "other-cn-kz-dostyk");
    }

    #[test]
    fn every_kind_of_element_that_changed_keeps_rows_in_the_chart() {
        // Forty flows change by a lot, one crossing and one segment by a little.
        let flows: Vec<MetricDifference> = (0..40)
            .map(|k| MetricDifference {
                section: "flows",
                ..difference("transit_h.mean", 10.0, (-5.0 - k as f64 * 0.1, -6.0, -4.0))
            })
            .collect();
        let crossing = MetricDifference {
            section: "crossings",
            ..difference("wait_h.mean", 10.0, (-1.0, -1.5, -0.5))
        };
        let segment = difference("utilization", 0.8, (-0.1, -0.12, -0.08));
        let all: Vec<&MetricDifference> = [&crossing, &segment].into_iter().chain(&flows).collect();
        let rows = chart_rows(all, 30, |_| 1.0);
        let sections: Vec<&str> = rows.iter().map(|d| d.section).collect();
        assert_eq!(rows.len(), 30);
        assert_eq!(sections[..28], ["flows"; 28]);
        assert_eq!(sections[28..], ["crossings", "links"]);
        // Within a section, the largest change first.
        assert!(rows[0].difference.stat.mean < rows[1].difference.stat.mean);
    }

    #[test]
    fn a_wait_cannot_fall_by_more_than_all_of_the_base() {
        // The single track's wait gone with the second track: -99.8 [-122 to -77.4] %.
        let d = difference("wait_h.mean", 2.0, (-1.996, -2.44, -1.548));
        let (row, cut) = estimate("links dostyk-aktogay wait_h.mean", &d, true);
        assert!(cut);
        assert_eq!((row.lo, (row.mean * 10.0).round() / 10.0), (-100.0, -99.8));
        assert!((row.hi + 77.4).abs() < 1e-9, "{}", row.hi);
        // The tooltip's difference, in hours, is cut at minus the base's.
        assert!(
            row.title.contains("difference -2.00 [-2.00 to -1.55]"),
            "{}",
            row.title
        );
        // In hours, as the network's summary draws it, the same.
        let (row, cut) = estimate("variant.toml", &d, false);
        assert!(cut && row.lo == -2.0);
        // An interval within -100 % is drawn as it is.
        let d = difference("teu", 1000.0, (-300.0, -400.0, -200.0));
        let (row, cut) = estimate("links dostyk-aktogay teu", &d, true);
        assert!(!cut);
        assert!((row.lo + 40.0).abs() < 1e-9, "{}", row.lo);
    }
}
