//! Stages that serve vehicles in the order they come, computed as they come (see
//! `crossing::InOrder`): which crossings may, which segments bring their vehicles early
//! enough to be taken as they enter, and the handlers of such a stage.
//!
//! A stage that nothing but its own services paces needs no event for a vehicle to start:
//! its start and end follow from those before it. A vehicle is taken when it reaches the
//! stage, and its one event is its end. Where a single segment brings every vehicle whose
//! first stage at the crossing it is (per side, at a crossing with stages per side), in
//! the order they entered it and a fixed time later, a vehicle is taken as it enters that
//! segment, and needs no event to arrive either; where it then leaves the crossing with
//! nothing to do there and runs on free-flowing roads to its destination, it is delivered
//! as it is taken. The replication is the same, with fewer events (`tests::in_order`
//! checks it against the queues served event by event).

use super::compact::COMPACT_AFTER;
use super::segment::LinkState;
use super::vehicle::{EMPTY_TRAIN, NO_FLEET};
use super::{Event, Sim};
use crate::kernel::{Duration, Scheduler, SimTime};
use crate::model::crossing::StageState;
use crate::model::track::direction;
use crate::model::{DisruptionTarget, Layout, Model, Step};

/// How many vehicles a stage takes ahead of their start before the next join its queue: as
/// many as its queue holds whole before it keeps them compact.
pub(super) const LINE: usize = COMPACT_AFTER;

/// True when crossing `c` of `m` may serve in the order vehicles come, computed as they
/// come: always open, never closed, no yard limit, no priority, and no flow choosing its
/// route by the waits ahead (which reads the lines).
pub(super) fn serves_in_order(m: &Model, c: usize) -> bool {
    let x = &m.crossings[c];
    x.calendar.is_always_open()
        && x.yard_capacity_teu.is_none()
        && !x.transit_priority
        && !m.flows.iter().any(|f| f.adaptive)
        && !m.may_close(DisruptionTarget::Crossing(c as u32))
}

/// A crossing stage a segment brings vehicles to early enough to be taken as they enter
/// it (see [`feeds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Feed {
    /// The crossing, or [`Feed::NONE`]'s.
    pub(super) crossing: u32,
    /// The stage: the first that vehicles coming by the segment pass there.
    pub(super) stage: u32,
}

impl Feed {
    /// No stage fed.
    pub(super) const NONE: Feed = Feed {
        crossing: u32::MAX,
        stage: u32::MAX,
    };
}

/// What every one of the values seen was, if they were all the same: what brings a
/// stage its vehicles, what a segment's vehicles come off, the stroke onto a feeding
/// segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unanimous<T> {
    /// None seen yet.
    Unseen,
    /// Every value seen was this one.
    All(T),
    /// Values seen differed.
    Mixed,
}

impl<T: PartialEq + Copy> Unanimous<T> {
    /// One more value seen.
    pub(super) fn see(&mut self, value: T) {
        *self = match *self {
            Unanimous::Unseen => Unanimous::All(value),
            Unanimous::All(v) if v == value => Unanimous::All(v),
            _ => Unanimous::Mixed,
        };
    }

    /// The value every one seen was, if any was seen and all were the same.
    pub(super) fn only(self) -> Option<T> {
        match self {
            Unanimous::All(v) => Some(v),
            _ => None,
        }
    }
}

