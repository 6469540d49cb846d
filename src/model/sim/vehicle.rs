//! Vehicles and their flows: arrivals at the origin, the route steps one after another,
//! delivery at the destination.

use super::{Event, Sim};
use crate::kernel::{Duration, Scheduler, SimTime};
use crate::model::crossing::Reformed;
use crate::model::observe::{Tally, TeuTotal};
use crate::model::stock::Stock;
use crate::model::track::direction;
use crate::model::{fits, Arrivals, Cargo, Flow, Formation, Step};
use crate::random::{stream, Stream, StreamKind};
use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// A train or truck on its way, from its appearance at its origin to its delivery; its slot
/// in the arena is reused once it is delivered.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) struct Vehicle<'m> {
    /// Index of its flow.
    pub(in crate::model) flow: u32,
    /// TEU it carries: its flow's `unit_teu`, or less for a train formed short.
    pub(in crate::model) teu: f64,
    /// The steps of the route it takes (one of its flow's routes).
    pub(super) steps: &'m [Step],
    /// Index of the current step in `steps`.
    pub(super) step: u32,
    /// When it appeared at its origin (for a train formed on the way, the TEU-weighted mean
    /// of its containers' appearances).
    pub(super) created: SimTime,
    /// When it reached its current segment or port, or joined its current stage queue.
    pub(in crate::model) mark: SimTime,
    /// Time queued so far at the current crossing, ms.
    pub(super) waited_ms: u64,
    /// When it reached its current crossing (held upstream of its yard included).
    pub(super) reached: SimTime,
    /// Current stage at a crossing.
    pub(super) stage: u32,
    /// Position on a single-track segment (the loop it last left or waits at).
    pub(super) pos: u32,
    /// Direction on the current segment, or port side of a ferry line.
    pub(in crate::model) dir: u8,
    /// False once delivered: the slot is free.
    pub(super) alive: bool,
    /// Which of its flow's routes it takes.
    pub(super) route: u8,
    /// False for a vehicle of other cargo (`cargo = "other"`), whose `teu` are the units
    /// its flow counts in, not containers: segments count no TEU of it.
    pub(super) containers: bool,
    /// The leg of its route it is on; for an empty train, the depot it runs to.
    pub(super) leg: u32,
    /// The fleet whose stock it holds (`NO_FLEET`: none).
    pub(super) fleet: u32,
    /// The stock it holds.
    pub(super) stock: Stock,
    /// Its number in the replication: vehicles are numbered from 0 as they appear (modulo
    /// 2^32), so that a trace can tell them apart though their slots are reused.
    pub(super) serial: u32,
}

impl<'m> Vehicle<'m> {
    /// The containers it carries, TEU, as segments count them: none for other cargo.
    #[inline]
    pub(super) fn counted_teu(&self) -> f64 {
        if self.containers {
            self.teu
        } else {
            0.0
        }
    }

    /// A vehicle of flow `flow` (or `EMPTY_TRAIN`) carrying `teu`, setting off at `now`
    /// on `steps` (route `route` of its flow), having appeared at `created`; it holds no
    /// stock yet.
    pub(super) fn setting_off(
        (flow, route): (u32, u8),
        teu: f64,
        steps: &'m [Step],
        created: SimTime,
        now: SimTime,
    ) -> Self {
        Vehicle {
            flow,
            teu,
            steps,
            step: 0,
            created,
            mark: now,
            waited_ms: 0,
            reached: now,
            stage: 0,
            pos: 0,
            dir: 0,
            alive: true,
            route,
            containers: true,
            leg: 0,
            fleet: NO_FLEET,
            stock: Stock::default(),
            serial: 0,
        }
    }
}

/// `Vehicle::fleet` of a vehicle that holds no stock.
pub(super) const NO_FLEET: u32 = u32::MAX;

/// `Vehicle::flow` of an empty train (a fleet's stock going where it is needed).
pub(super) const EMPTY_TRAIN: u32 = u32::MAX;

/// What a replication keeps of a flow: the stream its arrivals are drawn from, and what
/// it counts of its vehicles.
#[derive(Debug, Clone)]
pub(super) struct FlowState {
    /// The draws of the times between arrivals.
    clock: ArrivalClock,
    /// Vehicles that ever appeared, warm-up included.
    pub(super) created: u64,
    /// Vehicles that ever reached the destination, warm-up included: with those alive,
    /// they account for every vehicle that appeared.
    pub(super) finished: u64,
    /// Vehicles that appeared inside the window, per route.
    pub(super) route_counts: Vec<u64>,
    /// TEU delivered inside the window, counted only when its trains may carry other than
    /// `unit_teu` (`varied_teu`; see [`FlowState::delivered_teu`]).
    delivered_teu: TeuTotal,
    /// Origin-to-destination times of the vehicles delivered inside the window.
    pub(super) transit: Tally,
    /// The train being formed at the origin, when the flow forms its trains.
    pub(super) forming: Forming,
    /// Train-hours its trains waited for wagons and locomotives inside the window.
    pub(super) stock_wait_h: f64,
    /// What formation after transshipments cost its containers inside the window.
    pub(super) reformed: Reformed,
    /// True when its trains may carry other than `unit_teu`: formed at the origin or
    /// formed anew on the way.
    varied_teu: bool,
}

