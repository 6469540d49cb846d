//! The state of a border crossing during a replication: per stage a queue (first come,
//! first served, transit first where the crossing gives it priority) in front of
//! identical servers, and the observers of queue length, server time busy, waits and
//! vehicles processed.
//!
//! Stage `k` (one past the control stages) is the gauge change of container trains, and
//! stage `k + 1`, when the crossing has one, that of other trains: used only by trains whose
//! route changes gauge at the crossing.

use super::observe::{CountLevel, Tally, Window};
use super::runs::{RunLine, RUN};
use super::yard::Yard;
use super::{Cargo, Crossing, NodeIx};
use crate::kernel::{Duration, SimTime};
use crate::policy::calendar::Calendar;
use crate::random::{stream, Stream, StreamKind};

/// How a vehicle passes a crossing: where it comes from, whether it changes gauge, what
/// it carries.
#[derive(Debug, Clone, Copy)]
pub(super) struct Passage {
    /// The node it comes from.
    pub(super) from: NodeIx,
    /// True when it changes gauge here.
    pub(super) change_gauge: bool,
    /// Its TEU.
    pub(super) unit_teu: f64,
    /// What it carries.
    pub(super) cargo: Cargo,
}

/// A stage's waiting line: priority vehicles (transit, where the crossing gives transit
/// priority) first, each class first come, first served. Vehicles kept compact (see
/// `sim::compact`) wait in it as runs: one entry for consecutive arrivals of one flow.
#[derive(Debug, Clone, Default)]
pub(super) struct StageQueue {
    /// Per class: vehicle indices, and `RUN | flow` marking a run of `flow`.
    classes: [RunLine<u32>; 2],
}

/// Who a stage's line hands on next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Waiter {
    /// A vehicle in the arena.
    Vehicle(u32),
    /// Arrival `index` of flow `flow`, kept compact: its record is to be built again.
    Compact { flow: u32, index: u64 },
}

impl StageQueue {
    /// Adds a vehicle at the back of its class.
    pub(super) fn push(&mut self, v: u32, priority: bool) {
        self.classes[usize::from(!priority)].push(v);
    }

    /// Adds arrival `index` of flow `flow`, kept compact, at the back of its class.
    pub(super) fn push_compact(&mut self, flow: u32, index: u64, priority: bool) {
        self.classes[usize::from(!priority)].push_compact(RUN | flow, index);
    }

    /// The next to serve.
    pub(super) fn pop(&mut self) -> Option<Waiter> {
        let class = usize::from(self.classes[0].is_empty());
        Some(match self.classes[class].pop()? {
            (v, None) => Waiter::Vehicle(v),
            (marker, Some(index)) => Waiter::Compact {
                flow: marker & !RUN,
                index,
            },
        })
    }

    /// True when nobody waits.
    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Vehicles waiting, compact ones included.
    pub(super) fn len(&self) -> usize {
        self.classes[0].len() + self.classes[1].len()
    }
}

/// What trains formed after transshipments cost their containers inside the window (at a
/// crossing, or for a flow).
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::model) struct Reformed {
    /// TEU that left in trains formed there.
    pub(in crate::model) teu: f64,
    /// TEU-hours they waited for them.
    pub(in crate::model) wait_teu_h: f64,
}

/// One stage's queue and servers.
#[derive(Debug, Clone)]
pub(super) struct StageState {
    /// Servers of the stage.
    pub(super) servers: u32,
    /// Servers now serving.
    pub(super) busy: u32,
    /// Server-milliseconds of service inside the window and the crossing's open hours,
    /// each service counted when it starts (its end is known then).
    pub(super) busy_ms: u64,
    /// Vehicles waiting for a server.
    pub(super) queue: StageQueue,
    /// Random stream of this stage's service and inspection times.
    pub(super) rng: Stream,
    /// When the stage serves in the order vehicles come, computed as they come: its
    /// servers' next free times (see [`InOrder`]); `busy` is then not kept.
    pub(super) in_order: Option<InOrder>,
    /// When a single segment brings every vehicle whose first stage here this is, each in
    /// the order it entered the segment, the stage may take a vehicle as it enters (its
    /// arrival being known then, see `sim::in_order`). Vehicles on that segment whose
    /// arrival is an event of their own, as the stage could not take them then: until they
    /// are here, nobody is taken ahead, so that the stage takes vehicles in the order they
    /// come.
    pub(super) in_flight: u32,
}

