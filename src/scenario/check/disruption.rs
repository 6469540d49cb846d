//! `[[disruption]]`: closures of a segment, crossing, ferry or port, on set days or at
//! random.

use super::{Checker, Keys, Network};
use crate::kernel::{Duration, SimTime};
use crate::model::{Disruption, DisruptionTarget, DisruptionTiming, NodeKind};
use crate::scenario::diagnostic::hint;
use crate::scenario::raw::{RawDisruption, RawDist};
use crate::scenario::PathSeg;
use std::collections::HashSet;

/// Checks every `[[disruption]]`; returns those that are sound.
pub(super) fn check_disruptions(
    c: &mut Checker,
    raw: &[RawDisruption],
    net: &Network,
    horizon_days: f64,
) -> Vec<Disruption> {
    let mut seen = HashSet::new();
    let mut disruptions = Vec::new();
    for (i, d) in raw.iter().enumerate() {
        if let Some(built) = check_disruption(c, i, d, &mut seen, net, horizon_days) {
            disruptions.push(built);
        }
    }
    disruptions
}

/// The kinds of element a target may name before a colon (`kind:id`).
const TARGET_KINDS: [&str; 6] = ["rail", "road", "segment", "crossing", "ferry", "port"];

/// Checks `[[disruption]]` number `i` against the network `t` and builds it.
fn check_disruption(
    c: &mut Checker,
    i: usize,
    d: &RawDisruption,
    seen: &mut HashSet<String>,
    t: &Network,
    horizon_days: f64,
) -> Option<Disruption> {
    let p = |k: &'static str| {
        [
            PathSeg::Key("disruption"),
            PathSeg::Index(i),
            PathSeg::Key(k),
        ]
    };
    c.unique_id(seen, "disruption", &d.id, &p("id"));
    let elem = format!("disruption \"{}\"", d.id);
    let target = check_target(c, &p, &elem, d, t);
    let timing = match (d.start_day, d.end_day, d.rate_per_year, &d.duration_h) {
        (Some(a), Some(b), None, None) => window(c, &p, &elem, a, b, horizon_days),
        (None, None, Some(rate), Some(dur)) => at_random(c, &p, &elem, rate, dur),
        _ => {
            c.err(&p("id"), format!("{elem}: give either start_day and end_day (a scheduled closure) or rate_per_year and duration_h (closures at random), not a mix"));
            None
        }
    };
    Some(Disruption {
        id: d.id.clone(),
        target: target?,
        timing: timing?,
    })
}

/// Every element of `t` with id `id`, of kind `kind` when one is given, with the kind
/// that names it.
fn named(t: &Network, kind: Option<&str>, id: &str) -> Vec<(&'static str, DisruptionTarget)> {
    let mut found = Vec::new();
    let wants = |k: &str| {
        kind.is_none_or(|want| want == k || (want == "segment" && (k == "rail" || k == "road")))
    };
    for (ix, l) in t.links.iter().enumerate() {
        let k = l.mode.as_str();
        if l.id == id && wants(k) {
            found.push((k, DisruptionTarget::Link(ix as u32)));
        }
    }
    for (ix, x) in t.crossings.iter().enumerate() {
        if x.id == id && wants("crossing") {
            found.push(("crossing", DisruptionTarget::Crossing(ix as u32)));
        }
    }
    for (ix, f) in t.ferries.iter().enumerate() {
        if f.id == id && wants("ferry") {
            found.push(("ferry", DisruptionTarget::Ferry(ix as u32)));
        }
    }
    for (ix, n) in t.nodes.iter().enumerate() {
        if n.id == id && n.kind == NodeKind::Port && wants("port") {
            found.push(("port", DisruptionTarget::Port(ix as u32)));
        }
    }
    found
}

/// The element a disruption closes: `kind:id`, or a plain id that names exactly one.
fn check_target(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    d: &RawDisruption,
    t: &Network,
) -> Option<DisruptionTarget> {
    let (kind, id) = match d.target.split_once(':') {
        Some((k, id)) => (Some(k), id),
        None => (None, d.target.as_str()),
    };
    let found = named(t, kind, id);
    let known_kind = kind.is_none_or(|k| TARGET_KINDS.contains(&k));
    match (found.len(), known_kind) {
        (_, false) => {
            c.err(&p("target"), format!("target = \"{}\" in {elem}: \"{}\" is not a kind that can close; accepted: segment (or rail, road), crossing, ferry, port", d.target, kind.unwrap_or("")));
            None
        }
        (1, true) => Some(found[0].1),
        (0, true) if t.failed.contains(id) => None,
        (0, true) => {
            let all = t
                .links
                .iter()
                .map(|l| l.id.as_str())
                .chain(t.crossings.iter().map(|x| x.id.as_str()))
                .chain(t.ferries.iter().map(|f| f.id.as_str()))
                .chain(
                    t.nodes
                        .iter()
                        .filter(|n| n.kind == NodeKind::Port)
                        .map(|n| n.id.as_str()),
                );
            let hint = hint(id, all);
            c.err(&p("target"), format!("target = \"{}\" in {elem}: no segment, crossing, ferry or port has that id{hint}", d.target));
            None
        }
        (_, true) => {
            let kinds: Vec<String> = found.iter().map(|(k, _)| format!("\"{k}:{id}\"")).collect();
            c.err(
                &p("target"),
                format!(
                    "target = \"{}\" in {elem}: several elements have that id; say which: {}",
                    d.target,
                    kinds.join(" or ")
                ),
            );
            None
        }
    }
}

/// A closure scheduled from day `a` to day `b` (`start_day`, `end_day`), which must begin
/// within the horizon.
fn window(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    a: f64,
    b: f64,
    horizon_days: f64,
) -> Option<DisruptionTiming> {
    let ok = c.number(&p("start_day"), elem, "start_day", a, 0.0, true)
        & c.number(&p("end_day"), elem, "end_day", b, 0.0, false);
    if ok && b <= a {
        c.err(
            &p("end_day"),
            format!("end_day = {b} in {elem}: must be after start_day ({a})"),
        );
        None
    } else if ok && a >= horizon_days {
        c.err(&p("start_day"), format!("start_day = {a} in {elem}: the horizon ends on day {horizon_days}, so this closure would never happen"));
        None
    } else {
        ok.then(|| DisruptionTiming::Window {
            start: SimTime::from_hours(a * 24.0),
            end: SimTime::from_hours(b * 24.0),
        })
    }
}

/// Closures at random, `rate` a year on average, each lasting a draw of `dur`.
fn at_random(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    rate: f64,
    dur: &RawDist,
) -> Option<DisruptionTiming> {
    let ok = c.number(&p("rate_per_year"), elem, "rate_per_year", rate, 0.0, false)
        && c.duration(
            &p("rate_per_year"),
            elem,
            "the mean time between closures",
            crate::HOURS_PER_YEAR / rate,
        );
    let duration = c.dist(&p("duration_h"), elem, "duration_h", dur);
    match (ok, duration) {
        (true, Some(duration)) => Some(DisruptionTiming::Random {
            mean_gap: Duration::from_hours(crate::HOURS_PER_YEAR / rate),
            duration,
        }),
        _ => None,
    }
}
