//! HTML reports: `run --html FILE` writes one self-contained page (map, charts, one
//! replication over time) that loads nothing from anywhere, for the shipped scenarios.

mod common;

use common::{corridor, corridor_ok, scratch_dir};

/// Writes the report of `scenario` (3 replications) and returns it with the JSON `run`
/// printed beside it.
fn report(tag: &str, scenario: &str) -> (String, String) {
    written(tag, &["run", scenario, "--replications", "3"])
}

/// Runs corridor with `args` and `--format json --html FILE`, and returns the page written
/// with the JSON printed beside it.
fn written(tag: &str, args: &[&str]) -> (String, String) {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    page(tag, &args)
}

/// Runs corridor with `args` and `--html FILE`, and returns the page written with what was
/// printed beside it.
fn page(tag: &str, args: &[&str]) -> (String, String) {
    let dir = scratch_dir(tag);
    let file = dir.join("report.html");
    let mut args = args.to_vec();
    args.extend(["--html", file.to_str().unwrap()]);
    let out = corridor_ok(&args);
    let html = std::fs::read_to_string(&file).expect("the report is written");
    std::fs::remove_dir_all(&dir).ok();
    (html, String::from_utf8(out.stdout).unwrap())
}

/// Asserts that page `html` loads nothing from anywhere: no address, no script, no font or
/// style from elsewhere.
fn assert_offline(html: &str) {
    for needle in [
        "http://", "https://", "<script", "@import", "url(", "<link", "<img",
    ] {
        assert!(!html.contains(needle), "the page contains {needle}");
    }
}

/// The footer of page `html`: what it says of the page's figures and marks.
fn footer(html: &str) -> &str {
    let start = html.find("<footer>").expect("a footer") + "<footer>".len();
    let end = html[start..].find("</footer>").expect("the footer ends") + start;
    &html[start..end]
}

/// Asserts that `footer` speaks of none of the marks that only the run report's bars carry.
fn assert_no_bar_marks(footer: &str) {
    for mark in ["whisker", "triangle"] {
        assert!(
            !footer.contains(mark),
            "the footer speaks of {mark}: {footer}"
        );
    }
}

/// The chart `id` of page `html`: its `<svg>` element.
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<svg id=\"{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = html[start..].find("</svg>").unwrap() + start;
    &html[start..end]
}

/// The x of every `<text>` of `class` in `svg`.
fn text_xs(svg: &str, class: &str) -> Vec<f64> {
    let tag = format!("class=\"{class}\">");
    svg.match_indices(&tag)
        .map(|(at, _)| {
            let open = svg[..at].rfind("<text x=\"").unwrap() + "<text x=\"".len();
            svg[open..].split('"').next().unwrap().parse().unwrap()
        })
        .collect()
}

#[test]
fn the_figures_beside_bars_with_triangles_are_not_beside_the_triangles() {
    let (html, _) = report("html-triangles", "scenarios/eurasia_2025.toml");
    for id in [
        "corridors-days",
        "flows-days",
        "crossings-time",
        "crossings-wait",
        "ferries-time",
        "ferries-wait",
    ] {
        let svg = chart(&html, id);
        let triangles: Vec<f64> = svg
            .split("<path d=\"M")
            .skip(1)
            .filter(|p| p.split('>').next().unwrap().contains("class=\"mark\""))
            .map(|p| p.split(' ').next().unwrap().parse().unwrap())
            .collect();
        let (means, p95) = (text_xs(svg, "value"), text_xs(svg, "value p95"));
        assert!(!triangles.is_empty(), "{id}: no triangle");
        // Each triangle has its own figure, and the bars' figures stand in a column of
        // their own, right of the percentiles' column and of every triangle.
        assert_eq!(p95.len(), triangles.len(), "{id}");
        let rightmost = triangles.iter().copied().fold(0.0, f64::max);
        assert!(
            p95.iter().all(|&x| x == p95[0] && x > rightmost + 4.0),
            "{id}"
        );
        assert!(
            means.iter().all(|&x| x == means[0] && x > p95[0]),
            "{id}: {means:?}"
        );
        assert!(svg.contains(">95th percentile</text>"), "{id}");
    }
}

