//! Ferry lines during a replication: port yards, vessels shuttling between two ports, and
//! storms that stop sailings.
//!
//! A vehicle reaching a port joins the yard of its line (or, when the yard is full, waits
//! upstream until there is room: back-pressure, never loss). The first vessel in port takes
//! vehicles from the yard in arrival order while they fit; vehicles are carried whole. The
//! vessel then spends `load_h` at the berth, sails for `sail_h` (not before a storm is over)
//! and lands its vehicles at the other port, where they continue their routes.

use super::observations::FerryObs;
use super::observe::{Level, Tally, Window};
use super::sim::{Event, Sim};
use super::yard::Yard;
use super::{fits, Departure, Ferry};
use crate::kernel::{Duration, Scheduler, SimTime};
use crate::random::{exponential, stream, Stream, StreamKind};
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VesselState {
    /// In port, taking vehicles on board.
    InPort,
    /// At the berth for `load_h`, closed to more cargo.
    Loading,
    /// Loaded, waiting for a storm to pass.
    StormBound,
    /// At sea.
    Sailing,
}

#[derive(Debug, Clone)]
struct Vessel {
    /// Port side it is at or sailing to (0 = `from`, 1 = `to`).
    side: usize,
    state: VesselState,
    cargo: Vec<u32>,
    load_teu: f64,
    /// Counts the vessel's sailings; tags its max-wait timer.
    voyage: u32,
}

/// A ferry line's state.
#[derive(Debug, Clone)]
pub(super) struct FerryState {
    /// Vehicles in each port's yard, waiting to board, in arrival order, each with its TEU.
    to_board: [VecDeque<(u32, f64)>; 2],
    /// Each port's yard: its TEU (those aboard a vessel still in port included), and the
    /// vehicles held upstream while it is full.
    yards: [Yard; 2],
    yard_level: Level,
    /// Vessels in each port, in order of arrival; the first takes cargo.
    in_port: [VecDeque<u32>; 2],
    /// Vessels at sea heading to each port.
    heading: [u32; 2],
    vessels: Vec<Vessel>,
    storm: bool,
    /// Disruptions now closing the line (or one of its ports).
    closed: u32,
    rng: Stream,
    /// Sailings and TEU carried from each port, inside the window.
    sailings_from: [u64; 2],
    teu_from: [f64; 2],
    wait: Tally,
    /// Time per vehicle from reaching the port (held upstream included) to sailing.
    time: Tally,
    /// TEU that ever reached the line and TEU that ever left it at the far port.
    teu_in: f64,
    teu_out: f64,
    /// What tests check afterwards: storms and sailings in time order, the heaviest load.
    #[cfg(test)]
    pub(super) trace: FerryTrace,
}

/// A record of one line's history, kept in tests only.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(super) struct FerryTrace {
    /// (time, true = storm starts / false = storm ends).
    pub(super) storms: Vec<(SimTime, bool)>,
    /// Departure times.
    pub(super) sailings: Vec<SimTime>,
    /// Most TEU ever aboard one vessel.
    pub(super) max_load_teu: f64,
}

impl FerryState {
    /// The state of ferry line `f` at time zero in replication `replication` of a run
    /// seeded with `seed`.
    pub(super) fn new(f: &Ferry, seed: u64, replication: u64) -> Self {
        FerryState {
            to_board: [VecDeque::new(), VecDeque::new()],
            yards: [Yard::default(), Yard::default()],
            yard_level: Level::default(),
            in_port: [(0..f.vessels).collect(), VecDeque::new()],
            heading: [0; 2],
            vessels: (0..f.vessels)
                .map(|_| Vessel {
                    side: 0,
                    state: VesselState::InPort,
                    cargo: Vec::new(),
                    load_teu: 0.0,
                    voyage: 0,
                })
                .collect(),
            storm: false,
            closed: 0,
            rng: stream(seed, replication, StreamKind::FerryWeather, &f.id, 0),
            sailings_from: [0; 2],
            teu_from: [0.0; 2],
            wait: Tally::default(),
            time: Tally::default(),
            teu_in: 0.0,
            teu_out: 0.0,
            #[cfg(test)]
            trace: FerryTrace::default(),
        }
    }

