//! Vehicles kept compact while they queue at the first crossing of their route.
//!
//! Where demand exceeds what a crossing can serve, its queue grows with the horizon, and a
//! vehicle's record takes about 100 bytes. A vehicle whose route reaches the crossing over
//! nothing but free-flowing roads (no spacing, no closure, no yard hold: see
//! `LinkState::passes_freely`) reaches it at its arrival time plus a fixed drive, so that,
//! until a server takes it, it is described by its flow and which of the flow's arrivals
//! it is. The queue then keeps runs: for consecutive arrivals of one flow, the index of the
//! first and their number (16 bytes for the run, 4 in the queue's line), and nothing per
//! vehicle. When one of them is served, its record is built again: its arrival time is
//! found by replaying the flow's arrival clock (the same draws from the same stream) from
//! the last vehicle built, and the rest of the record is that of the first vehicle of the
//! flow that was kept, which every other one shares.
//!
//! Nothing observable changes: the same events happen at the same times in the same order,
//! every record comes back as it went (debug builds check it field by field), and the
//! sums over vehicles add the same TEU. Flows whose vehicles may differ before the
//! crossing are not kept compact: adaptive route choice, trains formed from containers or
//! anew on the way, routes run by fleets. A trace keeps every vehicle whole (its rows
//! number vehicles as they appear).

use super::segment::LinkState;
use super::vehicle::{ArrivalClock, FlowState, Vehicle};
use crate::kernel::SimTime;
use crate::model::{Flow, Model, Step};

/// What a replication keeps to hold vehicles compact, per flow.
pub(super) struct Compact<'m> {
    /// Per flow, in the model's order: its state when its vehicles may be kept compact.
    flows: Vec<Option<CompactFlow<'m>>>,
    /// Vehicles now kept compact, over all flows.
    pub(super) held: u64,
}

/// One flow whose vehicles may be kept compact at the crossing its route reaches first.
struct CompactFlow<'m> {
    /// The index of the route step at that crossing.
    step: u32,
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
        let flows = m
            .flows
            .iter()
            .map(|f| {
                let step = enabled.then(|| first_crossing(f, links)).flatten()?;
                let mut replay = FlowState::clock_at_start(f, seed, replication);
                let replay_time = replay.first(f);
                Some(CompactFlow {
                    step,
                    reached: 0,
                    held: 0,
                    replay,
                    replay_index: 0,
                    replay_time,
                    template: None,
                })
            })
            .collect();
        Compact { flows, held: 0 }
    }

    /// Vehicle `veh` of flow `flow` reaches route step `step`, a crossing: when that is
    /// the crossing where the flow's vehicles may be kept compact, returns which of the
    /// flow's arrivals it is.
    #[inline]
    pub(super) fn reach(&mut self, flow: u32, step: u32) -> Option<u64> {
        let cf = self.flows.get_mut(flow as usize)?.as_mut()?;
        if cf.step != step {
            return None;
        }
        cf.reached += 1;
        Some(cf.reached - 1)
    }

    /// Vehicle `veh` of the flow, which reached its crossing just now, joins a queue there
    /// in compact form: counted, and kept as the template if it is the first.
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

    /// TEU of the vehicles of flow `f` (index `flow`) now kept compact, added one vehicle
    /// at a time to `sum`, as the vehicles' own TEU would be.
    pub(super) fn add_teu(&self, flow: usize, f: &Flow, mut sum: f64) -> f64 {
        if let Some(cf) = &self.flows[flow] {
            for _ in 0..cf.held {
                sum += f.unit_teu;
            }
        }
        sum
    }

    /// Vehicles of flow `flow` now kept compact.
    #[cfg(test)]
    pub(super) fn held_of(&self, flow: usize) -> u64 {
        self.flows[flow].as_ref().map_or(0, |cf| cf.held)
    }
}

/// The index of the step at the crossing where flow `f`'s vehicles may be kept compact:
/// its route's first step other than a free-flowing road, when that is a crossing and
/// every vehicle of the flow is the same until then.
fn first_crossing(f: &Flow, links: &[LinkState]) -> Option<u32> {
    let route = f.routes.first()?;
    if f.adaptive
        || f.routes.len() != 1
        || f.formation.is_some()
        || !route.reforms.is_empty()
        || !route.legs.is_empty()
    {
        return None;
    }
    let s = route.steps.iter().position(
        |s| !matches!(s, Step::Link { link, .. } if links[*link as usize].passes_freely()),
    )?;
    matches!(route.steps[s], Step::Crossing { .. }).then_some(s as u32)
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
