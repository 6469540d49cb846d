//! `[[fleet]]`: the wagons and locomotives of a gauge region, and the legs of the routes
//! they run, their depots and the ways empty stock runs between them.

use super::{Checker, Network};
use crate::kernel::Duration;
use crate::model::{
    Cargo, CrossingIx, EmptyRoute, Fleet, FleetIx, Flow, Leg, Link, Mode, NodeIx, ReformPool,
    Route, Step,
};
use crate::scenario::limits::{MAX_FLEET_LOCOMOTIVES, MAX_FLEET_WAGONS};
use crate::scenario::raw::{RawFleet, RawHome};
use crate::scenario::routing::{Edge, RouteGraph};
use crate::scenario::PathSeg;
use std::collections::{HashMap, HashSet};

/// TEU on one wagon when a fleet does not say: a 40-foot flat wagon with two TEU.
const DEFAULT_TEU_PER_WAGON: f64 = 2.0;

/// A fleet as checked before the flows are known: what the file says of it.
pub(super) struct FleetDraft {
    i: usize,
    id: String,
    gauge_mm: u32,
    wagons: u32,
    teu_per_wagon: f64,
    locomotives: u32,
    max_wagons_per_train: Option<u32>,
    turnaround: Duration,
    /// Wagons based at each home, in file order.
    homes: Vec<(NodeIx, u32)>,
}

/// Checks every `[[fleet]]` against the network; returns those that are sound.
pub(super) fn check_fleets(
    c: &mut Checker,
    raw: &[RawFleet],
    node_ix: &HashMap<&str, NodeIx>,
    net: &Network,
) -> Vec<FleetDraft> {
    let mut seen = HashSet::new();
    let mut gauges: HashMap<u32, &str> = HashMap::new();
    let mut out = Vec::new();
    for (i, f) in raw.iter().enumerate() {
        let p = |k| [PathSeg::Key("fleet"), PathSeg::Index(i), PathSeg::Key(k)];
        c.unique_id(&mut seen, "fleet", &f.id, &p("id"));
        let elem = format!("fleet \"{}\"", f.id);
        let gauge = check_gauge(c, &p, &elem, f, net);
        if let Some(g) = gauge {
            if let Some(other) = gauges.insert(g, &f.id) {
                c.err(&p("gauge_mm"), format!("gauge_mm = {g} in {elem}: fleet \"{other}\" already serves {g} mm; one fleet per gauge"));
            }
        }
        let count = |c: &mut Checker, key: &'static str, v: i64, max: u32| {
            c.count(&p(key), &elem, key, v, max)
        };
        let wagons = count(c, "wagons", f.wagons, MAX_FLEET_WAGONS);
        let locomotives = count(c, "locomotives", f.locomotives, MAX_FLEET_LOCOMOTIVES);
        let max_wagons = match f.max_wagons_per_train {
            None => Some(None),
            Some(n) => count(c, "max_wagons_per_train", n, MAX_FLEET_WAGONS).map(Some),
        };
        let teu_per_wagon = f.teu_per_wagon.unwrap_or(DEFAULT_TEU_PER_WAGON);
        let teu_ok = c.number(
            &p("teu_per_wagon"),
            &elem,
            "teu_per_wagon",
            teu_per_wagon,
            0.0,
            false,
        );
        let turnaround_h = f.turnaround_h.unwrap_or(0.0);
        let turnaround_ok = c.hours(
            &p("turnaround_h"),
            &elem,
            "turnaround_h",
            turnaround_h,
            true,
        );
        let homes = check_homes(c, i, &elem, f, wagons, node_ix, (gauge, net));
        if let (
            Some(gauge_mm),
            Some(wagons),
            Some(locomotives),
            Some(max_wagons_per_train),
            Some(homes),
            true,
            true,
        ) = (
            gauge,
            wagons,
            locomotives,
            max_wagons,
            homes,
            teu_ok,
            turnaround_ok,
        ) {
            out.push(FleetDraft {
                i,
                id: f.id.clone(),
                gauge_mm,
                wagons,
                teu_per_wagon,
                locomotives,
                max_wagons_per_train,
                turnaround: Duration::from_hours(turnaround_h),
                homes,
            });
        }
    }
    out
}

