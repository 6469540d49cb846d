//! What a replication of a model costs, estimated before it runs: the memory it holds
//! before any vehicle appears (the state of every segment, a single track some route runs
//! on keeping each of its blocks and loops, crossing, ferry line and flow; vehicles come on
//! top, as many as the network holds at once), the memory of the vehicles that pile up by
//! the horizon where demand exceeds what the network serves, and the events it handles in
//! a year, from which its time.

use super::sim::{compact_places, CompactPlace, COMPACT_VEHICLE_BYTES, WHOLE_VEHICLE_BYTES};
use super::track::{direction, SingleTrack};
use super::{Crossing, DisruptionTiming, Flow, Layout, Model, Route, Step};
use crate::kernel::SimTime;
use crate::HOURS_PER_YEAR;

/// Bytes of the state of one element besides those counted per block: an estimate that
/// covers a segment's, a crossing's, a ferry line's or a flow's counters and queues when
/// empty.
const ELEMENT_BYTES: u64 = 512;

/// A replication's memory before any vehicle appears, bytes, and the segment that takes
/// the most of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    /// Bytes in all.
    pub bytes: u64,
    /// The segment holding the most (its index in `Model::links`) and its bytes, if any.
    pub largest: Option<(usize, u64)>,
}

impl Model {
    /// What one replication of this model holds before any vehicle appears, once every
    /// single track a route (a flow's, or a fleet's for its empty trains) runs on has been
    /// laid; a single track no route uses holds nothing per block.
    pub fn footprint(&self) -> Footprint {
        let elements = (self.crossings.len() + self.ferries.len() + self.flows.len()) as u64;
        let mut bytes = elements * ELEMENT_BYTES;
        let mut largest: Option<(usize, u64)> = None;
        let used = self.links_used();
        for (i, l) in self.links.iter().enumerate() {
            let b = ELEMENT_BYTES
                + match l.layout {
                    Layout::SingleTrack { stretches, .. } if used[i] => {
                        SingleTrack::bytes(stretches)
                    }
                    _ => 0,
                };
            bytes += b;
            if largest.is_none_or(|(_, most)| b > most) {
                largest = Some((i, b));
            }
        }
        Footprint { bytes, largest }
    }

    /// Per segment, true when some route runs on it: a flow's, or a fleet's between two
    /// of its depots.
    fn links_used(&self) -> Vec<bool> {
        let mut used = vec![false; self.links.len()];
        let flow_steps = (self.flows.iter())
            .flat_map(|f| &f.routes)
            .flat_map(|r| &r.steps);
        let empty_steps = (self.fleets.iter())
            .flat_map(|f| f.empty_routes.iter().flatten())
            .flat_map(|r| &r.steps);
        for step in flow_steps.chain(empty_steps) {
            if let Step::Link { link, .. } = *step {
                used[link as usize] = true;
            }
        }
        used
    }
}

/// Events a year of a replication, estimated, and what sends the most of them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRate {
    /// Events a year in all.
    pub per_year: f64,
    /// What sends the most: `"flow"` or `"disruption"`, its index among them, and its
    /// events a year.
    pub largest: Option<(&'static str, usize, f64)>,
}

