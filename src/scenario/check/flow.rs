//! `[[flow]]`: the traffic, and the route or routes each flow takes.

use super::{Checker, Network};
use crate::kernel::Duration;
use crate::model::{grown, Cargo, Flow, Formation, Mode, NodeIx, Route, Step};
use crate::scenario::limits::{
    MAX_GROWTH_PER_YEAR, MAX_K_PATHS, MAX_UNIT_TEU, MAX_VEHICLES_PER_YEAR, MIN_GROWTH_PER_YEAR,
    MIN_K_PATHS, MIN_UNIT_TEU, MIN_VEHICLES_PER_YEAR, PLAUSIBLE_GROWTH_PER_YEAR,
};
use crate::scenario::raw::RawFlow;
use crate::scenario::routing::{Edge, RouteError, RouteGraph};
use crate::scenario::PathSeg;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Checks every `[[flow]]` and finds its routes; returns the flows that are sound. Routes
/// are looked for only when `network_ok`, the network having been checked without fault.
pub(super) fn check_flows(
    c: &mut Checker,
    raw: &[RawFlow],
    node_ix: &HashMap<&str, NodeIx>,
    net: &Network,
    network_ok: bool,
) -> Vec<Flow> {
    let mut seen = HashSet::new();
    let mut flows = Vec::new();
    let routing = Routing::prepare(raw, node_ix, net, network_ok);
    for (i, f) in raw.iter().enumerate() {
        let built = check_flow(c, (i, f), &mut seen, node_ix, net, (network_ok, &routing));
        if let Some(built) = built {
            flows.push(built);
        }
    }
    if raw.is_empty() {
        c.err(
            &[PathSeg::Key("scenario")],
            "the scenario has no [[flow]]: nothing would move; add at least one flow".into(),
        );
    }
    flows
}

/// What the paths of a flow that chooses its own depend on: mode, cargo, origin,
/// destination, TEU per vehicle (as bits) and how many paths.
type PathKey = (Mode, Cargo, NodeIx, NodeIx, u64, usize);

/// The route graphs of the flows, one per mode and cargo, and the paths of the flows that
/// choose their own, found before the flows are checked one by one: once for each
/// [`PathKey`], in parallel. Flows whose keys are not sound are left to the checks, which
/// say why.
struct Routing<'a> {
    graphs: HashMap<(Mode, Cargo), RouteGraph<'a>>,
    paths: HashMap<PathKey, Vec<Vec<Edge>>>,
}

impl<'a> Routing<'a> {
    fn prepare(
        raw: &[RawFlow],
        node_ix: &HashMap<&str, NodeIx>,
        net: &Network<'a>,
        network_ok: bool,
    ) -> Self {
        let mut graphs = HashMap::new();
        let mut keys = Vec::new();
        if network_ok {
            for f in raw {
                graphs.entry((f.mode, f.cargo)).or_insert_with(|| {
                    RouteGraph::new(
                        net.nodes.len(),
                        net.links,
                        net.ferries,
                        net.crossings,
                        (f.mode, f.cargo),
                    )
                });
                if let Some(key) = path_key(f, node_ix) {
                    keys.push(key);
                }
            }
        }
        // Each key once; the paths do not depend on the order they are found in.
        let keys: Vec<PathKey> = keys
            .into_iter()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let paths = keys
            .into_par_iter()
            .map(|key @ (mode, cargo, from, to, teu, k)| {
                let paths = graphs[&(mode, cargo)].k_fastest(from, to, f64::from_bits(teu), k);
                (key, paths)
            })
            .collect();
        Routing { graphs, paths }
    }
}

/// The [`PathKey`] of flow `f` if it chooses its own paths and its ends and sizes are
/// sound; `None` otherwise (the checks then say what is wrong, or find its paths itself).
fn path_key(f: &RawFlow, node_ix: &HashMap<&str, NodeIx>) -> Option<PathKey> {
    if f.route.is_some() || f.from == f.to {
        return None;
    }
    let (k, _) = path_choice(f).ok()?;
    let sound = f.unit_teu.is_finite() && (MIN_UNIT_TEU..=MAX_UNIT_TEU).contains(&f.unit_teu);
    let (from, to) = (*node_ix.get(f.from.as_str())?, *node_ix.get(f.to.as_str())?);
    sound.then_some(key_of(f, [from, to], k))
}