impl StageState {
    /// A stage of `servers` servers, idle and empty, drawing from `rng`.
    fn new(servers: u32, rng: Stream) -> Self {
        StageState {
            servers,
            busy: 0,
            busy_ms: 0,
            queue: StageQueue::default(),
            rng,
            in_order: None,
            in_flight: 0,
        }
    }

    /// True when a server is free.
    #[inline]
    pub(super) fn has_free_server(&self) -> bool {
        self.busy < self.servers
    }

    /// A server starts a service from `now` to `end` at a crossing open by `calendar`: its
    /// time inside the window and the open hours is busy time (a service under way at
    /// closing is finished, in time the crossing does not offer).
    #[inline]
    pub(super) fn start(&mut self, now: SimTime, end: SimTime, w: &Window, calendar: &Calendar) {
        self.busy += 1;
        self.busy_ms += if calendar.is_always_open() {
            w.overlap_ms(now, end)
        } else {
            calendar.open_ms(now.max(w.start), end.min(w.end))
        };
    }
}

/// The servers of a stage that nothing but its own services paces: no opening hours, no
/// closure, no priority, no yard limit, no route choice reading its line. Vehicles start
/// in the order they come, each on the server free first, so a vehicle's start and end are
/// known as it comes (the Kiefer–Wolfowitz recursion of a first-come-first-served queue
/// of identical servers) and one waiting needs no event to start. So that a line growing
/// without bound keeps to the memory of a stage's queue (compact, see `sim::compact`), the
/// stage takes vehicles so only while fewer than `line` of those it took have yet to start;
/// the others join its queue.
#[derive(Debug, Clone)]
pub(super) struct InOrder {
    /// When each server is next free.
    free_at: Vec<SimTime>,
    /// Per server, true when the service it is booked for ends with no event (its vehicle
    /// was delivered as it was taken): nothing then wakes the queue when it is free.
    silent: Vec<bool>,
    /// True while an event is due to wake the queue when a silent server is free.
    pub(super) wake_pending: bool,
    /// The starts of the last `line` vehicles taken, in the order taken (nondecreasing),
    /// the oldest at `oldest`.
    starts: Vec<SimTime>,
    /// Index of the oldest start in `starts`.
    oldest: usize,
}

impl InOrder {
    /// A stage of `servers` servers, all free, that takes vehicles as they come while fewer
    /// than `line` of them wait.
    pub(super) fn new(servers: u32, line: usize) -> Self {
        InOrder {
            free_at: vec![SimTime::ZERO; servers as usize],
            silent: vec![false; servers as usize],
            wake_pending: false,
            starts: vec![SimTime::ZERO; line.max(1)],
            oldest: 0,
        }
    }

    /// The server free first, and when it is free.
    #[inline]
    pub(super) fn first_free(&self) -> (usize, SimTime) {
        let mut best = (0, self.free_at[0]);
        for (j, &t) in self.free_at.iter().enumerate().skip(1) {
            if t < best.1 {
                best = (j, t);
            }
        }
        best
    }

    /// True when fewer than `line` of the vehicles taken start after `t`: one coming at `t`
    /// may be taken.
    #[inline]
    pub(super) fn has_room_at(&self, t: SimTime) -> bool {
        self.starts[self.oldest] <= t
    }

    /// True when the service server `server` is booked for ends with no event.
    #[inline]
    pub(super) fn is_silent(&self, server: usize) -> bool {
        self.silent[server]
    }

