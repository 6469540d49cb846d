//! Route choice: the fastest path of a flow over the network, and the steps (segments and
//! crossings) a vehicle takes along a given sequence of nodes.
//!
//! "Fastest" is the free-flow time: running time on segments plus the mean service time at
//! the crossings passed and the gauge change where the gauge changes. A rail path may change
//! gauge only at a node with a rail crossing that has a gauge change.

use crate::model::{
    Cargo, Crossing, CrossingIx, Departure, Ferry, FerryIx, Link, LinkIx, Mode, NodeIx, Step,
};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One way of leaving a node: over a segment or on a ferry line, forward or backward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// A rail or road segment.
    Link(LinkIx, bool),
    /// A ferry line.
    Ferry(FerryIx, bool),
}

/// The network seen by route choice for one mode.
pub struct RouteGraph<'a> {
    links: &'a [Link],
    ferries: &'a [Ferry],
    crossings: &'a [Crossing],
    mode: Mode,
    /// What the vehicles routed carry (which gauge change they take).
    cargo: Cargo,
    /// For each node, the edges leaving it for this mode (ferries carry every mode).
    adjacency: Vec<Vec<Edge>>,
    /// For each node, the crossing of this mode there.
    crossing_at: Vec<Option<CrossingIx>>,
    /// The gauges of the segments, in increasing order: a search's state is a node and
    /// the index in this list (plus one; 0 for none yet) of the gauge arrived on.
    gauges: Vec<u32>,
}

/// Why a sequence of nodes is not a usable route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// No segment of the mode joins these two consecutive nodes (indices into the route).
    NoSegment {
        /// Position in the route of the first of the two nodes.
        position: usize,
    },
    /// The gauge changes at this node and it has no rail crossing with a gauge change.
    GaugeBreak {
        /// Position in the route of the node.
        position: usize,
        /// Gauge arriving, mm.
        from_mm: u32,
        /// Gauge leaving, mm.
        to_mm: u32,
    },
}

impl<'a> RouteGraph<'a> {
    /// The graph of `mode` over `node_count` nodes, for vehicles carrying `cargo`.
    pub fn new(
        node_count: usize,
        links: &'a [Link],
        ferries: &'a [Ferry],
        crossings: &'a [Crossing],
        (mode, cargo): (Mode, Cargo),
    ) -> Self {
        let mut adjacency = vec![Vec::new(); node_count];
        for (i, l) in links.iter().enumerate() {
            if l.mode == mode {
                adjacency[l.from as usize].push(Edge::Link(i as LinkIx, true));
                adjacency[l.to as usize].push(Edge::Link(i as LinkIx, false));
            }
        }
        for (i, f) in ferries.iter().enumerate() {
            adjacency[f.ports[0] as usize].push(Edge::Ferry(i as FerryIx, true));
            adjacency[f.ports[1] as usize].push(Edge::Ferry(i as FerryIx, false));
        }
        let mut crossing_at = vec![None; node_count];
        for (i, c) in crossings.iter().enumerate() {
            if c.mode == mode {
                crossing_at[c.node as usize] = Some(i as CrossingIx);
            }
        }
        let mut gauges: Vec<u32> = links.iter().filter_map(|l| l.gauge_mm).collect();
        gauges.sort_unstable();
        gauges.dedup();
        RouteGraph {
            links,
            ferries,
            crossings,
            mode,
            cargo,
            adjacency,
            crossing_at,
            gauges,
        }
    }

    /// The node an edge leads to.
    pub fn far_end(&self, edge: Edge) -> NodeIx {
        match edge {
            Edge::Link(l, fwd) => {
                let l = &self.links[l as usize];
                if fwd {
                    l.to
                } else {
                    l.from
                }
            }
            Edge::Ferry(f, fwd) => self.ferries[f as usize].ports[usize::from(fwd)],
        }
    }

