//! Segments: vehicles entering and leaving double tracks and roads (spacing gates, roads
//! run through without events), single tracks block by block, and the holds that keep a
//! segment shut while vehicles that came by it wait upstream of a full yard.

use super::in_order::{Feed, Unanimous};
use super::vehicle::{EMPTY_TRAIN, NO_FLEET};
use super::{Event, Sim};
use crate::kernel::{Duration, Scheduler, SimTime};
use crate::model::observe::{Tally, TeuTotal};
use crate::model::track::{direction, Admission, SingleTrack, Spaced, BACKWARD, FORWARD};
use crate::model::{DisruptionTarget, Layout, Link, Model, NodeIx, Step};

/// How a segment lets vehicles through.
#[derive(Debug, Clone)]
pub(super) enum LinkResource {
    /// A double track or a road: vehicles enter one after another, a headway or spacing
    /// apart, and run end to end.
    Spaced(Spaced),
    /// A single track of blocks between passing loops, and the running time of a block.
    Single(SingleTrack, Duration),
}

/// What a replication keeps of a segment: who may enter, and what it counts.
#[derive(Debug, Clone)]
pub(in crate::model) struct LinkState {
    /// The track or road, and the vehicles on it and waiting for it.
    pub(super) res: LinkResource,
    /// Disruptions now closing the segment.
    pub(super) blocked: u32,
    /// Vehicles held upstream of a full yard that came by this segment, per direction:
    /// while any are, the direction admits no more.
    yard_holds: [u32; 2],
    /// Times at which vehicles entered, kept in tests only.
    #[cfg(test)]
    pub(super) entries: Vec<SimTime>,
    /// Free-running time end to end.
    free_time: Duration,
    /// A road with no spacing between vehicles that nothing can close or hold: a vehicle
    /// that reaches it enters at once and leaves after its running time, whatever else
    /// happens, so it is run through without events of its own. Per direction: a yard at
    /// the far end holds vehicles on the segment in the direction leading to it only.
    passes_freely: [bool; 2],
    /// A double track or road with spacing whose every vehicle heading a direction comes
    /// straight off one other spaced segment whose spacing is no shorter: they come at
    /// least its own spacing apart and enter as they come, so they are run through it in
    /// the stroke that brought them onto the segment before (see [`chains`]).
    /// Per direction.
    pub(super) chained: [bool; 2],
    /// Vehicles that left inside the window.
    pub(super) trains: u64,
    /// TEU those vehicles carried.
    pub(super) teu: TeuTotal,
    /// Time each of them was held up beyond its free-running time.
    pub(super) wait: Tally,
}

impl LinkState {
    /// The state of segment `l`, index `i` in model `m`, at time zero.
    pub(super) fn new(m: &Model, i: u32, l: &Link) -> Self {
        let (res, free_time) = match l.layout {
            Layout::DoubleTrack { headway } => {
                (LinkResource::Spaced(Spaced::new(headway)), l.run_time)
            }
            Layout::Road { spacing } => (
                LinkResource::Spaced(Spaced::new(spacing.unwrap_or(Duration::ZERO))),
                l.run_time,
            ),
            Layout::SingleTrack {
                stretches,
                stretch_time,
                headway,
            } => (
                LinkResource::Single(SingleTrack::new(stretches, headway), stretch_time),
                Duration(stretch_time.0 * u64::from(stretches)),
            ),
        };
        let free = matches!(l.layout, Layout::Road { spacing: None })
            && !m.may_close(DisruptionTarget::Link(i));
        let passes_freely = [
            free && !may_hold_arrivals(m, l.to),
            free && !may_hold_arrivals(m, l.from),
        ];
        LinkState {
            res,
            passes_freely,
            chained: [false; 2],
            blocked: 0,
            yard_holds: [0; 2],
            #[cfg(test)]
            entries: Vec::new(),
            free_time,
            trains: 0,
            teu: TeuTotal::default(),
            wait: Tally::default(),
        }
    }

    /// Expected hours a vehicle entering in direction `dir` at `now` is held: the wait
    /// ahead at a spaced segment, or one block time per train waiting for or running on a
    /// single track.
    pub(in crate::model) fn expected_wait_h(&self, dir: usize, now: SimTime) -> f64 {
        match &self.res {
            LinkResource::Spaced(s) => s.expected_wait_h(dir, now),
            LinkResource::Single(t, block) => {
                t.trains_waiting_or_running() as f64 * block.as_hours()
            }
        }
    }

