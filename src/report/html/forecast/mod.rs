//! The report of a `forecast`: per scenario, demand against the TEU delivered year by year
//! with the 95 % band, the days (or hours) in transit per TEU and the backlog, the years when
//! projects open, and when each element saturates, with the range of years over which the
//! replications saturate it.

mod side_by_side;

use super::svg::{band_chart, esc, floor, year_ranges, Band, BandLine, YearRange};
use super::{page, section};
use crate::report::table::{replications, short_name};
use crate::study::forecast::{Forecast, Forecasts, Saturation};
use std::fmt::Write;

/// Most elements drawn in a scenario's saturation chart (the earliest).
const MOST_SATURATED: usize = 25;

/// The report of forecasts `f`.
pub fn forecast_report(f: &Forecasts) -> String {
    let mut body = String::new();
    let title = match f.forecasts.as_slice() {
        [] => "Forecast".to_string(),
        [(_, fc)] => format!("{}: forecast", fc.scenario),
        many => format!("Forecast of {} scenarios", many.len()),
    };
    let _ = write!(body, "<h1>{}</h1>", esc(&title));
    side_by_side::side_by_side(&mut body, &f.forecasts);
    for (k, (file, fc)) in f.forecasts.iter().enumerate() {
        scenario(&mut body, k + 1, file, fc);
    }
    let one = f.forecasts.iter().all(|(_, fc)| fc.replications == 1);
    let footer = if one {
        "Each year's figures are those of one replication, without bands (n = 1); demand is the scenario's, grown year by year. Saturation years are read from that replication."
    } else {
        "Each year's figures are means over the replications with their 95 % confidence intervals drawn as bands; demand is the scenario's, grown year by year. Diamonds give the years saturated by the means, bars the spread of those years over the replications."
    };
    page(&title, &body, footer)
}

/// One scenario's forecast.
fn scenario(out: &mut String, k: usize, file: &str, f: &Forecast) {
    let _ = write!(
        out,
        "<h2 class=\"variant\">{} ({})</h2><p class=\"note\">{} a year, seed {}; each year simulated on its own from an empty network, on the network open that year, demand grown as the scenario says: a year's backlog and transit are that year's, not carried over from the year before. An element is saturated when its utilisation exceeds {} or, for a flow, when its backlog beyond free flow exceeds 5 % of its yearly demand.{}</p>",
        esc(&f.scenario),
        esc(file),
        replications(f.replications),
        f.seed,
        f.saturation_threshold,
        if f.repeated_disruptions.is_empty() {
            String::new()
        } else {
            format!(
                " Every year repeats the disruptions given by day: {}.",
                esc(&f.repeated_disruptions.join(", "))
            )
        }
    );
    let marks = openings(f);
    // A tick a year, or fewer over long forecasts.
    let step = (f.years.len() / 12).max(1);
    let ticks: Vec<(f64, String)> = (f.years.iter().step_by(step))
        .map(|y| (f64::from(y.year), y.year.to_string()))
        .collect();
    let delivered = delivered_by_year(f);
    let demand: Vec<(f64, f64, f64, f64)> = (f.years.iter())
        .map(|y| (f64::from(y.year), y.demand_teu_per_year, f64::NAN, f64::NAN))
        .collect();
    section(
        out,
        "Demand and TEU delivered",
        "Container demand of the year (dashed) and the TEU delivered (solid, with its 95 % band). Where the lines part, the network no longer carries what is asked of it; dashed verticals mark the years projects open.",
        &band_chart(
            &format!("forecast-teu-{k}"),
            "Demand and TEU delivered by year",
            ("year", "TEU a year"),
            &ticks,
            &[
                BandLine {
                    name: "demand",
                    dash: "6 4",
                    colour: "#555555",
                    points: &demand,
                    ceiling: None,
                    labelled: false,
                    band: Band::Ci95,
                },
                BandLine {
                    name: "delivered",
                    dash: "none",
                    colour: "#1f3a93",
                    points: &delivered,
                    ceiling: None,
                    labelled: false,
                    band: Band::Ci95,
                },
            ],
            &marks,
        ),
    );
    // Hours where every year's transit is under two days (a border post's trucks), else
    // days.
    let transit_unit = super::TransitUnit::for_longest(
        (f.years.iter()).map(|y| y.results.network.teu_transit_h.mean.ci95_hi),
    );
    let (per, unit, units) = (
        transit_unit.hours,
        transit_unit.name,
        transit_unit.capital(),
    );
    let transit = transit_by_year(f, per);
    let backlog: Vec<(f64, f64, f64, f64)> = (f.years.iter())
        .map(|y| {
            let s = &y.backlog_teu_stat;
            (f64::from(y.year), s.mean, floor(s.ci95_lo, 0.0), s.ci95_hi)
        })
        .collect();
    let name = format!("{unit} in transit per TEU");
    section(
        out,
        &format!("{units} in transit per TEU"),
        &format!("Mean {unit} from origin to destination per TEU, with the 95 % band."),
        &band_chart(
            &format!("forecast-transit-{k}"),
            &format!("{units} in transit per TEU by year"),
            ("year", unit),
            &ticks,
            &[BandLine {
                name: &name,
                dash: "none",
                colour: "#1f3a93",
                points: &transit,
                ceiling: None,
                labelled: false,
                band: Band::Ci95,
            }],
            &marks,
        ),
    );
    section(
        out,
        "Backlog",
        "TEU that had arrived at their origin but were still on their way at the end of the year, with the 95 % band.",
        &band_chart(
            &format!("forecast-backlog-{k}"),
            "Backlog at the end of each year",
            ("year", "TEU"),
            &ticks,
            &[BandLine {
                name: "backlog",
                dash: "none",
                colour: "#a0301e",
                points: &backlog,
                ceiling: None,
                labelled: false,
                band: Band::Ci95,
            }],
            &marks,
        ),
    );
    saturation(out, k, f);
}

