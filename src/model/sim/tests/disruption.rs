//! Disruptions: windows and random closures of crossings and segments.

use super::crossing::post;
use super::*;

#[test]
fn a_disruption_window_stops_its_crossing_and_the_backlog_clears_after() {
    let m = post("", "[[disruption]]\nid = \"closure\"\ntarget = \"crossing:post\"\nstart_day = 30\nend_day = 40");
    let (sim, _) = run_to_horizon(&m, 1, 0);
    let starts = &sim.crossings[0].service_starts;
    assert!(!starts
        .iter()
        .any(|&t| hours(t) > 30.0 * 24.0 && hours(t) < 40.0 * 24.0));
    assert!(
        starts.iter().any(|&t| hours(t) >= 40.0 * 24.0),
        "services resume"
    );
    // 240 trucks queued during the closure; at 2 trucks/h of capacity and 1 arriving,
    // the queue is gone about 10 days later. At the horizon only the usual few remain.
    let alive = sim.vehicles.iter().filter(|v| v.alive).count();
    assert!(alive < 20, "{alive} trucks still on the way at the horizon");
}

#[test]
fn a_disruption_window_stops_all_entries_to_its_segment() {
    let m = post(
        "",
        "[[disruption]]\nid = \"washout\"\ntarget = \"post-e\"\nstart_day = 50\nend_day = 53",
    );
    let (sim, _) = run_to_horizon(&m, 1, 0);
    let link = sim.m.links.iter().position(|l| l.id == "post-e").unwrap();
    let entries = &sim.links[link].entries;
    assert!(!entries
        .iter()
        .any(|&t| hours(t) > 50.0 * 24.0 && hours(t) < 53.0 * 24.0));
    // Right at the reopening, the trucks held for three days enter one after another.
    let at_reopen = entries.iter().filter(|&&t| hours(t) == 53.0 * 24.0).count();
    assert!(
        at_reopen > 50,
        "{at_reopen} trucks entered at the reopening"
    );
    let alive = sim.vehicles.iter().filter(|v| v.alive).count();
    assert!(alive < 20, "{alive} trucks still on the way at the horizon");
}

#[test]
fn random_disruptions_close_for_about_their_share_of_time() {
    // 12 closures a year of 24 h on average: closed about 12 x 24 / 8760 = 3.3 % of the
    // time (a little less, since closures start only while open).
    let m = post("", "[[disruption]]\nid = \"random\"\ntarget = \"crossing:post\"\nrate_per_year = 12\nduration_h = { dist = \"exp\", mean = 24 }");
    let mut closed_h = 0.0;
    let mut total_h = 0.0;
    for rep in 0..40 {
        let (sim, _) = run_to_horizon(&m, 9, rep);
        // Gaps of more than 12 h between service starts only happen while closed.
        let starts = &sim.crossings[0].service_starts;
        for w in starts.windows(2) {
            let gap = hours(w[1]) - hours(w[0]);
            if gap > 12.0 {
                closed_h += gap;
            }
        }
        total_h += 120.0 * 24.0;
    }
    let share = closed_h / total_h;
    assert!((0.015..0.05).contains(&share), "closed share {share}");
}
