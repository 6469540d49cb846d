//! `[[crossing]]`: border crossings, their opening hours, their stages and the gauge
//! change of a rail crossing.

use super::{Checker, Keys};
use crate::model::{Crossing, GaugeChange, GaugeMethod, Mode, NodeIx, Stage};
use crate::policy::calendar::{parse_window, Calendar, WEEKDAYS};
use crate::scenario::limits::{
    MAX_GAUGE_CHANGE_SERVERS, MAX_PROBABILITY, MAX_STAGE_SERVERS, MIN_COUNT, MIN_PROBABILITY,
};
use crate::scenario::raw::{RawCrossing, RawGaugeChange, RawStage};
use crate::scenario::PathSeg;
use std::collections::{HashMap, HashSet};

/// Checks every `[[crossing]]`; returns those that are sound. `start_year` places the
/// calendar of their opening days.
pub(super) fn check_crossings(
    c: &mut Checker,
    raw: &[RawCrossing],
    node_ix: &HashMap<&str, NodeIx>,
    start_year: i32,
) -> Vec<Crossing> {
    let mut seen = HashSet::new();
    let mut at_node: HashMap<(NodeIx, Mode), usize> = HashMap::new();
    let mut crossings = Vec::new();
    for (i, x) in raw.iter().enumerate() {
        if let Some(built) = check_crossing(c, i, x, &mut seen, node_ix, &mut at_node, start_year) {
            crossings.push(built);
        }
    }
    crossings
}

/// Checks `[[crossing]]` number `i` and builds it. `at_node` holds the crossing already
/// found at each node for each mode.
fn check_crossing(
    c: &mut Checker,
    i: usize,
    x: &RawCrossing,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    at_node: &mut HashMap<(NodeIx, Mode), usize>,
    start_year: i32,
) -> Option<Crossing> {
    let p = |k| [PathSeg::Key("crossing"), PathSeg::Index(i), PathSeg::Key(k)];
    c.unique_id(seen, "crossing", &x.id, &p("id"));
    let elem = format!("crossing \"{}\"", x.id);
    if let Some(y) = x.yard_capacity_teu {
        c.number(
            &p("yard_capacity_teu"),
            &elem,
            "yard_capacity_teu",
            y,
            0.0,
            false,
        );
    }
    let transit_priority = check_priority(c, &p, &elem, x);
    let node = check_node(c, &p, &elem, i, x, node_ix, at_node);
    let (window, closed) = check_opening(c, &p, &elem, i, x);
    let stages = check_stages(c, &p, &elem, i, x);
    let gauge_change = match &x.gauge_change {
        None => Some(None),
        Some(g) => {
            if x.mode != Mode::Rail {
                c.err(&p("gauge_change"), format!("gauge_change in {elem}: only rail crossings change gauge; this one has mode = \"road\""));
                None
            } else {
                check_gauge_change(c, i, g, &elem).map(Some)
            }
        }
    };
    let (node, window, gauge_change) = (node?, window?, gauge_change?);
    Some(Crossing {
        id: x.id.clone(),
        node,
        mode: x.mode,
        calendar: Calendar::new(window, closed, start_year),
        yard_capacity_teu: x.yard_capacity_teu,
        transit_priority,
        stages: stages?,
        gauge_change,
    })
}

/// Whether a crossing serves vehicles of transit flows first (`priority`).
fn check_priority(c: &mut Checker, p: &Keys, elem: &str, x: &RawCrossing) -> bool {
    match x.priority.as_deref() {
        None | Some("none") => false,
        Some("transit") => true,
        Some(other) => {
            c.err(&p("priority"), format!("priority = \"{other}\" in {elem}: accepted: \"transit\" (vehicles of flows with transit = true first) or \"none\""));
            false
        }
    }
}

