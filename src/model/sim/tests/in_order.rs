//! Stages served in the order vehicles come, computed as they come (`sim::in_order`), and
//! the other shortcuts that spare events (vehicles kept compact, delivered and run through
//! segments without events): the same replication as without any of them, with fewer
//! events.

use super::*;
use crate::kernel::Duration;
use crate::model::crossing::InOrder;
use crate::model::sim::compact::COMPACT_AFTER;
use crate::model::sim::in_order::{Feed, LINE};

/// Runs replication `rep` of `model` (warm-up `warmup`) to its horizon, with stages served
/// in order where they may be, taking at most `line` vehicles ahead (`None`: none of the
/// shortcuts that spare events, as in a trace); checks the invariants and returns what it
/// measured.
fn replicate(model: &Model, warmup: SimTime, rep: u64, line: Option<usize>) -> ReplicationObs {
    let (sim, events) = match line {
        None => super::super::run_to_horizon_event_by_event(model, warmup, 11, rep),
        Some(line) => {
            let mut sim = Sim::new(model, warmup, 11, rep);
            for st in sim.crossings.iter_mut().flat_map(|c| &mut c.stages) {
                if st.in_order.is_some() {
                    st.in_order = Some(InOrder::new(st.servers, line));
                }
            }
            sim.run()
        }
    };
    sim.check_invariants().unwrap();
    sim.finish(rep, events)
}

/// Checks that replications 0..3 of `model` measure the same with the shortcuts or without
/// them; returns the events handled either way, summed over them.
fn same_either_way(model: &Model, warmup: SimTime) -> (u64, u64) {
    same_with_line(model, warmup, LINE)
}

/// [`same_either_way`], stages serving in order taking at most `line` vehicles ahead.
fn same_with_line(model: &Model, warmup: SimTime, line: usize) -> (u64, u64) {
    let mut events = (0, 0);
    for rep in 0..3 {
        let mut ahead = replicate(model, warmup, rep, Some(line));
        let mut by_event = replicate(model, warmup, rep, None);
        events.0 += ahead.events;
        events.1 += by_event.events;
        (ahead.events, by_event.events) = (0, 0);
        // Compared as printed: a figure with nothing to measure is NaN on both sides.
        assert_eq!(
            format!("{ahead:?}"),
            format!("{by_event:?}"),
            "replication {rep}"
        );
    }
    events
}

/// A shipped scenario, its horizon cut to `days` (its warm-up to a tenth of them).
fn shipped(path: &str, days: f64) -> Fixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let s = crate::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut model = s.model;
    model.horizon = SimTime::from_hours(days * 24.0);
    Fixture {
        model,
        warmup: SimTime::from_hours(days * 2.4),
    }
}

#[test]
fn a_post_fed_by_a_road_takes_trucks_as_they_set_off_and_measures_the_same() {
    // The M/M/10 post of the benchmarks, with its drives: each truck is taken by the post
    // as it sets off and delivered then; one event per truck instead of three.
    let s = shipped("scenarios/bench/border_mm10_travel.toml", 400.0);
    let (ahead, by_event) = same_either_way(&s.model, s.warmup);
    assert!(ahead * 2 < by_event, "{ahead} events against {by_event}");
}

#[test]
fn a_tandem_of_stations_takes_trains_as_they_leave_the_last_and_measures_the_same() {
    for (path, fewer) in [
        ("scenarios/bench/tandem20.toml", false),
        ("scenarios/bench/tandem20_travel.toml", true),
    ] {
        let s = shipped(path, 300.0);
        let (ahead, by_event) = same_either_way(&s.model, s.warmup);
        // With a drive between stations, the arrival at the next one is no event.
        assert!(ahead <= by_event, "{path}: {ahead} against {by_event}");
        assert_eq!(
            ahead * 3 < by_event * 2,
            fewer,
            "{path}: {ahead} against {by_event}"
        );
    }
}

#[test]
fn shipped_scenarios_measure_the_same_served_in_order() {
    // Test builds check the fleets before every event: the scenarios with fleets run a
    // shorter horizon.
    for (path, days) in [
        ("scenarios/border_post.toml", 120.0),
        ("scenarios/tandem_crossings.toml", 120.0),
        ("scenarios/examples/two_gauges.toml", 120.0),
        ("scenarios/examples/transshipment.toml", 120.0),
        ("scenarios/kazakhstan_2025.toml", 30.0),
        ("scenarios/zhanaozen_road.toml", 20.0),
        ("scenarios/eurasia_2025.toml", 20.0),
    ] {
        let s = shipped(path, days);
        same_either_way(&s.model, s.warmup);
    }
}

