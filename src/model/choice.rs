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

use super::crossing::Passage;
use super::sim::Sim;
use super::track::direction;
use super::{Cargo, Step};
use crate::kernel::SimTime;
use crate::policy::route_choice::least_expected_time;

impl Sim<'_> {
    /// The index of the route flow `flow` should take if it departs at `now`.
    pub(super) fn choose_route(&self, flow: u32, now: SimTime) -> u8 {
        let f = &self.m.flows[flow as usize];
        least_expected_time(
            f.routes
                .iter()
                .map(|r| r.free_flow_h + self.expected_delay_h(&r.steps, f.unit_teu, f.cargo, now)),
        )
    }

    /// Expected hours of waiting along `steps`, for a vehicle of `unit_teu` carrying
    /// `cargo`, given the state at `now`.
    fn expected_delay_h(&self, steps: &[Step], unit_teu: f64, cargo: Cargo, now: SimTime) -> f64 {
        steps
            .iter()
            .enumerate()
            .map(|(i, step)| match *step {
                Step::Link { link, forward } => {
                    self.links[link as usize].expected_wait_h(direction(forward), now)
                }
                Step::Crossing {
                    crossing,
                    change_gauge,
                } => self.crossings[crossing as usize].expected_wait_h(
                    &self.m.crossings[crossing as usize],
                    Passage {
                        from: self.m.side_of(steps, i),
                        change_gauge,
                        unit_teu,
                        cargo,
                    },
                    now,
                ),
                Step::Ferry { ferry, forward } => self.ferries[ferry as usize]
                    .expected_wait_h(&self.m.ferries[ferry as usize], usize::from(!forward)),
            })
            .sum()
    }
}