/// Per segment and direction (`[FORWARD, BACKWARD]`) of `m`, the crossing stage it brings
/// its vehicles to early enough to be taken as they enter it, or [`Feed::NONE`]. A stage is
/// so fed when its crossing serves in order (`in_order`), it is the first stage that
/// vehicles coming by the segment pass there (per side, when the crossing has stages per
/// side), and every route reaching the crossing whose first stage there it is comes by
/// that one segment in one direction: a double track or road with a running time, never
/// closed. Vehicles leave it in the order they entered, its running time after; that they
/// are handled in that order is [`keep_feeds_in_order`]'s to check.
pub(super) fn feeds(m: &Model, in_order: &[bool]) -> Vec<[Feed; 2]> {
    // Per crossing and stage: the segment direction bringing the vehicles whose first
    // stage there it is (`None`: one that cannot feed, or none).
    type CameBy = Unanimous<Option<(u32, usize)>>;
    let mut by: Vec<Vec<CameBy>> = (m.crossings.iter())
        .map(|x| vec![Unanimous::Unseen; x.stages.len()])
        .collect();
    for r in m.flows.iter().flat_map(|f| &f.routes) {
        for (i, step) in r.steps.iter().enumerate() {
            let Step::Crossing { crossing, .. } = *step else {
                continue;
            };
            let x = &m.crossings[crossing as usize];
            let first = if x.sided {
                x.control_from(0, m.side_of(&r.steps, i))
            } else {
                Some(0)
            };
            let Some(first) = first.filter(|&s| (s as usize) < x.stages.len()) else {
                continue;
            };
            let came_by = match i.checked_sub(1).map(|k| r.steps[k]) {
                Some(Step::Link { link, forward }) => {
                    let l = &m.links[link as usize];
                    let usable = !matches!(l.layout, Layout::SingleTrack { .. })
                        && l.run_time > Duration::ZERO
                        && !m.may_close(DisruptionTarget::Link(link));
                    usable.then_some((link, direction(forward)))
                }
                _ => None,
            };
            by[crossing as usize][first as usize].see(came_by);
        }
    }
    // Per segment direction: the stage it feeds, if one (a segment ends at one node, and
    // feeding two stages would take the vehicles of each in the order of both).
    let mut fed = vec![[Unanimous::Unseen; 2]; m.links.len()];
    for (c, stages) in by.iter().enumerate().filter(|&(c, _)| in_order[c]) {
        for (stage, b) in stages.iter().enumerate() {
            if let Some(Some((link, dir))) = b.only() {
                let feed = Feed {
                    crossing: c as u32,
                    stage: stage as u32,
                };
                fed[link as usize][dir].see(feed);
            }
        }
    }
    (fed.iter())
        .map(|dirs| dirs.map(|f| f.only().unwrap_or(Feed::NONE)))
        .collect()
}

/// Where a route's tail of free-flowing roads (`LinkState::passes_freely`) begins, and
/// their running time end to end.
#[derive(Debug, Clone, Copy)]
pub(super) struct FreeTail {
    /// The index of the tail's first step; the route's length when it does not end on a
    /// free-flowing road.
    pub(super) start: u32,
    /// The roads' running time end to end.
    pub(super) run_time: Duration,
}

/// Per flow of `m` and route of it, its tail of free-flowing roads ([`FreeTail`]).
pub(super) fn free_tails(m: &Model, links: &[LinkState]) -> Vec<Vec<FreeTail>> {
    let free = |step: &&Step| match **step {
        Step::Link { link, forward } => links[link as usize].passes_freely(direction(forward)),
        _ => false,
    };
    let tail = |steps: &[Step]| {
        let roads = steps.iter().rev().take_while(free).count();
        let run_time = (steps[steps.len() - roads..].iter())
            .map(|step| match *step {
                Step::Link { link, .. } => m.links[link as usize].run_time.0,
                _ => 0,
            })
            .sum();
        FreeTail {
            start: (steps.len() - roads) as u32,
            run_time: Duration(run_time),
        }
    };
    (m.flows.iter())
        .map(|f| f.routes.iter().map(|r| tail(&r.steps)).collect())
        .collect()
}

