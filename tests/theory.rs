//! The simulation agrees with queueing theory where theory has an answer. Each test runs
//! the real binary on a shipped scenario and checks that the analytic value lies inside the
//! reported 95 % confidence interval.

mod common;
use common::{json_of, mmc_wait, run_json, stat};

#[test]
fn erlang_c_formula_matches_a_known_value() {
    // M/M/2 with a = 1: C = 1/3, Wq = C / (2 - 1) = 1/3 (mu = 1).
    assert!((common::erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn border_post_mean_wait_matches_erlang_c() {
    // scenarios/border_post.toml: M/M/4, lambda = 7/h, mu = 2/h.
    let v = run_json("scenarios/border_post.toml", &[]);
    let theory = mmc_wait(4, 7.0, 2.0);
    let (mean, lo, hi) = stat(&v, &["crossings", "0", "wait_h", "mean"]);
    assert!(
        lo <= theory && theory <= hi,
        "Erlang C wait {theory:.4} h outside the simulated CI [{lo:.4}, {hi:.4}] (mean {mean:.4})"
    );
    let (util, ..) = stat(&v, &["crossings", "0", "utilization"]);
    assert!((util - 0.875).abs() < 0.005, "utilisation {util}");
}

#[test]
fn a_sweep_of_servers_at_an_mmc_post_matches_erlang_c_at_every_point() {
    // scenarios/border_post.toml with 4, 5 and 6 lanes: M/M/c, lambda = 7/h, mu = 2/h.
    // 40 replications of a year (seed 7, the file's) give each mean wait to within 3 %;
    // the points share their random numbers, so their errors go together.
    let v = json_of(
        "sweep",
        &[
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=4..6",
            "--replications",
            "40",
        ],
    );
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    for (p, c) in points.iter().zip(4..=6) {
        assert_eq!(p["values"]["crossing.post.stage.1.servers"], c);
        let r = &p["results"];
        let theory = mmc_wait(c, 7.0, 2.0);
        let (mean, lo, hi) = stat(r, &["crossings", "0", "wait_h", "mean"]);
        assert!(
            lo <= theory && theory <= hi,
            "M/M/{c}: Erlang C wait {theory:.4} h outside the simulated CI [{lo:.4}, {hi:.4}] (mean {mean:.4})"
        );
        assert!((hi - lo) / 2.0 < 0.03 * theory, "M/M/{c}: CI [{lo}, {hi}]");
        let (util, ..) = stat(r, &["crossings", "0", "utilization"]);
        let rho = 7.0 / (2.0 * f64::from(c));
        assert!(
            (util - rho).abs() < 0.005,
            "M/M/{c}: utilisation {util} vs {rho}"
        );
    }
}

#[test]
fn border_post_time_at_the_crossing_matches_erlang_c_sojourn() {
    // scenarios/border_post.toml: M/M/4, lambda = 7/h, mu = 2/h. The time at the crossing
    // is the sojourn W = Wq + 1/mu: the wait and the service.
    let v = run_json("scenarios/border_post.toml", &[]);
    let theory = mmc_wait(4, 7.0, 2.0) + 1.0 / 2.0;
    let (mean, lo, hi) = stat(&v, &["crossings", "0", "time_h", "mean"]);
    assert!(
        lo <= theory && theory <= hi,
        "Erlang C sojourn {theory:.4} h outside the simulated CI [{lo:.4}, {hi:.4}] (mean {mean:.4})"
    );
    let (wait, ..) = stat(&v, &["crossings", "0", "wait_h", "mean"]);
    assert!(
        mean > wait + 0.45,
        "time {mean} h covers the wait {wait} h and the service"
    );
}

#[test]
fn tandem_posts_match_a_jackson_network() {
    // scenarios/tandem_crossings.toml: M/M/3 (mu = 3/h) then M/M/5 (mu = 2/h), lambda = 8/h.
    let v = run_json("scenarios/tandem_crossings.toml", &[]);
    for (i, c, mu) in [(0, 3, 3.0), (1, 5, 2.0)] {
        let theory = mmc_wait(c, 8.0, mu);
        let (mean, lo, hi) = stat(&v, &["crossings", &i.to_string(), "wait_h", "mean"]);
        assert!(
            lo <= theory && theory <= hi,
            "post {i}: theory {theory:.4} h outside [{lo:.4}, {hi:.4}] (mean {mean:.4})"
        );
    }
}

#[test]
fn single_track_without_loops_matches_pollaczek_khinchine() {
    // scenarios/theory/md1_single_track.toml: M/D/1, lambda = 0.7/h, S = 1 h.
    let v = run_json("scenarios/theory/md1_single_track.toml", &[]);
    let (lambda, s) = (0.7, 1.0);
    let rho: f64 = lambda * s;
    let theory = lambda * s * s / (2.0 * (1.0 - rho));
    let (mean, lo, hi) = stat(&v, &["links", "0", "wait_h", "mean"]);
    assert!(
        lo <= theory && theory <= hi,
        "P-K wait {theory:.4} h outside [{lo:.4}, {hi:.4}] (mean {mean:.4})"
    );
    let (util, ulo, uhi) = stat(&v, &["links", "0", "utilization"]);
    assert!(ulo <= rho && rho <= uhi, "utilisation {util} vs rho {rho}");
}

#[test]
fn littles_law_holds_at_a_crossing() {
    // Time-average queue length = throughput x mean wait, for the border post.
    let v = run_json("scenarios/border_post.toml", &[]);
    let window_h = v["horizon_h"].as_f64().unwrap() - v["warmup_h"].as_f64().unwrap();
    let (processed, ..) = stat(&v, &["crossings", "0", "processed"]);
    let (wait, ..) = stat(&v, &["crossings", "0", "wait_h", "mean"]);
    let (queue, lo, hi) = stat(&v, &["crossings", "0", "queue_len"]);
    let little = processed / window_h * wait;
    assert!(
        lo <= little && little <= hi,
        "lambda W = {little:.4} outside the queue-length CI [{lo:.4}, {hi:.4}] (L = {queue:.4})"
    );
    assert!(
        (little - queue).abs() / queue < 0.01,
        "L {queue} vs lambda W {little}"
    );
}

#[test]
fn double_track_carries_exactly_its_headway_capacity_and_the_rest_is_backlog() {
    // scenarios/theory/double_track_overload.toml: headway 30 min -> 48 trains/day; 60
    // offered per day, evenly spaced, 60 TEU each, over 365 days.
    let v = run_json("scenarios/theory/double_track_overload.toml", &[]);
    let (trains, ..) = stat(&v, &["links", "0", "trains"]);
    assert_eq!(trains, 48.0 * 365.0, "trains through the segment");
    let (delivered, ..) = stat(&v, &["flows", "0", "delivered_teu_per_year"]);
    assert_eq!(delivered, 48.0 * 365.0 * 60.0);
    let (backlog, ..) = stat(&v, &["flows", "0", "backlog_teu"]);
    assert_eq!(
        backlog,
        12.0 * 365.0 * 60.0,
        "trains offered but not carried"
    );
    // Busy from the first train on: it arrives within one 24-minute interval of the start.
    let (util, ..) = stat(&v, &["links", "0", "utilization"]);
    let idle_at_most = 0.4 / (365.0 * 24.0);
    assert!(
        util <= 1.0 && util >= 1.0 - idle_at_most,
        "utilisation {util}"
    );
}

#[test]
fn transit_priority_matches_cobhams_formula() {
    // scenarios/theory/priority_post.toml: M/M/1, mu = 2/h, transit 0.6/h first, others
    // 0.8/h. A flow's transit time is 2 min of road, its wait, and 0.5 h of service.
    let v = run_json("scenarios/theory/priority_post.toml", &[]);
    let w0 = (0.6 + 0.8) * (2.0 * 0.25) / 2.0;
    let rho1: f64 = 0.6 * 0.5;
    let rho: f64 = 1.4 * 0.5;
    let fixed = 2.0 / 60.0 + 0.5;
    for (i, theory) in [
        (0, w0 / (1.0 - rho1)),
        (1, w0 / ((1.0 - rho1) * (1.0 - rho))),
    ] {
        let (mean, lo, hi) = stat(&v, &["flows", &i.to_string(), "transit_h", "mean"]);
        let (mean, lo, hi) = (mean - fixed, lo - fixed, hi - fixed);
        assert!(
            lo <= theory && theory <= hi,
            "class {i}: Cobham wait {theory:.4} h outside [{lo:.4}, {hi:.4}] (mean {mean:.4})"
        );
    }
}
