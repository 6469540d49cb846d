//! Disruptions: closures of segments, crossings, ferry lines and ports, in fixed windows
//! or at random, and the reopening of what they closed.

use super::{Event, Sim};
use crate::kernel::{Duration, Scheduler};
use crate::model::{DisruptionTarget, DisruptionTiming, NodeIx};
use crate::random::exponential;

impl Sim<'_> {
    /// Schedules the first closure of every disruption.
    pub(super) fn start_disruptions(&mut self, sched: &mut Scheduler<Event>) {
        for (i, d) in self.m.disruptions.iter().enumerate() {
            let index = i as u32;
            match &d.timing {
                DisruptionTiming::Window { start, .. } => sched.schedule_at_or_now(
                    *start,
                    Event::Disruption {
                        index,
                        starts: true,
                    },
                ),
                DisruptionTiming::Random { mean_gap, .. } => {
                    let gap = exponential(&mut self.disruption_rngs[i], *mean_gap);
                    sched.schedule_in(
                        gap,
                        Event::Disruption {
                            index,
                            starts: true,
                        },
                    );
                }
            }
        }
    }

    /// A disruption starts or ends: its element closes or reopens.
    pub(super) fn disruption(&mut self, index: u32, starts: bool, sched: &mut Scheduler<Event>) {
        self.schedule_next_change(index, starts, sched);
        let target = self.m.disruptions[index as usize].target;
        if starts {
            self.close(target, sched);
        } else {
            self.reopen(target, sched);
        }
    }

    /// Disruption `index` has just started (or ended): schedules its end (or, for a random
    /// one, its next start).
    fn schedule_next_change(&mut self, index: u32, starts: bool, sched: &mut Scheduler<Event>) {
        match &self.m.disruptions[index as usize].timing {
            DisruptionTiming::Window { end, .. } => {
                if starts {
                    sched.schedule_at_or_now(
                        *end,
                        Event::Disruption {
                            index,
                            starts: false,
                        },
                    );
                }
            }
            DisruptionTiming::Random { mean_gap, duration } => {
                let rng = &mut self.disruption_rngs[index as usize];
                let next = if starts {
                    Duration::from_hours(duration.sample(rng))
                } else {
                    exponential(rng, *mean_gap)
                };
                sched.schedule_in(
                    next,
                    Event::Disruption {
                        index,
                        starts: !starts,
                    },
                );
            }
        }
    }

    /// One more disruption closes `target`.
    fn close(&mut self, target: DisruptionTarget, sched: &mut Scheduler<Event>) {
        match target {
            DisruptionTarget::Link(l) => {
                let ls = &mut self.links[l as usize];
                ls.blocked = ls.blocked.saturating_add(1);
            }
            DisruptionTarget::Crossing(c) => {
                let cs = &mut self.crossings[c as usize];
                cs.blocked = cs.blocked.saturating_add(1);
            }
            DisruptionTarget::Ferry(f) => self.set_ferry_closed(f, true, sched),
            DisruptionTarget::Port(node) => self.set_port_closed(node, true, sched),
        }
    }

    /// A disruption of `target` ends: what no other disruption closes reopens, and the
    /// vehicles waiting there may go.
    fn reopen(&mut self, target: DisruptionTarget, sched: &mut Scheduler<Event>) {
        match target {
            DisruptionTarget::Link(l) => {
                let ls = &mut self.links[l as usize];
                ls.blocked = ls.blocked.saturating_sub(1);
                if ls.blocked == 0 {
                    self.reopen_link(l, sched);
                }
            }
            DisruptionTarget::Crossing(c) => {
                let cs = &mut self.crossings[c as usize];
                cs.blocked = cs.blocked.saturating_sub(1);
                if self.crossing_open(c, sched.now()) {
                    self.crossing_opens(c, sched);
                } else {
                    self.ensure_reopen(c, sched);
                }
            }
            DisruptionTarget::Ferry(f) => self.set_ferry_closed(f, false, sched),
            DisruptionTarget::Port(node) => self.set_port_closed(node, false, sched),
        }
    }

    /// A disruption of port `node` begins (`closed` true) or ends (`closed` false) for
    /// every ferry line calling there, as `set_ferry_closed` does for each.
    fn set_port_closed(&mut self, node: NodeIx, closed: bool, sched: &mut Scheduler<Event>) {
        for f in 0..self.m.ferries.len() as u32 {
            if self.m.ferries[f as usize].ports.contains(&node) {
                self.set_ferry_closed(f, closed, sched);
            }
        }
    }
}
