//! `--set PATH=VALUE` on `run` and `compare`: a one-off change of a scenario, exactly as the
//! equivalent overlay file would make it, and errors that name the `--set` and its value.

mod common;
use common::{corridor, corridor_ok, json_of, root, scratch_dir};

/// stdout of `corridor ARGS... --format json`, as bytes.
fn json_bytes(args: &[&str]) -> Vec<u8> {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--replications", "5"]);
    corridor_ok(&all).stdout
}

#[test]
fn run_with_set_equals_the_equivalent_overlay_byte_for_byte() {
    // tests/compare/five_lanes.toml: border_post.toml with a fifth lane, and its own name.
    let name = "scenario.name=\"the border post with five lanes\"";
    let overlay = json_bytes(&["run", "tests/compare/five_lanes.toml"]);
    for stage in ["1", "joint inspection", "\"joint inspection\""] {
        let set = format!("crossing.post.stage.{stage}.servers=5");
        let by_set = json_bytes(&[
            "run",
            "scenarios/border_post.toml",
            "--set",
            &set,
            "--set",
            name,
        ]);
        assert!(overlay == by_set, "--set {set} differs from the overlay");
    }
    // A key of a nested table: two more crane positions at Dostyk.
    let overlay = json_bytes(&["run", "scenarios/kazakhstan_2025_dostyk_six_cranes.toml"]);
    let by_set = json_bytes(&[
        "run",
        "scenarios/kazakhstan_2025.toml",
        "--set",
        "crossing.dostyk-rail.gauge_change.cranes=6",
        "--set",
        "scenario.name=\"Kazakhstan 2025, Dostyk with two more crane positions\"",
    ]);
    assert!(overlay == by_set, "--set of gauge_change.cranes differs");
}

#[test]
fn a_set_changes_the_results_as_the_value_says() {
    let base = json_of(
        "run",
        &["scenarios/border_post.toml", "--replications", "3"],
    );
    let v = json_of(
        "run",
        &[
            "scenarios/border_post.toml",
            "--replications",
            "3",
            "--set",
            "scenario.horizon_days=100",
            "--set",
            "crossing.post.stage.1.service_h={ dist = \"exp\", mean = 0.25 }",
        ],
    );
    assert_eq!(v["horizon_h"], 2400.0);
    let util = |v: &serde_json::Value| v["crossings"][0]["utilization"]["mean"].as_f64().unwrap();
    assert!((util(&v) - 0.4375).abs() < 0.01, "{}", util(&v));
    assert!((util(&base) - 0.875).abs() < 0.01);
}

/// Runs `corridor run scenarios/border_post.toml --set SET`, expecting exit 2 and nothing
/// on stdout; returns stderr.
fn refused(set: &str) -> String {
    refused_in("scenarios/border_post.toml", set)
}

/// Runs `corridor run SCENARIO --set SET`, expecting exit 2 and nothing on stdout; returns
/// stderr.
fn refused_in(scenario: &str, set: &str) -> String {
    refused_by("run", scenario, set)
}

