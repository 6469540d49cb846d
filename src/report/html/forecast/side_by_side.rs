//! Several scenarios forecast over the same years, side by side: the TEU each delivers and
//! its transit per TEU year by year, and when each element saturates in each, with the
//! years a scenario gains or loses against the first.

use super::super::svg::{band_chart, esc, series_style, Band, BandLine};
use super::super::{section, TransitUnit};
use super::{delivered_by_year, relieved, transit_by_year, BandPoint};
use crate::report::table::short_name;
use crate::study::forecast::{Forecast, Saturation};
use std::fmt::Write;

/// Most elements the table of saturation years lists (the earliest).
const MOST_ROWS: usize = 40;

/// The side-by-side part of a report of `forecasts` (file, forecast), when there are two or
/// more; nothing for one.
pub(super) fn side_by_side(out: &mut String, forecasts: &[(String, Forecast)]) {
    if forecasts.len() < 2 {
        return;
    }
    let names: Vec<String> = forecasts.iter().map(|(file, _)| short_name(file)).collect();
    let _ = write!(
        out,
        "<h2 class=\"variant\">The {} scenarios side by side</h2><p class=\"note\">{}. Each scenario runs the same years on the same seed, so that the differences between them are the scenarios', not chance's; each is given in full after this.</p>",
        forecasts.len(),
        esc(&(forecasts.iter().zip(&names))
            .map(|((file, f), name)| format!("{name}: {} ({file})", f.scenario))
            .collect::<Vec<_>>()
            .join("; "))
    );
    let years: Vec<i32> = (forecasts.iter())
        .flat_map(|(_, f)| f.years.iter().map(|y| y.year))
        .collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return;
    };
    let step = ((last - first) as usize / 12).max(1);
    let ticks: Vec<(f64, String)> = (first..=last)
        .step_by(step)
        .map(|y| (f64::from(y), y.to_string()))
        .collect();
    let delivered: Vec<Vec<BandPoint>> = (forecasts.iter())
        .map(|(_, f)| delivered_by_year(f))
        .collect();
    section(
        out,
        "TEU delivered, scenario by scenario",
        "TEU each scenario's network delivered in each year, with its 95 % band; each scenario's demand is in its own section below.",
        &band_chart(
            "forecasts-teu",
            "TEU delivered by year, scenario by scenario",
            ("year", "TEU a year"),
            &ticks,
            &lines(&names, &delivered),
            &[],
        ),
    );
    let unit =
        TransitUnit::for_longest(forecasts.iter().flat_map(|(_, f)| {
            (f.years.iter()).map(|y| y.results.network.teu_transit_h.mean.ci95_hi)
        }));
    let transit: Vec<Vec<BandPoint>> = (forecasts.iter())
        .map(|(_, f)| transit_by_year(f, unit.hours))
        .collect();
    section(
        out,
        &format!(
            "{} in transit per TEU, scenario by scenario",
            unit.capital()
        ),
        &format!(
            "Mean {} from origin to destination per TEU in each scenario, with its 95 % band.",
            unit.name
        ),
        &band_chart(
            "forecasts-transit",
            &format!(
                "{} in transit per TEU by year, scenario by scenario",
                unit.capital()
            ),
            ("year", unit.name),
            &ticks,
            &lines(&names, &transit),
            &[],
        ),
    );
    saturation_table(out, forecasts, &names, last);
}

/// A line per scenario (named `names`) through its `points`, each in its own colour and
/// dashes.
fn lines<'a>(names: &'a [String], points: &'a [Vec<BandPoint>]) -> Vec<BandLine<'a>> {
    (names.iter().zip(points).enumerate())
        .map(|(n, (name, points))| {
            let (colour, dash) = series_style(n);
            BandLine {
                name,
                dash,
                colour,
                points,
                ceiling: None,
                labelled: false,
                band: Band::Ci95,
            }
        })
        .collect()
}

