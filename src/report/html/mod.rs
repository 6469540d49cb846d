//! Reports as one self-contained HTML file: charts drawn here as inline SVG, styles inline,
//! no script, no font and no request of any kind, so that the file opens offline and can
//! be mailed. Tooltips are SVG titles; every chart has a text label and the figures are
//! written beside their marks, so that the page reads in print and in greyscale.

mod compare;
mod countries;
mod forecast;
mod map;
mod stringline;
mod studies;
mod svg;

pub use compare::compare_report;

/// A report page (of [`run_report`], [`compare_report`] and the others, each of whose
/// bodies opens with its title) with `notice` under its title, framed as an interrupted
/// run's is: what the page's figures lack (a merge missing replications).
pub fn with_notice(report: &str, notice: &str) -> String {
    let framed = format!("</h1><p class=\"partial\">{}</p>", esc(notice));
    report.replacen("</h1>", &framed, 1)
}
pub use forecast::forecast_report;
pub use stringline::stringline_report;
pub use studies::{capacity_report, curve_multipliers, sweep_report};

use crate::model::Cargo;
use crate::model::{Mode, Model, Series};
use crate::report::table::{num, replications};
use crate::stats::{Results, Stat};
use std::fmt::Write;
use svg::{at_least_zero, bar_chart, esc, heat, line_chart, short, with_ci, Bar, Line};

/// The report of a `run`: the network map, corridors and flows, crossings, ports and
/// ferries, the bottlenecks, the fleets, and how one replication (`series`, replication
/// `replication`) went.
pub fn run_report(
    model: &Model,
    results: &Results,
    (replication, series): (u64, &Series),
) -> String {
    let mut body = String::new();
    headline(&mut body, results);
    let shared = map::shared_nodes_note(model);
    section(
        &mut body,
        "Network",
        &format!("Segments coloured by utilisation (busiest part of the segment, time average) and as wide as the TEU they carried; crossings coloured by their busiest stage; ferry lines by how full their vessels sail.{shared} On screen, a mark gives its figures when the pointer rests on it; on paper, the charts below give the busiest segments, the crossings and the ferry lines, and the run's table, CSV and JSON (corridor run --out) every element."),
        &map::map(model, results, &Default::default()),
    );
    corridors_and_flows(&mut body, model, results);
    crossings(&mut body, results);
    segments(&mut body, results);
    ferries(&mut body, results);
    bottlenecks(&mut body, results);
    fleets(&mut body, results);
    replication_series(&mut body, model, results, (replication, series));
    let figures = if results.replications == 1 {
        "Figures are those of one replication, without confidence intervals (n = 1); triangles mark the 95th percentiles."
    } else {
        "Figures are means over the replications with their 95 % confidence intervals in brackets; whiskers on the bars show the intervals, triangles the 95th percentiles."
    };
    let footer =
        format!("{figures} The last charts follow replication {replication} through time.");
    page(&results.scenario, &body, &footer)
}

