//! `corridor compare`: paired differences with common random numbers.

mod common;
use common::{as_prose, corridor, corridor_ok, json_of, mmc_wait, root, scratch_dir, too_wide};
use corridor::runner::{run_each, RunOptions};
use corridor::scenario::{load, Scenario};
use corridor::stats::{t_975, Stat};
use corridor::study::compare::paired as compare;
use serde_json::Value;

/// Options for `replications` of scenario `s` on `seed`, measured after its warm-up.
fn opts(s: &Scenario, replications: u32, seed: u64) -> RunOptions {
    RunOptions {
        replications,
        seed,
        warmup: s
            .settings
            .warmup
            .fixed()
            .expect("the scenario gives its warm-up"),
        threads: Some(2),
        progress: false,
        source: corridor::runner::Source::Simulate,
    }
}

#[test]
fn a_variant_identical_to_the_base_differs_by_exactly_zero() {
    let v = json_of(
        "compare",
        &[
            "scenarios/border_post.toml",
            "tests/compare/same_as_border_post.toml",
            "--replications",
            "5",
        ],
    );
    assert_eq!(v["schema"], "corridor.compare/1");
    let d = &v["variants"][0]["differences"];
    let mut checked = 0;
    let mut stack = vec![d];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(m) if m.contains_key("significant") => {
                for k in ["mean", "sd", "ci95_lo", "ci95_hi", "min", "max"] {
                    assert_eq!(m[k].as_f64(), Some(0.0), "{k} in {node}");
                }
                assert_eq!(m["significant"], false);
                checked += 1;
            }
            Value::Object(m) => stack.extend(m.values()),
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    assert!(checked >= 20, "{checked} differences checked");
}

#[test]
fn common_random_numbers_make_the_interval_of_a_difference_much_narrower() {
    // A sixth lane at the entry post of the tandem: the transit time through both posts.
    let base = load(&root().join("scenarios/tandem_crossings.toml")).unwrap();
    let variant = load(&root().join("tests/compare/tandem_more_entry_lanes.toml")).unwrap();
    let n = 20;
    let warmup = variant.settings.warmup.fixed().unwrap();
    let c = compare(&base.model, &[(&variant.model, warmup)], &opts(&base, n, 7)).unwrap();
    let paired = c.variants[0]
        .differences
        .iter()
        .find(|d| d.section == "flows" && d.metric == "transit_h.mean")
        .unwrap()
        .difference
        .stat;
    // The same pair with independent streams: the variant on another seed.
    let transit = |s: &Scenario, seed: u64| -> Vec<f64> {
        let mut out = Vec::new();
        run_each(&s.model, &opts(s, n, seed), |r| {
            out.push(r.flows[0].transit_mean_h)
        })
        .unwrap();
        out
    };
    let a = transit(&base, 7);
    let b = transit(&variant, 1007);
    let (sa, sb) = (Stat::from_values(&a), Stat::from_values(&b));
    let welch_half =
        t_975(n as usize - 1) * (sa.sd.powi(2) / n as f64 + sb.sd.powi(2) / n as f64).sqrt();
    let paired_half = 0.5 * (paired.ci95_hi - paired.ci95_lo);
    let ratio = welch_half / paired_half;
    eprintln!(
        "independent half-width {welch_half:.4} h, paired {paired_half:.4} h, ratio {ratio:.1}"
    );
    assert!(ratio > 3.0, "ratio {ratio}");
    assert!(paired.ci95_hi < 0.0, "significant and negative");
}