    /// Server `server` serves a vehicle from `start` to `end`, an end with no event of its
    /// own when `silent`.
    #[inline]
    pub(super) fn take(&mut self, server: usize, start: SimTime, end: SimTime, silent: bool) {
        self.free_at[server] = end;
        self.silent[server] = silent;
        self.starts[self.oldest] = start;
        self.oldest += 1;
        if self.oldest == self.starts.len() {
            self.oldest = 0;
        }
    }
}

/// The most servers a stage serving in the order vehicles come may have: each vehicle
/// looks through them all for the one free first.
pub(super) const IN_ORDER_SERVERS: u32 = 64;

/// A crossing's state.
#[derive(Debug, Clone)]
pub(super) struct CrossingState {
    /// Control stages, then the gauge change if the crossing has one.
    pub(super) stages: Vec<StageState>,
    /// Vehicles queued over all stages, and held upstream of the yard.
    pub(super) queued: CountLevel,
    /// Vehicles that completed the crossing inside the window.
    pub(super) processed: u64,
    /// Queueing time per vehicle, over all its stages.
    pub(super) wait: Tally,
    /// Time per vehicle from reaching the crossing (held upstream included) to leaving it.
    pub(super) time: Tally,
    /// True while a "crossing opens" event is scheduled.
    pub(super) reopen_pending: bool,
    /// Disruptions now closing the crossing.
    pub(super) blocked: u32,
    /// The yard: the TEU of the vehicles in the stages (queued or served), and the vehicles
    /// waiting upstream for room in it.
    pub(super) yard: Yard,
    /// What the trains formed after its transshipment cost their containers in the window.
    pub(super) reformed: Reformed,
    /// Times at which services started, kept in tests only.
    #[cfg(test)]
    pub(super) service_starts: Vec<SimTime>,
    /// The (vehicle, its flow, stage) of each service started, kept in tests only.
    #[cfg(test)]
    pub(super) stage_log: Vec<(u32, u32, u32)>,
    /// True if a stage ever served more vehicles than it has servers (tests only).
    #[cfg(test)]
    pub(super) overbooked: bool,
    /// The (start, end) of each spell with vehicles held upstream, kept in tests only.
    #[cfg(test)]
    pub(super) hold_spells: Vec<(SimTime, SimTime)>,
}

