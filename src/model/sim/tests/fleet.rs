//! Fleets: trains wait for wagons and a locomotive at the start of each leg a fleet runs,
//! the stock comes back empty on the track, and a fleet too small bounds the throughput.

use super::*;

/// Container trains of 86 TEU (43 wagons) from a over a 1,435 mm line to a border where
/// the gauge changes, then 500 km of 1,520 mm line (10 h each way) to b, run by a fleet of
/// `wagons` and `locos` based at the border. `tracks` of the 1,520 mm line; demand is 5
/// trains a day.
fn shuttle(wagons: u32, locos: u32, tracks: u32) -> Fixture {
    shuttle_with(wagons, locos, tracks, (10, 5.0))
}

/// [`shuttle`] with the 1,520 mm line's headway (minutes) and the demand (trains a day).
fn shuttle_with(wagons: u32, locos: u32, tracks: u32, (headway, per_day): (u32, f64)) -> Fixture {
    let teu_per_year = per_day * 365.0 * 86.0;
    let network = gauge_change_line(tracks, headway);
    let src = format!(
        r#"
[scenario]
name = "shuttle"
horizon_days = 400
warmup_days = 35
{network}
[[fleet]]
id = "broad"
gauge_mm = 1520
wagons = {wagons}
locomotives = {locos}
home = "border"
[[flow]]
id = "west"
from = "a"
to = "b"
mode = "rail"
teu_per_year = {teu_per_year}
unit_teu = 86
arrivals = "poisson"
"#
    );
    load("shuttle.toml", &src)
}

/// Trains delivered inside the window.
fn trains_delivered(obs: &ReplicationObs, m: &Fixture) -> f64 {
    obs.flows[0].delivered_teu_per_year / 86.0 * m.model.window(m.warmup).as_hours() / 8760.0
}

#[test]
fn a_fleet_too_small_carries_exactly_its_size_over_its_cycle_time() {
    // One train's stock: 10 h loaded to b, 10 h back empty: a train every 20 h.
    let m = shuttle(43, 1, 2);
    for rep in 0..3 {
        let (sim, _) = run_to_horizon(&m, 1, rep);
        sim.check_invariants().unwrap();
        let obs = simulate(&m, 1, rep);
        let expected = m.model.window(m.warmup).as_hours() / 20.0;
        assert!(
            (trains_delivered(&obs, &m) - expected).abs() <= 1.0,
            "{}",
            trains_delivered(&obs, &m)
        );
    }
}

#[test]
fn enlarging_the_fleet_lifts_throughput_to_the_capacity_of_the_track() {
    // 30 trains a day offered; the broad-gauge double track takes a train an hour each way
    // (headway 60 min). One train's stock carries a train every 20 h and the fleet is the
    // first bottleneck; sixty trains' stock lets the track carry its 24 a day.
    let window_h = 365.0 * 24.0;
    let small = shuttle_with(43, 1, 2, (60, 30.0));
    let obs = simulate(&small, 1, 0);
    assert!((trains_delivered(&obs, &small) - window_h / 20.0).abs() <= 1.0);
    let worst = obs
        .elements(&small.model)
        .max_by(|a, b| a.delay_h.total_cmp(&b.delay_h));
    assert_eq!(worst.map(|e| e.element.id), Some("broad"));
    let large = shuttle_with(43 * 60, 60, 2, (60, 30.0));
    let obs = simulate(&large, 1, 0);
    let got = trains_delivered(&obs, &large);
    assert!(
        (got - window_h).abs() < 0.01 * window_h,
        "{got} trains, the track takes {window_h}"
    );
}

#[test]
fn locomotives_bound_the_throughput_as_wagons_do() {
    // Stock for ten trains but one locomotive: still a train every 20 h.
    let m = shuttle(430, 1, 2);
    let obs = simulate(&m, 1, 0);
    let expected = m.model.window(m.warmup).as_hours() / 20.0;
    assert!((trains_delivered(&obs, &m) - expected).abs() <= 1.0);
}

#[test]
fn enlarging_the_fleet_lifts_throughput_to_the_demand() {
    // Five trains a day each hold stock 20 h: about 4.2 trains' stock in use on average;
    // twelve sets leave the fleet seldom short.
    let m = shuttle(43 * 12, 12, 2);
    let (sim, _) = run_to_horizon(&m, 1, 0);
    sim.check_invariants().unwrap();
    let obs = simulate(&m, 1, 0);
    let demand = 5.0 * m.model.window(m.warmup).as_hours() / 24.0;
    let got = trains_delivered(&obs, &m);
    assert!((got - demand).abs() < 0.05 * demand, "{got} of {demand}");
}

