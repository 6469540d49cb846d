//! Messages for inputs the checks of each key do not see: files that are not scenario
//! files, overlay chains, numbers too long to echo, tables given twice, seeds beyond what a
//! file can hold, and output files that cannot be written.

mod common;

use common::{corridor, scratch_dir};
use std::path::Path;

/// `corridor validate FILE`: its exit code and stderr.
fn validate(file: &Path) -> (Option<i32>, String) {
    let out = corridor(&["validate", file.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A minimal scenario that extends `base` (or nothing).
fn overlay(base: Option<&str>) -> String {
    match base {
        Some(b) => format!("[scenario]\nextends = \"{b}\"\n"),
        None => std::fs::read_to_string("scenarios/border_post.toml").unwrap(),
    }
}

#[test]
fn extends_naming_what_is_not_a_file_says_what_it_is() {
    let dir = scratch_dir("msg-extends");
    std::fs::create_dir(dir.join("adir")).unwrap();
    std::os::unix::fs::symlink("loop-b", dir.join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.join("loop-b")).unwrap();
    let fifo = dir.join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for (target, says) in [
        ("adir", "adir is a directory, not a scenario file"),
        ("fifo", "fifo is not a regular file"),
        ("loop-a", "loop-a cannot be read"),
        ("none.toml", "no such file"),
    ] {
        let f = dir.join("o.toml");
        std::fs::write(&f, overlay(Some(target))).unwrap();
        let (code, err) = validate(&f);
        assert_eq!(code, Some(2), "{target}");
        assert!(err.contains(says), "{says:?} not in:\n{err}");
        assert!(err.contains("o.toml:2:11"), "located:\n{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_chain_of_overlays_holds_at_most_32_files_and_says_so() {
    let dir = scratch_dir("msg-chain");
    std::fs::write(dir.join("f0.toml"), overlay(None)).unwrap();
    for i in 1..=32 {
        let text = overlay(Some(&format!("f{}.toml", i - 1)));
        std::fs::write(dir.join(format!("f{i}.toml")), text).unwrap();
    }
    // f31 and the 31 files under it: 32 files.
    let (code, err) = validate(&dir.join("f31.toml"));
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = validate(&dir.join("f32.toml"));
    assert_eq!(code, Some(2));
    assert!(
        err.contains("a chain of overlays holds at most 32 files, the base included"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn files_that_are_not_scenario_text_are_refused_with_a_reason() {
    let dir = scratch_dir("msg-files");
    // A device never ends: refused at the size limit, not read to the end.
    let (code, err) = validate(Path::new("/dev/zero"));
    assert_eq!(code, Some(2));
    assert!(err.contains("larger than 64 MB"), "{err}");
    let (code, err) = validate(&dir);
    assert_eq!(code, Some(2));
    assert!(err.contains("is a directory, not a scenario file"), "{err}");
    // Latin-1 text: located at its first byte that is not UTF-8.
    let f = dir.join("latin1.toml");
    std::fs::write(&f, b"[scenario]\nname = \"Almaty\"\n# caf\xe9\n").unwrap();
    let (code, err) = validate(&f);
    assert_eq!(code, Some(2));
    assert!(err.contains("the byte 0xE9 is not UTF-8 text"), "{err}");
    assert!(err.contains("latin1.toml:3:6"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_table_given_twice_and_a_huge_number_read_plainly() {
    let dir = scratch_dir("msg-toml");
    let f = dir.join("twice.toml");
    std::fs::write(&f, "[scenario]\nname = \"a\"\n[scenario]\nname = \"b\"\n").unwrap();
    let (_, err) = validate(&f);
    assert!(
        err.contains("duplicate key `scenario` in document root; give [scenario] once"),
        "{err}"
    );
    let text = overlay(None).replace("horizon_days = 375", "horizon_days = 1e308");
    std::fs::write(&f, text).unwrap();
    let (code, err) = validate(&f);
    assert_eq!(code, Some(2));
    assert!(err.contains("horizon_days = 1e308 in [scenario]"), "{err}");
    // The range given is the one accepted, not the bound of numbers in general.
    assert!(err.contains("at most 36500 days (100 years)"), "{err}");
    assert!(err.len() < 400, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_seed_a_file_cannot_hold_is_refused_on_the_command_line_too() {
    let out = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--seed",
        "9223372036854775808",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("9223372036854775807"), "{err}");
    let ok = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--seed",
        "9223372036854775807",
        "--replications",
        "1",
        "--quiet",
    ]);
    assert!(ok.status.success());
}

#[test]
fn a_results_file_that_cannot_be_written_is_named() {
    let dir = scratch_dir("msg-out");
    std::fs::create_dir_all(dir.join("results.json")).unwrap();
    let out = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "1",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let named = format!("{}: ", dir.join("results.json").display());
    assert!(err.contains(&named), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A scenario named `name` of 20 single-track segments in a row, n0 to n20, of 100,000
/// blocks less one per segment (about 9 MB a replication each once laid), without flows.
fn single_track_chain(name: &str) -> String {
    let mut s = format!("[scenario]\nname = \"{name}\"\nhorizon_days = 10\n");
    for i in 0..=20 {
        s += &format!("[[node]]\nid = \"n{i}\"\nkind = \"terminal\"\n");
    }
    for i in 0..20 {
        s += &format!(
            "[[rail]]\nid = \"s{i}\"\nfrom = \"n{i}\"\nto = \"n{}\"\nlength_km = {}\nspeed_kmh = 100\ntracks = 1\nheadway_min = 10\ngauge_mm = 1520\nloop_spacing_km = 1\n",
            i + 1,
            100_000 - i
        );
    }
    s
}

#[test]
fn single_tracks_no_route_runs_on_cost_no_memory_per_block() {
    // A flow on a road beside 20 single-track segments of 100,000 blocks that no route
    // takes: they are never laid, and the budget does not count their blocks.
    let dir = scratch_dir("msg-memory-unused");
    let mut s = single_track_chain("unused blocks");
    s += "[[road]]\nid = \"r\"\nfrom = \"n0\"\nto = \"n1\"\nlength_km = 10\nspeed_kmh = 50\n";
    s += "[[flow]]\nid = \"f\"\nfrom = \"n0\"\nto = \"n1\"\nmode = \"road\"\nteu_per_year = 1000\nunit_teu = 2\n";
    let file = dir.join("unused.toml");
    std::fs::write(&file, s).unwrap();
    let f = file.to_str().unwrap();
    let out = corridor(&["validate", f, "--memory-budget-mb", "10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = corridor(&[
        "run",
        f,
        "--replications",
        "4",
        "--memory-budget-mb",
        "10",
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_scenario_whose_queues_would_outgrow_the_memory_budget_is_refused_naming_the_crossing() {
    // A post whose second stage serves 4 trucks an hour of the 7 that come, for 100 years:
    // about 2.6 million trucks waiting there whole by the horizon, some 590 MB.
    let dir = scratch_dir("msg-backlog");
    let file = dir.join("backlog.toml");
    std::fs::write(&file, common::overloaded_post(36500, true)).unwrap();
    let f = file.to_str().unwrap();
    for args in [
        vec!["validate", f, "--memory-budget-mb", "100"],
        vec!["run", f, "--threads", "1", "--memory-budget-mb", "100"],
    ] {
        let out = corridor(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("would hold about 562 MB by its horizon"),
            "{err}"
        );
        assert!(
            err.contains("at crossing \"post\", whose flows ask 1.8 times what it serves"),
            "{err}"
        );
        assert!(err.contains("more than --memory-budget-mb 100"), "{err}");
        assert!(out.stdout.is_empty());
    }
    assert!(corridor(&["validate", f]).status.success());
    // A sweep is held to the budget at its heaviest point: over ten years, half the
    // demand overloads nothing, the whole piles up about 60 MB.
    let sweep = |demand: &str| {
        corridor(&[
            "sweep",
            f,
            "--demand",
            demand,
            "--threads",
            "1",
            "--memory-budget-mb",
            "50",
            "--set",
            "scenario.horizon_days=3650",
            "--replications",
            "1",
            "--quiet",
        ])
    };
    // A capacity search runs the scenario at larger demands: with half the trucks nothing
    // is overloaded, but at twice that, where the search stops doubling, the second stage
    // is again.
    let half = ["--set", "flow.t.teu_per_year=61320"];
    let capacity = corridor(
        &[
            &["capacity", f, "--max-p95-wait-h", "24", "--threads", "1"][..],
            &["--memory-budget-mb", "100", "--quiet"][..],
            &half[..],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&capacity.stderr);
    assert_eq!(capacity.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "at 2 times its container demand (which the search may try) would hold about 562 MB"
        ),
        "{err}"
    );
    let out = sweep("0.5");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sweep("0.5,1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("at crossing \"post\""), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_scenario_whose_replications_would_not_fit_the_memory_budget_is_refused_before_running() {
    // 20 single-track segments of 100,000 blocks each: about 170 MB a replication before
    // any train runs.
    let dir = scratch_dir("msg-memory");
    let mut s = single_track_chain("blocks");
    s += "[[flow]]\nid = \"f\"\nfrom = \"n0\"\nto = \"n20\"\nmode = \"rail\"\nteu_per_year = 1000\nunit_teu = 100\n";
    let file = dir.join("blocks.toml");
    std::fs::write(&file, s).unwrap();
    let f = file.to_str().unwrap();
    let out = corridor(&["validate", f, "--memory-budget-mb", "100"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds about 168 MB"), "{err}");
    assert!(err.contains("(segment \"s0\" alone 9 MB)"), "{err}");
    assert!(err.contains("more than --memory-budget-mb 100"), "{err}");
    assert!(corridor(&["validate", f]).status.success());
    // Two replications at once need twice as much.
    let out = corridor(&["run", f, "--threads", "2", "--memory-budget-mb", "300"]);
    let err = String::from_utf8_lossy(&out.stderr);
    if std::thread::available_parallelism().map_or(1, usize::from) >= 2 {
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("2 at once on 2 threads hold 3"), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = corridor(&[
        "run",
        f,
        "--threads",
        "1",
        "--replications",
        "1",
        "--memory-budget-mb",
        "300",
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_memory_budget_counts_the_replications_a_batch_runs_at_once_not_every_thread() {
    // About 170 MB a replication: one replication on two threads runs one at a time, and
    // fits 300 MB; a comparison runs its base and variant side by side, which do not.
    let dir = scratch_dir("msg-memory-batch");
    let mut s = single_track_chain("blocks");
    s += "[[flow]]\nid = \"f\"\nfrom = \"n0\"\nto = \"n20\"\nmode = \"rail\"\nteu_per_year = 1000\nunit_teu = 100\n";
    let file = dir.join("blocks.toml");
    std::fs::write(&file, s).unwrap();
    let f = file.to_str().unwrap();
    let budget = [
        "--threads",
        "2",
        "--replications",
        "1",
        "--memory-budget-mb",
        "300",
    ];
    let out = corridor(&[&["run", f, "--quiet"][..], &budget[..]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if std::thread::available_parallelism().map_or(1, usize::from) >= 2 {
        let out = corridor(&[&["compare", f, f, "--quiet"][..], &budget[..]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("2 at once on 2 threads hold 3"), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_memory_refusal_advises_fewer_stretches_only_where_a_single_track_holds_the_most() {
    for (file, single) in [
        ("scenarios/border_post.toml", false),
        ("scenarios/single_track_line.toml", true),
    ] {
        let out = corridor(&["run", file, "--memory-budget-mb", "0"]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("more than --memory-budget-mb 0"), "{err}");
        assert_eq!(err.contains("loop_spacing_km"), single, "{file}: {err}");
    }
}
