//! The README's example scenario is a working scenario.

mod common;
use common::{corridor_ok, root, run_json, scratch_dir};

#[test]
fn readme_example_scenario_validates_and_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("```toml\n").expect("README has a toml block") + "```toml\n".len();
    let len = readme[start..].find("```").expect("the block ends");
    let dir = scratch_dir("readme");
    let file = dir.join("example.toml");
    std::fs::write(&file, &readme[start..start + len]).unwrap();
    let path = file.to_string_lossy().into_owned();
    corridor_ok(&["validate", &path]);
    run_json(&path, &["--replications", "2"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn readme_overlay_example_is_the_shipped_overlay_file() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let file =
        std::fs::read_to_string(root().join("scenarios/kazakhstan_2025_dostyk_six_cranes.toml"))
            .unwrap();
    assert!(
        readme.contains(&format!("```toml\n{file}```")),
        "README shows the overlay file as it is"
    );
}
