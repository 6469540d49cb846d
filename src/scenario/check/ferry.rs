//! `[[ferry]]`: ferry lines between two ports, their vessels, sailings and weather.

use super::{Checker, Keys};
use crate::kernel::Duration;
use crate::model::{Departure, Ferry, Node, NodeIx, NodeKind, Weather};
use crate::scenario::limits::{MAX_STORM_DAYS_PER_YEAR, MAX_VESSELS};
use crate::scenario::raw::{RawFerry, RawWeather};
use crate::scenario::PathSeg;
use std::collections::{HashMap, HashSet};

/// Checks every `[[ferry]]`; returns the lines that are sound.
pub(super) fn check_ferries(
    c: &mut Checker,
    raw: &[RawFerry],
    node_ix: &HashMap<&str, NodeIx>,
    nodes: &[Node],
) -> Vec<Ferry> {
    let mut seen = HashSet::new();
    let mut ferries = Vec::new();
    for (i, f) in raw.iter().enumerate() {
        if let Some(built) = check_ferry(c, i, f, &mut seen, node_ix, nodes) {
            ferries.push(built);
        }
    }
    ferries
}

/// Checks `[[ferry]]` number `i` and builds its line.
fn check_ferry(
    c: &mut Checker,
    i: usize,
    f: &RawFerry,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    nodes: &[Node],
) -> Option<Ferry> {
    let p = |k: &'static str| [PathSeg::Key("ferry"), PathSeg::Index(i), PathSeg::Key(k)];
    c.unique_id(seen, "ferry", &f.id, &p("id"));
    let elem = format!("ferry \"{}\"", f.id);
    let ports = check_ports(c, &p, &elem, f, node_ix, nodes);
    let mut ok = check_vessels(c, &p, &elem, f);
    let departure = check_departure(c, &p, &elem, f, &mut ok);
    if let Some(y) = f.port_yard_capacity_teu {
        ok &= c.number(
            &p("port_yard_capacity_teu"),
            &elem,
            "port_yard_capacity_teu",
            y,
            0.0,
            false,
        );
    }
    let weather = match &f.weather {
        None => Some(None),
        Some(w) => check_weather(c, i, &elem, w),
    };
    let (Some(a), Some(b)) = (ports[0], ports[1]) else {
        return None;
    };
    if !ok || f.from == f.to {
        return None;
    }
    Some(Ferry {
        id: f.id.clone(),
        ports: [a, b],
        vessels: f.vessels as u32,
        capacity_teu: f.capacity_teu,
        load: Duration::from_hours(f.load_h),
        sail: Duration::from_hours(f.sail_h),
        departure: departure?,
        port_yard_capacity_teu: f.port_yard_capacity_teu,
        weather: weather?,
    })
}

/// The two ports a line joins, each `None` unless it names a node of kind port; reports a
/// line from a port to itself.
fn check_ports(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    f: &RawFerry,
    node_ix: &HashMap<&str, NodeIx>,
    nodes: &[Node],
) -> [Option<NodeIx>; 2] {
    let mut ports = [None, None];
    for (k, (key, name)) in [("from", &f.from), ("to", &f.to)].into_iter().enumerate() {
        ports[k] = c.node_ref(&p(key), elem, key, name, node_ix);
        if let Some(n) = ports[k] {
            if nodes[n as usize].kind != NodeKind::Port {
                c.err(&p(key), format!("{key} = \"{name}\" in {elem}: a ferry sails between nodes of kind = \"port\"; this node is not a port"));
                ports[k] = None;
            }
        }
    }
    if f.from == f.to {
        c.err(
            &p("to"),
            format!(
                "to = \"{}\" in {elem}: a ferry line joins two different ports",
                f.to
            ),
        );
    }
    ports
}

