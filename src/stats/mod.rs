//! Statistics: the summary across replications of what each one observed
//! ([`ReplicationObs`], defined by the model), which the reports print ([`Results`], the
//! `corridor.results/1` contract).

pub mod figures;
mod json;
pub mod paired;
pub mod student;
pub mod summary;
pub mod warmup;

pub use summary::{t_975, Moments, Stat};

use crate::kernel::SimTime;
pub use crate::model::observations::{
    CrossingObs, ElementObs, FerryObs, FleetObs, FlowObs, LinkObs, NetworkObs, ReplicationObs,
};
use crate::model::{Element, ElementKind, Model};
use figures::Figure;
use serde::Serialize;

/// The results schema written in every JSON results file.
pub const RESULTS_SCHEMA: &str = "corridor.results/1";

/// A mean and a 95th percentile, each summarised across replications.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct MeanP95 {
    /// Per-replication means, summarised.
    pub mean: Stat,
    /// Per-replication 95th percentiles, summarised.
    pub p95: Stat,
}

/// A mean, a median and a 95th percentile, each summarised across replications.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct MeanP50P95 {
    /// Per-replication means, summarised.
    pub mean: Stat,
    /// Per-replication medians, summarised.
    pub p50: Stat,
    /// Per-replication 95th percentiles, summarised.
    pub p95: Stat,
}

/// Whole-network summary; its figures are those of [`figures::NETWORK`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkSummary {
    /// TEU delivered per year.
    pub delivered_teu_per_year: Stat,
    /// Origin-to-destination time per vehicle, hours.
    pub transit_h: MeanP95,
    /// Origin-to-destination time per TEU (each vehicle weighing its TEU), hours.
    pub teu_transit_h: MeanP50P95,
    /// The container flows' demand, TEU a year: the sum of their `demand_teu_per_year`
    /// ([`FlowSummary::demand_teu_per_year`]), what `delivered_teu_per_year` would be if
    /// every TEU arriving were delivered. An input, not a measure: no interval.
    pub demand_teu_per_year: f64,
}

/// Summary of one corridor (a group of flows); its figures are those of
/// [`figures::CORRIDOR`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CorridorSummary {
    /// The corridor's id.
    pub id: String,
    /// Its display name, if the scenario gives one.
    pub name: Option<String>,
    /// The ids of its flows.
    pub flows: Vec<String>,
    /// TEU its flows delivered per year.
    pub delivered_teu_per_year: Stat,
    /// TEU of its flows not delivered at the horizon.
    pub backlog_teu: Stat,
    /// Transit time per TEU delivered, hours.
    pub transit_h: MeanP50P95,
    /// Mean hours a TEU of its flows waited for its train to be formed.
    pub formation_wait_h: Stat,
    /// Mean TEU per train of its flows, as a share of their `unit_teu`.
    pub train_fill: Stat,
    /// Mean hours per train of its flows waiting for wagons and locomotives.
    pub stock_wait_h: Stat,
}

/// Summary of one fleet; its figures are those of [`figures::FLEET`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FleetSummary {
    /// The fleet's id.
    pub id: String,
    /// Shares of its wagons loaded, running empty and idle (time averages, 0 to 1).
    pub wagon_use: StockUse,
    /// Shares of its locomotives the same way.
    pub locomotive_use: StockUse,
    /// The larger of the shares of wagons and of locomotives in use.
    pub utilization: Stat,
    /// Trains that waited for its stock in the measured window.
    pub trains_delayed: Stat,
    /// Wait for stock per train that needed it (zero for those that found it), hours.
    pub wait_h: MeanP95,
    /// Kilometres run by its empty trains in the measured window.
    pub empty_train_km: Stat,
    /// Per depot, the shares of its wagons and locomotives idle there.
    pub idle_at: Vec<IdleAt>,
}

/// How a fleet's stock is used: shares of the time-average stock, 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StockUse {
    /// In trains with cargo.
    pub loaded: Stat,
    /// In empty trains (running back, or to where stock is wanted).
    pub empty: Stat,
    /// Standing at depots (turning round included).
    pub idle: Stat,
}

