//! What can happen in a replication, and the dispatch of each event to its handler.

use super::Sim;
use crate::kernel::{Process, Scheduler};
use crate::model::stock::Stock;

/// What can happen in a replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A vehicle of the flow appears at its origin (a container, when it forms trains).
    Arrival { flow: u32 },
    /// The oldest container of the train being formed for the flow has waited its longest
    /// (`generation` tells that train from later ones).
    FormingDue { flow: u32, generation: u32 },
    /// The oldest containers gathered in a pool after a transshipment have waited their
    /// longest (`generation` tells that deadline from later ones).
    ReformDue { pool: u32, generation: u32 },
    /// A vehicle reaches the end of double-track or road segment `link`.
    LinkExit { vehicle: u32, link: u32 },
    /// The next waiting vehicle may enter a double-track or road segment in a direction.
    LinkGate { link: u32, dir: u8 },
    /// A disruption starts (or ends).
    Disruption { index: u32, starts: bool },
    /// A train reaches the end of a block of single-track segment `link`.
    BlockEnd { vehicle: u32, link: u32 },
    /// A single-track block's clearance after a train has elapsed, and a train waits for
    /// the block.
    BlockClear { link: u32, block: u32 },
    /// A vehicle finishes service at its current stage of crossing `crossing`.
    ServiceEnd { vehicle: u32, crossing: u32 },
    /// A server of a stage serving in order (see `in_order`) is free while vehicles wait
    /// in its queue.
    StageFree { crossing: u32, stage: u32 },
    /// A crossing opens after being closed.
    CrossingOpens { crossing: u32 },
    /// A vessel has spent its berth time and may sail.
    FerryLoaded { ferry: u32, vessel: u32 },
    /// A vessel reaches the far port.
    FerryArrives { ferry: u32, vessel: u32 },
    /// A scheduled sailing from one port of a line.
    FerrySlot { ferry: u32, side: u8 },
    /// A vessel's longest wait for more cargo has passed.
    FerryMaxWait {
        ferry: u32,
        vessel: u32,
        voyage: u32,
    },
    /// A storm starts (or ends) on a ferry line.
    Storm { ferry: u32, starts: bool },
    /// The wagons and the locomotive a train released at a depot of a fleet have turned
    /// round and are ready. (A train holds one locomotive: the event carries no count of
    /// them, which keeps every event within 16 bytes.)
    StockReady { fleet: u32, depot: u32, wagons: u32 },
    /// Time to record the number of vehicles in the network (warm-up detection).
    Sample,
}

// The event heap moves events at every level it passes: keep them at 16 bytes.
const _: () = assert!(std::mem::size_of::<Event>() <= 16);

impl Process for Sim<'_> {
    type Event = Event;

    // Always inlined into the run loop: the trace calls it too, and the compiler would
    // otherwise keep it as a call (3 % more instructions on Eurasia).
    #[inline(always)]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        #[cfg(test)]
        {
            self.clock = (sched.now(), self.clock.1 || sched.now() < self.clock.0);
            if !self.m.fleets.is_empty() && self.stock_error.is_none() {
                self.stock_error = self.stock_check().err();
            }
        }
        match event {
            Event::Arrival { flow } => self.arrival(flow, sched),
            Event::FormingDue { flow, generation } => self.forming_due(flow, generation, sched),
            Event::ReformDue { pool, generation } => self.reform_due(pool, generation, sched),
            Event::LinkGate { link, dir } => self.link_gate(link, usize::from(dir), sched),
            Event::Disruption { index, starts } => self.disruption(index, starts, sched),
            Event::LinkExit { vehicle, link } => self.exit_link(vehicle, link, sched),
            Event::BlockEnd { vehicle, link } => self.block_end(vehicle, link, sched),
            Event::BlockClear { link, block } => self.block_clear(link, block, sched),
            Event::ServiceEnd { vehicle, crossing } => self.service_end(vehicle, crossing, sched),
            Event::StageFree { crossing, stage } => self.stage_free(crossing, stage, sched),
            Event::CrossingOpens { crossing } => self.crossing_opens(crossing, sched),
            Event::FerryLoaded { ferry, vessel } => self.ferry_loaded(ferry, vessel, sched),
            Event::FerryArrives { ferry, vessel } => self.ferry_arrives(ferry, vessel, sched),
            Event::FerrySlot { ferry, side } => self.ferry_slot(ferry, usize::from(side), sched),
            Event::FerryMaxWait {
                ferry,
                vessel,
                voyage,
            } => self.ferry_max_wait(ferry, vessel, voyage, sched),
            Event::Storm { ferry, starts } => self.storm(ferry, starts, sched),
            Event::StockReady {
                fleet,
                depot,
                wagons,
            } => self.stock_turned(fleet, depot, Stock { wagons, locos: 1 }, sched),
            Event::Sample => {
                self.samples.push(self.in_network() as f64);
                if let Some(q) = &mut self.queue_samples {
                    q.extend(self.crossings.iter().map(|c| c.queued.value() as f64));
                }
                if let Some(every) = self.sample_every {
                    sched.schedule_in(every, Event::Sample);
                }
            }
        }
    }
}