/// A road post: terminals a and b either side of crossing x, joined to it by road "in"
/// of `in_km` (with the keys `in_keys`) and road "out" of `out_km`, at 60 km/h; its stages
/// and flows in `rest`; run for `days` after a warm-up of `warmup_days`.
fn road_post(
    days: f64,
    warmup_days: f64,
    (in_km, in_keys): (f64, &str),
    out_km: f64,
    rest: &str,
) -> Fixture {
    load(
        "post.toml",
        &format!(
            r#"
[scenario]
name = "post"
horizon_days = {days}
warmup_days = {warmup_days}
seed = 1
replications = 1

[[node]]
id = "a"
kind = "terminal"

[[node]]
id = "x"
kind = "crossing"

[[node]]
id = "b"
kind = "terminal"

[[road]]
id = "in"
from = "a"
to = "x"
length_km = {in_km}
speed_kmh = 60
{in_keys}

[[road]]
id = "out"
from = "x"
to = "b"
length_km = {out_km}
speed_kmh = 60

[[crossing]]
id = "x"
node = "x"
mode = "road"
{rest}"#
        ),
    )
}

/// A post of `servers` lanes and two stages at the end of a road of 20 km (letting in at most
/// `capacity` trucks an hour, if given), trucks arriving `utilisation` times as fast as the
/// first stage serves them, for `days`.
fn post(servers: u32, utilisation: f64, days: f64, capacity: Option<u32>) -> Fixture {
    let per_year = utilisation * f64::from(servers) * 8760.0;
    let capacity = capacity.map_or(String::new(), |c| format!("capacity_trucks_per_h = {c}"));
    let rest = format!(
        r#"
[[crossing.stage]]
name = "passports"
servers = {servers}
service_h = {{ dist = "exp", mean = 1.0 }}

[[crossing.stage]]
name = "customs"
servers = 1
service_h = {{ dist = "const", value = 0.05 }}

[[flow]]
id = "trucks"
from = "a"
to = "b"
mode = "road"
teu_per_year = {per_year}
unit_teu = 1
"#
    );
    road_post(days, 2.0, (20.0, &capacity), 3.0, &rest)
}

#[test]
fn a_stage_taking_vehicles_ahead_queues_the_rest_once_its_line_is_full() {
    // Overloaded: the first stage's line fills, the trucks after join its queue (and are
    // kept compact once it is long), served as servers come free.
    let s = post(3, 1.4, 30.0, None);
    same_either_way(&s.model, s.warmup);
    let (sim, _) = run_to_horizon(&s, 11, 0);
    let queued = sim.crossings[0].stages[0].queue.len();
    assert!(queued > COMPACT_AFTER, "{queued} in the queue");
    assert!(sim.compact.held > 0);
    // Below capacity, every truck is taken ahead: nothing ever queues.
    let s = post(3, 0.8, 30.0, None);
    same_either_way(&s.model, s.warmup);
    let (sim, _) = run_to_horizon(&s, 11, 0);
    assert!(sim.crossings[0].stages.iter().all(|st| st.queue.is_empty()));
    let starts = &sim.crossings[0].service_starts;
    assert!(starts.len() > 1000);
}

#[test]
fn a_queue_long_past_2_to_the_53_vehicle_milliseconds_measures_the_same() {
    // A hundred trucks an hour at a post serving one: the queue's integral passes 2^53
    // vehicle-milliseconds (about 1.6e16 here), beyond which a float sum depends on its
    // order, and the waits of the trucks taken ahead are added in another order than their
    // queue's changes.
    let s = post(1, 100.0, 400.0, None);
    let (sim, _) = run_to_horizon(&s, 11, 0);
    let w = &sim.w;
    let integral = sim.crossings[0].queued.time_average(w) * w.len_ms();
    assert!(integral > 2f64.powi(53), "{integral:e} vehicle-ms");
    same_either_way(&s.model, s.warmup);
}

#[test]
fn a_line_filling_and_emptying_takes_vehicles_in_the_order_they_come() {
    // A line of three: the queue forms and clears again and again while trucks are on the
    // road (20 minutes), their arrival an event, and those entering after them are not
    // taken before them.
    let s = post(3, 0.9, 60.0, None);
    let (ahead, by_event) = same_with_line(&s.model, s.warmup, 3);
    assert!(ahead < by_event);
}