    /// Free-flow hours over an edge: running time, or berth and sailing time plus half the
    /// interval between scheduled sailings.
    fn edge_hours(&self, edge: Edge) -> f64 {
        match edge {
            Edge::Link(l, _) => self.links[l as usize].run_time.as_hours(),
            Edge::Ferry(f, _) => {
                let f = &self.ferries[f as usize];
                let wait = match f.departure {
                    Departure::Schedule { every } => 0.5 * every.as_hours(),
                    Departure::WhenFull { max_wait } => {
                        0.5 * max_wait.map_or(0.0, |d| d.as_hours())
                    }
                };
                f.load.as_hours() + f.sail.as_hours() + wait
            }
        }
    }

    /// The gauge of an edge: a rail segment's own; `None` for roads and ferries, which
    /// keep whatever gauge the train had.
    fn edge_gauge(&self, edge: Edge) -> Option<u32> {
        match edge {
            Edge::Link(l, _) => self.links[l as usize].gauge_mm,
            Edge::Ferry(..) => None,
        }
    }

    fn can_change_gauge(&self, node: NodeIx) -> bool {
        self.crossing_at[node as usize]
            .is_some_and(|c| self.crossings[c as usize].gauge_change.is_some())
    }

    /// Expected hours spent at the crossing at `node`, if any, by a vehicle of `unit_teu`
    /// (carrying the graph's cargo) coming from node `from`.
    fn crossing_hours(&self, node: NodeIx, from: NodeIx, change_gauge: bool, unit_teu: f64) -> f64 {
        let Some(c) = self.crossing_at[node as usize] else {
            return 0.0;
        };
        let c = &self.crossings[c as usize];
        let mut h = c.mean_controls_h(from);
        if change_gauge {
            h += c.mean_gauge_change_h(unit_teu, self.cargo);
        }
        h
    }

    /// The node an edge leaves from.
    fn near_end(&self, edge: Edge) -> NodeIx {
        match edge {
            Edge::Link(l, forward) => {
                let l = &self.links[l as usize];
                if forward {
                    l.from
                } else {
                    l.to
                }
            }
            Edge::Ferry(f, forward) => self.ferries[f as usize].ports[usize::from(!forward)],
        }
    }

    /// The fastest path from `from` to `to` as edges, or `None` when the destination
    /// cannot be reached.
    pub fn fastest(&self, from: NodeIx, to: NodeIx, unit_teu: f64) -> Option<Vec<Edge>> {
        self.search(
            from,
            to,
            unit_teu,
            &Spur::default(),
            &mut Scratch::default(),
        )
    }

    /// The fastest path from `from` to `to` for a train that starts on `gauge` and may not
    /// change it except at a crossing of this graph that changes gauge: on a graph built
    /// without crossings, the fastest path over segments of that gauge alone.
    pub fn fastest_on_gauge(&self, from: NodeIx, to: NodeIx, gauge: u32) -> Option<Vec<Edge>> {
        let spur = Spur {
            gauge: Some(gauge),
            ..Spur::default()
        };
        self.search(from, to, 0.0, &spur, &mut Scratch::default())
    }

    /// Up to `k` fastest loopless paths from `from` to `to`, fastest first (Yen's
    /// algorithm over the gauge-aware search).
    pub fn k_fastest(&self, from: NodeIx, to: NodeIx, unit_teu: f64, k: usize) -> Vec<Vec<Edge>> {
        self.k_fastest_guided(from, to, unit_teu, k, true)
    }

