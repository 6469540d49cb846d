//! The one list of reported figures. Each figure of each section is defined once here: its
//! path in the results (`wait_h.mean`, nested in JSON as `{"wait_h": {"mean": ...}}` and
//! named so in CSV and in comparisons), its label and unit in tables, how it is read off
//! one replication's observations, and where its summary is kept. The summary, the JSON
//! document, the CSV rows, the tables and the paired differences of `compare` are all
//! built from these lists.

use super::{
    CorridorSummary, CrossingSummary, FerrySummary, FleetSummary, FlowSummary, LinkSummary,
    NetworkSummary, Stat,
};
use crate::model::observations::{CrossingObs, FerryObs, FleetObs, FlowObs, LinkObs, NetworkObs};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The unit a figure is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// TEU per year (scaled from the measured window).
    TeuPerYear,
    /// TEU.
    Teu,
    /// Hours.
    Hours,
    /// A share from 0 to 1.
    Share,
    /// Vehicles (trains, trucks) or sailings counted in the measured window.
    Count,
    /// A time-average number of vehicles.
    Vehicles,
    /// Kilometres (run in the measured window).
    Km,
}

impl Unit {
    /// True when no figure in this unit can be negative: true of every unit reported (TEU,
    /// hours, shares, counts, vehicles, kilometres), though a confidence interval's lower
    /// end, symmetric about the mean, may run below zero.
    pub fn non_negative(self) -> bool {
        match self {
            Unit::TeuPerYear
            | Unit::Teu
            | Unit::Hours
            | Unit::Share
            | Unit::Count
            | Unit::Vehicles
            | Unit::Km => true,
        }
    }
}

/// True when the figure `metric` of `section`, as [`crate::stats::metrics`] names them
/// (`crossings`, `wait_h.mean`), cannot be negative by nature; false for a name it does not
/// know. A flow's route shares (`route_share:...`) and a fleet's stock idle at a depot
/// (`idle_wagons:...`, `idle_locomotives:...`) cannot be either.
pub fn non_negative(section: &str, metric: &str) -> bool {
    let known = match section {
        "flows" if metric.starts_with("route_share:") => Some(Unit::Share),
        "fleets"
            if metric.starts_with("idle_wagons:") || metric.starts_with("idle_locomotives:") =>
        {
            Some(Unit::Vehicles)
        }
        _ => known(section, metric, |f| f.unit),
    };
    known.is_some_and(Unit::non_negative)
}

/// The words for the network's figure at `path`, labelled `label` in its own table (whose
/// heading says "transit per TEU"), where it stands beside other figures: `transit h mean
/// per TEU` for `teu_transit_h.mean`, so that it is not read as the mean per vehicle
/// (`transit_h.mean`, `transit h mean per vehicle`).
pub fn network_words(path: &str, label: &str) -> String {
    if path.starts_with("teu_") {
        format!("{label} per TEU")
    } else {
        label.to_string()
    }
}

/// An element as tables and pages name it beside its figures: its kind in the words of the
/// run's table and its id (`segment dostyk-aktogay` for `links`' `dostyk-aktogay`), or
/// `network` alone.
pub fn element_words(section: &str, id: &str) -> String {
    let kind = match section {
        "network" => return "network".to_string(),
        "corridors" => "corridor",
        "flows" => "flow",
        "crossings" => "crossing",
        "ferries" => "ferry",
        "links" => "segment",
        "fleets" => "fleet",
        other => other,
    };
    format!("{kind} {id}")
}

/// The words tables head the figure `metric` of `section` with (`transit h p95` for the
/// network's `teu_transit_h.p95`), if it is one they show.
pub fn label(section: &str, metric: &str) -> Option<&'static str> {
    known(section, metric, |f| f.label)
}

