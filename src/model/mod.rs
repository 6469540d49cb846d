//! The network and its traffic: what a scenario describes once it has been checked, and the
//! simulation of one replication over it.
//!
//! [`Model`] is immutable and shared by all replications (it is `Sync`); [`simulate`] runs
//! one replication of it on the calling thread and returns its observations.

mod choice;
mod cost;
mod crossing;
mod ferry;
mod kinds;
pub mod observations;
pub mod observe;
#[cfg(test)]
mod properties;
mod runs;
mod sim;
mod stock;
mod track;
mod yard;

pub use cost::{Backlog, EventRate, Footprint, Overloaded};
pub use kinds::{Arrivals, Cargo, Mode, NodeKind};
pub use sim::trace::{trace, Detail, TraceRow, Who};
pub use sim::{series, simulate, vehicles_in_network, Series};

use crate::kernel::{Duration, SimTime};
use crate::policy::calendar::Calendar;
use crate::random::Dist;

/// Index of a node in [`Model::nodes`].
pub type NodeIx = u32;
/// Index of a segment in [`Model::links`].
pub type LinkIx = u32;
/// Index of a crossing in [`Model::crossings`].
pub type CrossingIx = u32;
/// Index of a flow in [`Model::flows`].
pub type FlowIx = u32;
/// Index of a ferry line in [`Model::ferries`].
pub type FerryIx = u32;
/// Index of a fleet in [`Model::fleets`].
pub type FleetIx = u32;

/// The network and its traffic, ready to simulate: ids are resolved to indices, durations
/// are in simulated time, every flow has its route. It holds nothing of how it is run (the
/// seed, the replications, the warm-up): those are handed to [`simulate`].
#[derive(Debug, Clone)]
pub struct Model {
    /// The scenario's `name`.
    pub name: String,
    /// Calendar year in which simulated time starts (1 January, 00:00).
    pub start_year: i32,
    /// End of each replication.
    pub horizon: SimTime,
    /// Places: terminals, junctions, border stations, ports.
    pub nodes: Vec<Node>,
    /// Rail and road segments.
    pub links: Vec<Link>,
    /// Border crossings, each at one node for one mode.
    pub crossings: Vec<Crossing>,
    /// Ferry lines between two ports.
    pub ferries: Vec<Ferry>,
    /// Closures of segments, crossings, ferry lines and ports.
    pub disruptions: Vec<Disruption>,
    /// Container flows and their routes.
    pub flows: Vec<Flow>,
    /// Groups of flows reported together.
    pub corridors: Vec<Corridor>,
    /// Rolling stock (wagons and locomotives) of gauge regions; container trains on a
    /// gauge with a fleet need its stock.
    pub fleets: Vec<Fleet>,
    /// Where containers gather for new trains after a transshipment, one per flow route
    /// and crossing that forms trains anew.
    pub reform_pools: Vec<ReformPool>,
}

/// The container wagons and locomotives of one gauge region. A container train needs, for
/// each leg of its route on this gauge (from its origin or a gauge change to its
/// destination or the next gauge change), the wagons its TEU fill and one locomotive, taken
/// at the leg's start and released at its end.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Unique id among fleets.
    pub id: String,
    /// The gauge of the legs it serves, mm.
    pub gauge_mm: u32,
    /// Wagons in the fleet.
    pub wagons: u32,
    /// TEU one wagon carries.
    pub teu_per_wagon: f64,
    /// Locomotives in the fleet.
    pub locomotives: u32,
    /// Most wagons in one train (loaded or empty); `None`: no limit.
    pub max_wagons_per_train: Option<u32>,
    /// Time released stock takes before it can serve again (unloading, inspection).
    pub turnaround: Duration,
    /// The depots: nodes where its legs start or end, and its homes.
    pub depots: Vec<NodeIx>,
    /// Wagons based at each depot (its home share; 0 where it is not a home), in the
    /// order of `depots`: where stock starts, and where stock no train needs returns.
    pub home_wagons: Vec<u32>,
    /// Locomotives based at each depot, in the order of `depots`.
    pub home_locomotives: Vec<u32>,
    /// The way empty stock runs from depot `a` to depot `b`, at `a * depots.len() + b`;
    /// `None` where the gauge has no line between them.
    pub empty_routes: Vec<Option<EmptyRoute>>,
}