#[test]
fn a_gate_spacing_the_feeding_road_keeps_the_order_in_which_trucks_arrive() {
    // Trucks enter the road at most 500 an hour: a burst waits at its gate, and each is
    // taken as it enters, not as it arrives at the origin.
    let s = post(12, 0.95, 20.0, Some(500));
    let (ahead, by_event) = same_either_way(&s.model, s.warmup);
    assert!(ahead < by_event);
    let (sim, _) = run_to_horizon(&s, 11, 0);
    let entries = &sim.links[0].entries;
    assert!(entries.windows(2).all(|w| w[0] <= w[1]));
    let gap = Duration::from_hours(1.0 / 500.0);
    assert!(entries.windows(2).all(|w| w[1].since(w[0]) >= gap));
}

/// A post between two roads of 10 km, trucks both ways (`per_year` each), with two stages
/// per side when `sided`, else four stages every truck passes.
fn two_way_post(per_year: f64, sided: bool) -> Fixture {
    two_way_post_with(per_year, sided, "")
}

/// [`two_way_post`], with `more` added to the scenario.
fn two_way_post_with(per_year: f64, sided: bool, more: &str) -> Fixture {
    let (from_a, from_b) = if sided {
        ("from = \"a\"", "from = \"b\"")
    } else {
        ("", "")
    };
    let stage = |name: &str, from: &str, mean: f64| {
        format!(
            "[[crossing.stage]]\nname = \"{name}\"\n{from}\nservers = 2\nservice_h = {{ dist = \"exp\", mean = {mean} }}\n"
        )
    };
    let flow = |id: &str, from: &str, to: &str| {
        format!(
            "[[flow]]\nid = \"{id}\"\nfrom = \"{from}\"\nto = \"{to}\"\nmode = \"road\"\nteu_per_year = {per_year}\nunit_teu = 1\n"
        )
    };
    let rest = [
        stage("exit A", from_a, 0.2),
        stage("entry B", from_a, 0.15),
        stage("exit B", from_b, 0.2),
        stage("entry A", from_b, 0.15),
        flow("eastbound", "a", "b"),
        flow("westbound", "b", "a"),
        more.to_string(),
    ]
    .join("\n");
    road_post(60.0, 5.0, (10.0, ""), 10.0, &rest)
}

#[test]
fn each_side_of_a_post_is_fed_by_its_own_road() {
    let s = two_way_post(28_000.0, true);
    let sim = Sim::new(&s.model, s.warmup, 1, 0);
    let feed = |link: usize, dir: usize| sim.feeds[link][dir];
    // The road from a, forward, feeds the first stage of trucks from a; the road from b,
    // backward, that of trucks from b; neither feeds anything the other way.
    assert_eq!((feed(0, 0).crossing, feed(0, 0).stage), (0, 0));
    assert_eq!((feed(1, 1).crossing, feed(1, 1).stage), (0, 2));
    assert_eq!(feed(0, 1), Feed::NONE);
    assert_eq!(feed(1, 0), Feed::NONE);
    // About three trucks an hour each way against ten an hour per stage: each truck's
    // arrival and its end at the second stage need no event.
    let (ahead, by_event) = same_either_way(&s.model, s.warmup);
    assert!(
        ahead * 3 < by_event * 2,
        "{ahead} events against {by_event}"
    );
}

#[test]
fn a_stage_reached_by_two_roads_is_fed_by_neither() {
    // Every truck passes all four stages: the first is reached from both sides.
    let s = two_way_post(28_000.0, false);
    let sim = Sim::new(&s.model, s.warmup, 1, 0);
    assert!(sim.feeds.iter().flatten().all(|&f| f == Feed::NONE));
    let (ahead, by_event) = same_either_way(&s.model, s.warmup);
    assert!(ahead < by_event, "{ahead} events against {by_event}");
}

#[test]
fn a_stage_whose_trucks_set_off_at_different_distances_is_not_fed() {
    // Trucks from f drive two hours to a, and on to the post over the road from a in the
    // same stroke; trucks from a start on that road. Taken as they set off, a truck from f
    // would be taken before trucks from a that reach the post before it.
    let far = r#"
[[node]]
id = "f"
kind = "terminal"

[[road]]
id = "far"
from = "f"
to = "a"
length_km = 120
speed_kmh = 60

[[flow]]
id = "from-far"
from = "f"
to = "b"
mode = "road"
teu_per_year = 28000
unit_teu = 1
"#;
    let s = two_way_post_with(28_000.0, true, far);
    let sim = Sim::new(&s.model, s.warmup, 1, 0);
    assert_eq!(sim.feeds[0][0], Feed::NONE);
    assert_eq!((sim.feeds[1][1].crossing, sim.feeds[1][1].stage), (0, 2));
    same_either_way(&s.model, s.warmup);
}