/// Runs `corridor COMMAND SCENARIO --set SET`, expecting exit 2 and nothing on stdout;
/// returns stderr.
fn refused_by(command: &str, scenario: &str, set: &str) -> String {
    let out = corridor(&[command, scenario, "--set", set]);
    assert_eq!(out.status.code(), Some(2), "--set {set}");
    assert!(out.stdout.is_empty(), "--set {set}: nothing on stdout");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_unknown_path_element_names_the_set_and_suggests_the_closest() {
    let err = refused("crossing.psot.stage.1.servers=5");
    assert_eq!(
        err,
        "error: --set crossing.psot.stage.1.servers=5: the scenario has no crossing \"psot\"; did you mean \"post\"?\n  --> --set:1:10\n  |\n1 | crossing.psot.stage.1.servers=5\n  |          ^^^^\n"
    );
    let err = refused("crossing.post.stage.joint inspektion.servers=5");
    assert!(err.starts_with("error: --set crossing.post.stage.joint inspektion.servers=5: crossing \"post\" has no stage named \"joint inspektion\"; did you mean \"joint inspection\"?"), "{err}");
    let err = refused("crossing.post.stage.2.servers=5");
    assert!(
        err.contains("crossing \"post\" has 1 stage: 1 \"joint inspection\"; give a position from 1 to 1, or a name"),
        "{err}"
    );
    let err = refused("crossing.post.stage.1.sevrers=5");
    assert!(
        err.starts_with("error: unknown field `sevrers`, expected one of"),
        "{err}"
    );
    assert!(err.contains("did you mean `servers`?"), "{err}");
    assert!(err.contains("  --> --set:1:23\n"), "{err}");
    // A constant service time (service_h = 1.0) has no keys to set.
    let err = refused_in(
        "scenarios/theory/growing_post.toml",
        "crossing.post.stage.1.service_h.mean=1",
    );
    assert!(
        err.contains("`service_h` is a single value, not a table with keys; set it whole: crossing.post.stage.1.service_h=VALUE"),
        "{err}"
    );
    let err = refused("crosing.post.open=\"06:00-22:00\"");
    assert!(
        err.contains("\"crosing\" is not a table of a scenario; did you mean \"crossing\"?"),
        "{err}"
    ); // The tables name segments so; the scenario gives them as rail or road.
    let err = refused("segment.approach.speed_kmh=50");
    assert!(
        err.contains(
            "\"segment\" is not a table of a scenario; a segment is set as rail.ID or road.ID"
        ),
        "{err}"
    );
}

#[test]
fn an_element_named_under_the_wrong_kind_is_told_the_kind_that_has_it() {
    // border_post.toml has no [[rail]]: "approach" is a road.
    let err = refused("rail.approach.speed_kmh=50");
    assert_eq!(
        err,
        "error: --set rail.approach.speed_kmh=50: the scenario has no [[rail]]; did you mean \"road.approach.speed_kmh\"? (\"approach\" is a road)\n  --> --set:1:1\n  |\n1 | rail.approach.speed_kmh=50\n  | ^^^^\n"
    );
    // It has crossings, but "approach" is not one of them.
    let err = refused("crossing.approach.open=\"06:00-22:00\"");
    assert!(
        err.starts_with("error: --set crossing.approach.open=\"06:00-22:00\": the scenario has no crossing \"approach\"; did you mean \"road.approach.open\"? (\"approach\" is a road)\n"),
        "{err}"
    );
    // An id of several other kinds names each; a quoted step is kept as written.
    let err = refused("road.\"post\".speed_kmh=50");
    assert!(
        err.contains("the scenario has no road \"post\"; did you mean `node.\"post\".speed_kmh` or `crossing.\"post\".speed_kmh`? (\"post\" is a node and a crossing)"),
        "{err}"
    );
    // Through a sweep's --set too.
    let out = corridor(&[
        "sweep",
        "scenarios/border_post.toml",
        "--set",
        "rail.approach.speed_kmh=40,50",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean \"road.approach.speed_kmh\"?"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_stage_key_given_to_a_crossing_is_told_it_goes_under_a_stage() {
    // A stage's key set on the crossing itself.
    let err = refused("crossing.post.servers=4");
    assert!(
        err.contains("; \"servers\" is a key of each of the crossing's stages: under [[crossing.stage]], or with --set crossing.post.stage.1.servers (a stage by its number or its name)"),
        "{err}"
    );
    // Named under another kind: the suggestion is a path that works.
    let err = refused("road.post.servers=4");
    // "post" is a node too, which has no servers: only the crossing is suggested.
    assert!(
        err.contains("did you mean \"crossing.post.stage.1.servers\"? (\"post\" is a crossing)"),
        "{err}"
    );
    // "name" is a stage's key too: told so, not pointed at a near key of the crossing.
    let err = refused("crossing.post.name=\"x\"");
    assert!(
        err.contains("\"name\" is a key of each of the crossing's stages")
            && !err.contains("did you mean `"),
        "{err}"
    );
    // An id that is no bare key is quoted in the path, as --set reads it.
    let dir = scratch_dir("set-dotted-crossing");
    let file = dir.join("dotted.toml");
    let text = std::fs::read_to_string(root().join("scenarios/border_post.toml")).unwrap();
    let text = text.replacen("id = \"post\"\nnode", "id = \"post.a\"\nnode", 1);
    assert!(text.contains("id = \"post.a\""));
    std::fs::write(&file, text).unwrap();
    let err = refused_in(file.to_str().unwrap(), "crossing.\"post.a\".servers=4");
    assert!(
        err.contains("with --set crossing.\"post.a\".stage.1.servers "),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
    let set = "crossing.post.stage.1.servers=4";
    let out = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "1",
        "--quiet",
        "--set",
        set,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_refused_value_names_the_set_and_the_value() {
    let err = refused("crossing.post.stage.1.servers=0");
    assert_eq!(
        err,
        "error: servers = 0 in crossing \"post\".stage.1 (\"joint inspection\"): must be an integer between 1 and 100000 (--set crossing.post.stage.1.servers=0)\n  --> --set:1:31\n  |\n1 | crossing.post.stage.1.servers=0\n  |                               ^\n"
    );
    let err = refused("crossing.post.stage.1.servers=4.5");
    assert!(err.contains("expected an integer"), "{err}");
    assert!(
        err.contains("1 | crossing.post.stage.1.servers=4.5"),
        "{err}"
    );
    let err = refused("crossing.post.open=06:00-22:00");
    assert!(
        err.contains("--set crossing.post.open=06:00-22:00: `06:00-22:00` is not a TOML value"),
        "{err}"
    );
    assert!(err.contains("a string in double quotes"), "{err}");
    let err = refused("scenario.extends=\"x.toml\"");
    assert!(err.contains("write an overlay file"), "{err}");
}

#[test]
fn compare_with_set_and_no_variant_compares_the_base_with_itself_changed() {
    let by_set = json_of(
        "compare",
        &[
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=5",
            "--replications",
            "4",
        ],
    );
    let variant = &by_set["variants"][0];
    assert_eq!(
        variant["file"],
        "scenarios/border_post.toml --set crossing.post.stage.1.servers=5"
    );
    let overlay = json_of(
        "compare",
        &[
            "scenarios/border_post.toml",
            "tests/compare/five_lanes.toml",
            "--replications",
            "4",
        ],
    );
    assert_eq!(
        variant["differences"],
        overlay["variants"][0]["differences"]
    );
    // With variant files, the --set changes each of them, not the base.
    let v = json_of(
        "compare",
        &[
            "scenarios/border_post.toml",
            "tests/compare/five_lanes.toml",
            "--set",
            "crossing.post.stage.1.servers=6",
            "--replications",
            "4",
        ],
    );
    let util = |r: &serde_json::Value| r["crossings"][0]["utilization"]["mean"].as_f64().unwrap();
    assert!((util(&v["base"]["results"]) - 0.875).abs() < 0.01);
    assert!((util(&v["variants"][0]["results"]) - 7.0 / 12.0).abs() < 0.01);
    let out = corridor(&["compare", "scenarios/border_post.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn validate_checks_a_scenario_with_its_sets_as_run_would_run_it() {
    let ok = corridor_ok(&[
        "validate",
        "scenarios/border_post.toml",
        "--set",
        "crossing.post.stage.1.servers=5",
    ]);
    let line = String::from_utf8(ok.stdout).unwrap();
    assert!(
        line.starts_with("ok: scenarios/border_post.toml --set crossing.post.stage.1.servers=5 ("),
        "{line}"
    );
    // Refused as run refuses it, pointing into the --set.
    let err = refused_by(
        "validate",
        "scenarios/border_post.toml",
        "crossing.post.stage.1.servers=0",
    );
    assert!(
        err.contains("(--set crossing.post.stage.1.servers=0)\n  --> --set:1:31")
            && err.ends_with("scenarios/border_post.toml: 1 error\n"),
        "{err}"
    );
}