impl Fleet {
    /// Wagons a train of `teu` TEU needs.
    pub fn wagons_for(&self, teu: f64) -> u32 {
        // A billionth of a TEU of rounding needs no wagon of its own.
        ((teu / self.teu_per_wagon) - 1e-9).ceil().max(1.0) as u32
    }

    /// Most wagons one empty train takes.
    pub fn empty_train_wagons(&self) -> u32 {
        self.max_wagons_per_train.unwrap_or(self.wagons)
    }

    /// The empty route from depot `a` to depot `b`, if any.
    pub fn empty_route(&self, a: usize, b: usize) -> Option<&EmptyRoute> {
        self.empty_routes[a * self.depots.len() + b].as_ref()
    }
}

/// The way empty trains of a fleet run between two of its depots: segments of its gauge
/// only, the fastest.
#[derive(Debug, Clone)]
pub struct EmptyRoute {
    /// The segments, in order (crossings passed on the way are not stopped at).
    pub steps: Vec<Step>,
    /// Free-running hours.
    pub hours: f64,
    /// Length, km.
    pub km: f64,
}

/// One leg of a route: from its origin or a gauge change to its destination or the next
/// gauge change, on one gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    /// The fleet whose stock runs the leg, if the leg's gauge has one.
    pub fleet: Option<FleetIx>,
    /// Index in the fleet's depots of where the leg starts.
    pub from_depot: u32,
    /// Index in the fleet's depots of where the leg ends.
    pub to_depot: u32,
}

/// A group of flows reported together, such as a route planners speak of (the Northern
/// route, the Middle Corridor): its figures are those of its flows, transit weighted by
/// TEU.
#[derive(Debug, Clone)]
pub struct Corridor {
    /// Unique id among corridors.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Its flows, each once.
    pub flows: Vec<FlowIx>,
}

impl Model {
    /// True when a disruption of the scenario closes `target` (at some time or at random).
    pub fn may_close(&self, target: DisruptionTarget) -> bool {
        self.disruptions.iter().any(|d| d.target == target)
    }

    /// The node a vehicle on `steps` comes from when it reaches step `i`: the near end of
    /// the segment or ferry line of the step before (the origin's side for the first).
    /// Which of a crossing's stages the vehicle passes depends on it.
    pub fn side_of(&self, steps: &[Step], i: usize) -> NodeIx {
        match i.checked_sub(1).map(|p| steps[p]) {
            Some(Step::Link { link, forward }) => {
                let l = &self.links[link as usize];
                if forward {
                    l.from
                } else {
                    l.to
                }
            }
            Some(Step::Ferry { ferry, forward }) => {
                self.ferries[ferry as usize].ports[usize::from(!forward)]
            }
            Some(Step::Crossing { .. }) | None => NodeIx::MAX,
        }
    }

    /// Length of the measured window after a warm-up of `warmup`.
    pub fn window(&self, warmup: SimTime) -> Duration {
        self.horizon.since(warmup)
    }

    /// Every crossing, segment, ferry line and fleet, in that order: the elements that can
    /// hold vehicles up.
    pub fn elements(&self) -> impl Iterator<Item = Element<'_>> {
        fn of<'a>(
            kind: ElementKind,
            ids: impl Iterator<Item = &'a String>,
        ) -> impl Iterator<Item = Element<'a>> {
            ids.enumerate()
                .map(move |(index, id)| Element { kind, index, id })
        }
        of(ElementKind::Crossing, self.crossings.iter().map(|c| &c.id))
            .chain(of(ElementKind::Segment, self.links.iter().map(|l| &l.id)))
            .chain(of(ElementKind::Ferry, self.ferries.iter().map(|f| &f.id)))
            .chain(of(ElementKind::Fleet, self.fleets.iter().map(|f| &f.id)))
    }
}

/// The kinds of element that can hold vehicles up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    /// A border crossing.
    Crossing,
    /// A rail or road segment.
    Segment,
    /// A ferry line.
    Ferry,
    /// A fleet of wagons and locomotives: trains wait for its stock.
    Fleet,
}

