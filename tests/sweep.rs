//! `corridor sweep`: every combination of values of some parameters, each point on the same
//! replications and seed; its JSON, CSV and table; and the checks made before it runs.
//! (Its agreement with Erlang C is in theory.rs.)

mod common;
use common::{as_prose, corridor, corridor_ok, json_of, scratch_dir, too_wide};
use serde_json::Value;

const POST: &str = "scenarios/border_post.toml";
const SERVERS: &str = "crossing.post.stage.1.servers";

/// `corridor sweep POST ARGS... --replications 3 --format json`.
fn sweep(args: &[&str]) -> Value {
    let mut all = vec![POST];
    all.extend_from_slice(args);
    all.extend(["--replications", "3"]);
    json_of("sweep", &all)
}

#[test]
fn each_point_equals_a_run_with_its_values_on_the_same_random_numbers() {
    let v = sweep(&[
        "--set",
        "crossing.post.stage.1.servers=4,5",
        "--demand",
        "1,1.1",
    ]);
    assert_eq!(v["schema"], "corridor.sweep/1");
    assert_eq!(v["scenario"], POST);
    assert_eq!(
        (v["seed"].as_u64(), v["replications"].as_u64()),
        (Some(7), Some(3))
    );
    assert_eq!(
        v["parameters"],
        serde_json::json!([
            {"path": SERVERS, "values": [4, 5]},
            {"path": "demand", "values": [1.0, 1.1]},
        ])
    );
    // The last parameter varies fastest.
    let points = v["points"].as_array().unwrap();
    let values: Vec<(i64, f64)> = points
        .iter()
        .map(|p| {
            let v = &p["values"];
            (v[SERVERS].as_i64().unwrap(), v["demand"].as_f64().unwrap())
        })
        .collect();
    assert_eq!(values, [(4, 1.0), (4, 1.1), (5, 1.0), (5, 1.1)]);
    // A point at demand 1 is the run with its --set; the results are those of run's JSON.
    for (point, servers) in [(0, "4"), (2, "5")] {
        let run = json_of(
            "run",
            &[
                POST,
                "--replications",
                "3",
                "--set",
                &format!("{SERVERS}={servers}"),
            ],
        );
        assert_eq!(points[point]["results"], run, "point {point}");
    }
    // More demand, more delivered: 10 % more, on the same random numbers.
    let delivered = |p: usize| {
        points[p]["results"]["network"]["delivered_teu_per_year"]["mean"]
            .as_f64()
            .unwrap()
    };
    let ratio = delivered(1) / delivered(0);
    assert!((ratio - 1.1).abs() < 0.01, "ratio {ratio}");
}

#[test]
fn the_table_shows_each_point_with_the_figures_of_the_elements_swept() {
    let out = corridor_ok(&[
        "sweep",
        POST,
        "--set",
        "crossing.post.stage.1.servers=4..5",
        "--replications",
        "3",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "Sweep of One border post (M/M/4) (scenarios/border_post.toml)"
    );
    assert!(lines[1].starts_with("2 points, 3 replications each, seed 7 at every point"));
    // The table may come in parts one under the other, each headed by its columns.
    let headers: Vec<&str> = (lines.iter().copied())
        .filter(|l| l.starts_with("  point "))
        .collect();
    assert!(lines[3].starts_with("  point "), "{table}");
    for column in [
        "point",
        SERVERS,
        "network delivered TEU/year",
        "network transit h mean per TEU",
        "crossing post wait h mean",
        "crossing post utilization",
    ] {
        let n = headers.iter().filter(|h| h.contains(column)).count();
        let want = if column == "point" { headers.len() } else { 1 };
        assert_eq!(n, want, "{column} in {headers:#?}");
    }
    // The first part gives each point with its value; the others, the point alone.
    for (line, point, servers) in [(lines[4], "1", "4"), (lines[5], "2", "5")] {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[..2], [point, servers], "{line}");
    }
    let rows = (lines.iter()).filter(|l| l.starts_with("  1 ") || l.starts_with("  2 "));
    assert_eq!(rows.count(), 2 * headers.len(), "{table}");
}

#[test]
fn one_replication_per_point_is_shown_and_written_without_intervals() {
    let args = |format: &'static str| {
        [
            "sweep",
            POST,
            "--set",
            "crossing.post.stage.1.servers=4..5",
            "--replications",
            "1",
            "--format",
            format,
        ]
    };
    let table = String::from_utf8(corridor_ok(&args("table")).stdout).unwrap();
    let heading = as_prose(&table[..table.find("\n\n").unwrap()]);
    let second = &heading[heading.find("2 points").unwrap()..];
    assert!(
        second.starts_with("2 points, 1 replication each, seed 7 at every point")
            && second.ends_with("without a confidence interval (n = 1)"),
        "{table}"
    );
    assert!(!table.contains('±'), "{table}");
    let csv = String::from_utf8(corridor_ok(&args("csv")).stdout).unwrap();
    // point, the parameter, section, id, metric, mean, then sd, ci95_lo, ci95_hi empty.
    for row in csv.lines().skip(1) {
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!(fields[fields.len() - 3..], ["", "", ""], "{row}");
    }
}