/// The [`PathKey`] of flow `f` choosing among its `k` fastest paths between `ends`.
fn key_of(f: &RawFlow, [from, to]: [NodeIx; 2], k: usize) -> PathKey {
    (f.mode, f.cargo, from, to, f.unit_teu.to_bits(), k)
}

/// What is wrong with how a flow chooses its paths: the value it gives.
enum BadChoice<'a> {
    /// `k_paths` of an adaptive flow out of its range.
    KPaths(i64),
    /// A `route_choice` that is none of its names.
    RouteChoice(&'a str),
}

/// How many paths flow `f`, without a `route`, chooses among (`route_choice` and
/// `k_paths`), and whether it is adaptive.
fn path_choice(f: &RawFlow) -> Result<(usize, bool), BadChoice<'_>> {
    match f.route_choice.as_deref() {
        None | Some("fastest") => Ok((1, false)),
        Some("adaptive") => match f.k_paths {
            None => Ok((DEFAULT_K_PATHS, true)),
            Some(k) if (i64::from(MIN_K_PATHS)..=i64::from(MAX_K_PATHS)).contains(&k) => {
                Ok((k as usize, true))
            }
            Some(k) => Err(BadChoice::KPaths(k)),
        },
        Some(other) => Err(BadChoice::RouteChoice(other)),
    }
}

/// How many paths an adaptive flow chooses among when it does not say (`k_paths`).
const DEFAULT_K_PATHS: usize = 3;

/// One flow being checked: where its keys are, how messages name it, and what it says.
struct FlowAt<'a> {
    i: usize,
    elem: String,
    f: &'a RawFlow,
}

impl FlowAt<'_> {
    /// The path of `key` of this flow.
    fn key(&self, key: &'static str) -> [PathSeg<'static>; 3] {
        [
            PathSeg::Key("flow"),
            PathSeg::Index(self.i),
            PathSeg::Key(key),
        ]
    }

    /// The path of node `k` of this flow's `route`.
    fn route_node(&self, k: usize) -> [PathSeg<'static>; 4] {
        [
            PathSeg::Key("flow"),
            PathSeg::Index(self.i),
            PathSeg::Key("route"),
            PathSeg::Index(k),
        ]
    }
}

/// Checks `[[flow]]` number `i`, finds its routes over the network `net` unless the
/// network is unsound (`network_ok` false), and builds it.
fn check_flow(
    c: &mut Checker,
    (i, f): (usize, &RawFlow),
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    net: &Network,
    (network_ok, routing): (bool, &Routing),
) -> Option<Flow> {
    let at = FlowAt {
        i,
        elem: format!("flow \"{}\"", f.id),
        f,
    };
    let elem = &at.elem;
    c.unique_id(seen, "flow", &f.id, &at.key("id"));
    let from = c.node_ref(&at.key("from"), elem, "from", &f.from, node_ix);
    let to = c.node_ref(&at.key("to"), elem, "to", &f.to, node_ix);
    if f.from == f.to {
        c.err(
            &at.key("to"),
            format!(
                "to = \"{}\" in {elem}: a flow must go somewhere else than where it starts",
                f.to
            ),
        );
    }
    let ok = check_volume(c, &at, net.horizon_years);
    let formation = check_formation(c, &at);
    let (from, to, formation) = (from?, to?, formation?);
    if !ok || !network_ok || f.from == f.to {
        return None;
    }
    let built;
    let graph = match routing.graphs.get(&(f.mode, f.cargo)) {
        Some(g) => g,
        None => {
            built = RouteGraph::new(
                net.nodes.len(),
                net.links,
                net.ferries,
                net.crossings,
                (f.mode, f.cargo),
            );
            &built
        }
    };
    let (paths, adaptive) = find_paths(c, &at, node_ix, (graph, routing), [from, to])?;
    let mut routes = Vec::with_capacity(paths.len());
    for path in paths {
        let steps = check_route(c, &at, net, graph, &path)?;
        routes.push(Route {
            nodes: graph.path_nodes(from, &path),
            free_flow_h: graph.path_hours(from, &path, f.unit_teu),
            steps,
            legs: Vec::new(),
            reforms: Vec::new(),
        });
    }
    Some(Flow {
        id: f.id.clone(),
        from,
        to,
        mode: f.mode,
        teu_per_year: f.teu_per_year,
        unit_teu: f.unit_teu,
        arrivals: f.arrivals,
        cargo: f.cargo,
        transit: f.transit,
        growth_per_year: f.growth_per_year,
        adaptive,
        routes,
        formation,
    })
}