#[test]
fn the_paired_interval_covers_the_erlang_c_difference_in_most_trials() {
    // M/M/4 against M/M/5, lambda = 7/h, mu = 2/h: Erlang C gives the true difference.
    let truth = mmc_wait(5, 7.0, 2.0) - mmc_wait(4, 7.0, 2.0);
    let short = |file: &str| {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let text = text.replace("horizon_days = 375", "horizon_days = 130");
        let path = root().join(file);
        corridor::scenario::load_str(&path, &text).unwrap()
    };
    let base = short("scenarios/border_post.toml");
    let variant = load(&root().join("tests/compare/five_lanes.toml")).unwrap();
    let mut variant = variant;
    variant.model.horizon = base.model.horizon;
    let warmup = variant.settings.warmup.fixed().unwrap();
    let trials = 20;
    let mut covered = 0;
    for seed in 0..trials {
        let c = compare(
            &base.model,
            &[(&variant.model, warmup)],
            &opts(&base, 10, 100 + seed),
        )
        .unwrap();
        let d = c.variants[0]
            .differences
            .iter()
            .find(|d| d.section == "crossings" && d.metric == "wait_h.mean")
            .unwrap()
            .difference
            .stat;
        if d.ci95_lo <= truth && truth <= d.ci95_hi {
            covered += 1;
        }
    }
    eprintln!("the paired 95 % interval covered the Erlang C difference {truth:.4} h in {covered} of {trials} trials");
    assert!(covered >= 16, "covered in {covered} of {trials} trials");
}

#[test]
fn compare_writes_json_csv_and_table_files() {
    let dir = scratch_dir("compare");
    let d = dir.to_string_lossy().into_owned();
    corridor_ok(&[
        "compare",
        "scenarios/border_post.toml",
        "tests/compare/five_lanes.toml",
        "--replications",
        "4",
        "--out",
        &d,
        "--quiet",
    ]);
    let csv = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    assert!(csv.starts_with("variant,section,id,metric,base_mean,variant_mean,diff_mean,"));
    assert!(csv.contains(",crossings,post,wait_h.mean,"));
    let table = std::fs::read_to_string(dir.join("compare.txt")).unwrap();
    assert!(
        table.contains("crossing post") && table.contains("wait_h.mean"),
        "{table}"
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.join("compare.json")).unwrap()).unwrap();
    assert_eq!(
        json["variants"][0]["differences"]["crossings"][0]["id"],
        "post"
    );
    assert!(
        json["variants"][0]["differences"]["crossings"][0]["wait_h"]["mean"]["significant"]
            .as_bool()
            .unwrap()
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_values_paired_by_replication_are_the_figures_of_that_replication_in_order() {
    // What `compare` pairs: the values of one replication, read in the order of the
    // results' metrics. They must be the figures of that replication summarised alone.
    for file in [
        "scenarios/caspian_ferry.toml",
        "tests/routing/two_ways.toml",
    ] {
        let scenario = load(&root().join(file)).unwrap();
        let (model, opts) = (&scenario.model, opts(&scenario, 3, 11));
        let mut seen = 0;
        let all = corridor::stats::Summariser::new(model, opts.warmup, 11);
        run_each(model, &opts, |obs| {
            let values: Vec<f64> = all.values(&obs).collect();
            let mut alone = corridor::stats::Summariser::new(model, opts.warmup, 11);
            alone.add(&obs);
            let summary = alone.results();
            let figures = corridor::stats::metrics(&summary);
            assert!(figures.len() <= values.len(), "{file}");
            for ((section, id, metric, stat), v) in figures.iter().zip(&values) {
                if stat.observed > 0 {
                    assert_eq!(*v, stat.mean, "{file}: {section} {id} {metric}");
                } else {
                    assert!(v.is_nan(), "{file}: {section} {id} {metric} is {v}");
                }
            }
            seen += 1;
        })
        .unwrap();
        assert_eq!(seen, 3);
    }
}

#[test]
fn a_variant_that_adds_a_crossing_and_a_flow_shows_both_in_table_csv_and_json() {
    // The Bakhty-Ayagoz line adds the Bakhty crossing and the China-Europe flow over it.
    let args = [
        "compare",
        "scenarios/eurasia_2025.toml",
        "scenarios/bakhty_ayagoz.toml",
        "--replications",
        "3",
    ];
    let table = String::from_utf8(corridor_ok(&args).stdout).unwrap();
    // The figures only the variant has, listed apart from the paired differences with
    // their own value and interval.
    let new_rows: Vec<&str> = (table.lines())
        .skip_while(|l| !l.starts_with("  New in the variant: "))
        .skip(2)
        .take_while(|l| l.starts_with("  ") && !l.starts_with("  Not in the variant"))
        .collect();
    let new_row = |element: &str, metric: &str| {
        (new_rows.iter()).any(|l| l.contains(element) && l.contains(metric) && l.contains(" ± "))
    };
    assert!(new_row("crossing bakhty-rail", "time_h.mean"), "{table}");
    assert!(
        new_row("flow china-europe-bakhty", "delivered_teu_per_year"),
        "{table}"
    );
    assert!(table.contains("Summary: variants ranked"), "{table}");
    assert!(table.contains("figures tested"), "{table}");

    let json = json_of("compare", &args[1..]);
    let added = &json["variants"][0]["added"];
    let ids = |section: &str| -> Vec<String> {
        added[section]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids("crossings").contains(&"bakhty-rail".to_string()));
    assert!(ids("flows").contains(&"china-europe-bakhty".to_string()));
    let flow = added["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "china-europe-bakhty")
        .unwrap();
    assert!(flow["delivered_teu_per_year"]["mean"].as_f64().unwrap() > 10_000.0);

    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let csv = String::from_utf8(corridor_ok(&csv_args).stdout).unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",p_value,significant_holm,change,value_sd,value_ci95_lo,value_ci95_hi"));
    let row = csv
        .lines()
        .find(|l| l.contains(",crossings,bakhty-rail,time_h.mean,"))
        .expect("the new crossing's time is in the CSV");
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells.len(), 17, "{row}");
    assert!(cells[4].is_empty() && !cells[5].is_empty(), "{row}");
    assert_eq!(cells[13], "added", "{row}");
    // The new crossing's time has its interval, around its mean.
    let number = |i: usize| -> f64 { cells[i].parse().unwrap_or_else(|_| panic!("{row}")) };
    assert!(number(14) > 0.0, "{row}");
    assert!(number(15) < number(5) && number(5) < number(16), "{row}");
    let paired = csv.lines().find(|l| l.ends_with(",paired,,,"));
    assert!(paired.is_some(), "{csv}");
}

