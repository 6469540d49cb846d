//! The discrete-event kernel: simulated time, the event queue and the run loop.
//!
//! The kernel knows nothing about trains, borders or TOML. It advances simulated time from
//! one event to the next (next-event time advance: an idle network costs nothing) and breaks
//! ties between events scheduled for the same instant by the order in which they were
//! scheduled, so that a run is a pure function of its inputs.

use std::fmt;

/// A point in simulated time, in whole milliseconds since the start of the simulated period
/// (00:00 on 1 January of the scenario's `start_year`).
///
/// Integer time makes event order exact: two events computed to happen at the same instant
/// compare equal, and are then ordered by their scheduling sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// Milliseconds in one simulated hour.
pub const MS_PER_HOUR: u64 = 3_600_000;

impl SimTime {
    /// The start of the simulated period.
    pub const ZERO: SimTime = SimTime(0);
    /// A time later than any event: used as "never".
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// The time `hours` hours after the start, rounded to the nearest millisecond.
    /// Negative inputs and NaN give zero; +infinity gives [`SimTime::NEVER`].
    pub fn from_hours(hours: f64) -> SimTime {
        SimTime(hours_to_ms(hours))
    }

    /// This time in hours since the start.
    pub fn as_hours(self) -> f64 {
        ms_to_f64(self.0) / MS_PER_HOUR as f64
    }

    /// This time plus a duration, saturating at [`SimTime::NEVER`].
    pub fn after(self, d: Duration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// The duration from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} h", self.as_hours())
    }
}

/// A span of simulated time, in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub u64);

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration(0);

    /// A duration of `hours` hours, rounded to the nearest millisecond; negative inputs and
    /// NaN give zero, +infinity the longest duration (so that "never" stays never).
    pub fn from_hours(hours: f64) -> Duration {
        Duration(hours_to_ms(hours))
    }

    /// This duration in hours.
    pub fn as_hours(self) -> f64 {
        ms_to_f64(self.0) / MS_PER_HOUR as f64
    }
}

fn hours_to_ms(hours: f64) -> u64 {
    round_to_u64(hours * MS_PER_HOUR as f64)
}

/// `x` rounded to the nearest integer, halves up; NaN and negatives give 0, values beyond
/// the range of i64 (+infinity included) `u64::MAX`.
///
/// Equal to `x.round() as u64` for every `x` below 2^63, but spares the call to the C
/// library's `round` and keeps the chain of dependent instructions short: simulated
/// durations are rounded at every event, and the event's key waits on the result. Below
/// 2^62, `floor(x + 1/2) = (floor(2x) + 1) / 2` in integers, where `2x` is exact and the
/// conversion to i64 (one instruction on x86-64, where u64 conversions take several)
/// truncates, which is `floor` here; from 2^62 on, every `f64` is a whole number.
#[inline]
fn round_to_u64(x: f64) -> u64 {
    if x.is_nan() || x < 0.5 {
        0
    } else if x < 4_611_686_018_427_387_904.0 {
        (((x + x) as i64 + 1) >> 1) as u64
    } else if x < 9_223_372_036_854_775_808.0 {
        x as i64 as u64
    } else {
        u64::MAX
    }
}

/// Milliseconds as `f64`, through i64 below 2^63.
#[inline]
pub(crate) fn ms_to_f64(ms: u64) -> f64 {
    match i64::try_from(ms) {
        Ok(ms) => ms as f64,
        Err(_) => ms as f64,
    }
}

/// Set once the process is asked to stop (Ctrl-C, SIGTERM, SIGHUP). It lives in the lowest
/// layer so that every layer may read it: loading gives up its search for routes, batches
/// skip the replications not yet started.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks the work under way to stop: the search for routes of a scenario being loaded gives
/// up (the load fails, saying so), and batches skip the replications not yet started. Safe
/// to call from a signal handler.
pub fn interrupt() {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// True once [`interrupt`] has been called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Misuse of the kernel, reported as an error instead of a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KernelError {
    /// An event was scheduled before the current simulated time.
    #[error("event scheduled at {at} but the clock already reads {now}")]
    ScheduledInPast {
        /// When the event was asked to happen.
        at: SimTime,
        /// The clock when it was scheduled.
        now: SimTime,
    },
}

/// Children per node of the event heap.
const ARITY: usize = 8;
// The choice of the least child below is written out for eight.
const _: () = assert!(ARITY == 8);