/// The gauge of a fleet, which some rail segment must have.
fn check_gauge(
    c: &mut Checker,
    p: &dyn Fn(&'static str) -> [PathSeg<'static>; 3],
    elem: &str,
    f: &RawFleet,
    net: &Network,
) -> Option<u32> {
    let mut gauges: Vec<u32> = net.links.iter().filter_map(|l| l.gauge_mm).collect();
    gauges.sort_unstable();
    gauges.dedup();
    match u32::try_from(f.gauge_mm) {
        Ok(g) if gauges.contains(&g) => Some(g),
        // The gauge may be that of a segment that failed its own checks.
        _ if !net.ways_whole => None,
        _ => {
            let listing: Vec<String> = gauges.iter().map(u32::to_string).collect();
            c.err(&p("gauge_mm"), format!("gauge_mm = {} in {elem}: no rail segment has this gauge (the scenario's gauges: {})", f.gauge_mm, if listing.is_empty() { "none".into() } else { listing.join(", ") }));
            None
        }
    }
}

/// The homes of fleet number `i` and the wagons based at each: one node with all of
/// them, or a table whose counts add up to `wagons`. Each home is on a segment of the
/// fleet's gauge.
fn check_homes(
    c: &mut Checker,
    i: usize,
    elem: &str,
    f: &RawFleet,
    wagons: Option<u32>,
    node_ix: &HashMap<&str, NodeIx>,
    (gauge, net): (Option<u32>, &Network),
) -> Option<Vec<(NodeIx, u32)>> {
    let p = [
        PathSeg::Key("fleet"),
        PathSeg::Index(i),
        PathSeg::Key("home"),
    ];
    let on_gauge = |n: NodeIx| {
        net.links
            .iter()
            .any(|l| l.gauge_mm == gauge && (l.from == n || l.to == n))
    };
    let mut homes = Vec::new();
    let mut ok = true;
    let given: Vec<(&str, Option<i64>)> = match &f.home {
        RawHome::Node(n) => vec![(n.as_str(), None)],
        RawHome::PerNode(per) => per.iter().map(|(n, k)| (n.as_str(), Some(*k))).collect(),
    };
    if given.is_empty() {
        c.err(&p, format!("home = {{}} in {elem}: give the node where its stock starts, or wagons by node such as {{ dostyk = 5000, brest = 2000 }}"));
        return None;
    }
    for (name, count) in &given {
        let Some(n) = c.node_ref(&p, elem, "home", name, node_ix) else {
            ok = false;
            continue;
        };
        // A segment that failed its own checks may be the one that reaches it.
        if gauge.is_some() && net.ways_whole && !on_gauge(n) {
            c.err(&p, format!("home \"{name}\" in {elem}: no rail segment of {} mm reaches this node, so the fleet's stock could never leave it", gauge.unwrap_or(0)));
            ok = false;
        }
        match (count, wagons) {
            (None, Some(w)) => homes.push((n, w)),
            (Some(k), _) if *k < 0 || *k > i64::from(MAX_FLEET_WAGONS) => {
                c.err(&p, format!("home.{name} = {k} in {elem}: a count of wagons from 0 to {MAX_FLEET_WAGONS}"));
                ok = false;
            }
            (Some(k), _) => homes.push((n, *k as u32)),
            (None, None) => {}
        }
    }
    // A table's counts share the wagons out in proportion (counts that add up to `wagons`
    // place exactly those), so that `wagons` alone can be changed or swept.
    if let (Some(w), RawHome::PerNode(_), true) = (wagons, &f.home, ok) {
        let weights: Vec<u32> = homes.iter().map(|&(_, k)| k).collect();
        if weights.iter().all(|&k| k == 0) {
            c.err(&p, format!("home in {elem}: every count is 0; give the share of the wagons based at each node"));
            ok = false;
        } else {
            for (h, k) in homes.iter_mut().zip(share_out(w, &weights)) {
                h.1 = k;
            }
        }
    }
    (ok && wagons.is_some()).then_some(homes)
}

