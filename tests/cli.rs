//! The command line as a user meets it: validation of every shipped scenario, the exact
//! error for each malformed scenario in tests/bad, output formats, files and determinism.

mod common;
use common::{
    as_prose, by_id, command, corridor, corridor_ok, csv_records, relative, root, run_json,
    scratch_dir, toml_files, too_wide,
};
use serde_json::Value;

#[test]
fn every_shipped_scenario_validates() {
    let files = toml_files(&root().join("scenarios"));
    assert!(files.len() >= 6, "scenarios found: {files:?}");
    for f in files {
        let out = corridor_ok(&["validate", &relative(&f)]);
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok"));
    }
}

#[test]
fn each_bad_scenario_gives_its_exact_error() {
    let files = toml_files(&root().join("tests/bad"));
    assert!(files.len() >= 15, "bad scenarios found: {}", files.len());
    for f in files {
        let rel = relative(&f);
        let expected = std::fs::read_to_string(f.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{rel} has a .expected file beside it"));
        for command in ["validate", "run"] {
            let out = corridor(&[command, &rel]);
            assert_eq!(out.status.code(), Some(2), "{command} {rel} exits with 2");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let errors = expected
                .rsplit_once("\n\n")
                .map_or(expected.as_str(), |(e, _)| e);
            if command == "validate" {
                assert_eq!(stderr, expected, "stderr of validate {rel}");
            } else {
                assert!(stderr.starts_with(errors), "stderr of run {rel}:\n{stderr}");
            }
            assert!(out.stdout.is_empty(), "nothing on stdout for {rel}");
        }
    }
}

#[test]
fn quiet_without_out_or_html_says_before_running_that_the_results_go_nowhere() {
    let note =
        "note: --quiet without --out or --html: the results will be neither printed nor written";
    let base = [
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "2",
        "--quiet",
    ];
    let out = corridor_ok(&base);
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains(note));
    let dir = scratch_dir("quiet-out");
    let with_out = corridor_ok(&[&base[..], &["--out", dir.to_str().unwrap()]].concat());
    assert!(!String::from_utf8_lossy(&with_out.stderr).contains("note:"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_stringline_window_is_refused_with_the_days_given_and_the_horizon() {
    // The Kazakh scenario's horizon is day 395.
    let dir = scratch_dir("stringline-window");
    let file = dir.join("s.html");
    for (window, says) in [
        (
            ["500", "600"],
            "--from-day 500 is not before the horizon, day 395",
        ),
        (["60", "50"], "--to-day 50 is not after --from-day 60"),
    ] {
        let out = corridor(&[
            "stringline",
            "scenarios/kazakhstan_2025.toml",
            "--route",
            "dostyk,aktogay",
            "--from-day",
            window[0],
            "--to-day",
            window[1],
            "--html",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{window:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
    assert!(!file.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn validate_counts_each_kind_of_element_one_in_the_singular() {
    for (file, line) in [
        (
            "scenarios/border_post.toml",
            "ok: scenarios/border_post.toml (3 nodes, 2 segments, 1 crossing, 1 flow)\n",
        ),
        (
            "scenarios/caspian_ferry.toml",
            "ok: scenarios/caspian_ferry.toml (4 nodes, 2 segments, 0 crossings, 1 ferry line, 1 flow)\n",
        ),
    ] {
        let out = corridor_ok(&["validate", file]);
        assert_eq!(String::from_utf8_lossy(&out.stdout), line);
    }
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let out = corridor(&["validate", "scenarios/no_such_file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read scenario file scenarios/no_such_file.toml"),
        "{err}"
    );
}

#[test]
fn json_is_identical_on_one_and_two_threads() {
    let args = |t: &'static str| ["--replications", "6", "--threads", t, "--seed", "42"];
    let a = corridor_ok(
        &[
            &["run", "scenarios/kazakhstan_2025.toml", "--format", "json"][..],
            &args("1"),
        ]
        .concat(),
    );
    let b = corridor_ok(
        &[
            &["run", "scenarios/kazakhstan_2025.toml", "--format", "json"][..],
            &args("2"),
        ]
        .concat(),
    );
    assert_eq!(a.stdout, b.stdout, "bit-identical JSON on 1 and 2 threads");
}

#[test]
fn a_different_seed_gives_different_results() {
    let a = run_json(
        "scenarios/border_post.toml",
        &["--replications", "3", "--seed", "1"],
    );
    let b = run_json(
        "scenarios/border_post.toml",
        &["--replications", "3", "--seed", "2"],
    );
    assert_ne!(a["network"], b["network"]);
    assert_eq!(a["seed"], 1);
}

/// Checks the results contract of design.md: schema, top-level keys, every STAT.
fn check_contract(v: &Value) {
    assert_eq!(v["schema"], "corridor.results/1");
    for k in [
        "scenario",
        "seed",
        "replications",
        "horizon_h",
        "warmup_h",
        "network",
    ] {
        assert!(v.get(k).is_some(), "top level lacks {k}");
    }
    let check_stat = |s: &Value, at: &str| {
        let g = |k: &str| {
            s[k].as_f64()
                .unwrap_or_else(|| panic!("{at}.{k} is a number"))
        };
        assert!(
            g("min") <= g("mean") && g("mean") <= g("max"),
            "{at}: mean in [min, max]"
        );
        assert!(
            g("ci95_lo") <= g("mean") && g("mean") <= g("ci95_hi"),
            "{at}: mean in CI"
        );
        assert!(g("sd") >= 0.0, "{at}: sd >= 0");
    };
    check_stat(&v["network"]["delivered_teu_per_year"], "network.delivered");
    check_stat(&v["network"]["transit_h"]["mean"], "network.transit_h.mean");
    check_stat(&v["network"]["transit_h"]["p95"], "network.transit_h.p95");
    let sections: [(&str, &[&str]); 4] = [
        (
            "flows",
            &[
                "delivered_teu_per_year",
                "backlog_teu",
                "transit_h.mean",
                "transit_h.p50",
                "transit_h.p95",
            ],
        ),
        (
            "crossings",
            &[
                "processed",
                "utilization",
                "queue_len",
                "wait_h.mean",
                "wait_h.p95",
            ],
        ),
        (
            "links",
            &["trains", "teu", "utilization", "wait_h.mean", "wait_h.p95"],
        ),
        (
            "ferries",
            &[
                "teu",
                "voyages",
                "fill",
                "wait_h.mean",
                "wait_h.p95",
                "yard_teu",
            ],
        ),
    ];
    for (section, metrics) in sections {
        let items = v[section]
            .as_array()
            .unwrap_or_else(|| panic!("{section} is a list"));
        for it in items {
            let id = it["id"].as_str().expect("every item has a string id");
            for m in metrics {
                let mut node = it;
                for p in m.split('.') {
                    node = &node[p];
                }
                check_stat(node, &format!("{section}[{id}].{m}"));
            }
        }
    }
}

#[test]
fn every_shipped_scenario_runs_and_follows_the_results_contract() {
    for f in toml_files(&root().join("scenarios")) {
        let rel = relative(&f);
        let v = run_json(&rel, &["--replications", "3"]);
        check_contract(&v);
    }
}

#[test]
fn out_dir_gets_json_csv_and_table_and_quiet_prints_nothing() {
    let dir = scratch_dir("out");
    let d = dir.to_string_lossy().into_owned();
    let out = corridor_ok(&[
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "2",
        "--out",
        &d,
        "--quiet",
    ]);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
    check_contract(&json);
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert!(csv.starts_with("section,id,metric,mean,sd,ci95_lo,ci95_hi,min,max\n"));
    assert!(csv.contains("\ncrossings,post,wait_h.mean,"));
    let table = std::fs::read_to_string(dir.join("results.txt")).unwrap();
    assert!(table.contains("Crossings") && table.contains("post"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn csv_has_one_row_per_element_and_metric() {
    let out = corridor_ok(&[
        "run",
        "scenarios/tandem_crossings.toml",
        "--replications",
        "2",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    // network 6 (3 per vehicle, 3 per TEU) + 1 flow x (8 + 1 route share) + 2 crossings
    // x 8 + 3 segments x 5, plus the header.
    assert_eq!(rows.len(), 1 + 6 + 9 + 16 + 15, "{text}");
    assert!(text.contains("\ncrossings,exit,formation_wait_h,0,0,0,0,0,0\n"));
    assert!(text.contains("\nflows,trucks,stock_wait_h,0,0,0,0,0,0\n"));
    assert!(text.contains("\nflows,trucks,formation_wait_h,0,0,0,0,0,0\n"));
    assert!(text.contains("\nflows,trucks,train_fill,1,0,1,1,1,1\n"));
    assert!(text
        .contains("\nflows,trucks,route_share:city_a>exit_post>entry_post>city_b,1,0,1,1,1,1\n"));
    assert!(rows.iter().skip(1).all(|r| r.split(',').count() == 9));
}

#[test]
fn csv_quotes_metrics_that_carry_an_id_with_a_comma_so_that_every_row_keeps_its_columns() {
    // A node id with a comma, which the route share's metric carries.
    let dir = scratch_dir("csv-comma");
    let file = dir.join("comma.toml");
    let text = std::fs::read_to_string(root().join("scenarios/border_post.toml")).unwrap();
    std::fs::write(&file, text.replace("\"warehouse\"", "\"ware,house\"")).unwrap();
    let f = file.to_str().unwrap();
    let share = "route_share:ware,house>post>depot";
    let csv = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--replications", "2", "--format", "csv"]);
        String::from_utf8(corridor_ok(&all).stdout).unwrap()
    };
    // (command, columns, the metric's column)
    for (args, columns, metric) in [
        (vec!["run", f], 9, 2),
        (vec!["sweep", f, "--demand", "1,1.1"], 9, 4),
        (vec!["compare", f, f], 17, 3),
    ] {
        let text = csv(&args);
        let rows = csv_records(&text);
        assert!(rows.iter().all(|r| r.len() == columns), "{args:?}:\n{text}");
        assert!(rows.iter().any(|r| r[metric] == share), "{args:?}:\n{text}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn csv_numbers_carry_no_rounding_noise() {
    // Means and sums such as 837533.0000000001 are written to 12 significant digits.
    let out = corridor_ok(&[
        "run",
        "scenarios/eurasia_2025.toml",
        "--replications",
        "2",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    for row in text.lines().skip(1) {
        for field in row.split(',').skip(3) {
            let mantissa = field.split(['e', 'E']).next().unwrap_or("");
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            let significant = digits.trim_start_matches('0').trim_end_matches('0');
            assert!(significant.len() <= 12, "{field} in {row}");
        }
    }
}

#[test]
fn trace_streams_the_events_of_one_replication_as_csv() {
    let out = corridor_ok(&[
        "trace",
        "scenarios/examples/transshipment.toml",
        "--replication",
        "2",
        "--from-h",
        "1000",
        "--to-h",
        "1100",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("time_h,vehicle,flow,event,element,detail")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 50, "{} events in 100 h", rows.len());
    for r in &rows {
        assert_eq!(r.len(), 6, "{r:?}");
        let t: f64 = r[0].parse().unwrap();
        assert!((1000.0..=1100.0).contains(&t), "{t}");
    }
    let events: Vec<&str> = rows.iter().map(|r| r[3]).collect();
    for e in ["arrival", "segment_exit", "stage_end"] {
        assert!(events.contains(&e), "no {e}");
    }
    assert!(rows
        .iter()
        .any(|r| r[3] == "stage_end" && r[5] == "gauge change"));
    assert!(rows.iter().any(|r| r[2] == "empty:broad-gauge"));
}

#[test]
fn trace_shows_each_segment_a_train_leaves_double_tracks_in_a_row_included() {
    // Kazakhstan 2025: Dostyk-Aktogay and Aktogay-Moyynty are double tracks in a row,
    // which a run passes in one stroke; the trace still shows each exit, in order.
    let out = corridor_ok(&[
        "trace",
        "scenarios/kazakhstan_2025.toml",
        "--from-h",
        "720",
        "--to-h",
        "1000",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let exits_of = |vehicle: &str| -> Vec<&str> {
        (rows.iter())
            .filter(|r| r[1] == vehicle && r[3] == "segment_exit")
            .map(|r| r[4])
            .collect()
    };
    let gauge_changed: Vec<&str> = (rows.iter())
        .filter(|r| r[4] == "dostyk-rail" && r[5] == "gauge change" && r[2] == "north-transit")
        .map(|r| r[1])
        .collect();
    assert!(gauge_changed.len() > 10, "{} trains", gauge_changed.len());
    // Those that left the crossing early enough to reach Moyynty within the window.
    let mut through = 0;
    for v in &gauge_changed {
        let exits = exits_of(v);
        if exits.contains(&"aktogay-moyynty") {
            let at = |id| exits.iter().position(|&e| e == id);
            assert!(
                at("dostyk-aktogay") < at("aktogay-moyynty") && at("dostyk-aktogay").is_some(),
                "train {v} left {exits:?}"
            );
            through += 1;
        }
    }
    assert!(through > 10, "{through} trains reached Moyynty");
}

#[test]
fn trace_refuses_a_window_that_ends_before_it_starts() {
    let out = corridor(&[
        "trace",
        "scenarios/border_post.toml",
        "--from-h",
        "50",
        "--to-h",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--to-h 10 is before --from-h 50"), "{err}");
    let out = corridor(&["trace", "scenarios/border_post.toml", "--to-h", "-3"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_command_line_values_are_refused() {
    for args in [
        &["run", "scenarios/border_post.toml", "--replications", "0"][..],
        &["run", "scenarios/border_post.toml", "--threads", "0"],
        &["run", "scenarios/border_post.toml", "--format", "xml"],
    ] {
        let out = corridor(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn the_design_example_scenario_validates_and_runs() {
    let path = "scenarios/examples/two_gauges.toml";
    corridor_ok(&["validate", path]);
    let v = run_json(path, &["--replications", "2"]);
    check_contract(&v);
}

#[test]
fn a_crossing_served_both_ways_passes_every_train_of_each_direction() {
    // scenarios/examples/two_gauges.toml: container trains both ways and bulk trains
    // westbound, each through the stages of its own side, all through the same cranes.
    let v = run_json(
        "scenarios/examples/two_gauges.toml",
        &["--replications", "3"],
    );
    let window_years =
        (v["horizon_h"].as_f64().unwrap() - v["warmup_h"].as_f64().unwrap()) / 8760.0;
    let flow = |id: &str| {
        by_id(&v, "flows", id)["delivered_teu_per_year"]["mean"]
            .as_f64()
            .unwrap()
    };
    let east = flow("containers-eastbound");
    assert!((east - 24_000.0).abs() < 0.1 * 24_000.0, "eastbound {east}");
    let trains = (flow("containers-by-rail") + east) / 100.0 + flow("bulk-by-rail");
    let rail = by_id(&v, "crossings", "border-rail");
    let processed = rail["processed"]["mean"].as_f64().unwrap();
    let expected = trains * window_years;
    assert!(
        (processed - expected).abs() < 0.01 * expected,
        "processed {processed}, trains delivered {expected}"
    );
}

#[test]
fn trains_formed_at_a_terminal_leave_full_or_short_at_the_deadline() {
    // scenarios/examples/formation.toml: 31 containers an hour fill a train of 86 TEU in
    // under 1.4 h; 0.57 TEU an hour leave on short trains when the first has waited 72 h.
    let v = run_json(
        "scenarios/examples/formation.toml",
        &["--replications", "4"],
    );
    let flow = |id: &str| by_id(&v, "flows", id).clone();
    let mean = |f: &serde_json::Value, key: &str| f[key]["mean"].as_f64().unwrap();
    let (thick, thin) = (flow("thick"), flow("thin"));
    assert!((mean(&thick, "train_fill") - 1.0).abs() < 1e-9);
    assert!(mean(&thick, "formation_wait_h") < 1.4 / 2.0 + 0.1);
    // A thin train takes what arrives in the 72 h after its first TEU: 1 + 72 h x 5000 /
    // 8760 TEU, on average about 42 of 86 TEU.
    let fill = mean(&thin, "train_fill");
    assert!((fill - 42.1 / 86.0).abs() < 0.03, "fill {fill}");
    let wait = mean(&thin, "formation_wait_h");
    assert!((wait - 72.0 / 2.0).abs() < 3.0, "wait {wait}");
    for f in [&thick, &thin] {
        let delivered = f["delivered_teu_per_year"]["mean"].as_f64().unwrap();
        let demand = if f["id"] == "thick" {
            547_500.0
        } else {
            5_000.0
        };
        assert!((delivered - demand).abs() < 0.03 * demand, "{}", f["id"]);
    }
}

#[test]
fn trains_are_formed_anew_after_a_transshipment_on_each_side() {
    // scenarios/examples/transshipment.toml: eight trains of 110 TEU a day go west and two
    // of 86 TEU east; after the cranes, westbound containers leave in trains of 86 and
    // eastbound ones in trains of 110. The standard-gauge line then carries 8 + 2 x 86 /
    // 110 trains a day, not 10.
    let v = run_json(
        "scenarios/examples/transshipment.toml",
        &["--replications", "4"],
    );
    let mean = |x: &serde_json::Value, key: &str| x[key]["mean"].as_f64().unwrap();
    let window_days = 365.0 - 30.0;
    let cn_trains = mean(by_id(&v, "links", "cn-line"), "trains");
    let expected = (8.0 + 2.0 * 86.0 / 110.0) * window_days;
    assert!(
        (cn_trains - expected).abs() < 0.03 * expected,
        "{cn_trains} trains on cn-line, {expected} expected"
    );
    let (west, east) = (
        by_id(&v, "flows", "westbound"),
        by_id(&v, "flows", "eastbound"),
    );
    for (f, demand) in [(west, 321_200.0), (east, 62_780.0)] {
        let delivered = mean(f, "delivered_teu_per_year");
        assert!((delivered - demand).abs() < 0.03 * demand, "{}", f["id"]);
    }
    // Splitting a westbound train leaves a remainder for the next; gathering two or more
    // eastbound trains into one waits longer, and never more than the 24 h deadline.
    let (w, e) = (
        mean(west, "formation_wait_h"),
        mean(east, "formation_wait_h"),
    );
    assert!(0.0 < w && w < e && e < 24.0, "west {w} h, east {e} h");
    let at_border = mean(by_id(&v, "crossings", "border-rail"), "formation_wait_h");
    assert!(
        w < at_border && at_border < e,
        "{at_border} h at the border"
    );
}

#[test]
fn a_fleet_too_small_is_named_first_among_the_bottlenecks() {
    // scenarios/examples/two_gauges.toml with one broad-gauge train's stock: the trains
    // waiting for it delay more than anything else, and the fleet is in use all the time
    // but its turnarounds (2 h at each end of a cycle of about 34 h). Trains waiting for
    // stock at the border leave its yard, so the eastbound trains that bring the stock are
    // never shut out by a yard full of westbound trains waiting for it.
    let path = "scenarios/examples/two_gauges.toml";
    let small = [
        "--replications",
        "3",
        "--set",
        "fleet.broad-gauge.wagons=60",
        "--set",
        "fleet.broad-gauge.locomotives=1",
        "--set",
        "fleet.broad-gauge.home=\"border\"",
    ];
    let v = run_json(path, &small);
    let b = &v["bottlenecks"][0];
    assert_eq!(
        (b["kind"].as_str(), b["id"].as_str()),
        (Some("fleet"), Some("broad-gauge"))
    );
    let fleets = v["fleets"].as_array().unwrap();
    assert_eq!(fleets.len(), 2);
    for f in fleets {
        let share = |group: &str, k: &str| f[group][k]["mean"].as_f64().unwrap();
        for group in ["wagon_use", "locomotive_use"] {
            let total = share(group, "loaded") + share(group, "empty") + share(group, "idle");
            assert!(
                (total - 1.0).abs() < 1e-9,
                "{}: {group} adds to {total}",
                f["id"]
            );
        }
    }
    let broad = &fleets[1];
    assert!(broad["utilization"]["mean"].as_f64().unwrap() > 0.85);
    assert!(broad["empty_train_km"]["mean"].as_f64().unwrap() > 0.0);
    // With the scenario's own fleet, trains seldom wait for broad-gauge stock.
    let v = run_json(path, &["--replications", "3"]);
    let wait = v["fleets"][1]["wait_h"]["mean"]["mean"].as_f64().unwrap();
    assert!(wait < 1.0, "{wait}");
}

#[test]
fn bottlenecks_rank_the_post_causing_most_delay_first() {
    // scenarios/tandem_crossings.toml: the exit post (89 % busy, 0.80 h mean wait) delays
    // trucks about three times as much as the entry post (80 %, 0.28 h); roads delay none.
    let v = run_json("scenarios/tandem_crossings.toml", &["--replications", "4"]);
    let b = v["bottlenecks"].as_array().unwrap();
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!(b[0]["id"], "exit");
    assert_eq!(b[1]["id"], "entry");
    let share = |i: usize| b[i]["delay_share"]["mean"].as_f64().unwrap();
    assert!((share(0) + share(1) - 1.0).abs() < 1e-9);
    assert!((share(0) - 0.74).abs() < 0.03, "exit share {}", share(0));
}

#[test]
fn precision_stops_at_the_replications_needed_and_matches_a_plain_run_of_as_many() {
    let v = run_json(
        "scenarios/border_post.toml",
        &["--precision", "0.001", "--replications", "100"],
    );
    let p = &v["precision"];
    let used = p["replications_used"].as_u64().unwrap();
    assert!(p["reached"].as_f64().unwrap() <= 0.001, "{p}");
    assert!(used > 10 && used < 100, "{used} replications");
    assert_eq!(v["replications"].as_u64(), Some(used));
    let plain = run_json(
        "scenarios/border_post.toml",
        &["--replications", &used.to_string()],
    );
    let mut v = v;
    v.as_object_mut().unwrap().remove("precision");
    assert_eq!(v, plain, "the same replications give the same results");
    // A precision that cannot be reached stops at --replications and says so.
    let v = run_json(
        "scenarios/border_post.toml",
        &["--precision", "0.00001", "--replications", "12"],
    );
    assert_eq!(v["precision"]["replications_used"], 12);
    assert!(v["precision"]["reached"].as_f64().unwrap() > 0.00001);
    let short = ["--precision", "0.00001", "--replications", "12"];
    let table = corridor_ok(&[&["run", "scenarios/border_post.toml"][..], &short].concat());
    let table = as_prose(&String::from_utf8_lossy(&table.stdout));
    let line = &table[table.find("precision:").unwrap()..];
    assert!(
        line.contains(
            "with 12 replications: NOT REACHED, the most --replications allowed; raise --replications for more"
        ),
        "{line}"
    );
    let enough = ["--precision", "0.05", "--replications", "12"];
    let table = corridor_ok(&[&["run", "scenarios/border_post.toml"][..], &enough].concat());
    assert!(!String::from_utf8_lossy(&table.stdout).contains("NOT REACHED"));
}

#[test]
fn an_automatic_warmup_covers_the_filling_of_the_network() {
    // tests/warmup/long_line.toml: trains take 20 days; the network fills for 20 days.
    let v = run_json("tests/warmup/long_line.toml", &[]);
    let days = v["warmup_auto"]["days"].as_f64().unwrap();
    assert_eq!(v["warmup_auto"]["method"], "MSER-5");
    assert!((20.0..=100.0).contains(&days), "warm-up {days} days");
    assert_eq!(v["warmup_h"].as_f64().unwrap(), days * 24.0);
    // Measured after the warm-up, deliveries run at the full rate: 350,400 TEU a year.
    let (delivered, lo, hi) = common::stat(&v, &["flows", "0", "delivered_teu_per_year"]);
    assert!(
        lo <= 350_400.0 && 350_400.0 <= hi,
        "{delivered} [{lo}, {hi}]"
    );
}

/// Starts a long run with `--out DIR`, sends `signals` SIGINTs after a second, and returns
/// the exit code and the directory.
fn interrupted_run(signals: usize, tag: &str) -> (Option<i32>, std::path::PathBuf) {
    signalled_run("-INT", signals, tag)
}

/// Starts a long run with `--out DIR`, sends `count` signals `signal` (such as `-TERM`)
/// after a second, and returns the exit code and the directory.
fn signalled_run(signal: &str, count: usize, tag: &str) -> (Option<i32>, std::path::PathBuf) {
    let dir = scratch_dir(&format!("int-{tag}"));
    std::fs::remove_dir(&dir).expect("the fresh directory is empty");
    let mut child = command(&[
        "run",
        "scenarios/eurasia_2025.toml",
        "--replications",
        "1000",
        "--threads",
        "1",
        "--quiet",
        "--out",
    ])
    .arg(&dir)
    .spawn()
    .expect("corridor starts");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    for _ in 0..count {
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill runs");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = child.wait().expect("corridor ends");
    (status.code(), dir)
}

#[test]
fn ctrl_c_writes_the_replications_finished_marked_as_partial() {
    let (code, dir) = interrupted_run(1, "once");
    assert_eq!(code, Some(130));
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(v["partial"], true);
    let n = v["replications"].as_u64().unwrap();
    assert!((1..1000).contains(&n), "{n} replications");
    check_contract(&v);
    // Exactly what a plain run of as many replications gives.
    let mut plain = run_json(
        "scenarios/eurasia_2025.toml",
        &["--replications", &n.to_string()],
    );
    let mut v = v;
    v.as_object_mut().unwrap().remove("partial");
    plain.as_object_mut().unwrap().remove("partial");
    assert_eq!(v, plain);
    let table = std::fs::read_to_string(dir.join("results.txt")).unwrap();
    assert!(table.contains("PARTIAL"), "{table}");
    assert!(
        table.contains(&format!("summarise the {n} replications finished")),
        "{table}"
    );
    // The CSV says so too, before its figures.
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    let head: Vec<&str> = csv.lines().take(3).collect();
    assert_eq!(head[1], "run,run,partial,1,,,,,");
    assert_eq!(head[2], format!("run,run,replications,{n},,,,,"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_sigterm_or_a_sighup_interrupts_as_ctrl_c_does() {
    for signal in ["-TERM", "-HUP"] {
        let (code, dir) = signalled_run(signal, 1, &signal[1..]);
        assert_eq!(code, Some(130), "{signal}");
        let v: Value =
            serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
        assert_eq!(v["partial"], true, "{signal}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn a_second_ctrl_c_leaves_at_once_and_no_file_is_half_written() {
    let (code, dir) = interrupted_run(2, "twice");
    assert_eq!(code, Some(130));
    // Either nothing was written yet, or whole files: never a temporary one or a torn JSON.
    if dir.exists() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.contains(".tmp"), "a temporary file was left: {name}");
        }
        if let Ok(bytes) = std::fs::read(dir.join("results.json")) {
            serde_json::from_slice::<Value>(&bytes).expect("results.json is whole");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ctrl_c_stops_a_long_search_for_routes_while_loading() {
    // A 100 x 100 grid of roads with 1,000 adaptive flows across it: several seconds of
    // route finding before anything runs.
    let dir = scratch_dir("int-load");
    let mut s = String::from("[scenario]\nname = \"grid\"\nhorizon_days = 10\n");
    let n = 100;
    for y in 0..n {
        for x in 0..n {
            s += &format!("[[node]]\nid = \"n{x}_{y}\"\nkind = \"terminal\"\n");
        }
    }
    let mut k = 0;
    for y in 0..n {
        for x in 0..n {
            for (dx, dy) in [(1, 0), (0, 1)] {
                if x + dx < n && y + dy < n {
                    let km = 10 + (x * 7 + y * 13) % 5;
                    s += &format!(
                        "[[road]]\nid = \"r{k}\"\nfrom = \"n{x}_{y}\"\nto = \"n{}_{}\"\nlength_km = {km}\nspeed_kmh = 50\n",
                        x + dx,
                        y + dy
                    );
                    k += 1;
                }
            }
        }
    }
    for i in 0..1000 {
        s += &format!(
            "[[flow]]\nid = \"f{i}\"\nfrom = \"n{}_{}\"\nto = \"n{}_{}\"\nmode = \"road\"\nteu_per_year = 100\nunit_teu = 2\nroute_choice = \"adaptive\"\n",
            i % n,
            (i / n) % 10,
            n - 1 - (i * 7) % n,
            n - 1 - (i / n) % 10
        );
    }
    let file = dir.join("grid.toml");
    std::fs::write(&file, s).unwrap();
    let child = command(&["run", file.to_str().unwrap(), "--quiet"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("corridor starts");
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let sent = std::time::Instant::now();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let out = child.wait_with_output().expect("corridor ends");
    let waited = sent.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted while loading; nothing was run"),
        "{err}"
    );
    // Honoured within one search of a spur path, not at the end of the load.
    assert!(waited.as_secs() < 3, "left {waited:?} after Ctrl-C");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn two_runs_writing_one_out_directory_leave_the_files_of_one_of_them() {
    let dir = scratch_dir("out-race");
    let d = dir.to_str().unwrap().to_string();
    for round in 0..12 {
        let start = |seed: &str| {
            command(&[
                "run",
                "scenarios/border_post.toml",
                "--replications",
                "2",
                "--seed",
                seed,
                "--quiet",
                "--out",
                &d,
            ])
            .spawn()
            .expect("corridor starts")
        };
        let (mut a, mut b) = (start("1"), start("2"));
        assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
        let v: Value =
            serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
        let seed = v["seed"].as_u64().unwrap();
        let table = std::fs::read_to_string(dir.join("results.txt")).unwrap();
        assert!(
            table.contains(&format!("seed {seed};")),
            "round {round}: the JSON of seed {seed} beside another run's table:\n{table}"
        );
        let delivered = v["network"]["delivered_teu_per_year"]["mean"]
            .as_f64()
            .unwrap();
        let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
        let row = csv
            .lines()
            .find(|l| l.starts_with("network,network,delivered_teu_per_year,"))
            .unwrap();
        let mean: f64 = row.split(',').nth(3).unwrap().parse().unwrap();
        assert!(
            (mean - delivered).abs() <= 1e-6 * delivered,
            "round {round}: CSV of another run"
        );
    }
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "only the three results files: {names:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn one_replication_is_shown_without_an_interval() {
    let out = corridor_ok(&["run", "scenarios/border_post.toml", "--replications", "1"]);
    let table = as_prose(&String::from_utf8_lossy(&out.stdout));
    assert!(table.contains("1 replication, seed 7;"), "{table}");
    assert!(
        table.contains("without a confidence interval (n = 1)"),
        "{table}"
    );
    assert!(!table.contains('±'), "{table}");
    let two = corridor_ok(&["run", "scenarios/border_post.toml", "--replications", "2"]);
    let table = String::from_utf8_lossy(&two.stdout);
    assert!(table.contains("2 replications, seed 7;") && table.contains('±'));
}

/// The CSV row of `metric` in section `network`, split into its fields.
fn network_row(csv: &str, metric: &str) -> Vec<String> {
    let head = format!("network,network,{metric},");
    let row = csv.lines().find(|l| l.starts_with(&head));
    row.unwrap_or_else(|| panic!("no {metric} row in\n{csv}"))
        .split(',')
        .map(str::to_string)
        .collect()
}

#[test]
fn one_replication_leaves_the_csv_spread_empty() {
    let csv_of = |replications: &str| {
        let out = corridor_ok(&[
            "run",
            "scenarios/border_post.toml",
            "--replications",
            replications,
            "--format",
            "csv",
        ]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let row = network_row(&csv_of("1"), "delivered_teu_per_year");
    // mean, then sd, ci95_lo and ci95_hi empty, then min and max.
    assert!(!row[3].is_empty(), "{row:?}");
    assert_eq!(row[4..7], ["", "", ""], "{row:?}");
    assert_eq!((&row[7], &row[8]), (&row[3], &row[3]), "{row:?}");
    let row = network_row(&csv_of("2"), "delivered_teu_per_year");
    assert!(
        row[4..7].iter().all(|f| f.parse::<f64>().is_ok()),
        "{row:?}"
    );
}

#[test]
fn each_json_stat_says_how_many_replications_observed_it() {
    for replications in ["1", "3"] {
        let v = run_json(
            "scenarios/border_post.toml",
            &["--replications", replications],
        );
        let n = replications.parse::<u64>().unwrap();
        let delivered = &v["network"]["delivered_teu_per_year"];
        assert_eq!(delivered["n"].as_u64(), Some(n), "{delivered}");
        let wait = &by_id(&v, "crossings", "post")["wait_h"]["mean"];
        assert_eq!(wait["n"].as_u64(), Some(n), "{wait}");
    }
}

#[test]
fn a_comparison_of_one_replication_shows_its_differences_and_tests_none() {
    let args = [
        "compare",
        "scenarios/border_post.toml",
        "scenarios/border_post_closure.toml",
        "--replications",
        "1",
    ];
    let table = String::from_utf8_lossy(&corridor_ok(&args).stdout).into_owned();
    assert!(table.contains("1 replication, seed 7;"), "{table}");
    assert!(
        table.contains("without intervals or tests (n = 1)"),
        "{table}"
    );
    assert!(!table.contains("significant at 95 %"), "{table}");
    assert!(!table.contains('['), "no interval: {table}");
    // The closure's wait shows, as the value of that one replication.
    let wait = table
        .lines()
        .find(|l| l.contains("crossing post") && l.contains("wait_h.mean"));
    assert!(wait.is_some_and(|l| l.ends_with("(n = 1)")), "{table}");
    let mut with_csv = args.to_vec();
    with_csv.extend(["--format", "csv"]);
    let csv = String::from_utf8_lossy(&corridor_ok(&with_csv).stdout).into_owned();
    let paired: Vec<Vec<&str>> = (csv.lines().skip(1))
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f.get(13) == Some(&"paired"))
        .collect();
    assert!(!paired.is_empty(), "{csv}");
    for f in &paired {
        // diff_sd, diff_ci95_lo, diff_ci95_hi empty; significant false; p_value empty.
        assert_eq!(f[7..12], ["", "", "", "false", ""], "{f:?}");
        assert_eq!(f[12], "false", "{f:?}");
    }
}

#[test]
fn a_run_whose_flow_cannot_be_carried_says_so_in_its_table_csv_and_json_and_a_run_that_settles_does_not(
) {
    let dir = scratch_dir("overloaded-run");
    let out = corridor_ok(&[
        "run",
        "scenarios/theory/double_track_overload.toml",
        "--replications",
        "2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let stdout = as_prose(&String::from_utf8_lossy(&out.stdout));
    assert!(
        stdout.contains(") ends the horizon with more than a twentieth of a year's demand waiting")
            && stdout.contains("OVERLOADED: 1 flow (eastbound, backlog "),
        "{stdout}"
    );
    let written = std::fs::read_to_string(dir.join("results.txt")).unwrap();
    assert!(written.contains("OVERLOADED: 1 flow"), "{written}");
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert!(
        csv.contains("\nflows,eastbound,overloaded,1,,,,,\n"),
        "{csv}"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(by_id(&json, "flows", "eastbound")["overloaded"], true);
    // Nothing on stderr when the table on stdout says it; with --quiet, stderr says it.
    assert!(!String::from_utf8_lossy(&out.stderr).contains("twentieth"));
    let quiet = corridor_ok(&[
        "run",
        "scenarios/theory/double_track_overload.toml",
        "--replications",
        "2",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(
        stderr.contains("note: 1 flow (eastbound, backlog "),
        "{stderr}"
    );

    let out = corridor_ok(&["run", "scenarios/border_post.toml", "--replications", "2"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("OVERLOADED"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("ends the horizon"), "{stderr}");
}

#[test]
fn a_flow_of_other_cargo_is_marked_in_the_table_and_the_json_as_counted_in_its_own_units() {
    let table = String::from_utf8(
        corridor_ok(&[
            "run",
            "scenarios/examples/two_gauges.toml",
            "--replications",
            "2",
        ])
        .stdout,
    )
    .unwrap();
    assert!(table.contains("\n  bulk-by-rail (other cargo) "), "{table}");
    assert!(
        !table.contains("containers-by-rail (other cargo)"),
        "{table}"
    );
    let v = run_json(
        "scenarios/examples/two_gauges.toml",
        &["--replications", "2"],
    );
    assert_eq!(by_id(&v, "flows", "bulk-by-rail")["cargo"], "other");
    assert_eq!(
        by_id(&v, "flows", "containers-by-rail")["cargo"],
        "containers"
    );
}

#[test]
fn the_tables_of_a_run_fit_in_120_characters_split_into_parts_where_wider() {
    let dir = scratch_dir("table-width");
    let d = dir.to_string_lossy().into_owned();
    corridor_ok(&[
        "run",
        "scenarios/eurasia_2025.toml",
        "--replications",
        "2",
        "--out",
        &d,
        "--quiet",
    ]);
    let table = std::fs::read_to_string(dir.join("results.txt")).unwrap();
    let wide = too_wide(table.lines());
    assert!(wide.is_empty(), "{wide:#?}");
    // The crossings' figures come in two parts: names with ids, then ids alone.
    assert!(table.contains("\n  Dostyk (gauge change 1435/1520) (dostyk-rail) "));
    assert!(table.contains("\n  dostyk-rail "), "{table}");
    // Headers pad the word to the width of the labels (a bottleneck row reads "crossing ID").
    let heads = (table.lines()).filter(|l| l.starts_with("  crossing  "));
    assert_eq!(heads.count(), 2, "{table}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn each_route_in_the_route_choice_table_stands_beside_its_hours_and_share() {
    let out = corridor_ok(&[
        "run",
        "scenarios/eurasia_2025.toml",
        "--replications",
        "2",
        "--set",
        "flow.china-semey.route_choice=\"adaptive\"",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let section: Vec<&str> = (table.lines())
        .skip_while(|l| *l != "Route choice")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let rows: Vec<&&str> = section
        .iter()
        .filter(|l| l.starts_with("  china-semey "))
        .collect();
    assert!(rows.len() >= 2, "{table}");
    for row in rows {
        assert!(row.contains(" ± ") || row.contains("   0   "), "{row}");
        assert!(row.contains("   xian > urumqi > "), "{row}");
    }
    // A long route wraps under itself, after an arrow.
    assert!(too_wide(section.iter().copied()).is_empty(), "{table}");
    let more = section.iter().filter(|l| l.starts_with("       "));
    assert!(
        more.clone().all(|l| !l.trim_start().starts_with('>')),
        "{table}"
    );
}
