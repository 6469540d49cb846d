//! The observations a replication hands back, worked out from its final state: per flow,
//! crossing, segment and ferry line, and for the network as a whole.

use super::segment::{LinkResource, LinkState};
use super::vehicle::{FlowState, EMPTY_TRAIN};
use super::Sim;
use crate::kernel::MS_PER_HOUR;
use crate::model::crossing::CrossingState;
use crate::model::observations::{
    CrossingObs, FerryObs, FleetObs, FlowObs, LinkObs, NetworkObs, ReplicationObs,
};
use crate::model::observe::{Level, Tally, TeuTotal, Window};
use crate::model::stock::{FleetState, EMPTY, IDLE, LOADED};
use crate::model::Cargo;
use crate::model::{Crossing, Fleet, Flow, FlowIx};
use crate::HOURS_PER_YEAR;

impl Sim<'_> {
    /// What replication `replication` measured inside its window, `events` being the
    /// events it handled.
    pub(in crate::model) fn finish(self, replication: u64, events: u64) -> ReplicationObs {
        let w = self.w;
        let years = w.len_ms() / (HOURS_PER_YEAR * MS_PER_HOUR as f64);
        let flows: Vec<FlowObs> = (self.flows.iter().zip(&self.m.flows))
            .zip(self.backlog_teu())
            .map(|((state, spec), b)| flow_obs(state, spec, b, years))
            .collect();
        let crossings: Vec<CrossingObs> = (self.crossings.iter().zip(&self.m.crossings))
            .map(|(c, spec)| crossing_obs(c, spec, &w))
            .collect();
        let links: Vec<LinkObs> = self.links.iter().map(|l| link_obs(l, &w)).collect();
        let ferries: Vec<FerryObs> = (self.ferries.iter().zip(&self.m.ferries))
            .map(|(state, spec)| state.observe(spec, &w))
            .collect();
        let route_shares = self.flows.iter().map(route_shares).collect();
        let fleets: Vec<FleetObs> = (self.fleets.iter().zip(&self.m.fleets))
            .map(|(state, spec)| fleet_obs(state, spec, &w))
            .collect();
        let network = self.network_obs(years, (&crossings, &links, &ferries, &fleets));
        let corridors = self
            .m
            .corridors
            .iter()
            .map(|c| self.group_obs(&c.flows, &flows))
            .collect();
        ReplicationObs {
            replication,
            events,
            corridors,
            fleets,
            ferries,
            route_shares,
            network,
            flows,
            crossings,
            links,
        }
    }

    /// TEU on their way at the end, per flow: those of the vehicles still alive, and of
    /// the containers waiting for a train to be formed (at the origin or after a
    /// transshipment).
    fn backlog_teu(&self) -> Vec<f64> {
        let mut backlog = vec![TeuTotal::default(); self.flows.len()];
        for (total, f) in backlog.iter_mut().zip(&self.flows) {
            total.add(f.forming.teu);
        }
        for (ps, spec) in self.pools.iter().zip(&self.m.reform_pools) {
            backlog[spec.flow as usize].add(ps.teu);
        }
        // Vehicle slots are reused in the order vehicles finish: the total does not depend
        // on that order.
        for veh in (self.vehicles.iter()).filter(|v| v.alive && v.flow != EMPTY_TRAIN) {
            backlog[veh.flow as usize].add(veh.teu);
        }
        for (i, f) in self.m.flows.iter().enumerate() {
            self.compact.add_teu(i, f, &mut backlog[i]);
        }
        backlog.into_iter().map(TeuTotal::teu).collect()
    }

    /// The network's figures: those of its container flows together, and the delay at
    /// every element (trains waiting for a fleet's stock included), `years` being the
    /// window's length.
    fn network_obs(
        &self,
        years: f64,
        (crossings, links, ferries, fleets): (&[CrossingObs], &[LinkObs], &[FerryObs], &[FleetObs]),
    ) -> NetworkObs {
        let mut delivered_teu = 0.0;
        let mut transit = Tally::default();
        let mut by_teu = Vec::with_capacity(self.flows.len());
        for (f, fs) in self.m.flows.iter().zip(&self.flows) {
            if f.cargo == Cargo::Containers {
                delivered_teu += fs.delivered_teu(f);
                transit.merge(&fs.transit);
                by_teu.push((&fs.transit, fs.teu_per_vehicle(f)));
            }
        }
        let (teu_mean, teu_q) = Tally::weighted(&by_teu, &[0.5, 0.95]);
        // Summed in the order of the model's elements: crossings, segments, ferries, fleets.
        let delay_h = (crossings.iter().map(|c| c.delay_h))
            .chain(links.iter().map(|l| l.delay_h))
            .chain(ferries.iter().map(|f| f.delay_h))
            .chain(fleets.iter().map(|f| f.delay_h))
            .sum();
        NetworkObs {
            delivered_teu_per_year: delivered_teu / years,
            transit_mean_h: transit.mean(),
            transit_p95_h: transit.quantile(0.95),
            transit_teu_mean_h: teu_mean,
            transit_teu_p50_h: teu_q[0],
            transit_teu_p95_h: teu_q[1],
            delay_h,
        }
    }

    /// The figures of a group of flows together (a corridor): their deliveries and
    /// backlogs added up, their transit times weighted by TEU.
    fn group_obs(&self, members: &[FlowIx], flows: &[FlowObs]) -> FlowObs {
        let parts: Vec<(&Tally, f64)> = members
            .iter()
            .map(|&f| {
                let state = &self.flows[f as usize];
                (
                    &state.transit,
                    state.teu_per_vehicle(&self.m.flows[f as usize]),
                )
            })
            .collect();
        let (mean, q) = Tally::weighted(&parts, &[0.5, 0.95]);
        let mut departed = Departed {
            stock_wait_h: members
                .iter()
                .map(|&f| self.flows[f as usize].stock_wait_h)
                .sum(),
            ..Departed::default()
        };
        for &f in members {
            let (state, spec) = (&self.flows[f as usize], &self.m.flows[f as usize]);
            let d = state.departures(spec);
            departed.capacity_teu += d.trains as f64 * spec.unit_teu;
            departed.teu += d.teu;
            departed.wait_teu_h += d.wait_teu_h;
            departed.trains += d.trains as f64;
        }
        let [stock_wait_h, formation_wait_h, train_fill] = departed.figures();
        FlowObs {
            stock_wait_h,
            formation_wait_h,
            train_fill,
            delivered_teu_per_year: members
                .iter()
                .map(|&f| flows[f as usize].delivered_teu_per_year)
                .sum(),
            backlog_teu: members.iter().map(|&f| flows[f as usize].backlog_teu).sum(),
            transit_mean_h: mean,
            transit_p50_h: q[0],
            transit_p95_h: q[1],
        }
    }
}