impl ElementKind {
    /// The kind as results and tables name it: `crossing`, `segment`, `ferry` or `fleet`.
    pub fn name(self) -> &'static str {
        match self {
            ElementKind::Crossing => "crossing",
            ElementKind::Segment => "segment",
            ElementKind::Ferry => "ferry",
            ElementKind::Fleet => "fleet",
        }
    }
}

/// A crossing, segment, ferry line or fleet of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    /// Which kind it is.
    pub kind: ElementKind,
    /// Its index among the model's elements of that kind.
    pub index: usize,
    /// Its id.
    pub id: &'a str,
}

impl Element<'_> {
    /// True when route step `s` passes this element.
    pub fn is_step(&self, s: &Step) -> bool {
        match (self.kind, *s) {
            (ElementKind::Crossing, Step::Crossing { crossing, .. }) => {
                crossing as usize == self.index
            }
            (ElementKind::Segment, Step::Link { link, .. }) => link as usize == self.index,
            (ElementKind::Ferry, Step::Ferry { ferry, .. }) => ferry as usize == self.index,
            _ => false,
        }
    }
}

/// A place in the network.
#[derive(Debug, Clone)]
pub struct Node {
    /// Unique id among nodes.
    pub id: String,
    /// What kind of place it is.
    pub kind: NodeKind,
    /// Display name.
    pub name: Option<String>,
    /// ISO country code, as given.
    pub country: Option<String>,
    /// Latitude, degrees north.
    pub lat: Option<f64>,
    /// Longitude, degrees east.
    pub lon: Option<f64>,
}

/// A rail or road segment between two nodes, usable in both directions.
#[derive(Debug, Clone)]
pub struct Link {
    /// Unique id among segments (rail and road together).
    pub id: String,
    /// Rail or road.
    pub mode: Mode,
    /// One end (direction "forward" runs from here).
    pub from: NodeIx,
    /// The other end.
    pub to: NodeIx,
    /// Length, km.
    pub length_km: f64,
    /// Free-running speed, km/h.
    pub speed_kmh: f64,
    /// Free-running time end to end.
    pub run_time: Duration,
    /// Track gauge in mm (rail only).
    pub gauge_mm: Option<u32>,
    /// How vehicles share the segment.
    pub layout: Layout,
}

/// How vehicles share a segment, and what limits its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Two tracks, one per direction; trains enter a direction at least `headway` apart.
    DoubleTrack {
        /// Minimum time between two trains entering the same direction.
        headway: Duration,
    },
    /// One track for both directions, cut by passing loops into `stretches` equal blocks;
    /// a block holds one train and is free again `headway` after that train leaves it.
    SingleTrack {
        /// Number of blocks between loops (1 = no loops).
        stretches: u32,
        /// Free-running time through one block.
        stretch_time: Duration,
        /// Clearance after a train leaves a block before the next may enter.
        headway: Duration,
    },
    /// A road; with a capacity, trucks enter each direction at least `spacing` apart.
    Road {
        /// Minimum time between two trucks entering the same direction (1 / capacity).
        spacing: Option<Duration>,
    },
}

/// A border crossing: every vehicle of its mode whose route passes through its node goes
/// through the stages that serve its direction, in the order listed, then through the gauge
/// change when its route changes gauge here.
#[derive(Debug, Clone)]
pub struct Crossing {
    /// Unique id among crossings.
    pub id: String,
    /// Where it is.
    pub node: NodeIx,
    /// Which vehicles it controls.
    pub mode: Mode,
    /// When services may start.
    pub calendar: Calendar,
    /// TEU the crossing's yard holds (vehicles in its stages, queued or served); when full,
    /// arriving vehicles wait upstream and the segment they came by admits no more.
    pub yard_capacity_teu: Option<f64>,
    /// True when transit vehicles (of flows with `transit = true`) are served before the
    /// others at every stage (`priority = "transit"`).
    pub transit_priority: bool,
    /// Control stages in the order vehicles pass them; each vehicle passes those that serve
    /// the direction it comes from.
    pub stages: Vec<Stage>,
    /// True when some stage serves one side only (has a `from`): vehicles then pass
    /// different stages by the side they come from; otherwise every vehicle passes them all.
    pub sided: bool,
    /// Rail gauge change, done after the stages by trains whose route changes gauge here.
    pub gauge_change: Option<GaugeChange>,
}

