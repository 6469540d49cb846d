//! `[[rail]]` and `[[road]]`: the segments between nodes, which share one id space.

use super::{Checker, Keys};
use crate::kernel::Duration;
use crate::model::{Layout, Link, Mode, NodeIx};
use crate::scenario::limits::{
    MAX_BLOCKS, MAX_GAUGE_MM, MIN_GAUGE_MM, PLAUSIBLE_RAIL_SPEED_KMH, PLAUSIBLE_ROAD_SPEED_KMH,
};
use crate::scenario::raw::{RawRail, RawRoad};
use crate::scenario::PathSeg;
use std::collections::{HashMap, HashSet};

/// Checks every `[[rail]]`, then every `[[road]]`; returns the segments that are sound.
pub(super) fn check_segments(
    c: &mut Checker,
    rails: &[RawRail],
    roads: &[RawRoad],
    node_ix: &HashMap<&str, NodeIx>,
) -> Vec<Link> {
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for (i, r) in rails.iter().enumerate() {
        links.extend(check_rail(c, i, r, &mut seen, node_ix));
    }
    for (i, r) in roads.iter().enumerate() {
        links.extend(check_road(c, i, r, &mut seen, node_ix));
    }
    links
}

impl Checker<'_> {
    /// Checks what rail and road segments share: a unique id, two known and different
    /// ends, a length and a speed giving a running time in range. Returns the ends and
    /// whether length and speed are usable.
    fn segment(
        &mut self,
        p: &Keys,
        elem: &str,
        s: &SegmentInput,
        seen: &mut HashSet<String>,
        node_ix: &HashMap<&str, NodeIx>,
    ) -> (Option<NodeIx>, Option<NodeIx>, bool, bool) {
        self.unique_id(seen, "rail or road segment", s.id, &p("id"));
        let from = self.node_ref(&p("from"), elem, "from", s.from, node_ix);
        let to = self.node_ref(&p("to"), elem, "to", s.to, node_ix);
        if s.from == s.to {
            self.err(
                &p("to"),
                format!(
                    "to = \"{}\" in {elem}: a segment must join two different nodes",
                    s.to
                ),
            );
        }
        let len_ok = self.number(&p("length_km"), elem, "length_km", s.length_km, 0.0, true);
        let mut speed_ok = self.number(&p("speed_kmh"), elem, "speed_kmh", s.speed_kmh, 0.0, false);
        if len_ok && speed_ok {
            speed_ok = self.duration(
                &p("speed_kmh"),
                elem,
                "the running time length_km / speed_kmh",
                s.length_km / s.speed_kmh,
            );
        }
        if speed_ok {
            self.warn_if_implausible_speed(p, elem, s);
        }
        (from, to, len_ok, speed_ok)
    }

    /// Warns of a speed possible but implausible for the segment's vehicles: a freight
    /// train above 160 km/h (often km a day typed for km/h), a truck above 120 km/h.
    fn warn_if_implausible_speed(&mut self, p: &Keys, elem: &str, s: &SegmentInput) {
        let v = s.speed_kmh;
        match s.mode {
            Mode::Rail if v > PLAUSIBLE_RAIL_SPEED_KMH => {
                let per_day = v / 24.0;
                self.warn(&p("speed_kmh"), format!("speed_kmh = {v} in {elem}: faster than {PLAUSIBLE_RAIL_SPEED_KMH} km/h, which no freight train runs; the speed is in km/h ({v} km a day would be speed_kmh = {per_day})"));
            }
            Mode::Road if v > PLAUSIBLE_ROAD_SPEED_KMH => {
                self.warn(&p("speed_kmh"), format!("speed_kmh = {v} in {elem}: faster than {PLAUSIBLE_ROAD_SPEED_KMH} km/h, implausible for a truck's average speed; the speed is in km/h"));
            }
            _ => {}
        }
    }
}

/// The keys rail and road segments share, and which of the two it is.
struct SegmentInput<'a> {
    mode: Mode,
    id: &'a str,
    from: &'a str,
    to: &'a str,
    length_km: f64,
    speed_kmh: f64,
}

impl<'a> SegmentInput<'a> {
    /// The shared keys of `[[rail]]` `r`.
    fn of_rail(r: &'a RawRail) -> Self {
        SegmentInput {
            mode: Mode::Rail,
            id: &r.id,
            from: &r.from,
            to: &r.to,
            length_km: r.length_km,
            speed_kmh: r.speed_kmh,
        }
    }

    /// The shared keys of `[[road]]` `r`.
    fn of_road(r: &'a RawRoad) -> Self {
        SegmentInput {
            mode: Mode::Road,
            id: &r.id,
            from: &r.from,
            to: &r.to,
            length_km: r.length_km,
            speed_kmh: r.speed_kmh,
        }
    }

    /// The segment these keys describe, once checked, between nodes `from` and `to`.
    fn link(&self, from: NodeIx, to: NodeIx, gauge_mm: Option<u32>, layout: Layout) -> Link {
        Link {
            id: self.id.to_string(),
            mode: self.mode,
            from,
            to,
            length_km: self.length_km,
            speed_kmh: self.speed_kmh,
            run_time: Duration::from_hours(self.length_km / self.speed_kmh),
            gauge_mm,
            layout,
        }
    }
}

