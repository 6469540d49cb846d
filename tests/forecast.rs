//! `corridor forecast`: demand growth year by year and the first year of saturation.

mod common;
use common::{corridor, corridor_ok, scratch_dir, stat, too_wide};
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
    let html = dir.join("forecast.html").to_string_lossy().into_owned();
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
        "--html",
        &html,
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
    // The report sets the two side by side before giving each in full: the TEU and the
    // transit of each, and the years the second lane buys the post.
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h1>Forecast of 2 scenarios</h1>"));
    let side = page.find("The 2 scenarios side by side").unwrap();
    assert!(side < page.find("forecast-teu-1").unwrap());
    for chart in ["forecasts-teu", "forecasts-transit"] {
        let svg = page.split(&format!("<svg id=\"{chart}\"")).nth(1).unwrap();
        let svg = svg.split("</svg>").next().unwrap();
        assert_eq!(svg.matches(r#"class="line""#).count(), 2, "{chart}");
    }
    assert!(
        page.contains(r#"<tr><td>crossing post</td><td class="">2030</td><td class="later">2036 (+6 years)</td></tr>"#),
        "{page}"
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

/// The `saturation` entry of `kind` `id` in a forecast document.
fn saturation_of<'a>(doc: &'a Value, kind: &str, id: &str) -> &'a Value {
    doc["saturation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == kind && s["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} is in the saturation list"))
}

/// Each year's share of replications saturated, as (year, share).
fn shares(entry: &Value) -> Vec<(i64, f64)> {
    entry["share_saturated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["year"].as_i64().unwrap(), s["share"].as_f64().unwrap()))
        .collect()
}

#[test]
fn saturation_shares_rise_with_the_years_and_half_the_replications_saturate_in_the_year_computed_by_hand(
) {
    // The post's mean busy share over year 2025 + k is 0.5295 x 1.12^k (see above); its
    // replications spread little around it (a 95 % CI of about ±0.005), so the year in
    // which half of them are above 0.85 is the year in which the mean crosses 0.85.
    let busy = |k: i32| 0.5 * 1.12f64.powi(k) * 0.12 / 1.12f64.ln();
    let by_hand = (0..).find(|&k| busy(k) > 0.85).unwrap() + 2025;
    assert_eq!(by_hand, 2030);
    let v = forecast(&[
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2032",
        "--replications",
        "20",
    ]);
    for (kind, id) in [("crossing", "post"), ("flow", "trucks")] {
        let entry = saturation_of(&v, kind, id);
        let s = shares(entry);
        assert_eq!(
            s.iter().map(|(y, _)| *y).collect::<Vec<_>>(),
            (2025..=2032).collect::<Vec<_>>(),
            "{id}: a share for every year"
        );
        assert!(
            s.windows(2).all(|w| w[0].1 <= w[1].1),
            "{id}: shares rise with the years: {s:?}"
        );
        assert_eq!(s[0].1, 0.0, "{id}: nothing saturated in 2025");
        assert_eq!(s[7].1, 1.0, "{id}: every replication saturated in 2032");
        let first = |at: f64| s.iter().find(|(_, share)| *share >= at).map(|(y, _)| *y);
        assert_eq!(entry["year_10"].as_i64(), first(0.1), "{id}");
        assert_eq!(entry["year_90"].as_i64(), first(0.9), "{id}");
        assert!(first(0.1) <= first(0.5) && first(0.5) <= first(0.9), "{id}");
    }
    let post = shares(saturation_of(&v, "crossing", "post"));
    let half = post.iter().find(|(_, share)| *share >= 0.5).unwrap().0;
    assert_eq!(half, i64::from(by_hand), "{post:?}");
    assert_eq!(saturation_of(&v, "crossing", "post")["year"], by_hand);
}

#[test]
fn the_forecast_table_gives_each_year_with_its_confidence_interval_and_the_10_and_90_percent_years()
{
    let out = corridor_ok(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2032",
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("mean ± 95 % CI half-width"), "{table}");
    let rows: Vec<&str> = (table.lines())
        .filter(|l| l.trim_start().starts_with("2031"))
        .collect();
    // Delivered, backlog and transit time, each ±; then, in the table of bottlenecks, the
    // first bottleneck with its utilisation ±.
    assert_eq!(rows.len(), 2, "{table}");
    assert_eq!(rows[0].matches(" ± ").count(), 3, "{table}");
    assert!(
        rows[1].contains("crossing post ") && rows[1].contains(" ± "),
        "{table}"
    );
    // Ranked by their share of the delay, as `run` ranks bottlenecks, not by utilisation:
    // the column says so.
    assert!(table.contains("bottleneck (utilization)"), "{table}");
    assert!(table.contains("mean  10 %  90 %"), "{table}");
    let trucks = table.lines().find(|l| l.contains("flow trucks")).unwrap();
    let years: Vec<&str> = trucks.split_whitespace().skip(2).collect();
    assert_eq!(years, ["2031", "2031", "2032"], "{trucks}");
}

#[test]
fn the_forecast_csv_keeps_its_columns_and_adds_the_spread_and_the_open_projects_at_the_end() {
    let out = corridor_ok(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
        "--format",
        "csv",
    ]);
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header[..6],
        [
            "file",
            "year",
            "demand_teu_per_year",
            "delivered_teu_per_year",
            "backlog_teu",
            "transit_h_mean"
        ]
    );
    assert_eq!(
        header[6..9],
        [
            "delivered_teu_per_year_sd",
            "delivered_teu_per_year_ci95_lo",
            "delivered_teu_per_year_ci95_hi"
        ]
    );
    // The transit per TEU, as the table and the HTML report give it, before `open`.
    assert_eq!(
        header[15..19],
        [
            "teu_transit_h_mean",
            "teu_transit_h_mean_sd",
            "teu_transit_h_mean_ci95_lo",
            "teu_transit_h_mean_ci95_hi"
        ]
    );
    assert_eq!(header.last(), Some(&"open"));
    assert_eq!(header.len(), 20);
    let v = forecast(&[
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
    ]);
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (_, lo, hi) = stat(&v["years"][0], &["backlog_teu_stat"]);
    // The CSV writes 12 significant digits of what the JSON writes in full.
    let close = |csv: &str, json: f64| {
        let x: f64 = csv.parse().unwrap();
        (x - json).abs() <= 1e-11 * json.abs()
    };
    assert!(close(row[10], lo), "{} against {lo}", row[10]);
    assert!(close(row[11], hi), "{} against {hi}", row[11]);
    let year = &v["years"][0];
    let per_teu = year["network"]["teu_transit_h"]["mean"]["mean"]
        .as_f64()
        .unwrap();
    assert!(close(row[15], per_teu), "{} against {per_teu}", row[15]);
    assert_eq!(
        year["demand_teu_per_year_stat"]["mean"],
        year["demand_teu_per_year"]
    );
    assert_eq!(year["demand_teu_per_year_stat"]["sd"], 0.0);
    let backlog = year["backlog_teu"].as_f64().unwrap();
    let (mean, _, _) = stat(year, &["backlog_teu_stat"]);
    assert!((mean - backlog).abs() <= 1e-9 * backlog.max(1.0));
}

#[test]
fn a_project_opened_in_a_year_changes_nothing_before_it_and_the_network_from_it_on() {
    let post = "scenarios/theory/growing_post.toml";
    let args = |open: bool, format: &'static str| {
        let mut a = vec!["forecast", post, "--years", "2025..2032"];
        if open {
            a.extend(["--open", "2029:tests/forecast/two_lanes.toml"]);
        }
        a.extend(["--format", format]);
        a
    };
    let json = |open| -> Value {
        serde_json::from_slice(&corridor_ok(&args(open, "json")).stdout).unwrap()
    };
    let (plain, opened) = (json(false), json(true));
    for k in 0..8 {
        let (before, after) = (&plain["years"][k], &opened["years"][k]);
        if k < 4 {
            assert_eq!(
                serde_json::to_string(before).unwrap(),
                serde_json::to_string(after).unwrap(),
                "year {} is the same without the project",
                before["year"]
            );
            assert_eq!(after["open"], serde_json::json!([]));
        } else {
            assert_eq!(
                after["open"],
                serde_json::json!(["tests/forecast/two_lanes.toml"])
            );
            // Two lanes: each busy half as much as the one lane was (0.5295 x 1.12^k / 2).
            let want = 0.5 * 1.12f64.powi(k as i32) * 0.12 / 1.12f64.ln() / 2.0;
            let (u, lo, hi) = stat(after, &["crossings", "0", "utilization"]);
            assert!(
                (lo - 0.005..=hi + 0.005).contains(&want),
                "year {}: utilisation {u:.4} [{lo:.4}, {hi:.4}], by hand {want:.4}",
                after["year"]
            );
        }
    }
    // The one-lane post saturates in 2030; with a second lane from 2029, not before 2036.
    assert_eq!(saturation_of(&plain, "crossing", "post")["year"], 2030);
    assert_eq!(
        saturation_of(&opened, "crossing", "post")["year"],
        Value::Null
    );
    // The CSV rows of the years before are byte-identical too.
    let csv = |open| String::from_utf8(corridor_ok(&args(open, "csv")).stdout).unwrap();
    let (plain, opened) = (csv(false), csv(true));
    let rows = |s: &str| {
        s.lines()
            .skip(1)
            .take(4)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&plain), rows(&opened));
    let table = corridor_ok(&args(true, "table")).stdout;
    let table = String::from_utf8_lossy(&table);
    assert!(
        table.contains("open from 1 January 2029: tests/forecast/two_lanes.toml"),
        "{table}"
    );
}

