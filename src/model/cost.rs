//! What a replication of a model costs, estimated before it runs: the memory it holds
//! before any vehicle appears (the state of every segment, a single track some route runs
//! on keeping each of its blocks and loops, crossing, ferry line and flow; vehicles come on
//! top, as many as the network holds at once), and the events it handles in a year, from
//! which its time.

use super::track::SingleTrack;
use super::{DisruptionTiming, Layout, Model, Step};

/// Bytes of the state of one element besides those counted per block: an estimate that
/// covers a segment's, a crossing's, a ferry line's or a flow's counters and queues when
/// empty.
const ELEMENT_BYTES: u64 = 512;

/// A replication's memory before any vehicle appears, bytes, and the segment that takes
/// the most of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    /// Bytes in all.
    pub bytes: u64,
    /// The segment holding the most (its index in `Model::links`) and its bytes, if any.
    pub largest: Option<(usize, u64)>,
}

impl Model {
    /// What one replication of this model holds before any vehicle appears, once every
    /// single track a route (a flow's, or a fleet's for its empty trains) runs on has been
    /// laid; a single track no route uses holds nothing per block.
    pub fn footprint(&self) -> Footprint {
        let elements = (self.crossings.len() + self.ferries.len() + self.flows.len()) as u64;
        let mut bytes = elements * ELEMENT_BYTES;
        let mut largest: Option<(usize, u64)> = None;
        let used = self.links_used();
        for (i, l) in self.links.iter().enumerate() {
            let b = ELEMENT_BYTES
                + match l.layout {
                    Layout::SingleTrack { stretches, .. } if used[i] => {
                        SingleTrack::bytes(stretches)
                    }
                    _ => 0,
                };
            bytes += b;
            if largest.is_none_or(|(_, most)| b > most) {
                largest = Some((i, b));
            }
        }
        Footprint { bytes, largest }
    }

    /// Per segment, true when some route runs on it: a flow's, or a fleet's between two
    /// of its depots.
    fn links_used(&self) -> Vec<bool> {
        let mut used = vec![false; self.links.len()];
        let flow_steps = (self.flows.iter())
            .flat_map(|f| &f.routes)
            .flat_map(|r| &r.steps);
        let empty_steps = (self.fleets.iter())
            .flat_map(|f| f.empty_routes.iter().flatten())
            .flat_map(|r| &r.steps);
        for step in flow_steps.chain(empty_steps) {
            if let Step::Link { link, .. } = *step {
                used[link as usize] = true;
            }
        }
        used
    }
}

/// Events a year of a replication, estimated, and what sends the most of them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRate {
    /// Events a year in all.
    pub per_year: f64,
    /// What sends the most: `"flow"` or `"disruption"`, its index among them, and its
    /// events a year.
    pub largest: Option<(&'static str, usize, f64)>,
}

impl Model {
    /// The events a replication handles in a year, estimated at the demand of the
    /// horizon's end (growth included): per vehicle of each flow, an arrival, an event per
    /// segment (one per block on a single track, and a clearance), per crossing stage and
    /// per ferry crossing of its longest route, twice over where fleets send the stock back
    /// empty; per random disruption, a start and an end for each closure. An upper estimate
    /// within a small factor (a run of the Eurasian baseline handles about a third of it).
    pub fn event_rate(&self) -> EventRate {
        let years = self.horizon.as_hours() / crate::HOURS_PER_YEAR;
        let round_trip = if self.fleets.is_empty() { 1.0 } else { 2.0 };
        let mut all: Vec<(&'static str, usize, f64)> = Vec::new();
        for (i, f) in self.flows.iter().enumerate() {
            let teu = f.teu_per_year_after(years.max(0.0));
            let vehicles = teu / f.unit_teu;
            let arrivals = f
                .formation
                .map_or(vehicles, |form| teu / form.container_teu);
            let per_vehicle = (f.routes.iter())
                .map(|r| self.route_events(&r.steps))
                .fold(0.0, f64::max);
            let events = arrivals + vehicles * per_vehicle * round_trip;
            all.push(("flow", i, events));
        }
        for (i, d) in self.disruptions.iter().enumerate() {
            if let DisruptionTiming::Random { mean_gap, .. } = &d.timing {
                let closures = crate::HOURS_PER_YEAR / mean_gap.as_hours().max(1e-9);
                all.push(("disruption", i, 2.0 * closures));
            }
        }
        let per_year = all.iter().map(|(_, _, e)| e).sum();
        let largest = all.into_iter().max_by(|a, b| a.2.total_cmp(&b.2));
        EventRate { per_year, largest }
    }

    /// Events one vehicle causes along `steps`.
    fn route_events(&self, steps: &[Step]) -> f64 {
        let mut events = 1.0;
        for s in steps {
            events += match *s {
                Step::Link { link, .. } => match self.links[link as usize].layout {
                    Layout::SingleTrack { stretches, .. } => 2.0 * f64::from(stretches),
                    _ => 2.0,
                },
                Step::Crossing { crossing, .. } => {
                    1.0 + self.crossings[crossing as usize].stages.len() as f64
                }
                Step::Ferry { .. } => 3.0,
            };
        }
        events
    }
}
