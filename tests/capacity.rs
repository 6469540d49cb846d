//! `corridor capacity`: the largest demand multiplier meeting service targets, checked
//! where queueing theory knows the answer.

mod common;
use common::{corridor, erlang_c, mmc_wait, scratch_dir};
use serde_json::Value;

fn capacity(args: &[&str]) -> Value {
    common::json_of("capacity", args)
}

/// The arrival rate at which `f(rate)` reaches `target`, by bisection (f increasing).
fn solve(f: impl Fn(f64) -> f64, target: f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

fn assert_within(v: &Value, truth: f64) {
    let lo = v["multiplier_ci95"][0].as_f64().unwrap();
    let hi = v["multiplier_ci95"][1].as_f64().unwrap();
    let m = v["multiplier"].as_f64().unwrap();
    assert!(
        lo <= truth && truth <= hi,
        "analytic {truth:.4} outside [{lo:.4}, {hi:.4}] (found {m:.4})"
    );
    assert!(
        hi - lo < 0.1 * truth,
        "interval [{lo}, {hi}] too wide to mean anything"
    );
}

#[test]
fn capacity_of_a_border_post_meets_an_erlang_c_mean_wait_target() {
    // scenarios/border_post.toml: M/M/4, mu = 2/h, 7 trucks/h. Largest rate with Wq <= 0.5 h.
    let rate = solve(|l| mmc_wait(4, l, 2.0), 0.5, 0.1, 7.999);
    let v = capacity(&[
        "scenarios/border_post.toml",
        "--max-mean-wait-h",
        "0.5",
        "--replications",
        "10",
    ]);
    assert_within(&v, rate / 7.0);
    assert_eq!(v["schema"], "corridor.capacity/1");
    assert_eq!(v["binding"], "post");
    assert_eq!(v["binding_kind"], "crossing");
    assert_eq!(v["feasible"], true);
    assert_eq!(v["infeasible_replications"], 0);
    assert_eq!(v["failing"], Value::Null);
}

#[test]
fn capacity_of_a_border_post_meets_an_erlang_c_p95_wait_target() {
    // P(Wq > t) = C(c, a) exp(-(c mu - lambda) t): the 95th percentile is
    // ln(C / 0.05) / (c mu - lambda) when C > 0.05.
    let p95 = |l: f64| {
        let c = erlang_c(4, l / 2.0);
        if c <= 0.05 {
            0.0
        } else {
            (c / 0.05).ln() / (8.0 - l)
        }
    };
    let rate = solve(p95, 2.0, 0.1, 7.999);
    let v = capacity(&[
        "scenarios/border_post.toml",
        "--max-p95-wait-h",
        "2",
        "--replications",
        "10",
    ]);
    assert_within(&v, rate / 7.0);
}

#[test]
fn capacity_of_a_double_track_is_its_headway_limit() {
    // 48 trains a day fit through a 30-minute headway; 60 a day are offered, evenly spaced.
    let v = capacity(&[
        "scenarios/theory/double_track_overload.toml",
        "--max-backlog-teu",
        "600",
    ]);
    assert_within(&v, 48.0 / 60.0);
    assert_eq!(v["binding"], "backlog");
}

#[test]
fn capacity_without_a_target_is_refused() {
    let out = corridor(&["capacity", "scenarios/border_post.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give at least one target"));
}

#[test]
fn a_wait_target_of_zero_hours_is_refused_naming_the_option_and_the_value() {
    for (args, says) in [
        (
            ["--max-p95-wait-h", "0"],
            "error: --max-p95-wait-h 0: a target must be a number of hours above 0\n",
        ),
        (
            ["--max-mean-wait-h", "-0.5"],
            "error: --max-mean-wait-h -0.5: a target must be a number of hours above 0\n",
        ),
        (
            ["--max-backlog-teu", "-1"],
            "error: --max-backlog-teu -1: a target must be a number of TEU of 0 or more\n",
        ),
    ] {
        let given = format!("{}={}", args[0], args[1]);
        let out = corridor(&["capacity", "scenarios/border_post.toml", &given]);
        assert_eq!(out.status.code(), Some(2), "{given}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), says);
    }
}

#[test]
fn capacity_can_count_the_waits_of_one_element_only() {
    // In the tandem the exit post (3 lanes) binds first; counting the entry post only, the
    // demand can grow until the entry post's own Erlang C wait reaches the target.
    let rate = solve(|l| mmc_wait(5, l, 2.0), 0.5, 0.1, 9.999);
    let v = capacity(&[
        "scenarios/tandem_crossings.toml",
        "--max-mean-wait-h",
        "0.5",
        "--element",
        "entry",
        "--replications",
        "10",
    ]);
    assert_eq!(v["binding"], "entry");
    assert_within(&v, rate / 8.0);
    let out = corridor(&[
        "capacity",
        "scenarios/tandem_crossings.toml",
        "--max-mean-wait-h",
        "1",
        "--element",
        "entyr",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean \"entry\"?"));
}

#[test]
fn an_element_behind_a_tighter_one_is_limited_by_what_reaches_it() {
    // The entry post (capacity 10 trucks/h) could take a 5 h mean wait only near 10/h, but
    // the exit post before it passes at most 9/h: the demand stops being carried (less
    // than 98 % delivered) first, at a multiplier near 9/8 / 0.98, and the exit post is
    // named.
    let v = capacity(&[
        "scenarios/tandem_crossings.toml",
        "--max-mean-wait-h",
        "5",
        "--element",
        "entry",
        "--replications",
        "6",
    ]);
    assert_eq!(v["binding"], "exit");
    let m = v["multiplier"].as_f64().unwrap();
    assert!(m > 1.0 && m < 9.0 / 8.0 / 0.98 * 1.01, "multiplier {m}");
}

#[test]
fn a_target_no_demand_meets_is_not_feasible_names_what_fails_and_exits_with_3() {
    // On the Eurasian network the Caspian ferries wait for a sailing (Kuryk–Alat sails
    // when full or after 48 h, both lines stop in storms of two days on average), so their
    // 95th-percentile wait passes a day whatever the demand: even at 1/64 of it.
    let dir = scratch_dir("capacity-infeasible");
    let out_dir = dir.join("out").to_string_lossy().into_owned();
    let args = [
        "capacity",
        "scenarios/eurasia_2025.toml",
        "--max-p95-wait-h",
        "24",
        "--replications",
        "3",
        "--out",
        &out_dir,
    ];
    let out = corridor(&args);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("NOT FEASIBLE"), "{table}");
    assert!(
        table.contains("not met even at 1/64 of the container demand"),
        "{table}"
    );
    assert!(!table.contains("demand multiplier"), "{table}");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/capacity.json")).unwrap())
            .unwrap();
    assert_eq!(v["feasible"], false);
    assert_eq!(v["infeasible_replications"], 3);
    assert_eq!(v["multiplier"], 0.0);
    let failing = &v["failing"];
    assert_eq!(failing["kind"], "ferry");
    assert_eq!(failing["figure"], "wait_h.p95");
    assert_eq!(failing["limit"], 24.0);
    assert_eq!(failing["multiplier"], 1.0 / 64.0);
    assert!(failing["value"].as_f64().unwrap() > 24.0, "{failing}");
    let named = format!(
        "ferry {}: 95th-percentile wait",
        failing["id"].as_str().unwrap()
    );
    assert!(table.contains(&named), "{table}");
    let csv = std::fs::read_to_string(dir.join("out/capacity.csv")).unwrap();
    assert!(
        csv.lines().nth(1).unwrap().contains(",false,3,ferry,"),
        "{csv}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn leaving_the_ferries_out_of_the_targets_gives_the_rest_of_the_network_an_answer() {
    // Leaving one ferry out, the other fails at 1/64 in some replications only: the answer
    // is feasible when those are at most half, and the table says how many there were.
    let out = corridor(&[
        "capacity",
        "scenarios/eurasia_2025.toml",
        "--max-p95-wait-h",
        "24",
        "--replications",
        "3",
        "--exclude",
        "kuryk-alat",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = v["infeasible_replications"].as_u64().unwrap();
    let feasible = 2 * k <= 3;
    assert_eq!(v["feasible"], feasible);
    assert_eq!(out.status.code(), Some(if feasible { 0 } else { 3 }));
    assert_eq!(v["failing"].is_null(), k == 0);

    // Leaving the two ferries out of the targets, the rest of the network has an answer.
    let v = capacity(&[
        "scenarios/eurasia_2025.toml",
        "--max-p95-wait-h",
        "24",
        "--replications",
        "3",
        "--exclude",
        "kuryk-alat",
        "--exclude",
        "aktau-alat",
    ]);
    assert_eq!(v["feasible"], true);
    assert!(
        v["multiplier"].as_f64().unwrap() > 0.5,
        "{}",
        v["multiplier"]
    );
    assert_eq!(
        v["targets"]["exclude"],
        serde_json::json!(["kuryk-alat", "aktau-alat"])
    );
}

#[test]
fn leaving_an_element_out_of_the_targets_counts_the_others_only() {
    // In the tandem, leaving the exit post out counts the entry post (and the roads, which
    // hold nobody): the same answer as counting the entry post alone, its Erlang C wait.
    let rate = solve(|l| mmc_wait(5, l, 2.0), 0.5, 0.1, 9.999);
    let run = |option: &str, id: &str| {
        capacity(&[
            "scenarios/tandem_crossings.toml",
            "--max-mean-wait-h",
            "0.5",
            option,
            id,
            "--replications",
            "10",
        ])
    };
    let excluded = run("--exclude", "exit");
    assert_within(&excluded, rate / 8.0);
    assert_eq!(excluded["binding"], "entry");
    assert_eq!(
        excluded["per_replication"],
        run("--element", "entry")["per_replication"]
    );
}

#[test]
fn an_unknown_or_contradictory_excluded_element_is_refused() {
    let refused = |extra: &[&str], message: &str| {
        let mut args = vec![
            "capacity",
            "scenarios/tandem_crossings.toml",
            "--max-mean-wait-h",
            "1",
        ];
        args.extend_from_slice(extra);
        let out = corridor(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{extra:?}: {err}");
    };
    refused(
        &["--exclude", "exti"],
        "--exclude \"exti\": no crossing, segment, ferry or fleet has that id; did you mean \"exit\"?",
    );
    refused(
        &["--element", "exit", "--exclude", "exit"],
        "--element and --exclude both name \"exit\"",
    );
    refused(
        &[
            "--exclude",
            "exit",
            "--exclude",
            "entry",
            "--exclude",
            "a-road",
            "--exclude",
            "neutral-strip",
            "--exclude",
            "b-road",
        ],
        "no target is left to meet",
    );
}

#[test]
fn a_fleet_too_small_binds_the_capacity_and_set_changes_its_size() {
    // scenarios/examples/two_gauges.toml with the road border's waits left out: with
    // four broad-gauge trains' stock the trains' wait for wagons is what limits the
    // demand; with eight the fleet no longer binds and more demand is carried.
    let capacity = |wagons: &str, locos: &str| {
        common::json_of(
            "capacity",
            &[
                "scenarios/examples/two_gauges.toml",
                "--max-mean-wait-h",
                "24",
                "--exclude",
                "border-road",
                "--replications",
                "3",
                "--set",
                wagons,
                "--set",
                locos,
            ],
        )
    };
    let small = capacity(
        "fleet.broad-gauge.wagons=200",
        "fleet.broad-gauge.locomotives=4",
    );
    assert_eq!(small["binding"], "broad-gauge", "{small}");
    let large = capacity(
        "fleet.broad-gauge.wagons=400",
        "fleet.broad-gauge.locomotives=8",
    );
    assert_ne!(large["binding"], "broad-gauge", "{large}");
    let multiplier = |v: &Value| v["multiplier"].as_f64().unwrap();
    assert!(multiplier(&large) > multiplier(&small) + 0.2);
}