impl Model {
    /// The events a replication handles in a year, estimated at each flow's demand in its
    /// busiest year, the first or the horizon's end (growth included), whichever asks more:
    /// per vehicle of each flow, an arrival, an event per segment (one per block on a
    /// single track, and a clearance), per crossing stage and per ferry crossing of its
    /// longest route, twice over where fleets send the stock back empty; per random
    /// disruption, a start and an end for each closure. An upper estimate within a small
    /// factor (a run of the Eurasian baseline handles about a third of it).
    pub fn event_rate(&self) -> EventRate {
        let years = self.horizon.as_hours() / crate::HOURS_PER_YEAR;
        let round_trip = if self.fleets.is_empty() { 1.0 } else { 2.0 };
        let mut all: Vec<(&'static str, usize, f64)> = Vec::new();
        for (i, f) in self.flows.iter().enumerate() {
            let teu = busiest_teu_per_year(f, years);
            let vehicles = teu / f.unit_teu;
            let arrivals = f
                .formation
                .map_or(vehicles, |form| teu / form.container_teu);
            let per_vehicle = (f.routes.iter())
                .map(|r| self.route_events(&r.steps))
                .fold(0.0, f64::max);
            let events = arrivals + vehicles * per_vehicle * round_trip;
            all.push(("flow", i, events));
        }
        for (i, d) in self.disruptions.iter().enumerate() {
            if let DisruptionTiming::Random { mean_gap, .. } = &d.timing {
                let closures = crate::HOURS_PER_YEAR / mean_gap.as_hours().max(1e-9);
                all.push(("disruption", i, 2.0 * closures));
            }
        }
        let per_year = all.iter().map(|(_, _, e)| e).sum();
        let largest = all.into_iter().max_by(|a, b| a.2.total_cmp(&b.2));
        EventRate { per_year, largest }
    }

    /// Events one vehicle causes along `steps`.
    fn route_events(&self, steps: &[Step]) -> f64 {
        let mut events = 1.0;
        for s in steps {
            events += match *s {
                Step::Link { link, .. } => match self.links[link as usize].layout {
                    Layout::SingleTrack { stretches, .. } => 2.0 * f64::from(stretches),
                    _ => 2.0,
                },
                Step::Crossing { crossing, .. } => {
                    1.0 + self.crossings[crossing as usize].stages.len() as f64
                }
                Step::Ferry { .. } => 3.0,
            };
        }
        events
    }
}

/// The memory of the vehicles waiting by the horizon where demand exceeds what the
/// network serves, estimated, and the element where the most of it piles up.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlog {
    /// Bytes in all.
    pub bytes: u64,
    /// Where the most bytes pile up, if anywhere: the element, its bytes, and how many
    /// times what it serves its flows ask of it.
    pub largest: Option<(Overloaded, u64, f64)>,
}

/// An element whose flows ask more of it than it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overloaded {
    /// A crossing (its index in `Model::crossings`): one of its stages.
    Crossing(usize),
    /// A segment (its index in `Model::links`): its headway, spacing or blocks.
    Link(usize),
    /// A fleet (its index in `Model::fleets`): its wagons or locomotives.
    Fleet(usize),
}

