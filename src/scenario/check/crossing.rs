//! `[[crossing]]`: border crossings, their opening hours, their stages and the gauge
//! change of a rail crossing.

use super::{Checker, Keys};
use crate::model::{
    Crossing, Ferry, GaugeChange, GaugeMethod, Link, Mode, Node, NodeIx, OtherGaugeChange, Stage,
};
use crate::policy::calendar::{parse_window, Calendar, WEEKDAYS};
use crate::scenario::limits::{
    MAX_GAUGE_CHANGE_SERVERS, MAX_PROBABILITY, MAX_STAGE_SERVERS, MIN_COUNT, MIN_PROBABILITY,
};
use crate::scenario::raw::{RawCrossing, RawGaugeChange, RawServers, RawStage};
use crate::scenario::PathSeg;
use std::collections::{HashMap, HashSet};

/// Checks every `[[crossing]]`; returns those that are sound. `start_year` places the
/// calendar of their opening days.
pub(super) fn check_crossings(
    c: &mut Checker,
    raw: &[RawCrossing],
    at: &Around,
    start_year: i32,
) -> Vec<Crossing> {
    let mut seen = HashSet::new();
    let mut at_node: HashMap<(NodeIx, Mode), usize> = HashMap::new();
    let mut crossings = Vec::new();
    for (i, x) in raw.iter().enumerate() {
        if let Some(built) = check_crossing(c, i, x, &mut seen, at, &mut at_node, start_year) {
            crossings.push(built);
        }
    }
    crossings
}

/// What a crossing's checks see of the network: the node ids, and the segments and ferry
/// lines that reach each node, so that a stage's `from` can be checked to be a neighbour.
pub(super) struct Around<'a> {
    /// Node ids to indices.
    pub(super) node_ix: &'a HashMap<&'a str, NodeIx>,
    /// Node ids, by index.
    pub(super) nodes: &'a [Node],
    /// Rail and road segments.
    pub(super) links: &'a [Link],
    /// Ferry lines.
    pub(super) ferries: &'a [Ferry],
}

impl Around<'_> {
    /// The nodes from which a vehicle of `mode` can reach `node` directly: the far ends of
    /// its segments of that mode, and the far ports of the ferry lines calling there.
    fn neighbours(&self, node: NodeIx, mode: Mode) -> Vec<NodeIx> {
        let by_link = self
            .links
            .iter()
            .filter(|l| l.mode == mode)
            .filter_map(|l| match (l.from == node, l.to == node) {
                (true, false) => Some(l.to),
                (false, true) => Some(l.from),
                _ => None,
            });
        let by_ferry = self.ferries.iter().filter_map(|f| match f.ports {
            [a, b] if a == node => Some(b),
            [a, b] if b == node => Some(a),
            _ => None,
        });
        let mut all: Vec<NodeIx> = by_link.chain(by_ferry).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Resolves `name`, given as the node a stage's vehicles come from, and checks that it
    /// is a neighbour of the crossing's `node`; reports at `path` otherwise.
    fn side(
        &self,
        c: &mut Checker,
        (path, key): (&[PathSeg], &str),
        elem: &str,
        name: &str,
        (node, mode): (Option<NodeIx>, Mode),
    ) -> Option<NodeIx> {
        let side = c.node_ref(path, elem, key, name, self.node_ix)?;
        let node = node?;
        let near = self.neighbours(node, mode);
        if near.contains(&side) {
            return Some(side);
        }
        let listing: Vec<String> = near
            .iter()
            .map(|&n| format!("\"{}\"", self.nodes[n as usize].id))
            .collect();
        let here = &self.nodes[node as usize].id;
        let accepted = if listing.is_empty() {
            format!(
                "node \"{here}\" has no {} segment or ferry line",
                mode.as_str()
            )
        } else {
            format!("accepted: {}", listing.join(", "))
        };
        let given = if key == "from" {
            format!("from = \"{name}\"")
        } else {
            key.to_string()
        };
        c.err(path, format!("{given} in {elem}: vehicles reach the crossing's node \"{here}\" from a neighbouring node by a {} segment or a ferry line; \"{name}\" is not one ({accepted})", mode.as_str()));
        None
    }
}