/// The whole page around `body`, ending with `footer`: what the page's figures are and how
/// its marks read.
fn page(title: &str, body: &str, footer: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="corridor {version}">
<title>{title} — corridor</title>
<style>
body {{ font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 960px; padding: 16px 24px 48px; line-height: 1.4; }}
h1 {{ font-size: 1.6em; margin-bottom: 0.2em; }}
h2 {{ font-size: 1.2em; margin: 1.6em 0 0.2em; border-bottom: 1px solid #ccc; }}
p.note {{ color: #444; font-size: 0.9em; margin: 0.2em 0 0.6em; }}
p.targets {{ margin: 0.6em 0; }}
.figures {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }}
.figure {{ border: 1px solid #bbb; padding: 8px 12px; min-width: 200px; }}
.figure .v {{ font-size: 1.5em; font-weight: 600; }}
.figure .k {{ font-size: 0.85em; color: #444; }}
.figure.fails {{ border: 2px solid #a00; max-width: 100%; }}
.figure.fails .v {{ color: #a00; }}
svg.chart {{ width: 100%; height: auto; display: block; }}
svg text {{ font-family: inherit; }}
svg .label, svg .value {{ font-size: 14px; }}
svg .tick, svg .unit {{ font-size: 13px; fill: #333; }}
svg .figure-at, svg .mark {{ paint-order: stroke; stroke: #fff; stroke-width: 3px; }}
svg .place {{ font-size: 11px; fill: #222; paint-order: stroke; stroke: #fff; stroke-width: 3px; }}
.partial {{ border: 2px solid #a00; padding: 8px; font-weight: 600; }}
.overloaded {{ border: 2px solid #c60; padding: 8px; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
h2.variant {{ background: #1f3a93; color: #fff; padding: 4px 8px; border: none; margin-top: 2.4em; break-after: avoid; page-break-after: avoid; }}
h2.variant .file {{ font-weight: normal; font-size: 0.8em; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 2px 10px; text-align: left; }}
section.table {{ overflow-x: auto; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.num .ci {{ font-size: 0.85em; color: #555; }}
td.later {{ color: #1b6e3a; }}
td.earlier {{ color: #a0301e; }}
footer {{ margin-top: 2em; font-size: 0.8em; color: #555; }}
@page {{ size: A4; margin: 12mm; }}
@media print {{ body {{ max-width: none; padding: 0; }} section {{ break-inside: avoid; }} h2.variant ~ h2.variant {{ break-before: page; }} }}
</style>
</head>
<body>
{body}
<footer>Made by corridor {version}. {footer}</footer>
</body>
</html>
"#,
        version = env!("CARGO_PKG_VERSION"),
        title = esc(title),
        footer = esc(footer),
    )
}

/// A section: a heading, a note on what it shows, and its chart.
fn section(out: &mut String, heading: &str, note: &str, chart: &str) {
    let _ = writeln!(
        out,
        "<section><h2>{}</h2><p class=\"note\">{}</p>{chart}</section>",
        esc(heading),
        esc(note)
    );
}

/// The scenario's name, the batch, and the network's key figures.
fn headline(out: &mut String, r: &Results) {
    let _ = write!(
        out,
        "<h1>{}</h1><p class=\"note\">{}, seed {}; {} days each, the first {} days discarded as warm-up.</p>",
        esc(&r.scenario),
        replications(r.replications),
        r.seed,
        num(r.horizon_h / 24.0),
        crate::report::table::num_or_zero(r.warmup_h / 24.0)
    );
    if r.partial {
        let _ = write!(
            out,
            "<p class=\"partial\">PARTIAL: interrupted; these figures summarise the {} replications finished.</p>",
            r.replications
        );
    }
    overloaded(out, r);
    let n = &r.network;
    let unit = TransitUnit::of(r);
    let figures = [
        ("TEU delivered a year".to_string(), n.delivered_teu_per_year),
        (
            format!("{} in transit per TEU, mean", unit.name),
            unit.of_hours(&n.teu_transit_h.mean),
        ),
        (
            format!("{} in transit per TEU, 95th percentile", unit.name),
            unit.of_hours(&n.teu_transit_h.p95),
        ),
    ];
    out.push_str("<div class=\"figures\">");
    for (k, (label, s)) in figures.into_iter().enumerate() {
        let s = at_least_zero(&s);
        // The TEU delivered beside the demand they answer.
        let label = if k == 0 && n.demand_teu_per_year > 0.0 {
            format!("{label}, of a demand of {}", num(n.demand_teu_per_year))
        } else {
            label
        };
        let _ = write!(
            out,
            "<div class=\"figure\"><div class=\"v\">{}</div><div class=\"k\">{}</div><div class=\"k\">{}</div></div>",
            esc(&num(s.mean)),
            esc(&interval_words(&s)),
            esc(&label)
        );
    }
    out.push_str("</div>");
}

/// Says which flows of `r` are overloaded, if any ([`crate::report::overload_note`]), in
/// a box under the title: their figures describe this horizon only.
pub(crate) fn overloaded(out: &mut String, r: &Results) {
    if let Some(note) = crate::report::overload_note(r) {
        let _ = write!(
            out,
            "<p class=\"overloaded\">OVERLOADED: {}.</p>",
            esc(&note)
        );
    }
}

/// A headline figure's interval in words, under the figure itself: `95 % CI 958,189 to
/// 977,585` (brackets around numbers with thousands commas read as a list), or that one
/// replication gives none.
fn interval_words(s: &Stat) -> String {
    match s.interval() {
        Some((lo, hi)) => format!("95 % CI {} to {}", num(lo), num(hi)),
        None => "no interval: one replication (n = 1)".to_string(),
    }
}

/// A bar of `s` labelled `label`, filled `fill`, with `mark` as its tick and a tooltip
/// saying what it is. Every figure the run report draws is one that cannot be negative:
/// its interval is shown from 0 at the lowest.
fn bar(label: &str, s: &Stat, mark: Option<f64>, fill: &str, what: &str) -> Bar {
    let s = &at_least_zero(s);
    Bar {
        label: label.to_string(),
        mean: s.mean,
        lo: s.ci95_lo,
        hi: s.ci95_hi,
        mark,
        fill: fill.to_string(),
        title: format!("{label}: {what} {}", with_ci(s.mean, s.ci95_lo, s.ci95_hi)),
    }
}

/// The unit a page gives transit times in: days, or hours where every transit it shows
/// is short (a border post's trucks take hours, not 0.1 days).
#[derive(Debug, Clone, Copy)]
pub(super) struct TransitUnit {
    /// Hours in one unit.
    pub(super) hours: f64,
    /// Its name, plural (`days`, `hours`).
    pub(super) name: &'static str,
}

impl TransitUnit {
    /// Days, unless the network's 95th percentile per TEU and every flow's are under two
    /// days: then hours.
    fn of(r: &Results) -> TransitUnit {
        Self::for_longest(
            (r.flows.iter().map(|f| f.transit_h.p95.mean)).chain([r
                .network
                .teu_transit_h
                .p95
                .mean]),
        )
    }

    /// Days, unless every one of `transits` (hours; those not numbers left out) is under
    /// two days: then hours.
    pub(super) fn for_longest(transits: impl Iterator<Item = f64>) -> TransitUnit {
        let longest = transits.filter(|h| h.is_finite()).fold(0.0, f64::max);
        if longest < 48.0 {
            TransitUnit {
                hours: 1.0,
                name: "hours",
            }
        } else {
            TransitUnit {
                hours: 24.0,
                name: "days",
            }
        }
    }

    /// `s`, in hours, in this unit.
    fn of_hours(self, s: &Stat) -> Stat {
        Stat {
            mean: s.mean / self.hours,
            ci95_lo: s.ci95_lo / self.hours,
            ci95_hi: s.ci95_hi / self.hours,
            min: s.min / self.hours,
            max: s.max / self.hours,
            ..*s
        }
    }

    /// The name with a capital, to begin a sentence.
    pub(super) fn capital(self) -> &'static str {
        if self.hours == 1.0 {
            "Hours"
        } else {
            "Days"
        }
    }
}

/// Corridors (when the scenario groups flows) and flows: TEU delivered and days (or hours)
/// in transit.
fn corridors_and_flows(out: &mut String, model: &Model, r: &Results) {
    const TEU: &str = "#7da7d9";
    const DAYS: &str = "#b9c9a0";
    let unit = TransitUnit::of(r);
    if !r.corridors.is_empty() {
        let label = |c: &crate::stats::CorridorSummary| c.name.clone().unwrap_or(c.id.clone());
        let teu: Vec<Bar> = r
            .corridors
            .iter()
            .map(|c| {
                bar(
                    &label(c),
                    &c.delivered_teu_per_year,
                    None,
                    TEU,
                    "TEU a year",
                )
            })
            .collect();
        section(
            out,
            "Corridors: TEU delivered",
            "TEU delivered a year by each corridor's flows together.",
            &bar_chart(
                "corridors-teu",
                "TEU delivered a year per corridor",
                "TEU a year",
                &teu,
            ),
        );
        let days: Vec<Bar> = r
            .corridors
            .iter()
            .map(|c| {
                bar(
                    &label(c),
                    &unit.of_hours(&c.transit_h.mean),
                    Some(c.transit_h.p95.mean / unit.hours),
                    DAYS,
                    &format!("{} in transit per TEU", unit.name),
                )
            })
            .collect();
        section(
            out,
            &format!("Corridors: {} in transit", unit.name),
            &format!("{} from origin to destination per TEU: mean (bar, with its interval) and 95th percentile (triangle).", unit.capital()),
            &bar_chart(
                "corridors-days",
                &format!("{} in transit per TEU per corridor", unit.capital()),
                unit.name,
                &days,
            ),
        );
    }
    // Other traffic (bulk, tank trains) counts trains, not TEU: it is left out here.
    let containers: Vec<&crate::stats::FlowSummary> = (r.flows.iter().zip(&model.flows))
        .filter(|(_, m)| m.cargo == Cargo::Containers)
        .map(|(f, _)| f)
        .collect();
    let teu: Vec<Bar> = containers
        .iter()
        .map(|f| bar(&f.id, &f.delivered_teu_per_year, None, TEU, "TEU a year"))
        .collect();
    section(
        out,
        "Flows: TEU delivered",
        "TEU delivered a year per container flow (trains that are not container trains are left out).",
        &bar_chart("flows-teu", "TEU delivered a year per flow", "TEU a year", &teu),
    );
    let days: Vec<Bar> = containers
        .iter()
        .map(|f| {
            bar(
                &f.id,
                &unit.of_hours(&f.transit_h.mean),
                Some(f.transit_h.p95.mean / unit.hours),
                DAYS,
                &format!("{} in transit", unit.name),
            )
        })
        .collect();
    section(
        out,
        &format!("Flows: {} in transit", unit.name),
        &format!("{} from origin to destination per vehicle of each container flow: mean (bar, with its interval) and 95th percentile (triangle).", unit.capital()),
        &bar_chart(
            "flows-days",
            &format!("{} in transit per flow", unit.capital()),
            unit.name,
            &days,
        ),
    );
}

/// Crossings: time there and utilisation.
fn crossings(out: &mut String, r: &Results) {
    if r.crossings.is_empty() {
        return;
    }
    let label = |c: &crate::stats::CrossingSummary| match &c.name {
        Some(n) => format!("{} · {}", short(n), c.id),
        None => c.id.clone(),
    };
    let time: Vec<Bar> = r
        .crossings
        .iter()
        .map(|c| {
            bar(
                &label(c),
                &c.time_h.mean,
                Some(c.time_h.p95.mean),
                &heat(c.utilization.mean),
                "hours at the crossing",
            )
        })
        .collect();
    section(
        out,
        "Crossings: time there",
        "Hours from reaching the crossing (held upstream of a full yard included) to leaving it: mean (bar) and 95th percentile (triangle); bars coloured by utilisation.",
        &bar_chart("crossings-time", "Hours at each crossing", "hours", &time),
    );
    let wait: Vec<Bar> = r
        .crossings
        .iter()
        .map(|c| {
            bar(
                &label(c),
                &c.wait_h.mean,
                Some(c.wait_h.p95.mean),
                &heat(c.utilization.mean),
                "hours queued",
            )
        })
        .collect();
    section(
        out,
        "Crossings: waiting",
        "Hours queued at the crossing's stages, service excluded: mean (bar) and 95th percentile (triangle).",
        &bar_chart("crossings-wait", "Hours queued at each crossing", "hours", &wait),
    );
    let busy: Vec<Bar> = r
        .crossings
        .iter()
        .map(|c| {
            bar(
                &label(c),
                &c.utilization,
                None,
                &heat(c.utilization.mean),
                "utilisation",
            )
        })
        .collect();
    section(
        out,
        "Crossings: utilisation",
        "Share of the crossing's open hours during which the busiest stage's servers were busy (all hours for a crossing that never closes).",
        &bar_chart(
            "crossings-utilisation",
            "Utilisation of each crossing",
            "share of time busy",
            &busy,
        ),
    );
}

/// Most segments the chart of their utilisation gives (the busiest).
const MOST_SEGMENTS: usize = 25;

/// Segments: the utilisation of the busiest, as the map colours them, for a page read on
/// paper where the map's marks cannot be hovered over.
fn segments(out: &mut String, r: &Results) {
    let mut busiest: Vec<&crate::stats::LinkSummary> = r.links.iter().collect();
    if busiest.is_empty() {
        return;
    }
    busiest.sort_by(|a, b| {
        (b.utilization.mean.total_cmp(&a.utilization.mean)).then_with(|| a.id.cmp(&b.id))
    });
    let shown = busiest.len().min(MOST_SEGMENTS);
    let bars: Vec<Bar> = (busiest.iter().take(shown))
        .map(|l| {
            bar(
                &l.id,
                &l.utilization,
                None,
                &heat(l.utilization.mean),
                "utilisation",
            )
        })
        .collect();
    let which = if shown < busiest.len() {
        format!(
            "The {shown} busiest of the {} segments (every one is in the run's table, CSV and JSON)",
            busiest.len()
        )
    } else {
        "Every segment, busiest first".to_string()
    };
    section(
        out,
        "Segments: utilisation",
        &format!("{which}: the share of the time the busiest part of the segment was occupied (a block of a single track, a direction of a double track or road), as the map colours it."),
        &bar_chart(
            "segments-utilisation",
            "Utilisation of the busiest segments",
            "share of time busy",
            &bars,
        ),
    );
}

/// Ferry lines: the time from reaching the berth to sailing, of which the wait for a
/// vessel, and how full the vessels sail.
fn ferries(out: &mut String, r: &Results) {
    if r.ferries.is_empty() {
        return;
    }
    let bars = |figure: fn(&crate::stats::FerrySummary) -> (&Stat, f64), what: &'static str| {
        (r.ferries.iter())
            .map(|f| {
                let (s, p95) = figure(f);
                bar(&f.id, s, Some(p95), &heat(f.fill.mean), what)
            })
            .collect::<Vec<Bar>>()
    };
    let time = bars(
        |f| (&f.time_h.mean, f.time_h.p95.mean),
        "hours from the berth to sailing",
    );
    section(
        out,
        "Ferries: time from the berth to sailing",
        "Hours from reaching the ferry's berth (held upstream of a full yard included) to sailing: the wait for a vessel with room, then the loading; mean (bar) and 95th percentile (triangle); bars coloured by how full the vessels sail. A port's dwell given as a crossing (the stages at its node) is with the crossings above, not here.",
        &bar_chart(
            "ferries-time",
            "Hours from the berth to sailing per ferry line",
            "hours",
            &time,
        ),
    );
    let wait = bars(
        |f| (&f.wait_h.mean, f.wait_h.p95.mean),
        "hours waiting for a vessel",
    );
    section(
        out,
        "Ferries: waiting for a vessel",
        "The part of that time spent waiting for a vessel with room, loading excluded: mean (bar) and 95th percentile (triangle).",
        &bar_chart(
            "ferries-wait",
            "Hours waiting for a vessel per ferry line",
            "hours",
            &wait,
        ),
    );
    let fill: Vec<Bar> = (r.ferries.iter())
        .map(|f| {
            bar(
                &f.id,
                &f.fill,
                None,
                &heat(f.fill.mean),
                "share of the vessels' room used",
            )
        })
        .collect();
    section(
        out,
        "Ferries: fill",
        "Share of the vessels' room used on the sailings of the busier direction, on average: a line near 1 sails full and leaves containers for the next vessel.",
        &bar_chart("ferries-fill", "Fill of the vessels per ferry line", "share of room used", &fill),
    );
}

/// The bottlenecks, ranked by their share of the delay.
fn bottlenecks(out: &mut String, r: &Results) {
    if r.bottlenecks.is_empty() {
        return;
    }
    let bars: Vec<Bar> = r
        .bottlenecks
        .iter()
        .map(|b| {
            let mut x = bar(
                &format!("{} {}", b.kind, b.id),
                &b.delay_share,
                None,
                &heat(b.utilization.mean),
                "share of the delay",
            );
            x.title = format!(
                "{} {}: {} of the delay, {} vehicle-hours a year; utilisation {}",
                b.kind,
                b.id,
                with_ci(x.mean, x.lo, x.hi),
                num(b.delay_h_per_year.mean),
                num(b.utilization.mean)
            );
            x
        })
        .collect();
    section(
        out,
        "Bottlenecks",
        "The elements that held vehicles up most, ranked by their share of all the time vehicles were held up (queues at crossings, segments and ports, trains waiting for wagons); coloured by utilisation.",
        &bar_chart("bottlenecks", "Bottlenecks by share of the delay", "share of the delay", &bars),
    );
}

/// The fleets: the share of their stock in use.
fn fleets(out: &mut String, r: &Results) {
    if r.fleets.is_empty() {
        return;
    }
    let bars: Vec<Bar> = r
        .fleets
        .iter()
        .map(|f| {
            bar(
                &f.id,
                &f.utilization,
                None,
                &heat(f.utilization.mean),
                "stock in use",
            )
        })
        .collect();
    section(
        out,
        "Fleets",
        "Share of each fleet's wagons or locomotives (the larger) in use, loaded or running empty.",
        &bar_chart(
            "fleets",
            "Share of each fleet in use",
            "share in use",
            &bars,
        ),
    );
}

/// How one replication went: the vehicles in the network, and the queues at the crossings
/// that queued most, day by day.
fn replication_series(out: &mut String, model: &Model, r: &Results, (rep, s): (u64, &Series)) {
    let every_d = s.every.as_hours() / 24.0;
    let points = |values: &[f64]| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64 * every_d, v))
            .collect()
    };
    let warmup = (r.warmup_h > 0.0).then_some((0.0, r.warmup_h / 24.0, "warm-up"));
    let vehicles = points(&s.vehicles);
    section(
        out,
        &format!("Replication {rep}: vehicles in the network"),
        "Trains and trucks between their origin and their destination, sampled through the replication: a closure or a storm shows as it happened.",
        &line_chart(
            "series-vehicles",
            "Vehicles in the network over one replication",
            ("day", "vehicles"),
            &[Line {
                name: "vehicles in the network",
                dash: "none",
                points: &vehicles,
            }],
            warmup,
        ),
    );
    // The crossings that queued most on the whole (the mean of the samples), not at one
    // moment: a road post's short peak of trucks ranks below a rail crossing's steady line.
    let mut busiest: Vec<usize> = (0..s.queued.len()).collect();
    let mean = |c: usize| s.queued[c].iter().sum::<f64>() / s.queued[c].len().max(1) as f64;
    busiest.sort_by(|&a, &b| mean(b).total_cmp(&mean(a)).then(a.cmp(&b)));
    busiest.retain(|&c| mean(c) > 0.0);
    busiest.truncate(3);
    if busiest.is_empty() {
        return;
    }
    let lines: Vec<(String, Vec<(f64, f64)>)> = busiest
        .iter()
        .map(|&c| {
            let x = &model.crossings[c];
            let what = if x.mode == Mode::Road {
                "trucks"
            } else {
                "trains"
            };
            (format!("{} ({what})", x.id), points(&s.queued[c]))
        })
        .collect();
    const DASHES: [&str; 3] = ["none", "6 3", "2 3"];
    let series: Vec<Line> = lines
        .iter()
        .enumerate()
        .map(|(k, (name, p))| Line {
            name,
            dash: DASHES[k],
            points: p,
        })
        .collect();
    let which = match busiest.len() {
        1 => "the one crossing that had a queue".to_string(),
        n => format!(
            "the {} crossings with the longest queues on average over the replication",
            ["", "", "two", "three"][n]
        ),
    };
    section(
        out,
        &format!("Replication {rep}: queues at the crossings"),
        &format!("Vehicles queued (held upstream of a full yard included) at {which}; each line says whether it counts trains or trucks."),
        &line_chart(
            "series-queues",
            "Vehicles queued at the busiest crossings over one replication",
            ("day", "vehicles queued"),
            &series,
            warmup,
        ),
    );
}
