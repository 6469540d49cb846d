//! Ferry lines: TEU conserved, storms and port closures stop sailings, a full port yard holds trains upstream.

use super::*;

fn ferry_line(ferry: &str, teu_per_year: f64, days: u32) -> Fixture {
    let src = format!(
        r#"
[scenario]
name = "ferry"
horizon_days = {days}
warmup_days = 10
[[node]]
id = "a"
kind = "port"
[[node]]
id = "b"
kind = "port"
[[node]]
id = "inland"
kind = "terminal"
[[rail]]
id = "feeder"
from = "inland"
to = "a"
length_km = 100
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1520
[[ferry]]
id = "sea"
from = "a"
to = "b"
{ferry}
[[flow]]
id = "west"
from = "inland"
to = "b"
mode = "rail"
teu_per_year = {teu_per_year}
unit_teu = 80
"#
    );
    load("ferry.toml", &src)
}

#[test]
fn ferry_teu_are_conserved_between_yards_vessels_and_the_far_port() {
    let m = ferry_line(
        "vessels = 2\ncapacity_teu = 300\nload_h = 6\nsail_h = 18\nmax_wait_h = 48\nport_yard_capacity_teu = 500\nweather = { storm_days_per_year = 40, mean_storm_h = 36 }",
        60_000.0,
        200,
    );
    for rep in 0..5 {
        let (sim, _) = run_to_horizon(&m, 3, rep);
        let (arrived, left, aboard, waiting) = sim.ferries[0].balance(|v| sim.unit_teu(v));
        assert!(arrived > 10_000.0, "{arrived}");
        assert!(
            (arrived - (left + aboard + waiting)).abs() < 1e-6,
            "in {arrived} = out {left} + aboard {aboard} + waiting {waiting}"
        );
        // Every TEU that left the line reached the destination or is on the last segment.
        assert!(left > 0.8 * arrived);
    }
}

#[test]
fn storms_stop_sailings() {
    let calm = ferry_line("vessels = 1\ncapacity_teu = 400\nload_h = 2\nsail_h = 10\ndepart = \"schedule\"\nevery_h = 12", 100_000.0, 365);
    let stormy = ferry_line("vessels = 1\ncapacity_teu = 400\nload_h = 2\nsail_h = 10\ndepart = \"schedule\"\nevery_h = 12\nweather = { storm_days_per_year = 120, mean_storm_h = 60 }", 100_000.0, 365);
    let (sim, _) = run_to_horizon(&stormy, 1, 0);
    let trace = &sim.ferries[0].trace;
    assert!(trace.storms.len() > 20, "storms: {}", trace.storms.len());
    // No departure strictly inside a storm.
    let mut storm_from = None;
    let mut storms = trace.storms.iter().peekable();
    for &t in &trace.sailings {
        while let Some(&&(at, starts)) = storms.peek() {
            if at > t {
                break;
            }
            storm_from = starts.then_some(at);
            storms.next();
        }
        assert!(
            storm_from.is_none(),
            "a sailing at {t} during a storm from {storm_from:?}"
        );
    }
    let calm_voyages = run_to_horizon(&calm, 1, 0).0.ferries[0].voyages();
    let stormy_voyages = sim.ferries[0].voyages();
    assert!(
        stormy_voyages < calm_voyages,
        "voyages with storms {stormy_voyages}, without {calm_voyages}"
    );
}

#[test]
fn a_closed_port_sails_nothing_while_closed() {
    let m = ferry_line(
        "vessels = 2\ncapacity_teu = 160\nload_h = 2\nsail_h = 10\n[[disruption]]\nid = \"port-strike\"\ntarget = \"b\"\nstart_day = 20\nend_day = 27",
        30_000.0,
        60,
    );
    let (sim, _) = run_to_horizon(&m, 4, 0);
    let sailings = &sim.ferries[0].trace.sailings;
    let (a, b) = (20.0 * 24.0, 27.0 * 24.0);
    assert!(!sailings
        .iter()
        .any(|t| t.as_hours() > a && t.as_hours() < b));
    assert!(
        sailings.iter().any(|t| t.as_hours() >= b),
        "sailings resume"
    );
}

#[test]
fn a_full_port_yard_holds_trains_upstream_without_losing_any() {
    // The yard takes two trains; one small vessel sails rarely: trains back up.
    let m = ferry_line(
        "vessels = 1\ncapacity_teu = 160\nload_h = 12\nsail_h = 30\nport_yard_capacity_teu = 170",
        40_000.0,
        120,
    );
    let (sim, _) = run_to_horizon(&m, 2, 0);
    let fs = &sim.ferries[0];
    assert!(fs.max_held() > 5, "held upstream at most {}", fs.max_held());
    assert!(
        fs.max_yard_teu() <= 170.0 + 1e-9,
        "yard peak {}",
        fs.max_yard_teu()
    );
    let (arrived, left, aboard, waiting) = fs.balance(|v| sim.unit_teu(v));
    assert!((arrived - (left + aboard + waiting)).abs() < 1e-6);
    // Every train that ever started is alive somewhere or delivered.
    let alive = sim.vehicles.iter().filter(|v| v.alive).count();
    assert!(alive as f64 * 80.0 >= waiting + aboard);
}