/// Cuts every route of the container trains into legs at its gauge changes, gives each
/// leg the fleet of its gauge, and builds the fleets: their depots (homes and the ends of
/// the legs they run) and the empty routes between depots.
pub(super) fn attach_fleets(
    c: &mut Checker,
    drafts: Vec<FleetDraft>,
    flows: &mut [Flow],
    (net, pools): (&Network, &[ReformPool]),
) -> Vec<Fleet> {
    if drafts.is_empty() {
        return Vec::new();
    }
    let by_gauge: HashMap<u32, FleetIx> = drafts
        .iter()
        .enumerate()
        .map(|(k, d)| (d.gauge_mm, k as FleetIx))
        .collect();
    let mut depots: Vec<Vec<NodeIx>> = drafts
        .iter()
        .map(|d| d.homes.iter().map(|&(n, _)| n).collect())
        .collect();
    let mut depot_of = |fleet: FleetIx, node: NodeIx| -> u32 {
        let list = &mut depots[fleet as usize];
        match list.iter().position(|&n| n == node) {
            Some(k) => k as u32,
            None => {
                list.push(node);
                (list.len() - 1) as u32
            }
        }
    };
    for f in flows.iter_mut() {
        if f.mode != Mode::Rail || f.cargo != Cargo::Containers {
            continue;
        }
        for r in 0..f.routes.len() {
            let spans = leg_spans(&f.routes[r], net.links);
            if !spans.iter().any(|s| by_gauge.contains_key(&s.gauge)) {
                continue;
            }
            let legs = spans
                .iter()
                .map(|s| match by_gauge.get(&s.gauge) {
                    Some(&fleet) => Leg {
                        fleet: Some(fleet),
                        from_depot: depot_of(fleet, s.from),
                        to_depot: depot_of(fleet, s.to),
                    },
                    None => Leg {
                        fleet: None,
                        from_depot: 0,
                        to_depot: 0,
                    },
                })
                .collect();
            f.routes[r].legs = legs;
        }
    }
    let mut fleets = Vec::with_capacity(drafts.len());
    for (k, d) in drafts.into_iter().enumerate() {
        let at = d.i;
        let p = |key| [PathSeg::Key("fleet"), PathSeg::Index(at), PathSeg::Key(key)];
        let elem = format!("fleet \"{}\"", d.id);
        let depots = std::mem::take(&mut depots[k]);
        let fleet = build_fleet(d, depots, net);
        let most = fleet
            .max_wagons_per_train
            .unwrap_or(fleet.wagons)
            .min(fleet.wagons);
        for f in flows.iter() {
            let heaviest = (f.routes.iter())
                .flat_map(|r| {
                    (r.legs.iter().enumerate())
                        .filter(|(_, l)| l.fleet == Some(k as FleetIx))
                        .map(|(i, _)| leg_teu(r, i as u32, f.unit_teu, pools))
                })
                .reduce(|a, b| if b.0 > a.0 { b } else { a });
            let Some((teu, formed_at)) = heaviest else {
                continue;
            };
            let need = fleet.wagons_for(teu);
            if need > most {
                let trains = match formed_at {
                    None => format!("trains of flow \"{}\"", f.id),
                    Some(x) => format!(
                        "trains of flow \"{}\" formed anew at crossing \"{}\" (train_teu)",
                        f.id, net.crossings[x as usize].id
                    ),
                };
                // At the key that binds: the longest train allowed, or the fleet's wagons.
                let binding = match fleet.max_wagons_per_train {
                    Some(m) if m < fleet.wagons => "max_wagons_per_train",
                    _ => "wagons",
                };
                c.err(&p(binding), format!("{elem}: {trains} carry {teu} TEU and need {need} wagons of {} TEU, but a train takes at most {most} (wagons, max_wagons_per_train), so they could never leave", fleet.teu_per_wagon));
            }
        }
        fleets.push(fleet);
    }
    fleets
}

/// The most TEU a train carries on leg `leg` of `route`: those of the trains formed anew
/// at the last crossing before it that forms them (and that crossing), else the flow's
/// `unit_teu`.
fn leg_teu(
    route: &Route,
    leg: u32,
    unit_teu: f64,
    pools: &[ReformPool],
) -> (f64, Option<CrossingIx>) {
    (route.reforms.iter())
        .rev()
        .map(|&(_, pool)| &pools[pool as usize])
        .find(|p| p.leg <= leg)
        .map_or((unit_teu, None), |p| (p.train_teu, Some(p.crossing)))
}

/// One leg of a route: its gauge and its end nodes.
struct Span {
    gauge: u32,
    from: NodeIx,
    to: NodeIx,
}

