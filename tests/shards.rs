//! Shards and their merge: `--shard I/N --out DIR` writes a partial result, `corridor merge`
//! gives exactly the document of one run, and refuses parts that do not belong together.

mod common;

use common::{command, corridor, corridor_ok, scratch_dir};
use corridor::runner::shards::PartHeader;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Runs `args` in one piece (JSON on stdout, files into `dir/one`) and as `n` shards into
/// `dir/parts`; returns the JSON of the piece and the parts, shard 1 first.
fn one_and_shards(dir: &Path, args: &[&str], n: u32) -> (Vec<u8>, Vec<PathBuf>) {
    let one_dir = dir.join("one");
    let mut one = args.to_vec();
    one.extend(["--format", "json", "--out", one_dir.to_str().unwrap()]);
    let json = corridor_ok(&one).stdout;
    let parts_dir = dir.join("parts");
    for i in 1..=n {
        let shard = format!("{i}/{n}");
        let mut a = args.to_vec();
        a.extend(["--shard", &shard, "--out", parts_dir.to_str().unwrap()]);
        let out = corridor_ok(&a);
        assert!(out.stdout.is_empty(), "a shard prints no document");
    }
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&parts_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    assert_eq!(parts.len(), n as usize, "one part per shard: {parts:?}");
    (json, parts)
}

/// `corridor merge PARTS... EXTRA...`.
fn merge(parts: &[PathBuf], extra: &[&str]) -> Output {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend_from_slice(extra);
    corridor(&args)
}

