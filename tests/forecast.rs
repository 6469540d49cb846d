//! `corridor forecast`: demand growth year by year and the first year of saturation.

mod common;
use common::{corridor, corridor_ok, scratch_dir, stat};
use serde_json::Value;

fn forecast(args: &[&str]) -> Value {
    common::json_of("forecast", args)
}

#[test]
fn forecast_finds_the_saturation_year_a_hand_computation_gives() {
    // scenarios/theory/growing_post.toml: a one-lane post, 1 h a truck, 0.5 trucks/h in
    // 2025 growing 12 % a year. Its busy share over year 2025 + k is
    // 0.5 x 1.12^k x 0.12 / ln(1.12); the first year above 0.85 is the saturation year.
    let busy = |k: i32| 0.5 * 1.12f64.powi(k) * 0.12 / 1.12f64.ln();
    let by_hand = (0..).find(|&k| busy(k) > 0.85).unwrap() + 2025;
    assert_eq!(by_hand, 2030);
    let v = forecast(&[
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2032",
    ]);
    assert_eq!(v["schema"], "corridor.forecast/1");
    let sat = v["saturation"].as_array().unwrap();
    let post = sat
        .iter()
        .find(|s| s["id"] == "post" && s["kind"] == "crossing")
        .unwrap();
    assert_eq!(post["year"], by_hand);
    // Every year's utilisation agrees with the hand computation.
    let years = v["years"].as_array().unwrap();
    assert_eq!(years.len(), 8);
    for (k, y) in years.iter().enumerate().take(6) {
        let (u, lo, hi) = stat(y, &["crossings", "0", "utilization"]);
        let want = busy(k as i32);
        assert!(
            (lo - 0.005..=hi + 0.005).contains(&want),
            "year {}: utilisation {u:.4} [{lo:.4}, {hi:.4}], by hand {want:.4}",
            y["year"]
        );
    }
}

#[test]
fn forecasting_several_scenarios_shows_what_a_project_buys() {
    // The post with a second lane saturates much later than the post with one.
    let dir = scratch_dir("forecast");
    let two = dir.join("two_lanes.toml");
    let base = common::root().join("scenarios/theory/growing_post.toml");
    std::fs::write(
        &two,
        format!(
            "[scenario]\nextends = {:?}\nname = \"two lanes\"\n\n[[crossing]]\nid = \"post\"\n\n[[crossing.stage]]\nname = \"control\"\nservers = 2\nservice_h = 1.0\n",
            base.to_string_lossy()
        ),
    )
    .unwrap();
    let two = two.to_string_lossy().into_owned();
    let out = dir.join("out").to_string_lossy().into_owned();
    corridor_ok(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        &two,
        "--years",
        "2025..2036",
        "--replications",
        "4",
        "--out",
        &out,
        "--quiet",
    ]);
    let read = |name: &str| std::fs::read_to_string(dir.join("out").join(name)).unwrap();
    let v: Value = serde_json::from_str(&read("forecast.json")).unwrap();
    let year_of = |doc: &Value| {
        doc["saturation"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "post")
            .unwrap()["year"]
            .clone()
    };
    assert_eq!(year_of(&v), 2030);
    // Two lanes: 0.5295 x 1.12^k / 2 > 0.85 first for k = 11.
    assert_eq!(year_of(&v["variants"][0]), 2036);
    let table = read("forecast.txt");
    assert!(
        table.contains("crossing post") && table.contains("2030") && table.contains("2036"),
        "{table}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_malformed_year_range_is_refused() {
    let out = corridor(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2035..2025",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