impl Crossing {
    /// The first control stage at or after `start` that serves vehicles reaching the
    /// crossing from node `from`, if any.
    #[inline]
    pub fn control_from(&self, start: u32, from: NodeIx) -> Option<u32> {
        (start..self.stages.len() as u32).find(|&s| self.stages[s as usize].serves(from))
    }

    /// The stage index of the gauge change for a train of `cargo`: the cranes or exchange
    /// tracks (just after the control stages) for containers, the handling places for
    /// other trains (the index after that). `None` when the crossing has no gauge change.
    #[inline]
    pub fn gauge_stage(&self, cargo: Cargo) -> Option<u32> {
        let g = self.gauge_change.as_ref()?;
        let first = self.stages.len() as u32;
        match cargo {
            Cargo::Containers => Some(first),
            Cargo::Other => g.other.as_ref().map(|_| first + 1),
        }
    }

    /// Mean hours a train of `unit_teu` and `cargo` holds a gauge-change server; zero when
    /// the crossing changes no gauge for it.
    pub fn mean_gauge_change_h(&self, unit_teu: f64, cargo: Cargo) -> f64 {
        match (&self.gauge_change, cargo) {
            (Some(g), Cargo::Other) if g.other.is_some() => {
                g.other.as_ref().map_or(0.0, |o| o.train_h.mean())
            }
            (Some(g), _) => g.hours_per_teu * unit_teu,
            (None, _) => 0.0,
        }
    }

    /// Mean hours of service a vehicle of `unit_teu` and `cargo` coming from node `from`
    /// spends at the crossing: its control stages, and its gauge change when
    /// `change_gauge`.
    pub fn mean_passage_h(
        &self,
        from: NodeIx,
        change_gauge: bool,
        unit_teu: f64,
        cargo: Cargo,
    ) -> f64 {
        let gauge = if change_gauge {
            self.mean_gauge_change_h(unit_teu, cargo)
        } else {
            0.0
        };
        self.mean_controls_h(from) + gauge
    }

    /// Mean hours of service, inspections included, over the control stages that serve
    /// vehicles coming from `from`.
    pub fn mean_controls_h(&self, from: NodeIx) -> f64 {
        self.stages
            .iter()
            .filter(|s| s.serves(from))
            .map(Stage::mean_h)
            .sum()
    }
}

/// One control stage of a crossing: a queue in front of `servers` identical servers.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Name as given (e.g. "exit control").
    pub name: String,
    /// Parallel servers (lanes, tracks, officer teams).
    pub servers: u32,
    /// Service time per vehicle, hours.
    pub service: Dist,
    /// Probability that a vehicle is selected for inspection.
    pub inspect_prob: f64,
    /// Extra time an inspected vehicle holds its server, hours.
    pub inspect: Option<Dist>,
    /// The neighbouring node whose vehicles the stage serves (`from`); `None` serves
    /// vehicles from every side.
    pub from: Option<NodeIx>,
}

impl Stage {
    /// True when the stage serves vehicles reaching the crossing from node `from`.
    #[inline]
    pub fn serves(&self, from: NodeIx) -> bool {
        self.from.is_none_or(|f| f == from)
    }

    /// Mean hours a vehicle holds a server, inspections included.
    pub fn mean_h(&self) -> f64 {
        self.service.mean() + self.inspect_prob * self.inspect.as_ref().map_or(0.0, Dist::mean)
    }
}

/// The change of gauge at a rail crossing, modelled as a stage whose service time is
/// proportional to a container train's TEU, and for other trains (`cargo = "other"`) a
/// stage of its own.
#[derive(Debug, Clone)]
pub struct GaugeChange {
    /// `"transshipment"` or `"bogie_exchange"`.
    pub method: GaugeMethod,
    /// Container trains handled at once (crane gangs or exchange tracks).
    pub servers: u32,
    /// Handling time per TEU of one container train, hours.
    pub hours_per_teu: f64,
    /// Where and how long trains that are not container trains change gauge (bulk
    /// transshipment, bogie exchange of tank or hopper wagons).
    pub other: Option<OtherGaugeChange>,
    /// When container trains are formed anew after a transshipment: how. Without it, a
    /// train leaves with the containers it came with.
    pub reform: Option<Reform>,
}