#[test]
fn the_eurasian_report_is_whole_light_and_loads_nothing() {
    let (html, json) = report("html-eurasia", "scenarios/eurasia_2025.toml");
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    // The map's key explains each mark it draws, and only those: the Eurasian ports have
    // their dwell as crossings' stages, so they are circles, and no square is drawn.
    let map = chart(&html, "map");
    assert!(
        map.contains(">circles: crossings and ports with stages · dots: terminals</text>"),
        "map legend"
    );
    assert!(!map.contains("squares"), "map legend");
    for id in [
        "map",
        "corridors-teu",
        "corridors-days",
        "flows-teu",
        "flows-days",
        "crossings-time",
        "crossings-wait",
        "crossings-utilisation",
        "segments-utilisation",
        "ferries-time",
        "ferries-wait",
        "ferries-fill",
        "bottlenecks",
        "fleets",
        "series-vehicles",
        "series-queues",
    ] {
        assert!(html.contains(&format!("<svg id=\"{id}\"")), "no chart {id}");
    }
    // Headline figures give their interval in words: brackets around numbers with
    // thousands commas would read as a list.
    assert!(
        html.contains("<div class=\"k\">95 % CI "),
        "headline interval"
    );
    // Country outlines under the network, and the places named.
    assert!(html.contains("<title>Kazakhstan</title>"));
    assert!(html.contains(">Dostyk</text>"));
    assert_offline(&html);
    assert!(html.len() < 400_000, "{} bytes", html.len());
    // The footer says what the bars' marks are, and which replication the last charts follow.
    let said = footer(&html);
    assert!(said.contains("means over the replications"), "{said}");
    assert!(
        said.contains("whiskers") && said.contains("triangles"),
        "{said}"
    );
    assert!(said.contains("replication 0 through time"), "{said}");
    // The figures are the run's: the network's TEU a year as the table rounds it.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let teu = v["network"]["delivered_teu_per_year"]["mean"]
        .as_f64()
        .unwrap();
    let shown = format!("{}", teu.round() as u64);
    let grouped: String = shown
        .chars()
        .rev()
        .collect::<Vec<_>>()
        .chunks(3)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(",")
        .chars()
        .rev()
        .collect();
    assert!(html.contains(&grouped), "{grouped} not in the report");
}