/// A point of a line with a band: year, figure, and its 95 % interval's ends.
type BandPoint = (f64, f64, f64, f64);

/// The TEU the network of forecast `f` delivered, year by year, with its 95 % interval
/// (raised to 0 at the lowest).
fn delivered_by_year(f: &Forecast) -> Vec<BandPoint> {
    (f.years.iter())
        .map(|y| {
            let s = &y.results.network.delivered_teu_per_year;
            (f64::from(y.year), s.mean, floor(s.ci95_lo, 0.0), s.ci95_hi)
        })
        .collect()
}

/// The mean transit per TEU of the network of forecast `f`, year by year, in units of
/// `per` hours, with its 95 % interval (raised to 0 at the lowest).
fn transit_by_year(f: &Forecast, per: f64) -> Vec<BandPoint> {
    (f.years.iter())
        .map(|y| {
            let s = &y.results.network.teu_transit_h.mean;
            let (lo, hi) = (floor(s.ci95_lo, 0.0), s.ci95_hi);
            (f64::from(y.year), s.mean / per, lo / per, hi / per)
        })
        .collect()
}

/// The last year element `s` is saturated by the mean, when it is relieved before `last`,
/// the forecast's last year (a project opens).
fn relieved(s: &Saturation, last: i32) -> Option<i32> {
    s.years_saturated.last().copied().filter(|&end| end < last)
}

/// The years in which the set of projects open changes, with what opens.
fn openings(f: &Forecast) -> Vec<(f64, String)> {
    let mut marks = Vec::new();
    let mut before: &[String] = &[];
    for y in &f.years {
        let new: Vec<String> = (y.open.iter())
            .filter(|o| !before.contains(o))
            .map(|o| short_name(o))
            .collect();
        if !new.is_empty() {
            marks.push((f64::from(y.year), new.join(", ")));
        }
        before = &y.open;
    }
    marks
}

/// When the elements saturate: the year by the mean over replications (diamond) and the
/// years from the first in which 10 % of the replications saturate it to the first in which
/// 90 % do (bar).
fn saturation(out: &mut String, k: usize, f: &Forecast) {
    let (Some(first), Some(last)) = (f.years.first(), f.years.last()) else {
        return;
    };
    let mut rows: Vec<YearRange> = (f.saturation.iter())
        .filter(|s| s.year.is_some() || s.year_10.is_some())
        .map(|s| {
            // Saturated by the mean, then relieved within the forecast (a project opens).
            let relieved = relieved(s, last.year);
            let until = relieved.map_or(String::new(), |end| format!(" (to {end})"));
            YearRange {
                label: format!("{} {}{until}", s.kind, s.id),
                from: s.year_10,
                to: s.year_90,
                mark: s.year,
                title: format!(
                    "{} {}: saturated by the mean {}{}; in 10 % of the replications {}, in 90 % {}",
                    s.kind,
                    s.id,
                    from_year(s.year, last.year),
                    relieved.map_or(String::new(), |end| format!(" to {end}, not after")),
                    from_year(s.year_10, last.year),
                    from_year(s.year_90, last.year)
                ),
            }
        })
        .collect();
    // By the year the mean saturates; those it never does after them, by their 10 % year.
    rows.sort_by_key(|r| (r.mark.unwrap_or(i32::MAX), r.from.unwrap_or(i32::MAX)));
    let more = rows.len().saturating_sub(MOST_SATURATED);
    rows.truncate(MOST_SATURATED);
    if rows.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\">No element saturates within the forecast.</p>"
        );
        return;
    }
    let note = format!(
        "Diamond: the first year saturated by the mean over the replications. Bar: from the first year in which 10 % of the replications saturate it to the first in which 90 % do (dashed, open at the right, when that is beyond the forecast). \"(to 2027)\": saturated by the mean up to that year and not after. Earliest first by the mean{}.",
        match more {
            0 => String::new(),
            1 => "; 1 more is in the table and the JSON".to_string(),
            n => format!("; {n} more are in the table and the JSON"),
        }
    );
    section(
        out,
        "When elements saturate",
        &note,
        &year_ranges(
            &format!("forecast-saturation-{k}"),
            "Saturation years by element",
            (first.year, last.year),
            &rows,
        ),
    );
}

/// When an element saturates, as a tooltip says it: `from 2027`, or `not by 2031` (the last
/// year forecast) when it does not within the forecast.
fn from_year(year: Option<i32>, last: i32) -> String {
    year.map_or(format!("not by {last}"), |y| format!("from {y}"))
}