/// The node of crossing number `i`, which must have no other crossing of the same mode;
/// records it in `at_node`.
fn check_node(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    i: usize,
    x: &RawCrossing,
    node_ix: &HashMap<&str, NodeIx>,
    at_node: &mut HashMap<(NodeIx, Mode), usize>,
) -> Option<NodeIx> {
    let node = c.node_ref(&p("node"), elem, "node", &x.node, node_ix);
    if let Some(n) = node {
        if let Some(&other) = at_node.get(&(n, x.mode)) {
            c.err(
                &p("node"),
                format!(
                    "node = \"{}\" in {elem}: node \"{}\" already has a {} crossing (the crossing at index {other}); one crossing per node and mode",
                    x.node, x.node, x.mode.as_str()
                ),
            );
        } else {
            at_node.insert((n, x.mode), i);
        }
    }
    node
}

/// The daily opening hours of crossing number `i` (`open`; `None` when unsound) and the
/// weekdays it is closed (`closed_weekdays`, Monday first).
fn check_opening(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    i: usize,
    x: &RawCrossing,
) -> (Option<Option<(u64, u64)>>, [bool; 7]) {
    let window = match &x.open {
        None => Some(None),
        Some(s) => match parse_window(s) {
            Ok(w) => Some(w),
            Err(e) => {
                c.err(&p("open"), format!("open = \"{s}\" in {elem}: {e}"));
                None
            }
        },
    };
    let mut closed = [false; 7];
    for (k, d) in x.closed_weekdays.iter().enumerate() {
        let path = [
            PathSeg::Key("crossing"),
            PathSeg::Index(i),
            PathSeg::Key("closed_weekdays"),
            PathSeg::Index(k),
        ];
        match WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(d)) {
            Some(ix) => closed[ix] = true,
            None => c.err(
                &path,
                format!("closed_weekdays has \"{d}\" in {elem}: accepted: \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\""),
            ),
        }
    }
    if closed.iter().all(|&d| d) {
        c.err(&p("closed_weekdays"), format!("closed_weekdays in {elem}: closes every day of the week, so nothing could ever cross"));
    }
    (window, closed)
}

/// The stages of crossing number `i`, in the order vehicles pass them; `None` unless
/// there is at least one and every one is sound.
fn check_stages(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    i: usize,
    x: &RawCrossing,
) -> Option<Vec<Stage>> {
    if x.stage.is_empty() {
        c.err(&p("id"), format!("{elem} has no [[crossing.stage]]: a crossing needs at least one stage (e.g. name, servers, service_h)"));
    }
    let mut stages = Vec::new();
    for (s, st) in x.stage.iter().enumerate() {
        if let Some(stage) = check_stage(c, i, s, st, elem) {
            stages.push(stage);
        }
    }
    (stages.len() == x.stage.len() && !stages.is_empty()).then_some(stages)
}