/// An 8-ary min-heap, keys and events in separate arrays: a third as deep as a binary
/// heap, the eight keys compared at each level are contiguous, and the least of them is
/// chosen without branches (comparisons of random keys are what a heap mispredicts).
///
/// Replacing the root (a pop puts the last entry there; a handled event gives way to the
/// first one it schedules) moves the hole down to a leaf along the least children, then
/// sifts the entry up from there (Floyd's bottom-up deletion): the last entry, and most
/// newly scheduled events, belong near the bottom, so this saves the comparison with the
/// entry at every level. An event due at once climbs back to the root instead.
struct EventHeap<E> {
    keys: Vec<u64>,
    events: Vec<E>,
}

impl<E: Copy> EventHeap<E> {
    fn with_capacity(n: usize) -> Self {
        EventHeap {
            keys: Vec::with_capacity(n),
            events: Vec::with_capacity(n),
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize, key: u64, event: E) {
        let n = self.keys.len();
        let keys = &mut self.keys[..n];
        let events = &mut self.events[..n];
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if keys[parent] <= key {
                break;
            }
            keys[i] = keys[parent];
            events[i] = events[parent];
            i = parent;
        }
        keys[i] = key;
        events[i] = event;
    }

    #[inline]
    fn push(&mut self, key: u64, event: E) {
        let i = self.keys.len();
        self.keys.push(key);
        self.events.push(event);
        self.sift_up(i, key, event);
    }

    /// The index and key of the least key among `keys[first..end]` (`first < end`),
    /// chosen by conditional moves.
    #[inline]
    fn least(keys: &[u64], first: usize, end: usize) -> (usize, u64) {
        let mut best = first;
        let mut best_key = keys[first];
        for (c, &k) in keys.iter().enumerate().take(end).skip(first + 1) {
            let less = k < best_key;
            best = if less { c } else { best };
            best_key = if less { k } else { best_key };
        }
        (best, best_key)
    }

    /// The entry with the least key.
    #[inline]
    fn peek(&self) -> Option<(u64, E)> {
        Some((*self.keys.first()?, *self.events.first()?))
    }

    /// Removes the entry with the least key (none if empty).
    #[inline]
    fn pop_top(&mut self) {
        if let (Some(last_key), Some(last_event)) = (self.keys.pop(), self.events.pop()) {
            if !self.keys.is_empty() {
                self.replace_top(last_key, last_event);
            }
        }
    }

    /// Puts `(key, event)` in place of the entry with the least key: moves the hole at the
    /// root down to a leaf along the least children, then sifts the entry up from there.
    #[inline]
    fn replace_top(&mut self, key: u64, event: E) {
        let n = self.keys.len();
        // Both arrays cut to one length, so that an index checked against one holds for the
        // other (the descent then needs no bounds check of its own).
        let keys = &mut self.keys[..n];
        let events = &mut self.events[..n];
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            let (child, least) = if let Some(k) = keys.get(first..first + ARITY) {
                // The least of eight in a tree of three rounds of comparisons, each round
                // carrying the keys it kept along with their places (no key is read twice,
                // so no round waits for a load).
                let m = |(x, kx): (usize, u64), (y, ky): (usize, u64)| {
                    if ky < kx {
                        (y, ky)
                    } else {
                        (x, kx)
                    }
                };
                let a = m((0, k[0]), (1, k[1]));
                let b = m((2, k[2]), (3, k[3]));
                let c = m((4, k[4]), (5, k[5]));
                let d = m((6, k[6]), (7, k[7]));
                let (c, least) = m(m(a, b), m(c, d));
                (first + c, least)
            } else {
                Self::least(keys, first, n)
            };
            keys[i] = least;
            events[i] = events[child];
            i = child;
        }
        self.sift_up(i, key, event);
    }
}

/// Bits of an event key given to its time in ms: 2^42 ms is about 139 years.
const TIME_BITS: u32 = 42;
/// The rest of the key: the scheduling sequence, which orders events at equal times.
const SEQ_BITS: u32 = u64::BITS - TIME_BITS;
const SEQ_LIMIT: u64 = 1 << SEQ_BITS;

/// The latest time the event list tells apart, about 139 years: an event scheduled later
/// is kept at this time, after every earlier event. Scenario horizons (at most 100 years)
/// end before it.
pub const LAST_TIME: SimTime = SimTime((1 << TIME_BITS) - 1);

