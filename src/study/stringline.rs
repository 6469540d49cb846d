//! Time–distance (stringline) diagrams: the trains of one replication drawn as distance
//! along a route of rail segments against time, from the replication's events. A train's
//! run over a double-track segment, or over a block of a single track, is a sloped line
//! (it runs at the segment's speed, ending at the event); where it waits (at a crossing,
//! a loop, a segment's entry) the line is flat.

use crate::kernel::SimTime;
use crate::model::{trace, Detail, Layout, Mode, Model, NodeIx, Who};
use crate::scenario::did_you_mean;
use std::collections::HashMap;
use std::fmt;

/// A route of the diagram: its nodes, and the rail segment joining each to the next.
#[derive(Debug, Clone)]
pub struct Route {
    /// The nodes, in order, with their distance from the first, km.
    pub nodes: Vec<(NodeIx, f64)>,
    /// Per segment of the model (by index), for those of the route: the distance of its
    /// `from` end and whether the route runs from its `from` to its `to`.
    segments: Vec<Option<(f64, bool)>>,
}

/// Why a route cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// A node id the scenario lacks (with the closest one, if any).
    UnknownNode(String, Option<String>),
    /// Two consecutive nodes joined by no rail segment.
    NotJoined(String, String),
    /// Fewer than two nodes.
    TooShort,
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::UnknownNode(id, Some(near)) => {
                write!(f, "unknown node \"{id}\" in --route; did you mean \"{near}\"?")
            }
            RouteError::UnknownNode(id, None) => write!(f, "unknown node \"{id}\" in --route"),
            RouteError::NotJoined(a, b) => write!(
                f,
                "--route: no rail segment joins \"{a}\" and \"{b}\"; give the nodes of the route one after another, each joined to the next by a rail segment"
            ),
            RouteError::TooShort => write!(f, "--route needs two nodes or more, such as dostyk,aktogay,moyynty"),
        }
    }
}

impl Route {
    /// The route through the nodes `ids` of `model`, each joined to the next by a rail
    /// segment (the first listed, when several are).
    pub fn new(model: &Model, ids: &[String]) -> Result<Route, RouteError> {
        if ids.len() < 2 {
            return Err(RouteError::TooShort);
        }
        let mut nodes = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(i) = model.nodes.iter().position(|n| &n.id == id) else {
                let near = did_you_mean(id, model.nodes.iter().map(|n| n.id.as_str()));
                return Err(RouteError::UnknownNode(
                    id.clone(),
                    near.map(str::to_string),
                ));
            };
            nodes.push(i as NodeIx);
        }
        let mut at = 0.0;
        let mut placed = vec![(nodes[0], 0.0)];
        let mut segments = vec![None; model.links.len()];
        for w in nodes.windows(2) {
            let (a, b) = (w[0], w[1]);
            let found = model.links.iter().enumerate().find(|(_, l)| {
                l.mode == Mode::Rail && ((l.from == a && l.to == b) || (l.from == b && l.to == a))
            });
            let Some((k, l)) = found else {
                let id = |n: NodeIx| model.nodes[n as usize].id.clone();
                return Err(RouteError::NotJoined(id(a), id(b)));
            };
            let forward = l.from == a;
            let from_at = if forward { at } else { at + l.length_km };
            segments[k] = Some((from_at, forward));
            at += l.length_km;
            placed.push((b, at));
        }
        Ok(Route {
            nodes: placed,
            segments,
        })
    }

    /// The route's length, km.
    pub fn length_km(&self) -> f64 {
        self.nodes.last().map_or(0.0, |n| n.1)
    }
}

/// One train's line: its number in the replication, whose it is, whether it runs the
/// route's way, and its points (hours from the start, km along the route) in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainLine {
    /// The vehicle's number in the replication (as `trace` numbers them).
    pub vehicle: u32,
    /// Its flow's id, or `empty:FLEET` for an empty train.
    pub who: String,
    /// True when it runs from the route's first node towards its last.
    pub with_route: bool,
    /// (hours, km) in time order.
    pub points: Vec<(f64, f64)>,
}

/// Runs replication `replication` of `model` (seed `seed`) up to `window.1` and returns the
/// line of every train that ran a segment of `route` inside `window`, in order of their
/// first point.
pub fn stringline(
    model: &Model,
    (seed, replication): (u64, u64),
    route: &Route,
    window: (SimTime, SimTime),
) -> Vec<TrainLine> {
    let mut lines: HashMap<u32, TrainLine> = HashMap::new();
    let mut order: Vec<u32> = Vec::new();
    trace(model, seed, replication, window, &mut |row| {
        let (Some(v), Some(k)) = (row.vehicle, row.link) else {
            return true;
        };
        let Some((from_at, route_forward)) = route.segments[k as usize] else {
            return true;
        };
        let l = &model.links[k as usize];
        // Where the run that ends now began and ended along the segment (km from its
        // `from` end), and how long it took.
        let (start, end, hours, forward) = match (row.event, row.detail, l.layout) {
            ("segment_exit", Detail::Direction { forward }, _) => {
                let (a, b) = if forward {
                    (0.0, l.length_km)
                } else {
                    (l.length_km, 0.0)
                };
                (a, b, l.run_time.as_hours(), forward)
            }
            (
                "block_end",
                Detail::Block {
                    block,
                    forward: Some(forward),
                },
                Layout::SingleTrack {
                    stretches,
                    stretch_time,
                    ..
                },
            ) => {
                let per = l.length_km / f64::from(stretches);
                let (a, b) = (f64::from(block) * per, f64::from(block + 1) * per);
                let (a, b) = if forward { (a, b) } else { (b, a) };
                (a, b, stretch_time.as_hours(), forward)
            }
            _ => return true,
        };
        let along = |x: f64| {
            if route_forward {
                from_at + x
            } else {
                from_at - x
            }
        };
        let line = lines.entry(v).or_insert_with(|| {
            order.push(v);
            TrainLine {
                vehicle: v,
                who: match row.who {
                    Who::Flow(id) => id.to_string(),
                    Who::EmptyTrain(fleet) => format!("empty:{fleet}"),
                    Who::Nobody => String::new(),
                },
                with_route: forward == route_forward,
                points: Vec::new(),
            }
        });
        line.points.push((row.time_h - hours, along(start)));
        line.points.push((row.time_h, along(end)));
        true
    });
    order.into_iter().filter_map(|v| lines.remove(&v)).collect()
}
