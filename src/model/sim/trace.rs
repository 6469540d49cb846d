//! A replication's events one by one, as the kernel hands them to their handlers, for
//! `corridor trace`: each described by the vehicle it concerns, that vehicle's flow, the
//! element where it happens and a detail, before it is handled. The events are handed to a
//! sink as they happen, so that nothing of them is kept.

use super::vehicle::EMPTY_TRAIN;
use super::{Event, Sim};
use crate::kernel::{Process, Scheduler, SimTime};
use crate::model::track::FORWARD;
use crate::model::{LinkIx, Model};

/// One event of a replication.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow<'a> {
    /// When it happens, hours from the start of the replication.
    pub time_h: f64,
    /// The vehicle it concerns, numbered from 0 in the order vehicles appear in the
    /// replication (trains formed on the way and empty trains included), if any.
    pub vehicle: Option<u32>,
    /// Whose vehicle, or whose event when no vehicle is concerned.
    pub who: Who<'a>,
    /// What happens (`arrival`, `segment_exit`, `block_end`, `stage_end`, ...).
    pub event: &'static str,
    /// The id of the element where it happens (segment, crossing, ferry line, fleet,
    /// disruption), if any.
    pub element: Option<&'a str>,
    /// The segment where it happens (its index in the model), for events of segments:
    /// what a reader placing vehicles on the network looks up instead of the id.
    pub link: Option<LinkIx>,
    /// More about it.
    pub detail: Detail<'a>,
}

