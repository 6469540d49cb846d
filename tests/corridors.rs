//! Corridors: groups of flows reported together, their transit weighted by TEU.

mod common;
use common::{corridor, run_json};
use serde_json::Value;

fn mean(v: &Value) -> f64 {
    v["mean"].as_f64().expect("a STAT's mean")
}

#[test]
fn a_corridors_figures_are_the_teu_weighted_combination_of_its_flows() {
    // One replication, so that each figure is that replication's value.
    let v = run_json("scenarios/eurasia_2025.toml", &["--replications", "1"]);
    let flows = v["flows"].as_array().unwrap();
    let flow = |id: &str| flows.iter().find(|f| f["id"] == id).unwrap();
    for c in v["corridors"].as_array().unwrap() {
        let members: Vec<&Value> = c["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| flow(id.as_str().unwrap()))
            .collect();
        let delivered: f64 = members
            .iter()
            .map(|f| mean(&f["delivered_teu_per_year"]))
            .sum();
        let backlog: f64 = members.iter().map(|f| mean(&f["backlog_teu"])).sum();
        let weighted: f64 = members
            .iter()
            .map(|f| mean(&f["delivered_teu_per_year"]) * mean(&f["transit_h"]["mean"]))
            .sum::<f64>()
            / delivered;
        let id = &c["id"];
        assert!(
            (mean(&c["delivered_teu_per_year"]) - delivered).abs() < 1e-6 * delivered,
            "{id}"
        );
        assert!(
            (mean(&c["backlog_teu"]) - backlog).abs() < 1e-9 * backlog.max(1.0),
            "{id}"
        );
        let got = mean(&c["transit_h"]["mean"]);
        assert!(
            (got - weighted).abs() < 1e-9 * weighted,
            "{id}: {got} against {weighted}"
        );
        if members.len() == 1 {
            for q in ["p50", "p95"] {
                assert_eq!(
                    c["transit_h"][q]["mean"], members[0]["transit_h"][q]["mean"],
                    "{id} {q}"
                );
            }
        }
    }
    let northern = v["corridors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "northern");
    assert_eq!(
        northern.unwrap()["name"],
        "Northern route (Kazakhstan, Russia, Belarus)"
    );
}

#[test]
fn the_network_headline_weighs_transit_by_teu_beside_the_per_vehicle_figures() {
    let v = run_json("scenarios/eurasia_2025.toml", &["--replications", "2"]);
    let per_vehicle = mean(&v["network"]["transit_h"]["mean"]);
    let per_teu = mean(&v["network"]["teu_transit_h"]["mean"]);
    // Trucks (2 TEU each) are most of the vehicles and cross in hours; trains carry most
    // of the TEU and take days.
    assert!(
        per_teu > 5.0 * per_vehicle,
        "{per_teu} against {per_vehicle}"
    );
    let p95 = mean(&v["network"]["teu_transit_h"]["p95"]);
    assert!(
        p95 > per_teu,
        "the TEU-weighted p95 {p95} is above its mean {per_teu}"
    );
}

#[test]
fn a_corridor_naming_an_unknown_flow_is_refused_with_the_closest_flow() {
    let local = common::root().join("tests/bad/corridor_unknown_flow.toml");
    let out = corridor(&["validate", &common::relative(&local)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown flow \"china-kars-aktua\" in corridor \"middle\".flows; did you mean \"china-kars-aktau\"?"),
        "{err}"
    );
    assert!(
        err.contains("corridor_unknown_flow.toml:"),
        "located: {err}"
    );
}