    /// One more vehicle of `teu` TEU out of the segment, held up `held` beyond its
    /// free-running time (counted only inside the window, by the caller).
    #[inline]
    fn count_out(&mut self, teu: f64, held: Duration) {
        self.trains += 1;
        self.teu.add(teu);
        self.wait.record(held);
    }

    /// True when the segment is a road that every vehicle reaching it heading `dir` enters
    /// at once and leaves after its running time, whatever else happens.
    #[inline]
    pub(super) fn passes_freely(&self, dir: usize) -> bool {
        self.passes_freely[dir]
    }

    /// True when a vehicle that has entered the segment before this one in the same stroke
    /// runs on through this one heading `dir` (`Sim::run_through`): a free-flowing road, or
    /// a spaced segment `chained` in that direction.
    #[inline]
    pub(super) fn runs_on(&self, dir: usize) -> bool {
        self.passes_freely[dir] || self.chained[dir]
    }

    /// True when the segment lets vehicles in at its `dir` end: no closure, and no vehicle
    /// that came by it held upstream of a full yard.
    fn admits(&self, dir: usize) -> bool {
        self.blocked == 0 && self.yard_holds[dir] == 0
    }
}

impl Sim<'_> {
    /// Vehicle `v` reaches segment `link`, heading `dir`: when the segment is a double track
    /// or road of no length, open in that direction (no closure, no yard hold), and no
    /// headway or spacing keeps the vehicle out now, it is counted in and out at once
    /// (what [`Sim::enter_link`] and [`Sim::count_exit`] would do, in fewer steps) and true is
    /// returned; otherwise nothing is done and false is returned.
    #[inline]
    pub(super) fn pass_at_once(&mut self, v: u32, link: u32, dir: usize, now: SimTime) -> bool {
        let ls = &mut self.links[link as usize];
        if ls.free_time != Duration::ZERO || !ls.admits(dir) {
            return false;
        }
        let LinkResource::Spaced(s) = &mut ls.res else {
            return false;
        };
        if !s.can_enter_now(dir, now) {
            return false;
        }
        s.enter(dir, now, &self.w);
        #[cfg(test)]
        ls.entries.push(now);
        let veh = &mut self.vehicles[v as usize];
        veh.mark = now;
        veh.dir = dir as u8;
        if self.w.contains(now) {
            ls.count_out(veh.counted_teu(), Duration::ZERO);
        }
        true
    }

    /// Vehicle `v` reaches segment `link`, heading `dir`: it enters now or waits. Returns
    /// true when it has already left again (a segment with no running time).
    pub(super) fn enter_link(
        &mut self,
        v: u32,
        link: u32,
        dir: usize,
        sched: &mut Scheduler<Event>,
    ) -> bool {
        let now = sched.now();
        let veh = &mut self.vehicles[v as usize];
        veh.mark = now;
        veh.dir = dir as u8;
        let ls = &mut self.links[link as usize];
        let open = ls.admits(dir);
        match &mut ls.res {
            LinkResource::Spaced(s) => {
                if open && s.can_enter_now(dir, now) {
                    s.enter(dir, now, &self.w);
                    return self.run_through(v, link, sched);
                }
                s.wait(v, dir);
                // A closed segment is reopened by the end of its closure.
                if open {
                    schedule_gate(s, link, dir, sched);
                }
            }
            LinkResource::Single(t, block_time) => {
                let pos = t.entry_position(dir);
                veh.pos = pos;
                if t.enter_alone(dir, now, open) {
                    #[cfg(test)]
                    ls.entries.push(now);
                    sched.schedule_in(*block_time, Event::BlockEnd { vehicle: v, link });
                    return false;
                }
                t.request(pos, dir, v, now);
                self.work.push((link, SingleTrack::block_ahead(pos, dir)));
                self.pump(sched);
            }
        }
        false
    }

    /// Vehicle `v` has entered spaced segment `link` now. Schedules its exit after the
    /// running time, or returns true when that is zero. Free-flowing roads and chained
    /// segments that follow are run through in the same stroke (unless `Sim::strokes` is
    /// off, as in a trace): the vehicle is counted out of each at the time it leaves it,
    /// and only the last exit is an event.
    fn run_through(&mut self, v: u32, mut link: u32, sched: &mut Scheduler<Event>) -> bool {
        #[cfg(test)]
        self.links[link as usize].entries.push(sched.now());
        let mut exit = sched.now().after(self.m.links[link as usize].run_time);
        if exit == sched.now() {
            return true;
        }
        while self.strokes {
            let veh = &self.vehicles[v as usize];
            let Some(&Step::Link {
                link: next,
                forward,
            }) = veh.steps.get(veh.step as usize + 1)
            else {
                break;
            };
            let next_dir = direction(forward);
            let ls = &mut self.links[next as usize];
            if ls.chained[next_dir] {
                if let LinkResource::Spaced(s) = &mut ls.res {
                    s.enter(next_dir, exit, &self.w);
                }
            } else if !ls.passes_freely(next_dir) {
                break;
            }
            self.count_exit(v, link, exit);
            let veh = &mut self.vehicles[v as usize];
            veh.step += 1;
            veh.mark = exit;
            veh.dir = next_dir as u8;
            #[cfg(test)]
            self.links[next as usize].entries.push(exit);
            link = next;
            exit = exit.after(self.m.links[link as usize].run_time);
        }
        if self.deliver_ahead && self.ends_route_freely(v, exit) {
            self.count_exit(v, link, exit);
            self.count_delivery(v, exit);
            return false;
        }
        if let Some(feed) = self.feeds_next(v, link) {
            if self.takes_ahead(feed, exit) {
                self.count_exit(v, link, exit);
                self.arrive_ahead(v, feed, exit, sched);
                return false;
            }
            self.fed_stage(feed).in_flight += 1;
        }
        sched.schedule_at_or_now(exit, Event::LinkExit { vehicle: v, link });
        false
    }

    /// True when vehicle `v`, which leaves its current segment at `exit`, may be delivered
    /// at once as of then: the segment ends its route, `exit` is within the horizon, and
    /// nothing it does at its destination (stock to release, an empty train's depot) waits
    /// for that time. Nothing else observes a vehicle running on a segment.
    #[inline]
    fn ends_route_freely(&self, v: u32, exit: SimTime) -> bool {
        let veh = &self.vehicles[v as usize];
        veh.step as usize + 1 == veh.steps.len()
            && veh.fleet == NO_FLEET
            && veh.flow != EMPTY_TRAIN
            && exit <= self.w.end
    }

    /// The gate of a spaced segment: the first waiting vehicle enters, and the next gate is
    /// scheduled while vehicles wait.
    pub(super) fn link_gate(&mut self, link: u32, dir: usize, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let ls = &mut self.links[link as usize];
        let admits = ls.admits(dir);
        let LinkResource::Spaced(s) = &mut ls.res else {
            return;
        };
        if !admits {
            s.cancel_gate(dir);
            return;
        }
        let entered = s.gate(dir, now, &self.w);
        schedule_gate(s, link, dir, sched);
        if let Some(v) = entered {
            if self.run_through(v, link, sched) {
                self.exit_link(v, link, sched);
            }
        }
    }

    /// A closure or a hold of a segment ended: waiting vehicles may go where it admits.
    pub(super) fn reopen_link(&mut self, link: u32, sched: &mut Scheduler<Event>) {
        let ls = &mut self.links[link as usize];
        let admits = [ls.admits(FORWARD), ls.admits(BACKWARD)];
        match &mut ls.res {
            LinkResource::Spaced(s) => {
                for dir in [FORWARD, BACKWARD] {
                    if !admits[dir] {
                        continue;
                    }
                    schedule_gate(s, link, dir, sched);
                }
            }
            LinkResource::Single(t, _) => {
                for block in 0..t.laid_blocks() {
                    self.work.push((link, block));
                }
                self.pump(sched);
            }
        }
    }

    /// The segment and direction by which vehicle `v` reached its current step, if a
    /// segment.
    fn feeder(&self, v: u32) -> Option<(u32, usize)> {
        let veh = &self.vehicles[v as usize];
        let prev = veh.step.checked_sub(1)?;
        match veh.steps[prev as usize] {
            Step::Link { link, forward } => Some((link, direction(forward))),
            _ => None,
        }
    }

    /// Vehicle `v` waits upstream of a full yard: the segment it came by admits no more in
    /// its direction until it is let in.
    pub(in crate::model) fn hold_feeder(&mut self, v: u32) {
        if let Some((link, dir)) = self.feeder(v) {
            let ls = &mut self.links[link as usize];
            ls.yard_holds[dir] += 1;
        }
    }

    /// Vehicle `v`, held upstream, enters the yard: its segment may admit again once no
    /// other held vehicle came by it.
    pub(in crate::model) fn release_feeder(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        if let Some((link, dir)) = self.feeder(v) {
            let ls = &mut self.links[link as usize];
            ls.yard_holds[dir] = ls.yard_holds[dir].saturating_sub(1);
            if ls.yard_holds[dir] == 0 {
                self.reopen_link(link, sched);
            }
        }
    }

    /// Admits waiting trains into single-track blocks until no admission is possible.
    fn pump(&mut self, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        while let Some((link, block)) = self.work.pop() {
            let ls = &mut self.links[link as usize];
            // Trains already on the line go on whatever the ends admit.
            let admits = [ls.admits(FORWARD), ls.admits(BACKWARD)];
            let LinkResource::Single(t, block_time) = &mut ls.res else {
                continue;
            };
            match t.try_admit(block, now, admits) {
                Admission::Admitted(a) => {
                    #[cfg(test)]
                    if a.from_pos == t.entry_position(a.dir) {
                        ls.entries.push(now);
                    }
                    let end = Event::BlockEnd {
                        vehicle: a.vehicle,
                        link,
                    };
                    sched.schedule_in(*block_time, end);
                    // The block behind is often the one the train just released, already
                    // next in the list: trying it twice in a row would change nothing.
                    if let Some(behind) = t.block_behind(a.from_pos, a.dir) {
                        if self.work.last() != Some(&(link, behind)) {
                            self.work.push((link, behind));
                        }
                    }
                }
                Admission::ClearsAt(at) => {
                    sched.schedule_at_or_now(at, Event::BlockClear { link, block });
                }
                Admission::None => {}
            }
        }
    }

    /// The clearance of a single-track block has ended while a train waits for it.
    pub(super) fn block_clear(&mut self, link: u32, block: u32, sched: &mut Scheduler<Event>) {
        if let LinkResource::Single(t, _) = &mut self.links[link as usize].res {
            t.woken(block);
        }
        self.work.push((link, block));
        self.pump(sched);
    }

    /// Train `v` reaches the far end of its block of single-track segment `link`: the block
    /// starts clearing behind it, and it leaves the segment, or moves on into the next
    /// block at once where nobody else could be let in instead (`move_on_alone`), or asks
    /// for it.
    pub(super) fn block_end(&mut self, v: u32, link: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        debug_assert!(matches!(self.route_step(v), Step::Link { link: l, .. } if l == link));
        let veh = &mut self.vehicles[v as usize];
        let dir = veh.dir as usize;
        let LinkResource::Single(t, block_time) = &mut self.links[link as usize].res else {
            return;
        };
        let block = SingleTrack::block_ahead(veh.pos, dir);
        t.release(block, now, &self.w);
        let dest = SingleTrack::far_end(block, dir);
        if t.is_end(dest) {
            // Nobody waiting for the block released, no admission to try.
            if !t.nobody_waits_for(block) {
                self.work.push((link, block));
                self.pump(sched);
            }
            self.exit_link(v, link, sched);
            return;
        }
        if t.move_on_alone(dest, dir, now) {
            veh.pos = dest;
            sched.schedule_in(*block_time, Event::BlockEnd { vehicle: v, link });
            return;
        }
        self.work.push((link, block));
        veh.pos = dest;
        t.request(dest, dir, v, now);
        self.work.push((link, SingleTrack::block_ahead(dest, dir)));
        self.pump(sched);
    }

    /// Vehicle `v` leaves segment `link`: counted out, and on to its next step.
    pub(super) fn exit_link(&mut self, v: u32, link: u32, sched: &mut Scheduler<Event>) {
        debug_assert!(matches!(self.route_step(v), Step::Link { link: l, .. } if l == link));
        if let Some(feed) = self.feeds_next(v, link) {
            self.fed_stage(feed).in_flight -= 1;
        }
        self.count_exit(v, link, sched.now());
        self.advance(v, sched);
    }

    /// Counts vehicle `v` out of segment `link` at `at`: one more train (or truck) and its
    /// TEU, and the time it spent beyond the free-running time, if `at` is in the window.
    #[inline(always)]
    pub(super) fn count_exit(&mut self, v: u32, link: u32, at: SimTime) {
        if self.w.contains(at) {
            let veh = &self.vehicles[v as usize];
            let teu = veh.counted_teu();
            let ls = &mut self.links[link as usize];
            let held = at.since(veh.mark).0.saturating_sub(ls.free_time.0);
            ls.count_out(teu, Duration(held));
        }
    }
}