/// A fleet's stock idle at one depot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdleAt {
    /// The depot's node id.
    pub node: String,
    /// Share of the fleet's wagons idle there.
    pub wagons: Stat,
    /// Share of the fleet's locomotives idle there.
    pub locomotives: Stat,
}

/// Summary of one flow; its figures are those of [`figures::FLOW`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowSummary {
    /// The flow's id.
    pub id: String,
    /// TEU delivered per year.
    pub delivered_teu_per_year: Stat,
    /// TEU not delivered at the horizon.
    pub backlog_teu: Stat,
    /// Transit time per vehicle, hours.
    pub transit_h: MeanP50P95,
    /// Mean hours a TEU waited at the origin for its train to be formed (0 when the
    /// flow's vehicles arrive whole).
    pub formation_wait_h: Stat,
    /// Mean TEU per train that left the origin, as a share of `unit_teu` (1 when the
    /// flow's vehicles arrive whole).
    pub train_fill: Stat,
    /// Mean hours per train waiting for wagons and locomotives, over all its legs (0
    /// where no fleet runs it).
    pub stock_wait_h: Stat,
    /// True for a flow of other cargo (`cargo = "other"`), whose "TEU" are the units its
    /// `unit_teu` counts in (trains, in the Eurasian scenario), not containers.
    pub other_cargo: bool,
    /// The flow's demand, TEU a year: the mean rate at which TEU arrive at its origin over
    /// the measured window, with its growth (trains, for flows of other cargo, as
    /// `delivered_teu_per_year`). An input, not a measure: no interval.
    pub demand_teu_per_year: f64,
    /// The flow's routes and how its vehicles split across them.
    pub routes: Vec<RouteSummary>,
    /// True when its mean backlog at the horizon marks it overloaded
    /// ([`crate::model::Flow::overloaded`]): its demand exceeds what the network carries
    /// for it, so its transit times grow with the horizon rather than settle, and its
    /// intervals describe this horizon only.
    pub overloaded: bool,
}

/// One route of a flow and the share of the flow's vehicles that took it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteSummary {
    /// The nodes the route visits, origin and destination included.
    pub via: Vec<String>,
    /// Free-flow hours of the route.
    pub free_flow_h: f64,
    /// Share of the flow's vehicles that departed on it in the measured window (0 to 1).
    pub share: Stat,
}

/// Summary of one crossing; its figures are those of [`figures::CROSSING`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrossingSummary {
    /// The crossing's id.
    pub id: String,
    /// The name of its node, if the scenario gives one.
    pub name: Option<String>,
    /// Vehicles that completed the crossing in the measured window.
    pub processed: Stat,
    /// Busy fraction of the most utilised stage.
    pub utilization: Stat,
    /// Time-average number queued.
    pub queue_len: Stat,
    /// Time queued, service excluded, hours.
    pub wait_h: MeanP95,
    /// Time from arrival (held upstream included) to leaving, hours.
    pub time_h: MeanP95,
    /// Mean time a TEU waited after the transshipment for the train formed there, hours
    /// (0 where trains are not formed anew).
    pub formation_wait_h: Stat,
}

/// Summary of one segment; its figures are those of [`figures::LINK`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkSummary {
    /// The segment's id.
    pub id: String,
    /// Trains or trucks that completed the segment in the measured window.
    pub trains: Stat,
    /// TEU carried over the segment in the measured window.
    pub teu: Stat,
    /// Time-average share of capacity in use (busiest part).
    pub utilization: Stat,
    /// Time held beyond free running time, hours.
    pub wait_h: MeanP95,
}