/// A train being formed at a flow's origin, and what formation cost the trains that left.
#[derive(Debug, Clone, Default)]
pub(super) struct Forming {
    /// TEU waiting for the train.
    pub(super) teu: f64,
    /// Sum over those containers of TEU × arrival time, ms: their TEU-weighted mean
    /// arrival is the train's own.
    teu_ms: f64,
    /// Counts the trains begun, so that a deadline set for one that has since left is
    /// recognised as stale.
    pub(super) generation: u32,
    /// Trains that left inside the window.
    pub(super) trains: u64,
    /// TEU they carried.
    pub(super) train_teu: f64,
    /// TEU-hours their containers waited for them.
    pub(super) wait_teu_h: f64,
}
/// What left a flow's origin inside the window: trains, their TEU, and the TEU-hours
/// their containers waited for trains to be formed (at the origin and after
/// transshipments).
#[derive(Debug, Clone, Copy)]
pub(super) struct Departures {
    /// Trains (or trucks).
    pub(super) trains: u64,
    /// TEU they carried.
    pub(super) teu: f64,
    /// TEU-hours waited for formation, at the origin and after transshipments (0 when
    /// vehicles arrive whole and are never formed anew).
    pub(super) wait_teu_h: f64,
}

impl FlowState {
    /// What left the origin of flow `f` (this state's) inside the window.
    pub(super) fn departures(&self, f: &Flow) -> Departures {
        if f.formation.is_some() {
            let fm = &self.forming;
            Departures {
                trains: fm.trains,
                teu: fm.train_teu,
                wait_teu_h: fm.wait_teu_h + self.reformed.wait_teu_h,
            }
        } else {
            let trains: u64 = self.route_counts.iter().sum();
            Departures {
                trains,
                teu: trains as f64 * f.unit_teu,
                wait_teu_h: self.reformed.wait_teu_h,
            }
        }
    }

    /// The TEU each delivered vehicle of flow `f` weighs in figures per TEU: its
    /// `unit_teu`, or for trains formed at the origin or on the way (which may carry other
    /// than `unit_teu`) the mean TEU of those delivered in the window.
    pub(super) fn teu_per_vehicle(&self, f: &Flow) -> f64 {
        match self.transit.count() {
            n if n > 0 && self.varied_teu => self.delivered_teu.teu() / n as f64,
            _ => f.unit_teu,
        }
    }

    /// TEU flow `f` delivered inside the window.
    pub(super) fn delivered_teu(&self, f: &Flow) -> f64 {
        if self.varied_teu {
            self.delivered_teu.teu()
        } else {
            // Each of the vehicles delivered carried `unit_teu`.
            let mut total = TeuTotal::default();
            total.add_times(f.unit_teu, self.transit.count());
            total.teu()
        }
    }

    /// The state of flow `f` at time zero in replication `replication` of a run seeded
    /// with `seed`.
    pub(super) fn new(f: &Flow, seed: u64, replication: u64) -> Self {
        FlowState {
            clock: ArrivalClock::new(f, seed, replication),
            created: 0,
            finished: 0,
            route_counts: vec![0; f.routes.len()],
            delivered_teu: TeuTotal::default(),
            transit: Tally::default(),
            forming: Forming::default(),
            stock_wait_h: 0.0,
            reformed: Reformed::default(),
            varied_teu: f.formation.is_some() || f.routes.iter().any(|r| !r.reforms.is_empty()),
        }
    }

    /// The flow's arrival clock as it stood at time zero, before its first draw: replayed,
    /// it gives the same arrival times again (see `compact`).
    pub(super) fn clock_at_start(f: &Flow, seed: u64, replication: u64) -> ArrivalClock {
        ArrivalClock::new(f, seed, replication)
    }
}

/// The draws of a flow's arrival times: its random stream and its mean gap. The arrivals
/// themselves and the replay of a queue kept compact (see `compact`) draw through the
/// same two functions, so that both find the same times.
#[derive(Debug, Clone)]
pub(super) struct ArrivalClock {
    /// Random stream of the gaps between arrivals.
    rng: Stream,
    /// Mean hours between arrivals (vehicles, or containers when trains are formed), when
    /// demand does not grow (a division chain the arrivals would otherwise wait on).
    fixed_gap_h: Option<f64>,
}

