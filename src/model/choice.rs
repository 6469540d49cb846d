//! Adaptive route choice: at departure, a vehicle of a flow with `route_choice =
//! "adaptive"` takes, among the flow's k fastest routes, the one with the least expected
//! time given the queues it would meet if they stood as they are now.
//!
//! The estimate of a route is its free-flow time plus, per step: the wait ahead at a spaced
//! segment (vehicles queued times the spacing), one block time per train waiting for or
//! running on a single-track segment, at each crossing stage the queue ahead shared by the
//! servers times the mean service time (and the wait for the crossing to open), and at a
//! ferry the vessel loads ahead times the interval between sailings. It reads the state; it
//! changes nothing.

use super::sim::{LinkResource, Sim};
use super::Step;
use crate::kernel::SimTime;

impl Sim<'_> {
    /// The index of the route flow `flow` should take if it departs at `now`.
    pub(super) fn choose_route(&self, flow: u32, now: SimTime) -> u8 {
        let f = &self.m.flows[flow as usize];
        let mut best = (0u8, f64::INFINITY);
        for (i, r) in f.routes.iter().enumerate() {
            let h = r.free_flow_h + self.expected_delay_h(&r.steps, f.unit_teu, now);
            if h < best.1 {
                best = (i as u8, h);
            }
        }
        best.0
    }

    /// Expected hours of waiting along `steps`, for a vehicle of `unit_teu`, given the state
    /// at `now`.
    fn expected_delay_h(&self, steps: &[Step], unit_teu: f64, now: SimTime) -> f64 {
        steps
            .iter()
            .map(|step| match *step {
                Step::Link { link, forward } => self.link_delay_h(link, forward, now),
                Step::Crossing {
                    crossing,
                    change_gauge,
                } => self.crossing_delay_h(crossing, change_gauge, unit_teu, now),
                Step::Ferry { ferry, forward } => self.ferries[ferry as usize]
                    .expected_wait_h(&self.m.ferries[ferry as usize], usize::from(!forward)),
            })
            .sum()
    }

    /// Expected hours held at segment `link` entered in direction `forward` at `now`.
    fn link_delay_h(&self, link: u32, forward: bool, now: SimTime) -> f64 {
        match &self.links[link as usize].res {
            LinkResource::Spaced(s) => s.expected_wait_h(usize::from(!forward), now),
            LinkResource::Single(t, block) => {
                t.trains_waiting_or_running() as f64 * block.as_hours()
            }
        }
    }

    /// Expected hours queued at `crossing` (its gauge change too when `change_gauge`) for
    /// a vehicle of `unit_teu` arriving at `now`: per stage, the queue ahead shared by the
    /// servers times the mean service time; the vehicles held upstream before the first
    /// stage; and the wait for the crossing to open.
    fn crossing_delay_h(
        &self,
        crossing: u32,
        change_gauge: bool,
        unit_teu: f64,
        now: SimTime,
    ) -> f64 {
        let spec = &self.m.crossings[crossing as usize];
        let cs = &self.crossings[crossing as usize];
        let mut h = 0.0;
        for (i, st) in cs.stages.iter().enumerate() {
            let mean = match spec.stages.get(i) {
                Some(s) => s.service.mean(),
                None if change_gauge => {
                    spec.gauge_change.map_or(0.0, |g| g.hours_per_teu) * unit_teu
                }
                None => continue,
            };
            let ahead = st.queue.len() as f64 + f64::from(st.busy) - f64::from(st.servers) + 1.0;
            h += ahead.max(0.0) / f64::from(st.servers) * mean;
        }
        if let (Some(first), Some(st)) = (spec.stages.first(), cs.stages.first()) {
            h += cs.yard.held() as f64 / f64::from(st.servers) * first.service.mean();
        }
        let opens = spec.calendar.next_open(now);
        if opens != SimTime::NEVER {
            h += opens.since(now).as_hours();
        }
        h
    }
}