/// The legs of `route`: cut at each crossing where the train changes gauge and at each
/// ferry (the containers sail, the wagons stay: a leg ends at the port of departure and the
/// next starts at the port of arrival), each with the gauge of its rail segments.
fn leg_spans(route: &Route, links: &[Link]) -> Vec<Span> {
    let mut spans = Vec::new();
    // The route's nodes are its origin and the far end of each segment or ferry passed.
    let (mut passed, mut start) = (0, route.nodes[0]);
    let mut gauge: Option<u32> = None;
    let cut = |spans: &mut Vec<Span>, gauge: &mut Option<u32>, start: NodeIx, at: NodeIx| {
        spans.push(Span {
            gauge: gauge.take().unwrap_or(0),
            from: start,
            to: at,
        });
    };
    for step in &route.steps {
        let here = route.nodes[passed];
        match *step {
            Step::Link { link, .. } => {
                gauge = gauge.or(links[link as usize].gauge_mm);
                passed += 1;
            }
            Step::Ferry { .. } => {
                cut(&mut spans, &mut gauge, start, here);
                passed += 1;
                start = route.nodes[passed];
            }
            Step::Crossing {
                change_gauge: true, ..
            } => {
                cut(&mut spans, &mut gauge, start, here);
                start = here;
            }
            Step::Crossing { .. } => {}
        }
    }
    let end = route.nodes[passed];
    cut(&mut spans, &mut gauge, start, end);
    spans
}

/// Builds a fleet from its draft and its `depots` (homes first): the stock based at each
/// depot (locomotives shared out as the wagons are) and the empty routes between depots,
/// the fastest over the segments of the fleet's gauge (no ferry, no change of gauge).
fn build_fleet(d: FleetDraft, depots: Vec<NodeIx>, net: &Network) -> Fleet {
    let mut home_wagons = vec![0u32; depots.len()];
    for &(n, w) in &d.homes {
        if let Some(k) = depots.iter().position(|&x| x == n) {
            home_wagons[k] += w;
        }
    }
    let home_locomotives = share_out(d.locomotives, &home_wagons);
    let graph = RouteGraph::new(
        net.nodes.len(),
        net.links,
        &[],
        &[],
        (Mode::Rail, Cargo::Containers),
    );
    let empty_route = |a: NodeIx, b: NodeIx| -> Option<EmptyRoute> {
        if a == b {
            return None;
        }
        let path = graph.fastest_on_gauge(a, b, d.gauge_mm)?;
        let km = path
            .iter()
            .map(|e| match *e {
                Edge::Link(l, _) => net.links[l as usize].length_km,
                Edge::Ferry(..) => 0.0,
            })
            .sum();
        Some(EmptyRoute {
            hours: graph.path_hours(a, &path, 0.0),
            steps: graph.steps(&path).ok()?,
            km,
        })
    };
    let empty_routes = depots
        .iter()
        .flat_map(|&a| depots.iter().map(move |&b| (a, b)))
        .map(|(a, b)| empty_route(a, b))
        .collect();
    Fleet {
        id: d.id,
        gauge_mm: d.gauge_mm,
        wagons: d.wagons,
        teu_per_wagon: d.teu_per_wagon,
        locomotives: d.locomotives,
        max_wagons_per_train: d.max_wagons_per_train,
        turnaround: d.turnaround,
        depots,
        home_wagons,
        home_locomotives,
        empty_routes,
    }
}

/// `total` shared out in proportion to `weights` (largest remainders first, ties to the
/// earlier); all to the first when the weights are all zero.
fn share_out(total: u32, weights: &[u32]) -> Vec<u32> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let mut out = vec![0u32; weights.len()];
    if sum == 0 {
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let mut rest: Vec<(u64, usize)> = Vec::with_capacity(weights.len());
    let mut given = 0u32;
    for (k, &w) in weights.iter().enumerate() {
        let exact = u64::from(total) * u64::from(w);
        out[k] = (exact / sum) as u32;
        given += out[k];
        rest.push((exact % sum, k));
    }
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, k) in rest.iter().take((total - given) as usize) {
        out[k] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::share_out;

    #[test]
    fn locomotives_are_shared_out_as_the_wagons_are() {
        assert_eq!(share_out(10, &[700, 300]), [7, 3]);
        assert_eq!(share_out(10, &[1, 1, 1]), [4, 3, 3]);
        assert_eq!(share_out(5, &[0, 0]), [5, 0]);
        assert_eq!(share_out(3, &[2, 0, 1]), [2, 0, 1]);
    }
}