impl Model {
    /// The memory the vehicles waiting by the horizon hold, where the flows ask more of a
    /// crossing's stage or of a segment than it serves. At each flow's demand in its
    /// busiest year, the first or the horizon's end (growth included), whichever asks more,
    /// each flow's vehicles a hour go along its route (shared evenly among its routes); a
    /// stage or segment asked `load` times what it serves (server hours asked an hour over
    /// its servers and the share of hours its crossing is open; vehicles asked an hour over
    /// one per headway or spacing in each direction, or one per block time and clearance on
    /// a single track, both directions together) holds the share `1 - 1/load` of what
    /// reaches it, for the whole horizon, and passes the rest on. The loads are found
    /// twice, the second time with what the first let through. A fleet is asked, per train
    /// starting a leg it serves, the train's wagons and a locomotive for a cycle: the leg's
    /// free-running hours there and back (empty), and the turnaround at each end; trains it
    /// cannot serve wait at the start of the leg. A vehicle waiting whole costs
    /// [`WHOLE_VEHICLE_BYTES`]; one waiting compact (see `sim::compact`)
    /// [`COMPACT_VEHICLE_BYTES`] when the vehicle behind it is of another flow, nothing
    /// more otherwise (one run holds consecutive vehicles of a flow). Bytes, with the
    /// element where the most pile up. An upper estimate over long horizons (see
    /// docs/performance.md for how it compares with the peak memory measured). Ferry lines
    /// are left out.
    pub fn backlog(&self) -> Backlog {
        let hours = self.horizon.as_hours();
        let years = hours / HOURS_PER_YEAR;
        let mut loads = self.loads(years, None);
        loads = self.loads(years, Some(&loads));
        let compact = compact_places(self);
        let mut at_crossing = vec![0.0f64; self.crossings.len()];
        let mut at_link = vec![0.0f64; self.links.len()];
        let mut at_fleet = vec![0.0f64; self.fleets.len()];
        let compact_bytes = |(all, squares): (f64, f64)| {
            let other_next = 1.0 - squares / (all * all).max(f64::MIN_POSITIVE);
            COMPACT_VEHICLE_BYTES as f64 * other_next.clamp(0.0, 1.0)
        };
        self.walk(years, Some(&loads), |v| {
            let held = |load: f64| v.through * (1.0 - 1.0 / load.max(1.0)) * hours;
            match v.at {
                Place::Fleet { fleet, first_leg } => {
                    let bytes = if first_leg && compact[v.flow] == Some(CompactPlace::Origin) {
                        compact_bytes(loads.fleet_joining[fleet])
                    } else {
                        WHOLE_VEHICLE_BYTES as f64
                    };
                    at_fleet[fleet] += held(loads.fleet[fleet]) * bytes;
                }
                Place::Link { link, dir } => {
                    let load = loads.link[link][dir];
                    at_link[link] += held(load) * WHOLE_VEHICLE_BYTES as f64;
                }
                Place::Stage { crossing, stage, k } => {
                    let here = CompactPlace::Crossing(v.step as u32);
                    let bytes = if k == 0 && compact[v.flow] == Some(here) {
                        compact_bytes(loads.joining[crossing][stage])
                    } else {
                        WHOLE_VEHICLE_BYTES as f64
                    };
                    at_crossing[crossing] += held(loads.stage[crossing][stage]) * bytes;
                }
            }
        });
        let worst_stage = |c: usize| loads.stage[c].iter().copied().fold(0.0, f64::max);
        let piles = (at_crossing.iter().enumerate())
            .map(|(c, &b)| (Overloaded::Crossing(c), b, worst_stage(c)))
            .chain((at_link.iter().enumerate()).map(|(l, &b)| {
                (
                    Overloaded::Link(l),
                    b,
                    loads.link[l][0].max(loads.link[l][1]),
                )
            }))
            .chain(
                (at_fleet.iter().enumerate())
                    .map(|(f, &b)| (Overloaded::Fleet(f), b, loads.fleet[f])),
            );
        let bytes = piles.clone().map(|p| p.1).sum::<f64>();
        let largest = piles
            .filter(|p| p.1 > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(at, b, load)| (at, b as u64, load));
        Backlog {
            bytes: bytes as u64,
            largest,
        }
    }

    /// What the flows ask of every stage and segment at their demand in their busiest year
    /// within `years` of the start, each flow's vehicles throttled by `before` (if given)
    /// where they pass an overloaded one.
    fn loads(&self, years: f64, before: Option<&Loads>) -> Loads {
        let mut asked: Vec<Vec<f64>> = (self.crossings.iter())
            .map(|c| vec![0.0; c.stages.len() + 2])
            .collect();
        let mut joining = asked
            .iter()
            .map(|a| vec![(0.0, 0.0); a.len()])
            .collect::<Vec<_>>();
        let mut traffic = vec![[0.0f64; 2]; self.links.len()];
        // Per fleet, wagon hours and locomotive hours asked an hour.
        let mut stock = vec![(0.0f64, 0.0f64); self.fleets.len()];
        let mut fleet_joining = vec![(0.0f64, 0.0f64); self.fleets.len()];
        self.walk(years, before, |v| match v.at {
            Place::Fleet { fleet, .. } => {
                let spec = &self.fleets[fleet];
                let wagons = f64::from(spec.wagons_for(self.flows[v.flow].unit_teu));
                stock[fleet].0 += v.through * wagons * v.hold_h;
                stock[fleet].1 += v.through * v.hold_h;
                let j = &mut fleet_joining[fleet];
                j.0 += v.through;
                j.1 += v.through * v.through;
            }
            Place::Link { link, dir } => traffic[link][dir] += v.through,
            Place::Stage {
                crossing, stage, ..
            } => {
                asked[crossing][stage] += v.through * v.hold_h;
                let j = &mut joining[crossing][stage];
                j.0 += v.through;
                j.1 += v.through * v.through;
            }
        });
        let stage = (self.crossings.iter().zip(&asked))
            .map(|(c, a)| {
                let open = open_share(c);
                (a.iter().enumerate())
                    .map(|(s, &h)| h / (stage_servers(c, s) * open).max(1e-9))
                    .collect()
            })
            .collect();
        let link = (self.links.iter().zip(&traffic))
            .map(|(l, t)| match l.layout {
                Layout::DoubleTrack { headway }
                | Layout::Road {
                    spacing: Some(headway),
                } => t.map(|n| n * headway.as_hours()),
                Layout::SingleTrack {
                    stretch_time,
                    headway,
                    ..
                } => [(t[0] + t[1]) * (stretch_time.as_hours() + headway.as_hours()); 2],
                Layout::Road { spacing: None } => [0.0; 2],
            })
            .collect();
        let fleet = (self.fleets.iter().zip(&stock))
            .map(|(f, &(wagon_h, loco_h))| {
                let wagons = wagon_h / f64::from(f.wagons).max(1e-9);
                wagons.max(loco_h / f64::from(f.locomotives).max(1e-9))
            })
            .collect();
        Loads {
            stage,
            link,
            joining,
            fleet,
            fleet_joining,
        }
    }

