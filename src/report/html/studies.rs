//! The reports of `sweep` and `capacity`: each figure against the swept values with its
//! 95 % band, and the demand multiplier that meets the targets, replication by replication.

use super::svg::{
    at_least_zero, axis_end, band_chart, bar_chart, esc, floor, series_style, tick_label, with_ci,
    Band, BandLine, Bar,
};
use super::{page, section};
use crate::report::capacity::{failing_text, targets_text};
use crate::report::layout::capitalised;
use crate::report::sweep::{figure_series, parameter_words, value_label};
use crate::report::table::{bracket, num, replications};
use crate::stats::figures::Unit;
use crate::stats::Stat;
use crate::study::capacity::{Capacity, CurvePoint, RANGE, SMALLEST};
use crate::study::sweep::Sweep;
use std::fmt::Write;

/// The values of point `k` of `s` (from 0), as `PATH=VALUE` joined by commas.
fn point_values(s: &Sweep, k: usize) -> String {
    let point = &s.points[k];
    (0..s.parameters.len())
        .map(|i| {
            format!(
                "{}={}",
                s.parameters[i].path(),
                s.value(point, i).value_text()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report of sweep `s`: per figure of its table, the figure against the points.
pub fn sweep_report(s: &Sweep) -> String {
    let name = s
        .points
        .first()
        .map_or(s.file.as_str(), |p| p.results.scenario.as_str());
    let words: Vec<String> = s.parameters.iter().map(parameter_words).collect();
    let swept: Vec<String> = (s.parameters.iter())
        .map(|p| {
            let values: Vec<String> = p.values().iter().map(value_label).collect();
            format!(
                "<code>{}</code> = {}",
                esc(p.path()),
                esc(&values.join(", "))
            )
        })
        .collect();
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}: sweep of the {}</h1><p class=\"note\">{} ({}); swept: {}. {} points, {} each, the same seed {} at every point (common random numbers), so that the differences between points are the parameters', not chance's. {} The table at the end gives every figure charted.</p>",
        esc(name),
        esc(&words.join(" and the ")),
        esc(name),
        esc(&s.file),
        swept.join("; "),
        s.points.len(),
        replications(s.replications),
        s.seed,
        if s.replications == 1 {
            "With one replication there are no confidence intervals (n = 1)."
        } else {
            "Bands are 95 % confidence intervals."
        }
    );
    let overloaded = crate::report::sweep::overload_notes(s);
    if !overloaded.is_empty() {
        let heading = crate::report::sweep::overload_heading(s, overloaded.len());
        let _ = write!(body, "<div class=\"overloaded\">{}.<ul>", esc(&heading));
        for (point, named) in &overloaded {
            let _ = write!(
                body,
                "<li>point {point} ({}): {}</li>",
                esc(&point_values(s, point - 1)),
                esc(named)
            );
        }
        body.push_str("</ul></div>");
    }
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
    // Numbers as the other axes write them (100,000, not 100000).
    let numeric = labels.iter().all(|v| v.parse::<f64>().is_ok());
    let ticks: Vec<(f64, String)> = (0..labels.len())
        .step_by(step)
        .map(|i| {
            let label = if numeric {
                tick_label(at[i])
            } else {
                labels[i].clone()
            };
            (at[i], label)
        })
        .collect();
    let lines = sweep_lines(s, &words);
    // Figures beside the points while they have room: few points, few lines.
    let labelled = labels.len() <= MOST_LABELLED_POINTS && lines.len() <= MOST_LABELLED_LINES;
    let note = if lines.len() == 1 {
        "The figure at each point (dots), with its 95 % band.".to_string()
    } else {
        format!(
            "The figure against the {} (dots), one line for each value of the {}, with its 95 % band.",
            words[0],
            words[1..].join(" and the ")
        )
    };
    for (k, series) in figure_series(s).iter().enumerate() {
        // Every figure a sweep draws cannot be negative: its band starts at 0 at the lowest.
        let drawn: Vec<(usize, String, Vec<BandPoint>)> = lines
            .iter()
            .enumerate()
            .map(|(n, (line, members))| {
                let mut points: Vec<BandPoint> = members
                    .iter()
                    .filter_map(|&(i, x)| {
                        let st = series.values[i]?;
                        // A share's interval, symmetric about the mean, may pass 1; no share can.
                        let hi = if series.unit == Unit::Share {
                            st.ci95_hi.min(1.0)
                        } else {
                            st.ci95_hi
                        };
                        Some((at[x], st.mean, floor(st.ci95_lo, 0.0), hi))
                    })
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                (
                    n,
                    line.clone().unwrap_or_else(|| series.title.clone()),
                    points,
                )
            })
            .filter(|(_, _, points)| !points.is_empty())
            .collect();
        if drawn.is_empty() {
            continue;
        }
        let ceiling = sweep_ceiling(&series.values);
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
                    ceiling,
                    labelled,
                    band: Band::Ci95,
                }
            })
            .collect();
        let note = match ceiling {
            Some(_) => format!(
                "{note} Figures more than ten times the rest (points past saturation) lie beyond the axis: drawn at its top (▲) with their figures beside them, joined by dots."
            ),
            None => note.clone(),
        };
        section(
            &mut body,
            &series.title,
            &note,
            &band_chart(
                &format!("sweep-{}", k + 1),
                &series.title,
                (&words[0], axis_words(series.unit)),
                &ticks,
                &band_lines,
                &[],
            ),
        );
    }
    figures_table(&mut body, s, &words);
    let footer = if s.replications == 1 {
        "The figure at each point is that of one replication, without a band (n = 1); every point runs on the same seed."
    } else {
        "The figure at each point is the mean over its replications, with its 95 % confidence interval drawn as a band; every point runs on the same seed."
    };
    page(&format!("{name} — sweep"), &body, footer)
}