/// What `what` reads off the figure `metric` of `section`, as [`crate::stats::metrics`]
/// names them, if the section reports it.
fn known<T>(section: &str, metric: &str, what: impl Fn(&FigureInfo) -> T) -> Option<T> {
    fn find<O, S>(figures: &[Figure<O, S>], metric: &str) -> Option<FigureInfo> {
        (figures.iter().find(|f| f.path == metric)).map(|f| FigureInfo {
            unit: f.unit,
            label: f.label,
        })
    }
    let info = match section {
        "network" => find(NETWORK, metric),
        "flows" => find(FLOW, metric),
        "corridors" => find(CORRIDOR, metric),
        "crossings" => find(CROSSING, metric),
        "links" => find(LINK, metric),
        "ferries" => find(FERRY, metric),
        "fleets" => find(FLEET, metric),
        _ => None,
    };
    info.as_ref().map(what)
}

/// The unit and the label of a figure, whatever its section.
struct FigureInfo {
    unit: Unit,
    label: &'static str,
}

/// One reported figure of a section whose elements are observed as `O` and summarised
/// as `S`.
pub struct Figure<O, S> {
    /// Path in the results: a key, or `group.key` for a figure nested in a group.
    pub path: &'static str,
    /// Column heading in tables.
    pub label: &'static str,
    /// Unit of the figure.
    pub unit: Unit,
    /// Position of the column in the section's table (left to right); [`HIDDEN`] for a
    /// figure the table leaves out (it stays in the JSON and CSV).
    pub column: u8,
    /// Reads the figure off one replication's observation of the element (NaN where the
    /// replication observed nothing of it).
    pub read: fn(&O) -> f64,
    /// The figure's summary across replications.
    pub stat: fn(&S) -> &Stat,
    /// The same, to fill in.
    pub stat_mut: fn(&mut S) -> &mut Stat,
}

impl<O, S> std::fmt::Debug for Figure<O, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Figure")
            .field("path", &self.path)
            .field("label", &self.label)
            .field("unit", &self.unit)
            .finish_non_exhaustive()
    }
}

/// Defines a figure: path, label, unit, table column, the observation's field and the
/// summary's field (a path of fields).
macro_rules! figure {
    ($path:literal, $label:literal, $unit:ident, $column:expr, $obs:ident, $($stat:ident).+) => {
        Figure {
            path: $path,
            label: $label,
            unit: Unit::$unit,
            column: $column,
            read: |o| o.$obs,
            stat: |s| &s.$($stat).+,
            stat_mut: |s| &mut s.$($stat).+,
        }
    };
}

/// The whole network.
#[rustfmt::skip]
pub const NETWORK: &[Figure<NetworkObs, NetworkSummary>] = &[
    figure!("delivered_teu_per_year", "delivered TEU/year", TeuPerYear, 0, delivered_teu_per_year, delivered_teu_per_year),
    figure!("transit_h.mean", "transit h mean per vehicle", Hours, HIDDEN, transit_mean_h, transit_h.mean),
    figure!("transit_h.p95", "transit h p95 per vehicle", Hours, HIDDEN, transit_p95_h, transit_h.p95),
    figure!("teu_transit_h.mean", "transit h mean", Hours, 1, transit_teu_mean_h, teu_transit_h.mean),
    figure!("teu_transit_h.p50", "transit h p50", Hours, 2, transit_teu_p50_h, teu_transit_h.p50),
    figure!("teu_transit_h.p95", "transit h p95", Hours, 3, transit_teu_p95_h, teu_transit_h.p95),
];

/// The figures of a flow, and of a group of flows (a corridor): both are observed as a
/// `FlowObs` and summarised into structs with the same figure fields, so one list serves
/// both.
#[rustfmt::skip]
macro_rules! flow_figures {
    () => { &[
        figure!("delivered_teu_per_year", "delivered TEU/year", TeuPerYear, 0, delivered_teu_per_year, delivered_teu_per_year),
        figure!("backlog_teu", "backlog TEU", Teu, 1, backlog_teu, backlog_teu),
        figure!("transit_h.mean", "transit h mean", Hours, 2, transit_mean_h, transit_h.mean),
        figure!("transit_h.p50", "transit h p50", Hours, 3, transit_p50_h, transit_h.p50),
        figure!("transit_h.p95", "transit h p95", Hours, 4, transit_p95_h, transit_h.p95),
        figure!("formation_wait_h", "formation wait h", Hours, HIDDEN, formation_wait_h, formation_wait_h),
        figure!("train_fill", "train fill", Share, HIDDEN, train_fill, train_fill),
        figure!("stock_wait_h", "stock wait h", Hours, HIDDEN, stock_wait_h, stock_wait_h),
    ] };
}

