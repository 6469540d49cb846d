//! Single-track segments: trains meet at loops, keep moving when overloaded, and stop entering while the line is closed.

use super::*;

fn single_track(horizon_days: u32, trains_per_day: f64) -> Fixture {
    single_track_with(horizon_days, trains_per_day, "")
}

/// [`single_track`] with extra tables (disruptions).
fn single_track_with(horizon_days: u32, trains_per_day: f64, extra: &str) -> Fixture {
    let teu = trains_per_day * 365.0 * 50.0;
    let src = format!(
        r#"
[scenario]
name = "busy single track"
horizon_days = {horizon_days}
[[node]]
id = "w"
kind = "terminal"
[[node]]
id = "e"
kind = "terminal"
[[rail]]
id = "line"
from = "w"
to = "e"
length_km = 100
speed_kmh = 60
tracks = 1
loop_spacing_km = 20
headway_min = 5
gauge_mm = 1520
[[flow]]
id = "east"
from = "w"
to = "e"
mode = "rail"
teu_per_year = {teu}
unit_teu = 50
[[flow]]
id = "west"
from = "e"
to = "w"
mode = "rail"
teu_per_year = {teu}
unit_teu = 50
{extra}
"#
    );
    load("busy.toml", &src)
}

#[test]
fn a_closed_single_track_lets_the_trains_on_it_run_out_and_admits_no_more() {
    // Closed from day 10 to day 12; looked at a day into the closure, when the trains
    // that were on the line (5 blocks of 20 min) have long reached an end.
    let mut m = single_track_with(
        20,
        30.0,
        "[[disruption]]\nid = \"works\"\ntarget = \"line\"\nstart_day = 10\nend_day = 12",
    );
    m.model.horizon = SimTime::from_hours(11.0 * 24.0);
    let (sim, _) = run_to_horizon(&m, 3, 0);
    let ls = &sim.links[0];
    let LinkResource::Single(t, _) = &ls.res else {
        panic!("the line is single track");
    };
    assert_eq!(t.trains_on_line(), 0, "trains left standing on the line");
    assert!(t.trains_waiting_or_running() > 0, "trains wait at the ends");
    assert!(!ls.entries.iter().any(|&e| hours(e) > 240.0));
    // Reopened, trains enter again at once.
    let m = single_track_with(
        20,
        30.0,
        "[[disruption]]\nid = \"works\"\ntarget = \"line\"\nstart_day = 10\nend_day = 12",
    );
    let (sim, _) = run_to_horizon(&m, 3, 0);
    let after = sim.links[0]
        .entries
        .iter()
        .filter(|&&e| (288.0..294.0).contains(&hours(e)))
        .count();
    assert!(
        after >= 6,
        "{after} trains entered in the 6 h after the reopening"
    );
}

#[test]
fn an_overloaded_single_track_keeps_moving_trains_both_ways() {
    // 5 blocks of 20 min; 100 trains a day each way is far past capacity. A deadlock
    // would stop traffic, so the trains carried in 120 days would not double those in 60.
    let short = simulate(&single_track(60, 100.0), 1, 0);
    let long = simulate(&single_track(120, 100.0), 1, 0);
    let carried = |o: &ReplicationObs| o.links[0].trains;
    assert!(carried(&short) > 1000.0, "{}", carried(&short));
    let ratio = carried(&long) / carried(&short);
    assert!((1.9..2.1).contains(&ratio), "ratio {ratio}");
    for o in [&short, &long] {
        assert!(o.flows[0].delivered_teu_per_year > 0.0);
        assert!(o.flows[1].delivered_teu_per_year > 0.0);
    }
}

#[test]
fn a_quiet_single_track_delivers_every_train_in_free_running_time_or_little_more() {
    let o = simulate(&single_track(365, 2.0), 1, 0);
    // 100 km at 60 km/h = 1 h 40 min, plus rare meeting waits.
    assert!(o.flows[0].transit_p50_h >= 1.66 && o.flows[0].transit_p50_h < 1.7);
    assert!(o.links[0].wait_mean_h < 0.1, "{}", o.links[0].wait_mean_h);
}
