//! Route choice: fastest routes, adaptive choice among the k fastest, and new links that
//! draw traffic where they are faster.

mod common;
use common::{run_json, stat};

#[test]
fn adaptive_choice_spreads_traffic_off_a_congested_crossing() {
    let fastest = run_json("tests/routing/two_ways_fastest.toml", &[]);
    let adaptive = run_json("tests/routing/two_ways.toml", &[]);
    // Fastest-only sends every truck through the narrow post, which is then saturated.
    let only = stat(&fastest, &["flows", "0", "routes", "0", "share"]);
    assert_eq!(only.0, 1.0);
    let (narrow, ..) = stat(&adaptive, &["flows", "0", "routes", "0", "share"]);
    let (wide, ..) = stat(&adaptive, &["flows", "0", "routes", "1", "share"]);
    assert_eq!(
        adaptive["flows"][0]["routes"][1]["via"],
        serde_json::json!(["west", "wide", "east"])
    );
    assert!(narrow > 0.5 && wide > 0.05, "shares {narrow} / {wide}");
    assert!((narrow + wide - 1.0).abs() < 1e-9);
    let (t_fast, ..) = stat(&fastest, &["flows", "0", "transit_h", "mean"]);
    let (t_adapt, _, hi) = stat(&adaptive, &["flows", "0", "transit_h", "mean"]);
    assert!(
        hi < t_fast / 2.0,
        "adaptive {t_adapt} h vs fastest-only {t_fast} h"
    );
}

#[test]
fn a_new_faster_link_draws_the_traffic() {
    let before = run_json("tests/routing/slow_only.toml", &[]);
    let after = run_json("tests/routing/new_link.toml", &[]);
    assert_eq!(before["flows"][0]["routes"].as_array().unwrap().len(), 1);
    let routes = after["flows"][0]["routes"].as_array().unwrap();
    let new = routes
        .iter()
        .position(|r| r["via"] == serde_json::json!(["west", "narrow", "east"]))
        .expect("the new link gives a route");
    let (share, ..) = stat(&after, &["flows", "0", "routes", &new.to_string(), "share"]);
    assert!(share > 0.5, "share of the new route {share}");
    let (t_before, ..) = stat(&before, &["flows", "0", "transit_h", "mean"]);
    let (t_after, ..) = stat(&after, &["flows", "0", "transit_h", "mean"]);
    assert!(
        t_after < t_before - 0.5,
        "transit {t_before} h -> {t_after} h"
    );
}