/// The trains that left the origin of a flow, or the origins of a group of flows, inside
/// the window, added up.
#[derive(Default)]
struct Departed {
    /// How many.
    trains: f64,
    /// TEU they could carry together, each its flow's `unit_teu`.
    capacity_teu: f64,
    /// TEU they carried.
    teu: f64,
    /// TEU-hours their containers waited for them to be formed.
    wait_teu_h: f64,
    /// Hours they waited for wagons and locomotives.
    stock_wait_h: f64,
}

impl Departed {
    /// The [`FlowObs`] figures of these trains: `stock_wait_h` (per train),
    /// `formation_wait_h` (per TEU) and `train_fill` (of the capacity), in that order.
    fn figures(&self) -> [f64; 3] {
        [
            self.stock_wait_h / self.trains,
            self.wait_teu_h / self.teu,
            self.teu / self.capacity_teu,
        ]
    }
}

/// What flow state `f` measured, `backlog` TEU being still on their way at the end and
/// `years` the window's length.
fn flow_obs(f: &FlowState, spec: &Flow, backlog: f64, years: f64) -> FlowObs {
    let d = f.departures(spec);
    let departed = Departed {
        trains: d.trains as f64,
        capacity_teu: d.trains as f64 * spec.unit_teu,
        teu: d.teu,
        wait_teu_h: d.wait_teu_h,
        stock_wait_h: f.stock_wait_h,
    };
    let [stock_wait_h, formation_wait_h, train_fill] = departed.figures();
    FlowObs {
        stock_wait_h,
        formation_wait_h,
        train_fill,
        delivered_teu_per_year: f.delivered_teu(spec) / years,
        backlog_teu: backlog,
        transit_mean_h: f.transit.mean(),
        transit_p50_h: f.transit.quantile(0.5),
        transit_p95_h: f.transit.quantile(0.95),
    }
}

