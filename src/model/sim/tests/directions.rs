//! Crossings served both ways: each direction passes the stages that serve it, in the
//! order listed, and the gauge changes both ways.

use super::*;
use crate::model::{Cargo, Step};

/// A road w – post – e, a flow each way (each half of what one server takes), and a
/// crossing at post with the given stages.
fn two_way(stages: &str) -> Fixture {
    let network = road_through_post("terminal");
    let src = format!(
        r#"
[scenario]
name = "two-way"
horizon_days = 60
warmup_days = 5
{network}
[[crossing]]
id = "post"
node = "post"
mode = "road"
{stages}
[[flow]]
id = "eastbound"
from = "w"
to = "e"
mode = "road"
teu_per_year = 4380
unit_teu = 2
[[flow]]
id = "westbound"
from = "e"
to = "w"
mode = "road"
teu_per_year = 4380
unit_teu = 2
"#
    );
    load("two_way.toml", &src)
}

/// The stages of the crossing each vehicle passed, in the order it passed them, with
/// the vehicle's flow: a slot reused by a later vehicle starts a new list.
fn passages(sim: &Sim, first_stage: impl Fn(u32) -> u32) -> Vec<(u32, Vec<u32>)> {
    let mut open: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let mut done: Vec<(u32, Vec<u32>)> = Vec::new();
    for &(v, flow, stage) in &sim.crossings[0].stage_log {
        if stage == first_stage(flow) || !open.contains_key(&v) {
            open.insert(v, done.len());
            done.push((flow, Vec::new()));
        }
        done[open[&v]].1.push(stage);
    }
    done
}

#[test]
fn each_direction_passes_its_own_stages_in_the_order_listed() {
    let m = two_way(
        r#"
[[crossing.stage]]
name = "exit west"
from = "w"
servers = 1
service_h = 0.5
[[crossing.stage]]
name = "joint control"
servers = 2
service_h = 0.5
[[crossing.stage]]
name = "exit east"
from = "e"
servers = 1
service_h = 0.5
[[crossing.stage]]
name = "entry west"
from = "e"
servers = 1
service_h = 0.25
"#,
    );
    let (sim, _) = run_to_horizon(&m, 3, 0);
    // Flow 0 comes from w, flow 1 from e.
    let expected = [vec![0, 1], vec![1, 2, 3]];
    let seen = passages(&sim, |flow| expected[flow as usize][0]);
    assert!(seen.len() > 600, "passages: {}", seen.len());
    let mut by_flow = [0; 2];
    for (flow, stages) in &seen {
        let want = &expected[*flow as usize];
        // The last passages may be cut short by the horizon.
        assert!(
            want.starts_with(stages) && !stages.is_empty(),
            "flow {flow} passed stages {stages:?}, expected {want:?}"
        );
        by_flow[*flow as usize] += usize::from(stages == want);
    }
    assert!(by_flow[0] > 300 && by_flow[1] > 300, "{by_flow:?}");
    assert!(!sim.crossings[0].overbooked);
}

#[test]
fn servers_per_side_make_one_stage_per_side_with_its_own_queue() {
    let m = two_way(
        r#"
[[crossing.stage]]
name = "control"
servers = { w = 1, e = 1 }
service_h = 0.1
"#,
    );
    let stages = &m.model.crossings[0].stages;
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    // One stage per side, in the order of the node ids.
    assert_eq!(names, ["control (from e)", "control (from w)"]);
    assert!(stages.iter().all(|s| s.servers == 1));
    let (sim, _) = run_to_horizon(&m, 3, 0);
    let seen = passages(&sim, |flow| 1 - flow);
    assert!(seen.len() > 600);
    for (flow, stages) in &seen {
        // Flow 0 (eastbound) comes from w: stage 1; flow 1 from e: stage 0.
        assert_eq!(stages, &vec![1 - *flow], "flow {flow}");
    }
}