/// Checks `[[crossing]]` number `i` and builds it. `at_node` holds the crossing already
/// found at each node for each mode.
fn check_crossing(
    c: &mut Checker,
    i: usize,
    x: &RawCrossing,
    seen: &mut HashSet<String>,
    around: &Around,
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
    let node = check_node(c, &p, &elem, i, x, around.node_ix, at_node);
    let (window, closed) = check_opening(c, &p, &elem, i, x);
    let stages = check_stages(c, &p, &elem, i, x, &Side { around, node });
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
    let (node, window, gauge_change, stages) = (node?, window?, gauge_change?, stages?);
    Some(Crossing {
        sided: stages.iter().any(|s| s.from.is_some()),
        id: x.id.clone(),
        node,
        mode: x.mode,
        calendar: Calendar::new(window, closed, start_year),
        yard_capacity_teu: x.yard_capacity_teu,
        transit_priority,
        stages,
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

/// Where a crossing is, to resolve the `from` of its stages.
struct Side<'a> {
    around: &'a Around<'a>,
    node: Option<NodeIx>,
}

/// The stages of crossing number `i`, in the order vehicles pass them; `None` unless
/// there is at least one and every one is sound. A stage with servers per side becomes one
/// stage per side, each serving the vehicles from its side.
fn check_stages(
    c: &mut Checker,
    p: &Keys,
    elem: &str,
    i: usize,
    x: &RawCrossing,
    side: &Side,
) -> Option<Vec<Stage>> {
    if x.stage.is_empty() {
        c.err(&p("id"), format!("{elem} has no [[crossing.stage]]: a crossing needs at least one stage (e.g. name, servers, service_h)"));
    }
    let mut stages = Vec::new();
    let mut ok = true;
    for (s, st) in x.stage.iter().enumerate() {
        match check_stage(c, (i, s), x, st, elem, side) {
            Some(built) => stages.extend(built),
            None => ok = false,
        }
    }
    (ok && !stages.is_empty()).then_some(stages)
}

/// The servers of stage `st` of crossing `x` and the side each serves (`None`: every
/// side): one entry, or one per side when its servers are given per side. `None` when
/// unsound (reported).
fn stage_sides(
    c: &mut Checker,
    p: &dyn Fn(&'static str) -> [PathSeg<'static>; 5],
    elem: &str,
    (x, st): (&RawCrossing, &RawStage),
    side: &Side,
) -> Option<Vec<(u32, Option<NodeIx>)>> {
    let count = |c: &mut Checker, n: i64, what: &str| {
        c.count(
            &p("servers"),
            elem,
            &format!("servers{what}"),
            n,
            MAX_STAGE_SERVERS,
        )
    };
    let neighbour = |c: &mut Checker, key: &'static str, name: &str| {
        let shown = if key == "from" {
            key.to_string()
        } else {
            format!("servers.{name}")
        };
        let at = (&p(key)[..], shown.as_str());
        side.around.side(c, at, elem, name, (side.node, x.mode))
    };
    match &st.servers {
        RawServers::Shared(n) => {
            let from = match &st.from {
                None => Some(None),
                Some(name) => neighbour(c, "from", name).map(Some),
            };
            Some(vec![(count(c, *n, "")?, from?)])
        }
        RawServers::PerSide(per) => {
            let mut ok = true;
            if st.from.is_some() {
                c.err(&p("from"), format!("from in {elem}: its servers are given per side already ({{ NODE = COUNT, ... }}); give either from with a count of servers, or servers per side"));
                ok = false;
            }
            if per.is_empty() {
                c.err(&p("servers"), format!("servers = {{}} in {elem}: give a count of servers, or a count per node the vehicles come from, such as {{ alashankou = 2, aktogay = 1 }}"));
                ok = false;
            }
            let mut seen = HashSet::new();
            let mut sides = Vec::new();
            for (name, n) in per {
                if !seen.insert(name.as_str()) {
                    c.err(
                        &p("servers"),
                        format!("servers.{name} in {elem}: given twice"),
                    );
                    ok = false;
                }
                let from = neighbour(c, "servers", name);
                match (count(c, *n, &format!(".{name}")), from) {
                    (Some(n), Some(from)) => sides.push((n, Some(from))),
                    _ => ok = false,
                }
            }
            ok.then_some(sides)
        }
    }
}

/// Checks stage number `s` of crossing number `i` (`x`, named `crossing` in messages) and
/// builds it: one stage, or one per side when its servers are given per side.
fn check_stage(
    c: &mut Checker,
    (i, s): (usize, usize),
    x: &RawCrossing,
    st: &RawStage,
    crossing: &str,
    side: &Side,
) -> Option<Vec<Stage>> {
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
    let sides = stage_sides(c, &p, &elem, (x, st), side);
    let mut ok = sides.is_some();
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
    let per_side = matches!(st.servers, RawServers::PerSide(_));
    let (service, inspect, sides) = (service?, inspect?, sides?);
    if !ok {
        return None;
    }
    let name_of = |from: Option<NodeIx>| match from {
        Some(n) if per_side => format!("{} (from {})", st.name, side.around.nodes[n as usize].id),
        _ => st.name.clone(),
    };
    Some(
        sides
            .into_iter()
            .map(|(servers, from)| Stage {
                name: name_of(from),
                servers,
                service: service.clone(),
                inspect_prob,
                inspect: inspect.clone(),
                from,
            })
            .collect(),
    )
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
            Some(n) => c.count(&self.path(key), elem, key, n, MAX_GAUGE_CHANGE_SERVERS),
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
    let other = other_trains(c, &keys, g);
    let containers = match g.method.as_str() {
        "transshipment" => transshipment(c, &keys, g),
        "bogie_exchange" => bogie_exchange(c, &keys, g),
        other => {
            let elem = &keys.elem;
            c.err(&keys.path("method"), format!("method = \"{other}\" in {elem}: accepted: \"transshipment\" (cranes, teu_per_crane_h) or \"bogie_exchange\" (tracks, wagon_h)"));
            None
        }
    };
    Some(GaugeChange {
        other: other?,
        ..containers?
    })
}

/// The gauge change of trains that are not container trains (`other_tracks` and
/// `other_train_h`, given both or neither): `Some(None)` when not given.
fn other_trains(
    c: &mut Checker,
    keys: &GaugeKeys,
    g: &RawGaugeChange,
) -> Option<Option<OtherGaugeChange>> {
    let elem = &keys.elem;
    match (g.other_tracks, &g.other_train_h) {
        (None, None) => Some(None),
        (Some(_), None) => {
            c.err(&keys.path("other_tracks"), format!("other_tracks in {elem}: needs other_train_h, the hours one train that is not a container train takes to change gauge"));
            None
        }
        (None, Some(_)) => {
            c.err(&keys.path("other_train_h"), format!("other_train_h in {elem}: needs other_tracks, the number of such trains handled at once"));
            None
        }
        (Some(n), Some(d)) => {
            let servers = keys.count(c, "other_tracks", Some(n));
            let train_h = c.dist(&keys.path("other_train_h"), elem, "other_train_h", d);
            Some(Some(OtherGaugeChange {
                servers: servers?,
                train_h: train_h?,
            }))
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
        other: None,
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
        other: None,
    })
}
