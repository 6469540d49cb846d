//! Route choice: the fastest path of a flow over the network, and the steps (segments and
//! crossings) a vehicle takes along a given sequence of nodes.
//!
//! "Fastest" is the free-flow time: running time on segments plus the mean service time at
//! the crossings passed and the gauge change where the gauge changes. A rail path may change
//! gauge only at a node with a rail crossing that has a gauge change.
//!
//! This module holds the graph and what is read off a path; `search` holds the searches
//! over it (the fastest path, and the k fastest by Yen's algorithm).

use crate::model::{
    Cargo, Crossing, CrossingIx, Departure, Ferry, FerryIx, Link, LinkIx, Mode, NodeIx, Step,
};

mod search;
#[cfg(test)]
mod tests;

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
        self.crossings[c as usize].mean_passage_h(from, change_gauge, unit_teu, self.cargo)
    }

    /// The node an edge leaves from: where the same edge taken the other way leads.
    fn near_end(&self, edge: Edge) -> NodeIx {
        self.far_end(match edge {
            Edge::Link(l, forward) => Edge::Link(l, !forward),
            Edge::Ferry(f, forward) => Edge::Ferry(f, !forward),
        })
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