/// Checks `[[rail]]` number `i` and builds its segment.
fn check_rail(
    c: &mut Checker,
    i: usize,
    r: &RawRail,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
) -> Option<Link> {
    let p = |k| [PathSeg::Key("rail"), PathSeg::Index(i), PathSeg::Key(k)];
    let elem = format!("rail \"{}\"", r.id);
    let ends = SegmentInput::of_rail(r);
    let (from, to, len_ok, speed_ok) = c.segment(&p, &elem, &ends, seen, node_ix);
    if r.headway_min.is_finite() {
        c.duration(
            &p("headway_min"),
            &elem,
            "the headway",
            r.headway_min / 60.0,
        );
    }
    if !(i64::from(MIN_GAUGE_MM)..=i64::from(MAX_GAUGE_MM)).contains(&r.gauge_mm) {
        c.err(
            &p("gauge_mm"),
            format!(
                "gauge_mm = {} in {elem}: must be a track gauge in mm, such as 1435 or 1520",
                r.gauge_mm
            ),
        );
    }
    let layout = match r.tracks {
        2 => Some(double_track(c, &p, &elem, r)),
        1 => single_track(c, &p, &elem, r, len_ok, speed_ok),
        t => {
            c.err(&p("tracks"), format!("tracks = {t} in {elem}: accepted: 1 (single track with passing loops) or 2 (double track)"));
            None
        }
    };
    let (Some(from), Some(to), Some(layout), true, true) = (from, to, layout, len_ok, speed_ok)
    else {
        return None;
    };
    Some(ends.link(from, to, Some(r.gauge_mm as u32), layout))
}

/// The layout of a rail segment with `tracks = 2`: trains run each way apart, a headway
/// behind one another.
fn double_track(c: &mut Checker, p: &Keys, elem: &str, r: &RawRail) -> Layout {
    if r.loop_spacing_km.is_some() {
        c.err(
            &p("loop_spacing_km"),
            format!("loop_spacing_km in {elem}: passing loops belong to single track (tracks = 1); this segment has tracks = 2"),
        );
    }
    c.number(
        &p("headway_min"),
        elem,
        "headway_min",
        r.headway_min,
        0.0,
        false,
    );
    Layout::DoubleTrack {
        headway: Duration::from_hours(r.headway_min / 60.0),
    }
}

/// The layout of a rail segment with `tracks = 1`: blocks between passing loops, each
/// held by one train at a time. `len_ok` and `speed_ok` say whether length and speed
/// passed their checks.
fn single_track(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    r: &RawRail,
    len_ok: bool,
    speed_ok: bool,
) -> Option<Layout> {
    c.number(
        &p("headway_min"),
        elem,
        "headway_min",
        r.headway_min,
        0.0,
        true,
    );
    let stretches = match r.loop_spacing_km {
        None => Some(1.0),
        Some(s) => {
            let spacing_ok = c.number(
                &p("loop_spacing_km"),
                elem,
                "loop_spacing_km",
                s,
                0.0,
                false,
            );
            (spacing_ok && len_ok).then(|| (r.length_km / s).ceil().max(1.0))
        }
    };
    match stretches {
        Some(n) if n > MAX_BLOCKS => {
            c.err(
                &p("loop_spacing_km"),
                format!("loop_spacing_km = {} in {elem}: gives {n} blocks; at most {MAX_BLOCKS} are accepted", r.loop_spacing_km.unwrap_or(0.0)),
            );
            None
        }
        Some(n) if len_ok && speed_ok => Some(Layout::SingleTrack {
            stretches: n as u32,
            stretch_time: Duration::from_hours(r.length_km / n / r.speed_kmh),
            headway: Duration::from_hours(r.headway_min / 60.0),
        }),
        _ => None,
    }
}

/// Checks `[[road]]` number `i` and builds its segment.
fn check_road(
    c: &mut Checker,
    i: usize,
    r: &RawRoad,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
) -> Option<Link> {
    let p = |k| [PathSeg::Key("road"), PathSeg::Index(i), PathSeg::Key(k)];
    let elem = format!("road \"{}\"", r.id);
    let ends = SegmentInput::of_road(r);
    let (from, to, len_ok, speed_ok) = c.segment(&p, &elem, &ends, seen, node_ix);
    let mut cap_ok = true;
    if let Some(cap) = r.capacity_trucks_per_h {
        cap_ok = c.number(
            &p("capacity_trucks_per_h"),
            &elem,
            "capacity_trucks_per_h",
            cap,
            0.0,
            false,
        ) && c.duration(
            &p("capacity_trucks_per_h"),
            &elem,
            "the spacing 1 / capacity_trucks_per_h",
            1.0 / cap,
        );
    }
    let (Some(from), Some(to), true, true, true) = (from, to, len_ok, speed_ok, cap_ok) else {
        return None;
    };
    let spacing = r
        .capacity_trucks_per_h
        .map(|cap| Duration::from_hours(1.0 / cap));
    Some(ends.link(from, to, None, Layout::Road { spacing }))
}