/// Train formation after a transshipment: the containers lifted off a container train wait
/// for a train on the new gauge, with the other containers of the same flow and route, and
/// leave in trains of `train_teu` (for the side the trains come from), or with what has
/// gathered once the oldest has waited `max_form`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reform {
    /// TEU per train formed, by the node the trains come from (`None`: every side); a side
    /// not listed keeps its trains whole (`train_teu`).
    pub train_teu: Vec<(Option<NodeIx>, f64)>,
    /// Longest a container waits for its train after the transshipment (`max_form_h`).
    pub max_form: Duration,
}

impl Reform {
    /// TEU per train formed for trains coming from node `from`, if trains from there are
    /// formed anew.
    pub fn train_teu_from(&self, from: NodeIx) -> Option<f64> {
        (self.train_teu.iter())
            .find(|&&(side, _)| side.is_none() || side == Some(from))
            .map(|&(_, teu)| teu)
    }
}

/// Where the containers of one flow's route gather after a transshipment that forms
/// trains anew: its crossing, where it is on the route, and the trains it forms.
#[derive(Debug, Clone, PartialEq)]
pub struct ReformPool {
    /// The flow.
    pub flow: FlowIx,
    /// Index of the route among the flow's routes.
    pub route: u8,
    /// Index of the route's step at the crossing.
    pub step: u32,
    /// Index of the route's leg that starts at the crossing (see `Route::legs`).
    pub leg: u32,
    /// The crossing.
    pub crossing: CrossingIx,
    /// TEU per train formed.
    pub train_teu: f64,
    /// Longest a container waits for its train.
    pub max_form: Duration,
}

/// The gauge change of trains that are not container trains: places of their own and a
/// handling time per train.
#[derive(Debug, Clone)]
pub struct OtherGaugeChange {
    /// Trains handled at once (`other_tracks`).
    pub servers: u32,
    /// Handling time per train, hours (`other_train_h`).
    pub train_h: Dist,
}

/// How the gauge is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GaugeMethod {
    /// Containers are lifted from one train to another by cranes.
    Transshipment,
    /// Wagons are lifted and their bogies exchanged.
    BogieExchange,
}

/// A ferry line: vessels shuttle between two ports, carrying trains, trucks or their
/// containers (any mode) as whole vehicles.
#[derive(Debug, Clone)]
pub struct Ferry {
    /// Unique id among ferry lines.
    pub id: String,
    /// The two ports: `from` (index 0) and `to` (index 1).
    pub ports: [NodeIx; 2],
    /// Vessels on the line; they all start at `from`.
    pub vessels: u32,
    /// TEU one vessel carries.
    pub capacity_teu: f64,
    /// Time at the berth between the decision to sail and the departure.
    pub load: Duration,
    /// Time at sea from one port to the other.
    pub sail: Duration,
    /// When vessels sail.
    pub departure: Departure,
    /// TEU each port's yard holds for this line; when full, arriving vehicles wait upstream.
    pub port_yard_capacity_teu: Option<f64>,
    /// Storms that stop sailings.
    pub weather: Option<Weather>,
}

/// When a ferry's vessels sail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// A vessel sails once the next waiting vehicle no longer fits, or after `max_wait`
    /// from its first boarding if given. An empty vessel sails back empty when cargo waits
    /// only at the other port and no vessel is there or on its way.
    WhenFull {
        /// Longest a vessel with cargo waits for more.
        max_wait: Option<Duration>,
    },
    /// Each port has a sailing every `every`, from time zero on, taken by the first vessel
    /// waiting there (full or not, even empty); a slot with no vessel in port is missed.
    Schedule {
        /// Time between sailings from each port.
        every: Duration,
    },
}

/// Storms on a ferry line: an alternating sequence of calm and storm periods, both
/// exponential, with the given mean storm length and share of the year under storm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weather {
    /// Days per year under storm (the long-run share is this / 365).
    pub storm_days_per_year: f64,
    /// Mean length of one storm.
    pub mean_storm: Duration,
}

