//! A vehicle at a crossing: into the yard (or held upstream while it is full), through the
//! stages one after another, and on; and the crossing's reopening after its hours or a
//! closure. The state these handlers change is a `CrossingState`, kept with the crossing's
//! own arithmetic in `model::crossing`.

use super::compact::COMPACT_AFTER;
use super::{Event, Sim};
use crate::kernel::{Duration, Scheduler, SimTime};
use crate::model::crossing::Waiter;
use crate::model::Step;
use rand::Rng;

impl Sim<'_> {
    /// A vehicle reaches a crossing: into its yard and first stage, or held upstream.
    pub(super) fn arrive_at_crossing(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let veh = &self.vehicles[v as usize];
        let arrival = self.compact.reach(veh.flow, veh.step);
        let teu = veh.teu;
        let cap = self.m.crossings[c as usize].yard_capacity_teu;
        let cs = &mut self.crossings[c as usize];
        if cs.yard.arrive(v, teu, cap) {
            // Without stages for one side only, every vehicle starts at the first stage.
            if self.m.crossings[c as usize].sided {
                self.go_on_from(v, c, 0, arrival, sched);
            } else {
                self.join_stage(v, c, 0, arrival, sched);
            }
        } else {
            self.hold_at_yard(v, c, now);
        }
    }

    /// Vehicle `v` found no room in crossing `c`'s yard at `now` and waits upstream (the
    /// yard has queued it). Rare, and kept out of the way of the common path.
    #[cold]
    fn hold_at_yard(&mut self, v: u32, c: u32, now: SimTime) {
        let cs = &mut self.crossings[c as usize];
        #[cfg(test)]
        if cs.yard.held() == 1 {
            cs.hold_spells.push((now, SimTime::NEVER));
        }
        cs.queued.add(now, 1, &self.w);
        self.vehicles[v as usize].mark = now;
        self.hold_feeder(v);
    }

    /// A vehicle left crossing `c`'s yard: let held vehicles in while there is room.
    pub(super) fn leave_yard(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        let teu = self.unit_teu(v);
        let cs = &mut self.crossings[c as usize];
        cs.yard.leave(teu);
        if cs.yard.held() > 0 {
            self.let_held_in(c, sched);
        }
    }

    /// Lets vehicles held upstream of crossing `c` into its yard while there is room.
    #[cold]
    fn let_held_in(&mut self, c: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let cap = self.m.crossings[c as usize].yard_capacity_teu;
        loop {
            let cs = &mut self.crossings[c as usize];
            let Some((h, _)) = cs.yard.let_in_next(cap) else {
                break;
            };
            cs.queued.add(now, -1, &self.w);
            #[cfg(test)]
            if cs.yard.held() == 0 {
                if let Some(spell) = cs.hold_spells.last_mut() {
                    spell.1 = now;
                }
            }
            let veh = &mut self.vehicles[h as usize];
            veh.waited_ms += now.since(veh.mark).0;
            self.release_feeder(h, sched);
            self.go_on_from(h, c, 0, None, sched);
        }
    }

    /// The first stage at or after `start` that vehicle `v` passes at crossing `c`: a
    /// control stage serving the direction it comes from, else its gauge change when its
    /// route changes gauge here; `None` when it is done.
    #[inline(always)]
    pub(super) fn stage_at_or_after(&self, v: u32, c: u32, start: u32) -> Option<u32> {
        let spec = &self.m.crossings[c as usize];
        if !spec.sided {
            if (start as usize) < spec.stages.len() {
                return Some(start);
            }
            spec.gauge_change.as_ref()?;
        }
        let veh = &self.vehicles[v as usize];
        let Step::Crossing { change_gauge, .. } = veh.steps[veh.step as usize] else {
            return None;
        };
        if spec.sided {
            let from = self.m.side_of(veh.steps, veh.step as usize);
            if let Some(s) = spec.control_from(start, from) {
                return Some(s);
            }
        } else if (start as usize) < spec.stages.len() {
            return Some(start);
        }
        if !change_gauge {
            return None;
        }
        let cargo = self.m.flows[self.vehicles[v as usize].flow as usize].cargo;
        spec.gauge_stage(cargo).filter(|&g| g >= start)
    }

    /// Vehicle `v`, in crossing `c`'s yard, goes to the first stage at or after `start` it
    /// passes, or leaves the crossing when there is none; `arrival` as for
    /// [`Sim::join_stage`].
    fn go_on_from(
        &mut self,
        v: u32,
        c: u32,
        start: u32,
        arrival: Option<u64>,
        sched: &mut Scheduler<Event>,
    ) {
        match self.stage_at_or_after(v, c, start) {
            Some(stage) => self.join_stage(v, c, stage, arrival, sched),
            None => self.pass_without_stage(v, c, sched),
        }
    }

    /// Vehicle `v` entered crossing `c`'s yard but no stage serves it: it leaves at once.
    #[cold]
    fn pass_without_stage(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        self.leave_crossing(v, c, sched);
    }

    /// Vehicle `v` is done at crossing `c`. Where it changes gauge and a fleet runs its
    /// route, it hands its stock back and takes the next leg's; then it leaves. A train
    /// that must wait for stock leaves the yard (its containers wait at the terminal), so
    /// that trains bringing stock can always come in: a full yard and a fleet short of stock
    /// never hold each other up for ever.
    #[inline(always)]
    fn leave_crossing(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        if !self.m.reform_pools.is_empty() {
            if let Some(pool) = self.pool_at(v) {
                return self.gather(v, c, pool, sched);
            }
        }
        if !self.m.fleets.is_empty() && self.changes_stock_here(v) {
            self.release_stock_if_held(v, sched);
            self.vehicles[v as usize].leg += 1;
            if !self.take_stock(v, sched) {
                self.leave_yard(v, c, sched);
                return;
            }
        }
        self.finish_leaving(v, c, sched);
    }

    /// True when vehicle `v`, at a crossing, changes gauge there on a route run by fleets.
    pub(super) fn changes_stock_here(&self, v: u32) -> bool {
        let veh = &self.vehicles[v as usize];
        matches!(
            veh.steps[veh.step as usize],
            Step::Crossing {
                change_gauge: true,
                ..
            }
        ) && self.runs_on_legs(v)
    }

    /// Vehicle `v` leaves crossing `c`: counted, out of the yard, on to its next step.
    #[inline(always)]
    fn finish_leaving(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        self.count_out_of_crossing(v, c, sched.now());
        self.leave_yard(v, c, sched);
        self.advance(v, sched);
    }

    /// Vehicle `v`, out of crossing `c`'s yard, got the stock it waited for: counted, and
    /// on to its next step. A train formed there after the transshipment is not counted:
    /// the trains that brought its containers were.
    pub(super) fn leave_with_stock(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        if self.m.reform_pools.is_empty() || self.pool_at(v).is_none() {
            self.count_out_of_crossing(v, c, sched.now());
        }
        self.advance(v, sched);
    }

    /// Counts vehicle `v` out of crossing `c` at `now`: its wait and its time there.
    #[inline(always)]
    pub(super) fn count_out_of_crossing(&mut self, v: u32, c: u32, now: SimTime) {
        let veh = &self.vehicles[v as usize];
        let (waited, spent) = (Duration(veh.waited_ms), now.since(veh.reached));
        self.crossings[c as usize].complete(now, waited, spent, &self.w);
    }

    /// Vehicle `v` joins stage `stage` of crossing `c`: served at once when a server is
    /// free, nobody waits and the crossing is open, else queued. `arrival` is which of its
    /// flow's arrivals it is when it has just reached the crossing where its flow's
    /// vehicles may wait compact (see `compact`): it then waits so if the line is long.
    /// Inlined, as is [`Sim::start_service`]: a vehicle passes both at every stage (a
    /// twentieth fewer instructions on the tandem benchmark than as calls).
    #[inline(always)]
    fn join_stage(
        &mut self,
        v: u32,
        c: u32,
        stage: u32,
        arrival: Option<u64>,
        sched: &mut Scheduler<Event>,
    ) {
        let now = sched.now();
        let veh = &mut self.vehicles[v as usize];
        veh.stage = stage;
        veh.mark = now;
        let st = &self.crossings[c as usize].stages[stage as usize];
        if st.in_order.is_some() {
            return self.join_in_order(v, c, stage, arrival, sched);
        }
        let idle = st.has_free_server() && st.queue.is_empty();
        let open = self.crossing_open(c, now);
        if idle && open {
            self.start_service(v, c, stage, sched);
        } else {
            self.queue_at_stage(v, c, stage, arrival, now);
            if !open {
                self.ensure_reopen(c, sched);
            }
        }
    }

    /// Vehicle `v` joins the queue of stage `stage` of crossing `c` at `now`, compact when
    /// `arrival` tells which of its flow's arrivals it is and the line is long (see
    /// [`Sim::join_stage`]), transit first where the crossing gives it priority.
    #[inline(always)]
    pub(super) fn queue_at_stage(
        &mut self,
        v: u32,
        c: u32,
        stage: u32,
        arrival: Option<u64>,
        now: SimTime,
    ) {
        let flow = self.vehicles[v as usize].flow;
        let priority =
            self.m.crossings[c as usize].transit_priority && self.m.flows[flow as usize].transit;
        let queue = &mut self.crossings[c as usize].stages[stage as usize].queue;
        match arrival.filter(|_| queue.len() >= COMPACT_AFTER) {
            None => queue.push(v, priority),
            Some(index) => {
                queue.push_compact(flow, index, priority);
                self.keep_compact(v);
            }
        }
        self.crossings[c as usize].queued.add(now, 1, &self.w);
    }

    /// A server of stage `stage` at crossing `c` starts serving vehicle `v`; its end is
    /// scheduled.
    #[inline(always)]
    fn start_service(&mut self, v: u32, c: u32, stage: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let veh = &mut self.vehicles[v as usize];
        veh.waited_ms += now.since(veh.mark).0;
        #[cfg(test)]
        {
            let cs = &mut self.crossings[c as usize];
            cs.service_starts.push(now);
            cs.stage_log.push((v, veh.flow, stage));
        }
        let hours = self.service_hours(v, c, stage);
        let calendar = &self.m.crossings[c as usize].calendar;
        let st = &mut self.crossings[c as usize].stages[stage as usize];
        let end = now.after(Duration::from_hours(hours));
        st.start(now, end, &self.w, calendar);
        #[cfg(test)]
        {
            let over = st.busy > st.servers;
            self.crossings[c as usize].overbooked |= over;
        }
        sched.schedule_at_or_now(
            end,
            Event::ServiceEnd {
                vehicle: v,
                crossing: c,
            },
        );
    }

    /// Draws the hours vehicle `v` takes at stage `stage` of crossing `c`: its service
    /// and inspection (if drawn), its gauge change (per TEU for container trains), from the
    /// stage's stream.
    #[inline(always)]
    pub(super) fn service_hours(&mut self, v: u32, c: u32, stage: u32) -> f64 {
        let crossing = &self.m.crossings[c as usize];
        let st = &mut self.crossings[c as usize].stages[stage as usize];
        match crossing.stages.get(stage as usize) {
            Some(spec) => {
                let mut h = spec.service.sample(&mut st.rng);
                if spec.inspect_prob > 0.0 && st.rng.random::<f64>() < spec.inspect_prob {
                    if let Some(d) = &spec.inspect {
                        h += d.sample(&mut st.rng);
                    }
                }
                h
            }
            None => match &crossing.gauge_change {
                Some(g) if stage as usize == crossing.stages.len() => {
                    g.hours_per_teu * self.vehicles[v as usize].teu
                }
                Some(g) => g
                    .other
                    .as_ref()
                    .map_or(0.0, |o| o.train_h.sample(&mut st.rng)),
                None => 0.0,
            },
        }
    }

    /// True when crossing `c` may start services at `now`: open by its calendar and not
    /// closed by a disruption.
    pub(super) fn crossing_open(&self, c: u32, now: SimTime) -> bool {
        self.crossings[c as usize].blocked == 0
            && self.m.crossings[c as usize].calendar.is_open(now)
    }

    /// Schedules the crossing's reopening by its calendar; a disruption reopens it itself.
    #[cold]
    pub(super) fn ensure_reopen(&mut self, c: u32, sched: &mut Scheduler<Event>) {
        let cs = &mut self.crossings[c as usize];
        if cs.reopen_pending || cs.blocked > 0 {
            return;
        }
        let at = self.m.crossings[c as usize].calendar.next_open(sched.now());
        if at != SimTime::NEVER {
            cs.reopen_pending = true;
            sched.schedule_at_or_now(at, Event::CrossingOpens { crossing: c });
        }
    }

    /// Vehicle `v` is done at its stage of crossing `c`: the next in that stage's queue is
    /// served if the crossing is open, and `v` goes on to the next stage it passes (the
    /// gauge change after the controls, when its route changes gauge here) or leaves the
    /// crossing.
    pub(super) fn service_end(&mut self, v: u32, c: u32, sched: &mut Scheduler<Event>) {
        debug_assert!(
            matches!(self.route_step(v), Step::Crossing { crossing, .. } if crossing == c)
        );
        let stage = self.vehicles[v as usize].stage;
        let st = &mut self.crossings[c as usize].stages[stage as usize];
        if st.in_order.is_none() {
            st.busy -= 1;
            if !st.queue.is_empty() {
                self.serve_next(c, stage, sched);
            }
        } else if !st.queue.is_empty() {
            // Its server may have been booked again already (a vehicle taken ahead).
            self.serve_stage_queue(c, stage, sched);
        }
        match self.stage_at_or_after(v, c, stage + 1) {
            Some(next) => self.join_stage(v, c, next, None, sched),
            None => self.leave_crossing(v, c, sched),
        }
    }

    /// A server of stage `stage` of crossing `c` is free now and vehicles wait: the first
    /// is served if the crossing is open, else its reopening is awaited.
    fn serve_next(&mut self, c: u32, stage: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        if self.crossing_open(c, now) {
            if let Some(next) = self.dequeue(c, stage, now) {
                self.start_service(next, c, stage, sched);
            }
        } else {
            self.ensure_reopen(c, sched);
        }
    }

    /// Crossing `c` may open again (its hours begin, or a closure ended): if it is open
    /// now, every free server takes the next vehicle waiting at its stage; if not, the
    /// next opening is scheduled.
    pub(super) fn crossing_opens(&mut self, c: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        self.crossings[c as usize].reopen_pending = false;
        if !self.crossing_open(c, now) {
            self.ensure_reopen(c, sched);
            return;
        }
        for stage in 0..self.crossings[c as usize].stages.len() {
            loop {
                if !self.crossings[c as usize].stages[stage].has_free_server() {
                    break;
                }
                let Some(v) = self.dequeue(c, stage as u32, now) else {
                    break;
                };
                self.start_service(v, c, stage as u32, sched);
            }
        }
    }

    /// The first vehicle waiting at stage `stage` of crossing `c`, out of the queue at
    /// `now` (whole, in the arena), if any.
    pub(super) fn dequeue(&mut self, c: u32, stage: u32, now: SimTime) -> Option<u32> {
        let cs = &mut self.crossings[c as usize];
        let w = cs.stages[stage as usize].queue.pop()?;
        cs.queued.add(now, -1, &self.w);
        Some(self.whole(w))
    }

    /// The vehicle a stage's line handed on, in the arena: a compact one gets its record
    /// back in a slot.
    #[inline]
    fn whole(&mut self, w: Waiter) -> u32 {
        match w {
            Waiter::Vehicle(v) => v,
            Waiter::Compact { flow, index } => self.rebuild_compact(flow, index),
        }
    }
}