#[test]
fn a_vehicle_no_stage_serves_passes_the_crossing_at_once() {
    let m = two_way(
        r#"
[[crossing.stage]]
name = "exit west"
from = "w"
servers = 1
service_h = 0.5
"#,
    );
    let obs = simulate(&m, 3, 0);
    // The westbound flow (from e) meets no stage: its transit is its running time only.
    let run_h = 2.0 * 10.0 / 50.0;
    let west = &obs.flows[1];
    assert!(
        (west.transit_mean_h - run_h).abs() < 1e-6,
        "{}",
        west.transit_mean_h
    );
    assert!(obs.flows[0].transit_mean_h > run_h + 0.5 - 1e-6);
    // Both directions are counted as having crossed.
    let per_year = 4380.0 / 2.0;
    let window_years = 55.0 / 365.0;
    let expected = 2.0 * per_year * window_years;
    let processed = obs.crossings[0].processed;
    assert!(
        (processed - expected).abs() < 0.15 * expected,
        "{processed} vs {expected}"
    );
}

/// A 1435 mm line cn – border and a 1520 mm line border – kz, container and other trains
/// each way, a transshipment with its own tracks for other trains.
fn gauge_both_ways() -> Fixture {
    let src = r#"
[scenario]
name = "gauge-both-ways"
horizon_days = 60
warmup_days = 5
[[node]]
id = "cn"
kind = "terminal"
[[node]]
id = "border"
kind = "crossing"
[[node]]
id = "kz"
kind = "terminal"
[[rail]]
id = "cn-border"
from = "cn"
to = "border"
length_km = 50
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1435
[[rail]]
id = "border-kz"
from = "border"
to = "kz"
length_km = 50
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1520
[[crossing]]
id = "border"
node = "border"
mode = "rail"
[[crossing.stage]]
name = "control"
servers = { cn = 2, kz = 2 }
service_h = 1.0
[crossing.gauge_change]
method = "transshipment"
cranes = 2
teu_per_crane_h = 20
cranes_per_train = 2
other_tracks = 1
other_train_h = 6.0
[[flow]]
id = "west"
from = "cn"
to = "kz"
mode = "rail"
teu_per_year = 87600
unit_teu = 80
[[flow]]
id = "east"
from = "kz"
to = "cn"
mode = "rail"
teu_per_year = 43800
unit_teu = 80
[[flow]]
id = "bulk-west"
from = "cn"
to = "kz"
mode = "rail"
teu_per_year = 365
unit_teu = 1
cargo = "other"
"#;
    load("gauge_both_ways.toml", src)
}

#[test]
fn the_gauge_changes_both_ways_and_other_trains_take_their_own_tracks() {
    let m = gauge_both_ways();
    for f in &m.model.flows {
        let crossings: Vec<_> = (f.routes[0].steps.iter())
            .filter_map(|s| match *s {
                Step::Crossing { change_gauge, .. } => Some(change_gauge),
                _ => None,
            })
            .collect();
        assert_eq!(crossings, [true], "flow {}", f.id);
    }
    let c = &m.model.crossings[0];
    assert_eq!(c.gauge_stage(Cargo::Containers), Some(2));
    assert_eq!(c.gauge_stage(Cargo::Other), Some(3));
    let (sim, _) = run_to_horizon(&m, 5, 0);
    let seen = passages(&sim, |flow| if flow == 1 { 1 } else { 0 });
    // Containers westbound: control from cn (0), cranes (2); eastbound: control from kz
    // (1), cranes (2); other trains westbound: control from cn (0), their tracks (3).
    let expected = [vec![0, 2], vec![1, 2], vec![0, 3]];
    let mut complete = [0; 3];
    for (flow, stages) in &seen {
        let want = &expected[*flow as usize];
        assert!(want.starts_with(stages), "flow {flow}: {stages:?}");
        complete[*flow as usize] += usize::from(stages == want);
    }
    assert!(complete.iter().all(|&n| n > 40), "{complete:?}");
    // A container train holds a crane gang 80 / 40 = 2 h; an other train its track 6 h.
    let obs = simulate(&m, 5, 0);
    let run_h = 2.0 * 50.0 / 50.0;
    let bulk = &obs.flows[2];
    assert!(bulk.transit_mean_h >= run_h + 1.0 + 6.0 - 1e-6);
    assert!(
        bulk.transit_mean_h < run_h + 1.0 + 6.0 + 3.0,
        "{}",
        bulk.transit_mean_h
    );
}