impl ArrivalClock {
    /// The clock of flow `f` at time zero in replication `replication` of a run seeded
    /// with `seed`.
    fn new(f: &Flow, seed: u64, replication: u64) -> Self {
        ArrivalClock {
            rng: stream(seed, replication, StreamKind::FlowArrivals, &f.id, 0),
            fixed_gap_h: (f.growth_per_year == 0.0)
                .then(|| 1.0 / f.arrivals_per_hour(SimTime::ZERO)),
        }
    }

    /// Mean hours between arrivals of flow `f` at `now` (demand may grow).
    #[inline(always)]
    fn mean_gap_h(&self, f: &Flow, now: SimTime) -> f64 {
        self.fixed_gap_h
            .unwrap_or_else(|| 1.0 / f.arrivals_per_hour(now))
    }

    /// The time of flow `f`'s first arrival: an exponential gap for Poisson arrivals, a
    /// uniformly drawn point of the first gap for regular ones.
    pub(super) fn first(&mut self, f: &Flow) -> SimTime {
        let first_h = match f.arrivals {
            Arrivals::Poisson => Distribution::<f64>::sample(&Exp1, &mut self.rng),
            Arrivals::Regular => self.rng.random::<f64>(),
        } * self.mean_gap_h(f, SimTime::ZERO);
        SimTime::ZERO.after(Duration::from_hours(first_h))
    }

    /// The time of flow `f`'s arrival after the one at `now`. Inlined: it runs at every
    /// arrival.
    #[inline(always)]
    pub(super) fn next(&mut self, f: &Flow, now: SimTime) -> SimTime {
        let mean_gap_h = self.mean_gap_h(f, now);
        let gap_h = match f.arrivals {
            Arrivals::Poisson => Distribution::<f64>::sample(&Exp1, &mut self.rng) * mean_gap_h,
            Arrivals::Regular => mean_gap_h,
        };
        // At least a millisecond apart, so that simulated time always moves on.
        now.after(Duration::from_hours(gap_h).max(Duration(1)))
    }
}

impl<'m> Sim<'m> {
    /// Schedules the first arrival of every flow.
    pub(super) fn start_arrivals(&mut self, sched: &mut Scheduler<Event>) {
        for (i, f) in self.m.flows.iter().enumerate() {
            let first = self.flows[i].clock.first(f);
            sched.schedule_at_or_now(first, Event::Arrival { flow: i as u32 });
        }
    }

