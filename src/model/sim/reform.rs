//! Trains formed anew after a transshipment: where a crossing's gauge change forms new
//! trains, the containers lifted off a train gather with those of the same flow and route
//! and leave in trains of the pool's `train_teu`, oldest first, or with what has gathered
//! once the oldest has waited `max_form`. The train that brought them ends there.

use super::vehicle::Vehicle;
use super::{Event, Sim};
use crate::kernel::{Scheduler, SimTime};
use crate::model::fits;
use std::collections::VecDeque;

/// Containers of one train, gathered after its transshipment.
#[derive(Debug, Clone, Copy)]
struct Batch {
    /// TEU still waiting.
    teu: f64,
    /// When the train that brought them appeared at its origin.
    created: SimTime,
    /// When they were lifted off it.
    since: SimTime,
}

/// The containers gathered in one pool, and what it measured.
#[derive(Debug, Clone, Default)]
pub(super) struct PoolState {
    /// The batches waiting, oldest first.
    waiting: VecDeque<Batch>,
    /// TEU waiting.
    pub(super) teu: f64,
    /// Counts the deadlines set, so that one set for a batch that has since left is
    /// recognised as stale.
    generation: u32,
    /// TEU that ever came in, warm-up included (tests check they are conserved).
    #[cfg(test)]
    pub(super) teu_in: f64,
    /// TEU that ever left in trains, warm-up included.
    #[cfg(test)]
    pub(super) teu_out: f64,
}

impl<'m> Sim<'m> {
    /// The pool vehicle `v`'s containers gather in at the crossing it is at, if its route
    /// forms trains anew there.
    pub(super) fn pool_at(&self, v: u32) -> Option<u32> {
        let veh = &self.vehicles[v as usize];
        let route = &self.m.flows[veh.flow as usize].routes[usize::from(veh.route)];
        (route.reforms.iter())
            .find(|&&(step, _)| step == veh.step)
            .map(|&(_, pool)| pool)
    }

    /// Vehicle `v` is done at crossing `c`, whose transshipment forms new trains: it is
    /// counted out, releases its stock and ends there; its containers join `pool`, and the
    /// trains that fill leave.
    #[cold]
    pub(super) fn gather(&mut self, v: u32, c: u32, pool: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        self.count_out_of_crossing(v, c, now);
        if !self.m.fleets.is_empty() {
            self.end_leg(v, sched);
        }
        self.leave_yard(v, c, sched);
        let veh = &mut self.vehicles[v as usize];
        veh.alive = false;
        let batch = Batch {
            teu: veh.teu,
            created: veh.created,
            since: now,
        };
        self.flows[veh.flow as usize].finished += 1;
        self.free.push(v);
        let ps = &mut self.pools[pool as usize];
        let first = ps.waiting.is_empty();
        ps.waiting.push_back(batch);
        ps.teu += batch.teu;
        #[cfg(test)]
        {
            ps.teu_in += batch.teu;
        }
        let train_teu = self.m.reform_pools[pool as usize].train_teu;
        let mut left = false;
        while fits(train_teu, 0.0, self.pools[pool as usize].teu) {
            self.train_leaves(pool, train_teu, sched);
            left = true;
        }
        if first || left {
            self.set_deadline(pool, sched);
        }
    }

    /// Sets the deadline of the oldest batch waiting in `pool`, if any: when it has waited
    /// the pool's longest, a train leaves with what has gathered.
    fn set_deadline(&mut self, pool: u32, sched: &mut Scheduler<Event>) {
        let max_form = self.m.reform_pools[pool as usize].max_form;
        let ps = &mut self.pools[pool as usize];
        if let Some(oldest) = ps.waiting.front() {
            ps.generation = ps.generation.wrapping_add(1);
            let generation = ps.generation;
            sched.schedule_at_or_now(
                oldest.since.after(max_form),
                Event::ReformDue { pool, generation },
            );
        }
    }

    /// The oldest batch in `pool` has waited its longest: a train leaves with what has
    /// gathered, unless that batch has left already (`generation` is then stale).
    pub(super) fn reform_due(&mut self, pool: u32, generation: u32, sched: &mut Scheduler<Event>) {
        let ps = &self.pools[pool as usize];
        if ps.generation == generation && ps.teu > 0.0 {
            let teu = ps.teu;
            self.train_leaves(pool, teu, sched);
            self.set_deadline(pool, sched);
        }
    }

    /// A train of `pool` leaves the crossing with `teu` TEU (all that waits, at most), oldest
    /// batches first; it counts as having appeared at the TEU-weighted mean of its
    /// containers' appearances, and takes the stock of its next leg first.
    fn train_leaves(&mut self, pool: u32, teu: f64, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let spec = &self.m.reform_pools[pool as usize];
        let ps = &mut self.pools[pool as usize];
        let (mut taken, mut created_ms, mut wait_teu_h) = (0.0, 0.0, 0.0);
        while let Some(b) = ps.waiting.front_mut() {
            let take = b.teu.min(teu - taken);
            if take <= 0.0 {
                break;
            }
            taken += take;
            created_ms += take * b.created.0 as f64;
            wait_teu_h += take * now.since(b.since).as_hours();
            b.teu -= take;
            // A billionth of a TEU left of a batch is rounding, not a container.
            if fits(b.teu, 0.0, 0.0) {
                ps.waiting.pop_front();
            }
        }
        ps.teu = ps.waiting.iter().map(|b| b.teu).sum();
        #[cfg(test)]
        {
            ps.teu_out += taken;
        }
        if self.w.contains(now) {
            let fs = &mut self.flows[spec.flow as usize];
            fs.reformed.teu += taken;
            fs.reformed.wait_teu_h += wait_teu_h;
            let cs = &mut self.crossings[spec.crossing as usize].reformed;
            cs.teu += taken;
            cs.wait_teu_h += wait_teu_h;
        }
        let created = SimTime((created_ms / taken).round() as u64).min(now);
        let f = &self.m.flows[spec.flow as usize];
        let route = &f.routes[usize::from(spec.route)];
        let mut train =
            Vehicle::setting_off((spec.flow, spec.route), taken, &route.steps, created, now);
        train.step = spec.step;
        train.leg = spec.leg;
        train.containers = f.cargo == crate::model::Cargo::Containers;
        self.flows[spec.flow as usize].created += 1;
        let v = self.alloc(train);
        if !self.m.fleets.is_empty() && self.runs_on_legs(v) && !self.take_stock(v, sched) {
            return;
        }
        self.advance(v, sched);
    }
}