/// Merges `parts` as JSON (into `out` too); panics with stderr unless it succeeds.
fn merged_json(parts: &[PathBuf], out: &Path) -> Vec<u8> {
    let m = merge(parts, &["--format", "json", "--out", out.to_str().unwrap()]);
    assert!(
        m.status.success(),
        "merge failed: {}",
        String::from_utf8_lossy(&m.stderr)
    );
    m.stdout
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Checks that `args` run in `n` shards and merged, the parts given in reverse order, give
/// the JSON, CSV and table of one run byte for byte.
fn merges_exactly(tag: &str, args: &[&str], n: u32) {
    let dir = scratch_dir(tag);
    let (one, mut parts) = one_and_shards(&dir, args, n);
    parts.reverse();
    let merged = merged_json(&parts, &dir.join("merged"));
    assert!(one == merged, "{args:?}: merged JSON differs from one run");
    for file in std::fs::read_dir(dir.join("one")).unwrap() {
        let name = file.unwrap().file_name();
        let a = std::fs::read(dir.join("one").join(&name)).unwrap();
        let b = std::fs::read(dir.join("merged").join(&name)).unwrap();
        assert!(a == b, "{args:?}: {name:?} differs");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_run_in_four_shards_merged_in_any_order_is_one_run_byte_for_byte() {
    merges_exactly(
        "shards-run",
        &[
            "run",
            "scenarios/kazakhstan_2025.toml",
            "--replications",
            "9",
        ],
        4,
    );
}

#[test]
fn a_comparison_in_shards_merged_is_one_comparison_byte_for_byte() {
    merges_exactly(
        "shards-compare",
        &[
            "compare",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=3",
            "--replications",
            "7",
        ],
        3,
    );
}

#[test]
fn a_forecast_in_shards_merged_is_one_forecast_byte_for_byte() {
    merges_exactly(
        "shards-forecast",
        &[
            "forecast",
            "scenarios/forecast/baseline_growth.toml",
            "--years",
            "2025..2027",
            "--replications",
            "4",
        ],
        4,
    );
}

#[test]
fn a_sweep_and_a_capacity_search_in_shards_merged_are_one_run_byte_for_byte() {
    merges_exactly(
        "shards-sweep",
        &[
            "sweep",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=2,3",
            "--replications",
            "5",
        ],
        2,
    );
    merges_exactly(
        "shards-capacity",
        &[
            "capacity",
            "scenarios/border_post.toml",
            "--max-p95-wait-h",
            "6",
            "--replications",
            "6",
        ],
        3,
    );
}

#[test]
fn merge_refuses_parts_of_different_seeds_scenarios_commands_and_shard_counts() {
    let dir = scratch_dir("shards-refuse");
    let base = ["run", "scenarios/border_post.toml", "--replications", "6"];
    let part = |sub: &str, shard: &str, extra: &[&str]| {
        let out = dir.join(sub);
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        a.extend(["--shard", shard, "--out", out.to_str().unwrap()]);
        corridor_ok(&a);
        let name = match shard {
            "1/2" => "part-1-of-2.cbor",
            "2/2" => "part-2-of-2.cbor",
            _ => "part-1-of-3.cbor",
        };
        out.join(name)
    };
    let one = part("a", "1/2", &[]);
    let two = part("a", "2/2", &[]);
    let refused = |parts: &[PathBuf], says: &[&str]| {
        let m = merge(parts, &["--format", "json"]);
        assert_eq!(m.status.code(), Some(2), "{}", stderr(&m));
        assert!(m.stdout.is_empty());
        for s in says {
            assert!(stderr(&m).contains(s), "{s:?} not in: {}", stderr(&m));
        }
    };
    let seed = part("seed", "2/2", &["--seed", "99"]);
    refused(&[one.clone(), seed.clone()], &["differ in the seed", "99"]);
    let set = part("set", "2/2", &["--set", "crossing.post.stage.1.servers=5"]);
    refused(
        &[one.clone(), set],
        &["differ in the scenario (after overlays and --set)"],
    );
    // The same scenario named otherwise: documents name files as given.
    let spelt = dir.join("spelt");
    corridor_ok(&[
        "run",
        "scenarios/../scenarios/border_post.toml",
        "--replications",
        "6",
        "--shard",
        "2/2",
        "--out",
        spelt.to_str().unwrap(),
    ]);
    refused(
        &[one.clone(), spelt.join("part-2-of-2.cbor")],
        &["differ in the command", "scenarios/../scenarios"],
    );
    let count = part("count", "1/3", &[]);
    refused(&[one.clone(), count], &["the number of shards"]);
    refused(
        &[one.clone(), one.clone()],
        &["both shard 1/2", "give each shard once"],
    );
    refused(
        std::slice::from_ref(&one),
        &["shard 2 of 2 is missing", "--allow-missing"],
    );
    let not_a_part = dir.join("a").join("notes.cbor");
    std::fs::write(&not_a_part, "hello").unwrap();
    refused(&[not_a_part], &["notes.cbor", "not a partial result"]);
    // The scenario file changed between the shards and the merge.
    let copy = dir.join("copy.toml");
    std::fs::copy("scenarios/border_post.toml", &copy).unwrap();
    let c = copy.to_str().unwrap();
    let p = dir.join("changed");
    for s in ["1/2", "2/2"] {
        corridor_ok(&[
            "run",
            c,
            "--replications",
            "4",
            "--shard",
            s,
            "--out",
            p.to_str().unwrap(),
        ]);
    }
    let text = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(&copy, text.replace("servers = 4", "servers = 5")).unwrap();
    let m = merge(std::slice::from_ref(&p), &["--format", "json"]);
    assert_ne!(m.status.code(), Some(0));
    assert!(
        stderr(&m).contains("changed since the shards ran"),
        "{}",
        stderr(&m)
    );
    // A part given with its own directory still merges alone.
    let ok = merge(&[one, two], &["--format", "json"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_shard_refuses_what_it_cannot_do_before_running() {
    let dir = scratch_dir("shards-options");
    let out = dir.join("parts");
    let o = out.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--shard", "1/2"], "give --out DIR"),
        (
            &["--shard", "1/2", "--out", o, "--html", "r.html"],
            "give --html to",
        ),
        (
            &["--shard", "1/2", "--out", o, "--precision", "0.1"],
            "--precision",
        ),
        (
            &["--shard", "5/5", "--out", o, "--replications", "4"],
            "give at most 4 shards",
        ),
        (&["--shard", "3/2", "--out", o], "1 <= I <= N"),
    ];
    for (extra, says) in cases {
        let mut a = vec!["run", "scenarios/border_post.toml"];
        a.extend_from_slice(extra);
        let r = corridor(&a);
        // A command line that cannot be run, like every other: exit code 2.
        assert_eq!(r.status.code(), Some(2), "{extra:?}: {}", stderr(&r));
        assert!(stderr(&r).contains(says), "{says:?} not in: {}", stderr(&r));
    }
    assert!(
        std::fs::read_dir(&out).map_or(true, |d| d.count() == 0),
        "no part and no temporary file is left"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_shard_reads_its_index_from_a_slurm_array_or_a_kubernetes_indexed_job() {
    let dir = scratch_dir("shards-env");
    let out = dir.join("parts");
    let run = |vars: &[(&str, &str)]| {
        let mut c = command(&[
            "run",
            "scenarios/border_post.toml",
            "--replications",
            "4",
            "--shard",
            "env/2",
            "--out",
            out.to_str().unwrap(),
        ]);
        c.env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("SLURM_ARRAY_TASK_MIN")
            .env_remove("JOB_COMPLETION_INDEX");
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    // An array numbered from 0, and a Kubernetes index (from 0).
    let slurm = run(&[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_MIN", "0")]);
    assert!(slurm.status.success(), "{}", stderr(&slurm));
    assert!(out.join("part-1-of-2.cbor").exists());
    let k8s = run(&[("JOB_COMPLETION_INDEX", "1")]);
    assert!(k8s.status.success(), "{}", stderr(&k8s));
    assert!(out.join("part-2-of-2.cbor").exists());
    let none = run(&[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("neither is set"));
    let beyond = run(&[("SLURM_ARRAY_TASK_ID", "3")]);
    assert_eq!(beyond.status.code(), Some(2));
    assert!(
        stderr(&beyond).contains("--array=1-2"),
        "{}",
        stderr(&beyond)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_task_index_at_the_end_of_u64_is_refused_not_wrapped_to_shard_0() {
    // u64::MAX + 1 wrapped to 0, and shard 0 of 2 ran and wrote part-0-of-2.cbor.
    let dir = scratch_dir("shards-env-max");
    let out = dir.join("parts");
    let max = u64::MAX.to_string();
    for vars in [
        vec![("JOB_COMPLETION_INDEX", max.as_str())],
        vec![
            ("SLURM_ARRAY_TASK_ID", max.as_str()),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ],
    ] {
        let mut c = command(&[
            "run",
            "scenarios/border_post.toml",
            "--replications",
            "4",
            "--shard",
            "env/2",
            "--out",
            out.to_str().unwrap(),
        ]);
        c.env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("SLURM_ARRAY_TASK_MIN")
            .env_remove("JOB_COMPLETION_INDEX");
        c.envs(vars.iter().copied());
        let r = c.output().unwrap();
        assert_eq!(r.status.code(), Some(2), "{vars:?}: {}", stderr(&r));
        let says = format!(
            "error: --shard: {} gives shard 18446744073709551616, but there are 2: submit 2 tasks",
            vars[0].0
        );
        assert!(stderr(&r).starts_with(&says), "{}", stderr(&r));
        assert!(
            std::fs::read_dir(&out).map_or(true, |d| d.count() == 0),
            "no part is written"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_interrupted_shard_writes_what_it_finished_and_a_rerun_replaces_it() {
    let dir = scratch_dir("shards-term");
    let out = dir.join("parts");
    let o = out.to_str().unwrap();
    let shard = |i: &str| {
        let mut c = command(&[
            "run",
            "scenarios/kazakhstan_2025.toml",
            "--replications",
            "60",
            "--threads",
            "1",
            "--shard",
            i,
            "--out",
            o,
        ]);
        c.stderr(std::process::Stdio::piped());
        c
    };
    let child = shard("1/2").spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let term = child.wait_with_output().unwrap();
    assert_eq!(term.status.code(), Some(130), "{}", stderr(&term));
    assert!(stderr(&term).contains("interrupted"), "{}", stderr(&term));
    let listing = || {
        let mut f: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        f.sort();
        f
    };
    assert_eq!(
        listing(),
        ["part-1-of-2.cbor"],
        "the part, nothing temporary"
    );
    let two = shard("2/2").output().unwrap();
    assert!(two.status.success(), "{}", stderr(&two));
    let parts = [out.join("part-1-of-2.cbor"), out.join("part-2-of-2.cbor")];
    let refused = merge(&parts, &["--format", "json"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("part-1-of-2.cbor was interrupted"));
    let partial = merge(&parts, &["--format", "json", "--allow-missing"]);
    assert!(partial.status.success(), "{}", stderr(&partial));
    let v: serde_json::Value = serde_json::from_slice(&partial.stdout).unwrap();
    let held = v["replications"].as_u64().unwrap() - 30;
    assert!(held < 30, "{held} of shard 1's 30 replications held");
    assert_eq!(v["merge"]["complete"], false);
    assert_eq!(v["merge"]["missing_shards"], serde_json::json!([]));
    let gaps = &v["merge"]["missing_replications"][0]["replications"];
    assert_eq!(gaps, &serde_json::json!([[held, 30]]));
    assert!(stderr(&partial).contains("missing"));
    // The scheduler retries the task: the new part replaces the interrupted one.
    let again = shard("1/2").output().unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(listing(), ["part-1-of-2.cbor", "part-2-of-2.cbor"]);
    let whole = merge(&parts, &["--format", "json"]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let v: serde_json::Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(v["replications"], 60);
    assert!(
        v.get("merge").is_none(),
        "a whole merge is one run's document"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs shards 1 and 3 of 3 of `command` (6 replications) into `out`, as a batch whose
/// second task never ran leaves them.
fn shards_but_the_second(out: &Path, command: &[&str]) {
    for shard in ["1/3", "3/3"] {
        let rest = [
            "--replications",
            "6",
            "--shard",
            shard,
            "--out",
            out.to_str().unwrap(),
        ];
        corridor_ok(&[command, &rest[..]].concat());
    }
}

#[test]
fn a_capacity_search_merged_without_some_replications_writes_nothing_and_says_why() {
    let dir = scratch_dir("shards-capacity-missing");
    let out = dir.join("parts");
    shards_but_the_second(
        &out,
        &[
            "capacity",
            "scenarios/border_post.toml",
            "--max-p95-wait-h",
            "6",
        ],
    );
    let m = merge(&[out], &["--allow-missing", "--format", "json"]);
    assert_eq!(m.status.code(), Some(1), "{}", stderr(&m));
    assert!(m.stdout.is_empty());
    assert!(stderr(&m).contains("no part of shard 2"), "{}", stderr(&m));
    assert!(stderr(&m).contains("every replication"), "{}", stderr(&m));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_run_merged_without_a_shard_says_so_in_its_csv_and_its_report() {
    let dir = scratch_dir("shards-run-missing");
    let out = dir.join("parts");
    shards_but_the_second(&out, &["run", "scenarios/border_post.toml"]);
    let html = dir.join("merged.html");
    let m = merge(
        &[out],
        &[
            "--allow-missing",
            "--format",
            "csv",
            "--html",
            html.to_str().unwrap(),
        ],
    );
    assert!(m.status.success(), "{}", stderr(&m));
    let csv = String::from_utf8_lossy(&m.stdout);
    let head: Vec<&str> = csv.lines().take(3).collect();
    assert_eq!(
        head,
        [
            "section,id,metric,mean,sd,ci95_lo,ci95_hi,min,max",
            "merge,merge,complete,0,,,,,",
            "merge,merge,missing_replications,2,,,,,"
        ]
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("INCOMPLETE MERGE: no part of shard 2: 2 replications are missing"),
        "the report says what it lacks"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Rewrites the header of the partial result at `from` into `to` with `change` applied.
fn with_header(from: &Path, to: &Path, change: impl FnOnce(&mut PartHeader)) {
    let bytes = std::fs::read(from).unwrap();
    let len = u64::from_le_bytes(bytes[8..16].try_into().unwrap()) as usize;
    let mut header: PartHeader = ciborium::from_reader(&bytes[16..16 + len]).unwrap();
    change(&mut header);
    let mut head = Vec::new();
    ciborium::into_writer(&header, &mut head).unwrap();
    let mut out = bytes[..8].to_vec();
    out.extend((head.len() as u64).to_le_bytes());
    out.extend(head);
    out.extend(&bytes[16 + len..]);
    std::fs::write(to, out).unwrap();
}

#[test]
fn merge_refuses_parts_of_another_version_and_damaged_parts() {
    let dir = scratch_dir("shards-version");
    let (_, parts) = one_and_shards(
        &dir,
        &["run", "scenarios/border_post.toml", "--replications", "4"],
        2,
    );
    let older = dir.join("older.cbor");
    with_header(&parts[1], &older, |h| h.version = "0.0.1".into());
    let m = merge(&[parts[0].clone(), older], &["--format", "json"]);
    assert_eq!(m.status.code(), Some(2));
    assert!(
        stderr(&m).contains("differ in the version of corridor") && stderr(&m).contains("0.0.1"),
        "{}",
        stderr(&m)
    );
    // A part cut short (a copy that did not finish) is named, not half read.
    let bytes = std::fs::read(&parts[1]).unwrap();
    let cut = dir.join("cut.cbor");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let m = merge(&[parts[0].clone(), cut], &["--format", "json"]);
    assert_ne!(m.status.code(), Some(0));
    assert!(m.stdout.is_empty());
    assert!(stderr(&m).contains("cut.cbor"), "{}", stderr(&m));
    std::fs::remove_dir_all(&dir).ok();
}
