//! The JSON Schema of the scenario format (`corridor schema`): every shipped scenario and
//! overlay passes it, and the slips an editor should catch while typing do not.

mod common;

use common::{corridor_ok, root};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The schema as `corridor schema` prints it.
fn schema() -> Value {
    let out = corridor_ok(&["schema"]);
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

/// A TOML document as the JSON value an editor's schema check sees.
fn as_json(text: &str) -> Value {
    let doc: toml::Value = toml::from_str(text).expect("the file is TOML");
    serde_json::to_value(doc).expect("TOML converts to JSON")
}

/// The errors of `text` against `schema`, as text.
fn errors(schema: &Value, text: &str) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    validator
        .iter_errors(&as_json(text))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_shipped_scenario_and_overlay_passes_the_schema() {
    let schema = schema();
    let mut files = Vec::new();
    toml_files(&root().join("scenarios"), &mut files);
    toml_files(&root().join("tests/overlays"), &mut files);
    assert!(files.len() > 30, "{} files", files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let errs = errors(&schema, &text);
        assert!(errs.is_empty(), "{}: {errs:?}", f.display());
    }
}

#[test]
fn the_slips_an_editor_should_catch_fail_the_schema() {
    let schema = schema();
    let base = std::fs::read_to_string(root().join("scenarios/border_post.toml")).unwrap();
    assert!(errors(&schema, &base).is_empty());
    for (slip, from, to) in [
        ("a misspelt key", "length_km", "lenght_km"),
        ("a word for a number", "servers = 4", "servers = \"four\""),
        (
            "an unknown node kind",
            "kind = \"crossing\"",
            "kind = \"border\"",
        ),
        ("a unknown table", "[[node]]", "[[nodes]]"),
    ] {
        assert!(base.contains(from), "{slip}: the base has {from}");
        let text = base.replacen(from, to, 1);
        assert!(
            !errors(&schema, &text).is_empty(),
            "{slip} passes the schema"
        );
    }
    // A scenario without its required keys fails; an overlay giving only what it changes
    // does not.
    let bare = "[scenario]\nname = \"x\"\n[[node]]\nid = \"a\"\n";
    assert!(!errors(&schema, bare).is_empty(), "a node without kind");
    let overlay = "[scenario]\nextends = \"border_post.toml\"\n[[crossing]]\nid = \"post\"\n[[crossing.stage]]\nname = \"joint inspection\"\nservers = 5\n";
    let errs = errors(&schema, overlay);
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn the_schema_checks_distributions_as_the_loader_does() {
    let schema = schema();
    let base = std::fs::read_to_string(root().join("scenarios/border_post.toml")).unwrap();
    let from = "service_h = { dist = \"exp\", mean = 0.5 }";
    assert!(base.contains(from));
    let with = |dist: &str| base.replacen(from, &format!("service_h = {dist}"), 1);
    // The names it lists are those the loader accepts, in its words.
    let out = common::corridor(&["validate", "tests/bad/unknown_distribution.toml"]);
    let refused = String::from_utf8_lossy(&out.stderr).into_owned();
    let accepted = refused
        .split("accepted: ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap_or_else(|| panic!("no accepted names in {refused}"));
    let listed: Vec<String> = schema["definitions"]["RawDistTable"]["properties"]["dist"]["enum"]
        .as_array()
        .expect("the names of dist are listed")
        .iter()
        .map(|n| format!("\"{}\"", n.as_str().unwrap()))
        .collect();
    assert_eq!(listed.join(", "), accepted);
    // What the loader refuses, the schema refuses: a name it does not know, a parameter
    // the distribution does not take, one it needs left out.
    for slip in [
        "{ dist = \"expo\", mean = 0.5 }",
        "{ dist = \"exp\", mean = 0.5, sd = 0.1 }",
        "{ dist = \"tri\", min = 0.2, max = 0.9 }",
        "{ mean = 0.5 }",
    ] {
        assert!(!errors(&schema, &with(slip)).is_empty(), "{slip} passes");
    }
    // Each distribution with its own parameters passes, as does a bare number.
    for good in [
        "0.5",
        "{ dist = \"const\", value = 0.5 }",
        "{ dist = \"uniform\", min = 0.2, max = 0.8 }",
        "{ dist = \"tri\", min = 0.2, mode = 0.4, max = 0.9 }",
        "{ dist = \"lognormal\", mean = 0.5, sd = 0.2 }",
        "{ dist = \"gamma\", mean = 0.5, sd = 0.2 }",
        "{ dist = \"empirical\", values = [0.4, 0.5, 0.6] }",
    ] {
        let errs = errors(&schema, &with(good));
        assert!(errs.is_empty(), "{good}: {errs:?}");
    }
}

#[test]
fn every_key_says_what_it_means() {
    // Each property of each table has a description (its meaning and units).
    let schema = schema();
    let defs = schema["definitions"].as_object().unwrap();
    let mut missing = Vec::new();
    for (name, def) in defs.iter().filter(|(n, _)| !n.starts_with("Overlay")) {
        if let Some(props) = def["properties"].as_object() {
            for (key, p) in props {
                if p.get("description")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    missing.push(format!("{name}.{key}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys without a description: {missing:?}"
    );
}

#[test]
fn the_shipped_schema_file_is_what_corridor_schema_prints() {
    // docs/reference/scenario.schema.json is what .taplo.toml points editors at.
    let shipped = std::fs::read_to_string(root().join("docs/reference/scenario.schema.json"))
        .expect("the schema file is shipped");
    let printed = String::from_utf8(corridor_ok(&["schema"]).stdout).unwrap();
    assert!(
        shipped == printed,
        "docs/reference/scenario.schema.json is stale: run corridor schema > docs/reference/scenario.schema.json"
    );
}
