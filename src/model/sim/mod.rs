//! One replication: vehicles move along their routes through segments and crossings, as
//! events handled by the kernel.
//!
//! Vehicles live in an arena (a `Vec` with a free list) and events carry their index, so
//! the event loop neither allocates nor hashes: storage grows with the number of vehicles
//! alive, not with the number of events. Exit, block-end and service-end events also carry
//! their segment or crossing, so that a handler reads its state without going through the
//! vehicle's route first (debug builds check that the two agree).
//!
//! [`dispatch`] hands each event to its handler: [`vehicle`] for arrivals and the steps of
//! a route, [`segment`] for tracks and roads, [`at_crossing`] for crossings, [`disruption`]
//! for closures (ferry lines have theirs in `model::ferry`). [`finish`] works out what the
//! replication hands back.

use super::crossing::CrossingState;
use super::ferry::FerryState;
use super::observations::ReplicationObs;
use super::observe::Window;
use super::stock::FleetState;
use super::Model;
use crate::kernel::{run_until, Duration, Scheduler, SimTime};
use crate::random::{stream, Stream, StreamKind};

mod at_crossing;
mod compact;
mod dispatch;
mod disruption;
mod finish;
mod in_order;
#[cfg(test)]
mod invariants;
mod reform;
mod segment;
mod stock;
#[cfg(test)]
mod tests;
pub(super) mod trace;
mod vehicle;

pub(super) use dispatch::Event;
use segment::LinkState;
use vehicle::{FlowState, Vehicle};

/// The state of one replication.
pub(crate) struct Sim<'m> {
    /// The model simulated.
    pub(super) m: &'m Model,
    /// The measured window: from the end of the warm-up to the horizon.
    pub(super) w: Window,
    /// The vehicle arena: slots of delivered vehicles are reused.
    pub(super) vehicles: Vec<Vehicle<'m>>,
    /// Free slots of the arena.
    free: Vec<u32>,
    /// The vehicles queued at a crossing in compact form, outside the arena.
    compact: compact::Compact<'m>,
    /// True when a vehicle whose route ends on a segment it has just entered is delivered
    /// at once, as of the time it leaves the segment, instead of at an event then (see
    /// `Sim::ends_route_freely`). False when something observes vehicles as time passes:
    /// samples of the vehicles in the network, a trace.
    deliver_ahead: bool,
    /// True when a vehicle entering a segment runs on through the free-flowing roads and
    /// chained segments that follow in the same stroke, counted out of each at its time and
    /// with one event for the last exit (see `Sim::run_through`). False in a trace, whose
    /// rows show each segment a vehicle leaves: every exit is then an event.
    strokes: bool,
    /// The number the next vehicle to appear takes (`Vehicle::serial`).
    next_serial: u32,
    /// The state of each flow, indexed as in the model.
    flows: Vec<FlowState>,
    /// The state of each segment, indexed as in the model.
    pub(super) links: Vec<LinkState>,
    /// The state of each crossing, indexed as in the model.
    pub(super) crossings: Vec<CrossingState>,
    /// Per segment and direction, the crossing stage it brings vehicles to early enough to
    /// be taken as they enter, if any (see `in_order::feeds`); empty when stages are served
    /// event by event.
    feeds: Vec<[in_order::Feed; 2]>,
    /// Per flow and route, where its tail of free-flowing roads begins (see
    /// `in_order::free_tails`).
    free_tails: Vec<Vec<in_order::FreeTail>>,
    /// The state of each ferry line, indexed as in the model.
    pub(super) ferries: Vec<FerryState>,
    /// The state of each fleet, indexed as in the model.
    pub(super) fleets: Vec<FleetState>,
    /// The containers gathered for new trains after transshipments, one per pool of the
    /// model.
    pools: Vec<reform::PoolState>,
    /// Random streams of the disruptions (used by random ones only).
    disruption_rngs: Vec<Stream>,
    /// When sampling the vehicles in the network: the interval, and the samples.
    sample_every: Option<Duration>,
    samples: Vec<f64>,
    /// When sampling the queues of the crossings too: at each sample, the vehicles queued
    /// (and held upstream) at each crossing, in the model's order.
    queue_samples: Option<Vec<f64>>,
    /// Single-track blocks to try to admit a train into; reused, never shrunk.
    work: Vec<(u32, u32)>,
    /// The time of the last event handled, and whether an event ever came earlier than
    /// the one before it (tests only).
    #[cfg(test)]
    clock: (SimTime, bool),
    /// The first breach of the fleets' invariants seen before an event (tests only).
    #[cfg(test)]
    stock_error: Option<String>,
}

