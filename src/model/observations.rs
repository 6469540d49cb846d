//! What one replication observed, one number per figure: the record a replication hands
//! back when it ends, which the statistics layer summarises across replications. It
//! serialises (every number exactly, NaN included, in the binary format of a shard's
//! partial result) so that replications run apart can be summarised together.

use super::{Element, ElementKind, Model};
use serde::{Deserialize, Serialize};

/// What one replication measured, one number per metric. Per-year figures are scaled from
/// the measured window (horizon minus warm-up). A mean or percentile over nothing (no
/// vehicle delivered, processed or carried in the window) is NaN, and the summary leaves
/// that replication out of that metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicationObs {
    /// Replication index (its random streams derive from it and the seed).
    pub replication: u64,
    /// Events the kernel handled.
    pub events: u64,
    /// Whole-network figures.
    pub network: NetworkObs,
    /// Per flow, in scenario order.
    pub flows: Vec<FlowObs>,
    /// Per crossing, in scenario order.
    pub crossings: Vec<CrossingObs>,
    /// Per segment (rail then road, in scenario order).
    pub links: Vec<LinkObs>,
    /// Per ferry line, in scenario order.
    pub ferries: Vec<FerryObs>,
    /// Per flow, the share of its vehicles that took each of its routes (NaN when none
    /// departed inside the window).
    pub route_shares: Vec<Vec<f64>>,
    /// Per corridor (a group of flows), in scenario order: its flows' TEU delivered and
    /// backlogs added up, their transit times weighted by the TEU each vehicle carries.
    pub corridors: Vec<FlowObs>,
    /// Per fleet, in scenario order.
    pub fleets: Vec<FleetObs>,
}

/// One fleet in one replication. Shares are time averages over the window, of the
/// fleet's wagons (or locomotives).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FleetObs {
    /// Share of wagons in trains with cargo.
    pub wagons_loaded: f64,
    /// Share of wagons in empty trains.
    pub wagons_empty: f64,
    /// Share of wagons standing at depots (turning round included).
    pub wagons_idle: f64,
    /// Share of locomotives hauling trains with cargo.
    pub locos_loaded: f64,
    /// Share of locomotives hauling empty trains (or running light).
    pub locos_empty: f64,
    /// Share of locomotives standing at depots.
    pub locos_idle: f64,
    /// The larger of the shares of wagons and of locomotives in use (loaded or empty).
    pub utilization: f64,
    /// Trains that waited for stock inside the window.
    pub trains_delayed: f64,
    /// Mean wait for stock of the trains that needed it inside the window (zero for those
    /// that found it), hours.
    pub wait_mean_h: f64,
    /// 95th percentile of the same, hours.
    pub wait_p95_h: f64,
    /// Train-hours waited for stock inside the window: the delay the fleet caused.
    pub delay_h: f64,
    /// Kilometres run by empty trains sent inside the window.
    pub empty_train_km: f64,
    /// Per depot (in the order of the fleet's depots), the share of the fleet's wagons
    /// standing there.
    pub idle_wagons_at: Vec<f64>,
    /// Per depot, the share of the fleet's locomotives standing there.
    pub idle_locos_at: Vec<f64>,
}

/// Whole-network figures of one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct NetworkObs {
    /// Total time vehicles were held up in the window at every crossing, segment and
    /// ferry and waiting for every fleet's stock, hours: the sum of the elements'
    /// `delay_h` (what each element's share of the delay is a share of).
    pub delay_h: f64,
    /// TEU delivered to their destinations, per year.
    pub delivered_teu_per_year: f64,
    /// Mean origin-to-destination time of vehicles delivered, hours.
    pub transit_mean_h: f64,
    /// 95th percentile of the same, hours.
    pub transit_p95_h: f64,
    /// Mean transit time per TEU delivered (each vehicle weighing its TEU), container
    /// flows only, hours.
    pub transit_teu_mean_h: f64,
    /// Median of the same, hours.
    pub transit_teu_p50_h: f64,
    /// 95th percentile of the same, hours.
    pub transit_teu_p95_h: f64,
}

/// One flow in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct FlowObs {
    /// TEU delivered, per year.
    pub delivered_teu_per_year: f64,
    /// TEU that had arrived at the origin but were not delivered at the horizon.
    pub backlog_teu: f64,
    /// Mean transit time, hours.
    pub transit_mean_h: f64,
    /// Median transit time, hours.
    pub transit_p50_h: f64,
    /// 95th percentile transit time, hours.
    pub transit_p95_h: f64,
    /// Mean time a TEU waited at the origin for its train to be formed, hours: 0 when
    /// the flow's vehicles arrive whole, NaN when no train left in the window.
    pub formation_wait_h: f64,
    /// Mean TEU per train that left the origin in the window, as a share of `unit_teu`:
    /// 1 when the flow's vehicles arrive whole, NaN when no train left.
    pub train_fill: f64,
    /// Mean hours per train that left the origin in the window waiting for wagons and
    /// locomotives, over all its legs (0 where no fleet runs it).
    pub stock_wait_h: f64,
}

