//! `[[crossing]]`: border crossings, their opening hours, their stages and the gauge
//! change of a rail crossing.

use super::{Checker, Keys};
use crate::model::{Crossing, Ferry, Link, Mode, Node, NodeIx, Stage};
use crate::policy::calendar::{parse_window, Calendar, WEEKDAYS};
use crate::scenario::limits::{MAX_PROBABILITY, MAX_STAGE_SERVERS, MIN_PROBABILITY};
use crate::scenario::raw::{RawCrossing, RawServers, RawStage};
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
    /// Every segment and ferry line passed its checks: a node's neighbours are all known.
    pub(super) ways_whole: bool,
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
        if !self.ways_whole {
            // The way from `side` may be a segment that failed its own checks.
            return None;
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
    let side = Side { around, node };
    let stages = check_stages(c, &p, &elem, i, x, &side);
    let gauge_change = match &x.gauge_change {
        None => Some(None),
        Some(g) => {
            if x.mode != Mode::Rail {
                c.err(&p("gauge_change"), format!("gauge_change in {elem}: only rail crossings change gauge; this one has mode = \"road\""));
                None
            } else {
                super::gauge_change::check_gauge_change(c, i, g, &elem, &side).map(Some)
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

/// Where a crossing is, to resolve the nodes its vehicles come from (the `from` of its
/// stages, the keys of figures given per side).
pub(super) struct Side<'a> {
    around: &'a Around<'a>,
    node: Option<NodeIx>,
}

impl Side<'_> {
    /// Resolves `name`, given at `path` (shown as `key`) as the node rail vehicles come
    /// from, and checks that it is a neighbour of the crossing; reports otherwise.
    pub(super) fn rail_neighbour(
        &self,
        c: &mut Checker,
        (path, key): (&[PathSeg], &str),
        elem: &str,
        name: &str,
    ) -> Option<NodeIx> {
        self.around
            .side(c, (path, key), elem, name, (self.node, Mode::Rail))
    }
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
        // Where an overlay's `remove` took the base's stages, the empty list is there.
        let (at, removed) = if c.written(&p("stage")) {
            (
                p("stage"),
                "; the overlay's remove took the base's and it gives none",
            )
        } else {
            (p("id"), "")
        };
        c.err(&at, format!("{elem} has no [[crossing.stage]]: a crossing needs at least one stage (e.g. name, servers, service_h){removed}"));
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
    // Numbered from 1, as `--set crossing.ID.stage.N` selects it.
    let elem = format!("{crossing}.stage.{} (\"{}\")", s + 1, st.name);
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
