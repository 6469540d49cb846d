//! A stack of overlays on one base: the base scenario with the changes of several overlays
//! applied on top of it, one after the other, as when projects open in turn on a network
//! (`forecast --open`).
//!
//! Each overlay must extend the base, or a scenario the base itself extends: an overlay
//! written against `eurasia_2025.toml` stacks on a growth overlay of it as well. Its own
//! changes (its `remove`, then its elements and keys; with the files it extends down to
//! where it meets the base's chain, lowest first) are applied on top of the base and of the
//! overlays before it. The stack keeps the base's `[scenario]` table: its name and run
//! settings (seed, replications, warm-up, horizon, start year) are the base's.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::limits::MAX_OVERLAY_CHAIN;
use super::tree::{self, canonical, Layer, Source};
use super::{build, Scenario};
use std::path::{Path, PathBuf};

/// Reads, checks and builds the scenario in `base` (with the chain of files it `extends`)
/// with the changes of each of `overlays` applied on top, in the order given. An overlay
/// that does not extend `base` (nor a scenario `base` extends) is refused with a message
/// naming both files; errors in the result name the file each value came from.
pub fn load_stack(base: &Path, overlays: &[&Path]) -> Result<Scenario, Diagnostics> {
    let (mut sources, mut tree) = tree::load_chain(base, None).map_err(Diagnostics)?;
    let chain: Vec<PathBuf> = sources.iter().map(|s| canonical(&s.path)).collect();
    for overlay in overlays {
        let layers = layers_of(base, overlay, &chain, &mut sources).map_err(Diagnostics)?;
        for layer in layers.into_iter().rev() {
            tree::apply_layer(&mut tree, layer, &sources).map_err(Diagnostics)?;
        }
    }
    build(&sources, &tree)
}

/// The files of `overlay`'s chain above the point where it meets `chain` (the canonical
/// files of `base`'s chain), read as layers, the overlay first.
fn layers_of(
    base: &Path,
    overlay: &Path,
    chain: &[PathBuf],
    sources: &mut Vec<Source>,
) -> Result<Vec<Layer>, Vec<Diagnostic>> {
    let refuse = |why: String| {
        vec![Diagnostic::file_level(
            overlay,
            format!(
                "{} cannot be opened on {}: {why}; an overlay to open must extend {} or a scenario it extends",
                overlay.display(),
                base.display(),
                base.display()
            ),
        )]
    };
    if !overlay.is_file() {
        return Err(vec![Diagnostic::file_level(
            overlay,
            format!(
                "cannot read scenario file {}: no such file",
                overlay.display()
            ),
        )]);
    }
    if chain.contains(&canonical(overlay)) {
        return Err(refuse(format!(
            "{} is that scenario or one it extends, not an overlay of it",
            overlay.display()
        )));
    }
    let mut layers = Vec::new();
    let mut seen = vec![canonical(overlay)];
    let mut names = vec![overlay.display().to_string()];
    let mut path = overlay.to_path_buf();
    loop {
        let layer = tree::read_layer(&path, sources)?;
        let Some(next) = layer.extends.clone() else {
            return Err(refuse(format!(
                "its chain {} ends without reaching it",
                names.join(" -> ")
            )));
        };
        layers.push(layer);
        let next_canonical = canonical(&next);
        if chain.contains(&next_canonical) {
            return Ok(layers);
        }
        names.push(next.display().to_string());
        if seen.contains(&next_canonical) {
            return Err(refuse(format!(
                "its chain goes round in a circle: {}",
                names.join(" -> ")
            )));
        }
        if layers.len() >= MAX_OVERLAY_CHAIN {
            return Err(refuse(format!(
                "more than {MAX_OVERLAY_CHAIN} overlays in its chain without reaching it"
            )));
        }
        seen.push(next_canonical);
        path = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    fn at(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }

    #[test]
    fn a_stack_of_one_overlay_on_its_own_base_is_the_overlay_with_the_base_name() {
        let base = at("tests/overlays/base.toml");
        let over = at("tests/overlays/more_lanes.toml");
        let stacked = load_stack(&base, &[&over]).unwrap_or_else(|e| panic!("{e}"));
        let alone = load(&over).unwrap_or_else(|e| panic!("{e}")).model;
        let base = load(&base).unwrap_or_else(|e| panic!("{e}")).model;
        assert_eq!(stacked.model.name, base.name);
        let same = |a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        };
        same(&stacked.model.crossings, &alone.crossings);
        same(&stacked.model.flows, &alone.flows);
    }

    #[test]
    fn a_stack_with_no_overlay_is_the_base() {
        let base = at("scenarios/forecast/baseline_growth.toml");
        let stacked = load_stack(&base, &[]).unwrap_or_else(|e| panic!("{e}"));
        let plain = load(&base).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{:?}", stacked.model), format!("{:?}", plain.model));
        assert_eq!(stacked.settings, plain.settings);
    }

    #[test]
    fn an_overlay_of_a_scenario_the_base_extends_stacks_on_the_base() {
        // bakhty_ayagoz.toml extends eurasia_2025.toml, which baseline_growth.toml extends:
        // the stack has the base's growth and the overlay's line.
        let base = at("scenarios/forecast/baseline_growth.toml");
        let over = at("scenarios/bakhty_ayagoz.toml");
        let s = load_stack(&base, &[&over]).unwrap_or_else(|e| panic!("{e}"));
        let flow = |id: &str| s.model.flows.iter().find(|f| f.id == id).unwrap();
        assert_eq!(flow("china-europe-dostyk").teu_per_year, 140_000.0);
        assert_eq!(flow("china-europe-dostyk").growth_per_year, 0.051);
        assert!(s.model.crossings.iter().any(|c| c.id == "bakhty-rail"));
    }

    #[test]
    fn an_overlay_of_another_base_is_refused_naming_both_files() {
        let base = at("tests/overlays/base.toml");
        let over = at("scenarios/bakhty_ayagoz.toml");
        let e = load_stack(&base, &[&over]).unwrap_err().to_string();
        assert!(e.contains("bakhty_ayagoz.toml cannot be opened on"), "{e}");
        assert!(e.contains("tests/overlays/base.toml"), "{e}");
        let e = load_stack(&base, &[&base]).unwrap_err().to_string();
        assert!(e.contains("not an overlay of it"), "{e}");
    }
}
