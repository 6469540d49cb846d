//! Property tests: invariants of a replication over randomly generated valid scenarios, and
//! a loader that never panics on damaged scenario files or on scenario documents made up
//! from the scenario format's tables and keys with random values.
//!
//! The loader properties run proptest's default 256 cases each; `PROPTEST_CASES=N` runs N,
//! which makes a fuzzing run of a fixed budget (the invariant property keeps its 200).
//! proptest keeps any failing input it finds in `proptest-regressions/model/properties.txt`
//! and runs it first from then on.

use super::sim::{run_to_horizon, run_to_horizon_event_by_event};
use crate::scenario::load_str;
use proptest::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// A random network: a chain of nodes joined by rail (random layout and gauge, with gauge
/// changes at crossings, some forming trains anew) and road, crossings with random stages,
/// calendars and yards, an
/// optional ferry, optional fleets for the two gauges, and flows between random pairs of
/// nodes.
fn scenario() -> impl Strategy<Value = String> {
    (
        3usize..7,
        prop::collection::vec((0u8..3, 1u32..3, 5.0f64..300.0, 20.0f64..90.0), 6),
        prop::collection::vec((1u32..4, 0.1f64..3.0, 0.0f64..0.3, prop::bool::ANY, prop::bool::ANY, prop::option::of((20.0f64..80.0, 0.5f64..48.0))), 6),
        prop::collection::vec((0usize..6, 0usize..6, 1.0f64..2_000.0, prop::bool::ANY), 1..5),
        prop::bool::ANY,
        1u64..1_000,
        prop::option::of((40u32..400, 1u32..8, 0u32..3, 0.0f64..12.0)),
    )
        .prop_map(|(n, segments, crossings, flows, ferry, seed, fleets)| {
            let mut s = String::new();
            let _ = writeln!(s, "[scenario]\nname = \"generated\"\nhorizon_days = 40\nwarmup_days = 5\nseed = {seed}\nreplications = 1");
            for i in 0..n {
                let kind = if ferry && i >= n - 2 { "port" } else { "crossing" };
                let _ = writeln!(s, "[[node]]\nid = \"n{i}\"\nkind = \"{kind}\"");
            }
            let last_land = if ferry { n - 2 } else { n - 1 };
            for (i, &(layout, tracks, len, speed)) in segments.iter().enumerate().take(last_land) {
                let gauge = if i % 2 == 0 { 1435 } else { 1520 };
                let rail = match (layout, tracks) {
                    (0, _) => "tracks = 2\nheadway_min = 20".to_string(),
                    (1, _) => "tracks = 1\nheadway_min = 5".to_string(),
                    _ => format!("tracks = 1\nloop_spacing_km = {}\nheadway_min = 3", (len / 3.0).max(1.0)),
                };
                let _ = writeln!(s, "[[rail]]\nid = \"r{i}\"\nfrom = \"n{i}\"\nto = \"n{}\"\nlength_km = {len}\nspeed_kmh = {speed}\ngauge_mm = {gauge}\n{rail}", i + 1);
                let _ = writeln!(s, "[[road]]\nid = \"d{i}\"\nfrom = \"n{i}\"\nto = \"n{}\"\nlength_km = {len}\nspeed_kmh = {speed}\ncapacity_trucks_per_h = {}", i + 1, 5 + tracks * 20);
            }
            if ferry {
                let _ = writeln!(s, "[[ferry]]\nid = \"sea\"\nfrom = \"n{}\"\nto = \"n{}\"\nvessels = 2\ncapacity_teu = 400\nload_h = 4\nsail_h = 12\nmax_wait_h = 24\nport_yard_capacity_teu = 2000\nweather = {{ storm_days_per_year = 20, mean_storm_h = 24 }}", n - 2, n - 1);
            }
            for (i, &(servers, service, inspect, daytime, yard, reform)) in
                crossings.iter().enumerate().take(last_land).skip(1)
            {
                let _ = writeln!(s, "[[crossing]]\nid = \"x{i}\"\nnode = \"n{i}\"\nmode = \"rail\"");
                if daytime {
                    let _ = writeln!(s, "open = \"06:00-22:00\"");
                }
                if yard {
                    let _ = writeln!(s, "yard_capacity_teu = 400");
                }
                let _ = writeln!(s, "[[crossing.stage]]\nname = \"control\"\nservers = {servers}\nservice_h = {{ dist = \"exp\", mean = {service} }}\ninspect_prob = {inspect}\ninspect_h = {{ dist = \"uniform\", min = 1.0, max = 5.0 }}");
                let _ = writeln!(s, "[crossing.gauge_change]\nmethod = \"transshipment\"\ncranes = 4\nteu_per_crane_h = 20\ncranes_per_train = 2");
                if let Some((train_teu, max_form_h)) = reform {
                    let _ = writeln!(s, "train_teu = {train_teu}\nmax_form_h = {max_form_h}");
                }
                let _ = writeln!(s, "[[crossing]]\nid = \"y{i}\"\nnode = \"n{i}\"\nmode = \"road\"\npriority = \"transit\"\n[[crossing.stage]]\nname = \"control\"\nservers = {}\nservice_h = {{ dist = \"gamma\", mean = 0.4, sd = 0.2 }}", servers + 2);
            }
            if let Some((wagons, locos, limit, turnaround)) = fleets {
                // A fleet for each gauge on land (1435 on r0, from n0; 1520 on r1, from n1):
                // small enough to bind often, with a random train length limit and
                // turnaround.
                let max = match limit {
                    0 => String::new(),
                    k => format!("max_wagons_per_train = {}", 40 + 10 * k),
                };
                for (g, (gauge, home)) in [(1435, 0), (1520, 1)].into_iter().enumerate() {
                    if g < last_land {
                        let _ = writeln!(s, "[[fleet]]\nid = \"stock{gauge}\"\ngauge_mm = {gauge}\nwagons = {}\nlocomotives = {locos}\nhome = \"n{home}\"\nturnaround_h = {turnaround}\n{max}", wagons.max(40));
                    }
                }
            }
            for (k, (a, b, teu, road)) in flows.iter().enumerate() {
                let a = a % n;
                let b = (a + 1 + b % (n - 1)) % n;
                let (mode, unit) = if *road { ("road", 2.0) } else { ("rail", 80.0) };
                let _ = writeln!(s, "[[flow]]\nid = \"f{k}\"\nfrom = \"n{a}\"\nto = \"n{b}\"\nmode = \"{mode}\"\nteu_per_year = {}\nunit_teu = {unit}\ntransit = {}\nroute_choice = \"{}\"", teu * unit, k % 2 == 0, if k % 3 == 0 { "adaptive" } else { "fastest" });
            }
            s
        })
}