#[test]
fn the_four_projects_opened_at_their_dates_give_the_all_projects_forecast_once_all_are_open() {
    // From 2027, when the last of them opens, the baseline with the four project overlays
    // opened is the network of all_projects_growth.toml (which repeats their changes):
    // every figure of every element is the same. In 2026 only the second track is open.
    let dated = forecast(&[
        "scenarios/forecast/baseline_growth.toml",
        "--years",
        "2026..2027",
        "--replications",
        "2",
        "--open",
        "2025:scenarios/dostyk_moyynty_second_track.toml",
        "--open",
        "2027:scenarios/forecast/bakhty_ayagoz_growth.toml",
        "--open",
        "2027:scenarios/darbaza_maktaaral.toml",
        "--open",
        "2027:scenarios/zhanaozen_road.toml",
    ]);
    let all = forecast(&[
        "scenarios/forecast/all_projects_growth.toml",
        "--years",
        "2026..2027",
        "--replications",
        "2",
    ]);
    let by_id = |year: &Value, section: &str| {
        let mut items: Vec<String> = year[section]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.to_string())
            .collect();
        items.sort();
        items
    };
    let same = |k: usize| {
        let (a, b) = (&dated["years"][k], &all["years"][k]);
        ["flows", "crossings", "links", "ferries"]
            .iter()
            .all(|s| by_id(a, s) == by_id(b, s))
            && a["network"] == b["network"]
            && a["backlog_teu"] == b["backlog_teu"]
            && a["demand_teu_per_year"] == b["demand_teu_per_year"]
    };
    assert!(
        !same(0),
        "2026: Bakhty, Darbaza and Zhanaozen are not open yet"
    );
    assert!(same(1), "2027: every project is open");
    assert_eq!(dated["years"][0]["open"].as_array().unwrap().len(), 1);
    assert_eq!(dated["years"][1]["open"].as_array().unwrap().len(), 4);
}

