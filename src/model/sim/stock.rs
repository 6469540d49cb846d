//! Wagons and locomotives: a container train takes the stock of the fleet of its leg's
//! gauge at the leg's start (waiting, first come first served, when there is none) and
//! releases it at the leg's end; released stock serves the trains waiting there, then goes
//! where it is needed as empty trains.
//!
//! Where empty stock goes: stock a train releases at a depot first serves the trains
//! waiting there. Wherever trains wait for more stock than is idle there or on its way, the
//! nearest depot with stock to spare (`Depot::spare`) sends it. Stock idle at a depot beyond the share based
//! there (all of it away from the homes), with no train waiting, goes to the home furthest
//! below its share, if any is. Empty trains take at most `max_wagons_per_train` wagons and
//! one locomotive; locomotives with no wagons to haul run together.

use super::compact::COMPACT_AFTER;
use super::vehicle::{Vehicle, EMPTY_TRAIN, NO_FLEET};
use super::{Event, Sim};
use crate::kernel::{Scheduler, SimTime};
use crate::model::stock::{Stock, TrainWaiter, Waiting, EMPTY, IDLE, LOADED};
use crate::model::{Leg, Step};

impl Sim<'_> {
    /// The leg vehicle `v` is on.
    fn leg_of(&self, v: u32) -> Leg {
        let veh = &self.vehicles[v as usize];
        let f = &self.m.flows[veh.flow as usize];
        f.routes[usize::from(veh.route)].legs[veh.leg as usize]
    }

    /// Vehicle `v` starts a leg of its route: it takes the wagons and the locomotive of the
    /// leg's fleet at the leg's start and true is returned, or it waits for them (false).
    /// A leg no fleet runs needs nothing.
    pub(super) fn take_stock(&mut self, v: u32, sched: &mut Scheduler<Event>) -> bool {
        let leg = self.leg_of(v);
        let Some(fleet) = leg.fleet else {
            return true;
        };
        let now = sched.now();
        let spec = &self.m.fleets[fleet as usize];
        let wagons = spec.wagons_for(self.vehicles[v as usize].teu);
        let depot = leg.from_depot as usize;
        let fs = &mut self.fleets[fleet as usize];
        let d = &fs.depots[depot];
        if d.queue.is_empty() && d.idle.wagons >= wagons && d.idle.locos >= 1 {
            self.hand_over(v, fleet, depot, wagons, now);
            self.served(v, fleet, now, now);
            return true;
        }
        let d = &mut fs.depots[depot];
        let veh = &self.vehicles[v as usize];
        let flow = veh.flow;
        if veh.leg == 0 && d.queue.len() >= COMPACT_AFTER && self.compact.at_origin(flow) {
            let index = self.flows[flow as usize].created - 1;
            d.queue.push_compact_train(flow, index, wagons);
            self.keep_compact(v);
        } else {
            d.queue.push(Waiting {
                vehicle: v,
                wagons,
                since: now,
            });
        }
        self.fleets[fleet as usize].depots[depot].wanted_wagons += u64::from(wagons);
        self.rebalance(fleet, sched);
        false
    }

    /// Records that vehicle `v` got the stock of `fleet` at `now`, having waited since
    /// `since`: for the fleet and for the vehicle's flow.
    fn served(&mut self, v: u32, fleet: u32, since: SimTime, now: SimTime) {
        self.fleets[fleet as usize].served(since, now, &self.w);
        if self.w.contains(now) {
            let flow = self.vehicles[v as usize].flow;
            self.flows[flow as usize].stock_wait_h += now.since(since).as_hours();
        }
    }

    /// Vehicle `v` takes `wagons` wagons and a locomotive idle at depot `depot` of `fleet`.
    fn hand_over(&mut self, v: u32, fleet: u32, depot: usize, wagons: u32, now: SimTime) {
        let s = Stock { wagons, locos: 1 };
        let fs = &mut self.fleets[fleet as usize];
        let d = &mut fs.depots[depot];
        d.idle.wagons -= wagons;
        d.idle.locos -= 1;
        fs.shift(s, (IDLE, LOADED), depot, now, &self.w);
        let veh = &mut self.vehicles[v as usize];
        veh.fleet = fleet;
        veh.stock = s;
    }

    /// Vehicle `v` ends a leg (at a gauge change or its destination): its stock is
    /// released at the leg's end, ready again after the fleet's turnaround.
    pub(super) fn release_stock(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let depot = self.leg_of(v).to_depot;
        let veh = &mut self.vehicles[v as usize];
        let (fleet, s) = (veh.fleet, veh.stock);
        veh.fleet = NO_FLEET;
        veh.stock = Stock::default();
        let fs = &mut self.fleets[fleet as usize];
        fs.shift(s, (LOADED, IDLE), depot as usize, now, &self.w);
        let turnaround = self.m.fleets[fleet as usize].turnaround;
        if turnaround.0 == 0 {
            self.stock_ready(fleet, depot, s, sched);
        } else {
            let d = &mut fs.depots[depot as usize];
            d.turning.wagons += s.wagons;
            d.turning.locos += s.locos;
            debug_assert_eq!(s.locos, 1, "a train holds one locomotive");
            let wagons = s.wagons;
            sched.schedule_in(
                turnaround,
                Event::StockReady {
                    fleet,
                    depot,
                    wagons,
                },
            );
        }
    }

    /// Vehicle `v` ends a leg at a gauge change: its stock, if it holds any, is released.
    pub(super) fn release_stock_if_held(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        if self.vehicles[v as usize].fleet != NO_FLEET {
            self.release_stock(v, sched);
        }
    }

    /// Stock turned round at a depot: it is ready.
    pub(super) fn stock_turned(
        &mut self,
        fleet: u32,
        depot: u32,
        s: Stock,
        sched: &mut Scheduler<Event>,
    ) {
        let d = &mut self.fleets[fleet as usize].depots[depot as usize];
        d.turning.wagons -= s.wagons;
        d.turning.locos -= s.locos;
        self.stock_ready(fleet, depot, s, sched);
    }

    /// Stock `s` is ready at depot `depot` of `fleet`: the trains waiting there take it,
    /// then the fleet's stock is sent where it is needed.
    fn stock_ready(&mut self, fleet: u32, depot: u32, s: Stock, sched: &mut Scheduler<Event>) {
        let d = &mut self.fleets[fleet as usize].depots[depot as usize];
        d.idle.wagons += s.wagons;
        d.idle.locos += s.locos;
        self.serve_queue(fleet, depot as usize, sched);
        self.rebalance(fleet, sched);
    }

    /// The trains waiting at depot `depot` of `fleet` take its idle stock, first come
    /// first served, while the first in line finds what it needs; each goes on.
    fn serve_queue(&mut self, fleet: u32, depot: usize, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        loop {
            let d = &mut self.fleets[fleet as usize].depots[depot];
            let Some(wagons) = d.queue.first_wagons() else {
                return;
            };
            if d.idle.wagons < wagons || d.idle.locos < 1 {
                return;
            }
            let Some(first) = d.queue.pop_train() else {
                return;
            };
            d.wanted_wagons -= u64::from(wagons);
            let (v, since) = match first {
                TrainWaiter::Whole(w) => (w.vehicle, w.since),
                // A train kept compact has waited since it arrived.
                TrainWaiter::Compact { flow, index } => {
                    let v = self.rebuild_compact(flow, index);
                    (v, self.vehicles[v as usize].created)
                }
            };
            self.hand_over(v, fleet, depot, wagons, now);
            self.served(v, fleet, since, now);
            self.go_on_with_stock(v, sched);
        }
    }

    /// Vehicle `v` got the stock it waited for: at its origin it sets off, at a gauge change
    /// it leaves the crossing, off a ferry it leaves the port.
    fn go_on_with_stock(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        let veh = &self.vehicles[v as usize];
        match veh.steps.get(veh.step as usize) {
            Some(&Step::Crossing { crossing, .. }) if veh.leg > 0 => {
                self.leave_with_stock(v, crossing, sched)
            }
            Some(Step::Ferry { .. }) => self.advance(v, sched),
            _ => self.begin_step(v, sched),
        }
    }

    /// Vehicle `v`'s containers leave its wagons: at a port to sail (the containers sail,
    /// the wagons stay), or at a crossing that forms trains anew (they go on in other
    /// trains). On a route run by fleets its leg ends there, and its stock is released.
    pub(in crate::model) fn end_leg(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        if self.runs_on_legs(v) {
            self.release_stock_if_held(v, sched);
        }
    }

    /// Vehicle `v` lands from a ferry: on a route run by fleets it starts its next leg and
    /// takes its stock. True when it may go on now; otherwise it waits at the port.
    pub(in crate::model) fn start_leg_at_port(
        &mut self,
        v: u32,
        sched: &mut Scheduler<Event>,
    ) -> bool {
        if !self.runs_on_legs(v) {
            return true;
        }
        self.vehicles[v as usize].leg += 1;
        self.take_stock(v, sched)
    }

    /// True when vehicle `v`, which carries cargo, is on a route cut into legs run by
    /// fleets. (Empty trains run on segments only: they never reach a crossing, a port or
    /// a flow's origin, where this is asked.)
    pub(super) fn runs_on_legs(&self, v: u32) -> bool {
        let veh = &self.vehicles[v as usize];
        !self.m.flows[veh.flow as usize].routes[usize::from(veh.route)]
            .legs
            .is_empty()
    }

    /// Sends the stock of `fleet` where it is needed: to depots whose waiting trains want
    /// more than is idle there or on its way, from the nearest depot with stock to spare;
    /// and stock idle away from the fleet's homes, with nobody waiting for it, home.
    pub(super) fn rebalance(&mut self, fleet: u32, sched: &mut Scheduler<Event>) {
        let m = self.m;
        let spec = &m.fleets[fleet as usize];
        let n = spec.depots.len();
        let per_train = spec.empty_train_wagons();
        // Wanting depots, each served from the nearest depots with stock to spare.
        for to in 0..n {
            loop {
                let (short_w, short_l) = self.fleets[fleet as usize].depots[to].shortfall();
                if short_w <= 0 && short_l <= 0 {
                    break;
                }
                let source = (0..n)
                    .filter(|&from| from != to)
                    .filter(|&from| {
                        let spare = self.fleets[fleet as usize].depots[from].spare();
                        spare.locos >= 1 && (short_w <= 0 || spare.wagons > 0)
                    })
                    .filter_map(|from| spec.empty_route(from, to).map(|r| (from, r.hours)))
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                let Some((from, _)) = source else {
                    break;
                };
                let spare = self.fleets[fleet as usize].depots[from].spare();
                let wagons = spare.wagons.min(short_w.max(0) as u32).min(per_train);
                self.send_empty(fleet, (from, to), Stock { wagons, locos: 1 }, sched);
            }
        }
        // Stock beyond a depot's share, with nobody waiting there, goes to the home
        // furthest below its share.
        for from in 0..n {
            loop {
                let d = &self.fleets[fleet as usize].depots[from];
                if !d.queue.is_empty() {
                    break;
                }
                let beyond = |have: u32, on_way: u32, share: u32| {
                    (have + on_way).saturating_sub(share).min(have)
                };
                let extra_w = beyond(d.idle.wagons, d.inbound.wagons, spec.home_wagons[from]);
                let extra_l = beyond(d.idle.locos, d.inbound.locos, spec.home_locomotives[from]);
                if extra_l == 0 {
                    break;
                }
                let light = extra_w == 0;
                let Some(home) = self.home_below_share(fleet, from, light) else {
                    break;
                };
                let s = if light {
                    Stock {
                        wagons: 0,
                        locos: extra_l,
                    }
                } else {
                    Stock {
                        wagons: extra_w.min(per_train),
                        locos: 1,
                    }
                };
                self.send_empty(fleet, (from, home), s, sched);
            }
        }
    }

    /// The home of `fleet` other than `from`, reachable from it, furthest below its share
    /// of the wagons (of the locomotives when `locos`), counting what is idle, turning round
    /// and on its way there; `None` when every home has its share.
    fn home_below_share(&self, fleet: u32, from: usize, locos: bool) -> Option<usize> {
        let spec = &self.m.fleets[fleet as usize];
        let fs = &self.fleets[fleet as usize];
        (0..spec.depots.len())
            .filter(|&h| h != from && spec.empty_route(from, h).is_some())
            .filter_map(|h| {
                let d = &fs.depots[h];
                let (have, share) = if locos {
                    (
                        d.idle.locos + d.turning.locos + d.inbound.locos,
                        spec.home_locomotives[h],
                    )
                } else {
                    (
                        d.idle.wagons + d.turning.wagons + d.inbound.wagons,
                        spec.home_wagons[h],
                    )
                };
                (have < share).then(|| (h, f64::from(have) / f64::from(share)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|(h, _)| h)
    }

    /// An empty train of `s` leaves depot `from` of `fleet` for depot `to`.
    fn send_empty(
        &mut self,
        fleet: u32,
        (from, to): (usize, usize),
        s: Stock,
        sched: &mut Scheduler<Event>,
    ) {
        let now = sched.now();
        let m = self.m;
        let Some(route) = m.fleets[fleet as usize].empty_route(from, to) else {
            return;
        };
        let fs = &mut self.fleets[fleet as usize];
        let d = &mut fs.depots[from];
        d.idle.wagons -= s.wagons;
        d.idle.locos -= s.locos;
        let t = &mut fs.depots[to];
        t.inbound.wagons += s.wagons;
        t.inbound.locos += s.locos;
        fs.shift(s, (IDLE, EMPTY), from, now, &self.w);
        if self.w.contains(now) {
            fs.empty_km += route.km;
        }
        let mut empty = Vehicle::setting_off((EMPTY_TRAIN, 0), 0.0, &route.steps, now, now);
        empty.leg = to as u32;
        empty.fleet = fleet;
        empty.stock = s;
        let v = self.alloc(empty);
        self.begin_step(v, sched);
    }

    /// Empty train `v` reaches the depot it was sent to: its stock is ready there.
    pub(super) fn empty_train_arrives(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let veh = &mut self.vehicles[v as usize];
        veh.alive = false;
        let (fleet, depot, s) = (veh.fleet, veh.leg, veh.stock);
        self.free.push(v);
        let fs = &mut self.fleets[fleet as usize];
        let d = &mut fs.depots[depot as usize];
        d.inbound.wagons -= s.wagons;
        d.inbound.locos -= s.locos;
        fs.shift(s, (EMPTY, IDLE), depot as usize, now, &self.w);
        self.stock_ready(fleet, depot, s, sched);
    }
}
