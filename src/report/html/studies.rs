//! The reports of `sweep` and `capacity`: each figure against the swept values with its
//! 95 % band, and the demand multiplier that meets the targets, replication by replication.

use super::svg::{band_chart, bar_chart, esc, floor, series_style, with_ci, BandLine, Bar};
use super::{page, section};
use crate::report::capacity::{failing_text, targets_text};
use crate::report::sweep::{figure_series, value_label};
use crate::report::table::{bracket, num, replications};
use crate::study::capacity::{Capacity, CurvePoint};
use crate::study::sweep::Sweep;
use std::fmt::Write;

/// The report of sweep `s`: per figure of its table, the figure against the points.
pub fn sweep_report(s: &Sweep) -> String {
    let name = s
        .points
        .first()
        .map_or(s.file.as_str(), |p| p.results.scenario.as_str());
    let mut body = String::new();
    let paths: Vec<&str> = s.parameters.iter().map(|p| p.path()).collect();
    let _ = write!(
        body,
        "<h1>{}: sweep of {}</h1><p class=\"note\">{} ({}); {} points, {} each, the same seed {} at every point (common random numbers), so that the differences between points are the parameters', not chance's. {}</p>",
        esc(name),
        esc(&paths.join(", ")),
        esc(name),
        esc(&s.file),
        s.points.len(),
        replications(s.replications),
        s.seed,
        if s.replications == 1 {
            "With one replication there are no confidence intervals (n = 1)."
        } else {
            "Bands are 95 % confidence intervals."
        }
    );
    // The first parameter along the x axis (its values where all are numbers, else its
    // values in the order given), and a line for each combination of the other
    // parameters' values: points that differ in those are not joined.
    let along = &s.parameters[0];
    let labels: Vec<String> = along.values().iter().map(value_label).collect();
    let at: Vec<f64> = labels
        .iter()
        .map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect::<Option<Vec<f64>>>()
        .unwrap_or_else(|| (1..=labels.len()).map(|i| i as f64).collect());
    let step = (labels.len() / 12).max(1);
    let ticks: Vec<(f64, String)> = (0..labels.len())
        .step_by(step)
        .map(|i| (at[i], labels[i].clone()))
        .collect();
    let lines = sweep_lines(s);
    let others: Vec<&str> = paths[1..].to_vec();
    let note = if others.is_empty() {
        "The figure at each point (dots), with its 95 % band.".to_string()
    } else {
        format!(
            "The figure against {} (dots), one line for each value of {}, with its 95 % band.",
            along.path(),
            others.join(" and ")
        )
    };
    for (k, (heading, values)) in figure_series(s).iter().enumerate() {
        // Every figure a sweep draws cannot be negative: its band starts at 0 at the lowest.
        let drawn: Vec<(usize, String, Vec<BandPoint>)> = lines
            .iter()
            .enumerate()
            .map(|(n, (name, members))| {
                let mut points: Vec<BandPoint> = members
                    .iter()
                    .filter_map(|&(i, x)| {
                        values[i].map(|st| (at[x], st.mean, floor(st.ci95_lo, 0.0), st.ci95_hi))
                    })
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                (n, name.clone().unwrap_or_else(|| heading.clone()), points)
            })
            .filter(|(_, _, points)| !points.is_empty())
            .collect();
        if drawn.is_empty() {
            continue;
        }
        // A line keeps its colour and dashes from chart to chart, drawn or not.
        let band_lines: Vec<BandLine> = drawn
            .iter()
            .map(|(n, name, points)| {
                let (colour, dash) = series_style(*n);
                BandLine {
                    name,
                    dash,
                    colour,
                    points,
                }
            })
            .collect();
        section(
            &mut body,
            heading,
            &note,
            &band_chart(
                &format!("sweep-{}", k + 1),
                heading,
                (along.path(), heading),
                &ticks,
                &band_lines,
                &[],
            ),
        );
    }
    let footer = if s.replications == 1 {
        "The figure at each point is that of one replication, without a band (n = 1); every point runs on the same seed."
    } else {
        "The figure at each point is the mean over its replications, with its 95 % confidence interval drawn as a band; every point runs on the same seed."
    };
    page(&format!("{name} — sweep"), &body, footer)
}

/// A point of a line with a band: x, the figure, and its 95 % interval's ends.
type BandPoint = (f64, f64, f64, f64);

/// The lines of a sweep's charts: per combination of the values of every parameter but
/// the first, in sweep order, its name (`demand × 1.25`, `rail.r.tracks = 2`; none when the first parameter is
/// the only one) and its points, each as its index in the sweep and the index of its value
/// of the first parameter.
type SweepLine = (Option<String>, Vec<(usize, usize)>);