/// The table closing a sweep's report: each point's values and every figure charted,
/// with its interval, so that a page on paper has the figures the charts had no room to
/// write (or drew beyond their axes).
fn figures_table(out: &mut String, s: &Sweep, words: &[String]) {
    let series = figure_series(s);
    let _ = write!(
        out,
        "<section class=\"table\"><h2>The figures at each point</h2><p class=\"note\">{}</p><table class=\"sweep-figures\"><thead><tr><th>point</th>",
        if s.replications == 1 {
            "Each figure of one replication, without an interval (n = 1)."
        } else {
            "Each figure as the mean over the replications with its 95 % confidence interval in brackets."
        }
    );
    for w in words {
        let _ = write!(out, "<th>{}</th>", esc(w));
    }
    for f in &series {
        let unit = match f.unit {
            Unit::Hours => " (h)",
            Unit::Km => " (km)",
            Unit::Vehicles => " (vehicles)",
            _ => "",
        };
        let _ = write!(out, "<th>{}{unit}</th>", esc(&f.title));
    }
    out.push_str("</tr></thead><tbody>");
    for (k, point) in s.points.iter().enumerate() {
        let _ = write!(out, "<tr><td>{}</td>", k + 1);
        for i in 0..s.parameters.len() {
            let _ = write!(out, "<td>{}</td>", esc(&value_label(s.value(point, i))));
        }
        // The mean, its interval under it in smaller type: the table stays within the page.
        for f in &series {
            let text = f.values[k].as_ref().map_or("-".to_string(), |st| {
                let st = at_least_zero(st);
                match st.interval() {
                    Some((lo, hi)) => format!(
                        "{}<br><span class=\"ci\">{}</span>",
                        esc(&num(st.mean)),
                        esc(&bracket(&num(lo), &num(hi)))
                    ),
                    None => format!("{} (n = 1)", esc(&num(st.mean))),
                }
            });
            let _ = write!(out, "<td class=\"num\">{text}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></section>\n");
}

/// The most points a sweep's line may have for its figures to be written beside them.
const MOST_LABELLED_POINTS: usize = 12;
/// The most lines a sweep's chart may have for their figures to be written beside them.
const MOST_LABELLED_LINES: usize = 3;

/// Where a sweep's chart of the figure with `values` (per point) ends its axis so that
/// points past saturation do not flatten the others. Sorted, the figures may jump by more
/// than [`JUMP`] times from one to the next; where the largest such jump leaves at least
/// half the points below it, the axis ends at the round number above the figures (and
/// interval ends) below it, and what lies above is drawn at the top, its figure written.
/// None: the axis takes every point.
fn sweep_ceiling(values: &[Option<Stat>]) -> Option<f64> {
    let mut means: Vec<f64> = (values.iter().flatten())
        .map(|st| st.mean)
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    means.sort_by(f64::total_cmp);
    let (below, ratio) = (means.windows(2))
        .map(|w| (w[0], w[1] / w[0]))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let past = |st: &Stat| st.mean > below;
    let above = values.iter().flatten().filter(|st| past(st)).count();
    let most_below = 2 * above <= values.iter().flatten().count();
    if ratio <= JUMP || !most_below {
        return None;
    }
    let settled = (values.iter().flatten())
        .filter(|st| !past(st))
        .flat_map(|st| [st.mean, st.ci95_hi])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    Some(axis_end(settled))
}

/// How many times the next figure up must be for a sweep's chart to end its axis below it
/// (see [`sweep_ceiling`]).
const JUMP: f64 = 10.0;

/// The words of a sweep chart's y axis for a figure in `unit`.
fn axis_words(unit: Unit) -> &'static str {
    match unit {
        Unit::TeuPerYear => "TEU per year",
        Unit::Teu => "TEU",
        Unit::Hours => "hours",
        Unit::Share => "share, 0 to 1",
        Unit::Count => "in the measured window",
        Unit::Vehicles => "vehicles, time-average",
        Unit::Km => "km",
    }
}

/// A point of a line with a band: x, the figure, and its 95 % interval's ends.
type BandPoint = (f64, f64, f64, f64);

/// The lines of a sweep's charts: per combination of the values of every parameter but
/// the first, in sweep order, its name (`demand × 1.25`, `rail.r.tracks = 2`; none when the first parameter is
/// the only one) and its points, each as its index in the sweep and the index of its value
/// of the first parameter.
type SweepLine = (Option<String>, Vec<(usize, usize)>);

/// The lines of sweep `s`'s charts (see [`SweepLine`]), its parameters in `words`.
fn sweep_lines(s: &Sweep, words: &[String]) -> Vec<SweepLine> {
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
                            let v = value_label(s.value(p, k));
                            if s.parameters[k].path() == "demand" {
                                format!("demand × {v}")
                            } else {
                                format!("{} = {v}", words[k])
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
const CURVE_SHARES: [f64; 6] = [0.6, 0.8, 0.9, 1.0, 1.05, 1.1];

/// The demand multipliers at which a capacity report draws how close the targets are, when
/// no multiplier meets them: from the smallest the search tries ([`SMALLEST`], 1/64) up to
/// the scenario's own demand (1), where the reader would look for an answer.
const NOT_FEASIBLE_CURVE: [f64; 6] = [SMALLEST, 0.2, 0.4, 0.6, 0.8, 1.0];

/// The demand multipliers at which the report of capacity search `c` draws its curve:
/// [`CURVE_SHARES`] of the answer, or, when no multiplier meets the targets, from the
/// smallest the search tried up to the scenario's demand.
pub fn curve_multipliers(c: &Capacity) -> Vec<f64> {
    if c.feasible && c.multiplier > 0.0 {
        CURVE_SHARES.iter().map(|s| s * c.multiplier).collect()
    } else {
        NOT_FEASIBLE_CURVE.to_vec()
    }
}

/// The highest ratio a capacity report draws: past saturation waits grow without bound,
/// and the chart is about where the ratio crosses 1.
const MOST_RATIO: f64 = 3.0;

/// The report of capacity search `c`: the answer, how close the targets are around it
/// (`curve`, at [`curve_multipliers`]), and the multiplier each replication reached. When
/// no multiplier meets the targets, it says so in place of an answer, with what fails at
/// the smallest multiplier tried.
pub fn capacity_report(c: &Capacity, curve: &[CurvePoint]) -> String {
    let mut body = String::new();
    let smallest = c.failing.as_ref().map_or(SMALLEST, |f| f.multiplier);
    // The replications in which the targets fail even at the smallest multiplier, and
    // what breaks them there: the whole answer when they are most, a note when some.
    let not_met = format!(
        "in {} of {} replications the targets are not met even at the smallest multiplier tried, {} of the container demand (× {})",
        c.infeasible_replications,
        c.replications,
        one_in(smallest),
        num(smallest)
    );
    let there = c.failing.as_ref().map_or(String::new(), |f| {
        format!(
            " There, the first to break a target is {}, first in {} of those replications (its mean over them).",
            failing_text(f),
            f.replications
        )
    });
    let title = if !c.feasible {
        "no demand meets the targets"
    } else if c.multiplier < 1.0 {
        // The network already fails its targets at the scenario's own demand.
        "today's demand already breaks the targets"
    } else {
        "how much more demand it carries"
    };
    let _ = write!(
        body,
        "<h1>{}: {title}</h1><p class=\"note\">{}, seed {}. The largest multiplier of every container flow's demand at which the targets hold, searched replication by replication between {} and {} times the demand.</p>",
        esc(&c.scenario),
        replications(c.replications),
        c.seed,
        one_in(smallest),
        RANGE
    );
    let _ = write!(
        body,
        "<p class=\"targets\"><strong>Targets:</strong> {}.</p>",
        esc(&targets_text(&c.targets, "≤").join("; "))
    );
    let (headline, answer, class) = if c.feasible {
        let some_not_met = if c.infeasible_replications > 0 {
            format!(
                " {}, counted as multiplier 0.{there}",
                capitalised(&not_met)
            )
        } else {
            String::new()
        };
        let answer = format!(
            "Demand × {} {}: {} TEU a year. The first element to break a target: {} {}.{some_not_met}",
            num(c.multiplier),
            bracket(
                &num(floor(c.multiplier_ci95[0], 0.0)),
                &num(c.multiplier_ci95[1])
            ),
            num(c.teu_per_year),
            c.binding_kind,
            c.binding
        );
        (format!("× {}", num(c.multiplier)), answer, "figure")
    } else {
        let answer = format!("No multiplier of the demand meets the targets: {not_met}.{there}");
        ("NOT FEASIBLE".to_string(), answer, "figure fails")
    };
    let _ = write!(
        body,
        "<div class=\"figures\"><div class=\"{class}\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div></div>",
        esc(&headline),
        esc(&answer)
    );
    if !curve.is_empty() {
        curve_section(&mut body, c, curve);
    }
    replications_section(&mut body, c, smallest);
    let footer = if !c.feasible {
        format!(
            "No multiplier is the answer: the targets are not met even at the smallest multiplier searched ({} of the container demand) in {} of {} replications, more than half.{}",
            one_in(smallest),
            c.infeasible_replications,
            c.replications,
            if c.replications == 1 {
                ""
            } else {
                " The curve is the median over the replications of the tightest target's ratio, and the band around it holds the middle half of the replications."
            }
        )
    } else if c.replications == 1 {
        "The answer is the largest multiplier meeting the targets in one replication; its bracket is the search's tolerance, not a confidence interval (n = 1).".to_string()
    } else {
        "The answer is the mean over the replications of the largest multiplier meeting the targets in each, with its 95 % confidence interval in brackets (widened by the search's tolerance); the curve is the median over the replications of the tightest target's ratio, and the band around it holds the middle half of the replications.".to_string()
    };
    page(&format!("{} — capacity", c.scenario), &body, &footer)
}

/// A multiplier below 1 as a share of the demand, `1/64` for 0.015625.
fn one_in(multiplier: f64) -> String {
    format!("1/{:.0}", 1.0 / multiplier)
}

/// The tightest target's median ratio at each point of `curve`, between its quartiles: the
/// ratios are positive and, past the limit, skewed far upward, so that the middle half of
/// the replications says more than a symmetric interval of their mean.
fn ratio_band(curve: &[CurvePoint]) -> Vec<BandPoint> {
    (curve.iter())
        .map(|p| {
            let [lo, median, hi] = p.quartiles;
            (p.multiplier, median, lo, hi)
        })
        .collect()
}

/// The section of capacity report `c` that draws `curve`: the tightest target's ratio to
/// its limit against the multiplier, with the answer marked; when there is no answer, with
/// words for a curve that does not cross 1 where an answer would be.
fn curve_section(body: &mut String, c: &Capacity, curve: &[CurvePoint]) {
    let points = ratio_band(curve);
    let limit: Vec<BandPoint> = curve
        .iter()
        .map(|p| (p.multiplier, 1.0, f64::NAN, f64::NAN))
        .collect();
    let ticks: Vec<(f64, String)> = curve
        .iter()
        .map(|p| (p.multiplier, format!("× {}", num(p.multiplier))))
        .collect();
    let what = "The tightest target's figure over its limit (1: at the limit), the largest over the elements the targets count: the median over the replications";
    let band = format!("the band holds the middle half of the replications; ratios above {MOST_RATIO} are drawn at {MOST_RATIO}");
    let median = |p: &CurvePoint| p.quartiles[1];
    let (note, marks) = if c.feasible {
        (
            format!("{what}, at multipliers around the answer ({band}). Each replication's search stops where its own ratio crosses 1; the answer, the mean of those multipliers, lies near where the median crosses 1."),
            vec![(c.multiplier, format!("answer × {}", num(c.multiplier)))],
        )
    } else {
        let (first, last) = (curve[0].multiplier, curve[curve.len() - 1].multiplier);
        let above = if curve.iter().all(|p| median(p) > MOST_RATIO) {
            format!("The median is above {MOST_RATIO} at every multiplier drawn, far past the limit: it never crosses 1, and no multiplier meets the targets.")
        } else if curve.iter().all(|p| median(p) > 1.0) {
            "The median stays above 1 at every multiplier drawn: it never crosses 1, and no multiplier meets the targets.".to_string()
        } else {
            "Where the median dips under 1, the targets hold in some replications only: in most, they fail even at the smallest multiplier, and no multiplier is the answer.".to_string()
        };
        (
            format!(
                "{what}, from the smallest multiplier the search tried (× {}) to the scenario's own demand (× {}) ({band}). {above}",
                num(first),
                num(last)
            ),
            Vec::new(),
        )
    };
    section(
        body,
        "The targets against demand",
        &note,
        &band_chart(
            "capacity-curve",
            "The tightest target over its limit against the demand multiplier",
            ("demand multiplier", "figure / limit"),
            &ticks,
            &[
                BandLine {
                    name: "tightest target / limit (median)",
                    dash: "none",
                    colour: "#1f3a93",
                    points: &points,
                    ceiling: Some(MOST_RATIO),
                    labelled: false,
                    band: Band::MiddleHalf,
                },
                BandLine {
                    name: "the limit",
                    dash: "6 4",
                    colour: "#a0301e",
                    points: &limit,
                    ceiling: None,
                    labelled: false,
                    band: Band::Ci95,
                },
            ],
            &marks,
        ),
    );
}

/// The section of capacity report `c` that draws the multiplier each replication reached
/// (0 where the targets fail even at `smallest`); none when every replication failed there,
/// which the answer already says.
fn replications_section(body: &mut String, c: &Capacity, smallest: f64) {
    if c.per_replication.iter().all(|&m| m == 0.0) {
        return;
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
            title: if m == 0.0 {
                format!(
                    "replication {r}: the targets fail even at demand × {}",
                    num(smallest)
                )
            } else {
                format!("replication {r}: demand × {}", num(m))
            },
        })
        .collect();
    let zeros = if c.infeasible_replications > 0 {
        format!(
            ", 0 where they fail even at the smallest multiplier tried (× {}: {} of {} replications)",
            num(smallest),
            c.infeasible_replications,
            c.replications
        )
    } else {
        String::new()
    };
    let mean = with_ci(
        c.multiplier,
        floor(c.multiplier_ci95[0], 0.0),
        c.multiplier_ci95[1],
    );
    let note = if c.feasible {
        format!("The largest multiplier meeting the targets in each replication{zeros}; their mean, × {mean}, is the answer.")
    } else {
        format!("The largest multiplier meeting the targets in each replication{zeros}; with more than half at 0, their mean is no answer.")
    };
    section(
        body,
        "The multiplier replication by replication",
        &note,
        &bar_chart(
            "capacity-replications",
            "Largest demand multiplier meeting the targets, per replication",
            "demand multiplier",
            &bars,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::{ratio_band, sweep_ceiling};
    use crate::stats::Stat;
    use crate::study::capacity::{quartiles, CurvePoint};

    fn around(mean: f64) -> Option<Stat> {
        Some(Stat::from_values(&[mean * 0.9, mean * 1.1]))
    }

    #[test]
    fn a_sweep_axis_ends_below_a_tenfold_jump_with_most_points_under_it() {
        // Three servers overloaded (651 h), four and five not: the axis ends at the round
        // number above the others' figures and intervals.
        let waits = [around(651.0), around(0.725), around(0.123)];
        let end = sweep_ceiling(&waits).unwrap();
        assert!(end >= waits[1].unwrap().ci95_hi && end <= 2.0, "{end}");
        // Under ten times the next: drawn where it is.
        let near = [around(5.0), around(0.8), around(0.5)];
        assert_eq!(sweep_ceiling(&near), None);
        // A jump with most points above it: the axis takes every point.
        let light = [around(2.0), around(1.5), around(0.01)];
        assert_eq!(sweep_ceiling(&light), None);
        // Every point above the jump goes beyond it, whatever the table says of it.
        let two = [
            around(1300.0),
            around(214.0),
            around(3.8),
            around(1.9),
            around(1.8),
        ];
        let end = sweep_ceiling(&two).unwrap();
        assert!(end < 214.0 && end >= two[2].unwrap().ci95_hi, "{end}");
    }

    #[test]
    fn the_capacity_curve_is_the_median_ratio_between_its_quartiles() {
        // Two replications far past the limit, three below it: the median stays with the
        // middle replication, where the mean would be pulled past the limit.
        let ratios = [0.8, 0.85, 0.9, 9.0, 12.0];
        let band = ratio_band(&[CurvePoint {
            multiplier: 0.5,
            quartiles: quartiles(&ratios),
        }]);
        assert_eq!(band, vec![(0.5, 0.9, 0.85, 9.0)]);
        assert!(Stat::from_values(&ratios).mean > 1.0);
        // Between order statistics, linearly.
        assert_eq!(quartiles(&[1.0, 2.0]), [1.25, 1.5, 1.75]);
        assert!(quartiles(&[]).iter().all(|q| q.is_nan()));
    }
}