/// A TOML value of any type, often out of range or of the wrong type for its key.
fn any_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-5i64..100).prop_map(|i| i.to_string()),
        prop::num::f64::ANY.prop_map(|x| {
            if x.is_nan() {
                "nan".to_string()
            } else if x.is_infinite() {
                if x > 0.0 { "inf" } else { "-inf" }.to_string()
            } else {
                format!("{x:?}")
            }
        }),
        prop::sample::select(vec![
            "\"a\"",
            "\"b\"",
            "\"n0\"",
            "\"rail\"",
            "\"road\"",
            "\"terminal\"",
            "\"crossing\"",
            "\"port\"",
            "\"transshipment\"",
            "\"when_full\"",
            "\"auto\"",
            "\"08:00-20:00\"",
            "\"25:00-01:00\"",
            "\"\"",
            "true",
            "[]",
            "[\"a\", \"b\"]",
            "[\"sun\", \"xyz\"]",
            "{ dist = \"exp\", mean = 1.0 }",
            "{ dist = \"tri\", min = 3.0, mode = 2.0, max = 1.0 }",
            "{ dist = \"empirical\", values = [] }",
            "{ dist = \"gamma\", mean = 1.0, sd = -1 }",
            "{ storm_days_per_year = 400, mean_storm_h = 1 }",
            "1e308",
            "-0.0",
        ])
        .prop_map(String::from),
    ]
}

