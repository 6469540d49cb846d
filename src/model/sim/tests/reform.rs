//! Trains formed anew after a transshipment: the containers lifted off a train leave in
//! trains of the crossing's `train_teu`, oldest first, or with what has gathered once the
//! oldest has waited `max_form_h`.

use super::*;

/// Container trains of `unit_teu` every 10 h from a over 100 km of 1,435 mm line to a
/// border where cranes lift them (in 0.01 h per train of 100 TEU) onto 1,520 mm trains of
/// `train_teu` (as written: a number or a table by side), which wait at most `max_form_h`
/// and run 500 km to b. `more` is appended (fleets, flows).
fn border(unit_teu: f64, train_teu: &str, max_form_h: f64, more: &str) -> Fixture {
    load(
        "reform.toml",
        &border_src(unit_teu, train_teu, max_form_h, more),
    )
}

/// The text of [`border`]'s scenario.
fn border_src(unit_teu: f64, train_teu: &str, max_form_h: f64, more: &str) -> String {
    let teu_per_year = unit_teu * 876.0;
    let network = gauge_change_line(2, 10);
    format!(
        r#"
[scenario]
name = "reform"
horizon_days = 400
warmup_days = 35
{network}
train_teu = {train_teu}
max_form_h = {max_form_h}
[[flow]]
id = "west"
from = "a"
to = "b"
mode = "rail"
teu_per_year = {teu_per_year}
unit_teu = {unit_teu}
arrivals = "regular"
{more}
"#
    )
}

/// Trains that ran segment `link` inside the window.
fn trains_on(sim: &Sim, link: usize) -> f64 {
    sim.links[link].trains as f64
}

/// Runs replication 0 of `m` (seed 1) to its horizon with its invariants checked, and
/// returns the trains that came to the border and those that left it inside the window,
/// each of those that left carrying `teu` TEU.
fn came_and_left(m: &Fixture, teu: f64) -> (f64, f64) {
    let (sim, _) = run_to_horizon(m, 1, 0);
    sim.check_invariants().unwrap();
    let (came, left) = (trains_on(&sim, 0), trains_on(&sim, 1));
    let per_train = sim.links[1].teu.teu() / left;
    assert!((per_train - teu).abs() < 1e-9, "{per_train} TEU a train");
    (came, left)
}

#[test]
fn the_containers_of_one_train_leave_at_once_in_two_when_new_trains_take_half() {
    let m = border(100.0, "50", 100.0, "");
    let (came, left) = came_and_left(&m, 50.0);
    assert!((left - 2.0 * came).abs() <= 2.0, "{came} came, {left} left");
    let obs = simulate(&m, 1, 0);
    let x = &obs.crossings[0];
    assert!(x.formation_wait_h.abs() < 1e-9, "{}", x.formation_wait_h);
    // The crossing counts the trains that came, not those formed.
    assert!(
        (x.processed - came).abs() <= 1.0,
        "{} of {came}",
        x.processed
    );
}

#[test]
fn longer_new_trains_gather_the_containers_of_several_oldest_first() {
    // Trains of 100 TEU come every 10 h; new trains take 150. Every 30 h the same three
    // come (a, b, c) and two leave: a's 100 and half of b at b's arrival (a waited 10 h),
    // the rest of b and c at c's (b's 50 waited 10 h): 1,500 TEU-h for 300 TEU, 5 h each.
    let m = border(100.0, "150", 100.0, "");
    let (came, left) = came_and_left(&m, 150.0);
    assert!(
        (left - came * 2.0 / 3.0).abs() <= 2.0,
        "{came} came, {left} left"
    );
    let obs = simulate(&m, 1, 0);
    let wait = obs.crossings[0].formation_wait_h;
    assert!((wait - 5.0).abs() < 0.05, "crossing: {wait}");
    let f = &obs.flows[0];
    assert!(
        (f.formation_wait_h - 5.0).abs() < 0.05,
        "flow: {}",
        f.formation_wait_h
    );
    // The wait is part of the transit: 2 h to the border, 5 h for the new train on
    // average, 10 h to b, and the crossing's few minutes.
    assert!(
        (f.transit_mean_h - 17.02).abs() < 0.1,
        "transit {}",
        f.transit_mean_h
    );
}

