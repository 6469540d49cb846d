//! The trace of a replication: every event the replication handles, in order, each
//! naming its vehicle as the replication numbers them.

use super::*;
use crate::model::{trace, Who};

#[test]
fn a_trace_of_the_whole_horizon_hands_over_every_event_in_time_order() {
    let s = load(
        "trace.toml",
        include_str!("../../../../scenarios/examples/transshipment.toml"),
    );
    // The replication as a trace runs it: every vehicle whole, every delivery an event.
    let mut sim = Sim::new(&s.model, s.warmup, 3, 1);
    sim.keep_vehicles_whole();
    let mut sched = crate::kernel::Scheduler::new();
    sim.start(&mut sched);
    let events = crate::kernel::run_until(&mut sim, &mut sched, s.model.horizon);
    // `simulate` delivers some vehicles ahead, without an event: fewer events, no fewer
    // vehicles.
    let simulated = simulate(&s, 3, 1).events;
    assert!(
        simulated <= events,
        "{simulated} events simulated, {events} traced"
    );
    let (mut rows, mut last, mut in_order) = (0u64, 0.0, true);
    let mut vehicles = std::collections::BTreeSet::new();
    let handled = trace(
        &s.model,
        3,
        1,
        (SimTime::ZERO, s.model.horizon),
        &mut |row| {
            rows += 1;
            in_order &= row.time_h >= last;
            last = row.time_h;
            if let (Some(v), Who::Flow(_)) = (row.vehicle, row.who) {
                vehicles.insert(v);
            }
            true
        },
    );
    assert_eq!(
        handled, events,
        "the trace replays the replication `run` simulates"
    );
    assert_eq!(rows, events);
    assert!(in_order);
    // Vehicles are numbered from 0 as they appear, trains formed at the border included.
    assert_eq!(vehicles.first(), Some(&0));
    assert!(vehicles.len() > 1000);
}

#[test]
fn a_trace_keeps_to_its_window_and_stops_when_told() {
    let s = load(
        "trace.toml",
        include_str!("../../../../scenarios/examples/transshipment.toml"),
    );
    let window = (SimTime::from_hours(100.0), SimTime::from_hours(200.0));
    let mut times = Vec::new();
    trace(&s.model, 3, 0, window, &mut |row| {
        times.push(row.time_h);
        true
    });
    assert!(!times.is_empty());
    assert!(
        times.iter().all(|&t| (100.0..=200.0).contains(&t)),
        "{times:?}"
    );
    let mut rows = 0;
    let handled = trace(
        &s.model,
        3,
        0,
        (SimTime::ZERO, s.model.horizon),
        &mut |_| {
            rows += 1;
            rows < 10
        },
    );
    assert_eq!((rows, handled), (10, 10));
}