/// Summary of one ferry line; its figures are those of [`figures::FERRY`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FerrySummary {
    /// The ferry line's id.
    pub id: String,
    /// TEU that sailed in the measured window.
    pub teu: Stat,
    /// Sailings in the measured window.
    pub voyages: Stat,
    /// Share of the capacity used on the sailings of the busier direction.
    pub fill: Stat,
    /// Time waited for a sailing (held upstream included, berth time excluded), hours.
    pub wait_h: MeanP95,
    /// Time-average TEU in the two port yards (yard fill).
    pub yard_teu: Stat,
    /// Time from reaching the port (held upstream included) to sailing, hours.
    pub time_h: MeanP95,
}

/// An element of the network ranked by the delay it causes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bottleneck {
    /// `crossing`, `segment` or `ferry`.
    pub kind: &'static str,
    /// The element's id.
    pub id: String,
    /// Its utilisation (as reported in its own section).
    pub utilization: Stat,
    /// Its share of the total delay of all vehicles in the window (0 to 1): time queued at
    /// crossings, held on segments and waiting for sailings.
    pub delay_share: Stat,
    /// The delay it caused, vehicle-hours per year.
    pub delay_h_per_year: Stat,
}

/// The results of a batch of replications: the `corridor.results/1` JSON document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Always [`RESULTS_SCHEMA`].
    pub schema: &'static str,
    /// The scenario's name.
    pub scenario: String,
    /// Seed of the random streams.
    pub seed: u64,
    /// Number of replications summarised.
    pub replications: u32,
    /// Horizon of each replication, hours.
    pub horizon_h: f64,
    /// Warm-up discarded at the start of each replication, hours.
    pub warmup_h: f64,
    /// Whole network.
    pub network: NetworkSummary,
    /// Per flow.
    pub flows: Vec<FlowSummary>,
    /// Per crossing.
    pub crossings: Vec<CrossingSummary>,
    /// Per segment.
    pub links: Vec<LinkSummary>,
    /// Per ferry line.
    pub ferries: Vec<FerrySummary>,
    /// Per corridor (group of flows), in scenario order.
    pub corridors: Vec<CorridorSummary>,
    /// Per fleet, in scenario order (left out when the scenario has none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fleets: Vec<FleetSummary>,
    /// The elements that cause the most delay, most first (at most ten; only those that
    /// caused any).
    pub bottlenecks: Vec<Bottleneck>,
    /// With `--precision`: the precision asked for and reached, and the replications used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// True when the batch was interrupted (Ctrl-C): `replications` counts the replications
    /// finished, from the first on.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// With `warmup_days = "auto"`: how the warm-up (`warmup_h`) was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warmup_auto: Option<WarmupFound>,
}

/// The outcome of sequential stopping.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    /// The relative CI half-width asked for on the network's delivered TEU per year.
    pub target: f64,
    /// The relative CI half-width reached.
    pub reached: f64,
    /// Replications used (at most the `--replications` given).
    pub replications_used: u32,
}

/// A warm-up found from the data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WarmupFound {
    /// Always `MSER-5`.
    pub method: &'static str,
    /// The warm-up found, days.
    pub days: f64,
    /// Pilot replications whose average series was used.
    pub pilot_replications: u64,
}

/// How to read one metric off one replication.
type Reader<'m> = Box<dyn Fn(&ReplicationObs) -> f64 + 'm>;

/// How [`build`] obtains each metric's summary: it is handed the metric's [`Reader`] and
/// returns the summary (or keeps the reader; see [`Summariser::new`]).
type Source<'m, 's> = dyn FnMut(Reader<'m>) -> Stat + 's;

/// The elements ranked by their mean share of the delay, with their utilisation.
fn bottlenecks<'m>(model: &'m Model, warmup: SimTime, src: &mut Source<'m, '_>) -> Vec<Bottleneck> {
    let years = model.window(warmup).as_hours() / crate::HOURS_PER_YEAR;
    let mut out = Vec::new();
    for element in model.elements() {
        let utilization = src(Box::new(move |r| r.element(element).utilization));
        let delay_share = src(Box::new(move |r| {
            if r.network.delay_h > 0.0 {
                r.element(element).delay_h / r.network.delay_h
            } else {
                0.0
            }
        }));
        let delay_h_per_year = src(Box::new(move |r| r.element(element).delay_h / years));
        out.push(Bottleneck {
            kind: element.kind.name(),
            id: element.id.to_string(),
            utilization,
            delay_share,
            delay_h_per_year,
        });
    }
    out.retain(|b| b.delay_share.mean > 0.0);
    out.sort_by(|a, b| {
        b.delay_share
            .mean
            .total_cmp(&a.delay_share.mean)
            .then(b.utilization.mean.total_cmp(&a.utilization.mean))
    });
    out.truncate(10);
    out
}