/// The table of the years each element saturates in each of `forecasts` (named `names`),
/// forecast up to `last`: a row per element the mean saturates within the forecast in any
/// of them, earliest first; beside each later scenario's year, how many years later (or
/// earlier) than in the first.
fn saturation_table(
    out: &mut String,
    forecasts: &[(String, Forecast)],
    names: &[String],
    last: i32,
) {
    let mut rows: Vec<(&'static str, &str, i32)> = Vec::new();
    for (_, f) in forecasts {
        for s in f.saturation.iter().filter(|s| s.year.is_some()) {
            let year = s.year.unwrap_or(i32::MAX);
            match rows.iter_mut().find(|r| r.0 == s.kind && r.1 == s.id) {
                Some(r) => r.2 = r.2.min(year),
                None => rows.push((s.kind, &s.id, year)),
            }
        }
    }
    rows.sort_by(|a, b| (a.2, a.0, a.1).cmp(&(b.2, b.0, b.1)));
    let more = rows.len().saturating_sub(MOST_ROWS);
    rows.truncate(MOST_ROWS);
    let _ = write!(
        out,
        "<section><h2>When elements saturate, scenario by scenario</h2><p class=\"note\">The first year each element is saturated by the mean over the replications (\"2025–2027\": in those years only, relieved after), or \"not by {last}\" where it is not within the forecast. Beside each scenario after the first, the years it gains (saturating later) or loses (earlier) against {}; none is claimed against a saturation relieved within the forecast. Earliest first{}.</p>",
        esc(&names[0]),
        match more {
            0 => String::new(),
            1 => "; 1 more is in the table and the JSON".to_string(),
            n => format!("; {n} more are in the table and the JSON"),
        }
    );
    if rows.is_empty() {
        out.push_str("<p class=\"note\">No element saturates within the forecast in any scenario.</p></section>");
        return;
    }
    out.push_str("<table class=\"saturation-years\"><thead><tr><th>element</th>");
    for name in names {
        let _ = write!(out, "<th>{}</th>", esc(name));
    }
    out.push_str("</tr></thead><tbody>");
    for (kind, id, _) in &rows {
        let _ = write!(out, "<tr><td>{kind} {}</td>", esc(id));
        let base = of(&forecasts[0].1, kind, id);
        for (k, (_, f)) in forecasts.iter().enumerate() {
            let here = of(f, kind, id);
            let (text, class) = cell(here, base.filter(|_| k > 0), last);
            let _ = write!(out, "<td class=\"{class}\">{}</td>", esc(&text));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></section>\n");
}

/// When element `id` of kind `kind` saturates in forecast `f`, if its network has it.
fn of<'a>(f: &'a Forecast, kind: &str, id: &str) -> Option<&'a Saturation> {
    f.saturation.iter().find(|s| s.kind == kind && s.id == id)
}

/// A cell of the table of saturation years: the year element `here` saturates (or why
/// none), and against `base` (the first scenario's, for the others) how many years later or
/// earlier, with the cell's class (`later`, `earlier` or none). A saturation the element is
/// relieved of within the forecast (a project opens) reads as its years, `2025–2027`; no
/// gain is claimed against it for a scenario that never saturates.
fn cell(here: Option<&Saturation>, base: Option<&Saturation>, last: i32) -> (String, &'static str) {
    let Some(here) = here else {
        return (NOT_IN_NETWORK.to_string(), "");
    };
    let Some(year) = here.year else {
        let gained = (base.filter(|b| relieved(b, last).is_none()))
            .and_then(|b| b.year)
            .map_or(String::new(), |b| {
                format!(" (+{} or more)", years(last + 1 - b))
            });
        let class = if gained.is_empty() { "" } else { "later" };
        return (format!("not by {last}{gained}"), class);
    };
    let shown = match relieved(here, last) {
        Some(end) if end > year => format!("{year}–{end}"),
        Some(_) => format!("{year} only"),
        None => year.to_string(),
    };
    let Some(base) = base else {
        return (shown, "");
    };
    match base.year {
        Some(b) if year > b => (format!("{shown} (+{})", years(year - b)), "later"),
        Some(b) if year < b => (format!("{shown} (−{})", years(b - year)), "earlier"),
        Some(_) => (format!("{shown} (same)"), ""),
        None => (
            format!("{shown} (−{} or more)", years(last + 1 - year)),
            "earlier",
        ),
    }
}

/// What the table says of an element a scenario's network does not have.
const NOT_IN_NETWORK: &str = "not in its network";

/// `n` years, in words: `1 year`, `3 years`.
fn years(n: i32) -> String {
    if n == 1 {
        "1 year".to_string()
    } else {
        format!("{n} years")
    }
}

#[cfg(test)]
mod tests {
    use super::cell;
    use crate::study::forecast::Saturation;

    fn saturating(year: Option<i32>) -> Saturation {
        Saturation {
            id: "post".into(),
            kind: "crossing",
            year,
            years_saturated: year.map_or(Vec::new(), |y| (y..=2031).collect()),
            year_10: None,
            year_90: None,
            share_saturated: Vec::new(),
        }
    }

    #[test]
    fn a_cell_gives_the_years_a_scenario_gains_or_loses_against_the_first() {
        let (base, never) = (saturating(Some(2027)), saturating(None));
        let later = saturating(Some(2030));
        assert_eq!(cell(Some(&base), None, 2031), ("2027".into(), ""));
        assert_eq!(
            cell(Some(&later), Some(&base), 2031),
            ("2030 (+3 years)".into(), "later")
        );
        assert_eq!(
            cell(Some(&base), Some(&later), 2031),
            ("2027 (−3 years)".into(), "earlier")
        );
        assert_eq!(
            cell(Some(&base), Some(&base), 2031),
            ("2027 (same)".into(), "")
        );
        // Not within the forecast: at least the years left after the first's.
        assert_eq!(
            cell(Some(&never), Some(&base), 2031),
            ("not by 2031 (+5 years or more)".into(), "later")
        );
        assert_eq!(
            cell(Some(&base), Some(&never), 2031),
            ("2027 (−5 years or more)".into(), "earlier")
        );
        // Not in the scenario's network at all.
        assert_eq!(
            cell(None, Some(&base), 2031),
            ("not in its network".into(), "")
        );
    }

    #[test]
    fn a_saturation_relieved_within_the_forecast_reads_as_its_years_and_earns_no_gain() {
        // Saturated 2027 only in the first scenario (a project opens in 2028); never in
        // the second: it gains nothing that can be counted.
        let mut brief = saturating(Some(2027));
        brief.years_saturated = vec![2027];
        let never = saturating(None);
        assert_eq!(cell(Some(&brief), None, 2031), ("2027 only".into(), ""));
        assert_eq!(
            cell(Some(&never), Some(&brief), 2031),
            ("not by 2031".into(), "")
        );
        brief.years_saturated = vec![2026, 2027];
        brief.year = Some(2026);
        assert_eq!(cell(Some(&brief), None, 2031), ("2026–2027".into(), ""));
    }
}