/// Marks `chained` the segment directions of `links` (the segments of `m`) that vehicles
/// may be run through as they come off the one before: a double track or road with spacing,
/// never closed, not feeding a crossing stage (`feeds`), with no yard at its far end, whose
/// every vehicle in that direction (on the routes of every flow and every fleet's empty
/// trains) comes straight off one segment with a running time, a double track or road
/// spaced no less. Those vehicles leave that segment at least its spacing apart, so they
/// never wait at this one's entry, and they all enter it in the stroke that brought them
/// onto the segment before: its entry sees them in the order they come. Not where a flow
/// chooses its route by the waits ahead, which reads a segment's next free entry now.
pub(super) fn chains(m: &Model, links: &mut [LinkState], feeds: &[[Feed; 2]]) {
    if m.flows.iter().any(|f| f.adaptive) {
        return;
    }
    let spacing = |l: u32| match m.links[l as usize].layout {
        Layout::DoubleTrack { headway } => Some(headway),
        Layout::Road { spacing } => Some(spacing.unwrap_or(Duration::ZERO)),
        Layout::SingleTrack { .. } => None,
    };
    // Per segment direction: the one segment direction every vehicle comes off, if one.
    let mut from = vec![[Unanimous::Unseen; 2]; m.links.len()];
    let empty_routes = (m.fleets.iter())
        .flat_map(|f| f.empty_routes.iter().flatten())
        .map(|r| r.steps.as_slice());
    let routes = (m.flows.iter().flat_map(|f| &f.routes))
        .map(|r| r.steps.as_slice())
        .chain(empty_routes);
    for steps in routes {
        for (i, step) in steps.iter().enumerate() {
            let Step::Link { link, forward } = *step else {
                continue;
            };
            let came = match i.checked_sub(1).map(|k| steps[k]) {
                Some(Step::Link { link, forward }) => Some((link, forward)),
                _ => None,
            };
            from[link as usize][direction(forward)].see(came);
        }
    }
    for (l, dirs) in from.iter().enumerate() {
        let Some(own) = spacing(l as u32) else {
            continue;
        };
        if own == Duration::ZERO || m.may_close(DisruptionTarget::Link(l as u32)) {
            continue;
        }
        for (dir, came) in dirs.iter().enumerate() {
            let Some(Some((prev, _))) = came.only() else {
                continue;
            };
            let before = &m.links[prev as usize];
            let far = if dir == FORWARD {
                m.links[l].to
            } else {
                m.links[l].from
            };
            links[l].chained[dir] = before.run_time > Duration::ZERO
                && spacing(prev).is_some_and(|s| s >= own)
                && feeds[l][dir] == Feed::NONE
                && !may_hold_arrivals(m, far);
        }
    }
}

/// Schedules the next gate of spaced segment `link` in `dir`, if vehicles wait there and
/// none is pending.
fn schedule_gate(s: &mut Spaced, link: u32, dir: usize, sched: &mut Scheduler<Event>) {
    if let Some(at) = s.gate_time(dir, sched.now()) {
        let dir = dir as u8;
        sched.schedule_at_or_now(at, Event::LinkGate { link, dir });
    }
}

/// True when vehicles reaching `node` may be held upstream, on the segment they came by:
/// a crossing or a ferry port there has a yard limit.
fn may_hold_arrivals(m: &Model, node: NodeIx) -> bool {
    m.crossings
        .iter()
        .any(|c| c.node == node && c.yard_capacity_teu.is_some())
        || m.ferries
            .iter()
            .any(|f| f.ports.contains(&node) && f.port_yard_capacity_teu.is_some())
}