impl Results {
    /// The flows overloaded at the horizon ([`FlowSummary::overloaded`]), in scenario order.
    pub fn overloaded_flows(&self) -> impl Iterator<Item = &FlowSummary> {
        self.flows.iter().filter(|f| f.overloaded)
    }

    /// The utilisation of `element` across replications (a ferry's: the fill of its
    /// sailings).
    pub fn utilization(&self, element: Element<'_>) -> &Stat {
        match element.kind {
            ElementKind::Crossing => &self.crossings[element.index].utilization,
            ElementKind::Segment => &self.links[element.index].utilization,
            ElementKind::Ferry => &self.ferries[element.index].fill,
            ElementKind::Fleet => &self.fleets[element.index].utilization,
        }
    }
}

/// The summary of every metric, built up one replication at a time in replication order.
/// It keeps a [`Moments`] per metric and nothing per replication, so its memory does not
/// grow with the number of replications.
pub struct Summariser<'m> {
    model: &'m Model,
    warmup: SimTime,
    seed: u64,
    replications: u32,
    /// How to read each metric off a replication, in the order [`build`] reads them: the
    /// figures of [`metrics`] first, in its order, then the bottleneck figures.
    readers: Vec<Reader<'m>>,
    /// One per reader.
    moments: Vec<Moments>,
}

impl std::fmt::Debug for Summariser<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Summariser")
            .field("seed", &self.seed)
            .field("replications", &self.replications)
            .field("moments", &self.moments)
            .finish_non_exhaustive()
    }
}

impl<'m> Summariser<'m> {
    /// An empty summary of replications of `model` run with `seed` and measured after
    /// `warmup`.
    pub fn new(model: &'m Model, warmup: SimTime, seed: u64) -> Self {
        let mut readers = Vec::new();
        build(model, warmup, seed, 0, &mut |reader| {
            readers.push(reader);
            Moments::default().stat()
        });
        Summariser {
            model,
            warmup,
            seed,
            replications: 0,
            moments: vec![Moments::default(); readers.len()],
            readers,
        }
    }

    /// Adds the next replication (replications must come in order).
    pub fn add(&mut self, obs: &ReplicationObs) {
        for (m, read) in self.moments.iter_mut().zip(&self.readers) {
            m.add(read(obs));
        }
        self.replications += 1;
    }

    /// The value of every metric in one replication, in the order of [`metrics`] (then the
    /// bottleneck figures); NaN where the replication observed nothing of it.
    pub fn values<'a>(&'a self, obs: &'a ReplicationObs) -> impl Iterator<Item = f64> + 'a {
        self.readers.iter().map(move |read| read(obs))
    }

    /// Replications added.
    pub fn replications(&self) -> u32 {
        self.replications
    }

    /// The results of the replications added so far.
    pub fn results(&self) -> Results {
        let mut stats = self.moments.iter().map(Moments::stat);
        build(
            self.model,
            self.warmup,
            self.seed,
            self.replications,
            &mut |_| stats.next().expect("one running summary per metric read"),
        )
    }
}

