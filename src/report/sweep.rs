//! Reports of a sweep: the `corridor.sweep/1` JSON document (the parameters, and per point
//! its values and its `corridor.results/1` tree), tidy CSV (one row per point, element and
//! metric), and a table with a row per point: its values, the network's headline figures
//! and those of the elements the swept paths name.

use super::layout::{capitalised, columns_in_parts, wrap_prose};
use super::table::{figure_cell, replications};
use super::{csv_quote, pretty_json, Num, Spread};
use crate::scenario::Override;
use crate::scenario::Parameter;
use crate::stats::figures::{self, Figure, Unit};
use crate::stats::{metrics, Results, Stat};
use crate::study::sweep::{Point, Sweep};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt::Write;

/// The sweep results schema.
pub const SWEEP_SCHEMA: &str = "corridor.sweep/1";

/// The sweep as the `corridor.sweep/1` JSON document.
pub fn to_json(s: &Sweep) -> String {
    pretty_json(&Doc(s))
}

/// The whole document, in the order of its keys.
struct Doc<'a>(&'a Sweep);

impl Serialize for Doc<'_> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        let s = self.0;
        let parameters: Vec<_> = s
            .parameters
            .iter()
            .map(|p| ParameterDoc {
                path: p.path(),
                values: p.values().iter().map(|v| v.value()).collect(),
            })
            .collect();
        let points: Vec<_> = s.points.iter().map(|p| PointDoc(s, p)).collect();
        let mut map = z.serialize_map(Some(6))?;
        map.serialize_entry("schema", SWEEP_SCHEMA)?;
        map.serialize_entry("scenario", &s.file)?;
        map.serialize_entry("seed", &s.seed)?;
        map.serialize_entry("replications", &s.replications)?;
        map.serialize_entry("parameters", &parameters)?;
        map.serialize_entry("points", &points)?;
        map.end()
    }
}

/// A parameter: its path and its values.
#[derive(Serialize)]
struct ParameterDoc<'a> {
    path: &'a str,
    values: Vec<toml::Value>,
}

/// A point: `{"values": {PATH: VALUE, ...}, "results": RESULTS}`.
struct PointDoc<'a>(&'a Sweep, &'a Point);

impl Serialize for PointDoc<'_> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        let mut map = z.serialize_map(Some(2))?;
        map.serialize_entry("values", &Values(self.0, self.1))?;
        map.serialize_entry("results", &self.1.results)?;
        map.end()
    }
}

/// The values of a point, keyed by path, in the order of the parameters.
struct Values<'a>(&'a Sweep, &'a Point);

impl Serialize for Values<'_> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        let (s, point) = (self.0, self.1);
        let mut map = z.serialize_map(Some(s.parameters.len()))?;
        for (k, p) in s.parameters.iter().enumerate() {
            map.serialize_entry(p.path(), &s.value(point, k).value())?;
        }
        map.end()
    }
}

/// The sweep as tidy CSV: a row per point (numbered from 1), element and metric, with the
/// point's value of each parameter. Fields that may hold a comma or a quote (the paths and
/// values of the parameters, ids, metrics carrying ids) are quoted as by `csv_quote`.
pub fn to_csv(s: &Sweep) -> String {
    let mut out = String::from("point");
    for p in &s.parameters {
        out.push(',');
        out.push_str(&csv_quote(p.path()));
    }
    out.push_str(",section,id,metric,mean,sd,ci95_lo,ci95_hi\n");
    for (i, point) in s.points.iter().enumerate() {
        let mut lead = (i + 1).to_string();
        for k in 0..s.parameters.len() {
            lead.push(',');
            lead.push_str(&csv_quote(&plain(s.value(point, k))));
        }
        for (section, id, metric, st) in metrics(&point.results) {
            let _ = writeln!(
                out,
                "{lead},{section},{},{},{},{}",
                csv_quote(id),
                csv_quote(&metric),
                Num(st.mean),
                Spread(&st)
            );
        }
    }
    out
}

/// How a column reads its figure off a point's results (nothing if the point lacks it).
type Read = Box<dyn Fn(&Results) -> Option<Stat>>;

/// A value as a CSV field: a string as its text, anything else as written.
fn plain(o: &Override) -> String {
    match o.value() {
        toml::Value::String(text) => text,
        _ => o.value_text().to_string(),
    }
}

/// A column of the table: its heading, the title of its chart in the HTML report, and how
/// to read its figure off a point's results.
struct Column {
    heading: String,
    title: String,
    unit: Unit,
    read: Read,
}

/// A column of the figure at `path` of `list` (a section's figures) for the element with
/// `id`, found in the results by `find`.
fn element_column<O, S: 'static>(
    label: &str,
    id: &str,
    list: &'static [Figure<O, S>],
    path: &str,
    find: fn(&Results, &str) -> Option<S>,
) -> Option<Column> {
    let figure = list.iter().find(|f| f.path == path)?;
    let (stat, owned) = (figure.stat, id.to_string());
    Some(Column {
        heading: format!("{label} {id} {}", figure.label),
        title: format!("{} {id}: {}", capitalised(label), figure_words(label, path)),
        unit: figure.unit,
        read: Box::new(move |r| find(r, &owned).map(|s| *stat(&s))),
    })
}

