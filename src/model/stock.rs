//! The rolling stock of a fleet during a replication: at each depot the wagons and
//! locomotives standing idle, those turning round, those on their way there empty, and the
//! trains waiting for stock (first come, first served); and the observers of stock loaded,
//! running empty and idle, and of the waits.

use super::observe::{Level, Tally, Window};
use super::runs::{Entry, RunLine, RUN};
use super::Fleet;
use crate::kernel::SimTime;

/// Wagons and locomotives together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stock {
    /// Wagons.
    pub(super) wagons: u32,
    /// Locomotives.
    pub(super) locos: u32,
}

/// A train waiting at a depot for stock: the vehicle, the wagons it needs, since when.
#[derive(Debug, Clone, Copy)]
pub(super) struct Waiting {
    pub(super) vehicle: u32,
    pub(super) wagons: u32,
    pub(super) since: SimTime,
}

/// Trains waiting at a depot for stock, first come, first served. Trains kept compact (see
/// `sim::compact`) wait in it as runs: one entry for consecutive arrivals of one flow,
/// whose `vehicle` is `RUN | flow` (its `since` unused).
pub(super) type TrainLine = RunLine<Waiting>;

impl Entry for Waiting {
    fn tag(&self) -> u32 {
        self.vehicle
    }
}

/// Who a depot's line hands on next.
#[derive(Debug, Clone, Copy)]
pub(super) enum TrainWaiter {
    /// A train in the arena.
    Whole(Waiting),
    /// Arrival `index` of flow `flow`, kept compact since it arrived.
    Compact { flow: u32, index: u64 },
}

impl TrainLine {
    /// Arrival `index` of flow `flow`, kept compact and needing `wagons`, joins the back.
    pub(super) fn push_compact_train(&mut self, flow: u32, index: u64, wagons: u32) {
        let marker = Waiting {
            vehicle: RUN | flow,
            wagons,
            since: SimTime::NEVER,
        };
        self.push_compact(marker, index);
    }

    /// The wagons the first in line needs.
    pub(super) fn first_wagons(&self) -> Option<u32> {
        self.front().map(|w| w.wagons)
    }

    /// The first in line, taken out.
    pub(super) fn pop_train(&mut self) -> Option<TrainWaiter> {
        Some(match self.pop()? {
            (w, None) => TrainWaiter::Whole(w),
            (marker, Some(index)) => TrainWaiter::Compact {
                flow: marker.vehicle & !RUN,
                index,
            },
        })
    }
}

/// One depot of a fleet.
#[derive(Debug, Clone, Default)]
pub(super) struct Depot {
    /// Stock ready to serve.
    pub(super) idle: Stock,
    /// Stock released here and turning round.
    pub(super) turning: Stock,
    /// Stock on its way here empty.
    pub(super) inbound: Stock,
    /// Trains waiting for stock, in the order they came.
    pub(super) queue: TrainLine,
    /// Wagons those trains need together.
    pub(super) wanted_wagons: u64,
}

impl Depot {
    /// Wagons and locomotives still wanted here once the idle stock and the stock on its
    /// way are counted (negative: to spare).
    pub(super) fn shortfall(&self) -> (i64, i64) {
        let w = self.wanted_wagons as i64
            - i64::from(self.idle.wagons)
            - i64::from(self.inbound.wagons);
        let l =
            self.queue.len() as i64 - i64::from(self.idle.locos) - i64::from(self.inbound.locos);
        (w, l)
    }

    /// Idle stock the trains waiting here cannot use: beyond what they need, or all of
    /// one kind when they lack the other and none is idle or on its way here (wagons with
    /// no locomotive to haul them, a locomotive with too few wagons for the first train).
    /// Without the second case, two depots each holding what the other's trains lack would
    /// wait for each other for ever.
    pub(super) fn spare(&self) -> Stock {
        let Some(first_wagons) = self.queue.first_wagons() else {
            return self.idle;
        };
        let locos_coming = self.idle.locos + self.inbound.locos > 0;
        let wagons_coming = self.idle.wagons + self.inbound.wagons >= first_wagons;
        let wanted_wagons = u32::try_from(self.wanted_wagons).unwrap_or(u32::MAX);
        let trains = u32::try_from(self.queue.len()).unwrap_or(u32::MAX);
        Stock {
            wagons: if locos_coming {
                self.idle.wagons.saturating_sub(wanted_wagons)
            } else {
                self.idle.wagons
            },
            locos: if wagons_coming {
                self.idle.locos.saturating_sub(trains)
            } else {
                self.idle.locos
            },
        }
    }
}

/// The state of one fleet.
#[derive(Debug, Clone)]
pub(super) struct FleetState {
    /// Its depots, in the order of [`Fleet::depots`].
    pub(super) depots: Vec<Depot>,
    /// Wagons loaded (in trains with cargo), running empty, idle (turning round included).
    pub(super) wagons: [Level; 3],
    /// Locomotives the same way.
    pub(super) locos: [Level; 3],
    /// Idle wagons at each depot.
    pub(super) idle_wagons_at: Vec<Level>,
    /// Idle locomotives at each depot.
    pub(super) idle_locos_at: Vec<Level>,
    /// Those of them that had to wait.
    pub(super) trains_delayed: u64,
    /// The wait of each train that needed stock inside the window (zero for most).
    pub(super) wait: Tally,
    /// Train-hours waited for stock inside the window.
    pub(super) delay_h: f64,
    /// Kilometres run by empty trains sent inside the window.
    pub(super) empty_km: f64,
}