#[test]
fn an_overlay_that_cannot_be_opened_is_refused_with_the_reason() {
    // Opened after the last year forecast, it would change nothing.
    let out = corridor(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
        "--open",
        "2030:tests/forecast/two_lanes.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "--open 2030:tests/forecast/two_lanes.toml: 2030 is after the last year forecast, 2026"
        ),
        "{err}"
    );
    let out = corridor(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
        "--open",
        "2026:scenarios/bakhty_ayagoz.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "scenarios/bakhty_ayagoz.toml cannot be opened on scenarios/theory/growing_post.toml"
        ),
        "{err}"
    );
    for bad in [
        "2026",
        "year:tests/forecast/two_lanes.toml",
        "1800:tests/forecast/two_lanes.toml",
    ] {
        let out = corridor(&[
            "forecast",
            "scenarios/theory/growing_post.toml",
            "--years",
            "2025..2026",
            "--open",
            bad,
        ]);
        assert_eq!(out.status.code(), Some(2), "--open {bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--open"),
            "--open {bad}"
        );
    }
    let out = corridor(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
        "--open",
        "2026:tests/forecast/two_lanes.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give one scenario file"));
    let out = corridor(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
        "--open",
        "2026:tests/forecast/two_lanes.toml",
        "--open",
        "2025:tests/forecast/two_lanes.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--open gives tests/forecast/two_lanes.toml twice"));
}