    /// [`RouteGraph::k_fastest`], its searches guided towards `to` (A*) or not (Dijkstra):
    /// the same paths but among paths equally fast, which the searches' order decides.
    fn k_fastest_guided(
        &self,
        from: NodeIx,
        to: NodeIx,
        unit_teu: f64,
        k: usize,
        guided: bool,
    ) -> Vec<Vec<Edge>> {
        let mut scratch = Scratch::default();
        if guided {
            self.hours_to(to, &mut scratch);
        }
        let Some(first) = self.search(from, to, unit_teu, &Spur::default(), &mut scratch) else {
            return Vec::new();
        };
        let mut found = vec![first];
        let mut candidates: Vec<(f64, Vec<Edge>)> = Vec::new();
        while found.len() < k {
            let last = found[found.len() - 1].clone();
            let nodes = self.path_nodes(from, &last);
            for i in 0..last.len() {
                // A search over a large network takes a while: stop when asked (the load
                // then fails, saying so).
                if crate::kernel::interrupted() {
                    return found;
                }
                let root = &last[..i];
                let banned_edges: Vec<Edge> = found
                    .iter()
                    .filter(|p| p.len() > i && p[..i] == *root)
                    .map(|p| p[i])
                    .collect();
                let spur = Spur {
                    origin: Some(from),
                    start: Some(nodes[i]),
                    gauge: root.iter().rev().find_map(|&e| self.edge_gauge(e)),
                    came_from: root.last().map(|&e| self.near_end(e)),
                    banned_nodes: nodes[..i].to_vec(),
                    banned_edges,
                };
                let Some(tail) = self.search(nodes[i], to, unit_teu, &spur, &mut scratch) else {
                    continue;
                };
                let path: Vec<Edge> = root.iter().chain(tail.iter()).copied().collect();
                if self.steps(&path).is_err()
                    || found.contains(&path)
                    || candidates.iter().any(|(_, p)| *p == path)
                {
                    continue;
                }
                let cost = self.path_hours(from, &path, unit_teu);
                candidates.push((cost, path));
            }
            let Some(best) = candidates
                .iter()
                .enumerate()
                .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
                .map(|(ix, _)| ix)
            else {
                break;
            };
            found.push(candidates.swap_remove(best).1);
        }
        found
    }

    /// The nodes a path visits, `from` first.
    pub fn path_nodes(&self, from: NodeIx, path: &[Edge]) -> Vec<NodeIx> {
        std::iter::once(from)
            .chain(path.iter().map(|&e| self.far_end(e)))
            .collect()
    }

    /// Free-flow hours of a path: edges, crossings passed and gauge changes.
    pub fn path_hours(&self, from: NodeIx, path: &[Edge], unit_teu: f64) -> f64 {
        let mut hours = 0.0;
        let mut gauge: Option<u32> = None;
        let mut node = from;
        for (i, &e) in path.iter().enumerate() {
            let g = self.edge_gauge(e);
            let change =
                self.mode == Mode::Rail && matches!((gauge, g), (Some(a), Some(b)) if a != b);
            if i > 0 {
                hours += self.crossing_hours(node, self.near_end(path[i - 1]), change, unit_teu);
            }
            if g.is_some() {
                gauge = g;
            }
            hours += self.edge_hours(e);
            node = self.far_end(e);
        }
        hours
    }

    /// Puts in `scratch` the least running hours from each node to `to`, crossings and
    /// gauges left out (edges cost the same both ways, so a search from `to` finds them):
    /// a lower bound of any path's hours, which guides the searches that follow (A*) to
    /// where the path can be. A node that cannot reach `to` gets infinity.
    fn hours_to(&self, to: NodeIx, scratch: &mut Scratch) {
        let mut hours = vec![f64::INFINITY; self.adjacency.len()];
        let mut heap = BinaryHeap::new();
        hours[to as usize] = 0.0;
        heap.push(Candidate {
            key: 0.0,
            cost: 0.0,
            state: to as usize,
        });
        while let Some(Candidate { cost, state, .. }) = heap.pop() {
            if cost > hours[state] {
                continue;
            }
            for &edge in &self.adjacency[state] {
                let far = self.far_end(edge) as usize;
                let c = cost + self.edge_hours(edge);
                if c < hours[far] {
                    hours[far] = c;
                    heap.push(Candidate {
                        key: c,
                        cost: c,
                        state: far,
                    });
                }
            }
        }
        scratch.hours_to = hours;
    }