/// Drops the feeds (see [`feeds`]) whose vehicles may be handled in another order than
/// they arrive. A vehicle is handled (taken ahead, or found to be in flight) in the stroke
/// that brings it onto the feeding segment: that stroke begins at an event where it enters
/// the first of the segments it runs through one after another (`LinkState::runs_on`), a
/// fixed time before it arrives. Where every route reaching the stage runs the same
/// segments in that stroke, vehicles are handled in the order they arrive; otherwise (a
/// vehicle starting its stroke on the feeding segment itself while another starts hours
/// before it on the road leading there) they may not be.
pub(super) fn keep_feeds_in_order(m: &Model, links: &[LinkState], feeds: &mut [[Feed; 2]]) {
    // Per segment direction feeding a stage: the segments of the stroke that brings
    // vehicles onto it, if every route reaching the stage runs the same.
    let mut strokes: Vec<[Unanimous<&[Step]>; 2]> = vec![[Unanimous::Unseen; 2]; m.links.len()];
    for r in m.flows.iter().flat_map(|f| &f.routes) {
        for (i, step) in r.steps.iter().enumerate() {
            let Step::Link { link, forward } = *step else {
                continue;
            };
            let dir = direction(forward);
            let feed = feeds[link as usize][dir];
            let next = r.steps.get(i + 1);
            if feed == Feed::NONE
                || !matches!(next, Some(&Step::Crossing { crossing, .. }) if crossing == feed.crossing)
            {
                continue;
            }
            // Back to the segment the stroke begins with.
            let mut first = i;
            while first > 0 {
                let Step::Link { link, forward } = r.steps[first] else {
                    break;
                };
                let runs_on = links[link as usize].runs_on(direction(forward));
                if !runs_on || !matches!(r.steps[first - 1], Step::Link { .. }) {
                    break;
                }
                first -= 1;
            }
            strokes[link as usize][dir].see(&r.steps[first..=i]);
        }
    }
    for (l, dirs) in strokes.iter().enumerate() {
        for (dir, stroke) in dirs.iter().enumerate() {
            if *stroke == Unanimous::Mixed {
                feeds[l][dir] = Feed::NONE;
            }
        }
    }
}