/// What crossing state `c` (of crossing `spec`) measured inside window `w`.
fn crossing_obs(c: &CrossingState, spec: &Crossing, w: &Window) -> CrossingObs {
    let reforms = (spec.gauge_change.as_ref()).is_some_and(|g| g.reform.is_some());
    CrossingObs {
        processed: c.processed as f64,
        utilization: c.utilization(spec, w),
        queue_len: c.queued.time_average(w),
        wait_mean_h: c.wait.mean(),
        delay_h: c.wait.total(),
        wait_p95_h: c.wait.quantile(0.95),
        time_mean_h: c.time.mean(),
        time_p95_h: c.time.quantile(0.95),
        formation_wait_h: if reforms {
            c.reformed.wait_teu_h / c.reformed.teu
        } else {
            0.0
        },
    }
}

/// What segment state `l` measured inside window `w`.
fn link_obs(l: &LinkState, w: &Window) -> LinkObs {
    LinkObs {
        trains: l.trains as f64,
        teu: l.teu.teu(),
        utilization: match &l.res {
            LinkResource::Spaced(s) => s.utilization(w),
            LinkResource::Single(t, _) => t.utilization(w),
        },
        wait_mean_h: l.wait.mean(),
        delay_h: l.wait.total(),
        wait_p95_h: l.wait.quantile(0.95),
    }
}

/// The share of the vehicles of flow state `f` that took each of its routes, among those
/// that appeared inside the window (NaN when none did).
fn route_shares(f: &FlowState) -> Vec<f64> {
    let total: u64 = f.route_counts.iter().sum();
    f.route_counts
        .iter()
        .map(|&c| {
            if total == 0 {
                f64::NAN
            } else {
                c as f64 / total as f64
            }
        })
        .collect()
}

/// What fleet state `f` (of fleet `spec`) measured inside window `w`.
fn fleet_obs(f: &FleetState, spec: &Fleet, w: &Window) -> FleetObs {
    let (wagons, locos) = (f64::from(spec.wagons), f64::from(spec.locomotives));
    let share = |l: &Level, of: f64| l.time_average(w) / of;
    let in_use = (share(&f.wagons[LOADED], wagons) + share(&f.wagons[EMPTY], wagons))
        .max(share(&f.locos[LOADED], locos) + share(&f.locos[EMPTY], locos));
    FleetObs {
        wagons_loaded: share(&f.wagons[LOADED], wagons),
        wagons_empty: share(&f.wagons[EMPTY], wagons),
        wagons_idle: share(&f.wagons[IDLE], wagons),
        locos_loaded: share(&f.locos[LOADED], locos),
        locos_empty: share(&f.locos[EMPTY], locos),
        locos_idle: share(&f.locos[IDLE], locos),
        utilization: in_use,
        trains_delayed: f.trains_delayed as f64,
        wait_mean_h: f.wait.mean(),
        wait_p95_h: f.wait.quantile(0.95),
        delay_h: f.delay_h,
        empty_train_km: f.empty_km,
        idle_wagons_at: f.idle_wagons_at.iter().map(|l| share(l, wagons)).collect(),
        idle_locos_at: f.idle_locos_at.iter().map(|l| share(l, locos)).collect(),
    }
}