/// The columns of the figures of the elements the swept paths name, each element once:
/// a crossing's wait and utilisation, a segment's wait and utilisation, a ferry's wait and
/// fill, a flow's delivered TEU and transit, a fleet's wait for stock and utilisation.
fn element_columns(s: &Sweep) -> Vec<Column> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for p in &s.parameters {
        let Some((kind, id)) = p.values().first().and_then(|v| v.element()) else {
            continue;
        };
        if seen.contains(&(kind, id)) {
            continue;
        }
        seen.push((kind, id));
        let cols = match kind {
            "crossing" => ["wait_h.mean", "utilization"].map(|m| {
                element_column("crossing", id, figures::CROSSING, m, |r, id| {
                    r.crossings.iter().find(|c| c.id == id).cloned()
                })
            }),
            "rail" | "road" => ["wait_h.mean", "utilization"].map(|m| {
                element_column("segment", id, figures::LINK, m, |r, id| {
                    r.links.iter().find(|l| l.id == id).cloned()
                })
            }),
            "ferry" => ["wait_h.mean", "fill"].map(|m| {
                element_column("ferry", id, figures::FERRY, m, |r, id| {
                    r.ferries.iter().find(|f| f.id == id).cloned()
                })
            }),
            "flow" => ["delivered_teu_per_year", "transit_h.mean"].map(|m| {
                element_column("flow", id, figures::FLOW, m, |r, id| {
                    r.flows.iter().find(|f| f.id == id).cloned()
                })
            }),
            "fleet" => ["wait_h.mean", "utilization"].map(|m| {
                element_column("fleet", id, figures::FLEET, m, |r, id| {
                    r.fleets.iter().find(|f| f.id == id).cloned()
                })
            }),
            _ => [None, None],
        };
        out.extend(cols.into_iter().flatten());
    }
    out
}

/// The columns of the network's headline figures: delivered TEU per year and the mean
/// transit per TEU.
fn network_columns() -> Vec<Column> {
    ["delivered_teu_per_year", "teu_transit_h.mean"]
        .iter()
        .filter_map(|m| figures::NETWORK.iter().find(|f| f.path == *m))
        .map(|f| {
            let stat = f.stat;
            Column {
                heading: format!("network {}", figures::network_words(f.path, f.label)),
                title: format!("Network: {}", figure_words("network", f.path)),
                unit: f.unit,
                read: Box::new(move |r: &Results| Some(*stat(&r.network))),
            }
        })
        .collect()
}

/// A figure of the sweep's table as its chart in the HTML report draws it.
pub(crate) struct Series {
    /// The chart's title, in words (`Crossing post: mean wait`).
    pub(crate) title: String,
    /// The unit of the figure.
    pub(crate) unit: Unit,
    /// Per point, the figure's STAT, if the point has it.
    pub(crate) values: Vec<Option<Stat>>,
}

/// The figures a sweep's table shows (the network's headline figures, then those of the
/// elements its paths name), as the HTML report draws them against the swept values.
pub(crate) fn figure_series(s: &Sweep) -> Vec<Series> {
    let mut cols = network_columns();
    cols.extend(element_columns(s));
    cols.into_iter()
        .map(|c| Series {
            values: s.points.iter().map(|p| (c.read)(&p.results)).collect(),
            title: c.title,
            unit: c.unit,
        })
        .collect()
}

/// What a sweep's chart of the figure at `path` of an element of kind `kind` (as the
/// table names it: `network`, `crossing`, `segment`, `ferry`, `flow`, `fleet`) shows, in
/// words: `mean wait` for a crossing's `wait_h.mean`.
fn figure_words(kind: &str, path: &str) -> &'static str {
    match (kind, path) {
        (_, "delivered_teu_per_year") => "TEU delivered per year",
        ("network", "teu_transit_h.mean") => "mean transit per TEU",
        (_, "transit_h.mean") => "mean transit",
        ("ferry", "wait_h.mean") => "mean wait for a vessel",
        ("fleet", "wait_h.mean") => "mean wait for wagons and locomotives",
        (_, "wait_h.mean") => "mean wait",
        (_, "utilization") => "utilisation",
        (_, "fill") => "fill of its vessels",
        _ => "figure",
    }
}

/// A swept parameter in words, for titles and axes: `servers of crossing post, stage 1`
/// for `crossing.post.stage.1.servers`, `horizon (days)` for `scenario.horizon_days`,
/// `demand (× the scenario's)` for `--demand`.
pub(crate) fn parameter_words(p: &Parameter) -> String {
    let Some(first) = p.values().first() else {
        return p.path().to_string();
    };
    let steps = first.steps();
    match steps.as_slice() {
        [] => "demand (× the scenario's)".to_string(),
        ["scenario", keys @ ..] => key_words(keys),
        [kind, id, "stage", stage, keys @ ..] => {
            format!("{} of {kind} {id}, stage {stage}", key_words(keys))
        }
        [kind, id, keys @ ..] => format!("{} of {kind} {id}", key_words(keys)),
        _ => p.path().to_string(),
    }
}