/// Each corridor (a group of flows; transit weighted by TEU).
pub const CORRIDOR: &[Figure<FlowObs, CorridorSummary>] = flow_figures!();

/// Each fleet (its stock idle at each depot follows).
#[rustfmt::skip]
pub const FLEET: &[Figure<FleetObs, FleetSummary>] = &[
    figure!("wagon_use.loaded", "wagons loaded", Share, 0, wagons_loaded, wagon_use.loaded),
    figure!("wagon_use.empty", "wagons empty", Share, 1, wagons_empty, wagon_use.empty),
    figure!("wagon_use.idle", "wagons idle", Share, 2, wagons_idle, wagon_use.idle),
    figure!("locomotive_use.loaded", "locos loaded", Share, 3, locos_loaded, locomotive_use.loaded),
    figure!("locomotive_use.empty", "locos empty", Share, 4, locos_empty, locomotive_use.empty),
    figure!("locomotive_use.idle", "locos idle", Share, 5, locos_idle, locomotive_use.idle),
    figure!("utilization", "utilization", Share, HIDDEN, utilization, utilization),
    figure!("trains_delayed", "trains delayed", Count, 6, trains_delayed, trains_delayed),
    figure!("wait_h.mean", "wait h mean", Hours, 7, wait_mean_h, wait_h.mean),
    figure!("wait_h.p95", "wait h p95", Hours, 8, wait_p95_h, wait_h.p95),
    figure!("empty_train_km", "empty train-km", Km, 9, empty_train_km, empty_train_km),
];

/// Each flow (its route shares follow, one per route).
pub const FLOW: &[Figure<FlowObs, FlowSummary>] = flow_figures!();

/// Each crossing.
#[rustfmt::skip]
pub const CROSSING: &[Figure<CrossingObs, CrossingSummary>] = &[
    figure!("processed", "processed", Count, 0, processed, processed),
    figure!("utilization", "utilization", Share, 1, utilization, utilization),
    figure!("queue_len", "queue length", Vehicles, 2, queue_len, queue_len),
    figure!("wait_h.mean", "wait h mean", Hours, 5, wait_mean_h, wait_h.mean),
    figure!("wait_h.p95", "wait h p95", Hours, 6, wait_p95_h, wait_h.p95),
    figure!("time_h.mean", "time h mean", Hours, 3, time_mean_h, time_h.mean),
    figure!("time_h.p95", "time h p95", Hours, 4, time_p95_h, time_h.p95),
    figure!("formation_wait_h", "formation wait h", Hours, HIDDEN, formation_wait_h, formation_wait_h),
];

/// Each rail or road segment.
#[rustfmt::skip]
pub const LINK: &[Figure<LinkObs, LinkSummary>] = &[
    figure!("trains", "vehicles", Count, 0, trains, trains),
    figure!("teu", "TEU", Teu, 1, teu, teu),
    figure!("utilization", "utilization", Share, 2, utilization, utilization),
    figure!("wait_h.mean", "wait h mean", Hours, 3, wait_mean_h, wait_h.mean),
    figure!("wait_h.p95", "wait h p95", Hours, 4, wait_p95_h, wait_h.p95),
];

/// Each ferry line.
#[rustfmt::skip]
pub const FERRY: &[Figure<FerryObs, FerrySummary>] = &[
    figure!("teu", "TEU", Teu, 0, teu, teu),
    figure!("voyages", "voyages", Count, 1, voyages, voyages),
    figure!("fill", "fill", Share, 6, fill, fill),
    figure!("wait_h.mean", "wait h mean", Hours, 4, wait_mean_h, wait_h.mean),
    figure!("wait_h.p95", "wait h p95", Hours, 5, wait_p95_h, wait_h.p95),
    figure!("yard_teu", "yard TEU", Teu, 7, yard_teu, yard_teu),
    figure!("time_h.mean", "time h mean", Hours, 2, time_mean_h, time_h.mean),
    figure!("time_h.p95", "time h p95", Hours, 3, time_p95_h, time_h.p95),
];