    /// Puts vehicle `v` in a free slot of the arena, or a new one, and returns its index.
    #[inline]
    pub(super) fn alloc(&mut self, mut v: Vehicle<'m>) -> u32 {
        v.serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1);
        self.alloc_rebuilt(v)
    }

    /// Puts record `v` in a free slot of the arena, or a new one, and returns its index:
    /// a vehicle kept compact gets its record back so, keeping its serial number.
    #[inline]
    pub(super) fn alloc_rebuilt(&mut self, v: Vehicle<'m>) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.vehicles[i as usize] = v;
                i
            }
            None => {
                self.vehicles.push(v);
                (self.vehicles.len() - 1) as u32
            }
        }
    }

    /// The steps of vehicle `v`'s route.
    fn steps_of(&self, v: u32) -> &'m [Step] {
        self.vehicles[v as usize].steps
    }

    /// The step of its route vehicle `v` is at.
    pub(super) fn route_step(&self, v: u32) -> Step {
        self.steps_of(v)[self.vehicles[v as usize].step as usize]
    }

    /// A vehicle of flow `flow` appears at its origin, or a container when the flow forms
    /// its trains: the next arrival is scheduled, and the vehicle sets off (or the container
    /// joins the train being formed).
    pub(super) fn arrival(&mut self, flow: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let f = &self.m.flows[flow as usize];
        let next = self.flows[flow as usize].clock.next(f, now);
        sched.schedule_at_or_now(next, Event::Arrival { flow });
        match f.formation {
            None => self.depart(flow, f.unit_teu, now, sched),
            Some(form) => self.container_arrives(flow, form, sched),
        }
    }

    /// A container of `form.container_teu` joins the train being formed for flow `flow`;
    /// the train leaves when the next container would not fit. The first container of a
    /// train sets its deadline. Out of line: most flows send whole vehicles.
    #[inline(never)]
    fn container_arrives(&mut self, flow: u32, form: Formation, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let unit_teu = self.m.flows[flow as usize].unit_teu;
        let forming = &mut self.flows[flow as usize].forming;
        if forming.teu == 0.0 {
            forming.generation = forming.generation.wrapping_add(1);
            let generation = forming.generation;
            sched.schedule_in(form.max_form, Event::FormingDue { flow, generation });
        }
        forming.teu += form.container_teu;
        forming.teu_ms += form.container_teu * now.0 as f64;
        if !fits(forming.teu, form.container_teu, unit_teu) {
            self.train_formed(flow, sched);
        }
    }

    /// The deadline of a train being formed for flow `flow` has come: it leaves with what
    /// it has, unless it has left already (`generation` is then stale).
    pub(super) fn forming_due(&mut self, flow: u32, generation: u32, sched: &mut Scheduler<Event>) {
        let forming = &self.flows[flow as usize].forming;
        if forming.generation == generation && forming.teu > 0.0 {
            self.train_formed(flow, sched);
        }
    }

    /// The train formed for flow `flow` leaves with the containers waiting; it counts as
    /// having appeared at the mean arrival of its TEU.
    fn train_formed(&mut self, flow: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let inside = self.w.contains(now);
        let forming = &mut self.flows[flow as usize].forming;
        let teu = forming.teu;
        let created = SimTime((forming.teu_ms / teu).round() as u64).min(now);
        if inside {
            forming.trains += 1;
            forming.train_teu += teu;
            forming.wait_teu_h += teu * now.since(created).as_hours();
        }
        forming.teu = 0.0;
        forming.teu_ms = 0.0;
        self.depart(flow, teu, created, sched);
    }

    /// A vehicle of flow `flow` carrying `teu` sets off from the origin now, having
    /// appeared there at `created`: its route is chosen (when the flow chooses
    /// adaptively), and it starts the first step.
    #[inline(always)]
    fn depart(&mut self, flow: u32, teu: f64, created: SimTime, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let f = &self.m.flows[flow as usize];
        self.flows[flow as usize].created += 1;
        let route = if f.adaptive {
            self.choose_route(flow, now)
        } else {
            0
        };
        let fs = &mut self.flows[flow as usize];
        if self.w.contains(now) {
            fs.route_counts[usize::from(route)] += 1;
        }
        let steps = &f.routes[usize::from(route)].steps;
        let mut vehicle = Vehicle::setting_off((flow, route), teu, steps, created, now);
        vehicle.containers = f.cargo == Cargo::Containers;
        let v = self.alloc(vehicle);
        if self.m.fleets.is_empty() || self.stock_to_depart(v, sched) {
            self.begin_step(v, sched);
        }
    }

    /// Vehicle `v`, at its origin in a scenario with fleets, takes the stock of its first
    /// leg if a fleet runs its route; true when it may set off now.
    #[inline(never)]
    fn stock_to_depart(&mut self, v: u32, sched: &mut Scheduler<Event>) -> bool {
        !self.runs_on_legs(v) || self.take_stock(v, sched)
    }

    /// Starts the vehicle's current route step, or delivers it when the route is done.
    /// Segments with no running time that it may enter at once are passed here and now.
    pub(super) fn begin_step(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        loop {
            let step = self.vehicles[v as usize].step as usize;
            match self.steps_of(v).get(step) {
                None => return self.deliver(v, sched),
                Some(&Step::Link { link, forward }) => {
                    let dir = direction(forward);
                    if !self.pass_at_once(v, link, dir, sched.now()) {
                        if !self.enter_link(v, link, dir, sched) {
                            return;
                        }
                        self.count_exit(v, link, sched.now());
                    }
                    self.vehicles[v as usize].step += 1;
                }
                Some(&Step::Ferry { ferry, forward }) => {
                    return self.ferry_arrival(v, ferry, usize::from(!forward), sched)
                }
                Some(&Step::Crossing { crossing, .. }) => {
                    let veh = &mut self.vehicles[v as usize];
                    veh.waited_ms = 0;
                    veh.reached = sched.now();
                    return self.arrive_at_crossing(v, crossing, sched);
                }
            }
        }
    }

    /// The vehicle has finished its current step: on to the next.
    pub(in crate::model) fn advance(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        self.vehicles[v as usize].step += 1;
        self.begin_step(v, sched);
    }

    /// Vehicle `v` reaches its destination at `now`: counted, its stock released, and its
    /// slot freed. An empty train brings its stock to its depot.
    fn deliver(&mut self, v: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        if self.vehicles[v as usize].flow == EMPTY_TRAIN {
            return self.empty_train_arrives(v, sched);
        }
        if self.vehicles[v as usize].fleet != NO_FLEET {
            self.release_stock(v, sched);
        }
        self.count_delivery(v, now);
    }

    /// Vehicle `v`, which carries cargo and holds no stock, reaches its destination at
    /// `at`: counted, and its slot freed.
    #[inline]
    pub(super) fn count_delivery(&mut self, v: u32, at: SimTime) {
        let veh = &mut self.vehicles[v as usize];
        veh.alive = false;
        let fs = &mut self.flows[veh.flow as usize];
        fs.finished += 1;
        if self.w.contains(at) {
            if fs.varied_teu {
                fs.delivered_teu.add(veh.teu);
            }
            fs.transit.record(at.since(veh.created));
        }
        self.free.push(v);
    }
}