impl Weather {
    /// Mean length of a calm period, so that storms take `storm_days_per_year` on average.
    pub fn mean_calm(&self) -> Duration {
        let f = (self.storm_days_per_year / 365.0).clamp(0.0, 1.0);
        Duration::from_hours(self.mean_storm.as_hours() * (1.0 - f) / f)
    }
}

/// A closure of one element of the network: nothing enters a closed segment, a closed
/// crossing starts no service, no vessel of a closed ferry line (or of any line serving a
/// closed port) sails. What is under way finishes; what arrives waits, and the backlog
/// clears once the closure ends.
#[derive(Debug, Clone)]
pub struct Disruption {
    /// Unique id among disruptions.
    pub id: String,
    /// What closes.
    pub target: DisruptionTarget,
    /// When it closes.
    pub timing: DisruptionTiming,
}

/// The element a disruption closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisruptionTarget {
    /// A rail or road segment, both directions.
    Link(LinkIx),
    /// A border crossing, all its stages.
    Crossing(CrossingIx),
    /// A ferry line.
    Ferry(FerryIx),
    /// A port: every ferry line serving it.
    Port(NodeIx),
}

/// When a disruption happens.
#[derive(Debug, Clone)]
pub enum DisruptionTiming {
    /// Once, from `start` to `end`.
    Window {
        /// Closure starts.
        start: SimTime,
        /// Closure ends.
        end: SimTime,
    },
    /// At random: closures start as a Poisson process of `rate_per_year` (counted over the
    /// open time), each lasting a draw of `duration` hours.
    Random {
        /// Mean open time between the end of one closure and the start of the next.
        mean_gap: Duration,
        /// Length of a closure, hours.
        duration: Dist,
    },
}

/// A stream of containers from an origin to a destination, carried by trains or trucks.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Unique id among flows.
    pub id: String,
    /// Origin node.
    pub from: NodeIx,
    /// Destination node.
    pub to: NodeIx,
    /// Trains or trucks.
    pub mode: Mode,
    /// Demand in the first year, TEU per year.
    pub teu_per_year: f64,
    /// TEU per train or truck.
    pub unit_teu: f64,
    /// Arrival process at the origin.
    pub arrivals: Arrivals,
    /// Containers (counted in the network figures) or other traffic (capacity only).
    pub cargo: Cargo,
    /// Transit traffic: served first at crossings that give transit priority.
    pub transit: bool,
    /// Yearly growth of demand (0.08 = +8 % a year, compounded yearly: after `t` years,
    /// fractions of a year included, the demand is `teu_per_year` times
    /// `(1 + growth_per_year)^t`).
    pub growth_per_year: f64,
    /// True when each vehicle picks among `routes` at departure the one with the least
    /// expected time given the queues then (`route_choice = "adaptive"`); otherwise every
    /// vehicle takes `routes[0]`.
    pub adaptive: bool,
    /// The flow's routes: one, or the k fastest for adaptive choice, fastest first.
    pub routes: Vec<Route>,
    /// When the flow arrives as containers and is formed into trains at its origin: how.
    /// Without it, vehicles arrive whole, each with `unit_teu`.
    pub formation: Option<Formation>,
}

/// Train formation at a flow's origin: containers arrive one by one and leave as a train
/// when the next would not fit in `unit_teu`, or when the oldest has waited `max_form`;
/// the train then carries what it has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Formation {
    /// TEU of one arrival (`container_teu`).
    pub container_teu: f64,
    /// Longest a container waits for its train (`max_form_h`).
    pub max_form: Duration,
}

/// True when `teu` more fit where `teu_now` already are, under `capacity` (yards,
/// vessels). TEU are sums of fractional amounts: a billionth of a TEU of rounding is no
/// overflow.
pub(crate) fn fits(teu_now: f64, teu: f64, capacity: f64) -> bool {
    teu_now + teu <= capacity + 1e-9
}

/// Share of a year's demand left undelivered at the horizon, beyond what is on its way at
/// free flow, that marks a flow overloaded ([`Flow::overloaded`]).
pub const BACKLOG_SHARE: f64 = 0.05;

