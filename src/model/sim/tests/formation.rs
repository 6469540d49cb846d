//! Train formation at the origin: containers arrive one by one and leave as a train when
//! the next would not fit, or when the oldest has waited `max_form_h`.

use super::*;

/// Containers of one TEU every hour from a to b (10 km of road at 50 km/h), formed into
/// trains of `unit_teu` that wait at most `max_form_h`.
fn line(unit_teu: f64, max_form_h: f64) -> Fixture {
    let src = format!(
        r#"
[scenario]
name = "formation"
horizon_days = 100
warmup_days = 10
[[node]]
id = "a"
kind = "terminal"
[[node]]
id = "b"
kind = "terminal"
[[road]]
id = "ab"
from = "a"
to = "b"
length_km = 10
speed_kmh = 50
[[flow]]
id = "boxes"
from = "a"
to = "b"
mode = "road"
teu_per_year = 8760
unit_teu = {unit_teu}
arrivals = "regular"
max_form_h = {max_form_h}
"#
    );
    load("formation.toml", &src)
}

#[test]
fn a_train_leaves_when_the_next_container_would_not_fit() {
    // Ten containers an hour apart fill a train: it leaves with the tenth, the first
    // having waited 9 h and the last none (4.5 h on average).
    let m = line(10.0, 100.0);
    let obs = simulate(&m, 7, 0);
    let f = &obs.flows[0];
    assert!((f.train_fill - 1.0).abs() < 1e-9, "fill {}", f.train_fill);
    assert!(
        (f.formation_wait_h - 4.5).abs() < 1e-6,
        "{}",
        f.formation_wait_h
    );
    // Transit counts from the mean arrival of a train's containers.
    let run_h = 10.0 / 50.0;
    assert!(
        (f.transit_mean_h - (4.5 + run_h)).abs() < 1e-3,
        "{}",
        f.transit_mean_h
    );
    let trains = m.model.window(m.warmup).as_hours() / 10.0;
    let (sim, _) = run_to_horizon(&m, 7, 0);
    assert!((sim.links[0].trains as f64 - trains).abs() <= 1.0);
}

#[test]
fn a_train_leaves_short_when_its_oldest_container_has_waited_max_form_h() {
    // Trains of up to 100 TEU, but no container waits more than 24 h: each train takes
    // the 24 containers of a day (the 25th, due as the deadline falls, starts the next).
    let m = line(100.0, 24.0);
    let obs = simulate(&m, 7, 0);
    let f = &obs.flows[0];
    assert!((f.train_fill - 0.24).abs() < 1e-9, "fill {}", f.train_fill);
    assert!(
        (f.formation_wait_h - 12.5).abs() < 1e-6,
        "{}",
        f.formation_wait_h
    );
    let (sim, _) = run_to_horizon(&m, 7, 0);
    let link = &sim.links[0];
    assert!((link.teu.teu() / link.trains as f64 - 24.0).abs() < 1e-9);
}

#[test]
fn every_container_is_delivered_or_still_on_its_way() {
    // Measured from time zero: the 2,400 containers of 100 days (one an hour) are in
    // trains delivered, in trains on the road, or waiting for a train.
    let src = line(40.0, 12.0);
    let m = Fixture {
        warmup: SimTime::ZERO,
        ..src
    };
    for rep in 0..5 {
        let obs = simulate(&m, 3, rep);
        let f = &obs.flows[0];
        let delivered = f.delivered_teu_per_year * 100.0 / 365.0;
        let arrived = delivered + f.backlog_teu;
        assert!(
            (arrived - 2400.0).abs() <= 1.0 + 1e-6,
            "replication {rep}: {arrived}"
        );
        assert!(f.backlog_teu <= 40.0 + 1e-9, "{}", f.backlog_teu);
    }
}