    /// Calls `visit` at every segment and crossing stage of every route of every flow, in
    /// route order, with the flow's vehicles a hour that reach it at its demand in its
    /// busiest year within `years` of the start ([`busiest_teu_per_year`]): shared evenly
    /// among the flow's routes, and throttled by `loads` (if given) at every overloaded
    /// stage or segment before.
    fn walk(&self, years: f64, loads: Option<&Loads>, mut visit: impl FnMut(Visit)) {
        let pass = |load: f64| 1.0 / load.max(1.0);
        for (fi, f) in self.flows.iter().enumerate() {
            let per_hour = busiest_teu_per_year(f, years) / f.unit_teu / HOURS_PER_YEAR;
            for route in &f.routes {
                let mut through = per_hour / f.routes.len() as f64;
                let leg_hours = self.leg_hours(f, route);
                let mut leg = 0;
                for (i, step) in route.steps.iter().enumerate() {
                    let starts_leg = i == 0
                        || matches!(
                            route.steps[i - 1],
                            Step::Crossing {
                                change_gauge: true,
                                ..
                            }
                        );
                    if starts_leg && !route.legs.is_empty() {
                        if let Some(fleet) = route.legs.get(leg).and_then(|l| l.fleet) {
                            let fleet = fleet as usize;
                            let turnaround = self.fleets[fleet].turnaround.as_hours();
                            let cycle_h =
                                2.0 * (leg_hours.get(leg).copied().unwrap_or(0.0) + turnaround);
                            visit(Visit {
                                flow: fi,
                                step: i,
                                at: Place::Fleet {
                                    fleet,
                                    first_leg: leg == 0,
                                },
                                through,
                                hold_h: cycle_h,
                            });
                            through *= loads.map_or(1.0, |l| pass(l.fleet[fleet]));
                        }
                        leg += 1;
                    }
                    let mut go = |at: Place, hold_h: f64, load: Option<f64>| {
                        visit(Visit {
                            flow: fi,
                            step: i,
                            at,
                            through,
                            hold_h,
                        });
                        through *= load.map_or(1.0, pass);
                    };
                    match *step {
                        Step::Link { link, forward } => {
                            let (link, dir) = (link as usize, direction(forward));
                            go(
                                Place::Link { link, dir },
                                0.0,
                                loads.map(|l| l.link[link][dir]),
                            );
                        }
                        Step::Crossing { crossing, .. } => {
                            let c = crossing as usize;
                            let passed = self.stages_passed(f, &route.steps, i);
                            for (k, &(stage, h)) in passed.iter().enumerate() {
                                let at = Place::Stage {
                                    crossing: c,
                                    stage,
                                    k,
                                };
                                go(at, h, loads.map(|l| l.stage[c][stage]));
                            }
                        }
                        Step::Ferry { .. } => {}
                    }
                }
            }
        }
    }