    /// Dijkstra over (node, gauge arrived on), with the restrictions of a spur search, in
    /// `scratch`'s storage (reused from one search to the next: a spur search of Yen's
    /// algorithm touches a small part of a large network); an A* search when the scratch
    /// holds the hours from each node to `to` (see [`RouteGraph::hours_to`]).
    fn search(
        &self,
        from: NodeIx,
        to: NodeIx,
        unit_teu: f64,
        spur: &Spur,
        scratch: &mut Scratch,
    ) -> Option<Vec<Edge>> {
        // State: (node, index of the gauge arrived on; 0 = none yet). Gauges are few, so
        // the state space is small.
        let gauges = &self.gauges;
        let g_count = gauges.len() + 1;
        let g_index = |g: Option<u32>| g.map_or(0, |g| 1 + gauges.binary_search(&g).unwrap_or(0));
        let origin = spur.origin.unwrap_or(from);
        let n = self.adjacency.len();
        scratch.begin(n, g_count);
        for &node in &spur.banned_nodes {
            scratch.ban(node);
        }
        let start_node = spur.start.unwrap_or(from);
        let start = start_node as usize * g_count + g_index(spur.gauge);
        scratch.improve(start, 0.0, None);
        scratch.heap.push(Candidate {
            key: scratch.ahead(start_node),
            cost: 0.0,
            state: start,
        });
        let mut goal = None;
        while let Some(Candidate { cost, state, .. }) = scratch.heap.pop() {
            if cost > scratch.best(state) {
                continue;
            }
            let node = (state / g_count) as NodeIx;
            let g_in = state % g_count;
            if node == to {
                goal = Some(state);
                break;
            }
            // The crossing's stages depend on the side a train comes from: here, the
            // side of the best path found to this state.
            let came_from = match scratch.prev(state) {
                Some((_, came_by)) => Some(self.near_end(came_by)),
                None => spur.came_from,
            };
            for &edge in &self.adjacency[node as usize] {
                let far = self.far_end(edge);
                if scratch.banned(far) || spur.banned_edges.contains(&edge) {
                    continue;
                }
                let g_out = match self.edge_gauge(edge) {
                    None => g_in,
                    g => g_index(g),
                };
                let change = self.mode == Mode::Rail && g_in != 0 && g_out != g_in;
                if change && !self.can_change_gauge(node) {
                    continue;
                }
                let at_node = match came_from {
                    Some(came_from) if node != origin => {
                        self.crossing_hours(node, came_from, change, unit_teu)
                    }
                    _ => 0.0,
                };
                let next = far as usize * g_count + g_out;
                let c = cost + at_node + self.edge_hours(edge);
                let ahead = scratch.ahead(far);
                if c < scratch.best(next) && ahead < f64::INFINITY {
                    scratch.improve(next, c, Some((state, edge)));
                    scratch.heap.push(Candidate {
                        key: c + ahead,
                        cost: c,
                        state: next,
                    });
                }
            }
        }
        scratch.heap.clear();
        let mut state = goal?;
        let mut path = Vec::new();
        while let Some((p, edge)) = scratch.prev(state) {
            path.push(edge);
            state = p;
        }
        path.reverse();
        Some(path)
    }

