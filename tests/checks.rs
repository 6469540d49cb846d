//! What is checked before anything runs, on every command: warnings of values possible but
//! implausible (and `--deny-warnings`, which makes them errors), and the `--out` directory.

mod common;
use common::{corridor, run_json, scratch_dir, stat};
use std::time::{Duration, Instant};

/// A scenario with a train at 1500 km/h, a truck at 150 km/h and 5 (500 %) growth a year.
const IMPLAUSIBLE: &str = "tests/warnings/implausible.toml";

/// The first line of each warning of [`IMPLAUSIBLE`].
const WARNINGS: [&str; 3] = [
    "warning: speed_kmh = 1500 in rail \"line\": faster than 160 km/h, which no freight train runs; the speed is in km/h (1500 km a day would be speed_kmh = 62.5)",
    "warning: speed_kmh = 150 in road \"motorway\": faster than 120 km/h, implausible for a truck's average speed; the speed is in km/h",
    "warning: growth_per_year = 5 in flow \"trains\": more than 0.3 (+30 % a year) is implausible year after year; the rate is a share, so 5 means +500 % a year (+5 % is 0.05)",
];

/// Every command that loads a scenario, run on `scenario` with few replications.
fn every_command(scenario: &str) -> Vec<Vec<&str>> {
    let few = ["--replications", "2"];
    let mut all = vec![
        vec!["validate", scenario],
        vec!["run", scenario],
        vec!["compare", scenario, scenario],
        vec!["capacity", scenario, "--max-mean-wait-h", "100"],
        vec!["forecast", scenario, "--years", "2025..2026"],
        vec!["sweep", scenario, "--demand", "1,1.1"],
    ];
    for args in &mut all[1..] {
        args.extend(few);
    }
    all
}

#[test]
fn implausible_values_are_warned_of_at_their_place_and_the_scenario_still_validates() {
    let out = corridor(&["validate", IMPLAUSIBLE]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("ok: tests/warnings/implausible.toml"),
        "{stdout}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let first = format!(
        "{}\n  --> tests/warnings/implausible.toml:25:13\n   |\n25 | speed_kmh = 1500       # km a day, typed as km/h\n   |             ^^^^\n",
        WARNINGS[0]
    );
    assert!(err.starts_with(&first), "{err}");
    for w in WARNINGS {
        assert!(err.contains(w), "{w}\nnot in\n{err}");
    }
    assert!(
        err.ends_with("\ntests/warnings/implausible.toml: 3 warnings\n"),
        "{err}"
    );
}

#[test]
fn every_command_warns_and_runs_the_scenario_as_written() {
    for args in every_command(IMPLAUSIBLE) {
        let out = corridor(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        for w in WARNINGS {
            assert_eq!(err.matches(w).count(), 1, "{args:?}: once each\n{err}");
        }
    }
    // The train runs at the 1500 km/h written: 1500 km in an hour, plus its headway wait.
    let v = run_json(IMPLAUSIBLE, &["--replications", "2"]);
    let (transit, ..) = stat(&v, &["flows", "0", "transit_h", "mean"]);
    assert!((1.0..1.2).contains(&transit), "transit {transit} h");
}

#[test]
fn deny_warnings_makes_them_errors_on_every_command() {
    for mut args in every_command(IMPLAUSIBLE) {
        args.push("--deny-warnings");
        let out = corridor(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(WARNINGS[2]), "{args:?}: {err}");
        let denied = if args[0] == "validate" {
            "tests/warnings/implausible.toml: 3 warnings, denied by --deny-warnings\n"
        } else {
            "error: 3 warnings denied by --deny-warnings; nothing was run\n"
        };
        assert!(err.ends_with(denied), "{args:?}: {err}");
    }
    // Before the command too, and without effect on a scenario without warnings.
    let out = corridor(&["--deny-warnings", "validate", IMPLAUSIBLE]);
    assert_eq!(out.status.code(), Some(2));
    let out = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "2",
        "--deny-warnings",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn an_out_dir_that_is_a_file_is_refused_before_anything_runs() {
    let dir = scratch_dir("out-file");
    let file = dir.join("results.json");
    std::fs::write(&file, "kept").unwrap();
    let file = file.to_string_lossy().into_owned();
    let under = format!("{file}/sub");
    for (out_dir, why) in [
        (file.as_str(), format!("{file} is a file, not a directory")),
        (
            under.as_str(),
            format!("{file} is a file, so no directory can be made in it"),
        ),
    ] {
        for mut args in every_command("scenarios/kazakhstan_2025.toml")
            .into_iter()
            .skip(1)
        {
            // Many replications: were anything run, the command would take minutes.
            args.splice(args.len() - 1.., ["1000", "--out", out_dir]);
            let started = Instant::now();
            let out = corridor(&args);
            assert!(started.elapsed() < Duration::from_secs(10), "{args:?} ran");
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                err,
                format!("error: --out {out_dir}: {why}; nothing was run\n"),
                "{args:?}"
            );
        }
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept");
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(target_os = "linux")]
#[test]
fn an_out_dir_that_cannot_be_written_is_refused_before_anything_runs() {
    // Nothing can be made in /proc, whoever runs the test.
    let out = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--out",
        "/proc/corridor-out",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: --out /proc/corridor-out: cannot write in /proc: "),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
