//! Replications of small scenarios written for the purpose, looked at from inside: the
//! state a replication ends with, and the times recorded in test builds only.

mod compact;
mod crossing;
mod directions;
mod disruption;
mod double_track;
mod ferry;
mod fleet;
mod formation;
mod in_order;
mod reform;
mod road;
mod single_track;
mod trace;

use super::segment::LinkResource;
use super::Sim;
use crate::kernel::SimTime;
use crate::model::observations::ReplicationObs;
use crate::model::Model;
use crate::scenario::load_str;
use std::path::Path;

/// A test scenario, loaded: its model and the warm-up it gives.
struct Fixture {
    model: Model,
    warmup: SimTime,
}

/// Loads scenario text `src` as if from file `name`; panics on any diagnostic.
fn load(name: &str, src: &str) -> Fixture {
    let s = load_str(Path::new(name), src).unwrap_or_else(|e| panic!("{e}"));
    let warmup = (s.settings.warmup.fixed()).expect("test scenarios give their warm-up");
    Fixture {
        model: s.model,
        warmup,
    }
}

/// The nodes and roads of a road post: node `w` of kind `origin_kind`, crossing node
/// `post` and terminal `e`, joined by roads `w-post` and `post-e` of 10 km at 50 km/h.
fn road_through_post(origin_kind: &str) -> String {
    format!(
        r#"[[node]]
id = "w"
kind = "{origin_kind}"
[[node]]
id = "post"
kind = "crossing"
[[node]]
id = "e"
kind = "terminal"
[[road]]
id = "w-post"
from = "w"
to = "post"
length_km = 10
speed_kmh = 50
[[road]]
id = "post-e"
from = "post"
to = "e"
length_km = 10
speed_kmh = 50
"#
    )
}

/// A gauge change: terminal `a`, 100 km of 1,435 mm double track (10 min headway) to
/// crossing node `border`, and 500 km of 1,520 mm line of `tracks` tracks (headway
/// `headway` min) to terminal `b`, all at 50 km/h; at `border` a crossing of a quick
/// control (50 servers, 0.01 h) and a transshipment of ample cranes. Its
/// `[crossing.gauge_change]` table comes last, so that keys written after it are its own.
fn gauge_change_line(tracks: u32, headway: u32) -> String {
    format!(
        r#"[[node]]
id = "a"
kind = "terminal"
[[node]]
id = "border"
kind = "crossing"
[[node]]
id = "b"
kind = "terminal"
[[rail]]
id = "a-border"
from = "a"
to = "border"
length_km = 100
speed_kmh = 50
tracks = 2
headway_min = 10
gauge_mm = 1435
[[rail]]
id = "border-b"
from = "border"
to = "b"
length_km = 500
speed_kmh = 50
tracks = {tracks}
headway_min = {headway}
gauge_mm = 1520
[[crossing]]
id = "border"
node = "border"
mode = "rail"
[[crossing.stage]]
name = "control"
servers = 50
service_h = 0.01
[crossing.gauge_change]
method = "transshipment"
cranes = 50
teu_per_crane_h = 10000
cranes_per_train = 1
"#
    )
}

/// Runs replication `rep` of a test scenario to its horizon.
fn run_to_horizon(s: &Fixture, seed: u64, rep: u64) -> (Sim<'_>, u64) {
    super::run_to_horizon(&s.model, s.warmup, seed, rep)
}

/// What replication `rep` of a test scenario measured.
fn simulate(s: &Fixture, seed: u64, rep: u64) -> ReplicationObs {
    super::simulate(&s.model, s.warmup, seed, rep)
}

fn hours(t: SimTime) -> f64 {
    t.as_hours()
}
