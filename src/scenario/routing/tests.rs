use crate::scenario::load_str;
use std::path::Path;

#[test]
fn an_explicit_route_takes_the_parallel_segment_of_the_right_gauge() {
    // a-x has a fast standard-gauge track and a slower broad-gauge one; x-b is broad
    // gauge and x has no gauge change, so the route must use the broad-gauge a-x.
    let src = r#"
[scenario]
name = "parallel gauges"
horizon_days = 10
[[node]]
id = "a"
kind = "terminal"
[[node]]
id = "x"
kind = "junction"
[[node]]
id = "b"
kind = "terminal"
[[rail]]
id = "ax-standard"
from = "a"
to = "x"
length_km = 80
speed_kmh = 80
tracks = 2
headway_min = 10
gauge_mm = 1435
[[rail]]
id = "ax-broad"
from = "a"
to = "x"
length_km = 80
speed_kmh = 60
tracks = 2
headway_min = 10
gauge_mm = 1520
[[rail]]
id = "xb"
from = "x"
to = "b"
length_km = 50
speed_kmh = 60
tracks = 2
headway_min = 10
gauge_mm = 1520
[[flow]]
id = "f"
from = "a"
to = "b"
mode = "rail"
teu_per_year = 1000
unit_teu = 50
route = ["a", "x", "b"]
"#;
    let m = load_str(Path::new("parallel.toml"), src)
        .unwrap_or_else(|e| panic!("{e}"))
        .model;
    let first = match m.flows[0].routes[0].steps[0] {
        crate::model::Step::Link { link, .. } => &m.links[link as usize].id,
        other => panic!("{other:?}"),
    };
    assert_eq!(first, "ax-broad");
}

/// A road grid of `n` x `n` nodes, with a road crossing at every fifth node, whose
/// roads' lengths come from `km(x, y, across)`.
fn grid(n: usize, km: impl Fn(usize, usize, bool) -> f64) -> crate::model::Model {
    let mut s = String::from("[scenario]\nname = \"grid\"\nhorizon_days = 10\n");
    for y in 0..n {
        for x in 0..n {
            let kind = if (x + y * n) % 5 == 2 {
                "crossing"
            } else {
                "terminal"
            };
            s += &format!("[[node]]\nid = \"n{x}_{y}\"\nkind = \"{kind}\"\n");
            if kind == "crossing" {
                s += &format!(
                    "[[crossing]]\nid = \"c{x}_{y}\"\nnode = \"n{x}_{y}\"\nmode = \"road\"\n[[crossing.stage]]\nname = \"control\"\nservers = 2\nservice_h = {}\n",
                    0.1 + 0.01 * ((x * 3 + y * 5) % 7) as f64
                );
            }
        }
    }
    for y in 0..n {
        for x in 0..n {
            if x + 1 < n {
                s += &format!("[[road]]\nid = \"h{x}_{y}\"\nfrom = \"n{x}_{y}\"\nto = \"n{}_{y}\"\nlength_km = {}\nspeed_kmh = 50\n", x + 1, km(x, y, true));
            }
            if y + 1 < n {
                s += &format!("[[road]]\nid = \"v{x}_{y}\"\nfrom = \"n{x}_{y}\"\nto = \"n{x}_{}\"\nlength_km = {}\nspeed_kmh = 50\n", y + 1, km(x, y, false));
            }
        }
    }
    s += &format!("[[flow]]\nid = \"f\"\nfrom = \"n0_0\"\nto = \"n{0}_{0}\"\nmode = \"road\"\nteu_per_year = 100\nunit_teu = 2\n", n - 1);
    load_str(Path::new("grid.toml"), &s)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

/// Paths with their free-flow hours.
type Timed = Vec<(f64, Vec<super::Edge>)>;

/// The k fastest paths between pairs of nodes of `m`, by searches guided (A*) and not.
fn both_ways(m: &crate::model::Model, pairs: &[(u32, u32)]) -> Vec<[Timed; 2]> {
    use crate::model::{Cargo, Mode};
    let g = super::RouteGraph::new(
        m.nodes.len(),
        &m.links,
        &m.ferries,
        &m.crossings,
        (Mode::Road, Cargo::Containers),
    );
    pairs
        .iter()
        .map(|&(a, b)| {
            [true, false].map(|guided| {
                (g.k_fastest_guided(a, b, 2.0, 4, guided).into_iter())
                    .map(|p| (g.path_hours(a, &p, 2.0), p))
                    .collect()
            })
        })
        .collect()
}

const PAIRS: [(u32, u32); 5] = [(0, 143), (12, 131), (5, 70), (100, 3), (77, 78)];

#[test]
fn guided_searches_find_the_k_fastest_paths_plain_ones_find() {
    // Lengths all different: no two paths take the same time.
    let m = grid(12, |x, y, across| {
        10.0 + ((x * 7919 + y * 104_729 + usize::from(across) * 31) % 997) as f64 / 100.0
    });
    for [guided, plain] in both_ways(&m, &PAIRS) {
        assert_eq!(guided.len(), 4);
        assert_eq!(guided, plain);
    }
}

#[test]
fn among_equally_fast_paths_guided_searches_find_paths_as_fast() {
    // Whole kilometres on a grid: many paths take the same time.
    let m = grid(12, |x, y, across| {
        (10 + (x * 7 + y * 13 + usize::from(across)) % 5) as f64
    });
    for [guided, plain] in both_ways(&m, &PAIRS) {
        assert_eq!(guided.len(), plain.len());
        for ((a, _), (b, _)) in guided.iter().zip(&plain) {
            assert!((a - b).abs() < 1e-9 * b, "{a} h against {b} h");
        }
    }
}