/// The future event list: events of type `E` keyed by (time, scheduling sequence).
///
/// Events at equal times come out in the order they were scheduled. A key is one `u64`,
/// time in the high 42 bits and sequence in the low 22, so that one integer comparison
/// orders by both; when the sequence runs out (every 4 million events or so) the pending
/// events are renumbered in their order, which changes no order. (Should more than 2
/// million events ever be pending at once, events at equal times then come out in an order
/// that is fixed by the run but is no longer their scheduling order.)
///
/// The heap grows with the number of pending events and its storage is reused, so a
/// steady-state run does not allocate per event.
///
/// While [`run_until`] has an event handled, that event stays at the heap's root, marked
/// taken; the first event the handler schedules takes its place (the hole at the root goes
/// down to a leaf and the event sifts up from there), instead of a removal and an
/// insertion (most events schedule exactly one more).
pub struct Scheduler<E> {
    now: SimTime,
    seq: u64,
    heap: EventHeap<E>,
    /// True while the root is an event already taken by [`Scheduler::take_due`].
    root_taken: bool,
}

impl<E: Copy> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Scheduler<E> {
    /// An empty event list with the clock at zero.
    pub fn new() -> Self {
        Scheduler {
            now: SimTime::ZERO,
            seq: 0,
            heap: EventHeap::with_capacity(1024),
            root_taken: false,
        }
    }

    /// The current simulated time: the time of the event being handled.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Number of events scheduled and not yet handled.
    pub fn pending(&self) -> usize {
        self.heap.len() - usize::from(self.root_taken)
    }

    /// Schedules `event` at `at`, which must not be earlier than [`Scheduler::now`].
    pub fn schedule(&mut self, at: SimTime, event: E) -> Result<(), KernelError> {
        if at < self.now {
            return Err(KernelError::ScheduledInPast { at, now: self.now });
        }
        self.push(at, event);
        Ok(())
    }

    /// Schedules `event` a duration `d` from now. Never fails: the time cannot be in the past.
    #[inline(always)]
    pub fn schedule_in(&mut self, d: Duration, event: E) {
        let at = self.now.after(d);
        self.push(at, event);
    }

    /// Schedules `event` at `at`, or now if `at` has already passed.
    #[inline]
    pub fn schedule_at_or_now(&mut self, at: SimTime, event: E) {
        let at = at.max(self.now);
        self.push(at, event);
    }

    /// Inlined into every caller: it is the few instructions that make the key and pick
    /// the root's place or the end (2 % fewer instructions on the tandem benchmark, 1.5 %
    /// on Eurasia, than as a call).
    #[inline(always)]
    fn push(&mut self, time: SimTime, event: E) {
        if self.seq >= SEQ_LIMIT - 1 && self.heap.len() < (SEQ_LIMIT / 2) as usize {
            self.renumber();
        }
        let seq = self.seq;
        self.seq = (self.seq + 1).min(SEQ_LIMIT - 1);
        let key = (time.min(LAST_TIME).0 << SEQ_BITS) | seq;
        if self.root_taken {
            // The taken root's key is the least of all, and no greater than any new key.
            self.root_taken = false;
            self.heap.replace_top(key, event);
        } else {
            self.heap.push(key, event);
        }
    }

    /// Gives the pending events (and the taken root, if any: it keeps the least key) the
    /// sequence numbers 0, 1, 2... in their order. The map
    /// from old keys to new ones keeps their order, so the heap stays a heap.
    #[cold]
    fn renumber(&mut self) {
        let keys = &mut self.heap.keys;
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        // Equal keys (only after the sequence saturated) keep their places: a parent sits
        // before its children, so ranking them by position keeps the heap a heap.
        order.sort_unstable_by_key(|&i| (keys[i as usize], i));
        for (rank, &i) in order.iter().enumerate() {
            let time_bits = keys[i as usize] & !(SEQ_LIMIT - 1);
            keys[i as usize] = time_bits | rank as u64;
        }
        self.seq = keys.len() as u64;
    }

    /// Removes the earliest event if it is due no later than `until`, advancing the clock
    /// to it. Returns `None` (clock unchanged) when no such event is pending. Called by a
    /// handler inside [`run_until`], it first drops the event being handled.
    pub fn pop_until(&mut self, until: SimTime) -> Option<(SimTime, E)> {
        self.release_taken();
        let taken = self.take_due(until);
        self.release_taken();
        taken.map(|e| (self.now, e))
    }