/// The formation of trains at the flow's origin (`max_form_h`, `container_teu`):
/// `Some(None)` when the flow's vehicles arrive whole; `None` when unsound (reported).
fn check_formation(c: &mut Checker, at: &FlowAt) -> Option<Option<Formation>> {
    let (f, elem) = (at.f, &at.elem);
    let Some(max_form_h) = f.max_form_h else {
        if f.container_teu.is_some() {
            c.err(&at.key("container_teu"), format!("container_teu in {elem}: needs max_form_h, the longest a container waits for its train; without it the flow's vehicles arrive whole"));
            return None;
        }
        return Some(None);
    };
    let ok = c.hours(&at.key("max_form_h"), elem, "max_form_h", max_form_h, false);
    let container_teu = f.container_teu.unwrap_or(DEFAULT_CONTAINER_TEU);
    let fits = c.number(
        &at.key("container_teu"),
        elem,
        "container_teu",
        container_teu,
        0.0,
        false,
    );
    if fits && container_teu > f.unit_teu {
        c.err(&at.key("container_teu"), format!("container_teu = {container_teu} in {elem}: more than unit_teu = {}, so no container would fit on a train", f.unit_teu));
        return None;
    }
    (ok && fits).then_some(Some(Formation {
        container_teu,
        max_form: Duration::from_hours(max_form_h),
    }))
}

/// The TEU of one arrival of a flow that forms its trains, when `container_teu` is not
/// given: a twenty-foot container.
const DEFAULT_CONTAINER_TEU: f64 = 1.0;

/// The paths a flow may take between `ends`, from its `route` or its `route_choice`, and
/// whether it chooses among them as it goes (adaptive).
fn find_paths(
    c: &mut Checker,
    at: &FlowAt,
    node_ix: &HashMap<&str, NodeIx>,
    (graph, routing): (&RouteGraph, &Routing),
    ends: [NodeIx; 2],
) -> Option<(Vec<Vec<Edge>>, bool)> {
    let (f, elem) = (at.f, &at.elem);
    let (paths, adaptive) = match (&f.route, &f.route_choice) {
        (Some(_), Some(_)) => {
            c.err(
                &at.key("route_choice"),
                format!("route_choice in {elem}: give either `route` or `route_choice`, not both"),
            );
            return None;
        }
        (Some(route), None) => {
            let path = explicit_route(c, at, route, node_ix, graph, ends)?;
            (vec![path], false)
        }
        (None, _) => chosen_paths(c, at, (graph, routing), ends)?,
    };
    if f.k_paths.is_some() && !adaptive {
        c.err(
            &at.key("k_paths"),
            format!("k_paths in {elem}: only for route_choice = \"adaptive\""),
        );
        return None;
    }
    Some((paths, adaptive))
}