    /// The edges along an explicit sequence of nodes: between each pair a segment of the
    /// mode, or a ferry line, joining them, chosen so that the whole route is the fastest
    /// one a train can take without an impossible change of gauge. When no choice avoids
    /// one, the fastest edges are returned and [`RouteGraph::steps`] reports the break.
    pub fn along(&self, nodes: &[NodeIx]) -> Result<Vec<Edge>, RouteError> {
        // Dynamic programming over (position, gauge arrived on): best hours and the edges.
        let mut layer: Vec<(Option<u32>, f64, Vec<Edge>)> = vec![(None, 0.0, Vec::new())];
        for (position, pair) in nodes.windows(2).enumerate() {
            let candidates: Vec<Edge> = self.adjacency[pair[0] as usize]
                .iter()
                .copied()
                .filter(|&e| self.far_end(e) == pair[1])
                .collect();
            if candidates.is_empty() {
                return Err(RouteError::NoSegment { position });
            }
            let mut next: Vec<(Option<u32>, f64, Vec<Edge>)> = Vec::new();
            for (gauge, hours, path) in &layer {
                for &e in &candidates {
                    let g = self.edge_gauge(e);
                    let ok = match (gauge, g) {
                        (Some(a), Some(b)) => *a == b || self.can_change_gauge(pair[0]),
                        _ => true,
                    };
                    if !ok {
                        continue;
                    }
                    let g_after = g.or(*gauge);
                    let h = hours + self.edge_hours(e);
                    match next.iter_mut().find(|(ng, ..)| *ng == g_after) {
                        Some(slot) if slot.1 <= h => {}
                        Some(slot) => {
                            slot.1 = h;
                            slot.2 = path.iter().copied().chain([e]).collect();
                        }
                        None => next.push((g_after, h, path.iter().copied().chain([e]).collect())),
                    }
                }
            }
            if next.is_empty() {
                // Every choice breaks gauge: fall back to the fastest edges, for the error.
                let fastest =
                    |a: &&Edge, b: &&Edge| self.edge_hours(**a).total_cmp(&self.edge_hours(**b));
                return Ok(nodes
                    .windows(2)
                    .filter_map(|p| {
                        self.adjacency[p[0] as usize]
                            .iter()
                            .filter(|&&e| self.far_end(e) == p[1])
                            .min_by(fastest)
                            .copied()
                    })
                    .collect());
            }
            layer = next;
        }
        let best = layer
            .into_iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(_, _, path)| path)
            .unwrap_or_default();
        Ok(best)
    }

    /// The steps a vehicle takes along `path` (from [`RouteGraph::fastest`] or
    /// [`RouteGraph::along`]): each segment or ferry, and each crossing of this mode at the
    /// nodes passed on the way (not at the origin or the destination). A train changes gauge
    /// where it next runs on a gauge other than the last one it ran on.
    pub fn steps(&self, path: &[Edge]) -> Result<Vec<Step>, RouteError> {
        let mut steps = Vec::with_capacity(path.len() * 2);
        let mut gauge: Option<u32> = None;
        for (i, &edge) in path.iter().enumerate() {
            let g_out = self.edge_gauge(edge);
            let change =
                self.mode == Mode::Rail && matches!((gauge, g_out), (Some(a), Some(b)) if a != b);
            if i > 0 {
                let node = self.far_end(path[i - 1]);
                if change && !self.can_change_gauge(node) {
                    return Err(RouteError::GaugeBreak {
                        position: i,
                        from_mm: gauge.unwrap_or(0),
                        to_mm: g_out.unwrap_or(0),
                    });
                }
                if let Some(crossing) = self.crossing_at[node as usize] {
                    steps.push(Step::Crossing {
                        crossing,
                        change_gauge: change,
                    });
                }
            }
            if g_out.is_some() {
                gauge = g_out;
            }
            steps.push(match edge {
                Edge::Link(link, forward) => Step::Link { link, forward },
                Edge::Ferry(ferry, forward) => Step::Ferry { ferry, forward },
            });
        }
        Ok(steps)
    }
}

/// Restrictions of a search: where it starts in the middle of a route (Yen's spur), with
/// which gauge, and which nodes and edges it may not use.
#[derive(Default)]
struct Spur {
    /// The route's origin, where no crossing is passed (default: the search's start).
    origin: Option<NodeIx>,
    /// Where the search starts (default: its `from`).
    start: Option<NodeIx>,
    /// The gauge the train is on at the start.
    gauge: Option<u32>,
    /// The node the train reached the start from, when the start is not the origin.
    came_from: Option<NodeIx>,
    banned_nodes: Vec<NodeIx>,
    banned_edges: Vec<Edge>,
}

/// The storage of searches over one graph: per state the best cost found and the way in,
/// and per node whether it is banned, each valid only where stamped with the number of the
/// current search, so that a search costs what it touches, not the size of the network.
#[derive(Default)]
struct Scratch {
    /// The current search's number.
    search: u32,
    /// Per state: the search that last set it, its best cost then, and the state and edge
    /// it was reached by.
    stamp: Vec<u32>,
    best: Vec<f64>,
    prev: Vec<Option<(usize, Edge)>>,
    /// Per node: the search that banned it.
    banned: Vec<u32>,
    heap: BinaryHeap<Candidate>,
    /// Per node, a lower bound of the hours from it to the searches' destination, when
    /// known (empty otherwise: the searches are then plain Dijkstra).
    hours_to: Vec<f64>,
}

