//! Vehicles kept compact while they wait where their route first makes them wait: at the
//! first crossing, or for stock at the origin.
//!
//! Where demand exceeds what the network carries, a queue grows with the horizon, and a
//! vehicle's record takes about 100 bytes. Two queues hold vehicles that are, until they
//! leave them, described by their flow and which of the flow's arrivals they are:
//!
//! - a crossing's first stage, for a vehicle whose route reaches the crossing over nothing
//!   but free-flowing roads (no spacing, no closure, no yard hold: see
//!   `LinkState::passes_freely`): it reaches it at its arrival time plus a fixed drive;
//! - a depot's line of trains waiting for stock, for a train at its origin: it joins the
//!   line on arrival.
//!
//! Once the line holds [`COMPACT_AFTER`] vehicles, it keeps those that join as runs: for
//! consecutive arrivals of one flow, the index of the first and their number (16 bytes for
//! the run, and one entry in the line), nothing per vehicle. When one of them leaves the
//! line, its record is built again: its arrival time is found by replaying the flow's
//! arrival clock (the same draws from the same stream) from the last vehicle built, and the
//! rest of the record is that of the first vehicle of the flow that was kept, which every
//! other one shares.
//!
//! Nothing observable changes: the same events happen at the same times in the same order,
//! every record comes back as it went (debug builds check it field by field), and the
//! sums over vehicles add the same TEU. Flows whose vehicles may differ before the line
//! are not kept compact: adaptive route choice, trains formed from containers (and, at a
//! crossing, trains formed anew on the way or routes run by fleets). A trace keeps every
//! vehicle whole (its rows number vehicles as they appear).

use super::segment::LinkState;
use super::vehicle::{ArrivalClock, FlowState, Vehicle};
use super::Sim;
use crate::kernel::SimTime;
use crate::model::observe::TeuTotal;
use crate::model::track::direction;
use crate::model::{Flow, Model, Step};

/// Vehicles a line holds before those joining it are kept compact. Short lines, the usual
/// ones, keep every vehicle whole: keeping and rebuilding costs a replay of the arrival
/// clock and two copies of the record, a quarter more time per vehicle on a busy post.
pub(super) const COMPACT_AFTER: usize = 256;

/// What a replication keeps to hold vehicles compact, per flow.
pub(super) struct Compact<'m> {
    /// Per flow, in the model's order: where its vehicles may wait compact, as the route
    /// step of the crossing, [`AT_ORIGIN`] or [`NOWHERE`]. Apart from `flows`, so that the
    /// question asked of every vehicle reaching a crossing or a depot reads one word.
    places: Vec<u32>,
    /// Per flow, in the model's order: its state when its vehicles may be kept compact.
    flows: Vec<Option<CompactFlow<'m>>>,
    /// Vehicles now kept compact, over all flows.
    pub(super) held: u64,
}

/// `Compact::places` of a flow whose trains wait compact at the origin for stock.
const AT_ORIGIN: u32 = u32::MAX - 1;
/// `Compact::places` of a flow whose vehicles are always kept whole.
const NOWHERE: u32 = u32::MAX;

/// Where a flow's vehicles may wait compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::model) enum Place {
    /// At the first stage of the crossing at this step of the route.
    Crossing(u32),
    /// At the origin, for the stock of the route's first leg.
    Origin,
}

/// One flow whose vehicles may be kept compact (where: `Compact::places`).
struct CompactFlow<'m> {
    /// Vehicles of the flow that reached it so far: the index of the next to reach it
    /// among the flow's arrivals (they reach it in the order they arrived).
    reached: u64,
    /// Vehicles of the flow now kept compact.
    held: u64,
    /// The flow's arrival clock, replayed up to the arrival `replay_index`, which came at
    /// `replay_time`.
    replay: ArrivalClock,
    replay_index: u64,
    replay_time: SimTime,
    /// The record of the first vehicle kept, which every other shares but for its times.
    template: Option<Vehicle<'m>>,
}

impl<'m> Compact<'m> {
    /// What replication `replication` (streams from `seed`) of `m` keeps, `links` being
    /// its segments' states; with `enabled` false, every vehicle is kept whole.
    pub(super) fn new(
        m: &'m Model,
        links: &[LinkState],
        (seed, replication): (u64, u64),
        enabled: bool,
    ) -> Self {
        let found: Vec<Option<Place>> = (m.flows.iter())
            .map(|f| enabled.then(|| place(f, links)).flatten())
            .collect();
        let places = (found.iter())
            .map(|p| match p {
                Some(Place::Crossing(step)) => *step,
                Some(Place::Origin) => AT_ORIGIN,
                None => NOWHERE,
            })
            .collect();
        let flows = (m.flows.iter().zip(&found))
            .map(|(f, p)| {
                p.as_ref()?;
                let mut replay = FlowState::clock_at_start(f, seed, replication);
                let replay_time = replay.first(f);
                Some(CompactFlow {
                    reached: 0,
                    held: 0,
                    replay,
                    replay_index: 0,
                    replay_time,
                    template: None,
                })
            })
            .collect();
        Compact {
            places,
            flows,
            held: 0,
        }
    }

    /// Vehicle `veh` of flow `flow` reaches route step `step`, a crossing: when that is
    /// the crossing where the flow's vehicles may be kept compact, returns which of the
    /// flow's arrivals it is.
    #[inline]
    pub(super) fn reach(&mut self, flow: u32, step: u32) -> Option<u64> {
        if self.places.get(flow as usize) != Some(&step) {
            return None;
        }
        self.reached_by(flow)
    }