    /// Free-running hours of each leg of `route` (a flow's `f`): its segments' running
    /// times and the mean service of the crossings it passes; the legs end at the
    /// crossings where the route changes gauge.
    fn leg_hours(&self, f: &Flow, route: &Route) -> Vec<f64> {
        let mut hours = vec![0.0];
        for (i, step) in route.steps.iter().enumerate() {
            let h = match *step {
                Step::Link { link, .. } => self.links[link as usize].run_time.as_hours(),
                Step::Crossing {
                    crossing,
                    change_gauge,
                } => {
                    let from = self.side_of(&route.steps, i);
                    let c = &self.crossings[crossing as usize];
                    c.mean_passage_h(from, change_gauge, f.unit_teu, f.cargo)
                }
                Step::Ferry { .. } => 0.0,
            };
            if let Some(last) = hours.last_mut() {
                *last += h;
            }
            if matches!(
                step,
                Step::Crossing {
                    change_gauge: true,
                    ..
                }
            ) {
                hours.push(0.0);
            }
        }
        hours
    }

    /// The stages a vehicle of flow `f` passes at the crossing at step `i` of `steps`, in
    /// order, with the mean hours it holds a server of each: the control stages serving
    /// the side it comes from, indexed as in `Crossing::stages`, then its gauge change
    /// (`Crossing::gauge_stage`).
    fn stages_passed(&self, f: &Flow, steps: &[Step], i: usize) -> Vec<(usize, f64)> {
        let Step::Crossing {
            crossing,
            change_gauge,
        } = steps[i]
        else {
            return Vec::new();
        };
        let c = &self.crossings[crossing as usize];
        let from = self.side_of(steps, i);
        let mut passed: Vec<(usize, f64)> = (c.stages.iter().enumerate())
            .filter(|(_, s)| s.serves(from))
            .map(|(s, st)| (s, st.mean_h()))
            .collect();
        if let Some(g) = c.gauge_stage(f.cargo).filter(|_| change_gauge) {
            passed.push((g as usize, c.mean_gauge_change_h(f.unit_teu, f.cargo)));
        }
        passed
    }
}

/// What the flows ask of each stage and segment, as times what it serves.
struct Loads {
    /// Per crossing, per stage (the control stages, then the gauge change's places for
    /// container trains and for other trains).
    stage: Vec<Vec<f64>>,
    /// Per segment, per direction (a single track: both directions together, twice).
    link: Vec<[f64; 2]>,
    /// Per crossing and stage, the vehicles a hour that join it, and the sum over the
    /// flows' routes of the square of each one's: from which how often the next vehicle
    /// in the line is of another flow, which ends a run of compact vehicles.
    joining: Vec<Vec<(f64, f64)>>,
    /// Per fleet: the greater of its wagons' and its locomotives' load.
    fleet: Vec<f64>,
    /// Per fleet, the trains a hour that start its legs, and the sum of the squares of
    /// each route's (as `joining`).
    fleet_joining: Vec<(f64, f64)>,
}

/// A flow's vehicles reaching a segment or a crossing stage (see `Model::walk`).
struct Visit {
    /// The flow's index.
    flow: usize,
    /// The step of its route.
    step: usize,
    /// Where.
    at: Place,
    /// Its vehicles a hour reaching it.
    through: f64,
    /// At a stage, the mean hours each holds a server; at a fleet, the hours of a cycle
    /// of the leg.
    hold_h: f64,
}

/// A segment in a direction, a stage of a crossing, or a fleet's stock at the start of a
/// leg.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// The stock of fleet `fleet`, for the route's first leg or a later one.
    Fleet { fleet: usize, first_leg: bool },
    /// A segment, and the direction (`FORWARD`, `BACKWARD`).
    Link { link: usize, dir: usize },
    /// Stage `stage` of crossing `crossing`, the `k`-th the vehicle passes there.
    Stage {
        crossing: usize,
        stage: usize,
        k: usize,
    },
}

/// The demand of flow `f` in its busiest year within `years` of the start, TEU a year:
/// the first year's or the one `years` on, whichever is larger, as compound growth makes
/// one of them the largest (the first when the flow shrinks). Estimates made at it are
/// upper estimates whatever the sign of growth.
fn busiest_teu_per_year(f: &Flow, years: f64) -> f64 {
    f.teu_per_year.max(f.teu_per_year_after(years.max(0.0)))
}