    /// Hours a vehicle reaching the port on `side` now would expect to wait for a sailing:
    /// the cargo ahead of it in vessel loads, times the interval between sailings.
    pub(super) fn expected_wait_h(&self, f: &Ferry, side: usize) -> f64 {
        let ahead = self.yards[side].teu_with_held();
        let loads_ahead = (ahead / f.capacity_teu).floor();
        let interval = match f.departure {
            Departure::Schedule { every } => every.as_hours(),
            Departure::WhenFull { .. } => {
                2.0 * (f.load.as_hours() + f.sail.as_hours()) / f64::from(f.vessels)
            }
        };
        let storm = if self.storm || self.closed > 0 {
            interval
        } else {
            0.0
        };
        (loads_ahead + 0.5) * interval + storm
    }

    /// What the line measured over the window.
    pub(super) fn observe(&self, f: &Ferry, w: &Window) -> FerryObs {
        FerryObs {
            teu: self.teu_from.iter().sum(),
            voyages: self.sailings_from.iter().sum::<u64>() as f64,
            fill: (0..2)
                .filter(|&d| self.sailings_from[d] > 0)
                .map(|d| self.teu_from[d] / (self.sailings_from[d] as f64 * f.capacity_teu))
                .fold(0.0, f64::max),
            wait_mean_h: self.wait.mean(),
            delay_h: self.wait.total(),
            wait_p95_h: self.wait.quantile(0.95),
            time_mean_h: self.time.mean(),
            time_p95_h: self.time.quantile(0.95),
            yard_teu: self.yard_level.time_average(w),
        }
    }

    /// TEU conservation: (arrived, left at the far port, on board at sea or at a berth,
    /// in yards or held upstream).
    #[cfg(test)]
    pub(super) fn balance(&self, unit_teu: impl Fn(u32) -> f64) -> (f64, f64, f64, f64) {
        let aboard: f64 = self
            .vessels
            .iter()
            .filter(|v| v.state != VesselState::InPort)
            .map(|v| v.load_teu)
            .sum();
        let boarded_in_port: f64 = self
            .vessels
            .iter()
            .filter(|v| v.state == VesselState::InPort)
            .map(|v| v.load_teu)
            .sum();
        let waiting: f64 = (0..2)
            .flat_map(|side| {
                let held = self.yards[side].held_vehicles();
                self.to_board[side].iter().map(|&(v, _)| v).chain(held)
            })
            .map(unit_teu)
            .sum();
        (self.teu_in, self.teu_out, aboard, waiting + boarded_in_port)
    }

    /// Most TEU ever in one port's yard (tests only).
    #[cfg(test)]
    pub(super) fn max_yard_teu(&self) -> f64 {
        self.yards[0].peak_teu.max(self.yards[1].peak_teu)
    }

    /// Most vehicles ever held upstream of one port (tests only).
    #[cfg(test)]
    pub(super) fn max_held(&self) -> usize {
        self.yards[0].max_held.max(self.yards[1].max_held)
    }

    /// Sailings made over the window (for tests of storms).
    #[cfg(test)]
    pub(super) fn voyages(&self) -> u64 {
        self.sailings_from.iter().sum()
    }
}