impl Scratch {
    /// Starts a search over `nodes` nodes of `gauges` states each: nothing found, nothing
    /// banned.
    fn begin(&mut self, nodes: usize, gauges: usize) {
        let states = nodes * gauges;
        if self.stamp.len() != states || self.banned.len() != nodes || self.search == u32::MAX {
            self.stamp = vec![0; states];
            self.best = vec![f64::INFINITY; states];
            self.prev = vec![None; states];
            self.banned = vec![0; nodes];
            self.search = 0;
        }
        self.search += 1;
        self.heap.clear();
    }

    /// The best cost found to `state` in this search.
    #[inline]
    fn best(&self, state: usize) -> f64 {
        if self.stamp[state] == self.search {
            self.best[state]
        } else {
            f64::INFINITY
        }
    }

    /// The state and edge `state` was best reached by in this search.
    #[inline]
    fn prev(&self, state: usize) -> Option<(usize, Edge)> {
        if self.stamp[state] == self.search {
            self.prev[state]
        } else {
            None
        }
    }

    /// Records a better way to `state`.
    #[inline]
    fn improve(&mut self, state: usize, cost: f64, prev: Option<(usize, Edge)>) {
        self.stamp[state] = self.search;
        self.best[state] = cost;
        self.prev[state] = prev;
    }

    /// The lower bound of the hours from `node` to the destination (0 when none is known).
    #[inline]
    fn ahead(&self, node: NodeIx) -> f64 {
        self.hours_to.get(node as usize).copied().unwrap_or(0.0)
    }

    /// Bans `node` for this search.
    fn ban(&mut self, node: NodeIx) {
        self.banned[node as usize] = self.search;
    }

    /// True when `node` is banned in this search.
    #[inline]
    fn banned(&self, node: NodeIx) -> bool {
        self.banned[node as usize] == self.search
    }
}

/// A state in a search's heap: its cost so far and the key it is ordered by (the cost
/// plus the lower bound of the hours still to go, in an A* search).
#[derive(PartialEq)]
struct Candidate {
    key: f64,
    cost: f64,
    state: usize,
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    // Reversed for a min-heap; ties broken by state index so that the path is deterministic.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .key
            .total_cmp(&self.key)
            .then_with(|| other.state.cmp(&self.state))
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::load_str;
    use std::path::Path;

    #[test]
    fn an_explicit_route_takes_the_parallel_segment_of_the_right_gauge() {
        // a-x has a fast standard-gauge track and a slower broad-gauge one; x-b is broad
        // gauge and x has no gauge change, so the route must use the broad-gauge a-x.
        let src = r#"
[scenario]
name = "parallel gauges"
horizon_days = 10
[[node]]
id = "a"
kind = "terminal"
[[node]]
id = "x"
kind = "junction"
[[node]]
id = "b"
kind = "terminal"
[[rail]]
id = "ax-standard"
from = "a"
to = "x"
length_km = 80
speed_kmh = 80
tracks = 2
headway_min = 10
gauge_mm = 1435
[[rail]]
id = "ax-broad"
from = "a"
to = "x"
length_km = 80
speed_kmh = 60
tracks = 2
headway_min = 10
gauge_mm = 1520
[[rail]]
id = "xb"
from = "x"
to = "b"
length_km = 50
speed_kmh = 60
tracks = 2
headway_min = 10
gauge_mm = 1520
[[flow]]
id = "f"
from = "a"
to = "b"
mode = "rail"
teu_per_year = 1000
unit_teu = 50
route = ["a", "x", "b"]
"#;
        let m = load_str(Path::new("parallel.toml"), src)
            .unwrap_or_else(|e| panic!("{e}"))
            .model;
        let first = match m.flows[0].routes[0].steps[0] {
            crate::model::Step::Link { link, .. } => &m.links[link as usize].id,
            other => panic!("{other:?}"),
        };
        assert_eq!(first, "ax-broad");
    }

