//! Statistics: the summary across replications of what each one observed
//! ([`ReplicationObs`], defined by the model), which the reports print ([`Results`], the
//! `corridor.results/1` contract).

pub mod paired;
pub mod summary;
pub mod warmup;

pub use summary::{t_975, Moments, Stat};

use crate::kernel::SimTime;
pub use crate::model::observations::{
    CrossingObs, ElementObs, FerryObs, FlowObs, LinkObs, NetworkObs, ReplicationObs,
};
use crate::model::{Element, ElementKind, Model};
use serde::Serialize;

/// The results schema written in every JSON results file.
pub const RESULTS_SCHEMA: &str = "corridor.results/1";

/// A mean and a 95th percentile, each summarised across replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanP95 {
    /// Per-replication means, summarised.
    pub mean: Stat,
    /// Per-replication 95th percentiles, summarised.
    pub p95: Stat,
}

/// A mean, a median and a 95th percentile, each summarised across replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanP50P95 {
    /// Per-replication means, summarised.
    pub mean: Stat,
    /// Per-replication medians, summarised.
    pub p50: Stat,
    /// Per-replication 95th percentiles, summarised.
    pub p95: Stat,
}

/// Whole-network summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkSummary {
    /// TEU delivered per year.
    pub delivered_teu_per_year: Stat,
    /// Origin-to-destination time per vehicle, hours.
    pub transit_h: MeanP95,
}

/// Summary of one flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowSummary {
    /// The flow's id.
    pub id: String,
    /// TEU delivered per year.
    pub delivered_teu_per_year: Stat,
    /// TEU not delivered at the horizon.
    pub backlog_teu: Stat,
    /// Transit time per vehicle, hours.
    pub transit_h: MeanP50P95,
    /// The flow's routes and how its vehicles split across them.
    pub routes: Vec<RouteSummary>,
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

/// Summary of one crossing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossingSummary {
    /// The crossing's id.
    pub id: String,
    /// Vehicles that completed the crossing in the measured window.
    pub processed: Stat,
    /// Busy fraction of the most utilised stage.
    pub utilization: Stat,
    /// Time-average number queued.
    pub queue_len: Stat,
    /// Time queued, service excluded, hours.
    pub wait_h: MeanP95,
}

/// Summary of one segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Summary of one ferry line.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The utilisation of `element` across replications (a ferry's: the fill of its
    /// sailings).
    pub fn utilization(&self, element: Element<'_>) -> &Stat {
        match element.kind {
            ElementKind::Crossing => &self.crossings[element.index].utilization,
            ElementKind::Segment => &self.links[element.index].utilization,
            ElementKind::Ferry => &self.ferries[element.index].fill,
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
    let network = NetworkSummary {
        delivered_teu_per_year: src(Box::new(move |r| r.network.delivered_teu_per_year)),
        transit_h: MeanP95 {
            mean: src(Box::new(move |r| r.network.transit_mean_h)),
            p95: src(Box::new(move |r| r.network.transit_p95_h)),
        },
    };
    let mut flows = Vec::with_capacity(model.flows.len());
    for (i, fl) in model.flows.iter().enumerate() {
        let delivered_teu_per_year = src(Box::new(move |r| r.flows[i].delivered_teu_per_year));
        let backlog_teu = src(Box::new(move |r| r.flows[i].backlog_teu));
        let transit_h = MeanP50P95 {
            mean: src(Box::new(move |r| r.flows[i].transit_mean_h)),
            p50: src(Box::new(move |r| r.flows[i].transit_p50_h)),
            p95: src(Box::new(move |r| r.flows[i].transit_p95_h)),
        };
        let mut routes = Vec::with_capacity(fl.routes.len());
        for (k, route) in fl.routes.iter().enumerate() {
            routes.push(RouteSummary {
                via: route
                    .nodes
                    .iter()
                    .map(|&n| model.nodes[n as usize].id.clone())
                    .collect(),
                free_flow_h: route.free_flow_h,
                share: src(Box::new(move |r| r.route_shares[i][k])),
            });
        }
        flows.push(FlowSummary {
            id: fl.id.clone(),
            delivered_teu_per_year,
            backlog_teu,
            transit_h,
            routes,
        });
    }
    let mut crossings = Vec::with_capacity(model.crossings.len());
    for (i, c) in model.crossings.iter().enumerate() {
        crossings.push(CrossingSummary {
            id: c.id.clone(),
            processed: src(Box::new(move |r| r.crossings[i].processed)),
            utilization: src(Box::new(move |r| r.crossings[i].utilization)),
            queue_len: src(Box::new(move |r| r.crossings[i].queue_len)),
            wait_h: MeanP95 {
                mean: src(Box::new(move |r| r.crossings[i].wait_mean_h)),
                p95: src(Box::new(move |r| r.crossings[i].wait_p95_h)),
            },
        });
    }
    let mut links = Vec::with_capacity(model.links.len());
    for (i, l) in model.links.iter().enumerate() {
        links.push(LinkSummary {
            id: l.id.clone(),
            trains: src(Box::new(move |r| r.links[i].trains)),
            teu: src(Box::new(move |r| r.links[i].teu)),
            utilization: src(Box::new(move |r| r.links[i].utilization)),
            wait_h: MeanP95 {
                mean: src(Box::new(move |r| r.links[i].wait_mean_h)),
                p95: src(Box::new(move |r| r.links[i].wait_p95_h)),
            },
        });
    }
    let mut ferries = Vec::with_capacity(model.ferries.len());
    for (i, f) in model.ferries.iter().enumerate() {
        ferries.push(FerrySummary {
            id: f.id.clone(),
            teu: src(Box::new(move |r| r.ferries[i].teu)),
            voyages: src(Box::new(move |r| r.ferries[i].voyages)),
            fill: src(Box::new(move |r| r.ferries[i].fill)),
            wait_h: MeanP95 {
                mean: src(Box::new(move |r| r.ferries[i].wait_mean_h)),
                p95: src(Box::new(move |r| r.ferries[i].wait_p95_h)),
            },
            yard_teu: src(Box::new(move |r| r.ferries[i].yard_teu)),
        });
    }
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
        bottlenecks: bottlenecks(model, warmup, src),
        precision: None,
        partial: false,
        warmup_auto: None,
    }
}