/// Checks the fleet of a line: its vessels, what each carries, and how long each loads
/// and sails. Returns whether all of it is sound.
fn check_vessels(c: &mut Checker, p: &Keys, elem: &str, f: &RawFerry) -> bool {
    let mut ok = (c.count(&p("vessels"), elem, "vessels", f.vessels, MAX_VESSELS)).is_some();
    ok &= c.number(
        &p("capacity_teu"),
        elem,
        "capacity_teu",
        f.capacity_teu,
        0.0,
        false,
    );
    ok &= c.hours(&p("load_h"), elem, "load_h", f.load_h, true);
    ok &= c.hours(&p("sail_h"), elem, "sail_h", f.sail_h, false);
    ok
}

/// When a line's vessels leave (`depart` and its keys). Clears `ok` on a key that does
/// not belong to the departure rule given.
fn check_departure(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    f: &RawFerry,
    ok: &mut bool,
) -> Option<Departure> {
    match f.depart.as_str() {
        "when_full" => Some(when_full(c, p, elem, f, ok)),
        "schedule" => schedule(c, p, elem, f, ok),
        other => {
            c.err(&p("depart"), format!("depart = \"{other}\" in {elem}: accepted: \"when_full\" or \"schedule\" (with every_h)"));
            None
        }
    }
}

/// `depart = "when_full"`: a vessel leaves once full, or after `max_wait_h` if given.
fn when_full(c: &mut Checker, p: &Keys, elem: &str, f: &RawFerry, ok: &mut bool) -> Departure {
    if f.every_h.is_some() {
        c.err(
            &p("every_h"),
            format!("every_h in {elem}: only for depart = \"schedule\"; this line sails when full"),
        );
        *ok = false;
    }
    let max_wait = match f.max_wait_h {
        Some(h) => {
            *ok &= c.hours(&p("max_wait_h"), elem, "max_wait_h", h, false);
            Some(Duration::from_hours(h))
        }
        None => None,
    };
    Departure::WhenFull { max_wait }
}

/// `depart = "schedule"`: a vessel leaves each port every `every_h` hours.
fn schedule(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    f: &RawFerry,
    ok: &mut bool,
) -> Option<Departure> {
    if f.max_wait_h.is_some() {
        c.err(
            &p("max_wait_h"),
            format!("max_wait_h in {elem}: only for depart = \"when_full\""),
        );
        *ok = false;
    }
    match f.every_h {
        None => {
            c.err(&p("depart"), format!("depart = \"schedule\" in {elem}: needs every_h, the hours between sailings from each port"));
            None
        }
        Some(h) => c
            .hours(&p("every_h"), elem, "every_h", h, false)
            .then(|| Departure::Schedule {
                every: Duration::from_hours(h),
            }),
    }
}

/// The storms of ferry number `i` (`weather`): `Some(None)` when they never happen,
/// `None` when the keys are unsound.
fn check_weather(
    c: &mut Checker,
    i: usize,
    ferry: &str,
    w: &RawWeather,
) -> Option<Option<Weather>> {
    let wp = |k: &'static str| {
        [
            PathSeg::Key("ferry"),
            PathSeg::Index(i),
            PathSeg::Key("weather"),
            PathSeg::Key(k),
        ]
    };
    let welem = format!("{ferry}.weather");
    let mut wok = c.hours(
        &wp("mean_storm_h"),
        &welem,
        "mean_storm_h",
        w.mean_storm_h,
        false,
    );
    if !(w.storm_days_per_year.is_finite()
        && (0.0..MAX_STORM_DAYS_PER_YEAR).contains(&w.storm_days_per_year))
    {
        c.err(
            &wp("storm_days_per_year"),
            format!(
                "storm_days_per_year = {} in {welem}: must be at least 0 and below {MAX_STORM_DAYS_PER_YEAR}",
                w.storm_days_per_year
            ),
        );
        wok = false;
    }
    wok.then(|| {
        (w.storm_days_per_year > 0.0).then(|| Weather {
            storm_days_per_year: w.storm_days_per_year,
            mean_storm: Duration::from_hours(w.mean_storm_h),
        })
    })
}