/// Checks how much a flow carries (`teu_per_year`, `unit_teu`, `growth_per_year`): the
/// vehicles it sends a year must stay in range over a horizon of `horizon_years`.
/// Returns whether it is sound.
fn check_volume(c: &mut Checker, at: &FlowAt, horizon_years: f64) -> bool {
    let (f, elem) = (at.f, &at.elem);
    let mut ok = c.number(
        &at.key("teu_per_year"),
        elem,
        "teu_per_year",
        f.teu_per_year,
        0.0,
        false,
    );
    // NaN is in no range.
    if !(MIN_UNIT_TEU..=MAX_UNIT_TEU).contains(&f.unit_teu) {
        c.err(&at.key("unit_teu"), format!("unit_teu = {} in {elem}: a train or truck carries from {MIN_UNIT_TEU} to {MAX_UNIT_TEU} TEU", f.unit_teu));
        ok = false;
    }
    if ok && f.teu_per_year / f.unit_teu < MIN_VEHICLES_PER_YEAR {
        c.err(&at.key("teu_per_year"), format!("teu_per_year = {} in {elem}: with unit_teu = {} that is fewer than {MIN_VEHICLES_PER_YEAR} vehicles a year", f.teu_per_year, f.unit_teu));
        ok = false;
    }
    if !(f.growth_per_year.is_finite()
        && f.growth_per_year > MIN_GROWTH_PER_YEAR
        && f.growth_per_year <= MAX_GROWTH_PER_YEAR)
    {
        c.err(&at.key("growth_per_year"), format!("growth_per_year = {} in {elem}: must be a yearly rate between {MIN_GROWTH_PER_YEAR} (exclusive) and {MAX_GROWTH_PER_YEAR}, e.g. 0.05 for +5 % a year", f.growth_per_year));
        ok = false;
    } else if f.growth_per_year > PLAUSIBLE_GROWTH_PER_YEAR {
        let g = f.growth_per_year;
        c.warn(&at.key("growth_per_year"), format!("growth_per_year = {g} in {elem}: more than {PLAUSIBLE_GROWTH_PER_YEAR} (+{:.0} % a year) is implausible year after year; the rate is a share, so {g} means +{:.0} % a year (+5 % is 0.05)", PLAUSIBLE_GROWTH_PER_YEAR * 100.0, g * 100.0));
    }
    // A flow that forms its trains has an arrival per container.
    let arrival_teu = match (f.max_form_h, f.container_teu) {
        (Some(_), Some(c)) if c > 0.0 && c.is_finite() => c,
        (Some(_), None) => DEFAULT_CONTAINER_TEU,
        _ => f.unit_teu,
    };
    if ok {
        // The busiest year is the first or the last, depending on the sign of growth.
        let last = grown(f.teu_per_year, f.growth_per_year, horizon_years) / arrival_teu;
        let peak = last.max(f.teu_per_year / arrival_teu);
        if peak.is_nan() || peak > MAX_VEHICLES_PER_YEAR {
            c.err(
                &at.key("teu_per_year"),
                format!(
                    "teu_per_year = {} in {elem}: with unit_teu = {} and growth_per_year = {} that reaches {peak:.3e} vehicles a year within the horizon; at most {MAX_VEHICLES_PER_YEAR:.0} are accepted",
                    f.teu_per_year, f.unit_teu, f.growth_per_year
                ),
            );
            ok = false;
        }
    }
    ok
}

/// The path of a flow that lists its nodes (`route`), which must run from its first end
/// to its second, `ends`, along segments of the flow's mode.
fn explicit_route(
    c: &mut Checker,
    at: &FlowAt,
    route: &[String],
    node_ix: &HashMap<&str, NodeIx>,
    graph: &RouteGraph,
    [from, to]: [NodeIx; 2],
) -> Option<Vec<Edge>> {
    let (f, elem) = (at.f, &at.elem);
    let mut ixs = Vec::with_capacity(route.len());
    for (k, name) in route.iter().enumerate() {
        let key = format!("route[{k}]");
        ixs.push(c.node_ref(&at.route_node(k), elem, &key, name, node_ix));
    }
    let ixs: Vec<NodeIx> = ixs.into_iter().collect::<Option<_>>()?;
    if ixs.len() < 2 || ixs[0] != from || ixs[ixs.len() - 1] != to {
        c.err(&at.key("route"), format!("route in {elem}: must list at least two nodes, starting at from = \"{}\" and ending at to = \"{}\"", f.from, f.to));
        return None;
    }
    match graph.along(&ixs) {
        Ok(path) => Some(path),
        Err(RouteError::NoSegment { position }) => {
            c.err(
                &at.route_node(position + 1),
                format!(
                    "route in {elem}: no {} segment joins \"{}\" and \"{}\"",
                    f.mode.as_str(),
                    route[position],
                    route[position + 1]
                ),
            );
            None
        }
        Err(e) => {
            report_route_error(c, &at.key("route"), elem, e);
            None
        }
    }
}