    /// One more vehicle of flow `flow` reached its crossing: which arrival it is.
    #[inline(never)]
    fn reached_by(&mut self, flow: u32) -> Option<u64> {
        let cf = self.flows[flow as usize].as_mut()?;
        cf.reached += 1;
        Some(cf.reached - 1)
    }

    /// True when the trains of flow `flow` wait compact at the origin for stock.
    #[inline]
    pub(super) fn at_origin(&self, flow: u32) -> bool {
        self.places.get(flow as usize) == Some(&AT_ORIGIN)
    }

    /// Vehicle `veh`, which reached the line where its flow's vehicles wait compact just
    /// now, waits there so: counted, and kept as the template if it is the first.
    pub(super) fn keep(&mut self, veh: &Vehicle<'m>) {
        let Some(cf) = self.flows[veh.flow as usize].as_mut() else {
            unreachable!("only vehicles of flows kept compact reach a crossing compact");
        };
        match &cf.template {
            None => cf.template = Some(*veh),
            Some(t) => debug_assert!(
                same_but_times(t, veh),
                "a vehicle kept compact differs from its flow's first: {veh:?} / {t:?}"
            ),
        }
        cf.held += 1;
        self.held += 1;
    }

    /// The record of arrival `index` of flow `flow`, kept compact until now: the
    /// template with the arrival's time (found by replaying the flow's clock) and its time
    /// at the crossing.
    pub(super) fn rebuild(&mut self, m: &Model, flow: u32, index: u64) -> Vehicle<'m> {
        let f = &m.flows[flow as usize];
        let Some(cf) = self.flows[flow as usize].as_mut() else {
            unreachable!("only flows kept compact have compact vehicles");
        };
        debug_assert!(
            index >= cf.replay_index,
            "compact vehicles rebuilt out of order"
        );
        while cf.replay_index < index {
            cf.replay_time = cf.replay.next(f, cf.replay_time);
            cf.replay_index += 1;
        }
        let Some(t) = cf.template else {
            unreachable!("a compact vehicle has its flow's template");
        };
        let drive = t.reached.since(t.created);
        let at = cf.replay_time.after(drive);
        cf.held -= 1;
        self.held -= 1;
        Vehicle {
            created: cf.replay_time,
            mark: at,
            reached: at,
            ..t
        }
    }

    /// Adds to `total` the TEU of the vehicles of flow `f` (index `flow`) now kept compact,
    /// as their own TEU would be.
    pub(super) fn add_teu(&self, flow: usize, f: &Flow, total: &mut TeuTotal) {
        if let Some(cf) = &self.flows[flow] {
            total.add_times(f.unit_teu, cf.held);
        }
    }

    /// Vehicles of flow `flow` now kept compact.
    #[cfg(test)]
    pub(super) fn held_of(&self, flow: usize) -> u64 {
        self.flows[flow].as_ref().map_or(0, |cf| cf.held)
    }
}

/// Per flow of `m`, `links` being its segments' states: where its vehicles may wait
/// compact, if anywhere.
pub(super) fn places(m: &Model, links: &[LinkState]) -> Vec<Option<Place>> {
    m.flows.iter().map(|f| place(f, links)).collect()
}

/// Where flow `f`'s vehicles may be kept compact: at the origin when a fleet runs its
/// route's first leg; otherwise at its route's first step other than a free-flowing road,
/// when that is a crossing and every vehicle of the flow is the same until then.
fn place(f: &Flow, links: &[LinkState]) -> Option<Place> {
    let route = f.routes.first()?;
    if f.adaptive || f.routes.len() != 1 || f.formation.is_some() {
        return None;
    }
    if let Some(first) = route.legs.first() {
        return first.fleet.map(|_| Place::Origin);
    }
    if !route.reforms.is_empty() {
        return None;
    }
    let s = route.steps.iter().position(|s| {
        !matches!(*s, Step::Link { link, forward }
            if links[link as usize].passes_freely(direction(forward)))
    })?;
    matches!(route.steps[s], Step::Crossing { .. }).then_some(Place::Crossing(s as u32))
}

/// True when records `a` and `b` differ in nothing but their times and serial numbers,
/// took the same time from arrival to the crossing, and joined its queue on reaching it.
fn same_but_times<'a>(a: &Vehicle<'a>, b: &Vehicle<'a>) -> bool {
    fn times<'a>(v: &Vehicle<'a>) -> Vehicle<'a> {
        Vehicle {
            created: SimTime::ZERO,
            mark: SimTime::ZERO,
            reached: SimTime::ZERO,
            serial: 0,
            ..*v
        }
    }
    let same_drive = a.reached.since(a.created) == b.reached.since(b.created);
    let joined_on_arrival = a.mark == a.reached && b.mark == b.reached;
    let (a, b) = (times(a), times(b));
    same_drive
        && joined_on_arrival
        && format!("{a:?}") == format!("{b:?}")
        && std::ptr::eq(a.steps, b.steps)
}

impl<'m> Sim<'m> {
    /// Vehicle `v`, just arrived at the line where its flow's vehicles wait compact, waits
    /// there so: its record is kept by its flow (the first time) and its slot freed.
    pub(super) fn keep_compact(&mut self, v: u32) {
        self.compact.keep(&self.vehicles[v as usize]);
        self.vehicles[v as usize].alive = false;
        self.free.push(v);
    }

    /// Arrival `index` of flow `flow`, kept compact, leaves its line: its record is built
    /// again in a slot of the arena, whose index is returned.
    pub(super) fn rebuild_compact(&mut self, flow: u32, index: u64) -> u32 {
        let veh = self.compact.rebuild(self.m, flow, index);
        self.alloc_rebuilt(veh)
    }
}