/// Whose vehicle an event concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// No flow: an event of an element.
    Nobody,
    /// A vehicle (or container) of the flow with this id.
    Flow(&'a str),
    /// An empty train of the fleet with this id.
    EmptyTrain(&'a str),
}

/// More about an event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Detail<'a> {
    /// Nothing more.
    None,
    /// The stage of a crossing (its name, or the gauge change).
    Stage(&'a str),
    /// A block of a single track.
    Block {
        /// The block, numbered from 0 at the segment's `from` end.
        block: u32,
        /// True when the train runs from the segment's `from` to its `to`, false the
        /// other way; `None` for the end of a block's clearance, which concerns no train.
        forward: Option<bool>,
    },
    /// The direction of a segment's entry.
    Direction {
        /// True from the segment's `from` to its `to`.
        forward: bool,
    },
    /// A vessel of a ferry line, numbered from 0.
    Vessel(u32),
    /// The port of a ferry line (its node id).
    Port(&'a str),
    /// The TEU of an arriving vehicle or container.
    Teu(f64),
    /// Wagons and a locomotive ready at a fleet's depot.
    Stock {
        /// The depot's node id.
        depot: &'a str,
        /// The wagons.
        wagons: u32,
    },
}

/// Runs replication `replication` of `model` (random streams from `seed`) up to `to` and
/// hands each event due at or after `from` to `sink`, in the order handled, before it is
/// handled. The run stops early when `sink` returns false. Returns the events handled.
pub fn trace(
    model: &Model,
    seed: u64,
    replication: u64,
    (from, to): (SimTime, SimTime),
    sink: &mut dyn FnMut(&TraceRow<'_>) -> bool,
) -> u64 {
    let mut sim = Sim::new(model, SimTime::ZERO, seed, replication);
    sim.keep_vehicles_whole();
    let mut sched = Scheduler::new();
    sim.start(&mut sched);
    let mut traced = Traced {
        sim,
        sink,
        from,
        stopped: false,
    };
    let mut handled = 0;
    while let Some((_, event)) = sched.pop_until(to.min(model.horizon)) {
        traced.handle(event, &mut sched);
        handled += 1;
        if traced.stopped {
            break;
        }
    }
    handled
}

/// A replication whose events are described to a sink before they are handled.
struct Traced<'s, 'm> {
    sim: Sim<'m>,
    sink: &'s mut dyn FnMut(&TraceRow<'_>) -> bool,
    from: SimTime,
    stopped: bool,
}

impl Process for Traced<'_, '_> {
    type Event = Event;

    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        if sched.now() >= self.from {
            let row = self.sim.describe(event, sched.now());
            self.stopped = !(self.sink)(&row);
        }
        self.sim.handle(event, sched);
    }
}

impl<'m> Sim<'m> {
    /// Describes `event`, about to be handled at `now`.
    fn describe(&self, event: Event, now: SimTime) -> TraceRow<'m> {
        let m = self.m;
        let row = |event: &'static str| TraceRow {
            time_h: now.as_hours(),
            vehicle: None,
            who: Who::Nobody,
            event,
            element: None,
            link: None,
            detail: Detail::None,
        };
        match event {
            Event::Arrival { flow } => {
                let f = &m.flows[flow as usize];
                TraceRow {
                    // The vehicle about to be created, unless a container arrives for a
                    // train being formed.
                    vehicle: f.formation.is_none().then_some(self.next_serial),
                    who: Who::Flow(&f.id),
                    detail: Detail::Teu(f.arrival_teu()),
                    element: Some(&m.nodes[f.from as usize].id),
                    ..row(if f.formation.is_none() {
                        "arrival"
                    } else {
                        "container_arrival"
                    })
                }
            }
            Event::FormingDue { flow, .. } => TraceRow {
                who: Who::Flow(&m.flows[flow as usize].id),
                ..row("formation_deadline")
            },
            Event::ReformDue { pool, .. } => {
                let p = &m.reform_pools[pool as usize];
                TraceRow {
                    who: Who::Flow(&m.flows[p.flow as usize].id),
                    element: Some(&m.crossings[p.crossing as usize].id),
                    ..row("reformation_deadline")
                }
            }
            Event::LinkExit { vehicle, link } => TraceRow {
                element: Some(&m.links[link as usize].id),
                link: Some(link),
                detail: Detail::Direction {
                    forward: usize::from(self.vehicles[vehicle as usize].dir) == FORWARD,
                },
                ..self.of_vehicle(vehicle, row("segment_exit"))
            },
            Event::LinkGate { link, dir } => TraceRow {
                element: Some(&m.links[link as usize].id),
                link: Some(link),
                detail: Detail::Direction {
                    forward: usize::from(dir) == FORWARD,
                },
                ..row("segment_gate")
            },
            Event::BlockEnd { vehicle, link } => {
                let veh = &self.vehicles[vehicle as usize];
                let dir = usize::from(veh.dir);
                let block = crate::model::track::SingleTrack::block_ahead(veh.pos, dir);
                TraceRow {
                    element: Some(&m.links[link as usize].id),
                    link: Some(link),
                    detail: Detail::Block {
                        block,
                        forward: Some(dir == FORWARD),
                    },
                    ..self.of_vehicle(vehicle, row("block_end"))
                }
            }
            Event::BlockClear { link, block } => TraceRow {
                element: Some(&m.links[link as usize].id),
                link: Some(link),
                detail: Detail::Block {
                    block,
                    forward: None,
                },
                ..row("block_clear")
            },
            Event::ServiceEnd { vehicle, crossing } => {
                let c = &m.crossings[crossing as usize];
                let stage = self.vehicles[vehicle as usize].stage as usize;
                let name = match c.stages.get(stage) {
                    Some(s) => s.name.as_str(),
                    None if stage == c.stages.len() => "gauge change",
                    None => "gauge change (other trains)",
                };
                TraceRow {
                    element: Some(&c.id),
                    detail: Detail::Stage(name),
                    ..self.of_vehicle(vehicle, row("stage_end"))
                }
            }
            Event::StageFree { .. } => {
                unreachable!("a trace serves every stage event by event (keep_vehicles_whole)")
            }
            Event::CrossingOpens { crossing } => TraceRow {
                element: Some(&m.crossings[crossing as usize].id),
                ..row("crossing_opens")
            },
            Event::Disruption { index, starts } => TraceRow {
                element: Some(&m.disruptions[index as usize].id),
                ..row(if starts {
                    "closure_starts"
                } else {
                    "closure_ends"
                })
            },
            Event::FerryLoaded { ferry, vessel } => TraceRow {
                element: Some(&m.ferries[ferry as usize].id),
                detail: Detail::Vessel(vessel),
                ..row("vessel_loaded")
            },
            Event::FerryArrives { ferry, vessel } => TraceRow {
                element: Some(&m.ferries[ferry as usize].id),
                detail: Detail::Vessel(vessel),
                ..row("vessel_arrives")
            },
            Event::FerrySlot { ferry, side } => {
                let f = &m.ferries[ferry as usize];
                TraceRow {
                    element: Some(&f.id),
                    detail: Detail::Port(&m.nodes[f.ports[usize::from(side)] as usize].id),
                    ..row("sailing_slot")
                }
            }
            Event::FerryMaxWait { ferry, vessel, .. } => TraceRow {
                element: Some(&m.ferries[ferry as usize].id),
                detail: Detail::Vessel(vessel),
                ..row("vessel_max_wait")
            },
            Event::Storm { ferry, starts } => TraceRow {
                element: Some(&m.ferries[ferry as usize].id),
                ..row(if starts { "storm_starts" } else { "storm_ends" })
            },
            Event::StockReady {
                fleet,
                depot,
                wagons,
            } => {
                let f = &m.fleets[fleet as usize];
                TraceRow {
                    element: Some(&f.id),
                    detail: Detail::Stock {
                        depot: &m.nodes[f.depots[depot as usize] as usize].id,
                        wagons,
                    },
                    ..row("stock_ready")
                }
            }
            Event::Sample => row("sample"),
        }
    }

    /// `row` about vehicle `v`: its number and whose it is.
    fn of_vehicle(&self, v: u32, row: TraceRow<'m>) -> TraceRow<'m> {
        let veh = &self.vehicles[v as usize];
        let who = if veh.flow == EMPTY_TRAIN {
            Who::EmptyTrain(&self.m.fleets[veh.fleet as usize].id)
        } else {
            Who::Flow(&self.m.flows[veh.flow as usize].id)
        };
        TraceRow {
            vehicle: Some(veh.serial),
            who,
            ..row
        }
    }
}