impl Sim<'_> {
    /// Serves the stages of every crossing event by event, queue and all: for samples of
    /// the lines as time passes, and for a trace, which shows every start.
    pub(super) fn serve_event_by_event(&mut self) {
        for st in self.crossings.iter_mut().flat_map(|cs| &mut cs.stages) {
            st.in_order = None;
        }
        self.feeds.clear();
    }

    /// The crossing stage that segment `link` brings its vehicles heading `dir` to early
    /// enough to be taken as they enter (see [`feeds`]), if any.
    #[inline]
    pub(super) fn fed_by(&self, link: u32, dir: usize) -> Option<Feed> {
        let feed = self.feeds.get(link as usize)?[dir];
        (feed != Feed::NONE).then_some(feed)
    }

    /// The crossing stage that vehicle `v`, on segment `link`, is brought to by it early
    /// enough to be taken as it enters, if any: the segment feeds one in the vehicle's
    /// direction, and the vehicle stops at that crossing next (an empty train passes by).
    #[inline]
    pub(super) fn feeds_next(&self, v: u32, link: u32) -> Option<Feed> {
        let veh = &self.vehicles[v as usize];
        let feed = self.fed_by(link, usize::from(veh.dir))?;
        match veh.steps.get(veh.step as usize + 1) {
            Some(&Step::Crossing { crossing, .. }) if crossing == feed.crossing => Some(feed),
            _ => None,
        }
    }

    /// True when stage `feed` may take a vehicle reaching it at `at` as it enters the
    /// segment feeding it: nothing may come before it (no vehicle on the segment whose
    /// arrival is an event, nobody in the stage's queue) and its line has room. Otherwise
    /// the vehicle's arrival is an event of its own, and the caller counts it `in_flight`.
    #[inline]
    pub(super) fn takes_ahead(&self, feed: Feed, at: SimTime) -> bool {
        let st = &self.crossings[feed.crossing as usize].stages[feed.stage as usize];
        st.in_flight == 0
            && st.queue.is_empty()
            && st.in_order.as_ref().is_some_and(|o| o.has_room_at(at))
    }

    /// The state of stage `feed`.
    #[inline]
    pub(super) fn fed_stage(&mut self, feed: Feed) -> &mut StageState {
        &mut self.crossings[feed.crossing as usize].stages[feed.stage as usize]
    }

    /// Vehicle `v`, which has entered the segment feeding stage `feed` and leaves it at
    /// `at` (counted out by the caller), reaches the crossing then and is taken by the
    /// stage now (`takes_ahead`).
    pub(super) fn arrive_ahead(
        &mut self,
        v: u32,
        feed: Feed,
        at: SimTime,
        sched: &mut Scheduler<Event>,
    ) {
        let c = feed.crossing;
        let veh = &mut self.vehicles[v as usize];
        veh.step += 1;
        veh.waited_ms = 0;
        veh.reached = at;
        let (flow, step, teu) = (veh.flow, veh.step, veh.teu);
        // Counted as it reaches the crossing, as when its arrival is an event: the vehicles
        // kept compact there are numbered so.
        let _ = self.compact.reach(flow, step);
        let admitted = self.crossings[c as usize].yard.arrive(v, teu, None);
        debug_assert!(
            admitted,
            "a crossing with no yard limit admits every vehicle"
        );
        debug_assert_eq!(self.stage_at_or_after(v, c, 0), Some(feed.stage));
        self.take(v, c, feed.stage, at, sched);
    }

    /// Vehicle `v` reached stage `stage` of crossing `c` at `at`, a stage serving in order
    /// that takes it (nobody in its queue, room in its line): it starts on the server free
    /// first, once free; its end is scheduled, or where the rest of its route runs on
    /// free-flowing roads, it is delivered now as of the time it arrives.
    pub(super) fn take(
        &mut self,
        v: u32,
        c: u32,
        stage: u32,
        at: SimTime,
        sched: &mut Scheduler<Event>,
    ) {
        let hours = self.service_hours(v, c, stage);
        let stages = &self.crossings[c as usize].stages;
        let Some(o) = stages[stage as usize].in_order.as_ref() else {
            unreachable!("only stages serving in order take vehicles ahead");
        };
        let (server, free) = o.first_free();
        let start = at.max(free);
        let end = start.after(Duration::from_hours(hours));
        let through = self.deliver_ahead && self.leaves_on_free_roads(v, c, stage, end);
        let veh = &mut self.vehicles[v as usize];
        veh.stage = stage;
        veh.mark = at;
        veh.waited_ms += start.since(at).0;
        let cs = &mut self.crossings[c as usize];
        let st = &mut cs.stages[stage as usize];
        if let Some(o) = st.in_order.as_mut() {
            o.take(server, start, end, through);
        }
        st.busy_ms += self.w.overlap_ms(start, end);
        cs.queued.add_span(at, start, &self.w);
        #[cfg(test)]
        {
            cs.service_starts.push(start);
            cs.stage_log.push((v, veh.flow, stage));
        }
        if through {
            return self.deliver_through(v, c, end, sched);
        }
        sched.schedule_at_or_now(
            end,
            Event::ServiceEnd {
                vehicle: v,
                crossing: c,
            },
        );
    }

    /// True when vehicle `v`, at stage `stage` of crossing `c` until `end`, has no other
    /// stage to pass there, leaves it with nothing to do (no stock, no train to form), and
    /// then runs only free-flowing roads to its destination, reached within the horizon.
    #[inline]
    fn leaves_on_free_roads(&self, v: u32, c: u32, stage: u32, end: SimTime) -> bool {
        let veh = &self.vehicles[v as usize];
        if veh.flow == EMPTY_TRAIN || veh.fleet != NO_FLEET {
            return false;
        }
        // A crossing is no free-flowing road: at most the step just after it begins the tail.
        let tail = self.free_tails[veh.flow as usize][usize::from(veh.route)];
        if veh.step + 1 != tail.start || end.after(tail.run_time) > self.w.end {
            return false;
        }
        if !self.m.reform_pools.is_empty() && self.pool_at(v).is_some() {
            return false;
        }
        if !self.m.fleets.is_empty() && self.changes_stock_here(v) {
            return false;
        }
        self.stage_at_or_after(v, c, stage + 1).is_none()
    }

    /// Vehicle `v` leaves crossing `c` at `end` and runs free-flowing roads to its
    /// destination (`leaves_on_free_roads`): counted out of the crossing and of each road
    /// at the time it leaves them, and delivered, all now.
    fn deliver_through(&mut self, v: u32, c: u32, end: SimTime, sched: &mut Scheduler<Event>) {
        self.count_out_of_crossing(v, c, end);
        self.leave_yard(v, c, sched);
        let mut t = end;
        loop {
            let veh = &mut self.vehicles[v as usize];
            veh.step += 1;
            let Some(&Step::Link { link, forward }) = veh.steps.get(veh.step as usize) else {
                break;
            };
            veh.mark = t;
            veh.dir = direction(forward) as u8;
            #[cfg(test)]
            self.links[link as usize].entries.push(t);
            t = t.after(self.m.links[link as usize].run_time);
            self.count_exit(v, link, t);
        }
        self.count_delivery(v, t);
    }

    /// A vehicle reached stage `stage` of crossing `c`, which serves in order, now: taken
    /// when nobody is in the queue and the line has room, else queued (compact when its
    /// flow's vehicles may wait so here, `arrival` being which of its flow's arrivals it
    /// is) until a server is free for it (`Event::StageFree`).
    pub(super) fn join_in_order(
        &mut self,
        v: u32,
        c: u32,
        stage: u32,
        arrival: Option<u64>,
        sched: &mut Scheduler<Event>,
    ) {
        let now = sched.now();
        let st = &self.crossings[c as usize].stages[stage as usize];
        let Some(o) = st.in_order.as_ref() else {
            unreachable!("only stages serving in order join so");
        };
        if st.queue.is_empty() && o.has_room_at(now) {
            return self.take(v, c, stage, now, sched);
        }
        let was_empty = st.queue.is_empty();
        self.queue_at_stage(v, c, stage, arrival, now);
        if was_empty {
            self.await_free_server(c, stage, sched);
        }
    }

    /// Stage `stage` of crossing `c`, which serves in order, has vehicles in its queue:
    /// unless an event is due when its first free server is free (the end of the service
    /// it is booked for, or a wake already scheduled), one is scheduled then
    /// (`Event::StageFree`).
    fn await_free_server(&mut self, c: u32, stage: u32, sched: &mut Scheduler<Event>) {
        let st = &mut self.crossings[c as usize].stages[stage as usize];
        let Some(o) = st.in_order.as_mut() else {
            return;
        };
        let (server, at) = o.first_free();
        if o.is_silent(server) && !o.wake_pending {
            o.wake_pending = true;
            sched.schedule_at_or_now(at, Event::StageFree { crossing: c, stage });
        }
    }

    /// A server of stage `stage` of crossing `c`, which serves in order, may be free now
    /// while vehicles wait in its queue (a service there ended, or a wake came): the first
    /// waiting are taken while servers are free now, and the next free server is awaited
    /// while others wait.
    pub(super) fn serve_stage_queue(&mut self, c: u32, stage: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        loop {
            let cs = &mut self.crossings[c as usize];
            let st = &mut cs.stages[stage as usize];
            let free = st
                .in_order
                .as_ref()
                .is_some_and(|o| o.first_free().1 <= now);
            if !free {
                break;
            }
            let Some(v) = self.dequeue(c, stage, now) else {
                return;
            };
            let veh = &mut self.vehicles[v as usize];
            veh.waited_ms += now.since(veh.mark).0;
            self.take(v, c, stage, now, sched);
        }
        if !self.crossings[c as usize].stages[stage as usize]
            .queue
            .is_empty()
        {
            self.await_free_server(c, stage, sched);
        }
    }

    /// The wake of stage `stage` of crossing `c` (see [`Sim::await_free_server`]).
    pub(super) fn stage_free(&mut self, c: u32, stage: u32, sched: &mut Scheduler<Event>) {
        if let Some(o) = &mut self.crossings[c as usize].stages[stage as usize].in_order {
            o.wake_pending = false;
        }
        self.serve_stage_queue(c, stage, sched);
    }
}