/// One crossing in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CrossingObs {
    /// Vehicles that completed the crossing inside the window.
    pub processed: f64,
    /// Busy fraction of the most utilised stage (servers, cranes).
    pub utilization: f64,
    /// Time-average number of vehicles queued over all stages.
    pub queue_len: f64,
    /// Mean time queued over all stages, service excluded, hours.
    pub wait_mean_h: f64,
    /// Total time vehicles queued here in the window, hours: the delay it caused.
    pub delay_h: f64,
    /// 95th percentile of the time queued over all stages, service excluded, hours.
    pub wait_p95_h: f64,
    /// Mean time from reaching the crossing (held upstream of its yard included) to
    /// leaving it: waits, services, inspections and the gauge change, hours.
    pub time_mean_h: f64,
    /// 95th percentile of the same, hours.
    pub time_p95_h: f64,
    /// Mean time a TEU waited after the transshipment for the train formed there, hours:
    /// 0 where trains are not formed anew, NaN where none left inside the window.
    pub formation_wait_h: f64,
}

/// One segment in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LinkObs {
    /// Trains (or trucks) that completed the segment inside the window.
    pub trains: f64,
    /// The containers they carried, TEU (none for vehicles of other cargo).
    pub teu: f64,
    /// Time-average share of the capacity of the segment's busiest part in use.
    pub utilization: f64,
    /// Mean time held beyond the free running time, hours.
    pub wait_mean_h: f64,
    /// Total time vehicles were held here in the window, hours: the delay it caused.
    pub delay_h: f64,
    /// 95th percentile of the time held beyond the free running time, hours.
    pub wait_p95_h: f64,
}

/// One ferry line in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct FerryObs {
    /// TEU that sailed inside the window (both directions).
    pub teu: f64,
    /// Sailings inside the window, empty repositioning runs included.
    pub voyages: f64,
    /// Share of the capacity used on the sailings of the busier direction (its utilisation).
    pub fill: f64,
    /// Mean time from reaching the port (held upstream included) to the vessel's departure,
    /// berth time excluded, hours.
    pub wait_mean_h: f64,
    /// Total time vehicles waited for sailings in the window, hours: the delay it caused.
    pub delay_h: f64,
    /// 95th percentile of the time from reaching the port to the vessel's departure, berth
    /// time excluded, hours.
    pub wait_p95_h: f64,
    /// Time-average TEU in the line's two port yards.
    pub yard_teu: f64,
    /// Mean time from reaching the port (held upstream included) to sailing, berth time
    /// included, hours.
    pub time_mean_h: f64,
    /// 95th percentile of the same, hours.
    pub time_p95_h: f64,
}

/// What one replication saw of a crossing, segment, ferry or fleet: what the delay ranking
/// and the capacity search compare across elements.
#[derive(Debug, Clone, Copy)]
pub struct ElementObs<'a> {
    /// The element.
    pub element: Element<'a>,
    /// Total time vehicles were held up there (at a fleet: waiting for its stock) in the
    /// window, hours.
    pub delay_h: f64,
    /// Utilisation (a ferry's: the fill of its sailings; a fleet's: the larger of the
    /// shares of its wagons and locomotives in use), 0 to 1.
    pub utilization: f64,
    /// Mean wait per vehicle (at a fleet: per train that needed its stock), hours.
    pub wait_mean_h: f64,
    /// 95th percentile of the wait, hours.
    pub wait_p95_h: f64,
}

impl ReplicationObs {
    /// Every crossing, segment, ferry and fleet of `model` (whose replication this is), in
    /// the order of [`Model::elements`], with what this replication saw of it.
    pub fn elements<'a>(&'a self, model: &'a Model) -> impl Iterator<Item = ElementObs<'a>> {
        model.elements().map(move |element| self.element(element))
    }

    /// What this replication saw of `element` (of the model whose replication this is).
    pub fn element<'a>(&self, element: Element<'a>) -> ElementObs<'a> {
        let i = element.index;
        let (delay_h, utilization, wait_mean_h, wait_p95_h) = match element.kind {
            ElementKind::Crossing => {
                let o = &self.crossings[i];
                (o.delay_h, o.utilization, o.wait_mean_h, o.wait_p95_h)
            }
            ElementKind::Segment => {
                let o = &self.links[i];
                (o.delay_h, o.utilization, o.wait_mean_h, o.wait_p95_h)
            }
            ElementKind::Ferry => {
                let o = &self.ferries[i];
                (o.delay_h, o.fill, o.wait_mean_h, o.wait_p95_h)
            }
            ElementKind::Fleet => {
                let o = &self.fleets[i];
                (o.delay_h, o.utilization, o.wait_mean_h, o.wait_p95_h)
            }
        };
        ElementObs {
            element,
            delay_h,
            utilization,
            wait_mean_h,
            wait_p95_h,
        }
    }
}
