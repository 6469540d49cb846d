//! Double tracks in a row: trains coming off one spaced no less than the next needs are
//! run through the next in the same stroke, counted as if passed one by one.

use super::*;
use crate::model::track::{BACKWARD, FORWARD};

/// Trains from n0 to n4 over four double tracks of 60 km at 60 km/h with the given
/// headways (minutes), three an hour (Poisson, so that bunches wait at the first), for
/// 60 days.
fn line(headways_min: [f64; 4]) -> Fixture {
    line_of(headways_min, "")
}

/// [`line`], its flow given the keys `flow_keys` too (one `key = value` a line).
fn line_of(headways_min: [f64; 4], flow_keys: &str) -> Fixture {
    let mut src = String::from(
        "[scenario]\nname = \"line\"\nhorizon_days = 60\nwarmup_days = 2\nseed = 1\nreplications = 1\n",
    );
    for i in 0..=4 {
        src += &format!("[[node]]\nid = \"n{i}\"\nkind = \"terminal\"\n");
    }
    for (i, h) in headways_min.iter().enumerate() {
        src += &format!(
            "[[rail]]\nid = \"r{i}\"\nfrom = \"n{i}\"\nto = \"n{}\"\nlength_km = 60\nspeed_kmh = 60\ntracks = 2\nheadway_min = {h}\ngauge_mm = 1520\n",
            i + 1
        );
    }
    src += "[[flow]]\nid = \"trains\"\nfrom = \"n0\"\nto = \"n4\"\nmode = \"rail\"\nteu_per_year = 26280\nunit_teu = 1\n";
    src += flow_keys;
    load("line.toml", &src)
}

/// Runs replication `rep` of `s`, its double tracks run through where they may be or
/// (`chained` false) each passed at an event; returns what it measured.
fn replicate(s: &Fixture, rep: u64, chained: bool) -> ReplicationObs {
    let mut sim = Sim::new(&s.model, s.warmup, 3, rep);
    if !chained {
        for ls in &mut sim.links {
            ls.chained = [false; 2];
        }
    }
    let (sim, events) = sim.run();
    sim.check_invariants().unwrap();
    sim.finish(rep, events)
}

#[test]
fn trains_spaced_by_the_track_before_run_through_the_next_and_measure_the_same() {
    for (headways, chained) in [
        ([10.0, 10.0, 10.0, 10.0], [false, true, true, true]),
        // A shorter headway upstream lets trains come closer than the next track takes.
        ([10.0, 5.0, 20.0, 10.0], [false, true, false, true]),
    ] {
        let s = line(headways);
        let sim = Sim::new(&s.model, s.warmup, 3, 0);
        let found: Vec<bool> = sim.links.iter().map(|l| l.chained[FORWARD]).collect();
        assert_eq!(found, chained, "{headways:?}");
        assert!(sim.links.iter().all(|l| !l.chained[BACKWARD]));
        for rep in 0..3 {
            let mut through = replicate(&s, rep, true);
            let mut one_by_one = replicate(&s, rep, false);
            assert!(through.events < one_by_one.events, "{headways:?}");
            (through.events, one_by_one.events) = (0, 0);
            assert_eq!(
                format!("{through:?}"),
                format!("{one_by_one:?}"),
                "{headways:?}"
            );
        }
        // The bunches at the first track wait; the second track holds up the trains the
        // first lets through closer than it takes them.
        let obs = replicate(&s, 0, true);
        assert!(obs.links[0].wait_mean_h > 0.0);
        assert_eq!(obs.links[1].wait_mean_h, 0.0);
        assert_eq!(obs.links[2].wait_mean_h > 0.0, headways[2] > headways[1]);
    }
}

#[test]
fn a_segment_counts_the_trains_of_other_cargo_but_no_teu_of_them() {
    let s = line([10.0, 10.0, 10.0, 10.0]);
    let containers = simulate(&s, 3, 0);
    let first = &containers.links[0];
    assert!(first.trains > 100.0);
    assert_eq!(first.teu, first.trains, "one TEU a container train");
    let other = line_of([10.0, 10.0, 10.0, 10.0], "cargo = \"other\"\n");
    let obs = simulate(&other, 3, 0);
    for l in &obs.links {
        assert!(l.trains > 100.0);
        assert_eq!(l.teu, 0.0, "the flow's units are not containers");
    }
}