    /// Takes the earliest event if it is due no later than `until`, advancing the clock to
    /// it, but leaves it at the root, marked taken, until the next event is scheduled or
    /// [`Scheduler::release_taken`] removes it.
    #[inline]
    fn take_due(&mut self, until: SimTime) -> Option<E> {
        let bound = (until.min(LAST_TIME).0 << SEQ_BITS) | (SEQ_LIMIT - 1);
        let (key, event) = self.heap.peek()?;
        if key > bound {
            return None;
        }
        self.root_taken = true;
        self.now = SimTime(key >> SEQ_BITS);
        Some(event)
    }

    /// Removes the taken root, if the handler scheduled nothing in its place.
    #[inline]
    fn release_taken(&mut self) {
        if self.root_taken {
            self.root_taken = false;
            self.heap.pop_top();
        }
    }

    /// Moves the clock forward to `t` (used at the end of a run to reach the horizon).
    /// A `t` in the past leaves the clock where it is.
    pub fn advance_to(&mut self, t: SimTime) {
        self.now = self.now.max(t);
    }
}

/// A model driven by the kernel: it handles one event at a time and may schedule more.
pub trait Process {
    /// The events this model schedules: small `Copy` values.
    type Event: Copy;

    /// Handles `event`, which happens at `sched.now()`.
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>);
}

