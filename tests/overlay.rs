//! Overlays: `extends`, merging by id, `remove`, chains, and errors that name the file each
//! value came from.

mod common;
use common::{corridor, root, run_json};
use corridor::model::Layout;
use corridor::scenario::load;

fn model(name: &str) -> corridor::model::Model {
    load(&root().join("tests/overlays").join(name))
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

#[test]
fn an_overlay_overrides_the_keys_it_gives_and_keeps_the_rest() {
    let base = model("base.toml");
    let over = model("more_lanes.toml");
    assert_eq!(base.crossings[0].stages[0].servers, 4);
    assert_eq!(over.crossings[0].stages[0].servers, 5);
    assert_eq!(over.name, "overlay: five lanes");
    assert_eq!(over.horizon, base.horizon);
    assert_eq!(over.crossings[0].node, base.crossings[0].node);
    assert_eq!(over.flows.len(), 2);
}

#[test]
fn overlays_chain_and_remove_deletes_before_merging() {
    let m = model("chained.toml");
    let ids: Vec<&str> = m.flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["trucks", "extra"]);
    assert_eq!(m.crossings[0].stages[0].servers, 5, "from more_lanes.toml");
    let east = m.links.iter().find(|l| l.id == "east-road").unwrap();
    assert_eq!(east.speed_kmh, 90.0);
    assert_eq!(east.length_km, 20.0, "kept from base.toml");
    assert!(matches!(east.layout, Layout::Road { spacing: None }));
}

#[test]
fn an_error_names_the_file_the_value_came_from() {
    let out = corridor(&["validate", "tests/overlays/bad_value.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("speed_kmh = -5 in road \"east-road\""),
        "{err}"
    );
    assert!(
        err.contains("--> tests/overlays/bad_value.toml:7:13"),
        "{err}"
    );

    let out = corridor(&["validate", "tests/overlays/removes_a_node_still_used.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown node \"post\" in road \"west-road\".to"),
        "{err}"
    );
    assert!(err.contains("--> tests/overlays/base.toml:24:6"), "{err}");
}

#[test]
fn removing_an_unknown_id_suggests_the_closest() {
    let out = corridor(&["validate", "tests/overlays/bad_remove.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("remove has \"retrun\""), "{err}");
    assert!(err.contains("did you mean \"return\"?"), "{err}");
    assert!(
        err.contains("--> tests/overlays/bad_remove.toml:3:11"),
        "{err}"
    );
}

#[test]
fn circular_and_missing_bases_are_refused() {
    let out = corridor(&["validate", "tests/overlays/cycle_a.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("overlays extend each other in a circle: tests/overlays/cycle_a.toml -> tests/overlays/cycle_b.toml -> tests/overlays/cycle_a.toml"), "{err}");
    let out = corridor(&["validate", "tests/overlays/missing_base.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no such file tests/overlays/no_such_base.toml"),
        "{err}"
    );
}

#[test]
fn an_overlay_runs_like_any_scenario() {
    let v = run_json("tests/overlays/chained.toml", &[]);
    assert_eq!(v["scenario"], "overlay: chained");
    assert_eq!(v["flows"].as_array().unwrap().len(), 2);
}

#[test]
fn an_overlays_stages_merge_with_the_bases_by_name() {
    let base = model("base.toml");
    let m = model("stage_by_name.toml");
    let stages = &m.crossings[0].stages;
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["control", "veterinary check"]);
    assert_eq!(stages[0].servers, 6, "the key given overrides the base's");
    assert_eq!(
        format!("{:?}", stages[0].service),
        format!("{:?}", base.crossings[0].stages[0].service),
        "the keys not given are the base's"
    );
}

#[test]
fn removing_a_crossings_stage_list_lets_the_overlay_replace_it_whole() {
    let m = model("stages_replaced.toml");
    let stages = &m.crossings[0].stages;
    assert_eq!(stages.len(), 1);
    assert_eq!(
        (stages[0].name.as_str(), stages[0].servers),
        ("joint control", 3)
    );
    let out = corridor(&["validate", "tests/overlays/bad_remove_key.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("remove has \"crossing:post.stages\" but crossing \"post\" of the base scenario has no key `stages`; did you mean \"stage\"?"),
        "{err}"
    );
}
