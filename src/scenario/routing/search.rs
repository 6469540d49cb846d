//! Searches over a route graph: the fastest path (Dijkstra over node and gauge arrived
//! on), and the k fastest loopless paths (Yen's algorithm), whose spur searches are guided
//! towards the destination (A*) and share their storage.

use super::{Edge, RouteGraph};
use crate::model::{Mode, NodeIx};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

impl RouteGraph<'_> {
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
    pub(super) fn k_fastest_guided(
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