#[test]
fn empty_trains_take_the_track_and_a_single_track_carries_half() {
    // Two trains' stock. On two tracks both sets circulate: a train every 10 h. On one
    // track without loops the loaded and the empty trains take turns over the whole
    // line: a train every 20 h and a little more.
    let window_h = 365.0 * 24.0;
    let double = shuttle(86, 2, 2);
    let obs = simulate(&double, 1, 0);
    assert!((trains_delivered(&obs, &double) - window_h / 10.0).abs() <= 2.0);
    let (sim, _) = run_to_horizon(&double, 1, 0);
    // Every loaded train on the broad-gauge line comes back empty.
    let on_line = sim.links[1].trains as f64;
    assert!((on_line - 2.0 * window_h / 10.0).abs() <= 3.0, "{on_line}");
    let single = shuttle(86, 2, 1);
    let (sim, _) = run_to_horizon(&single, 1, 0);
    sim.check_invariants().unwrap();
    let obs = simulate(&single, 1, 0);
    let got = trains_delivered(&obs, &single);
    assert!(
        got <= window_h / 20.0 + 1.0 && got > window_h / 21.0,
        "{got}"
    );
}

#[test]
fn a_ferry_ends_a_leg_the_wagons_stay_ashore_and_new_stock_takes_the_train_on() {
    // 1,520 mm lines on both shores of a sea; one fleet with homes on both. Trains release
    // their wagons at the port they sail from and take new ones where they land, so stock
    // never has to cross the sea, and every train gets through.
    let src = r#"
[scenario]
name = "sea"
horizon_days = 200
warmup_days = 20
[[node]]
id = "a"
kind = "terminal"
[[node]]
id = "p1"
kind = "port"
[[node]]
id = "p2"
kind = "port"
[[node]]
id = "b"
kind = "terminal"
[[rail]]
id = "a-p1"
from = "a"
to = "p1"
length_km = 300
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1520
[[rail]]
id = "p2-b"
from = "p2"
to = "b"
length_km = 300
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1520
[[ferry]]
id = "sea"
from = "p1"
to = "p2"
vessels = 4
capacity_teu = 200
load_h = 2
sail_h = 20
depart = "when_full"
max_wait_h = 12
[[fleet]]
id = "broad"
gauge_mm = 1520
wagons = 430
locomotives = 10
home = { a = 215, p2 = 215 }
[[flow]]
id = "east"
from = "a"
to = "b"
mode = "rail"
teu_per_year = 31390
unit_teu = 86
arrivals = "poisson"
"#;
    let m = load("sea.toml", src);
    let legs = &m.model.flows[0].routes[0].legs;
    assert_eq!(legs.len(), 2, "{legs:?}");
    let (sim, _) = run_to_horizon(&m, 2, 0);
    sim.check_invariants().unwrap();
    let obs = simulate(&m, 2, 0);
    let f = &obs.flows[0];
    assert!(
        (f.delivered_teu_per_year - 31390.0).abs() < 0.08 * 31390.0,
        "{}",
        f.delivered_teu_per_year
    );
    // Stock idles at both homes (the depots a and p2 come first): none is stranded on one
    // shore, and none waits at the ports or at b.
    let fleet = &obs.fleets[0];
    let idle = &fleet.idle_wagons_at;
    assert!(idle[0] > 0.1 && idle[1] > 0.1, "{idle:?}");
}

#[test]
fn the_backlog_estimate_holds_trains_a_fleet_too_small_cannot_serve_at_its_gauge_change() {
    // One train's stock for a cycle of 20 h, against 5 trains a day: asked 4 1/6 times what
    // it serves, it holds back 1 - 6/25 of the trains, which wait whole at the border.
    let m = shuttle(43, 1, 2);
    let b = m.model.backlog();
    let (at, bytes, load) = b.largest.expect("an overloaded fleet");
    assert_eq!(at, crate::model::Overloaded::Fleet(0));
    assert!((load - 25.0 / 6.0).abs() < 1e-9, "{load}");
    let hours = m.model.horizon.as_hours();
    let held = 5.0 / 24.0 * (1.0 - 6.0 / 25.0) * hours;
    let want = held * crate::model::sim::WHOLE_VEHICLE_BYTES as f64;
    assert!(
        (bytes as f64 - want).abs() < 1e-6 * want,
        "{bytes} bytes, {want} expected"
    );
    assert_eq!(b.bytes, bytes, "nothing else is overloaded");
    // Five trains' stock serves the demand: nothing piles up.
    assert_eq!(shuttle(5 * 43, 5, 2).model.backlog().bytes, 0);
}