impl CrossingState {
    /// The state of crossing `c` at time zero in replication `replication` of a run seeded
    /// with `seed`: idle, empty, open, each stage with its own random stream; when
    /// `in_order`, each stage of at most [`IN_ORDER_SERVERS`] servers serves in the order
    /// vehicles come, computed as they come ([`InOrder`], taking at most `line` ahead).
    pub(super) fn new(c: &Crossing, seed: u64, replication: u64, in_order: Option<usize>) -> Self {
        // The gauge change's stream (sub-key u64::MAX) is never drawn from: container
        // trains' times are deterministic. Other trains' handling draws from u64::MAX - 1.
        let stage_stream =
            |sub: u64| stream(seed, replication, StreamKind::CrossingStage, &c.id, sub);
        let mut stages: Vec<StageState> = c
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| StageState::new(s.servers, stage_stream(i as u64)))
            .collect();
        if let Some(g) = &c.gauge_change {
            stages.push(StageState::new(g.servers, stage_stream(u64::MAX)));
            if let Some(o) = &g.other {
                stages.push(StageState::new(o.servers, stage_stream(u64::MAX - 1)));
            }
        }
        if let Some(line) = in_order {
            for st in &mut stages {
                if (1..=IN_ORDER_SERVERS).contains(&st.servers) {
                    st.in_order = Some(InOrder::new(st.servers, line));
                }
            }
        }
        CrossingState {
            stages,
            queued: CountLevel::default(),
            processed: 0,
            wait: Tally::default(),
            time: Tally::default(),
            reopen_pending: false,
            blocked: 0,
            yard: Yard::default(),
            reformed: Reformed::default(),
            #[cfg(test)]
            service_starts: Vec::new(),
            #[cfg(test)]
            stage_log: Vec::new(),
            #[cfg(test)]
            overbooked: false,
            #[cfg(test)]
            hold_spells: Vec::new(),
        }
    }

    /// Busy fraction of the most utilised stage over the hours of the window during which
    /// its crossing (`spec`) is open: its servers' busy time over their open time, both
    /// counted inside the open hours only.
    pub(super) fn utilization(&self, spec: &Crossing, w: &Window) -> f64 {
        let open_ms = spec.calendar.open_ms(w.start, w.end).max(1) as f64;
        self.stages
            .iter()
            .map(|s| s.busy_ms as f64 / open_ms / f64::from(s.servers))
            .fold(0.0, f64::max)
    }

    /// Expected hours queued at this crossing (`spec`) for a vehicle of `unit_teu` TEU and
    /// `cargo` coming from node `from` and arriving at `now`: per stage it passes (its gauge
    /// change too when `change_gauge`), the queue ahead shared by the servers times the mean
    /// service time; the vehicles held upstream before its first stage; and the wait for
    /// the crossing to open.
    pub(super) fn expected_wait_h(&self, spec: &Crossing, pass: Passage, now: SimTime) -> f64 {
        let gauge_stage = spec.gauge_stage(pass.cargo).filter(|_| pass.change_gauge);
        let mut h = 0.0;
        for (i, st) in self.stages.iter().enumerate() {
            let mean = match spec.stages.get(i) {
                Some(s) if s.serves(pass.from) => s.service.mean(),
                Some(_) => continue,
                None if gauge_stage == Some(i as u32) => {
                    spec.mean_gauge_change_h(pass.unit_teu, pass.cargo)
                }
                None => continue,
            };
            let ahead = st.queue.len() as f64 + f64::from(st.busy) - f64::from(st.servers) + 1.0;
            h += ahead.max(0.0) / f64::from(st.servers) * mean;
        }
        if let Some(first) = spec.control_from(0, pass.from) {
            let (st, s) = (&self.stages[first as usize], &spec.stages[first as usize]);
            h += self.yard.held() as f64 / f64::from(st.servers) * s.service.mean();
        }
        let opens = spec.calendar.next_open(now);
        if opens != SimTime::NEVER {
            h += opens.since(now).as_hours();
        }
        h
    }

    /// Records that a vehicle completed the crossing at `now` after queueing for `wait`
    /// and spending `time` there in all.
    #[inline(always)]
    pub(super) fn complete(&mut self, now: SimTime, wait: Duration, time: Duration, w: &Window) {
        if w.contains(now) {
            self.processed += 1;
            self.wait.record(wait);
            self.time.record(time);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{StageQueue, Waiter};

    #[test]
    fn a_stage_line_hands_on_runs_of_compact_vehicles_in_the_order_they_came() {
        let mut q = StageQueue::default();
        q.push_compact(3, 10, false);
        q.push_compact(3, 11, false);
        q.push(7, false);
        q.push_compact(3, 12, false);
        q.push_compact(3, 14, false);
        q.push_compact(2, 0, true);
        assert_eq!(q.len(), 6);
        let order: Vec<Waiter> = std::iter::from_fn(|| q.pop()).collect();
        let compact = |flow, index| Waiter::Compact { flow, index };
        assert_eq!(
            order,
            [
                compact(2, 0),
                compact(3, 10),
                compact(3, 11),
                Waiter::Vehicle(7),
                compact(3, 12),
                compact(3, 14),
            ]
        );
        assert!(q.is_empty());
        assert_eq!(q.classes[1].entries(), (0, 0));
    }

    #[test]
    fn consecutive_arrivals_of_one_flow_share_one_run() {
        let mut q = StageQueue::default();
        for index in 0..1000 {
            q.push_compact(5, index, false);
        }
        assert_eq!((q.len(), q.classes[1].entries()), (1000, (1, 1)));
    }
}