/// Checks stage number `s` of crossing number `i` (named `crossing` in messages).
fn check_stage(
    c: &mut Checker,
    i: usize,
    s: usize,
    st: &RawStage,
    crossing: &str,
) -> Option<Stage> {
    let p = |k| {
        [
            PathSeg::Key("crossing"),
            PathSeg::Index(i),
            PathSeg::Key("stage"),
            PathSeg::Index(s),
            PathSeg::Key(k),
        ]
    };
    let elem = format!("{crossing}.stage[{s}] (\"{}\")", st.name);
    let mut ok = true;
    if !(i64::from(MIN_COUNT)..=i64::from(MAX_STAGE_SERVERS)).contains(&st.servers) {
        c.err(
            &p("servers"),
            format!(
                "servers = {} in {elem}: must be an integer between {MIN_COUNT} and {MAX_STAGE_SERVERS}",
                st.servers
            ),
        );
        ok = false;
    }
    let service = c.dist(&p("service_h"), &elem, "service_h", &st.service_h);
    let inspect_prob = st.inspect_prob.unwrap_or(0.0);
    if !(inspect_prob.is_finite() && (MIN_PROBABILITY..=MAX_PROBABILITY).contains(&inspect_prob)) {
        c.err(
            &p("inspect_prob"),
            format!(
                "inspect_prob = {inspect_prob} in {elem}: must be a probability between {MIN_PROBABILITY} and {MAX_PROBABILITY}"
            ),
        );
        ok = false;
    }
    let inspect = match (&st.inspect_h, st.inspect_prob) {
        (Some(d), _) => c.dist(&p("inspect_h"), &elem, "inspect_h", d).map(Some),
        (None, Some(pr)) if pr > 0.0 => {
            c.err(
                &p("inspect_prob"),
                format!(
                    "inspect_prob = {pr} in {elem}: needs inspect_h, the time an inspection takes"
                ),
            );
            None
        }
        (None, _) => Some(None),
    };
    if st.inspect_h.is_some() && st.inspect_prob.is_none() {
        c.err(
            &p("inspect_h"),
            format!("inspect_h in {elem}: needs inspect_prob, the share of vehicles inspected"),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    Some(Stage {
        name: st.name.clone(),
        servers: st.servers as u32,
        service: service?,
        inspect_prob,
        inspect: inspect?,
    })
}

/// The TEU on one wagon when a bogie exchange does not say (`teu_per_wagon`): two
/// twenty-foot containers or one forty-foot.
const DEFAULT_TEU_PER_WAGON: f64 = 2.0;

/// The `gauge_change` table of crossing number `i`, for the checks both methods share:
/// where its keys are, how messages name it, and the method it gives.
struct GaugeKeys<'a> {
    i: usize,
    elem: String,
    method: &'a str,
}

impl GaugeKeys<'_> {
    /// The path of `key` of this table.
    fn path(&self, key: &'static str) -> [PathSeg<'static>; 4] {
        [
            PathSeg::Key("crossing"),
            PathSeg::Index(self.i),
            PathSeg::Key("gauge_change"),
            PathSeg::Key(key),
        ]
    }

    /// Reports a key the method needs but is not given.
    fn missing(&self, c: &mut Checker, key: &str) {
        let (method, elem) = (self.method, &self.elem);
        c.err(
            &self.path("method"),
            format!("method = \"{method}\" in {elem}: needs `{key}`"),
        );
    }

    /// A count of cranes or tracks the method needs.
    fn count(&self, c: &mut Checker, key: &'static str, v: Option<i64>) -> Option<u32> {
        let elem = &self.elem;
        match v {
            None => {
                self.missing(c, key);
                None
            }
            Some(n)
                if !(i64::from(MIN_COUNT)..=i64::from(MAX_GAUGE_CHANGE_SERVERS)).contains(&n) =>
            {
                c.err(
                    &self.path(key),
                    format!("{key} = {n} in {elem}: must be an integer between {MIN_COUNT} and {MAX_GAUGE_CHANGE_SERVERS}"),
                );
                None
            }
            Some(n) => Some(n as u32),
        }
    }

    /// A positive figure the method needs.
    fn figure(&self, c: &mut Checker, key: &'static str, v: Option<f64>) -> Option<f64> {
        match v {
            None => {
                self.missing(c, key);
                None
            }
            Some(x) => c
                .number(&self.path(key), &self.elem, key, x, 0.0, false)
                .then_some(x),
        }
    }

    /// Reports a key, when `present`, that belongs to the other method.
    fn refuse(&self, c: &mut Checker, key: &'static str, present: bool) {
        if present {
            let (method, elem) = (self.method, &self.elem);
            c.err(
                &self.path(key),
                format!("{key} in {elem}: not a parameter of method = \"{method}\""),
            );
        }
    }
}