/// Bytes a vehicle waiting whole holds, estimated: its record in the arena, and its entry
/// in the line and in the arena's free list; twice over, as the vectors holding them grow
/// by doubling and may hold up to twice what is in use.
pub(super) const WHOLE_VEHICLE_BYTES: u64 = 2 * (std::mem::size_of::<Vehicle>() as u64 + 16);

/// Bytes a vehicle waiting compact holds at most, estimated: a run of its own (when no
/// other vehicle of its flow is next to it in the line) and its entry in the line; twice
/// over, as for [`WHOLE_VEHICLE_BYTES`].
pub(super) const COMPACT_VEHICLE_BYTES: u64 = 2 * 24;

pub(super) use compact::Place as CompactPlace;

/// Per flow of `model`, where its vehicles may wait compact, if anywhere: at the first
/// stage of the crossing at a step of its route, or at its origin for stock (see
/// `compact`).
pub(super) fn compact_places(model: &Model) -> Vec<Option<CompactPlace>> {
    let links: Vec<LinkState> = (model.links.iter().enumerate())
        .map(|(i, l)| LinkState::new(model, i as u32, l))
        .collect();
    compact::places(model, &links)
}

/// Runs replication `replication` of `model` with random streams from `seed`, on the
/// calling thread, and returns what it measured after `warmup`.
pub fn simulate(model: &Model, warmup: SimTime, seed: u64, replication: u64) -> ReplicationObs {
    let (sim, events) = run_to_horizon(model, warmup, seed, replication);
    sim.finish(replication, events)
}

/// Runs replication `replication` of `model` and returns the number of vehicles in the
/// network (arrived at their origin, not yet delivered) at times 0, `every`, 2 `every`, ...
/// up to the horizon: the series from which a warm-up can be found.
pub fn vehicles_in_network(
    model: &Model,
    seed: u64,
    replication: u64,
    every: Duration,
) -> Vec<f64> {
    sampled(model, seed, replication, every, false).samples
}

/// Runs replication `replication` of `model` from time zero, sampling the vehicles in the
/// network every `every` (at least 1 ms), and with `queues` each crossing's line too. Every
/// vehicle is delivered at an event of its own, so that none leaves before its time; with
/// `queues`, every stage is served event by event, so that its line holds who waits.
fn sampled(model: &Model, seed: u64, replication: u64, every: Duration, queues: bool) -> Sim<'_> {
    let mut sim = Sim::new(model, SimTime::ZERO, seed, replication);
    sim.deliver_ahead = false;
    if queues {
        sim.serve_event_by_event();
        sim.queue_samples = Some(Vec::new());
    }
    let mut sched = Scheduler::new();
    sim.start(&mut sched);
    sim.sample_every = Some(every.max(Duration(1)));
    sched.schedule_in(Duration::ZERO, Event::Sample);
    run_until(&mut sim, &mut sched, model.horizon);
    sim
}

/// What one replication looked like as it ran, sampled at a fixed interval from time 0 to
/// the horizon: the vehicles in the network and the vehicles queued at each crossing.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The interval between samples.
    pub every: Duration,
    /// Vehicles in the network (arrived at their origin, not yet delivered) at each sample.
    pub vehicles: Vec<f64>,
    /// Per crossing (in the model's order), the vehicles queued there, held upstream of
    /// its yard included, at each sample.
    pub queued: Vec<Vec<f64>>,
}

/// Runs replication `replication` of `model` and samples it every `every` (see
/// [`Series`]).
pub fn series(model: &Model, seed: u64, replication: u64, every: Duration) -> Series {
    let every = every.max(Duration(1));
    let sim = sampled(model, seed, replication, every, true);
    let n = model.crossings.len();
    let flat = sim.queue_samples.unwrap_or_default();
    let queued = (0..n)
        .map(|c| flat.iter().skip(c).step_by(n.max(1)).copied().collect())
        .collect();
    Series {
        every,
        vehicles: sim.samples,
        queued,
    }
}

/// Runs a replication to its horizon and returns its final state and the events handled.
pub(super) fn run_to_horizon(
    model: &Model,
    warmup: SimTime,
    seed: u64,
    replication: u64,
) -> (Sim<'_>, u64) {
    Sim::new(model, warmup, seed, replication).run()
}