/// The paths a flow without a `route` may take (`route_choice`): the fastest, or the
/// `k_paths` fastest for an adaptive flow, from the first of `ends` to the second. Returns
/// them and whether the flow is adaptive.
fn chosen_paths(
    c: &mut Checker,
    at: &FlowAt,
    (graph, routing): (&RouteGraph, &Routing),
    [from, to]: [NodeIx; 2],
) -> Option<(Vec<Vec<Edge>>, bool)> {
    let (f, elem) = (at.f, &at.elem);
    let (k, adaptive) = match path_choice(f) {
        Ok(choice) => choice,
        Err(BadChoice::KPaths(k)) => {
            c.err(
                &at.key("k_paths"),
                format!("k_paths = {k} in {elem}: must be an integer from {MIN_K_PATHS} to {MAX_K_PATHS}"),
            );
            return None;
        }
        Err(BadChoice::RouteChoice(other)) => {
            c.err(&at.key("route_choice"), format!("route_choice = \"{other}\" in {elem}: accepted: \"fastest\", \"adaptive\", or an explicit `route`"));
            return None;
        }
    };
    let key = key_of(f, [from, to], k);
    let paths = match routing.paths.get(&key) {
        Some(p) => p.clone(),
        None => graph.k_fastest(from, to, f.unit_teu, k),
    };
    if paths.is_empty() {
        let mode = f.mode.as_str();
        let gauge = if mode == "rail" {
            ", or the gauge changes where no crossing has a gauge_change"
        } else {
            ""
        };
        c.err(&at.key("to"), format!("to = \"{}\" in {elem}: no {mode} route from \"{}\" to \"{}\" (the network has no connected {mode} path between them{gauge})", f.to, f.from, f.to));
        return None;
    }
    Some((paths, adaptive))
}

/// The steps of one route of a flow, once checked: gauge, yards, ferries, handling times.
fn check_route(
    c: &mut Checker,
    at: &FlowAt,
    net: &Network,
    graph: &RouteGraph,
    path: &[Edge],
) -> Option<Vec<Step>> {
    let (f, elem) = (at.f, at.elem.as_str());
    let steps = match graph.steps(path) {
        Ok(s) => s,
        Err(e) => {
            let place = match (&f.route, &e) {
                (Some(_), RouteError::GaugeBreak { position, .. }) => {
                    at.route_node(*position).to_vec()
                }
                _ => at.key("id").to_vec(),
            };
            report_route_error(c, &place, elem, e);
            return None;
        }
    };
    for step in &steps {
        if let Step::Crossing { crossing, .. } = *step {
            let x = &net.crossings[crossing as usize];
            if let Some(y) = x.yard_capacity_teu.filter(|&y| f.unit_teu > y) {
                c.err(&at.key("unit_teu"), format!("unit_teu = {} in {elem}: its route passes crossing \"{}\", whose yard holds only {y} TEU, so these vehicles could never enter", f.unit_teu, x.id));
                return None;
            }
        }
        if let Step::Crossing {
            crossing,
            change_gauge: true,
        } = *step
        {
            let x = &net.crossings[crossing as usize];
            if f.cargo == Cargo::Other && x.gauge_stage(Cargo::Other).is_none() {
                c.err(&at.key("cargo"), format!("cargo = \"other\" in {elem}: its route changes gauge at crossing \"{}\", whose gauge_change says nothing of trains that are not container trains; give it other_tracks and other_train_h (the places and hours such a train takes to change gauge: bulk transshipment, bogie exchange)", x.id));
                return None;
            }
            if !c.duration(
                &at.key("unit_teu"),
                elem,
                &format!("the gauge change of one vehicle at crossing \"{}\"", x.id),
                x.mean_gauge_change_h(f.unit_teu, f.cargo),
            ) {
                return None;
            }
        }
    }
    check_ferry_room(c, at, net, path).then_some(steps)
}

/// Whether every ferry on `path` has room for one of the flow's vehicles, in its vessels
/// and its port yards; reports the first that has not.
fn check_ferry_room(c: &mut Checker, at: &FlowAt, net: &Network, path: &[Edge]) -> bool {
    let (f, elem) = (at.f, &at.elem);
    for e in path {
        if let Edge::Ferry(x, _) = *e {
            let fe = &net.ferries[x as usize];
            let room = fe
                .capacity_teu
                .min(fe.port_yard_capacity_teu.unwrap_or(f64::INFINITY));
            if f.unit_teu > room {
                c.err(&at.key("unit_teu"), format!("unit_teu = {} in {elem}: its route takes ferry \"{}\", whose vessels or port yards hold only {room} TEU, so these vehicles could never board", f.unit_teu, fe.id));
                return false;
            }
        }
    }
    true
}

/// Reports why a route cannot be used.
fn report_route_error(c: &mut Checker, path: &[PathSeg], elem: &str, e: RouteError) {
    let msg = match e {
        RouteError::GaugeBreak { from_mm, to_mm, .. } => format!(
            "route in {elem}: the gauge changes from {from_mm} mm to {to_mm} mm at a node with no rail crossing that has a gauge_change"
        ),
        RouteError::NoSegment { .. } => format!("route in {elem}: two consecutive nodes are not joined by a segment"),
    };
    c.err(path, msg);
}