/// The results of `replications` replications of `model` run with `seed`, each metric's
/// summary taken from `src`, which is handed the way to read that metric off one
/// replication. Every metric is read in one fixed order (that of [`metrics`], then the
/// bottleneck figures), so that [`Summariser::new`] and [`Summariser::results`] agree on
/// which summary is which.
fn build<'m>(
    model: &'m Model,
    warmup: SimTime,
    seed: u64,
    replications: u32,
    src: &mut Source<'m, '_>,
) -> Results {
    let mut network: NetworkSummary = summarise(figures::NETWORK, src, 0, network_obs);
    let flows = flow_summaries(model, warmup, src);
    network.demand_teu_per_year = (model.flows.iter().zip(&flows))
        .filter(|(f, _)| f.cargo == crate::model::Cargo::Containers)
        .map(|(_, s)| s.demand_teu_per_year)
        .sum();
    let crossings = model
        .crossings
        .iter()
        .enumerate()
        .map(|(i, c)| CrossingSummary {
            id: c.id.clone(),
            name: model.nodes[c.node as usize].name.clone(),
            ..summarise(figures::CROSSING, src, i, crossing_obs)
        });
    let crossings = crossings.collect();
    let links = model.links.iter().enumerate().map(|(i, l)| LinkSummary {
        id: l.id.clone(),
        ..summarise(figures::LINK, src, i, link_obs)
    });
    let links = links.collect();
    let ferries = model.ferries.iter().enumerate().map(|(i, f)| FerrySummary {
        id: f.id.clone(),
        ..summarise(figures::FERRY, src, i, ferry_obs)
    });
    let ferries = ferries.collect();
    // Corridors are read after every element and before the bottlenecks: the order of
    // `metrics`, which pairs figures by position.
    let corridors = model
        .corridors
        .iter()
        .enumerate()
        .map(|(i, c)| CorridorSummary {
            id: c.id.clone(),
            name: c.name.clone(),
            flows: c
                .flows
                .iter()
                .map(|&f| model.flows[f as usize].id.clone())
                .collect(),
            ..summarise(figures::CORRIDOR, src, i, corridor_obs)
        });
    let corridors = corridors.collect();
    let fleets = fleet_summaries(model, src);
    Results {
        schema: RESULTS_SCHEMA,
        scenario: model.name.clone(),
        seed,
        replications,
        horizon_h: model.horizon.as_hours(),
        warmup_h: warmup.as_hours(),
        network,
        flows,
        crossings,
        links,
        ferries,
        corridors,
        fleets,
        bottlenecks: bottlenecks(model, warmup, src),
        precision: None,
        partial: false,
        warmup_auto: None,
    }
}

/// The summary of every fleet: its figures, then its stock idle at each depot.
fn fleet_summaries<'m>(model: &'m Model, src: &mut Source<'m, '_>) -> Vec<FleetSummary> {
    let mut fleets = Vec::with_capacity(model.fleets.len());
    for (i, fl) in model.fleets.iter().enumerate() {
        let mut fleet: FleetSummary = summarise(figures::FLEET, src, i, fleet_obs);
        fleet.id = fl.id.clone();
        for (k, &node) in fl.depots.iter().enumerate() {
            let wagons = src(Box::new(move |r| r.fleets[i].idle_wagons_at[k]));
            let locomotives = src(Box::new(move |r| r.fleets[i].idle_locos_at[k]));
            fleet.idle_at.push(IdleAt {
                node: model.nodes[node as usize].id.clone(),
                wagons,
                locomotives,
            });
        }
        fleets.push(fleet);
    }
    fleets
}

/// The summary of every flow: its figures, then the share of each of its routes.
fn flow_summaries<'m>(
    model: &'m Model,
    warmup: SimTime,
    src: &mut Source<'m, '_>,
) -> Vec<FlowSummary> {
    let mut flows = Vec::with_capacity(model.flows.len());
    for (i, fl) in model.flows.iter().enumerate() {
        let mut flow: FlowSummary = summarise(figures::FLOW, src, i, flow_obs);
        flow.id = fl.id.clone();
        let horizon_years = model.horizon.as_hours() / crate::HOURS_PER_YEAR;
        flow.overloaded = fl.overloaded(0.0, horizon_years, flow.backlog_teu.mean);
        let warmup_years = warmup.as_hours() / crate::HOURS_PER_YEAR;
        flow.demand_teu_per_year = fl.mean_teu_per_year(warmup_years, horizon_years);
        flow.other_cargo = fl.cargo == crate::model::Cargo::Other;
        for (k, route) in fl.routes.iter().enumerate() {
            flow.routes.push(RouteSummary {
                via: route
                    .nodes
                    .iter()
                    .map(|&n| model.nodes[n as usize].id.clone())
                    .collect(),
                free_flow_h: route.free_flow_h,
                share: src(Box::new(move |r| r.route_shares[i][k])),
            });
        }
        flows.push(flow);
    }
    flows
}