/// [`run_to_horizon`] with none of the shortcuts that spare events: every crossing stage
/// served event by event, queue and all (nothing served in order or taken ahead, see
/// `in_order`), every vehicle whole (none compact), and each delivery and segment exit an
/// event of its own, as in a trace. What the replication must measure either way.
#[cfg(test)]
pub(super) fn run_to_horizon_event_by_event(
    model: &Model,
    warmup: SimTime,
    seed: u64,
    replication: u64,
) -> (Sim<'_>, u64) {
    let mut sim = Sim::new(model, warmup, seed, replication);
    sim.keep_vehicles_whole();
    sim.run()
}

impl<'m> Sim<'m> {
    /// Replication `replication` of `m` at time zero, with random streams from `seed`,
    /// measuring after `warmup`: nothing yet scheduled, no vehicle yet.
    fn new(m: &'m Model, warmup: SimTime, seed: u64, replication: u64) -> Self {
        let flows = (m.flows.iter())
            .map(|f| FlowState::new(f, seed, replication))
            .collect();
        let mut links: Vec<LinkState> = (m.links.iter().enumerate())
            .map(|(i, l)| LinkState::new(m, i as u32, l))
            .collect();
        let compact = compact::Compact::new(m, &links, (seed, replication), true);
        let in_order: Vec<bool> = (0..m.crossings.len())
            .map(|c| in_order::serves_in_order(m, c))
            .collect();
        let mut feeds = in_order::feeds(m, &in_order);
        segment::chains(m, &mut links, &feeds);
        in_order::keep_feeds_in_order(m, &links, &mut feeds);
        let free_tails = in_order::free_tails(m, &links);
        let crossings = (m.crossings.iter().zip(&in_order))
            .map(|(c, &o)| CrossingState::new(c, seed, replication, o.then_some(in_order::LINE)))
            .collect();
        let ferries = m
            .ferries
            .iter()
            .map(|f| FerryState::new(f, seed, replication))
            .collect();
        let w = Window {
            start: warmup,
            end: m.horizon,
        };
        let fleets = m.fleets.iter().map(|f| FleetState::new(f, &w)).collect();
        let disruption_rngs = m
            .disruptions
            .iter()
            .map(|d| stream(seed, replication, StreamKind::Disruption, &d.id, 0))
            .collect();
        Sim {
            m,
            disruption_rngs,
            sample_every: None,
            samples: Vec::new(),
            queue_samples: None,
            w,
            vehicles: Vec::with_capacity(1024),
            free: Vec::new(),
            compact,
            deliver_ahead: true,
            strokes: true,
            next_serial: 0,
            flows,
            links,
            crossings,
            feeds,
            free_tails,
            ferries,
            fleets,
            pools: vec![reform::PoolState::default(); m.reform_pools.len()],
            work: Vec::with_capacity(16),
            #[cfg(test)]
            clock: (SimTime::ZERO, false),
            #[cfg(test)]
            stock_error: None,
        }
    }

    /// Starts the replication and runs it to the model's horizon: its final state, and the
    /// events handled.
    fn run(mut self) -> (Self, u64) {
        let mut sched = Scheduler::new();
        self.start(&mut sched);
        let horizon = self.m.horizon;
        let events = run_until(&mut self, &mut sched, horizon);
        (self, events)
    }

    /// Schedules the first events: those of the ferry lines, the disruptions, then each
    /// flow's first arrival (the order in which events due at the same time are handled).
    fn start(&mut self, sched: &mut Scheduler<Event>) {
        self.start_ferries(sched);
        self.start_disruptions(sched);
        self.start_arrivals(sched);
    }

    /// Keeps every vehicle whole, none compact, delivers each at an event of its own and
    /// has it leave every segment at an event (before the replication starts): for a
    /// trace, whose rows number vehicles as they appear and show every event.
    fn keep_vehicles_whole(&mut self) {
        self.compact = compact::Compact::new(self.m, &[], (0, 0), false);
        self.deliver_ahead = false;
        self.strokes = false;
        self.serve_event_by_event();
    }

    /// Vehicles in the network: arrived at their origin, not yet delivered (those kept
    /// compact included).
    fn in_network(&self) -> u64 {
        (self.vehicles.len() - self.free.len()) as u64 + self.compact.held
    }

    /// TEU carried by vehicle `v`.
    pub(super) fn unit_teu(&self, v: u32) -> f64 {
        self.vehicles[v as usize].teu
    }
}
