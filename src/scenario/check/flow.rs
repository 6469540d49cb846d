//! `[[flow]]`: the traffic, and the route or routes each flow takes.

use super::{Checker, Network};
use crate::model::{grown, Flow, NodeIx, Route, Step};
use crate::scenario::limits::{
    MAX_GROWTH_PER_YEAR, MAX_K_PATHS, MAX_UNIT_TEU, MAX_VEHICLES_PER_YEAR, MIN_GROWTH_PER_YEAR,
    MIN_K_PATHS, MIN_UNIT_TEU, MIN_VEHICLES_PER_YEAR,
};
use crate::scenario::raw::RawFlow;
use crate::scenario::routing::{Edge, RouteError, RouteGraph};
use crate::scenario::PathSeg;
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
    for (i, f) in raw.iter().enumerate() {
        if let Some(built) = check_flow(c, i, f, &mut seen, node_ix, net, network_ok) {
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

#[allow(clippy::too_many_arguments)]
fn check_flow(
    c: &mut Checker,
    i: usize,
    f: &RawFlow,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    net: &Network,
    network_ok: bool,
) -> Option<Flow> {
    let p = |k| [PathSeg::Key("flow"), PathSeg::Index(i), PathSeg::Key(k)];
    c.unique_id(seen, "flow", &f.id, &p("id"));
    let elem = format!("flow \"{}\"", f.id);
    let from = c.node_ref(&p("from"), &elem, "from", &f.from, node_ix);
    let to = c.node_ref(&p("to"), &elem, "to", &f.to, node_ix);
    if f.from == f.to {
        c.err(
            &p("to"),
            format!(
                "to = \"{}\" in {elem}: a flow must go somewhere else than where it starts",
                f.to
            ),
        );
    }
    let mut ok = c.number(
        &p("teu_per_year"),
        &elem,
        "teu_per_year",
        f.teu_per_year,
        0.0,
        false,
    );
    ok &= c.number(&p("unit_teu"), &elem, "unit_teu", f.unit_teu, 0.0, false);
    if ok && !(MIN_UNIT_TEU..=MAX_UNIT_TEU).contains(&f.unit_teu) {
        c.err(&p("unit_teu"), format!("unit_teu = {} in {elem}: a train or truck carries from {MIN_UNIT_TEU} to {MAX_UNIT_TEU} TEU", f.unit_teu));
        ok = false;
    }
    if ok && f.teu_per_year / f.unit_teu < MIN_VEHICLES_PER_YEAR {
        c.err(&p("teu_per_year"), format!("teu_per_year = {} in {elem}: with unit_teu = {} that is fewer than {MIN_VEHICLES_PER_YEAR} vehicles a year", f.teu_per_year, f.unit_teu));
        ok = false;
    }
    if !(f.growth_per_year.is_finite()
        && f.growth_per_year > MIN_GROWTH_PER_YEAR
        && f.growth_per_year <= MAX_GROWTH_PER_YEAR)
    {
        c.err(&p("growth_per_year"), format!("growth_per_year = {} in {elem}: must be a yearly rate between {MIN_GROWTH_PER_YEAR} (exclusive) and {MAX_GROWTH_PER_YEAR}, e.g. 0.05 for +5 % a year", f.growth_per_year));
        ok = false;
    }
    if ok {
        // The busiest year is the first or the last, depending on the sign of growth.
        let last = grown(f.teu_per_year, f.growth_per_year, net.horizon_years) / f.unit_teu;
        let peak = last.max(f.teu_per_year / f.unit_teu);
        if peak.is_nan() || peak > MAX_VEHICLES_PER_YEAR {
            c.err(
                &p("teu_per_year"),
                format!(
                    "teu_per_year = {} in {elem}: with unit_teu = {} and growth_per_year = {} that reaches {peak:.3e} vehicles a year within the horizon; at most {MAX_VEHICLES_PER_YEAR:.0} are accepted",
                    f.teu_per_year, f.unit_teu, f.growth_per_year
                ),
            );
            ok = false;
        }
    }
    let (from, to) = (from?, to?);
    if !ok || !network_ok || f.from == f.to {
        return None;
    }
    let graph = RouteGraph::new(
        net.nodes.len(),
        net.links,
        net.ferries,
        net.crossings,
        f.mode,
    );
    let mode = f.mode.as_str();
    let mut adaptive = false;
    let paths: Vec<Vec<Edge>> = match (&f.route, &f.route_choice) {
        (Some(_), Some(_)) => {
            c.err(
                &p("route_choice"),
                format!("route_choice in {elem}: give either `route` or `route_choice`, not both"),
            );
            return None;
        }
        (Some(route), None) => {
            let mut ixs = Vec::with_capacity(route.len());
            for (k, name) in route.iter().enumerate() {
                let path = [
                    PathSeg::Key("flow"),
                    PathSeg::Index(i),
                    PathSeg::Key("route"),
                    PathSeg::Index(k),
                ];
                ixs.push(c.node_ref(&path, &elem, &format!("route[{k}]"), name, node_ix));
            }
            let ixs: Vec<NodeIx> = ixs.into_iter().collect::<Option<_>>()?;
            if ixs.len() < 2 || ixs[0] != from || ixs[ixs.len() - 1] != to {
                c.err(&p("route"), format!("route in {elem}: must list at least two nodes, starting at from = \"{}\" and ending at to = \"{}\"", f.from, f.to));
                return None;
            }
            match graph.along(&ixs) {
                Ok(path) => vec![path],
                Err(RouteError::NoSegment { position }) => {
                    let path = [
                        PathSeg::Key("flow"),
                        PathSeg::Index(i),
                        PathSeg::Key("route"),
                        PathSeg::Index(position + 1),
                    ];
                    c.err(
                        &path,
                        format!(
                            "route in {elem}: no {mode} segment joins \"{}\" and \"{}\"",
                            route[position],
                            route[position + 1]
                        ),
                    );
                    return None;
                }
                Err(e) => {
                    report_route_error(c, &p("route"), &elem, e);
                    return None;
                }
            }
        }
        (None, choice) => {
            let k = match choice.as_deref() {
                None | Some("fastest") => 1,
                Some("adaptive") => {
                    adaptive = true;
                    match f.k_paths {
                        None => 3,
                        Some(k)
                            if (i64::from(MIN_K_PATHS)..=i64::from(MAX_K_PATHS)).contains(&k) =>
                        {
                            k as usize
                        }
                        Some(k) => {
                            c.err(
                                &p("k_paths"),
                                format!("k_paths = {k} in {elem}: must be an integer from {MIN_K_PATHS} to {MAX_K_PATHS}"),
                            );
                            return None;
                        }
                    }
                }
                Some(other) => {
                    c.err(&p("route_choice"), format!("route_choice = \"{other}\" in {elem}: accepted: \"fastest\", \"adaptive\", or an explicit `route`"));
                    return None;
                }
            };
            let paths = graph.k_fastest(from, to, f.unit_teu, k);
            if paths.is_empty() {
                c.err(&p("to"), format!("to = \"{}\" in {elem}: no {mode} route from \"{}\" to \"{}\" (the network has no connected {mode} path between them{})", f.to, f.from, f.to, if mode == "rail" { ", or the gauge changes where no crossing has a gauge_change" } else { "" }));
                return None;
            }
            paths
        }
    };
    if f.k_paths.is_some() && !adaptive {
        c.err(
            &p("k_paths"),
            format!("k_paths in {elem}: only for route_choice = \"adaptive\""),
        );
        return None;
    }
    let mut routes = Vec::with_capacity(paths.len());
    for path in paths {
        let steps = check_route(c, i, f, &elem, net, &graph, &path)?;
        routes.push(Route {
            nodes: graph.path_nodes(from, &path),
            free_flow_h: graph.path_hours(from, &path, f.unit_teu),
            steps,
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
    })
}

/// The steps of one route of a flow, once checked: gauge, yards, ferries, handling times.
fn check_route(
    c: &mut Checker,
    i: usize,
    f: &RawFlow,
    elem: &str,
    net: &Network,
    graph: &RouteGraph,
    path: &[Edge],
) -> Option<Vec<Step>> {
    let p = |k| [PathSeg::Key("flow"), PathSeg::Index(i), PathSeg::Key(k)];
    let steps = match graph.steps(path) {
        Ok(s) => s,
        Err(e) => {
            let at = match (&f.route, &e) {
                (Some(_), RouteError::GaugeBreak { position, .. }) => vec![
                    PathSeg::Key("flow"),
                    PathSeg::Index(i),
                    PathSeg::Key("route"),
                    PathSeg::Index(*position),
                ],
                _ => p("id").to_vec(),
            };
            report_route_error(c, &at, elem, e);
            return None;
        }
    };
    for step in &steps {
        if let Step::Crossing { crossing, .. } = *step {
            let x = &net.crossings[crossing as usize];
            if let Some(y) = x.yard_capacity_teu.filter(|&y| f.unit_teu > y) {
                c.err(&p("unit_teu"), format!("unit_teu = {} in {elem}: its route passes crossing \"{}\", whose yard holds only {y} TEU, so these vehicles could never enter", f.unit_teu, x.id));
                return None;
            }
        }
        if let Step::Crossing {
            crossing,
            change_gauge: true,
        } = *step
        {
            let x = &net.crossings[crossing as usize];
            let per_teu = x.gauge_change.map_or(0.0, |g| g.hours_per_teu);
            if !c.duration(
                &p("unit_teu"),
                elem,
                &format!("the gauge change of one vehicle at crossing \"{}\"", x.id),
                per_teu * f.unit_teu,
            ) {
                return None;
            }
        }
    }
    for e in path {
        if let Edge::Ferry(x, _) = *e {
            let fe = &net.ferries[x as usize];
            let room = fe
                .capacity_teu
                .min(fe.port_yard_capacity_teu.unwrap_or(f64::INFINITY));
            if f.unit_teu > room {
                c.err(&p("unit_teu"), format!("unit_teu = {} in {elem}: its route takes ferry \"{}\", whose vessels or port yards hold only {room} TEU, so these vehicles could never board", f.unit_teu, fe.id));
                return None;
            }
        }
    }
    Some(steps)
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