/// Every metric of a results document as (section, element id, metric path, summary), in
/// the order of the document: the shared vocabulary of the table and CSV reports. Route
/// shares appear as `route_share:` followed by the nodes of the route joined by `>`.
pub fn metrics(r: &Results) -> Vec<(&'static str, &str, String, Stat)> {
    let mut out: Vec<(&'static str, &str, String, Stat)> = vec![
        (
            "network",
            "network",
            "delivered_teu_per_year".into(),
            r.network.delivered_teu_per_year,
        ),
        (
            "network",
            "network",
            "transit_h.mean".into(),
            r.network.transit_h.mean,
        ),
        (
            "network",
            "network",
            "transit_h.p95".into(),
            r.network.transit_h.p95,
        ),
    ];
    for f in &r.flows {
        out.push((
            "flows",
            &f.id,
            "delivered_teu_per_year".into(),
            f.delivered_teu_per_year,
        ));
        out.push(("flows", &f.id, "backlog_teu".to_string(), f.backlog_teu));
        out.push((
            "flows",
            &f.id,
            "transit_h.mean".to_string(),
            f.transit_h.mean,
        ));
        out.push(("flows", &f.id, "transit_h.p50".to_string(), f.transit_h.p50));
        out.push(("flows", &f.id, "transit_h.p95".to_string(), f.transit_h.p95));
        for route in &f.routes {
            out.push((
                "flows",
                &f.id,
                format!("route_share:{}", route.via.join(">")),
                route.share,
            ));
        }
    }
    for c in &r.crossings {
        out.push(("crossings", &c.id, "processed".to_string(), c.processed));
        out.push(("crossings", &c.id, "utilization".to_string(), c.utilization));
        out.push(("crossings", &c.id, "queue_len".to_string(), c.queue_len));
        out.push(("crossings", &c.id, "wait_h.mean".to_string(), c.wait_h.mean));
        out.push(("crossings", &c.id, "wait_h.p95".to_string(), c.wait_h.p95));
    }
    for l in &r.links {
        out.push(("links", &l.id, "trains".to_string(), l.trains));
        out.push(("links", &l.id, "teu".to_string(), l.teu));
        out.push(("links", &l.id, "utilization".to_string(), l.utilization));
        out.push(("links", &l.id, "wait_h.mean".to_string(), l.wait_h.mean));
        out.push(("links", &l.id, "wait_h.p95".to_string(), l.wait_h.p95));
    }
    for f in &r.ferries {
        out.push(("ferries", &f.id, "teu".to_string(), f.teu));
        out.push(("ferries", &f.id, "voyages".to_string(), f.voyages));
        out.push(("ferries", &f.id, "fill".to_string(), f.fill));
        out.push(("ferries", &f.id, "wait_h.mean".to_string(), f.wait_h.mean));
        out.push(("ferries", &f.id, "wait_h.p95".to_string(), f.wait_h.p95));
        out.push(("ferries", &f.id, "yard_teu".to_string(), f.yard_teu));
    }
    out
}