/// Where stock is: `LOADED` in trains with cargo, `EMPTY` in empty trains, `IDLE` at a depot.
pub(super) const LOADED: usize = 0;
/// See [`LOADED`].
pub(super) const EMPTY: usize = 1;
/// See [`LOADED`].
pub(super) const IDLE: usize = 2;

impl FleetState {
    /// Fleet `f` at time zero: all its stock idle at its homes.
    pub(super) fn new(f: &Fleet, w: &Window) -> Self {
        let n = f.depots.len();
        let mut depots = vec![Depot::default(); n];
        let mut idle_wagons_at = vec![Level::default(); n];
        let mut idle_locos_at = vec![Level::default(); n];
        for k in 0..n {
            depots[k].idle = Stock {
                wagons: f.home_wagons[k],
                locos: f.home_locomotives[k],
            };
            idle_wagons_at[k].add(SimTime::ZERO, f64::from(f.home_wagons[k]), w);
            idle_locos_at[k].add(SimTime::ZERO, f64::from(f.home_locomotives[k]), w);
        }
        let mut wagons: [Level; 3] = Default::default();
        let mut locos: [Level; 3] = Default::default();
        wagons[IDLE].add(SimTime::ZERO, f64::from(f.wagons), w);
        locos[IDLE].add(SimTime::ZERO, f64::from(f.locomotives), w);
        FleetState {
            depots,
            wagons,
            locos,
            idle_wagons_at,
            idle_locos_at,
            trains_delayed: 0,
            wait: Tally::default(),
            delay_h: 0.0,
            empty_km: 0.0,
        }
    }

    /// `s` moves from `from` to `to` (LOADED, EMPTY, IDLE) at `now`; `depot` is where it
    /// becomes or stops being idle.
    pub(super) fn shift(
        &mut self,
        s: Stock,
        (from, to): (usize, usize),
        depot: usize,
        now: SimTime,
        w: &Window,
    ) {
        let (dw, dl) = (f64::from(s.wagons), f64::from(s.locos));
        self.wagons[from].add(now, -dw, w);
        self.wagons[to].add(now, dw, w);
        self.locos[from].add(now, -dl, w);
        self.locos[to].add(now, dl, w);
        if from == IDLE {
            self.idle_wagons_at[depot].add(now, -dw, w);
            self.idle_locos_at[depot].add(now, -dl, w);
        }
        if to == IDLE {
            self.idle_wagons_at[depot].add(now, dw, w);
            self.idle_locos_at[depot].add(now, dl, w);
        }
    }

    /// Records that a train got its stock at `now` after waiting since `since`.
    pub(super) fn served(&mut self, since: SimTime, now: SimTime, w: &Window) {
        if w.contains(now) {
            let waited = now.since(since);
            self.trains_delayed += u64::from(waited.0 > 0);
            self.wait.record(waited);
            self.delay_h += waited.as_hours();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depot(idle: (u32, u32), inbound: (u32, u32), waiting: &[u32]) -> Depot {
        let mut d = Depot {
            idle: Stock {
                wagons: idle.0,
                locos: idle.1,
            },
            inbound: Stock {
                wagons: inbound.0,
                locos: inbound.1,
            },
            ..Depot::default()
        };
        for (k, &wagons) in waiting.iter().enumerate() {
            d.queue.push(Waiting {
                vehicle: k as u32,
                wagons,
                since: SimTime::ZERO,
            });
            d.wanted_wagons += u64::from(wagons);
        }
        d
    }

    #[test]
    fn stock_nobody_waits_for_is_all_spare() {
        let s = depot((50, 2), (0, 0), &[]).spare();
        assert_eq!((s.wagons, s.locos), (50, 2));
    }

    #[test]
    fn stock_beyond_what_the_waiting_trains_need_is_spare() {
        let s = depot((100, 3), (0, 0), &[43]).spare();
        assert_eq!((s.wagons, s.locos), (57, 2));
    }

    #[test]
    fn stock_the_waiting_trains_cannot_use_is_spare() {
        // Wagons but no locomotive, none coming: the wagons can serve elsewhere.
        let s = depot((50, 0), (0, 0), &[43]).spare();
        assert_eq!((s.wagons, s.locos), (50, 0));
        // A locomotive coming: the wagons wait for it.
        let s = depot((50, 0), (0, 1), &[43]).spare();
        assert_eq!((s.wagons, s.locos), (7, 0));
        // A locomotive but too few wagons, none coming: the locomotive can serve elsewhere.
        let s = depot((10, 1), (0, 0), &[43]).spare();
        assert_eq!((s.wagons, s.locos), (0, 1));
    }
}
