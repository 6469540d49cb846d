//! Vehicles kept compact at the first crossing of their route or at their origin, once
//! the line there is long: the same replication as with every vehicle whole, in a fraction
//! of the memory.

use super::*;
use crate::kernel::{run_until, Scheduler};
use crate::model::sim::compact::COMPACT_AFTER;
use crate::model::sim::Event;

/// Runs replication `rep` of `s` to its horizon with vehicles kept compact where they may
/// be (`whole` false) or every vehicle whole and delivered at an event of its own; when
/// `sampled`, sampling the vehicles in the network every 10 hours (and delivering each at
/// an event of its own). Returns what it measured, the samples, the largest the arena
/// grew, and the vehicles compact at the end.
fn replicate(
    s: &Fixture,
    rep: u64,
    (whole, sampled): (bool, bool),
) -> (ReplicationObs, Vec<f64>, usize, u64) {
    let mut sim = Sim::new(&s.model, s.warmup, 7, rep);
    if whole {
        sim.keep_vehicles_whole();
    }
    let mut sched = Scheduler::new();
    sim.start(&mut sched);
    if sampled {
        sim.deliver_ahead = false;
        sim.sample_every = Some(crate::kernel::Duration::from_hours(10.0));
        sched.schedule_in(crate::kernel::Duration::ZERO, Event::Sample);
    }
    let events = run_until(&mut sim, &mut sched, s.model.horizon);
    sim.check_invariants().unwrap();
    let (arena, held) = (sim.vehicles.len(), sim.compact.held);
    let samples = std::mem::take(&mut sim.samples);
    (sim.finish(rep, events), samples, arena, held)
}

/// Checks that replications 0..3 of `s` measure the same whether vehicles are kept compact
/// and delivered ahead or kept whole (all but the events handled: a delivery ahead is one
/// fewer), and sample the same vehicles in the network; returns the largest arena and the
/// most vehicles compact at the end, with compaction.
fn same_either_way(s: &Fixture) -> (usize, u64) {
    let mut most = (0, 0);
    for rep in 0..3 {
        let (mut compact, _, arena, held) = replicate(s, rep, (false, false));
        let (mut whole, _, _, none) = replicate(s, rep, (true, false));
        assert_eq!(none, 0);
        assert!(compact.events <= whole.events);
        (compact.events, whole.events) = (0, 0);
        // Compared as printed: a figure with nothing to measure is NaN on both sides.
        assert_eq!(
            format!("{compact:?}"),
            format!("{whole:?}"),
            "replication {rep}"
        );
        let (_, samples, _, _) = replicate(s, rep, (false, true));
        let (_, whole_samples, _, _) = replicate(s, rep, (true, true));
        assert_eq!(samples, whole_samples, "replication {rep}");
        most = (most.0.max(arena), most.1.max(held));
    }
    most
}

/// A second flow through the post, of twice what the first brings: together half as much
/// again as the post serves.
const MORE_TRUCKS: &str = r#"
[[flow]]
id = "more-trucks"
from = "w"
to = "e"
mode = "road"
teu_per_year = 35040
unit_teu = 2
arrivals = "poisson"
"#;

#[test]
fn an_overloaded_post_keeps_its_queue_compact_and_measures_the_same() {
    // Half as much again as the post serves, growing 20 % a year.
    let m = crossing::post("", &format!("growth_per_year = 0.2\n{MORE_TRUCKS}"));
    let (arena, held) = same_either_way(&m);
    assert!(held > 2_000, "compact at the end: {held}");
    // The line's first COMPACT_AFTER vehicles stay whole, and those in service.
    assert!(arena < COMPACT_AFTER + 20, "arena: {arena} slots");
}

#[test]
fn flows_sharing_an_overloaded_post_keep_their_order_and_priority_compact() {
    let m = crossing::post(
        "priority = \"transit\"",
        r#"arrivals = "regular"
[[flow]]
id = "transit-trucks"
from = "w"
to = "e"
mode = "road"
teu_per_year = 30000
unit_teu = 2
transit = true
arrivals = "poisson"
[[flow]]
id = "vans"
from = "w"
to = "e"
mode = "road"
teu_per_year = 9000
unit_teu = 0.1
arrivals = "poisson"
"#,
    );
    let (_, held) = same_either_way(&m);
    assert!(held > 1_000, "compact at the end: {held}");
}

#[test]
fn an_overloaded_crossing_closed_by_hours_keeps_its_queue_compact() {
    let m = crossing::post(
        "open = \"08:00-20:00\"\nclosed_weekdays = [\"sun\"]",
        MORE_TRUCKS,
    );
    let (_, held) = same_either_way(&m);
    assert!(held > 0);
}

#[test]
fn vehicles_held_upstream_of_a_full_yard_stay_whole_and_measure_the_same() {
    let m = crossing::post("yard_capacity_teu = 40", MORE_TRUCKS);
    same_either_way(&m);
}

/// Container trains of 86 TEU from a to b, 500 km of double track (10 h each way), five a
/// day, run by a fleet of two trainsets based at a: about twice what the fleet carries.
fn short_fleet() -> Fixture {
    load(
        "short_fleet.toml",
        r#"
[scenario]
name = "short fleet"
horizon_days = 200
warmup_days = 20
[[node]]
id = "a"
kind = "terminal"
[[node]]
id = "b"
kind = "terminal"
[[rail]]
id = "a-b"
from = "a"
to = "b"
length_km = 500
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1435
[[fleet]]
id = "standard"
gauge_mm = 1435
wagons = 86
locomotives = 2
home = "a"
[[flow]]
id = "west"
from = "a"
to = "b"
mode = "rail"
teu_per_year = 156950
unit_teu = 86
arrivals = "poisson"
"#,
    )
}

#[test]
fn trains_waiting_at_their_origin_for_stock_wait_compact_and_measure_the_same() {
    let m = short_fleet();
    let (arena, held) = same_either_way(&m);
    assert!(held > 100, "compact at the end: {held}");
    assert!(arena < COMPACT_AFTER + 20, "arena: {arena} slots");
}

#[test]
fn vehicles_leaving_a_yard_node_wait_compact_at_the_next_crossing() {
    // The trucks start at a crossing with a yard: the road away from it is free (only the
    // way into the yard can be held), so they reach the post over a free road.
    let yard = r#"
[[crossing]]
id = "yard"
node = "w"
mode = "road"
yard_capacity_teu = 100
[[crossing.stage]]
name = "control"
servers = 1
service_h = 0.1
"#;
    let m = crossing::post_from("crossing", "", &format!("{MORE_TRUCKS}{yard}"));
    let (_, held) = same_either_way(&m);
    assert!(held > 2_000, "compact at the end: {held}");
}