#[test]
fn a_new_train_leaves_short_when_its_oldest_container_has_waited_max_form_h() {
    // New trains could take 150 TEU, but no container waits more than 4 h: each train's
    // 100 TEU leave alone, 4 h after they were lifted.
    let m = border(100.0, "150", 4.0, "");
    let (came, left) = came_and_left(&m, 100.0);
    assert!((left - came).abs() <= 1.0, "{came} came, {left} left");
    let obs = simulate(&m, 1, 0);
    let wait = obs.crossings[0].formation_wait_h;
    assert!((wait - 4.0).abs() < 1e-6, "{wait}");
}

#[test]
fn every_container_is_delivered_waiting_for_a_new_train_or_still_on_its_way() {
    let m = border(100.0, "150", 100.0, "");
    let m = Fixture {
        warmup: SimTime::ZERO,
        ..m
    };
    for rep in 0..3 {
        let obs = simulate(&m, 5, rep);
        let f = &obs.flows[0];
        let delivered = f.delivered_teu_per_year * 400.0 / 365.0;
        let arrived = 100.0 * (400.0 * 24.0 / 10.0_f64).floor();
        let total = delivered + f.backlog_teu;
        assert!(
            (total - arrived).abs() <= 100.0 + 1e-6,
            "replication {rep}: {total} of {arrived}"
        );
    }
}

#[test]
fn trains_formed_anew_take_the_wagons_their_own_teu_fill() {
    // 25 wagons of 2 TEU and one locomotive carry one new train of 50 TEU; a train of the
    // 100 TEU that came would need 50 wagons. Loaded 10 h to b, 10 h back: a new train
    // every 20 h, while 20 are formed every 20 h (two per train that comes).
    let fleet = r#"
[[fleet]]
id = "broad"
gauge_mm = 1520
wagons = 25
locomotives = 1
home = "border"
"#;
    let m = border(100.0, "50", 100.0, fleet);
    let (sim, _) = run_to_horizon(&m, 1, 0);
    sim.check_invariants().unwrap();
    let window_h = m.model.window(m.warmup).as_hours();
    let left = trains_on(&sim, 1) / 2.0;
    assert!((left - window_h / 20.0).abs() <= 1.0, "{left}");
    // New trains that wait for stock are not counted at the crossing again.
    let obs = simulate(&m, 1, 0);
    let came = trains_on(&sim, 0);
    assert!((obs.crossings[0].processed - came).abs() <= 1.0);
}

#[test]
fn a_fleet_too_small_for_the_new_trains_is_refused() {
    let fleet = r#"
[[fleet]]
id = "broad"
gauge_mm = 1520
wagons = 25
locomotives = 1
home = "border"
"#;
    // Trains of 40 TEU would fit in 20 wagons, but the new trains of 60 need 30.
    let src = border_src(40.0, "60", 100.0, fleet);
    let err = load_str(Path::new("reform.toml"), &src)
        .err()
        .map(|e| e.to_string());
    let err = err.expect("refused");
    assert!(
        err.contains("flow \"west\" formed anew at crossing \"border\" (train_teu) carry 60 TEU and need 30 wagons"),
        "{err}"
    );
}

#[test]
fn trains_given_per_side_are_formed_anew_on_that_side_only() {
    // Westbound trains (from a) are formed anew in trains of 150; eastbound ones (from b)
    // keep their 100 TEU.
    let east = r#"
[[flow]]
id = "east"
from = "b"
to = "a"
mode = "rail"
teu_per_year = 87600
unit_teu = 100
arrivals = "regular"
"#;
    let m = border(100.0, "{ a = 150 }", 100.0, east);
    assert_eq!(m.model.reform_pools.len(), 1);
    let (sim, _) = run_to_horizon(&m, 1, 0);
    sim.check_invariants().unwrap();
    let obs = simulate(&m, 1, 0);
    let (west, east) = (&obs.flows[0], &obs.flows[1]);
    assert!(
        (west.formation_wait_h - 5.0).abs() < 0.05,
        "{}",
        west.formation_wait_h
    );
    assert_eq!(east.formation_wait_h, 0.0);
}