/// The tables of the scenario format, and one that is not (`[[nodes]]`).
const TABLES: &[&str] = &[
    "[scenario]",
    "[[node]]",
    "[[rail]]",
    "[[road]]",
    "[[crossing]]",
    "[[crossing.stage]]",
    "[crossing.gauge_change]",
    "[[ferry]]",
    "[[disruption]]",
    "[[flow]]",
    "[[fleet]]",
    "[[nodes]]",
];

/// The keys of the scenario format, and one misspelt (`lenght_km`).
const KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "from",
    "to",
    "node",
    "mode",
    "length_km",
    "speed_kmh",
    "tracks",
    "headway_min",
    "gauge_mm",
    "loop_spacing_km",
    "capacity_trucks_per_h",
    "servers",
    "service_h",
    "inspect_prob",
    "inspect_h",
    "open",
    "closed_weekdays",
    "yard_capacity_teu",
    "priority",
    "method",
    "cranes",
    "teu_per_crane_h",
    "vessels",
    "capacity_teu",
    "load_h",
    "sail_h",
    "depart",
    "max_wait_h",
    "every_h",
    "weather",
    "port_yard_capacity_teu",
    "target",
    "start_day",
    "end_day",
    "rate_per_year",
    "duration_h",
    "teu_per_year",
    "unit_teu",
    "arrivals",
    "growth_per_year",
    "cargo",
    "transit",
    "route",
    "route_choice",
    "k_paths",
    "wagons",
    "locomotives",
    "home",
    "teu_per_wagon",
    "max_wagons_per_train",
    "turnaround_h",
    "max_form_h",
    "container_teu",
    "other_tracks",
    "other_train_h",
    "train_teu",
    "horizon_days",
    "warmup_days",
    "seed",
    "replications",
    "start_year",
    "extends",
    "remove",
    "lenght_km",
];

/// A document of the scenario format's tables and keys (and a few that are not), with
/// random values: it parses as TOML far more often than random text, so the checks behind
/// the parser get exercised.
fn made_up_document() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(TABLES),
            prop::collection::vec((prop::sample::select(KEYS), any_value()), 0..8),
        ),
        0..12,
    )
    .prop_map(|sections| {
        let mut s = String::new();
        for (table, keys) in sections {
            let _ = writeln!(s, "{table}");
            for (key, value) in keys {
                let _ = writeln!(s, "{key} = {value}");
            }
        }
        s
    })
}