#[test]
fn a_forecast_in_which_no_flow_grows_is_warned_about_and_still_given() {
    let args = [
        "forecast",
        "scenarios/border_post.toml",
        "--years",
        "2025..2026",
        "--replications",
        "2",
        "--format",
        "csv",
    ];
    let out = corridor_ok(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("warning: no flow of scenarios/border_post.toml grows"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let grows = corridor_ok(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
    ]);
    assert!(grows.stderr.is_empty());
}

#[test]
fn a_project_opened_after_an_element_saturates_relieves_it_and_the_years_saturated_say_so() {
    // The one-lane post saturates in 2030; a second lane from 2031 brings its busy share
    // back to 0.5295 x 1.12^6 / 2 = 0.52.
    let v = forecast(&[
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2032",
        "--open",
        "2031:tests/forecast/two_lanes.toml",
    ]);
    let post = saturation_of(&v, "crossing", "post");
    assert_eq!(post["year"], 2030);
    assert_eq!(post["years_saturated"], serde_json::json!([2030]));
    let s = shares(post);
    assert_eq!(s[5], (2030, 1.0));
    assert_eq!(s[6], (2031, 0.0));
    let plain = forecast(&[
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2032",
    ]);
    assert_eq!(
        saturation_of(&plain, "crossing", "post")["relieved"],
        Value::Null
    );
    let out = corridor_ok(&[
        "forecast",
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2032",
        "--open",
        "2031:tests/forecast/two_lanes.toml",
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(
            "Saturated by the mean in these years only (scenarios/theory/growing_post.toml): crossing post 2030\n"
        ),
        "{table}"
    );
}

#[test]
fn a_forecast_says_each_year_starts_empty_and_names_the_dated_disruptions_every_year_repeats() {
    let args = [
        "forecast",
        "scenarios/border_post_closure.toml",
        "--years",
        "2025..2026",
        "--replications",
        "2",
    ];
    let table = String::from_utf8(corridor_ok(&args).stdout).unwrap();
    assert!(
        table.contains("each year is simulated on its own from an empty network"),
        "{table}"
    );
    assert!(
        table.contains("every year repeats the disruptions given by day: september-closure"),
        "{table}"
    );
    let doc = forecast(&args[1..]);
    assert_eq!(doc["repeated_disruptions"][0], "september-closure");
    // A scenario without dated disruptions names none.
    let calm = forecast(&[
        "scenarios/theory/growing_post.toml",
        "--years",
        "2025..2026",
        "--replications",
        "2",
    ]);
    assert!(calm.get("repeated_disruptions").is_none());
}

#[test]
fn saturation_years_of_many_scenarios_come_in_parts_within_120_characters() {
    let post = "scenarios/theory/growing_post.toml";
    let out = corridor_ok(&[
        "forecast",
        post,
        post,
        post,
        post,
        post,
        "--years",
        "2029..2031",
        "--replications",
        "3",
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    let wide = too_wide(table.lines());
    assert!(wide.is_empty(), "{wide:#?}");
    let saturation = &table[table.find("First year saturated").unwrap()..];
    // Five scenarios' groups of years: three beside the elements, then two under them.
    let heads: Vec<&str> = (saturation.lines())
        .filter(|l| l.starts_with("  element "))
        .collect();
    assert_eq!(heads.len(), 2, "{saturation}");
    assert_eq!(
        heads[0].matches("mean  10 %  90 %").count(),
        3,
        "{saturation}"
    );
    assert_eq!(
        heads[1].matches("mean  10 %  90 %").count(),
        2,
        "{saturation}"
    );
    let posts = (saturation.lines()).filter(|l| l.starts_with("  crossing post "));
    assert_eq!(posts.count(), 2, "{saturation}");
}