/// Servers of stage `s` of crossing `c` (indexed as `asked` in [`Model::backlog`]).
fn stage_servers(c: &Crossing, s: usize) -> f64 {
    let n = c.stages.len();
    let servers = match (&c.gauge_change, s.checked_sub(n)) {
        (_, None) => c.stages[s].servers,
        (Some(g), Some(0)) => g.servers,
        (Some(g), Some(_)) => g.other.as_ref().map_or(0, |o| o.servers),
        (None, Some(_)) => 0,
    };
    f64::from(servers)
}

/// Share of the hours crossing `c` starts services in, over two weeks sampled every
/// quarter of an hour.
fn open_share(c: &Crossing) -> f64 {
    const QUARTER_MS: u64 = 900_000;
    const SAMPLES: u64 = 14 * 24 * 4;
    if c.calendar.is_always_open() {
        return 1.0;
    }
    let open = (0..SAMPLES)
        .filter(|k| c.calendar.is_open(SimTime(k * QUARTER_MS)))
        .count();
    open as f64 / SAMPLES as f64
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::scenario::limits::MAX_EVENTS_PER_YEAR;
    use crate::scenario::{load_str, Scenario};
    use std::path::Path;

    /// A road through a border post of 4 lanes serving a truck in 30 minutes on average,
    /// over `days`, with `flows` flows of trucks of 1 TEU, each of `teu` TEU in its first
    /// year and growing by `growth` a year.
    fn post(flows: usize, teu: f64, growth: f64, days: u32) -> String {
        let mut s = format!(
            r#"[scenario]
name = "post"
horizon_days = {days}
warmup_days = 1
[[node]]
id = "w"
kind = "terminal"
[[node]]
id = "p"
kind = "crossing"
[[node]]
id = "e"
kind = "terminal"
[[road]]
id = "wp"
from = "w"
to = "p"
length_km = 10
speed_kmh = 50
[[road]]
id = "pe"
from = "p"
to = "e"
length_km = 10
speed_kmh = 50
[[crossing]]
id = "p"
node = "p"
mode = "road"
[[crossing.stage]]
name = "control"
servers = 4
service_h = {{ dist = "exp", mean = 0.5 }}
"#
        );
        for i in 0..flows {
            s.push_str(&format!(
                "[[flow]]\nid = \"trucks-{i}\"\nfrom = \"w\"\nto = \"e\"\nmode = \"road\"\nteu_per_year = {teu}\nunit_teu = 1\ngrowth_per_year = {growth}\n"
            ));
        }
        s
    }

    fn model(src: &str) -> Model {
        let s: Scenario = load_str(Path::new("post.toml"), src).unwrap_or_else(|e| panic!("{e}"));
        s.model
    }

    #[test]
    fn a_shrinking_flow_is_estimated_at_its_first_year_which_asks_the_most() {
        // Two flows of 8 trucks an hour at a post serving 8 in all, in the first year;
        // halving every year, 1 an hour together in the fifth.
        let teu = 8.0 * crate::HOURS_PER_YEAR;
        let flat = model(&post(2, teu, 0.0, 4 * 365));
        let shrinking = model(&post(2, teu, -0.5, 4 * 365));
        assert_eq!(shrinking.event_rate(), flat.event_rate());
        let backlog = shrinking.backlog();
        assert!(backlog.bytes > 0, "the first year overloads the post");
        assert_eq!(backlog, flat.backlog());
        // Growing, the horizon's end asks the most, as before.
        let growing = model(&post(2, teu / 16.0, 1.0, 4 * 365));
        assert_eq!(growing.event_rate(), flat.event_rate());
    }

    #[test]
    fn a_scenario_whose_first_year_handles_too_many_events_is_refused_though_its_flows_shrink() {
        // Ten flows of 40 million trucks a year: about 3.2e9 events in the first year, a
        // thousandth of that after three years at -90 % a year.
        let src = post(10, 4.0e7, -0.9, 3 * 365);
        let err = load_str(Path::new("post.toml"), &src)
            .expect_err("refused")
            .to_string();
        assert!(
            err.contains(&format!("events a year, flow \"trucks-9\" alone 3.2e8; at most {MAX_EVENTS_PER_YEAR:e} are accepted")),
            "{err}"
        );
    }
}