/// Keys of a path in words: `teu_per_year` as `TEU per year`, a unit suffix in brackets
/// (`headway_min` as `headway (min)`), nested keys one after another (`service mean`).
fn key_words(keys: &[&str]) -> String {
    // `_kmh` before `_h`, which it ends with.
    const UNITS: [(&str, &str); 5] = [
        ("_kmh", "km/h"),
        ("_h", "h"),
        ("_min", "min"),
        ("_days", "days"),
        ("_km", "km"),
    ];
    (keys.iter())
        .map(|key| {
            let (base, unit) = UNITS
                .iter()
                .find_map(|(suffix, unit)| Some((key.strip_suffix(suffix)?, Some(*unit))))
                .unwrap_or((key, None));
            let words: Vec<&str> = (base.split('_'))
                .map(|w| if w == "teu" { "TEU" } else { w })
                .collect();
            match unit {
                Some(unit) => format!("{} ({unit})", words.join(" ")),
                None => words.join(" "),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A swept value as a label (a string's text, anything else as written).
pub(crate) fn value_label(o: &Override) -> String {
    plain(o)
}

/// The sweep as a table: a heading, then a row per point with its values and figures.
pub fn to_table(s: &Sweep) -> String {
    let mut out = String::new();
    let name = s
        .points
        .first()
        .map_or(s.file.as_str(), |p| p.results.scenario.as_str());
    let _ = writeln!(out, "Sweep of {name} ({})", s.file);
    let figures = if s.replications == 1 {
        "one replication's values, without a confidence interval (n = 1)"
    } else {
        "mean ± 95 % CI half-width"
    };
    let _ = writeln!(
        out,
        "{} points, {} each, seed {} at every point (common random numbers); {figures}",
        s.points.len(),
        replications(s.replications),
        s.seed
    );
    let mut cols = network_columns();
    cols.extend(element_columns(s));
    let mut header = vec!["point".to_string()];
    header.extend(s.parameters.iter().map(|p| p.path().to_string()));
    header.extend(cols.iter().map(|c| c.heading.clone()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = s
        .points
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let mut row = vec![(i + 1).to_string()];
            row.extend((0..s.parameters.len()).map(|k| s.value(point, k).value_text().to_string()));
            row.extend(cols.iter().map(|c| {
                (c.read)(&point.results).map_or("-".into(), |st| figure_cell(c.unit, &st))
            }));
            row
        })
        .collect();
    out.push('\n');
    // Parts after the first name the points by number only: the first gives their values.
    // An element's figures (`crossing post wait h mean`, `crossing post utilization`) are
    // kept together: their headers begin with its kind and id.
    let points: Vec<String> = (1..=rows.len()).map(|i| i.to_string()).collect();
    columns_in_parts(
        &mut out,
        &header,
        &rows,
        1 + s.parameters.len(),
        Some(&points),
        2,
    );
    let overloaded = overload_notes(s);
    if !overloaded.is_empty() {
        let _ = writeln!(out, "{}", overload_heading(s, overloaded.len()));
        for (point, named) in &overloaded {
            let _ = writeln!(out, "  point {point}: {named}");
        }
    }
    wrap_prose(&out)
}

/// The line over the list of `s`'s points with overloaded flows (`points` of them): how
/// many, and what it means of the flows each names.
pub(crate) fn overload_heading(s: &Sweep, points: usize) -> String {
    format!(
        "OVERLOADED at {points} of {} points: the flows named {}",
        s.points.len(),
        super::table::overload_meaning(true)
    )
}

/// The points of `s` (numbered from 1) with overloaded flows, those flows with their
/// backlogs ([`super::table::overloaded_list`]).
pub(crate) fn overload_notes(s: &Sweep) -> Vec<(usize, String)> {
    (s.points.iter().enumerate())
        .filter_map(|(i, p)| Some((i + 1, super::table::overloaded_list(&p.results)?.0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parameter_words;
    use crate::scenario::Parameter;

    fn words(arg: &str) -> String {
        parameter_words(&Parameter::set(arg).unwrap())
    }

    #[test]
    fn a_swept_parameter_is_put_in_words_for_titles_and_axes() {
        assert_eq!(
            words("crossing.post.stage.1.servers=4..6"),
            "servers of crossing post, stage 1"
        );
        assert_eq!(
            words("rail.dostyk-moyynty.headway_min=10,20"),
            "headway (min) of rail dostyk-moyynty"
        );
        assert_eq!(
            words("flow.cn-eu.teu_per_year=1000,2000"),
            "TEU per year of flow cn-eu"
        );
        assert_eq!(words("road.r.speed_kmh=60,80"), "speed (km/h) of road r");
        assert_eq!(words("scenario.horizon_days=30,60"), "horizon (days)");
        assert_eq!(
            parameter_words(&Parameter::demand("0.8,1.2").unwrap()),
            "demand (× the scenario's)"
        );
    }
}