/// Runs `process` until no event is due at or before `horizon`, then moves the clock to the
/// horizon. Returns the number of events handled.
pub fn run_until<P: Process>(
    process: &mut P,
    sched: &mut Scheduler<P::Event>,
    horizon: SimTime,
) -> u64 {
    let mut handled = 0u64;
    while let Some(event) = sched.take_due(horizon) {
        process.handle(event, sched);
        sched.release_taken();
        handled += 1;
    }
    sched.advance_to(horizon);
    handled
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn equal_times_pop_in_scheduling_order() {
        let mut s = Scheduler::new();
        for i in 0..100u32 {
            s.schedule(SimTime(5), i).unwrap();
        }
        let order: Vec<u32> = std::iter::from_fn(|| s.pop_until(SimTime::NEVER))
            .map(|(_, e)| e)
            .collect();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn equal_times_keep_scheduling_order_across_renumbering() {
        // Ten events at each instant, scheduled in bursts, for well over the 4 million
        // sequence numbers a key holds: every burst must come out in scheduling order.
        let mut s = Scheduler::new();
        let mut next = 0u64;
        for t in 0..600_000u64 {
            for i in 0..10u64 {
                s.schedule(SimTime(t + 1), t * 10 + i).unwrap();
            }
            for _ in 0..10 {
                let (at, e) = s.pop_until(SimTime::NEVER).unwrap();
                assert_eq!((at, e), (SimTime(t + 1), next));
                next += 1;
            }
        }
        assert_eq!(s.pending(), 0);
    }

    #[test]
    fn a_renumbering_keeps_pending_events_in_order() {
        // Events pending across many renumberings, at a few instants far apart.
        let mut s = Scheduler::new();
        for i in 0..1000u64 {
            s.schedule(SimTime(1_000_000_000_000 + i % 3), i).unwrap();
        }
        for i in 0..5_000_000u64 {
            s.schedule_in(Duration(i % 7), u64::MAX);
            s.pop_until(SimTime::NEVER).unwrap();
        }
        let rest: Vec<(SimTime, u64)> = std::iter::from_fn(|| s.pop_until(SimTime::NEVER))
            .filter(|&(_, e)| e != u64::MAX)
            .collect();
        let mut want: Vec<(SimTime, u64)> = (0..1000)
            .map(|i| (SimTime(1_000_000_000_000 + i % 3), i))
            .collect();
        want.sort();
        assert_eq!(rest, want);
    }

    #[test]
    fn renumbering_equal_keys_keeps_the_heap_a_heap() {
        // Equal keys arise only once the sequence saturated with 2 million events pending;
        // made here directly.
        let mut s = Scheduler::new();
        for i in 0..10_000u64 {
            s.heap
                .push(((i * 7919 % 13) << SEQ_BITS) | (SEQ_LIMIT - 1), i);
        }
        s.renumber();
        let keys = &s.heap.keys;
        for c in 1..keys.len() {
            assert!(keys[(c - 1) / ARITY] <= keys[c], "heap order broken at {c}");
        }
        let times: Vec<u64> = std::iter::from_fn(|| s.pop_until(SimTime::NEVER))
            .map(|(t, _)| t.0)
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn rounding_matches_f64_round_up_to_the_range_of_i64() {
        let two_52 = 4_503_599_627_370_496.0_f64;
        let two_62 = 4_611_686_018_427_387_904.0_f64;
        let edges = [
            0.5,
            0.49999999999999994,
            1.5,
            2.5,
            two_52 - 0.5,
            two_52 + 1.0,
            f64::from_bits(two_62.to_bits() - 1),
            two_62,
            f64::from_bits(two_62.to_bits() + 1),
        ];
        for x in [9.1e18, 9.2e18, 4.5e15 + 0.5].into_iter().chain(edges) {
            assert_eq!(round_to_u64(x), x.round() as u64, "{x}");
        }
        assert_eq!(round_to_u64(1e19), u64::MAX);
    }

    #[test]
    fn events_beyond_the_last_time_come_last_in_scheduling_order() {
        let mut s = Scheduler::new();
        s.schedule(SimTime::NEVER, 1u8).unwrap();
        s.schedule(SimTime(LAST_TIME.0 + 5), 2).unwrap();
        s.schedule(SimTime(LAST_TIME.0 - 1), 3).unwrap();
        let order: Vec<(SimTime, u8)> =
            std::iter::from_fn(|| s.pop_until(SimTime::NEVER)).collect();
        assert_eq!(
            order,
            vec![
                (SimTime(LAST_TIME.0 - 1), 3),
                (LAST_TIME, 1),
                (LAST_TIME, 2)
            ]
        );
        // 100 years of simulated time fit well inside.
        assert!(SimTime::from_hours(100.0 * 366.0 * 24.0) < LAST_TIME);
    }

    #[test]
    fn scheduling_in_the_past_is_an_error_not_a_panic() {
        let mut s = Scheduler::new();
        s.schedule(SimTime(10), 1u8).unwrap();
        s.pop_until(SimTime::NEVER);
        assert_eq!(
            s.schedule(SimTime(9), 2),
            Err(KernelError::ScheduledInPast {
                at: SimTime(9),
                now: SimTime(10)
            })
        );
    }

    #[test]
    fn queue_matches_an_ordered_map_shadow() {
        // A simple linear congruential sequence drives pushes and pops; the queue must
        // agree with a BTreeMap keyed by (time, sequence) at every step.
        let mut s = Scheduler::new();
        let mut shadow = BTreeMap::new();
        let mut x: u64 = 12345;
        let mut seq = 0u64;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if (x >> 60) < 10 {
                let t = s.now().0 + ((x >> 20) % 50);
                s.schedule(SimTime(t), seq).unwrap();
                shadow.insert((t, seq), seq);
                seq += 1;
            } else {
                let got = s.pop_until(SimTime::NEVER);
                let want = shadow.pop_first().map(|((t, _), v)| (SimTime(t), v));
                assert_eq!(got, want);
            }
        }
    }

    /// A process that checks every event it handles against an ordered-map shadow, and
    /// schedules as many more as `children` says for a random draw (some at the current
    /// time).
    struct Shadowed {
        shadow: BTreeMap<(u64, u64), u64>,
        x: u64,
        next_id: u64,
        pending_checked: bool,
        children: [u64; 4],
    }

    impl Shadowed {
        fn new(sched: &mut Scheduler<u64>, initial: u64, children: [u64; 4]) -> Self {
            let mut p = Shadowed {
                shadow: BTreeMap::new(),
                x: 99,
                next_id: initial,
                pending_checked: true,
                children,
            };
            for id in 0..initial {
                sched.schedule(SimTime(id % 7), id).unwrap();
                p.shadow.insert((id % 7, id), id);
            }
            p
        }
    }

    impl Process for Shadowed {
        type Event = u64;

        fn handle(&mut self, event: u64, sched: &mut Scheduler<u64>) {
            let want = self.shadow.pop_first().map(|((t, _), v)| (t, v));
            assert_eq!(Some((sched.now().0, event)), want);
            self.pending_checked &= sched.pending() == self.shadow.len();
            self.x = self
                .x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for k in 0..self.children[(self.x >> 62) as usize] {
                let delay = if (self.x >> (20 + k)).is_multiple_of(4) {
                    0
                } else {
                    (self.x >> (30 + 5 * k)) % 40
                };
                let at = sched.now().0 + delay;
                sched.schedule_in(Duration(delay), self.next_id);
                self.shadow.insert((at, self.next_id), self.next_id);
                self.next_id += 1;
            }
        }
    }

    #[test]
    fn events_scheduled_while_one_is_handled_keep_their_order() {
        let mut sched = Scheduler::new();
        // None, one or two more: one on average, so that the list neither dies out nor
        // explodes.
        let mut p = Shadowed::new(&mut sched, 50, [0, 1, 1, 2]);
        let handled = run_until(&mut p, &mut sched, SimTime(200_000));
        assert!(handled > 10_000, "{handled} events handled");
        assert!(
            p.pending_checked,
            "pending() counts the event being handled out"
        );
        assert_eq!(sched.pending(), p.shadow.len());
    }

    #[test]
    fn renumbering_while_an_event_is_handled_keeps_the_order() {
        // Each event schedules exactly one more: the sequence runs out after some 4
        // million, and the renumbering then happens while the handled event is at the root.
        let mut sched = Scheduler::new();
        let mut p = Shadowed::new(&mut sched, 1000, [1, 1, 1, 1]);
        let mut handled = 0;
        while handled < 5_000_000 {
            let until = SimTime(sched.now().0 + 10_000);
            handled += run_until(&mut p, &mut sched, until);
        }
        assert!(sched.seq < SEQ_LIMIT / 2, "renumbered");
        assert!(p.pending_checked);
        assert_eq!(sched.pending(), 1000);
    }

    #[test]
    fn a_handler_that_pops_gets_the_next_event_not_its_own() {
        struct Popper(Vec<u8>);
        impl Process for Popper {
            type Event = u8;
            fn handle(&mut self, event: u8, sched: &mut Scheduler<u8>) {
                self.0.push(event);
                if event == 1 {
                    if let Some((_, next)) = sched.pop_until(SimTime::NEVER) {
                        self.0.push(next + 100);
                    }
                }
            }
        }
        let mut s = Scheduler::new();
        for e in 1..=3u8 {
            s.schedule(SimTime(u64::from(e)), e).unwrap();
        }
        let mut p = Popper(Vec::new());
        run_until(&mut p, &mut s, SimTime::NEVER);
        assert_eq!(p.0, vec![1, 102, 3]);
        assert_eq!(s.pending(), 0);
    }

    #[test]
    fn pop_until_stops_at_the_horizon() {
        let mut s = Scheduler::new();
        s.schedule(SimTime(5), 'a').unwrap();
        s.schedule(SimTime(15), 'b').unwrap();
        assert_eq!(s.pop_until(SimTime(10)), Some((SimTime(5), 'a')));
        assert_eq!(s.pop_until(SimTime(10)), None);
        assert_eq!(s.now(), SimTime(5));
    }

    #[test]
    fn hours_convert_to_milliseconds_and_back() {
        assert_eq!(SimTime::from_hours(1.5), SimTime(5_400_000));
        assert_eq!(Duration::from_hours(-3.0), Duration::ZERO);
        assert_eq!(Duration::from_hours(f64::NAN), Duration::ZERO);
        assert_eq!(Duration::from_hours(f64::INFINITY), Duration(u64::MAX));
        assert_eq!(SimTime::from_hours(1e300), SimTime::NEVER);
        assert!((SimTime(5_400_000).as_hours() - 1.5).abs() < 1e-12);
    }

    /// The next value of a xorshift sequence (test inputs, not simulation randomness).
    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    #[test]
    fn rounding_matches_f64_round_at_every_magnitude() {
        // Random bit patterns: every exponent, from the smallest numbers to beyond 2^63.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..1_000_000 {
            let v = f64::from_bits(xorshift(&mut x) >> 1);
            if v.is_finite() && v < 9_223_372_036_854_775_808.0 {
                assert_eq!(round_to_u64(v), v.round() as u64, "{v:e}");
            }
        }
    }

    #[test]
    fn hours_round_to_the_nearest_millisecond_as_f64_round_does() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            xorshift(&mut x);
            // Spread over [0, 1e6) h, and exact halves of a millisecond.
            let hours = (x >> 11) as f64 / (1u64 << 53) as f64 * 1e6;
            let half = (x % 1_000_000) as f64 + 0.5;
            for h in [hours, half / MS_PER_HOUR as f64] {
                let want = (h * MS_PER_HOUR as f64).round() as u64;
                assert_eq!(Duration::from_hours(h).0, want, "{h} h");
            }
        }
    }
}