#[test]
fn the_ferry_charts_give_the_time_to_sailing_the_wait_for_a_vessel_and_the_fill_of_the_json() {
    let (html, json) = report("html-ferry", "scenarios/caspian_ferry.toml");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ferry = &v["ferries"][0];
    let mean = |figure: &serde_json::Value| figure["mean"].as_f64().unwrap();
    for (id, figure) in [
        ("ferries-time", mean(&ferry["time_h"]["mean"])),
        ("ferries-wait", mean(&ferry["wait_h"]["mean"])),
        ("ferries-fill", mean(&ferry["fill"])),
    ] {
        let svg = chart(&html, id);
        // The bar's figure, as written beside it: `53.3 [51.4 to 55.1]`.
        let shown: f64 = (svg.split("class=\"value\">").nth(1))
            .and_then(|t| t.split(' ').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{id}: no figure in {svg}"));
        assert!(
            (shown - figure).abs() <= 0.01 * figure,
            "{id}: {shown} against {figure}"
        );
    }
    // The wait is a part of the time to sailing, and titled so: not the whole of it.
    assert!(mean(&ferry["wait_h"]["mean"]) < mean(&ferry["time_h"]["mean"]));
    assert!(html.contains("<h2>Ferries: waiting for a vessel</h2>"));
    assert!(html.contains("<h2>Ferries: time from the berth to sailing</h2>"));
    // The map colours the line by its fill; its ports, without stages, are squares, and
    // its key names them so, and no circle of a crossing.
    let map = chart(&html, "map");
    assert!(map.contains("class=\"ferry\""));
    assert!(map.contains("<rect") && map.contains(">squares: ports · dots: terminals</text>"));
}

#[test]
fn short_transits_are_given_in_hours_and_long_ones_in_days() {
    // A border post's trucks take hours: 0.1 days read as nothing on a board.
    let (html, json) = report("html-hours", "scenarios/border_post.toml");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hours = v["network"]["teu_transit_h"]["mean"]["mean"]
        .as_f64()
        .unwrap();
    assert!(hours < 48.0, "{hours}");
    let box_of = |html: &str, label: &str| -> f64 {
        let end = html.find(label).unwrap_or_else(|| panic!("no {label}"));
        let start = html[..end].rfind("<div class=\"v\">").unwrap() + "<div class=\"v\">".len();
        html[start..].split('<').next().unwrap().parse().unwrap()
    };
    let shown = box_of(&html, "hours in transit per TEU, mean");
    assert!(
        (shown - hours).abs() <= 0.01 * hours,
        "{shown} against {hours} h"
    );
    assert!(html.contains("<h2>Flows: hours in transit</h2>"));
    // Its one crossing's queue is not called three.
    assert!(html.contains("at the one crossing that had a queue;"));
    assert!(!html.contains("days in transit"));
    let (forecast, _) = page(
        "html-hours-forecast",
        &[
            "forecast",
            "scenarios/border_post.toml",
            "--years",
            "2025..2026",
        ],
    );
    assert!(
        forecast.contains("<h2>Hours in transit per TEU</h2>"),
        "forecast"
    );
}

#[test]
fn figures_that_cannot_be_negative_are_shown_from_zero_and_kept_in_the_json() {
    let (html, json) = report("html-from-zero", "scenarios/eurasia_2025.toml");
    // Waits of crossings that hardly queue have intervals running below zero in the
    // results; the page shows them from 0 (it has no figure that can be negative).
    assert!(
        json.contains("\"ci95_lo\": -"),
        "the results keep their intervals"
    );
    assert!(!html.contains("[-"), "an interval below zero on the page");
    assert!(html.contains(" [0 to "), "no interval from 0");
}

#[test]
fn a_report_draws_a_schematic_map_when_nodes_lack_coordinates() {
    let (html, _) = report("html-schematic", "scenarios/examples/two_gauges.toml");
    assert!(html.contains("schematic layout"));
    assert!(!html.contains("<title>Kazakhstan</title>"));
    assert!(html.contains("<svg id=\"map\""));
    // One line of three places: a map as high as its one row and the key need, with the
    // names above the lines, not the 520 px of a map of Eurasia.
    let map = chart(&html, "map");
    assert!(map.contains("viewBox=\"0 0 900 242\""), "{}", &map[..120]);
    for name in [
        ">inland_cn</text>",
        ">Border station</text>",
        ">hub_kz</text>",
    ] {
        assert!(map.contains(name), "{name} named");
    }
}

#[test]
fn crossings_at_one_node_each_have_a_sector_of_its_circle_coloured_and_named() {
    // The rail and road crossings of the border station share its node.
    let (html, _) = report("html-shared-node", "scenarios/examples/two_gauges.toml");
    let map = chart(&html, "map");
    let marks: Vec<&str> = (map.split("class=\"crossing\"").skip(1))
        .map(|m| &m[..m.find("</title>").unwrap()])
        .collect();
    assert_eq!(marks.len(), 2, "one mark per crossing");
    assert!(marks[0].contains("border-rail (rail)") && !marks[0].contains("border-road"));
    assert!(marks[1].contains("border-road (road)") && !marks[1].contains("border-rail"));
    // Each sector is coloured by its own crossing: the road one is busier.
    let fills: Vec<&str> = (map.split("<path d=\"M").skip(1))
        .filter(|p| p.contains("class=\"crossing\""))
        .map(|p| {
            p.split("fill=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(fills.len(), 2, "{map}");
    assert_ne!(fills[0], fills[1]);
    assert!(html.contains("Crossings at one node share its circle, one sector each"));
    let (post, _) = report("html-one-per-node", "scenarios/border_post.toml");
    assert!(!post.contains("Crossings at one node share its circle"));

    // A variant adding the road crossing beside the rail one outlines the road's sector
    // alone, and says which is new.
    let (page, _) = page(
        "html-shared-node-new",
        &[
            "compare",
            "tests/compare/two_gauges_without_road_crossing.toml",
            "scenarios/examples/two_gauges.toml",
            "--replications",
            "2",
        ],
    );
    let map = chart(&page, "map-1");
    let dashed: Vec<&str> = (map.split("<path d=\"M").skip(1))
        .filter(|p| p.contains("stroke-dasharray=\"4 2\""))
        .collect();
    assert_eq!(dashed.len(), 1, "one dashed arc: {map}");
    assert!(
        !map.contains("r=\"11\""),
        "no ring round both crossings: {map}"
    );
    assert!(map.contains("border-road (road, new)"), "{map}");
    assert!(map.contains("border-rail (rail)"), "{map}");
    assert!(page.contains("Crossings at one node share its circle, one sector each"));
}

#[test]
fn the_report_leaves_the_results_as_they_are() {
    let plain = corridor_ok(&[
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "3",
        "--format",
        "json",
    ]);
    let (_, with) = written(
        "html-same",
        &["run", "scenarios/border_post.toml", "--replications", "3"],
    );
    assert_eq!(String::from_utf8(plain.stdout).unwrap(), with);
}

#[test]
fn an_html_path_that_cannot_be_written_is_refused_before_anything_runs() {
    let dir = scratch_dir("html-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let out = corridor(&[
        "run",
        "scenarios/border_post.toml",
        "--html",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a directory") && err.contains("nothing was run"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_report_of_one_replication_gives_its_figures_without_an_interval() {
    let (page, _) = written(
        "html-one-replication",
        &["run", "scenarios/border_post.toml", "--replications", "1"],
    );
    assert!(page.contains("1 replication, seed 7;"), "HTML heading");
    // The headline: each figure's value, then that one replication gives no interval.
    let figures = page
        .split("<div class=\"figure\"><div class=\"v\">")
        .skip(1);
    let mut seen = 0;
    for figure in figures {
        let (value, rest) = figure.split_once("</div><div class=\"k\">").unwrap();
        let (label, _) = rest.split_once("</div>").unwrap();
        assert_eq!(
            label, "no interval: one replication (n = 1)",
            "HTML headline"
        );
        assert!(
            !page.contains(&format!("[{value}, {value}]")),
            "an interval of one value"
        );
        seen += 1;
    }
    assert_eq!(seen, 3, "three headline figures");
}

#[test]
fn a_comparison_report_of_one_replication_lists_its_differences_untested() {
    let (page, _) = written(
        "html-one-replication-compare",
        &[
            "compare",
            "scenarios/border_post.toml",
            "scenarios/border_post_closure.toml",
            "--replications",
            "1",
        ],
    );
    assert!(page.contains("none is tested (n = 1)"), "HTML note");
    assert!(
        page.contains("Differences of variant 1"),
        "HTML lists the differences"
    );
    assert!(
        !page.contains("No figure changed significantly"),
        "HTML tested nothing"
    );
    // A variant that adds no element has no close-up.
    assert!(!page.contains("<svg id=\"close-up-1\""), "no close-up");
}

#[test]
fn a_comparison_report_plots_the_differences_and_outlines_the_new_line() {
    let (html, out) = written(
        "html-compare",
        &[
            "compare",
            "scenarios/eurasia_2025.toml",
            "scenarios/bakhty_ayagoz.toml",
            "--replications",
            "3",
        ],
    );
    for id in [
        "compare-teu",
        "compare-transit",
        "forest-1",
        "close-up-1",
        "map-1",
    ] {
        assert!(html.contains(&format!("<svg id=\"{id}\"")), "no chart {id}");
    }
    // The close-up frames the new line: Bakhty and Ayagoz's neighbourhood is named there,
    // far-off Duisburg is not.
    let close = chart(&html, "close-up-1");
    assert!(close.contains(">Bakhty</text>"), "close-up names Bakhty");
    assert!(
        !close.contains(">Duisburg</text>"),
        "close-up is framed on the line"
    );
    // The chart of differences lists the network's figures, then the corridors', flows',
    // crossings' and segments', each named in plain words.
    let forest = chart(&html, "forest-1");
    let firsts: Vec<usize> = [
        ">network · ",
        ">corridor ",
        ">flow ",
        ">crossing ",
        ">segment ",
    ]
    .iter()
    .filter_map(|kind| forest.find(kind))
    .collect();
    assert!(firsts.len() >= 3, "{forest}");
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}");
    assert!(!forest.contains("network network") && !forest.contains("teu_transit_h"));
    // The new crossing and line are listed and outlined on the map.
    assert!(html.contains("<td>crossing bakhty-rail</td>"));
    assert!(html.contains(r#"stroke-dasharray="8 4""#));
    assert_offline(&html);
    assert_no_bar_marks(footer(&html));
    assert!(
        footer(&html).contains("variant minus base"),
        "{}",
        footer(&html)
    );
    // The differences drawn are those of the JSON.
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 1);
    assert!(html.contains("scenarios/bakhty_ayagoz.toml"));
    // The summary names the variant as the tables do, its scenario and file in the tooltip.
    let teu = chart(&html, "compare-teu");
    assert!(teu.contains(">bakhty_ayagoz</text>"), "{teu}");
    assert!(teu.contains("<title>Eurasia 2025 + Bakhty–Ayagoz line and Bakhty crossing (scenarios/bakhty_ayagoz.toml): "));
    assert!(html.contains("<h2>Days in transit per TEU: each variant minus the base</h2>"));
}

#[test]
fn a_comparison_of_short_transits_gives_them_in_hours() {
    // The border post's trucks take hours (2.5 h): a fifth lane's change in days would
    // read -0.03.
    let (html, _) = written(
        "html-compare-hours",
        &[
            "compare",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=5",
            "--replications",
            "3",
        ],
    );
    assert!(html.contains("<h2>Hours in transit per TEU: each variant minus the base</h2>"));
    assert!(chart(&html, "compare-transit").contains("hours in transit per TEU, longer (+)"));
}

/// The comparison of the Eurasian baseline with its two projects (3 replications), as a
/// page.
fn two_projects(tag: &str) -> String {
    written(
        tag,
        &[
            "compare",
            "scenarios/eurasia_2025.toml",
            "scenarios/bakhty_ayagoz.toml",
            "scenarios/dostyk_moyynty_second_track.toml",
            "--replications",
            "3",
        ],
    )
    .0
}

#[test]
fn the_labels_of_a_comparison_fit_left_of_its_charts() {
    let html = two_projects("html-compare-labels");
    for id in ["compare-teu", "compare-transit", "forest-1", "forest-2"] {
        let svg = chart(&html, id);
        let tag = "class=\"label\" text-anchor=\"end\">";
        for (at, _) in svg.match_indices(tag) {
            let open = svg[..at].rfind("<text x=\"").unwrap() + "<text x=\"".len();
            let x: f64 = svg[open..].split('"').next().unwrap().parse().unwrap();
            let rest = &svg[at + tag.len()..];
            let text = &rest[..rest.find("</text>").unwrap()];
            // A label is whole, ending where there is room for half an em (6 px) a
            // character before it, or cut short, whole in its own tooltip.
            match text.split_once("<title>") {
                Some((shown, whole)) => {
                    assert!(shown.ends_with('…'), "{id}: {text}");
                    let whole = whole.trim_end_matches("</title>");
                    assert!(
                        whole.starts_with(shown.trim_end_matches('…')),
                        "{id}: {text}"
                    );
                }
                None => assert!(
                    x >= 6.0 * text.chars().count() as f64,
                    "{id}: \"{text}\" ends at x = {x}"
                ),
            }
        }
    }
}

#[test]
fn a_comparison_cuts_per_cent_intervals_at_minus_100_and_says_so() {
    let html = two_projects("html-compare-floor");
    let mut cut = 0;
    for id in ["forest-1", "forest-2"] {
        let svg = chart(&html, id);
        for figure in svg.split("class=\"value\">").skip(1) {
            let text = &figure[..figure.find("</text>").unwrap()];
            // "-99.8 [-100 to -41.5]": every figure here is a wait, a time, a count, TEU or
            // a share, none of which a variant can lower by more than all of the base's.
            let numbers: Vec<f64> = text
                .split(['[', ']', ' '])
                .filter(|t| !t.is_empty() && *t != "to")
                .map(|t| t.replace([',', '+'], "").parse().unwrap())
                .collect();
            assert_eq!(numbers.len(), 3, "{id}: {text}");
            assert!(numbers.iter().all(|&v| v >= -100.0), "{id}: {text}");
            cut += usize::from(numbers[1] == -100.0);
        }
    }
    // The dostyk–moyynty second track takes the waits off the single track: their
    // intervals, symmetric about the mean, ran below -100 % and are cut, as its note says.
    assert!(cut > 0, "no interval cut at -100 %");
    assert!(html.contains("ran below −100 % and"), "no note of the cut");
}

#[test]
fn a_forecast_report_draws_demand_delivery_and_saturation_by_year_with_openings() {
    let (html, _) = written(
        "html-forecast",
        &[
            "forecast",
            "scenarios/forecast/baseline_growth.toml",
            "--years",
            "2025..2028",
            "--replications",
            "3",
            "--open",
            "2027:scenarios/forecast/bakhty_ayagoz_growth.toml",
        ],
    );
    for id in [
        "forecast-teu-1",
        "forecast-transit-1",
        "forecast-backlog-1",
        "forecast-saturation-1",
    ] {
        assert!(html.contains(&format!("<svg id=\"{id}\"")), "no chart {id}");
    }
    // The opening of the project is marked in its year, and every year is on the axis.
    assert!(html.contains(">bakhty_ayagoz_growth</text>"));
    for year in 2025..=2028 {
        assert!(html.contains(&format!(">{year}</text>")), "{year}");
    }
    assert!(html.contains("crossing dostyk-rail"));
    // Saturation years are written out, a year not reached said to be after the last.
    assert!(html.contains(" (10 %: "), "saturation years");
    assert!(
        !html.contains("–-") && !html.contains("(-–"),
        "a dash for a year"
    );
    assert!(
        html.contains("after 2028") || !html.contains("not by 2028"),
        "a year beyond the forecast is after its last"
    );
    assert_offline(&html);
    // The footer speaks of bands and diamonds, not of the run report's bars.
    let said = footer(&html);
    assert_no_bar_marks(said);
    assert!(said.contains("bands"), "{said}");
}

#[test]
fn sweep_and_capacity_reports_draw_their_figures() {
    let (html, _) = written(
        "html-sweep",
        &[
            "sweep",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=4,5,6",
            "--replications",
            "4",
        ],
    );
    // The network's two headline figures and the crossing's wait and utilisation, each
    // against the three values of servers.
    for k in 1..=4 {
        assert!(
            html.contains(&format!("<svg id=\"sweep-{k}\"")),
            "no chart {k}"
        );
    }
    // Titles and axes in words; the path as typed, in the note under the title.
    assert!(html.contains(
        "<h1>One border post (M/M/4): sweep of the servers of crossing post, stage 1</h1>"
    ));
    assert!(html.contains("swept: <code>crossing.post.stage.1.servers</code> = 4, 5, 6."));
    assert!(html.contains(">servers of crossing post, stage 1</text>"));
    assert!(html.contains("<h2>Crossing post: mean wait</h2>"));
    assert!(html.contains("<h2>Network: TEU delivered per year</h2>"));
    assert!(!html.contains(">crossing.post.stage.1.servers</text>"));
    // Each point's figure is written beside it, for a page on paper: three per chart.
    for k in 1..=4 {
        let svg = chart(&html, &format!("sweep-{k}"));
        assert_eq!(
            svg.matches("class=\"tick figure-at\"").count(),
            3,
            "chart {k}"
        );
    }
    assert_offline(&html);
    assert_no_bar_marks(footer(&html));
    assert!(footer(&html).contains("band"), "{}", footer(&html));
    let (html, _) = written(
        "html-capacity",
        &[
            "capacity",
            "scenarios/border_post.toml",
            "--max-p95-wait-h",
            "4",
            "--replications",
            "4",
        ],
    );
    assert!(html.contains("<svg id=\"capacity-replications\""));
    // The tightest target against the multiplier, marked where the answer is.
    assert!(html.contains("<svg id=\"capacity-curve\""));
    assert!(html.contains(">answer × "));
    assert!(html.contains("crossing post"));
    // The targets searched against are stated by the answer, as the table states them.
    assert!(
        html.contains("<strong>Targets:</strong> 95th-percentile wait ≤ 4 h everywhere."),
        "no targets in the capacity report"
    );
    let targets = html.find("<strong>Targets:").unwrap();
    assert!(targets < html.find("<div class=\"figures\">").unwrap());
    assert_offline(&html);
    assert_no_bar_marks(footer(&html));
    assert!(
        footer(&html).contains("largest multiplier"),
        "{}",
        footer(&html)
    );
}

#[test]
fn a_capacity_report_no_demand_meets_says_not_feasible_and_what_fails_there() {
    // The Caspian ferries' 95th-percentile wait passes a day at any demand.
    let dir = scratch_dir("html-capacity-not-feasible");
    let file = dir.join("report.html");
    let out = corridor(&[
        "capacity",
        "scenarios/eurasia_2025.toml",
        "--max-p95-wait-h",
        "24",
        "--replications",
        "3",
        "--html",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let html = std::fs::read_to_string(&file).expect("the report is written");
    std::fs::remove_dir_all(&dir).ok();
    let table = String::from_utf8(out.stdout).unwrap();
    // The page says what the terminal says: no answer, and what fails at 1/64.
    let failing = table
        .lines()
        .find_map(|l| l.strip_prefix("failing there"))
        .and_then(|l| l.trim().split(", first in").next())
        .unwrap_or_else(|| panic!("no failing element in {table}"));
    assert!(failing.starts_with("ferry ") && failing.contains("(limit 24 h)"));
    assert!(html.contains("<div class=\"v\">NOT FEASIBLE</div>"));
    assert!(html.contains("No multiplier of the demand meets the targets"));
    assert!(html.contains("1/64 of the container demand (× 0.016)"));
    assert!(
        html.contains(&format!("the first to break a target is {failing}")),
        "{failing} is not named"
    );
    // No answer of zero, and no words for an answer the curve does not give.
    for wrong in [
        "× 0.000",
        "how much more demand it carries",
        "where it crosses 1",
        ">answer × ",
        ", is the answer",
    ] {
        assert!(!html.contains(wrong), "the page says {wrong}");
    }
    // The curve runs from the smallest multiplier tried to the scenario's demand, and its
    // words say that it does not cross the limit.
    let curve = chart(&html, "capacity-curve");
    assert!(curve.contains(">× 0.016</text>") && curve.contains(">× 1.00</text>"));
    assert!(html.contains("it never crosses 1, and no multiplier meets the targets"));
    assert!(footer(&html).contains("No multiplier is the answer"));
}

/// The lines of chart `svg` (`class="line"` paths, and those of their stretches to points
/// beyond the axis): each one's name and its points' x.
fn lines_of(svg: &str) -> Vec<(String, Vec<f64>)> {
    let mut lines: Vec<(String, Vec<f64>)> = Vec::new();
    let parts = svg.split("<path d=\"").skip(1).filter(|p| {
        let tag = p.split('>').next().unwrap();
        tag.contains(r#"class="line""#) || tag.contains(r#"class="line beyond""#)
    });
    for p in parts {
        let d = p.split('"').next().unwrap();
        let xs: Vec<f64> = d
            .split(['M', 'L'])
            .filter(|c| !c.is_empty())
            .map(|c| c.split(' ').next().unwrap().parse().unwrap())
            .collect();
        let title = p.split("<title>").nth(1).unwrap().split("</title>").next();
        // A line's stretches to a point beyond the axis are a path of their own.
        let name = title
            .unwrap()
            .trim_end_matches(", to a point beyond the axis");
        match lines.iter_mut().find(|(n, _)| n == name) {
            Some((_, all)) => {
                all.extend(xs);
                all.sort_by(f64::total_cmp);
                all.dedup();
            }
            None => lines.push((name.to_string(), xs)),
        }
    }
    lines
}

/// The largest value labelled on the y axis of chart `svg` (its ticks, right-aligned).
fn y_axis_end(svg: &str) -> f64 {
    (svg.split(r#"class="tick" text-anchor="end">"#).skip(1))
        .filter_map(|t| t.split('<').next()?.replace(',', "").parse::<f64>().ok())
        .fold(0.0, f64::max)
}

/// The y of every `<text>` in `svg` that reads `words`.
fn text_ys(svg: &str, words: &str) -> Vec<f64> {
    svg.match_indices(&format!(">{words}</text>"))
        .map(|(at, _)| {
            let open = svg[..at].rfind("<text ").unwrap();
            let y = svg[open..].split(" y=\"").nth(1).unwrap().split('"').next();
            y.unwrap().parse().unwrap()
        })
        .collect()
}

/// Asserts that every line of chart `svg` is named once in its legend, under the plot
/// where no line is drawn.
fn assert_named_under_the_plot(svg: &str) {
    let bottom = plot_bottom(svg);
    for (name, _) in lines_of(svg) {
        let ys = text_ys(svg, &name);
        assert_eq!(ys.len(), 1, "{name} is named {} times", ys.len());
        assert!(ys[0] > bottom + 20.0, "{name} at {} over {bottom}", ys[0]);
    }
}

/// The y of the lowest horizontal gridline of `svg`: the bottom of its plot.
fn plot_bottom(svg: &str) -> f64 {
    svg.split("<line ")
        .skip(1)
        .filter_map(|l| {
            let attr = |k: &str| -> Option<f64> {
                l.split(&format!(" {k}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            };
            let (y1, y2) = (attr("y1")?, attr("y2")?);
            (y1 == y2 && l.contains("stroke=\"#ddd\"")).then_some(y1)
        })
        .fold(0.0, f64::max)
}

#[test]
fn a_sweep_draws_an_overloaded_point_beyond_its_axis_with_its_figure() {
    // Three servers cannot keep up with the post's trucks: their wait runs to hundreds of
    // hours, against under one with four or five.
    let (html, _) = page(
        "html-sweep-overloaded",
        &[
            "sweep",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=3,4,5",
            "--replications",
            "4",
        ],
    );
    assert!(html.contains("OVERLOADED at 1 of 3 points"));
    let wait = html.find("<h2>Crossing post: mean wait</h2>").unwrap();
    let svg = chart(&html[wait..], "sweep-3");
    // The axis ends at a round number above four and five servers' waits, not at hundreds.
    let top = y_axis_end(svg);
    assert!(top > 0.5 && top <= 2.0, "axis ends at {top}");
    // The overloaded point is a triangle at the top, its figure written beside it whole,
    // joined to the next by a dotted stretch; the note says so.
    assert_eq!(svg.matches("class=\"beyond\"").count(), 1, "{svg}");
    let figures: Vec<f64> = (svg.split("class=\"tick figure-at\" style=\"fill:").skip(1))
        .map(|t| t.split('>').nth(1).unwrap().split('<').next().unwrap())
        .map(|t| t.replace(',', "").parse().unwrap())
        .collect();
    assert_eq!(figures.len(), 3, "{figures:?}");
    assert!(figures[0] > 100.0, "{figures:?}");
    assert!(svg.contains("class=\"line beyond\""));
    assert!(html.contains("lie beyond the axis: drawn at its top (▲)"));
    // Every figure, charted beyond the axis or not, is in the table closing the page: the
    // overloaded point's wait of hundreds of hours among them.
    let table = &html[html.find("<h2>The figures at each point</h2>").unwrap()..];
    assert!(table.contains("<th>Crossing post: mean wait (h)</th>"));
    let first = table.split("<tr><td>1</td>").nth(1).unwrap();
    let first = first.split("</tr>").next().unwrap();
    assert!(first.starts_with("<td>3</td>"), "{first}");
    let wait: f64 = (first.split("<td class=\"num\">").nth(3).unwrap())
        .split("<br>")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 100.0, "{first}");
    // The utilisation, a share, is not cut: no figure there is ten times another.
    let busy = html.find("<h2>Crossing post: utilisation</h2>").unwrap();
    assert!(!chart(&html[busy..], "sweep-4").contains("class=\"beyond\""));
}

#[test]
fn a_sweep_of_two_parameters_draws_a_line_for_each_value_of_the_second() {
    let (html, _) = page(
        "html-sweep-two",
        &[
            "sweep",
            "scenarios/border_post.toml",
            "--set",
            "crossing.post.stage.1.servers=4,5,6",
            "--demand",
            "1,1.25",
            "--replications",
            "2",
        ],
    );
    for k in 1..=4 {
        let svg = chart(&html, &format!("sweep-{k}"));
        let lines = lines_of(svg);
        // One line per demand, each along the three values of servers, left to right:
        // none joins a point at one demand to a point at the other.
        let names: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(names, ["demand × 1", "demand × 1.25"], "chart {k}");
        for (name, xs) in &lines {
            assert_eq!(xs.len(), 3, "{name} in chart {k}: {xs:?}");
            assert!(xs.windows(2).all(|w| w[0] < w[1]), "{name}: {xs:?}");
        }
        assert_eq!(lines[0].1, lines[1].1);
        // The x axis is the servers; the legend names the demands, under the plot.
        assert!(svg.contains(">servers of crossing post, stage 1</text>"));
        assert_named_under_the_plot(svg);
    }
    assert!(html.contains("one line for each value of the demand (× the scenario&#39;s)"));
}

#[test]
fn the_queues_at_the_crossings_are_named_under_their_chart() {
    let (html, _) = report("html-queue-keys", "scenarios/eurasia_2025.toml");
    let svg = chart(&html, "series-queues");
    assert!(lines_of(svg).len() > 1);
    assert_named_under_the_plot(svg);
}

#[test]
fn a_stringline_draws_the_trains_along_dostyk_aktogay_moyynty() {
    let (html, _) = page(
        "html-stringline",
        &[
            "stringline",
            "scenarios/eurasia_2025.toml",
            "--route",
            "dostyk,aktogay,moyynty",
            "--from-day",
            "60",
            "--to-day",
            "62",
        ],
    );
    assert!(html.contains("<svg id=\"stringline\""));
    // Trains both ways, loaded and empty, on the route's three places.
    let trains = html.matches("<title>train ").count();
    assert!(trains > 20, "{trains} trains in two days");
    assert!(html.contains("with the route") && html.contains("against the route"));
    assert!(html.contains("(empty:broad-1520)"));
    for place in [">Dostyk</text>", ">Aktogay</text>", ">Moyynty</text>"] {
        assert!(html.contains(place), "{place}");
    }
    assert_offline(&html);
    // One replication is drawn: the footer says so, and speaks of no mean or interval.
    let said = footer(&html);
    assert_no_bar_marks(said);
    assert!(
        said.starts_with("Made by corridor ") && said.contains("One replication, replication 0"),
        "{said}"
    );
    assert!(!said.contains("means over the replications"), "{said}");
    // A route through nodes no rail segment joins, or an unknown node, is refused.
    let dir = scratch_dir("html-stringline");
    let file = dir.join("stringline.html");
    for (route, says) in [
        (
            "dostyk,moyynty",
            "no rail segment joins \"dostyk\" and \"moyynty\"",
        ),
        ("dostik,aktogay", "did you mean \"dostyk\""),
    ] {
        let out = corridor(&[
            "stringline",
            "scenarios/eurasia_2025.toml",
            "--route",
            route,
            "--html",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{route}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_report_into_a_directory_not_made_yet_makes_it() {
    let dir = scratch_dir("html-new-dir");
    let file = dir.join("reports").join("2025").join("post.html");
    corridor_ok(&[
        "run",
        "scenarios/border_post.toml",
        "--replications",
        "2",
        "--quiet",
        "--html",
        file.to_str().unwrap(),
    ]);
    assert!(file.is_file());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_run_page_and_a_sweep_page_say_which_flows_are_overloaded_and_a_calm_run_says_nothing() {
    let (run, _) = written(
        "html-run-overloaded",
        &[
            "run",
            "scenarios/theory/double_track_overload.toml",
            "--replications",
            "2",
        ],
    );
    assert!(
        run.contains("<p class=\"overloaded\">OVERLOADED: 1 flow (eastbound, backlog "),
        "no overload box on the run page"
    );
    let (sweep, _) = written(
        "html-sweep-overloaded",
        &[
            "sweep",
            "scenarios/border_post.toml",
            "--demand",
            "1,3",
            "--replications",
            "2",
        ],
    );
    assert!(
        sweep.contains("<div class=\"overloaded\">OVERLOADED at 1 of 2 points: the flows named end the horizon")
            && sweep.contains("<li>point 2 (demand=3): trucks, backlog "),
        "no overload box on the sweep page"
    );
    let (calm, _) = written(
        "html-run-calm",
        &["run", "scenarios/border_post.toml", "--replications", "2"],
    );
    assert!(!calm.contains("OVERLOADED"));
}

#[test]
fn a_capacity_page_whose_answer_is_below_today_says_the_demand_already_breaks_the_targets() {
    // The guide's example: the post carries 0.956 of its demand within a mean wait of 0.5 h.
    let (html, _) = written(
        "html-capacity-below",
        &[
            "capacity",
            "scenarios/border_post.toml",
            "--max-mean-wait-h",
            "0.5",
            "--replications",
            "3",
        ],
    );
    assert!(html.contains(": today's demand already breaks the targets</h1>"));
    assert!(!html.contains("how much more demand it carries"));
}

#[test]
fn crossings_a_few_km_apart_are_drawn_apart_and_each_named() {
    // Altynkol (rail) and Nur Zholy (road) lie 7 km apart at Khorgos: at the scale of
    // Kazakhstan their circles would cover each other.
    let (html, _) = report("html-khorgos", "scenarios/kazakhstan_2025.toml");
    let circle = |name: &str| -> (f64, f64) {
        let at = html
            .find(&format!(r#"class="crossing"><title>{name}"#))
            .unwrap_or_else(|| panic!("no circle for {name}"));
        let open = html[..at].rfind("<circle ").unwrap();
        let attr = |k: &str| -> f64 {
            let v = html[open..].split(&format!(" {k}=\"")).nth(1).unwrap();
            v.split('"').next().unwrap().parse().unwrap()
        };
        (attr("cx"), attr("cy"))
    };
    let (a, b) = (circle("Altynkol"), circle("Nur Zholy"));
    let apart = (a.0 - b.0).hypot(a.1 - b.1);
    assert!(apart >= 2.0 * 6.5, "circles {apart} px apart");
    // Still near where they are: a few px, not a different place.
    assert!(apart < 20.0, "circles {apart} px apart");
    for name in ["Altynkol / Khorgos Gateway", "Nur Zholy road border post"] {
        assert!(
            html.contains(&format!(">{name}</text>")),
            "{name} is not written on the map"
        );
    }
}

#[test]
fn crossings_crowded_round_the_caspian_are_named_with_leaders() {
    let (html, _) = report("html-caspian-names", "scenarios/eurasia_2025.toml");
    let map = chart(&html, "map");
    // Kuryk port and the Temir Baba–Garabogaz road crossing have no room beside their
    // marks: their names stand off, joined to them by a line.
    for name in ["Kuryk port", "Temir Baba–Garabogaz"] {
        let at = map
            .find(&format!(">{name}</text>"))
            .unwrap_or_else(|| panic!("{name} is not written"));
        let before = &map[..at];
        let text = before.rfind("<text ").unwrap();
        assert!(
            before[..text].ends_with(r#"class="leader"/>"#),
            "{name} has no leader"
        );
    }
}

#[test]
fn a_sweep_writes_its_numeric_values_on_the_axis_as_other_axes_do() {
    let (html, _) = page(
        "html-sweep-thousands",
        &[
            "sweep",
            "scenarios/border_post.toml",
            "--set",
            "flow.trucks.teu_per_year=100000,120000",
            "--replications",
            "2",
        ],
    );
    let svg = chart(&html, "sweep-1");
    assert!(svg.contains(">100,000</text>"), "{svg}");
    assert!(!svg.contains(">100000</text>"));
}