/// Every diagnostic names the file and says what is wrong; all but a missing-table
/// complaint point at a line.
fn assert_located(text: &str) -> Result<(), TestCaseError> {
    if let Err(d) = load_str(Path::new("fuzzed.toml"), text) {
        prop_assert!(!d.0.is_empty());
        for diag in &d.0 {
            prop_assert_eq!(diag.file.as_path(), Path::new("fuzzed.toml"));
            prop_assert!(!diag.message.is_empty());
            prop_assert!(diag.line.is_some(), "unlocated: {}", diag.message);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn the_loader_refuses_made_up_documents_with_located_errors(text in made_up_document()) {
        assert_located(&text)?;
    }

    #[test]
    fn the_loader_never_panics_on_a_damaged_scenario(
        pick in 0usize..4,
        edits in prop::collection::vec((0usize..100_000, 0u8..4, prop::char::any()), 1..8),
    ) {
        let files = [
            include_str!("../../scenarios/border_post.toml"),
            include_str!("../../scenarios/caspian_ferry.toml"),
            include_str!("../../scenarios/tandem_crossings.toml"),
            include_str!("../../scenarios/kazakhstan_2025.toml"),
        ];
        let mut text: Vec<char> = files[pick].chars().collect();
        for (at, op, c) in edits {
            let i = at % (text.len() + 1);
            match op {
                0 => text.insert(i, c),
                1 if i < text.len() => { text.remove(i); }
                2 if i < text.len() => text[i] = c,
                _ => text.truncate(i),
            }
        }
        let text: String = text.into_iter().collect();
        // Ok or a located error; a panic fails the test.
        assert_located(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn stages_served_in_order_measure_what_queues_served_event_by_event_do(text in scenario()) {
        // Without route choice reading the lines and without priority, the crossings of a
        // generated network that are always open, never closed and have no yard are served
        // in order, some fed by their segments; the replication must not change, and must
        // be that of a run without any shortcut (as a trace runs).
        let text = text
            .replace("route_choice = \"adaptive\"", "route_choice = \"fastest\"")
            .replace("priority = \"transit\"\n", "");
        let model = load_str(Path::new("generated.toml"), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let warmup = model.settings.warmup.fixed().expect("generated scenarios give their warm-up");
        let seed = model.settings.seed;
        let (ahead, _) = run_to_horizon(&model.model, warmup, seed, 0);
        let (by_event, _) = run_to_horizon_event_by_event(&model.model, warmup, seed, 0);
        ahead.check_invariants().map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        // Compared as printed: a figure with nothing to measure is NaN on both sides.
        let (ahead, by_event) = (ahead.finish(0, 0), by_event.finish(0, 0));
        prop_assert_eq!(format!("{ahead:?}"), format!("{by_event:?}"), "{}", text);
    }

    #[test]
    fn every_vehicle_is_accounted_for_and_no_resource_exceeds_its_capacity(text in scenario()) {
        // Every generated network is valid, and must run to the end with every invariant
        // holding.
        let model = load_str(Path::new("generated.toml"), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let warmup = model.settings.warmup.fixed().expect("generated scenarios give their warm-up");
        let (sim, _) = run_to_horizon(&model.model, warmup, model.settings.seed, 0);
        sim.check_invariants().map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let obs = sim.finish(0, 0);
        for f in &obs.flows {
            prop_assert!(f.backlog_teu >= 0.0 && f.delivered_teu_per_year >= 0.0);
            prop_assert!(f.transit_mean_h.is_nan() || f.transit_mean_h >= 0.0);
        }
        for c in &obs.crossings {
            prop_assert!(c.utilization >= 0.0 && c.utilization <= 1.0 + 1e-9, "utilisation {}", c.utilization);
            prop_assert!(c.wait_mean_h.is_nan() || c.wait_mean_h >= 0.0);
        }
        for c in &obs.crossings {
            prop_assert!(c.wait_p95_h.is_nan() || c.wait_p95_h >= 0.0);
            // No container waits longer than the longest max_form_h generated.
            let f = c.formation_wait_h;
            prop_assert!(f.is_nan() || (0.0..=48.0 + 1e-9).contains(&f), "formation wait {f}");
        }
        for l in &obs.links {
            prop_assert!(l.utilization >= 0.0 && l.utilization <= 1.0 + 1e-9, "utilisation {}", l.utilization);
            prop_assert!(l.wait_mean_h.is_nan() || l.wait_mean_h >= 0.0);
            prop_assert!(l.wait_p95_h.is_nan() || l.wait_p95_h >= 0.0);
        }
        for f in &obs.ferries {
            prop_assert!(f.wait_mean_h.is_nan() || f.wait_mean_h >= 0.0);
            prop_assert!(f.fill >= 0.0 && f.fill <= 1.0 + 1e-9, "fill {}", f.fill);
        }
        for f in &obs.fleets {
            let wagons = f.wagons_loaded + f.wagons_empty + f.wagons_idle;
            let locos = f.locos_loaded + f.locos_empty + f.locos_idle;
            prop_assert!((wagons - 1.0).abs() < 1e-9 && (locos - 1.0).abs() < 1e-9, "{f:?}");
            prop_assert!(f.wait_mean_h.is_nan() || f.wait_mean_h >= 0.0);
        }
    }
}