/// The table column of a figure that tables leave out.
pub const HIDDEN: u8 = u8::MAX;

/// The figures of a section that tables show, in table order (by `column`).
pub fn in_table_order<O, S>(figures: &[Figure<O, S>]) -> Vec<&Figure<O, S>> {
    let mut v: Vec<_> = figures.iter().filter(|f| f.column != HIDDEN).collect();
    v.sort_by_key(|f| f.column);
    v
}

/// Writes the figures of `summary` into `map` in the order of `figures`, nesting
/// `group.key` paths under their group.
pub(crate) fn serialize_figures<M: SerializeMap, O, S>(
    map: &mut M,
    figures: &[Figure<O, S>],
    summary: &S,
) -> Result<(), M::Error> {
    let mut rest = figures;
    while let Some(first) = rest.first() {
        match first.path.split_once('.') {
            None => {
                map.serialize_entry(first.path, (first.stat)(summary))?;
                rest = &rest[1..];
            }
            Some((group, _)) => {
                let n = rest
                    .iter()
                    .take_while(|f| f.path.split_once('.').is_some_and(|(g, _)| g == group))
                    .count();
                map.serialize_entry(group, &Group(&rest[..n], summary))?;
                rest = &rest[n..];
            }
        }
    }
    Ok(())
}

/// The figures of one group (`wait_h`: `mean`, `p95`) as a JSON object.
struct Group<'a, O, S>(&'a [Figure<O, S>], &'a S);

impl<O, S> Serialize for Group<'_, O, S> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        let mut map = z.serialize_map(Some(self.0.len()))?;
        for f in self.0 {
            let key = f.path.split_once('.').map_or(f.path, |(_, k)| k);
            map.serialize_entry(key, (f.stat)(self.1))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<O, S>(section: &str, figures: &[Figure<O, S>]) {
        let mut paths: Vec<_> = figures.iter().map(|f| f.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), figures.len(), "{section}: a path given twice");
        let mut columns: Vec<u8> = (figures.iter().map(|f| f.column))
            .filter(|&c| c != HIDDEN)
            .collect();
        columns.sort_unstable();
        let expected: Vec<u8> = (0..columns.len() as u8).collect();
        assert_eq!(columns, expected, "{section}: table columns are not 0..n");
        for f in figures {
            let groups = f.path.matches('.').count();
            assert!(
                groups <= 1,
                "{section}: {} nests deeper than one group",
                f.path
            );
        }
    }

    #[test]
    fn each_section_lists_every_figure_once_with_one_table_column_each() {
        check("network", NETWORK);
        check("flows", FLOW);
        check("crossings", CROSSING);
        check("links", LINK);
        check("ferries", FERRY);
        check("corridors", CORRIDOR);
        check("fleets", FLEET);
    }

    #[test]
    fn every_figure_compared_is_known_not_to_go_below_zero() {
        fn all<O, S>(section: &str, figures: &[Figure<O, S>]) {
            for f in figures {
                assert!(non_negative(section, f.path), "{section} {}", f.path);
            }
        }
        all("network", NETWORK);
        all("flows", FLOW);
        all("corridors", CORRIDOR);
        all("crossings", CROSSING);
        all("links", LINK);
        all("ferries", FERRY);
        all("fleets", FLEET);
        assert!(non_negative("flows", "route_share:dostyk>aktogay"));
        assert!(non_negative("fleets", "idle_wagons:dostyk"));
        assert!(!non_negative("crossings", "no_such_figure"));
        assert!(!non_negative("nowhere", "wait_h.mean"));
    }

    #[test]
    fn a_summary_is_written_in_the_order_of_its_list_with_groups_nested() {
        let mut s = CrossingSummary::default();
        for (k, f) in CROSSING.iter().enumerate() {
            (f.stat_mut)(&mut s).mean = k as f64;
        }
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["processed"]["mean"], 0.0);
        assert_eq!(json["wait_h"]["p95"]["mean"], 4.0);
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            7,
            "id, processed, utilization, queue_len, wait_h, time_h, formation_wait_h: {keys:?}"
        );
    }
}