    /// A road grid of `n` x `n` nodes, with a road crossing at every fifth node, whose
    /// roads' lengths come from `km(x, y, across)`.
    fn grid(n: usize, km: impl Fn(usize, usize, bool) -> f64) -> crate::model::Model {
        let mut s = String::from("[scenario]\nname = \"grid\"\nhorizon_days = 10\n");
        for y in 0..n {
            for x in 0..n {
                let kind = if (x + y * n) % 5 == 2 {
                    "crossing"
                } else {
                    "terminal"
                };
                s += &format!("[[node]]\nid = \"n{x}_{y}\"\nkind = \"{kind}\"\n");
                if kind == "crossing" {
                    s += &format!(
                        "[[crossing]]\nid = \"c{x}_{y}\"\nnode = \"n{x}_{y}\"\nmode = \"road\"\n[[crossing.stage]]\nname = \"control\"\nservers = 2\nservice_h = {}\n",
                        0.1 + 0.01 * ((x * 3 + y * 5) % 7) as f64
                    );
                }
            }
        }
        for y in 0..n {
            for x in 0..n {
                if x + 1 < n {
                    s += &format!("[[road]]\nid = \"h{x}_{y}\"\nfrom = \"n{x}_{y}\"\nto = \"n{}_{y}\"\nlength_km = {}\nspeed_kmh = 50\n", x + 1, km(x, y, true));
                }
                if y + 1 < n {
                    s += &format!("[[road]]\nid = \"v{x}_{y}\"\nfrom = \"n{x}_{y}\"\nto = \"n{x}_{}\"\nlength_km = {}\nspeed_kmh = 50\n", y + 1, km(x, y, false));
                }
            }
        }
        s += &format!("[[flow]]\nid = \"f\"\nfrom = \"n0_0\"\nto = \"n{0}_{0}\"\nmode = \"road\"\nteu_per_year = 100\nunit_teu = 2\n", n - 1);
        load_str(Path::new("grid.toml"), &s)
            .unwrap_or_else(|e| panic!("{e}"))
            .model
    }

    /// Paths with their free-flow hours.
    type Timed = Vec<(f64, Vec<super::Edge>)>;

    /// The k fastest paths between pairs of nodes of `m`, by searches guided (A*) and not.
    fn both_ways(m: &crate::model::Model, pairs: &[(u32, u32)]) -> Vec<[Timed; 2]> {
        use crate::model::{Cargo, Mode};
        let g = super::RouteGraph::new(
            m.nodes.len(),
            &m.links,
            &m.ferries,
            &m.crossings,
            (Mode::Road, Cargo::Containers),
        );
        pairs
            .iter()
            .map(|&(a, b)| {
                [true, false].map(|guided| {
                    (g.k_fastest_guided(a, b, 2.0, 4, guided).into_iter())
                        .map(|p| (g.path_hours(a, &p, 2.0), p))
                        .collect()
                })
            })
            .collect()
    }

    const PAIRS: [(u32, u32); 5] = [(0, 143), (12, 131), (5, 70), (100, 3), (77, 78)];

    #[test]
    fn guided_searches_find_the_k_fastest_paths_plain_ones_find() {
        // Lengths all different: no two paths take the same time.
        let m = grid(12, |x, y, across| {
            10.0 + ((x * 7919 + y * 104_729 + usize::from(across) * 31) % 997) as f64 / 100.0
        });
        for [guided, plain] in both_ways(&m, &PAIRS) {
            assert_eq!(guided.len(), 4);
            assert_eq!(guided, plain);
        }
    }

    #[test]
    fn among_equally_fast_paths_guided_searches_find_paths_as_fast() {
        // Whole kilometres on a grid: many paths take the same time.
        let m = grid(12, |x, y, across| {
            (10 + (x * 7 + y * 13 + usize::from(across)) % 5) as f64
        });
        for [guided, plain] in both_ways(&m, &PAIRS) {
            assert_eq!(guided.len(), plain.len());
            for ((a, _), (b, _)) in guided.iter().zip(&plain) {
                assert!((a - b).abs() < 1e-9 * b, "{a} h against {b} h");
            }
        }
    }
}