/// Checks the `gauge_change` of crossing number `i` (named `crossing` in messages).
fn check_gauge_change(
    c: &mut Checker,
    i: usize,
    g: &RawGaugeChange,
    crossing: &str,
) -> Option<GaugeChange> {
    let keys = GaugeKeys {
        i,
        elem: format!("{crossing}.gauge_change"),
        method: &g.method,
    };
    match g.method.as_str() {
        "transshipment" => transshipment(c, &keys, g),
        "bogie_exchange" => bogie_exchange(c, &keys, g),
        other => {
            let elem = &keys.elem;
            c.err(&keys.path("method"), format!("method = \"{other}\" in {elem}: accepted: \"transshipment\" (cranes, teu_per_crane_h) or \"bogie_exchange\" (tracks, wagon_h)"));
            None
        }
    }
}

/// `method = "transshipment"`: cranes lift the containers from one train to another.
fn transshipment(c: &mut Checker, keys: &GaugeKeys, g: &RawGaugeChange) -> Option<GaugeChange> {
    keys.refuse(c, "tracks", g.tracks.is_some());
    keys.refuse(c, "wagon_h", g.wagon_h.is_some());
    keys.refuse(c, "teu_per_wagon", g.teu_per_wagon.is_some());
    let cranes = keys.count(c, "cranes", g.cranes);
    let rate = keys.figure(c, "teu_per_crane_h", g.teu_per_crane_h);
    let cranes = cranes?;
    let per_train = match g.cranes_per_train {
        None => cranes,
        Some(k) if (i64::from(MIN_COUNT)..=i64::from(cranes)).contains(&k) => {
            let k = k as u32;
            if cranes % k != 0 {
                let (elem, used) = (&keys.elem, cranes / k * k);
                c.err(&keys.path("cranes"), format!(
                    "cranes = {cranes} in {elem}: not a multiple of cranes_per_train = {k}; {} trains are worked at once by {k} cranes each, so {} crane{} would stand idle and the crossing would work as with cranes = {used}; give a multiple of {k} (such as {used} or {}), or a cranes_per_train that divides {cranes}",
                    cranes / k, cranes - used, if cranes - used == 1 { "" } else { "s" }, used + k
                ));
                return None;
            }
            k
        }
        Some(k) => {
            let elem = &keys.elem;
            c.err(&keys.path("cranes_per_train"), format!("cranes_per_train = {k} in {elem}: must be between {MIN_COUNT} and cranes ({cranes})"));
            return None;
        }
    };
    let hours_per_teu = 1.0 / (f64::from(per_train) * rate?);
    c.duration(
        &keys.path("teu_per_crane_h"),
        &keys.elem,
        "the handling time of one TEU",
        hours_per_teu,
    )
    .then_some(GaugeChange {
        method: GaugeMethod::Transshipment,
        servers: cranes / per_train,
        hours_per_teu,
    })
}

/// `method = "bogie_exchange"`: the wagons are lifted and their bogies changed, on
/// parallel tracks.
fn bogie_exchange(c: &mut Checker, keys: &GaugeKeys, g: &RawGaugeChange) -> Option<GaugeChange> {
    keys.refuse(c, "cranes", g.cranes.is_some());
    keys.refuse(c, "teu_per_crane_h", g.teu_per_crane_h.is_some());
    keys.refuse(c, "cranes_per_train", g.cranes_per_train.is_some());
    let tracks = keys.count(c, "tracks", g.tracks);
    let wagon_h = keys.figure(c, "wagon_h", g.wagon_h);
    let teu_per_wagon = match g.teu_per_wagon {
        None => Some(DEFAULT_TEU_PER_WAGON),
        Some(t) => c
            .number(
                &keys.path("teu_per_wagon"),
                &keys.elem,
                "teu_per_wagon",
                t,
                0.0,
                false,
            )
            .then_some(t),
    };
    let hours_per_teu = wagon_h? / teu_per_wagon?;
    let servers = tracks?;
    c.duration(
        &keys.path("wagon_h"),
        &keys.elem,
        "the handling time of one TEU",
        hours_per_teu,
    )
    .then_some(GaugeChange {
        method: GaugeMethod::BogieExchange,
        servers,
        hours_per_teu,
    })
}