#[test]
fn csv_has_a_row_per_point_element_and_metric_and_out_writes_three_files() {
    let dir = scratch_dir("sweep-out");
    let d = dir.join("out").to_string_lossy().into_owned();
    let out = corridor_ok(&[
        "sweep",
        POST,
        "--set",
        "road.approach.speed_kmh=40,60",
        "--replications",
        "2",
        "--out",
        &d,
        "--quiet",
    ]);
    assert!(out.stdout.is_empty());
    let read = |name: &str| std::fs::read_to_string(dir.join("out").join(name)).unwrap();
    let csv = read("sweep.csv");
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("point,road.approach.speed_kmh,section,id,metric,mean,sd,ci95_lo,ci95_hi")
    );
    let rows: Vec<&str> = rows.collect();
    // Per point, the rows of run's CSV.
    let run = corridor_ok(&[
        "run",
        POST,
        "--replications",
        "2",
        "--set",
        "road.approach.speed_kmh=40",
        "--format",
        "csv",
    ]);
    let per_point = String::from_utf8(run.stdout).unwrap().lines().count() - 1;
    assert_eq!(rows.len(), 2 * per_point, "{csv}");
    assert!(rows[0].starts_with("1,40,network,network,delivered_teu_per_year,"));
    assert!(rows
        .iter()
        .any(|r| r.starts_with("2,60,links,approach,wait_h.mean,")));
    let json: Value = serde_json::from_str(&read("sweep.json")).unwrap();
    assert_eq!(json["points"].as_array().unwrap().len(), 2);
    assert!(read("sweep.txt").contains("segment approach utilization"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs `corridor sweep POST ARGS...`, expecting exit 2 and nothing on stdout; returns
/// stderr.
fn refused(args: &[&str]) -> String {
    let mut all = vec!["sweep", POST];
    all.extend_from_slice(args);
    let out = corridor(&all);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_point_is_checked_before_any_runs_and_an_error_names_the_set_and_value() {
    let err = refused(&["--set", "crossing.post.stage.1.servers=0..2"]);
    assert_eq!(
        err,
        "error: servers = 0 in crossing \"post\".stage.1 (\"joint inspection\"): must be an integer between 1 and 100000 (--set crossing.post.stage.1.servers=0)\n  --> --set:1:31\n  |\n1 | crossing.post.stage.1.servers=0\n  |                               ^\n"
    );
    let err = refused(&["--set", "crossing.psot.stage.1.servers=4,5"]);
    assert_eq!(
        err.matches("the scenario has no crossing \"psot\"; did you mean \"post\"?")
            .count(),
        2,
        "each point's error: {err}"
    );
    let err = refused(&["--demand", "1,1000"]);
    assert!(
        err.contains("teu_per_year = 122640000 in flow \"trucks\""),
        "{err}"
    );
    assert!(err.contains("  --> --demand:1:1\n"), "{err}");
}

#[test]
fn malformed_values_too_many_points_and_batch_keys_are_refused() {
    let err = refused(&[]);
    assert!(
        err.contains("give at least one parameter to sweep"),
        "{err}"
    );
    let err = refused(&[
        "--set",
        "road.approach.speed_kmh=1..40",
        "--set",
        "road.onward.speed_kmh=1..40",
    ]);
    assert!(
        err.contains("the sweep has 1600 points (road.approach.speed_kmh (40 values) x road.onward.speed_kmh (40 values)); at most 1000 are accepted"),
        "{err}"
    );
    let err = refused(&["--set", "road.approach.speed_kmh=40..60/0"]);
    assert!(err.contains("the step must be above 0"), "{err}");
    let err = refused(&["--set", "scenario.seed=1,2"]);
    assert!(err.contains("give --seed instead"), "{err}");
    let err = refused(&["--demand=1,-1"]);
    assert!(err.contains("--demand -1: expected a multiplier"), "{err}");
}

#[test]
fn a_swept_fleet_shows_its_wait_for_stock_and_its_use() {
    let out = corridor_ok(&[
        "sweep",
        "scenarios/examples/two_gauges.toml",
        "--set",
        "fleet.broad-gauge.wagons=100,400",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let headers: String = (table.lines())
        .filter(|l| l.starts_with("  point "))
        .collect();
    for column in [
        "fleet broad-gauge wait h mean",
        "fleet broad-gauge utilization",
    ] {
        assert!(headers.contains(column), "{column} in {headers}");
    }
}

#[test]
fn a_sweep_wider_than_120_characters_comes_in_parts_naming_the_points_by_number() {
    let out = corridor_ok(&[
        "sweep",
        "scenarios/examples/two_gauges.toml",
        "--set",
        "fleet.broad-gauge.wagons=100,400",
        "--set",
        "fleet.broad-gauge.locomotives=2,12",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let wide = too_wide(table.lines());
    assert!(wide.is_empty(), "{wide:#?}");
    let headers: Vec<&str> = (table.lines())
        .filter(|l| l.starts_with("  point "))
        .collect();
    assert!(headers.len() >= 2, "{table}");
    assert!(
        headers[0].contains("fleet.broad-gauge.locomotives"),
        "{table}"
    );
    assert!(!headers[1].contains("fleet.broad-gauge."), "{table}");
}