impl Flow {
    /// Whether a backlog of `backlog_teu` TEU at the horizon marks the flow overloaded, its
    /// demand beyond what the network carries for it: beyond the TEU on their way at free
    /// flow (Little's law: they are not a backlog that grows), more than [`BACKLOG_SHARE`]
    /// of its yearly demand. `years` is the time since simulated time zero at which the
    /// replication starts (0 for a run, the years since the first in a forecast), and
    /// `horizon_years` its horizon.
    pub fn overloaded(&self, years: f64, horizon_years: f64, backlog_teu: f64) -> bool {
        let free_flow_years = self.routes[0].free_flow_h / crate::HOURS_PER_YEAR;
        let demand = self.teu_per_year_after(years);
        // The demand rate at the horizon, when the backlog is counted.
        let rate_at_end = self.teu_per_year_after(years + horizon_years);
        backlog_teu - rate_at_end * free_flow_years > BACKLOG_SHARE * demand
    }

    /// TEU of one arrival at the origin: a container when trains are formed there, a
    /// whole vehicle otherwise.
    pub fn arrival_teu(&self) -> f64 {
        self.formation.map_or(self.unit_teu, |f| f.container_teu)
    }

    /// Arrivals per hour at the origin at simulated time `t`, with growth: vehicles, or
    /// containers when trains are formed there.
    pub fn arrivals_per_hour(&self, t: SimTime) -> f64 {
        self.teu_per_year_after(t.as_hours() / crate::HOURS_PER_YEAR)
            / self.arrival_teu()
            / crate::HOURS_PER_YEAR
    }

    /// The demand, TEU a year, after `years` of growth from simulated time zero.
    pub fn teu_per_year_after(&self, years: f64) -> f64 {
        grown(self.teu_per_year, self.growth_per_year, years)
    }

    /// The mean demand, TEU a year, from `from` to `to` years after simulated time zero
    /// (`from < to`): the rate at which TEU arrive at the origin on average over that
    /// window, with growth compounded continuously within it.
    pub fn mean_teu_per_year(&self, from: f64, to: f64) -> f64 {
        let g = self.growth_per_year;
        if g == 0.0 || to <= from {
            return self.teu_per_year_after(from);
        }
        let ln = (1.0 + g).ln();
        self.teu_per_year * ((1.0 + g).powf(to) - (1.0 + g).powf(from)) / (ln * (to - from))
    }
}

/// A demand of `teu_per_year` TEU a year after `years` years of compound growth at the
/// yearly rate `growth_per_year` (0.05 for +5 % a year); exactly the demand without growth.
pub fn grown(teu_per_year: f64, growth_per_year: f64, years: f64) -> f64 {
    if growth_per_year == 0.0 {
        teu_per_year
    } else {
        teu_per_year * (1.0 + growth_per_year).powf(years)
    }
}

/// A way from a flow's origin to its destination.
#[derive(Debug, Clone)]
pub struct Route {
    /// The nodes visited, origin and destination included.
    pub nodes: Vec<NodeIx>,
    /// What a vehicle does, in order.
    pub steps: Vec<Step>,
    /// Free-flow hours: running, mean crossing and gauge-change times, ferry berth and
    /// sailing times.
    pub free_flow_h: f64,
    /// Its legs, one more than the gauge changes on it; each with the fleet that runs it.
    /// Empty for routes no fleet serves.
    pub legs: Vec<Leg>,
    /// The crossings on it where its container trains are formed anew after the
    /// transshipment: (index of the step, index in `Model::reform_pools`), in route order.
    pub reforms: Vec<(u32, u32)>,
}

/// One step of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Run over a segment, forward (`from` → `to`) or backward.
    Link {
        /// The segment.
        link: LinkIx,
        /// True when running from the segment's `from` to its `to`.
        forward: bool,
    },
    /// Cross the sea on a ferry line, forward (`from` port → `to` port) or backward.
    Ferry {
        /// The ferry line.
        ferry: FerryIx,
        /// True when sailing from the line's `from` port to its `to` port.
        forward: bool,
    },
    /// Pass a border crossing.
    Crossing {
        /// The crossing.
        crossing: CrossingIx,
        /// True when the train changes gauge here.
        change_gauge: bool,
    },
}
