//! Roads: free-flowing roads run through in one event (none where the route ends on
//! them), counted as if passed one by one.

use super::*;

/// Trucks from n0 to the last node over roads of the given lengths (km, at 60 km/h),
/// one an hour at regular intervals, for 60 days; `extra` goes into the second road.
fn road_chain(lengths_km: &[f64], second_road: &str) -> Fixture {
    let mut src =
        String::from("[scenario]\nname = \"chain\"\nhorizon_days = 60\nwarmup_days = 0\n");
    for i in 0..=lengths_km.len() {
        src += &format!("[[node]]\nid = \"n{i}\"\nkind = \"terminal\"\n");
    }
    for (i, km) in lengths_km.iter().enumerate() {
        let extra = if i == 1 { second_road } else { "" };
        src += &format!(
            "[[road]]\nid = \"r{i}\"\nfrom = \"n{i}\"\nto = \"n{}\"\nlength_km = {km}\nspeed_kmh = 60\n{extra}\n",
            i + 1
        );
    }
    src += &format!(
        "[[flow]]\nid = \"trucks\"\nfrom = \"n0\"\nto = \"n{}\"\nmode = \"road\"\nteu_per_year = 17520\nunit_teu = 2\narrivals = \"regular\"\n",
        lengths_km.len()
    );
    load("chain.toml", &src)
}

#[test]
fn free_flowing_roads_in_a_row_take_one_event_per_truck_and_count_it_on_each() {
    let m = road_chain(&[120.0, 60.0, 30.0], "");
    let (sim, events) = run_to_horizon(&m, 5, 0);
    let (created, finished) = (sim.flows[0].created, sim.flows[0].finished);
    // One arrival per truck, and nothing else: the route ends on the last road, so each
    // truck is delivered as it enters it, as of the time it leaves it.
    assert_eq!(events, created);
    assert!(finished > 0 && finished < created);
    let obs = sim.finish(0, events);
    assert!((obs.flows[0].transit_mean_h - 3.5).abs() < 1e-9);
    for l in &obs.links {
        assert_eq!(l.wait_mean_h, 0.0, "{l:?}");
    }
    // Each road counts a truck when the truck leaves it: one an hour, so the trucks of
    // the last 2, 3 and 3.5 hours are still short of the ends of roads 0, 1 and 2.
    let short: Vec<u64> = obs
        .links
        .iter()
        .map(|l| created - l.trains as u64)
        .collect();
    assert_eq!(&short[..2], &[2, 3]);
    assert!(short[2] == 3 || short[2] == 4, "{short:?}");
}

#[test]
fn roads_run_through_give_the_same_counts_as_roads_passed_one_by_one() {
    // A capacity the regular trucks never reach makes the second road a gated one,
    // passed with an event of its own: the figures must not change.
    let fused = road_chain(&[120.0, 60.0, 30.0], "");
    let gated = road_chain(&[120.0, 60.0, 30.0], "capacity_trucks_per_h = 1000");
    let (a, ea) = run_to_horizon(&fused, 5, 0);
    let (b, eb) = run_to_horizon(&gated, 5, 0);
    assert!(eb > ea, "the gated road costs events: {eb} vs {ea}");
    let (a, b) = (a.finish(0, ea), b.finish(0, eb));
    assert_eq!(a.flows[0].transit_mean_h, b.flows[0].transit_mean_h);
    assert_eq!(a.flows[0].backlog_teu, b.flows[0].backlog_teu);
    for (x, y) in a.links.iter().zip(&b.links) {
        assert_eq!(
            (x.trains, x.teu, x.wait_mean_h),
            (y.trains, y.teu, y.wait_mean_h)
        );
    }
}

#[test]
fn a_segment_of_zero_length_is_passed_at_once_without_an_event() {
    let m = road_chain(&[0.0, 0.0, 60.0], "");
    let (sim, events) = run_to_horizon(&m, 5, 0);
    let (created, finished) = (sim.flows[0].created, sim.flows[0].finished);
    assert_eq!(events, created);
    assert!(finished > 0 && finished < created);
    let obs = sim.finish(0, events);
    assert!((obs.flows[0].transit_mean_h - 1.0).abs() < 1e-9);
    assert_eq!(obs.links[0].trains, created as f64);
    assert_eq!(obs.links[1].trains, created as f64);
}
