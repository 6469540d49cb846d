//! Crossings: opening hours, and a full yard holding trains upstream.

use super::*;

/// A road through a post (2 lanes, 1 h each, 1 truck an hour: half busy), with extra
/// keys for the crossing (opening hours) and extra tables (disruptions).
pub(super) fn post(extra_crossing: &str, extra: &str) -> Fixture {
    post_from("terminal", extra_crossing, extra)
}

/// [`post`], the trucks setting off from a node `w` of kind `origin_kind`.
pub(super) fn post_from(origin_kind: &str, extra_crossing: &str, extra: &str) -> Fixture {
    let network = road_through_post(origin_kind);
    let src = format!(
        r#"
[scenario]
name = "post"
horizon_days = 120
{network}
[[crossing]]
id = "post"
node = "post"
mode = "road"
{extra_crossing}
[[crossing.stage]]
name = "control"
servers = 2
service_h = 1.0
[[flow]]
id = "trucks"
from = "w"
to = "e"
mode = "road"
teu_per_year = 17520
unit_teu = 2
{extra}
"#
    );
    load("post.toml", &src)
}

#[test]
fn a_closed_crossing_processes_nothing_while_closed() {
    let m = post("open = \"08:00-20:00\"\nclosed_weekdays = [\"sun\"]", "");
    let (sim, _) = run_to_horizon(&m, 1, 0);
    let starts = &sim.crossings[0].service_starts;
    assert!(starts.len() > 1000);
    for &t in starts {
        let h = hours(t) % 24.0;
        assert!(
            (8.0..20.0).contains(&h),
            "a service started at {h} h of day"
        );
        // 2025-01-01 is a Wednesday, so days 4, 11, ... are Sundays.
        let day = (hours(t) / 24.0) as u64;
        assert_ne!(day % 7, 4, "a service started on a Sunday (day {day})");
    }
}

#[test]
fn an_overloaded_crossing_open_by_day_is_fully_utilised_over_its_open_hours() {
    // A truck an hour against 2 lanes of 1 h open 12 h a day, six days a week: 20.6 trucks
    // a day served against 24 come, so the lanes are busy whenever the post is open.
    let m = post("open = \"08:00-20:00\"\nclosed_weekdays = [\"sun\"]", "");
    let u = simulate(&m, 1, 0).crossings[0].utilization;
    assert!(u > 0.98 && u <= 1.0, "utilisation {u}");
    // Open at all hours, half busy.
    let u = simulate(&post("", ""), 1, 0).crossings[0].utilization;
    assert!((0.45..0.55).contains(&u), "utilisation {u}");
}

/// Trains of 86 TEU from cn to kz by an approach of the given `layout`, through a border
/// whose yard takes two of them and whose only track needs 6 h a train.
fn yard(layout: &str) -> Fixture {
    let src = format!(
        r#"
[scenario]
name = "yard"
horizon_days = 90
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
id = "approach"
from = "cn"
to = "border"
length_km = 100
speed_kmh = 50
gauge_mm = 1435
{layout}
[[rail]]
id = "onward"
from = "border"
to = "kz"
length_km = 100
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1435
[[crossing]]
id = "border"
node = "border"
mode = "rail"
yard_capacity_teu = 200
[[crossing.stage]]
name = "control"
servers = 1
service_h = {{ dist = "exp", mean = 6.0 }}
[[flow]]
id = "trains"
from = "cn"
to = "kz"
mode = "rail"
teu_per_year = 110000
unit_teu = 86
"#
    );
    load("yard.toml", &src)
}

#[test]
fn a_full_crossing_yard_holds_trains_upstream_without_losing_any() {
    // With the approach double or single track.
    for (layout, n) in [
        ("tracks = 2\nheadway_min = 20", "double"),
        (
            "tracks = 1\nloop_spacing_km = 25\nheadway_min = 5",
            "single",
        ),
    ] {
        let m = yard(layout);
        let (sim, _) = run_to_horizon(&m, 5, 0);
        let cs = &sim.crossings[0];
        assert!(
            cs.yard.peak_teu <= 200.0,
            "{n}: yard peak {}",
            cs.yard.peak_teu
        );
        assert!(
            cs.hold_spells.len() > 10,
            "{n}: {} spells",
            cs.hold_spells.len()
        );
        // While trains are held upstream, none enters the approach.
        let approach = &sim.links[0].entries;
        for &(a, b) in &cs.hold_spells {
            let inside = approach.iter().filter(|&&t| t > a && t < b).count();
            assert_eq!(inside, 0, "{n}: entries during a hold from {a} to {b}");
        }
        // No train is lost: every train that appeared is delivered or still on its way.
        let alive = sim.vehicles.iter().filter(|v| v.alive).count() as u64;
        let f = &sim.flows[0];
        assert!(f.finished > 200, "{n}: {} delivered", f.finished);
        assert_eq!(f.created, f.finished + alive, "{n}");
    }
}