/// Every metric of a results document as (section, element id, metric path, summary), in
/// the order of the document (that of [`figures`]): the shared vocabulary of the table,
/// CSV and compare reports. Route shares appear as `route_share:` followed by the nodes of
/// the route joined by `>`.
pub fn metrics(r: &Results) -> Vec<(&'static str, &str, String, Stat)> {
    fn push<'r, O, S>(
        out: &mut Vec<(&'static str, &'r str, String, Stat)>,
        section: &'static str,
        id: &'r str,
        figures: &[Figure<O, S>],
        summary: &S,
    ) {
        for f in figures {
            out.push((section, id, f.path.to_string(), *(f.stat)(summary)));
        }
    }
    let mut out = Vec::new();
    push(&mut out, "network", "network", figures::NETWORK, &r.network);
    for f in &r.flows {
        push(&mut out, "flows", &f.id, figures::FLOW, f);
        for route in &f.routes {
            let metric = format!("route_share:{}", route.via.join(">"));
            out.push(("flows", f.id.as_str(), metric, route.share));
        }
    }
    for c in &r.crossings {
        push(&mut out, "crossings", &c.id, figures::CROSSING, c);
    }
    for l in &r.links {
        push(&mut out, "links", &l.id, figures::LINK, l);
    }
    for f in &r.ferries {
        push(&mut out, "ferries", &f.id, figures::FERRY, f);
    }
    for c in &r.corridors {
        push(&mut out, "corridors", &c.id, figures::CORRIDOR, c);
    }
    for f in &r.fleets {
        push(&mut out, "fleets", &f.id, figures::FLEET, f);
        for at in &f.idle_at {
            out.push((
                "fleets",
                f.id.as_str(),
                format!("idle_wagons:{}", at.node),
                at.wagons,
            ));
            out.push((
                "fleets",
                f.id.as_str(),
                format!("idle_locomotives:{}", at.node),
                at.locomotives,
            ));
        }
    }
    out
}

/// The summary of one element: each of `figures` read off `pick(replication, index)`.
fn summarise<'m, O: 'm, S: Default>(
    figures: &'static [Figure<O, S>],
    src: &mut Source<'m, '_>,
    index: usize,
    pick: for<'r> fn(&'r ReplicationObs, usize) -> &'r O,
) -> S {
    let mut summary = S::default();
    for f in figures {
        let read = f.read;
        *(f.stat_mut)(&mut summary) = src(Box::new(move |r| read(pick(r, index))));
    }
    summary
}

fn network_obs(r: &ReplicationObs, _: usize) -> &NetworkObs {
    &r.network
}
fn flow_obs(r: &ReplicationObs, i: usize) -> &FlowObs {
    &r.flows[i]
}
fn crossing_obs(r: &ReplicationObs, i: usize) -> &CrossingObs {
    &r.crossings[i]
}
fn link_obs(r: &ReplicationObs, i: usize) -> &LinkObs {
    &r.links[i]
}
fn ferry_obs(r: &ReplicationObs, i: usize) -> &FerryObs {
    &r.ferries[i]
}
fn corridor_obs(r: &ReplicationObs, i: usize) -> &FlowObs {
    &r.corridors[i]
}
fn fleet_obs(r: &ReplicationObs, i: usize) -> &FleetObs {
    &r.fleets[i]
}