impl Sim<'_> {
    /// Schedules the first storm of every line that has weather, and the first sailing
    /// slots of scheduled lines.
    pub(super) fn start_ferries(&mut self, sched: &mut Scheduler<Event>) {
        for (i, f) in self.m.ferries.iter().enumerate() {
            let i = i as u32;
            if let Some(w) = &f.weather {
                let fs = &mut self.ferries[i as usize];
                let calm = exponential(&mut fs.rng, w.mean_calm());
                sched.schedule_in(
                    calm,
                    Event::Storm {
                        ferry: i,
                        starts: true,
                    },
                );
            }
            if let Departure::Schedule { .. } = f.departure {
                for side in 0..2u8 {
                    sched.schedule_in(Duration::ZERO, Event::FerrySlot { ferry: i, side });
                }
            }
        }
    }

    /// A vehicle reaches the port on side `side` of line `f`.
    pub(super) fn ferry_arrival(
        &mut self,
        v: u32,
        f: u32,
        side: usize,
        sched: &mut Scheduler<Event>,
    ) {
        let now = sched.now();
        if !self.m.fleets.is_empty() {
            self.end_leg(v, sched);
        }
        let teu = self.unit_teu(v);
        let veh = &mut self.vehicles[v as usize];
        veh.mark = now;
        veh.dir = side as u8;
        let cap = self.m.ferries[f as usize].port_yard_capacity_teu;
        let fs = &mut self.ferries[f as usize];
        fs.teu_in += teu;
        if fs.yards[side].arrive(v, teu, cap) {
            self.join_boarding(v, teu, f, side, now);
            self.board(f, side, sched);
        } else {
            self.hold_feeder(v);
        }
    }

    /// Vehicle `v` of `teu` TEU, let into the yard of `side`, waits there to board.
    fn join_boarding(&mut self, v: u32, teu: f64, f: u32, side: usize, now: SimTime) {
        let w = self.w;
        let fs = &mut self.ferries[f as usize];
        fs.yard_level.add(now, teu, &w);
        fs.to_board[side].push_back((v, teu));
    }

    /// The first vessel in port takes vehicles while they fit; a full vessel (when-full
    /// lines) goes to the berth and the next one takes over.
    fn board(&mut self, f: u32, side: usize, sched: &mut Scheduler<Event>) {
        let spec: &Ferry = &self.m.ferries[f as usize];
        while let Some(&vid) = self.ferries[f as usize].in_port[side].front() {
            let first_boarding = self.load_from_yard(f, side, vid);
            let Departure::WhenFull { max_wait } = spec.departure else {
                break;
            };
            let fs = &self.ferries[f as usize];
            let vessel = &fs.vessels[vid as usize];
            if let (true, Some(d)) = (first_boarding, max_wait) {
                let voyage = vessel.voyage;
                sched.schedule_in(
                    d,
                    Event::FerryMaxWait {
                        ferry: f,
                        vessel: vid,
                        voyage,
                    },
                );
            }
            let full = !fs.to_board[side].is_empty() || vessel.load_teu >= spec.capacity_teu - 1e-9;
            if !full {
                break;
            }
            self.go_to_berth(f, vid, sched);
        }
        self.reposition(f, sched);
    }

    /// Boards vessel `vid` of line `f` from the yard of `side`, first come first served,
    /// while the next vehicle fits. Returns true when the vessel was empty and took its
    /// first vehicle.
    fn load_from_yard(&mut self, f: u32, side: usize, vid: u32) -> bool {
        let capacity = self.m.ferries[f as usize].capacity_teu;
        let fs = &mut self.ferries[f as usize];
        let mut first_boarding = false;
        while let Some(&(v, teu)) = fs.to_board[side].front() {
            let vessel = &mut fs.vessels[vid as usize];
            if !fits(vessel.load_teu, teu, capacity) {
                break;
            }
            first_boarding |= vessel.cargo.is_empty();
            vessel.cargo.push(v);
            vessel.load_teu += teu;
            #[cfg(test)]
            {
                fs.trace.max_load_teu = fs.trace.max_load_teu.max(vessel.load_teu);
            }
            fs.to_board[side].pop_front();
        }
        first_boarding
    }

    /// Empty vessels idle at one port sail to the other while no cargo waits here and the
    /// cargo waiting there exceeds what the vessels there or on their way can take
    /// (when-full lines only).
    fn reposition(&mut self, f: u32, sched: &mut Scheduler<Event>) {
        let spec = &self.m.ferries[f as usize];
        if !matches!(spec.departure, Departure::WhenFull { .. }) {
            return;
        }
        let capacity = spec.capacity_teu;
        for side in 0..2 {
            let other = 1 - side;
            loop {
                let fs = &self.ferries[f as usize];
                let cargo_here = !fs.to_board[side].is_empty() || fs.yards[side].held() > 0;
                let Some(&vid) = fs.in_port[side].front() else {
                    break;
                };
                if cargo_here || !fs.vessels[vid as usize].cargo.is_empty() {
                    break;
                }
                // Cargo waiting there beyond what the vessels there, at sea towards it, or
                // about to reposition to it can take.
                let demand = fs.yards[other].teu_with_held();
                let on_the_way = fs
                    .vessels
                    .iter()
                    .filter(|v| {
                        v.side == side && v.state == VesselState::Loading && v.cargo.is_empty()
                    })
                    .count();
                let vessels = fs.in_port[other].len() + fs.heading[other] as usize + on_the_way;
                if demand <= vessels as f64 * capacity {
                    break;
                }
                self.go_to_berth(f, vid, sched);
            }
        }
    }

    /// The vessel leaves the queue of vessels in port and spends `load_h` at the berth.
    fn go_to_berth(&mut self, f: u32, vid: u32, sched: &mut Scheduler<Event>) {
        let spec = &self.m.ferries[f as usize];
        let fs = &mut self.ferries[f as usize];
        let side = fs.vessels[vid as usize].side;
        if let Some(pos) = fs.in_port[side].iter().position(|&x| x == vid) {
            fs.in_port[side].remove(pos);
        }
        let vessel = &mut fs.vessels[vid as usize];
        vessel.state = VesselState::Loading;
        // An empty repositioning run does not load.
        let berth = if vessel.cargo.is_empty() {
            Duration::ZERO
        } else {
            spec.load
        };
        sched.schedule_in(
            berth,
            Event::FerryLoaded {
                ferry: f,
                vessel: vid,
            },
        );
    }

    /// Loading is done: the vessel sails, unless a storm holds it in port.
    pub(super) fn ferry_loaded(&mut self, f: u32, vid: u32, sched: &mut Scheduler<Event>) {
        let fs = &mut self.ferries[f as usize];
        if fs.storm || fs.closed > 0 {
            fs.vessels[vid as usize].state = VesselState::StormBound;
            return;
        }
        self.sail(f, vid, sched);
    }

    fn sail(&mut self, f: u32, vid: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let spec = &self.m.ferries[f as usize];
        let w = self.w;
        let fs = &mut self.ferries[f as usize];
        let vessel = &mut fs.vessels[vid as usize];
        let side = vessel.side;
        vessel.state = VesselState::Sailing;
        vessel.side = 1 - side;
        vessel.voyage = vessel.voyage.wrapping_add(1);
        let load = vessel.load_teu;
        fs.heading[1 - side] += 1;
        #[cfg(test)]
        fs.trace.sailings.push(now);
        fs.yards[side].leave(load);
        fs.yard_level.add(now, -load, &w);
        if w.contains(now) {
            fs.sailings_from[side] += 1;
            fs.teu_from[side] += load;
            for &v in &fs.vessels[vid as usize].cargo {
                let at_port = now.since(self.vehicles[v as usize].mark);
                fs.wait
                    .record(Duration(at_port.0.saturating_sub(spec.load.0)));
                fs.time.record(at_port);
            }
        }
        sched.schedule_in(
            spec.sail,
            Event::FerryArrives {
                ferry: f,
                vessel: vid,
            },
        );
        self.release_held(f, side, sched);
        self.board(f, side, sched);
    }

    /// Moves vehicles held upstream into the yard while it has room.
    fn release_held(&mut self, f: u32, side: usize, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let cap = self.m.ferries[f as usize].port_yard_capacity_teu;
        while let Some((v, teu)) = self.ferries[f as usize].yards[side].let_in_next(cap) {
            self.release_feeder(v, sched);
            self.join_boarding(v, teu, f, side, now);
        }
    }

    /// A vessel reaches the far port: its vehicles go on, and it takes cargo there.
    pub(super) fn ferry_arrives(&mut self, f: u32, vid: u32, sched: &mut Scheduler<Event>) {
        let fs = &mut self.ferries[f as usize];
        let vessel = &mut fs.vessels[vid as usize];
        let side = vessel.side;
        fs.heading[side] -= 1;
        fs.teu_out += vessel.load_teu;
        vessel.load_teu = 0.0;
        vessel.state = VesselState::InPort;
        let mut cargo = std::mem::take(&mut vessel.cargo);
        for &v in &cargo {
            if self.m.fleets.is_empty() || self.start_leg_at_port(v, sched) {
                self.advance(v, sched);
            }
        }
        cargo.clear();
        let fs = &mut self.ferries[f as usize];
        fs.vessels[vid as usize].cargo = cargo;
        fs.in_port[side].push_back(vid);
        self.board(f, side, sched);
    }

    /// A scheduled sailing slot at one port: the first vessel there goes to the berth.
    pub(super) fn ferry_slot(&mut self, f: u32, side: usize, sched: &mut Scheduler<Event>) {
        if let Departure::Schedule { every } = self.m.ferries[f as usize].departure {
            sched.schedule_in(
                every,
                Event::FerrySlot {
                    ferry: f,
                    side: side as u8,
                },
            );
        }
        if let Some(&vid) = self.ferries[f as usize].in_port[side].front() {
            let spec = &self.m.ferries[f as usize];
            let fs = &mut self.ferries[f as usize];
            fs.in_port[side].pop_front();
            let vessel = &mut fs.vessels[vid as usize];
            vessel.state = VesselState::Loading;
            sched.schedule_in(
                spec.load,
                Event::FerryLoaded {
                    ferry: f,
                    vessel: vid,
                },
            );
            self.board(f, side, sched);
        }
    }

    /// A vessel has waited `max_wait_h` since its first vehicle boarded: it goes.
    pub(super) fn ferry_max_wait(
        &mut self,
        f: u32,
        vid: u32,
        voyage: u32,
        sched: &mut Scheduler<Event>,
    ) {
        let vessel = &self.ferries[f as usize].vessels[vid as usize];
        if vessel.state == VesselState::InPort
            && vessel.voyage == voyage
            && !vessel.cargo.is_empty()
        {
            let side = vessel.side;
            self.go_to_berth(f, vid, sched);
            self.board(f, side, sched);
        }
    }

    /// A storm starts or ends.
    pub(super) fn storm(&mut self, f: u32, starts: bool, sched: &mut Scheduler<Event>) {
        let Some(weather) = self.m.ferries[f as usize].weather else {
            return;
        };
        let fs = &mut self.ferries[f as usize];
        fs.storm = starts;
        #[cfg(test)]
        fs.trace.storms.push((sched.now(), starts));
        if starts {
            let d = exponential(&mut fs.rng, weather.mean_storm);
            sched.schedule_in(
                d,
                Event::Storm {
                    ferry: f,
                    starts: false,
                },
            );
            return;
        }
        let d = exponential(&mut fs.rng, weather.mean_calm());
        sched.schedule_in(
            d,
            Event::Storm {
                ferry: f,
                starts: true,
            },
        );
        self.sail_held(f, sched);
    }

    /// A disruption of line `f` begins (`closed` true) or ends (`closed` false): the line
    /// is closed while any disruption holds it, and vessels held in port sail once none
    /// does (and no storm).
    pub(super) fn set_ferry_closed(&mut self, f: u32, closed: bool, sched: &mut Scheduler<Event>) {
        let fs = &mut self.ferries[f as usize];
        fs.closed = if closed {
            fs.closed + 1
        } else {
            fs.closed.saturating_sub(1)
        };
        self.sail_held(f, sched);
    }

    /// Loaded vessels held in port sail, if neither a storm nor a closure stops them.
    fn sail_held(&mut self, f: u32, sched: &mut Scheduler<Event>) {
        let fs = &self.ferries[f as usize];
        if fs.storm || fs.closed > 0 {
            return;
        }
        for vid in 0..fs.vessels.len() as u32 {
            if self.ferries[f as usize].vessels[vid as usize].state == VesselState::StormBound {
                self.sail(f, vid, sched);
            }
        }
    }
}
