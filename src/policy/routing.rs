//! Route choice: the fastest path of a flow over the network, and the steps (segments and
//! crossings) a vehicle takes along a given sequence of nodes.
//!
//! "Fastest" is the free-flow time: running time on segments plus the mean service time at
//! the crossings passed and the gauge change where the gauge changes. A rail path may change
//! gauge only at a node with a rail crossing that has a gauge change.

use crate::model::{Crossing, CrossingIx, Link, LinkIx, Mode, NodeIx, Step};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The network seen by route choice for one mode.
pub struct RouteGraph<'a> {
    links: &'a [Link],
    crossings: &'a [Crossing],
    mode: Mode,
    /// For each node, the (segment, forward) pairs leaving it for this mode.
    adjacency: Vec<Vec<(LinkIx, bool)>>,
    /// For each node, the crossing of this mode there.
    crossing_at: Vec<Option<CrossingIx>>,
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
    /// The graph of `mode` over `node_count` nodes.
    pub fn new(
        node_count: usize,
        links: &'a [Link],
        crossings: &'a [Crossing],
        mode: Mode,
    ) -> Self {
        let mut adjacency = vec![Vec::new(); node_count];
        for (i, l) in links.iter().enumerate() {
            if l.mode == mode {
                adjacency[l.from as usize].push((i as LinkIx, true));
                adjacency[l.to as usize].push((i as LinkIx, false));
            }
        }
        let mut crossing_at = vec![None; node_count];
        for (i, c) in crossings.iter().enumerate() {
            if c.mode == mode {
                crossing_at[c.node as usize] = Some(i as CrossingIx);
            }
        }
        RouteGraph {
            links,
            crossings,
            mode,
            adjacency,
            crossing_at,
        }
    }

    fn far_end(&self, link: LinkIx, forward: bool) -> NodeIx {
        let l = &self.links[link as usize];
        if forward {
            l.to
        } else {
            l.from
        }
    }

    fn can_change_gauge(&self, node: NodeIx) -> bool {
        self.crossing_at[node as usize]
            .is_some_and(|c| self.crossings[c as usize].gauge_change.is_some())
    }

    /// Expected hours spent at the crossing at `node`, if any, by a vehicle of `unit_teu`.
    fn crossing_hours(&self, node: NodeIx, change_gauge: bool, unit_teu: f64) -> f64 {
        let Some(c) = self.crossing_at[node as usize] else {
            return 0.0;
        };
        let c = &self.crossings[c as usize];
        let mut h: f64 = c
            .stages
            .iter()
            .map(|s| {
                s.service.mean() + s.inspect_prob * s.inspect.as_ref().map_or(0.0, |d| d.mean())
            })
            .sum();
        if change_gauge {
            if let Some(g) = &c.gauge_change {
                h += g.hours_per_teu * unit_teu;
            }
        }
        h
    }

    /// The fastest path from `from` to `to` as (segment, forward) pairs, or `None` when the
    /// destination cannot be reached.
    pub fn fastest(&self, from: NodeIx, to: NodeIx, unit_teu: f64) -> Option<Vec<(LinkIx, bool)>> {
        // State: (node, index of the gauge arrived on; 0 = none yet). Gauges are few, so
        // the state space is small.
        let mut gauges: Vec<u32> = self.links.iter().filter_map(|l| l.gauge_mm).collect();
        gauges.sort_unstable();
        gauges.dedup();
        let g_count = gauges.len() + 1;
        let g_index = |l: &Link| {
            l.gauge_mm
                .map_or(0, |g| 1 + gauges.binary_search(&g).unwrap_or(0))
        };
        let n = self.adjacency.len();
        let mut best = vec![f64::INFINITY; n * g_count];
        let mut prev: Vec<Option<(usize, LinkIx, bool)>> = vec![None; n * g_count];
        let mut heap = BinaryHeap::new();
        let start = from as usize * g_count;
        best[start] = 0.0;
        heap.push(Candidate {
            cost: 0.0,
            state: start,
        });
        let mut goal = None;
        while let Some(Candidate { cost, state }) = heap.pop() {
            if cost > best[state] {
                continue;
            }
            let node = (state / g_count) as NodeIx;
            let g_in = state % g_count;
            if node == to {
                goal = Some(state);
                break;
            }
            for &(link, forward) in &self.adjacency[node as usize] {
                let l = &self.links[link as usize];
                let g_out = g_index(l);
                let change = self.mode == Mode::Rail && g_in != 0 && g_out != g_in;
                if change && !self.can_change_gauge(node) {
                    continue;
                }
                let at_node = if node == from {
                    0.0
                } else {
                    self.crossing_hours(node, change, unit_teu)
                };
                let next = self.far_end(link, forward) as usize * g_count + g_out;
                let c = cost + at_node + l.run_time.as_hours();
                if c < best[next] {
                    best[next] = c;
                    prev[next] = Some((state, link, forward));
                    heap.push(Candidate {
                        cost: c,
                        state: next,
                    });
                }
            }
        }
        let mut state = goal?;
        let mut path = Vec::new();
        while let Some((p, link, forward)) = prev[state] {
            path.push((link, forward));
            state = p;
        }
        path.reverse();
        Some(path)
    }

    /// The segments along an explicit sequence of nodes: between each pair the fastest
    /// segment of the mode joining them.
    pub fn along(&self, nodes: &[NodeIx]) -> Result<Vec<(LinkIx, bool)>, RouteError> {
        let mut path = Vec::with_capacity(nodes.len().saturating_sub(1));
        for (position, pair) in nodes.windows(2).enumerate() {
            let found = self.adjacency[pair[0] as usize]
                .iter()
                .filter(|&&(l, fwd)| self.far_end(l, fwd) == pair[1])
                .min_by(|a, b| {
                    let ta = self.links[a.0 as usize].run_time;
                    let tb = self.links[b.0 as usize].run_time;
                    ta.cmp(&tb).then(a.0.cmp(&b.0))
                })
                .copied()
                .ok_or(RouteError::NoSegment { position })?;
            path.push(found);
        }
        Ok(path)
    }

    /// The steps a vehicle takes along `path` (from [`RouteGraph::fastest`] or
    /// [`RouteGraph::along`]): each segment, and each crossing of this mode at the nodes
    /// passed on the way (not at the origin or the destination).
    pub fn steps(&self, path: &[(LinkIx, bool)]) -> Result<Vec<Step>, RouteError> {
        let mut steps = Vec::with_capacity(path.len() * 2);
        for (i, &(link, forward)) in path.iter().enumerate() {
            if i > 0 {
                let (prev_link, prev_fwd) = path[i - 1];
                let node = self.far_end(prev_link, prev_fwd);
                let g_in = self.links[prev_link as usize].gauge_mm;
                let g_out = self.links[link as usize].gauge_mm;
                let change = self.mode == Mode::Rail && g_in != g_out;
                if change && !self.can_change_gauge(node) {
                    return Err(RouteError::GaugeBreak {
                        position: i,
                        from_mm: g_in.unwrap_or(0),
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
            steps.push(Step::Link { link, forward });
        }
        Ok(steps)
    }
}

#[derive(PartialEq)]
struct Candidate {
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
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.state.cmp(&self.state))
    }
}