/// The lines of sweep `s`'s charts (see [`SweepLine`]).
fn sweep_lines(s: &Sweep) -> Vec<SweepLine> {
    let mut lines: Vec<(&[usize], SweepLine)> = Vec::new();
    for (i, p) in s.points.iter().enumerate() {
        let rest = &p.values[1..];
        let member = (i, p.values[0]);
        match lines.iter_mut().find(|(key, _)| *key == rest) {
            Some((_, (_, members))) => members.push(member),
            None => {
                let name = (!rest.is_empty()).then(|| {
                    (1..s.parameters.len())
                        .map(|k| {
                            let (path, v) = (s.parameters[k].path(), value_label(s.value(p, k)));
                            if path == "demand" {
                                format!("demand × {v}")
                            } else {
                                format!("{path} = {v}")
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                lines.push((rest, (name, vec![member])));
            }
        }
    }
    lines.into_iter().map(|(_, line)| line).collect()
}

/// The demand multipliers, as shares of the answer, at which a capacity report draws how
/// close the targets are.
pub const CURVE_SHARES: [f64; 6] = [0.6, 0.8, 0.9, 1.0, 1.05, 1.1];

/// The highest ratio a capacity report draws: past saturation waits grow without bound,
/// and the chart is about where the ratio crosses 1.
const MOST_RATIO: f64 = 3.0;

/// The report of capacity search `c`: the answer, how close the targets are around it
/// (`curve`), and the multiplier each replication reached.
pub fn capacity_report(c: &Capacity, curve: &[CurvePoint]) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}: how much more demand it carries</h1><p class=\"note\">{}, seed {}. The largest multiplier of every container flow's demand at which the targets hold, searched replication by replication.</p>",
        esc(&c.scenario),
        replications(c.replications),
        c.seed
    );
    let _ = write!(
        body,
        "<p class=\"targets\"><strong>Targets:</strong> {}.</p>",
        esc(&targets_text(&c.targets, "≤").join("; "))
    );
    let answer = if c.feasible {
        format!(
            "Demand × {} {}: {} TEU a year. The first element to break a target: {} {}.",
            num(c.multiplier),
            bracket(
                &num(floor(c.multiplier_ci95[0], 0.0)),
                &num(c.multiplier_ci95[1])
            ),
            num(c.teu_per_year),
            c.binding_kind,
            c.binding
        )
    } else {
        format!(
            "No demand meets the targets: {} of {} replications fail them even at the smallest multiplier{}.",
            c.infeasible_replications,
            c.replications,
            c.failing
                .as_ref()
                .map_or(String::new(), |f| format!(" ({})", failing_text(f)))
        )
    };
    let _ = write!(
        body,
        "<div class=\"figures\"><div class=\"figure\"><div class=\"v\">× {}</div><div class=\"k\">{}</div></div></div>",
        esc(&num(c.multiplier)),
        esc(&answer)
    );
    if !curve.is_empty() {
        let points: Vec<(f64, f64, f64, f64)> = curve
            .iter()
            .map(|p| {
                let r = &p.ratio;
                let cap = |v: f64| v.min(MOST_RATIO);
                (
                    p.multiplier,
                    cap(r.mean),
                    cap(floor(r.ci95_lo, 0.0)),
                    cap(r.ci95_hi),
                )
            })
            .collect();
        let limit: Vec<(f64, f64, f64, f64)> = curve
            .iter()
            .map(|p| (p.multiplier, 1.0, f64::NAN, f64::NAN))
            .collect();
        let ticks: Vec<(f64, String)> = curve
            .iter()
            .map(|p| (p.multiplier, format!("× {}", num(p.multiplier))))
            .collect();
        section(
            &mut body,
            "The targets against demand",
            "The tightest target's figure over its limit (1: at the limit), the largest over the elements the targets count, at multipliers around the answer, with its 95 % band (ratios above 3 are drawn at 3); the answer is where it crosses 1.",
            &band_chart(
                "capacity-curve",
                "The tightest target over its limit against the demand multiplier",
                ("demand multiplier", "figure / limit"),
                &ticks,
                &[
                    BandLine {
                        name: "tightest target / limit",
                        dash: "none",
                        colour: "#1f3a93",
                        points: &points,
                    },
                    BandLine {
                        name: "the limit",
                        dash: "6 4",
                        colour: "#a0301e",
                        points: &limit,
                    },
                ],
                &[(c.multiplier, format!("answer × {}", num(c.multiplier)))],
            ),
        );
    }
    let bars: Vec<Bar> = c
        .per_replication
        .iter()
        .enumerate()
        .map(|(r, &m)| Bar {
            label: format!("replication {r}"),
            mean: m,
            lo: f64::NAN,
            hi: f64::NAN,
            mark: None,
            fill: "#7da7d9".into(),
            title: format!("replication {r}: demand × {}", num(m)),
        })
        .collect();
    let mean = with_ci(
        c.multiplier,
        floor(c.multiplier_ci95[0], 0.0),
        c.multiplier_ci95[1],
    );
    section(
        &mut body,
        "The multiplier replication by replication",
        &format!("The largest multiplier meeting the targets in each replication; their mean, × {mean}, is the answer."),
        &bar_chart(
            "capacity-replications",
            "Largest demand multiplier meeting the targets, per replication",
            "demand multiplier",
            &bars,
        ),
    );
    let footer = if c.replications == 1 {
        "The answer is the largest multiplier meeting the targets in one replication; its bracket is the search's tolerance, not a confidence interval (n = 1)."
    } else {
        "The answer is the mean over the replications of the largest multiplier meeting the targets in each, with its 95 % confidence interval in brackets (widened by the search's tolerance); the band around the curve is the 95 % interval of the tightest target's ratio."
    };
    page(&format!("{} — capacity", c.scenario), &body, footer)
}