#[test]
fn compare_keeps_only_the_elements_and_metrics_asked_for_and_refuses_unknown_ones() {
    let v = json_of(
        "compare",
        &[
            "scenarios/border_post.toml",
            "tests/compare/five_lanes.toml",
            "--replications",
            "3",
            "--metric",
            "wait_h",
        ],
    );
    let post = &v["variants"][0]["differences"]["crossings"][0];
    assert!(post["wait_h"]["mean"].is_object());
    assert!(post.get("utilization").is_none(), "{post}");
    let out = common::corridor(&[
        "compare",
        "scenarios/border_post.toml",
        "tests/compare/five_lanes.toml",
        "--element",
        "postt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean \"post\""), "{err}");
}

#[test]
fn a_selection_says_how_many_figures_it_selected_and_shows_each_significant_one() {
    let out = corridor_ok(&[
        "compare",
        "scenarios/kazakhstan_2025.toml",
        "scenarios/kazakhstan_2025_dostyk_six_cranes.toml",
        "--element",
        "dostyk-rail",
        "--replications",
        "5",
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    let rows = table
        .lines()
        .filter(|l| l.starts_with("  crossing dostyk-rail "))
        .count();
    let counts = table
        .lines()
        .find(|l| l.contains("figures tested"))
        .unwrap();
    let number_before = |line: &str, words: &str| -> usize {
        let head = &line[..line
            .find(words)
            .unwrap_or_else(|| panic!("{words}: {line}"))];
        head.split([' ', '(', ','])
            .rfind(|w| !w.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    let significant = number_before(counts, " significant at 95 %");
    let selected = number_before(counts, " of them selected (--element, --metric)");
    assert_eq!(
        rows, significant,
        "every significant figure has its row:\n{table}"
    );
    let rest = table
        .lines()
        .find(|l| l.contains("not significantly"))
        .unwrap();
    let others = number_before(rest, " other figure");
    assert_eq!(selected, significant + others, "{counts}\n{rest}");
}

#[test]
fn a_variant_made_from_another_scenario_is_warned_of_and_refused_with_deny_warnings() {
    // Dostyk's six cranes are an overlay of the Kazakh network, not of the Eurasian one,
    // though the two share flow ids; the joint-control policy is an overlay of the Eurasian
    // network, not of the one-post scenario.
    for (base, variant, extended) in [
        (
            "scenarios/eurasia_2025.toml",
            "scenarios/kazakhstan_2025_dostyk_six_cranes.toml",
            "scenarios/kazakhstan_2025.toml",
        ),
        (
            "scenarios/border_post.toml",
            "scenarios/policies/dostyk_joint_control.toml",
            "scenarios/eurasia_2025.toml",
        ),
    ] {
        let args = ["compare", base, variant, "--replications", "2", "--quiet"];
        let out = corridor_ok(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        let said = format!(
            "warning: this variant extends {extended} ({variant} -> {extended}), not the base {base} nor a scenario the base extends"
        );
        assert!(err.contains(&said), "{err}");
        assert!(
            err.contains(&format!("compare it with {extended}\n  --> {variant}")),
            "{err}"
        );
        let out = corridor(&[&args[..], &["--deny-warnings"]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?} --deny-warnings");
    }
}

#[test]
fn a_variant_with_no_flow_of_the_base_is_warned_of_and_refused_with_deny_warnings() {
    // Two scenarios of their own, neither extending anything, with nothing in common:
    // nothing would be measured as a change.
    let unrelated = [
        "compare",
        "scenarios/border_post.toml",
        "scenarios/caspian_ferry.toml",
        "--replications",
        "2",
        "--quiet",
    ];
    let out = corridor_ok(&unrelated);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "warning: this variant has no flow in common with the base scenarios/border_post.toml"
        ) && err.contains("--> scenarios/caspian_ferry.toml"),
        "{err}"
    );
    let out = corridor(&[&unrelated[..], &["--deny-warnings"]].concat());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn variants_of_the_base_or_of_what_it_extends_are_compared_without_a_warning() {
    for related in [
        // An overlay of the base.
        &[
            "compare",
            "scenarios/eurasia_2025.toml",
            "scenarios/policies/dostyk_joint_control.toml",
        ][..],
        // Two overlays of one network.
        &[
            "compare",
            "scenarios/bakhty_ayagoz.toml",
            "scenarios/dostyk_moyynty_second_track.toml",
        ],
        // The scenario an overlay extends, as the variant.
        &[
            "compare",
            "scenarios/kazakhstan_2025_dostyk_six_cranes.toml",
            "scenarios/kazakhstan_2025.toml",
        ],
        // The base itself changed.
        &[
            "compare",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=5",
        ],
    ] {
        let out = corridor_ok(&[related, &["--replications", "2", "--quiet"]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("warning"), "{related:?}: {err}");
    }
}

#[test]
fn fleet_differences_are_in_the_json_as_in_the_table_and_csv() {
    // Longer turnarounds of the broad-gauge wagons change the fleet's own figures.
    let args = [
        "scenarios/examples/two_gauges.toml",
        "--set",
        "fleet.broad-gauge.turnaround_h=48",
        "--replications",
        "3",
    ];
    let json = json_of("compare", &args);
    let fleets = json["variants"][0]["differences"]["fleets"]
        .as_array()
        .expect("the differences have a fleets section");
    let broad = (fleets.iter())
        .find(|f| f["id"] == "broad-gauge")
        .expect("the broad-gauge fleet is there");
    assert!(broad.as_object().unwrap().len() > 1, "{broad}");
    let csv = String::from_utf8(
        corridor_ok(&[&["compare"][..], &args, &["--format", "csv"]].concat()).stdout,
    )
    .unwrap();
    let in_csv = csv
        .lines()
        .filter(|l| l.contains(",fleets,broad-gauge,"))
        .count();
    assert!(in_csv > 0, "{csv}");
    // Without fleets, no fleets section, as in the results.
    let json = json_of(
        "compare",
        &[
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=5",
            "--replications",
            "2",
        ],
    );
    assert!(json["variants"][0]["differences"].get("fleets").is_none());
}

#[test]
fn the_summary_ranks_by_transit_unless_deliveries_change_significantly_and_materially() {
    let mut args = vec!["compare", "scenarios/eurasia_2025.toml"];
    let policies = [
        "scenarios/policies/altynkol_risk_based_inspection.toml",
        "scenarios/policies/dostyk_more_cranes.toml",
        "scenarios/policies/dostyk_single_window.toml",
        "scenarios/policies/nur_zholy_daytime.toml",
    ];
    args.extend(policies);
    args.extend(["--replications", "3"]);
    let table = String::from_utf8(corridor_ok(&args).stdout).unwrap();
    assert!(as_prose(&table).contains("Summary: variants ranked by the change in delivered TEU/year where significant and at least 0.1 % of the base's, else by the change in transit per TEU"));
    let rows = summary_rows(&table);
    assert_eq!(rows.len(), 4, "{table}");
    // Daytime opening of Nur Zholy delivers some 80,000 TEU a year fewer: last.
    assert!(
        rows[3].trim_start().starts_with("nur_zholy_daytime"),
        "{table}"
    );
    // The others change deliveries by less than 0.1 %: shortest transit per TEU first.
    let transit = |row: &str| -> f64 {
        let cells: Vec<&str> = row.split_whitespace().collect();
        // variant, delivered mean [lo to hi], transit mean [lo to hi]
        cells[5].parse().unwrap()
    };
    let means: Vec<f64> = rows[..3].iter().map(|r| transit(r)).collect();
    assert!(means.windows(2).all(|w| w[0] <= w[1]), "{means:?}\n{table}");
}

#[test]
fn a_variant_offering_more_demand_is_said_so_and_listed_last_not_ranked_on_its_deliveries() {
    let table = String::from_utf8(
        corridor_ok(&[
            "compare",
            "scenarios/border_post.toml",
            "tests/compare/more_trucks.toml",
            "tests/compare/five_lanes.toml",
            "--replications",
            "3",
        ])
        .stdout,
    )
    .unwrap();
    let rows = summary_rows(&table);
    // More trucks deliver some 17,000 TEU more a year, all of it demand the base lacks:
    // ranked on that, it would come first.
    assert!(rows[0].trim_start().starts_with("five_lanes"), "{table}");
    assert!(rows[1].trim_start().starts_with("more_trucks"), "{table}");
    assert!(
        as_prose(&table).contains("Note: container demand differs from the base's 122,640 TEU/year in more_trucks (140,000, +17,360): its change in delivered TEU/year includes that in demand, so it is listed last, not ranked"),
        "{table}"
    );
}

#[test]
fn a_comparison_names_each_scenario_whose_flows_are_overloaded_in_its_table_and_page() {
    let dir = scratch_dir("compare-overloaded");
    let html = dir.join("compare.html");
    let out = corridor_ok(&[
        "compare",
        "scenarios/theory/double_track_overload.toml",
        "--set",
        "scenario.name=\"renamed\"",
        "--replications",
        "2",
        "--html",
        html.to_str().unwrap(),
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    for name in [
        "double_track_overload:",
        "double_track_overload --set scenario.name=\"renamed\":",
    ] {
        assert!(
            table.contains(&format!("OVERLOADED in {name} 1 flow (eastbound, backlog ")),
            "{table}"
        );
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(
        page.matches("<p class=\"overloaded\">OVERLOADED in ")
            .count(),
        2
    );
    let calm = corridor_ok(&[
        "compare",
        "scenarios/border_post.toml",
        "tests/compare/five_lanes.toml",
        "--replications",
        "2",
    ]);
    assert!(!String::from_utf8(calm.stdout)
        .unwrap()
        .contains("OVERLOADED"));
}

#[test]
fn a_variant_measured_over_another_window_is_warned_of_and_one_finding_its_warm_up_is_not() {
    let shorter = [
        "compare",
        "scenarios/border_post.toml",
        "--set",
        "scenario.horizon_days=200",
        "--replications",
        "2",
    ];
    let out = corridor_ok(&shorter);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("warning: this variant is measured over 190 days (its horizon less its warm-up), the base scenarios/border_post.toml over 365 days"),
        "{err}"
    );
    // The report says it too: the warning is not kept with the results.
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("OTHER WINDOW: border_post --set scenario.horizon_days=200 is measured over 190 days, the base over 365"),
        "{table}"
    );
    let out = corridor(&[&shorter[..], &["--deny-warnings"]].concat());
    assert_eq!(out.status.code(), Some(2));
    // A variant finding its warm-up from the data takes the base's: the same window.
    let auto = [
        "compare",
        "scenarios/border_post.toml",
        "--set",
        "scenario.warmup_days=\"auto\"",
        "--replications",
        "2",
        "--quiet",
    ];
    let err = String::from_utf8(corridor_ok(&auto).stderr).unwrap();
    assert!(!err.contains("measured over"), "{err}");
}

#[test]
fn the_comparison_report_says_a_variants_demand_differs_above_its_chart_and_in_its_panel() {
    let dir = scratch_dir("compare-demand-html");
    let html = dir.join("compare.html");
    corridor_ok(&[
        "compare",
        "scenarios/border_post.toml",
        "tests/compare/more_trucks.toml",
        "--replications",
        "3",
        "--quiet",
        "--html",
        html.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Note: container demand differs from the base&#39;s 122,640 TEU/year in more_trucks (140,000, +17,360)"));
    assert!(page.contains(
        "This variant&#39;s container demand is not the base&#39;s (140,000 TEU a year, +17,360)"
    ));
}

#[test]
fn the_summary_names_ferry_lines_as_ferries_beside_crossings_and_ports() {
    let table = String::from_utf8(
        corridor_ok(&[
            "compare",
            "scenarios/caspian_ferry.toml",
            "--set",
            "ferry.aktau-alat.vessels=2",
            "--replications",
            "3",
        ])
        .stdout,
    )
    .unwrap();
    // Where the variant acts, in the lines after the summary's table.
    assert!(
        as_prose(&table).contains(": corridors none; crossings and ports ferry aktau-alat +"),
        "{table}"
    );
}

/// The rows of a comparison's summary table (the variants, their deliveries and transit):
/// those under its header row, up to the lines saying where the variants act.
fn summary_rows(table: &str) -> Vec<&str> {
    (table.lines())
        .skip_while(|l| !l.starts_with("Summary: "))
        .skip_while(|l| !l.starts_with("  variant "))
        .skip(1)
        .take_while(|l| !l.starts_with("  Where they act"))
        .collect()
}

#[test]
fn a_comparison_of_the_projects_keeps_every_line_within_120_characters() {
    let out = corridor_ok(&[
        "compare",
        "scenarios/eurasia_2025.toml",
        "scenarios/bakhty_ayagoz.toml",
        "scenarios/dostyk_moyynty_second_track.toml",
        "scenarios/all_projects.toml",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    // The heading, the summary, every sentence and the variants' tables, whose new routes
    // name up to five nodes each.
    let wide = too_wide(table.lines());
    assert!(wide.is_empty(), "{wide:#?}");
    assert!(
        table.contains("route_share:moyynty>aktogay>ayagoz>bakhty>tacheng"),
        "{table}"
    );
    // Where each project acts, a line (or more) of its own under the summary's table.
    let acts = as_prose(&table);
    assert!(acts.contains("bakhty_ayagoz: corridors "), "{table}");
    assert!(acts.contains("bakhty-rail new"), "{table}");
}

#[test]
fn a_variant_heading_wraps_before_its_file_and_changes_not_inside_them() {
    let out = corridor_ok(&[
        "compare",
        "scenarios/kazakhstan_2025.toml",
        "--set",
        "crossing.dostyk-rail.gauge_change.cranes=6",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let heading: Vec<&str> = (table.lines())
        .skip_while(|l| !l.starts_with("Variant: "))
        .take(2)
        .collect();
    assert_eq!(
        heading[1],
        "(scenarios/kazakhstan_2025.toml --set crossing.dostyk-rail.gauge_change.cranes=6)",
        "{table}"
    );

    // Changes too long for one line together break between them, never inside a value.
    let road = "crossing.border-road.stage.1.servers={ inland_cn = 9, hub_kz = 3 }";
    let out = corridor_ok(&[
        "compare",
        "scenarios/examples/two_gauges.toml",
        "--set",
        road,
        "--set",
        "crossing.border-road.open=\"08:00-22:00\"",
        "--set",
        "crossing.border-rail.gauge_change.cranes=5",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let heading: Vec<&str> = (table.lines())
        .skip_while(|l| !l.starts_with("Variant: "))
        .take_while(|l| !l.starts_with("  "))
        .collect();
    assert!(heading.iter().any(|l| l.contains(road)), "{heading:#?}");
    assert!(
        heading[1..].iter().all(|l| l.starts_with("--set ")),
        "{heading:#?}"
    );
}

#[test]
fn a_figure_named_within_30_characters_stands_beside_its_figures_however_wide_they_are() {
    // The 2030 demand gives eight-digit figures and intervals: the names of the fleets'
    // figures (`idle_locomotives:altynkol`) still stand beside them.
    let out = corridor_ok(&[
        "compare",
        "scenarios/all_projects.toml",
        "scenarios/all_projects_2030.toml",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    for pair in lines.windows(2) {
        if pair[1].starts_with(&" ".repeat(20)) && pair[0].starts_with("  ") {
            let name = pair[0].split_whitespace().last().unwrap();
            assert!(name.chars().count() > 30, "{}\n{}", pair[0], pair[1]);
        }
    }
    assert!(table.contains("idle_locomotives:"), "{table}");
}

#[test]
fn figures_only_one_side_has_are_listed_apart_without_an_interval_from_one_replication() {
    let out = corridor_ok(&[
        "compare",
        "scenarios/eurasia_2025.toml",
        "scenarios/bakhty_ayagoz.toml",
        "--replications",
        "1",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let heading = (table.lines())
        .find(|l| l.starts_with("  New in the variant: "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        heading.ends_with(" figures, of one replication, without an interval"),
        "{heading}"
    );
    assert!(!table.contains(" ± "), "{table}");
    assert!(table.contains(" (n = 1)"), "{table}");
    assert!(!table.contains(" 1 figures "), "{table}");
}

#[test]
fn a_variant_named_by_many_changes_keeps_the_summary_within_120_characters() {
    let out = corridor_ok(&[
        "compare",
        "scenarios/kazakhstan_2025.toml",
        "scenarios/kazakhstan_2025_dostyk_six_cranes.toml",
        "--set",
        "crossing.dostyk-rail.gauge_change.cranes=6",
        "--set",
        "crossing.altynkol-rail.gauge_change.cranes=8",
        "--set",
        "crossing.nur-zholy-road.stage.1.servers=12",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    let wide = too_wide(table.lines());
    assert!(wide.is_empty(), "{wide:#?}");
    // The name has lines of its own, its figures the line after, under their headers.
    let summary: Vec<&str> = (table.lines())
        .skip_while(|l| !l.starts_with("  variant "))
        .take_while(|l| !l.starts_with("  Where they act"))
        .collect();
    let figures = summary.last().unwrap();
    assert!(figures.starts_with(&" ".repeat(40)), "{summary:#?}");
    let end = |l: &str, word: &str| l.find(word).unwrap() + word.len();
    assert_eq!(
        end(summary[0], "transit h per TEU"),
        figures.len(),
        "{summary:#?}"
    );
}

#[test]
fn a_figure_the_base_never_observed_is_listed_as_new_not_as_a_difference_of_zero() {
    // No train runs Moyynty-Shu in the base, so no wait there is observed; the projects send
    // trains over it. Paired, the wait read base 0, variant 0.008 and difference 0 [0 to 0],
    // counted among the figures identical in every replication.
    let args = [
        "compare",
        "scenarios/eurasia_2025.toml",
        "scenarios/all_projects.toml",
        "--replications",
        "2",
    ];
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let csv = String::from_utf8(corridor_ok(&csv_args).stdout).unwrap();
    let row = (csv.lines())
        .find(|l| l.contains(",links,moyynty-shu,wait_h.mean,"))
        .unwrap_or_else(|| panic!("{csv}"));
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[13], "added", "{row}");
    assert!(
        cells[4].is_empty() && cells[5].parse::<f64>().unwrap() > 0.0,
        "{row}"
    );
    // Its trains, counted (zero) in the base too, stay a paired difference.
    assert!(csv.contains(",links,moyynty-shu,trains,0,"), "{csv}");

    let json = json_of("compare", &args[1..]);
    let variant = &json["variants"][0];
    let link = |tree: &str| {
        (variant[tree]["links"].as_array().unwrap().iter())
            .find(|l| l["id"] == "moyynty-shu")
            .cloned()
            .unwrap_or_default()
    };
    assert!(link("added")["wait_h"]["mean"]["mean"].as_f64().unwrap() > 0.0);
    assert!(
        link("differences")["wait_h"].is_null(),
        "{}",
        link("differences")
    );
}
