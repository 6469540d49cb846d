//! The network map: nodes placed by their `lat` and `lon` (an equirectangular projection
//! scaled at the network's middle latitude) over country outlines, or laid out
//! schematically when nodes lack coordinates; segments coloured by utilisation and as wide
//! as the TEU they carried, crossings as circles coloured by utilisation, ferry lines
//! dotted. Every element has a tooltip.

use super::countries::COUNTRIES;
use super::svg::{esc, floor, heat, px, short, with_ci, WIDTH};
use crate::model::{Mode, Model, NodeKind};
use crate::report::table::num;
use crate::stats::Results;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt::Write;

mod labels;

use labels::{place_labels, Label};

/// Height of a geographic map, and the most of a schematic one, px.
const HEIGHT: f64 = 520.0;
/// Height of a row of places on a schematic map, px.
const SCHEMATIC_ROW: f64 = 80.0;
/// Room kept below a schematic map's places for the key, px.
const KEY_ROOM: f64 = 90.0;
/// Margin inside the map, px.
const PAD: f64 = 36.0;
/// The box of the key on a map `height` px high: `[left, top, right, bottom]`, px.
fn legend_box(height: f64) -> [f64; 4] {
    [PAD - 6.0, height - 82.0, PAD + 294.0, height - 22.0]
}

/// Where each node is drawn, px; and whether the places are geographic (so that country
/// outlines belong under them), with the projection used.
struct Layout {
    at: Vec<(f64, f64)>,
    /// The map's height, px.
    height: f64,
    projection: Option<Projection>,
}

/// Longitude and latitude to px.
#[derive(Clone, Copy)]
struct Projection {
    lon0: f64,
    lat1: f64,
    scale: f64,
    kx: f64,
    x0: f64,
    y0: f64,
}

impl Projection {
    fn at(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.x0 + (lon - self.lon0) * self.kx * self.scale,
            self.y0 + (self.lat1 - lat) * self.scale,
        )
    }
}

/// The map of `model` coloured by `results`, as an SVG element; the segments, crossings
/// and ferry lines whose ids are in `new` are outlined (a variant's additions).
pub(crate) fn map(model: &Model, results: &Results, new: &BTreeSet<&str>) -> String {
    draw(model, results, new, layout(model, None))
}

/// A close-up of the segments, crossings and ferry lines of `model` whose ids are in `new`
/// (a variant's additions), framed on their places with a margin, the rest of the network
/// cut at the frame; `None` when nothing is new or the new elements' places have no
/// coordinates.
pub(crate) fn close_up(model: &Model, results: &Results, new: &BTreeSet<&str>) -> Option<String> {
    let mut focus: Vec<usize> = Vec::new();
    for l in model.links.iter().filter(|l| new.contains(l.id.as_str())) {
        focus.extend([l.from as usize, l.to as usize]);
    }
    for x in model
        .crossings
        .iter()
        .filter(|x| new.contains(x.id.as_str()))
    {
        focus.push(x.node as usize);
    }
    for f in model.ferries.iter().filter(|f| new.contains(f.id.as_str())) {
        focus.extend(f.ports.map(|p| p as usize));
    }
    let placed = focus
        .iter()
        .any(|&i| model.nodes[i].lon.is_some() && model.nodes[i].lat.is_some());
    if !placed {
        return None;
    }
    let layout = layout(model, Some(&focus));
    Some(draw(model, results, new, layout))
}

/// The map of `model` coloured by `results` with its nodes where `layout` places them.
fn draw(model: &Model, results: &Results, new: &BTreeSet<&str>, layout: Layout) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="map" class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="map-t"><title id="map-t">Network map: segments coloured by utilisation and as wide as the TEU they carried; crossings as circles coloured by utilisation</title><rect width="{w}" height="{h}" fill="{sea}"/>"#,
        w = px(WIDTH),
        h = px(layout.height),
        sea = if layout.projection.is_some() {
            "#eef3f7"
        } else {
            "#fff"
        }
    );
    if let Some(p) = layout.projection {
        countries(&mut s, &p);
    }
    segments(&mut s, model, results, &layout, new);
    ferries(&mut s, model, results, &layout);
    nodes(&mut s, model, results, &layout, new);
    legend(&mut s, layout.height, &marks_drawn(model));
    if layout.projection.is_none() {
        let _ = write!(
            s,
            r#"<text x="{x}" y="{y}" class="tick">schematic layout: the scenario gives no coordinates</text>"#,
            x = px(PAD),
            y = px(18.0)
        );
    }
    s.push_str("</svg>");
    s
}

/// Places the nodes: by their coordinates when at least two have them (nodes without
/// take the mean place of their placed neighbours), else schematically. The frame holds
/// every placed node, or with `focus`, the placed nodes among those, with a wider margin
/// (nodes beyond it fall outside the map).
fn layout(model: &Model, focus: Option<&[usize]>) -> Layout {
    let coords: Vec<Option<(f64, f64)>> = model.nodes.iter().map(|n| n.lon.zip(n.lat)).collect();
    let placed: Vec<(f64, f64)> = match focus {
        Some(nodes) => nodes.iter().filter_map(|&i| coords[i]).collect(),
        None => coords.iter().flatten().copied().collect(),
    };
    if coords.iter().flatten().count() < 2 || placed.is_empty() {
        return schematic(model);
    }
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in &placed {
        lo_x = lo_x.min(lon);
        hi_x = hi_x.max(lon);
        lo_y = lo_y.min(lat);
        hi_y = hi_y.max(lat);
    }
    // A margin around the network, at least two degrees; around a close-up, half its
    // extent and at least three degrees, so that the lines it joins show where they lead.
    let (share, least) = if focus.is_some() {
        (0.5, 3.0)
    } else {
        (0.06, 2.0)
    };
    let mx = ((hi_x - lo_x) * share).max(least);
    let my = ((hi_y - lo_y) * share).max(least);
    let (lo_x, hi_x, lo_y, hi_y) = (lo_x - mx, hi_x + mx, lo_y - my, hi_y + my);
    let kx = ((lo_y + hi_y) / 2.0).to_radians().cos().max(0.2);
    let scale =
        ((WIDTH - 2.0 * PAD) / ((hi_x - lo_x) * kx)).min((HEIGHT - 2.0 * PAD) / (hi_y - lo_y));
    let (w, h) = ((hi_x - lo_x) * kx * scale, (hi_y - lo_y) * scale);
    let p = Projection {
        lon0: lo_x,
        lat1: hi_y,
        scale,
        kx,
        x0: (WIDTH - w) / 2.0,
        y0: (HEIGHT - h) / 2.0,
    };
    let mut at: Vec<Option<(f64, f64)>> = coords
        .iter()
        .map(|c| c.map(|(lon, lat)| p.at(lon, lat)))
        .collect();
    // Nodes without coordinates: the mean of their placed neighbours, a few rounds.
    let near_of = neighbours(model);
    for _ in 0..8 {
        for i in 0..at.len() {
            if coords[i].is_some() {
                continue;
            }
            let near: Vec<(f64, f64)> = near_of[i].iter().filter_map(|&j| at[j]).collect();
            if !near.is_empty() {
                let n = near.len() as f64;
                let (sx, sy) = near.iter().fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
                at[i] = Some((sx / n + 6.0, sy / n + 6.0));
            }
        }
    }
    let centre = (WIDTH / 2.0, HEIGHT / 2.0);
    let mut at: Vec<(f64, f64)> = at.into_iter().map(|a| a.unwrap_or(centre)).collect();
    spread_marks(model, &mut at);
    Layout {
        at,
        height: HEIGHT,
        projection: Some(p),
    }
}

/// Half the size of the mark of each node of `model`, px: a crossing's circle, a port's
/// square; none for a terminal's or a junction's dot, which lies on its lines.
fn mark_halves(model: &Model) -> Vec<Option<f64>> {
    let mut half: Vec<Option<f64>> = (model.nodes.iter())
        .map(|n| (n.kind == NodeKind::Port).then_some(4.0))
        .collect();
    for x in &model.crossings {
        half[x.node as usize] = Some(CROSSING_R);
    }
    half
}

/// Radius of a crossing's circle on the map, px.
const CROSSING_R: f64 = 6.5;
/// Radius of a terminal's dot on the map, px.
const TERMINAL_R: f64 = 3.0;

/// Moves apart the marks of nodes placed `at` so close that they would cover each other
/// (Altynkol and Nur Zholy, 7 km apart at Khorgos, are one blot at the scale of
/// Kazakhstan): each pair too close is pushed apart along the line between them, half the
/// shortfall each, for a few rounds. Nodes move a few px at most; their lines follow them.
fn spread_marks(model: &Model, at: &mut [(f64, f64)]) {
    let half = mark_halves(model);
    let mut marked: Vec<usize> = (0..at.len()).filter(|&i| half[i].is_some()).collect();
    let reach = 2.0 * CROSSING_R + MARK_GAP;
    for _ in 0..8 {
        marked.sort_by(|&a, &b| at[a].0.total_cmp(&at[b].0));
        let mut moved = false;
        for (k, &i) in marked.iter().enumerate() {
            for &j in &marked[k + 1..] {
                if at[j].0 - at[i].0 > reach {
                    break;
                }
                let least = half[i].unwrap_or(0.0) + half[j].unwrap_or(0.0) + MARK_GAP;
                let (dx, dy) = (at[j].0 - at[i].0, at[j].1 - at[i].1);
                let d = dx.hypot(dy);
                if d >= least {
                    continue;
                }
                // Two nodes at one place part left and right.
                let (ux, uy) = if d > 1e-9 {
                    (dx / d, dy / d)
                } else {
                    (1.0, 0.0)
                };
                let push = (least - d) / 2.0;
                at[i] = (at[i].0 - ux * push, at[i].1 - uy * push);
                at[j] = (at[j].0 + ux * push, at[j].1 + uy * push);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Space kept between two marks, px.
const MARK_GAP: f64 = 2.0;

/// Per node, the nodes joined to it by a segment or a ferry line (built once: the layouts
/// ask it of every node, several times).
fn neighbours(model: &Model) -> Vec<Vec<usize>> {
    let mut near = vec![Vec::new(); model.nodes.len()];
    let ends =
        (model.links.iter().map(|l| [l.from, l.to])).chain(model.ferries.iter().map(|f| f.ports));
    for [a, b] in ends {
        near[a as usize].push(b as usize);
        near[b as usize].push(a as usize);
    }
    near
}

/// A schematic layout: nodes in columns by their distance in hops from the first node
/// (each unconnected part starting a column of its own), spread down each column.
fn schematic(model: &Model) -> Layout {
    let n = model.nodes.len();
    let near_of = neighbours(model);
    let mut layer = vec![usize::MAX; n];
    let mut next_start = 0;
    for start in 0..n {
        if layer[start] != usize::MAX {
            continue;
        }
        layer[start] = next_start;
        let mut queue = VecDeque::from([start]);
        while let Some(i) = queue.pop_front() {
            for &j in &near_of[i] {
                if layer[j] == usize::MAX {
                    layer[j] = layer[i] + 1;
                    next_start = next_start.max(layer[j] + 1);
                    queue.push_back(j);
                }
            }
        }
        next_start = next_start.max(layer[start] + 1);
    }
    let columns = layer.iter().copied().max().unwrap_or(0) + 1;
    let mut rows = vec![0usize; columns];
    let mut index = vec![0usize; n];
    for i in 0..n {
        index[i] = rows[layer[i]];
        rows[layer[i]] += 1;
    }
    // As high as its longest column needs, with room for the key below.
    let most_rows = rows.iter().copied().max().unwrap_or(1) as f64;
    let height = (2.0 * PAD + most_rows * SCHEMATIC_ROW + KEY_ROOM).min(HEIGHT);
    let bottom = height - KEY_ROOM;
    let at = (0..n)
        .map(|i| {
            let c = layer[i];
            let x = PAD + (WIDTH - 2.0 * PAD) * (c as f64 + 0.5) / columns as f64;
            let y = PAD + (bottom - PAD) * (index[i] as f64 + 0.5) / rows[c] as f64;
            (x, y)
        })
        .collect();
    Layout {
        at,
        height,
        projection: None,
    }
}

/// The country outlines under the network, those that reach into the map.
fn countries(s: &mut String, p: &Projection) {
    s.push_str(r##"<g class="countries" fill="#fbfaf6" fill-rule="evenodd" stroke="#b9b9b9" stroke-width="0.6">"##);
    for (name, rings) in COUNTRIES.iter() {
        let mut d = String::new();
        for ring in rings {
            // A ring cut at the antimeridian (Russia's east, Fiji) is drawn whole, its far
            // side carried past 180° east, so that no edge runs across the map.
            let (lo, hi) = ring
                .iter()
                .fold((f64::MAX, f64::MIN), |(lo, hi), &(lon, _)| {
                    (lo.min(lon), hi.max(lon))
                });
            let unwrap = hi - lo > 180.0;
            let pts: Vec<(f64, f64)> = ring
                .iter()
                .map(|&(lon, lat)| {
                    let lon = if unwrap && lon < 0.0 {
                        lon + 360.0
                    } else {
                        lon
                    };
                    p.at(lon, lat)
                })
                .collect();
            let inside = pts.iter().any(|&(x, y)| {
                (-50.0..WIDTH + 50.0).contains(&x) && (-50.0..HEIGHT + 50.0).contains(&y)
            });
            if !inside {
                continue;
            }
            for (i, &(x, y)) in pts.iter().enumerate() {
                let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, px(x), px(y));
            }
            d.push('Z');
        }
        if !d.is_empty() {
            let _ = write!(s, r#"<path d="{d}"><title>{}</title></path>"#, esc(name));
        }
    }
    s.push_str("</g>");
}

/// The segments, busiest on top.
fn segments(
    s: &mut String,
    model: &Model,
    results: &Results,
    layout: &Layout,
    new: &BTreeSet<&str>,
) {
    let max_teu = results
        .links
        .iter()
        .map(|l| l.teu.mean)
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    let mut order: Vec<usize> = (0..model.links.len()).collect();
    order.sort_by(|&a, &b| {
        let u = |i: usize| results.links[i].utilization.mean;
        u(a).total_cmp(&u(b))
    });
    // Segments between the same two places (a line and a road beside it) are drawn side
    // by side, 16 px apart (a busy line is up to 10 px wide with its casing).
    let pair = |i: usize| {
        let l = &model.links[i];
        (l.from.min(l.to), l.from.max(l.to))
    };
    let mut same: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for i in 0..model.links.len() {
        same.entry(pair(i)).or_default().push(i);
    }
    let offset = |i: usize| {
        let group = &same[&pair(i)];
        let k = group.iter().position(|&j| j == i).unwrap_or(0) as f64;
        (k - (group.len() as f64 - 1.0) / 2.0) * 16.0
    };
    s.push_str(r#"<g class="segments" stroke-linecap="round">"#);
    for i in order {
        let (l, r) = (&model.links[i], &results.links[i]);
        let (a, b) = shifted(
            layout.at[pair(i).0 as usize],
            layout.at[pair(i).1 as usize],
            offset(i),
        );
        let share = if max_teu > 0.0 {
            (r.teu.mean / max_teu).max(0.0).sqrt()
        } else {
            0.0
        };
        let width = 1.5 + 7.0 * share;
        let dash = if l.mode == Mode::Road {
            r#" stroke-dasharray="6 3""#
        } else {
            ""
        };
        let u = &r.utilization;
        // A dark casing, so that pale (idle) segments show on pale land; a wide dashed
        // black one marks a segment the base lacks.
        let (casing, casing_dash) = if new.contains(l.id.as_str()) {
            (width + 7.0, r#" stroke-dasharray="8 4""#)
        } else {
            (width + 1.6, dash)
        };
        let _ = write!(
            s,
            r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}" stroke-width="{w}"{casing_dash}/>"##,
            x1 = px(a.0),
            y1 = px(a.1),
            x2 = px(b.0),
            y2 = px(b.1),
            c = if new.contains(l.id.as_str()) {
                "#000"
            } else {
                "#555"
            },
            w = px(casing),
        );
        let _ = write!(
            s,
            r#"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}" stroke-width="{w}"{dash}><title>{title}</title></line>"#,
            x1 = px(a.0),
            y1 = px(a.1),
            x2 = px(b.0),
            y2 = px(b.1),
            c = heat(u.mean),
            w = px(width),
            title = esc(&format!(
                "{} ({}, {} km): utilisation {}; {} TEU in the window; wait {} h mean",
                l.id,
                l.mode.as_str(),
                num(l.length_km),
                with_ci(u.mean, floor(u.ci95_lo, 0.0), u.ci95_hi),
                num(r.teu.mean),
                num(r.wait_h.mean.mean)
            ))
        );
    }
    s.push_str("</g>");
}

/// The line from `a` to `b` moved `by` px to its side.
fn shifted(a: (f64, f64), b: (f64, f64), by: f64) -> ((f64, f64), (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if by == 0.0 || len == 0.0 {
        return (a, b);
    }
    let (nx, ny) = (-dy / len * by, dx / len * by);
    ((a.0 + nx, a.1 + ny), (b.0 + nx, b.1 + ny))
}

/// The ferry lines, dotted, coloured by how full their vessels sail.
fn ferries(s: &mut String, model: &Model, results: &Results, layout: &Layout) {
    for (f, r) in model.ferries.iter().zip(&results.ferries) {
        let (a, b) = (
            layout.at[f.ports[0] as usize],
            layout.at[f.ports[1] as usize],
        );
        // Dark dots under dots coloured by the fill, so that a line sailing near empty
        // still shows on the sea.
        let _ = write!(
            s,
            r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#1f3a93" stroke-width="4.5" stroke-dasharray="2 5" stroke-linecap="round"/><line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}" stroke-width="2.5" stroke-dasharray="2 5" stroke-linecap="round" class="ferry"><title>{title}</title></line>"##,
            x1 = px(a.0),
            y1 = px(a.1),
            x2 = px(b.0),
            y2 = px(b.1),
            c = heat(r.fill.mean),
            title = esc(&format!(
                "ferry {}: {} TEU, vessels {} full; wait {} h mean",
                f.id,
                num(r.teu.mean),
                num(r.fill.mean),
                num(r.wait_h.mean.mean)
            ))
        );
    }
}

/// What [`map`] says of crossings sharing a node, for the sentence above it: nothing when
/// every crossing of `model` has a node of its own.
pub(super) fn shared_nodes_note(model: &Model) -> &'static str {
    let mut nodes: Vec<u32> = model.crossings.iter().map(|x| x.node).collect();
    nodes.sort_unstable();
    if nodes.windows(2).any(|w| w[0] == w[1]) {
        " Crossings at one node share its circle, one sector each (clockwise from the top, in the scenario's order)."
    } else {
        ""
    }
}

/// What hovering over crossing `c` at the place named `name` says: its id, its mode (and
/// whether it is new) and its figures.
fn crossing_title(name: &str, c: usize, is_new: bool, model: &Model, results: &Results) -> String {
    let (x, r) = (&model.crossings[c], &results.crossings[c]);
    let u = &r.utilization;
    format!(
        "{name}\n{} ({}{}): utilisation {}; time {} h mean, wait {} h p95",
        x.id,
        x.mode.as_str(),
        if is_new { ", new" } else { "" },
        with_ci(u.mean, floor(u.ci95_lo, 0.0), u.ci95_hi),
        num(r.time_h.mean.mean),
        num(r.wait_h.p95.mean)
    )
}

/// Crossings sharing a node (a rail and a road crossing at one border station): one
/// circle cut into as many sectors, clockwise from the top in the scenario's order, each
/// coloured by its own crossing's utilisation and naming it when hovered; a crossing in
/// `new` has a dashed arc outside its sector.
fn shared_circle(
    s: &mut String,
    (x, y): (f64, f64),
    name: &str,
    crossings: &[usize],
    model: &Model,
    results: &Results,
    new: &BTreeSet<&str>,
) {
    const R: f64 = CROSSING_R;
    const RING: f64 = 11.0;
    let k = crossings.len() as f64;
    let at = |j: f64, r: f64| {
        let a = std::f64::consts::TAU * j / k - std::f64::consts::FRAC_PI_2;
        (px(x + r * a.cos()), px(y + r * a.sin()))
    };
    for (j, &c) in crossings.iter().enumerate() {
        let (j0, j1) = (j as f64, j as f64 + 1.0);
        let is_new = new.contains(model.crossings[c].id.as_str());
        if is_new {
            let ((x0, y0), (x1, y1)) = (at(j0, RING), at(j1, RING));
            let _ = write!(
                s,
                r##"<path d="M{x0} {y0}A{RING} {RING} 0 0 1 {x1} {y1}" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="4 2"/>"##
            );
        }
        let title = crossing_title(name, c, is_new, model, results);
        let ((x0, y0), (x1, y1)) = (at(j0, R), at(j1, R));
        let _ = write!(
            s,
            r##"<path d="M{cx} {cy}L{x0} {y0}A{R} {R} 0 0 1 {x1} {y1}Z" fill="{c}" stroke="#111" stroke-width="0.6" class="crossing"><title>{t}</title></path>"##,
            cx = px(x),
            cy = px(y),
            c = heat(results.crossings[c].utilization.mean),
            t = esc(&title)
        );
    }
    let _ = write!(
        s,
        r##"<circle cx="{x}" cy="{y}" r="{R}" fill="none" stroke="#111" stroke-width="1.2"/>"##,
        x = px(x),
        y = px(y)
    );
}

/// The nodes: crossings as circles coloured by utilisation, ports as squares, terminals
/// as dots; names beside crossings, ports and terminals.
fn nodes(s: &mut String, model: &Model, results: &Results, layout: &Layout, new: &BTreeSet<&str>) {
    s.push_str(r#"<g class="nodes">"#);
    let mut labels = Vec::new();
    let mut marks = Vec::with_capacity(model.nodes.len());
    let mut crossings_at = vec![Vec::new(); model.nodes.len()];
    for (c, x) in model.crossings.iter().enumerate() {
        crossings_at[x.node as usize].push(c);
    }
    let halves = mark_halves(model);
    for (i, n) in model.nodes.iter().enumerate() {
        let (x, y) = layout.at[i];
        let name = n.name.as_deref().unwrap_or(&n.id);
        let crossings = &crossings_at[i];
        // The marks names keep clear of: crossings, ports and terminals (a name over a
        // terminal's dot leaves the terminal unnamed, or seems to name it). A junction's
        // dot is small and lies on its lines, which names may cross.
        let terminal = (n.kind == NodeKind::Terminal).then_some(TERMINAL_R + 0.5);
        if let Some(half) = halves[i].or(terminal) {
            marks.push([x - half, y - half, x + half, y + half]);
        }
        if let [c] = crossings[..] {
            let is_new = new.contains(model.crossings[c].id.as_str());
            if is_new {
                let _ = write!(
                    s,
                    r##"<circle cx="{x}" cy="{y}" r="11" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="4 2"/>"##,
                    x = px(x),
                    y = px(y)
                );
            }
            let _ = write!(
                s,
                r##"<circle cx="{x}" cy="{y}" r="{r}" fill="{c}" stroke="#111" stroke-width="1.2" class="crossing"><title>{t}</title></circle>"##,
                x = px(x),
                y = px(y),
                r = px(CROSSING_R),
                c = heat(results.crossings[c].utilization.mean),
                t = esc(&crossing_title(name, c, is_new, model, results))
            );
        } else if !crossings.is_empty() {
            shared_circle(s, (x, y), name, crossings, model, results, new);
        } else if n.kind == NodeKind::Port {
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="8" height="8" fill="#1f3a93"><title>{t}</title></rect>"##,
                x = px(x - 4.0),
                y = px(y - 4.0),
                t = esc(name)
            );
        } else {
            let _ = write!(
                s,
                r##"<circle cx="{x}" cy="{y}" r="{r}" fill="#333"><title>{t}</title></circle>"##,
                x = px(x),
                y = px(y),
                r = if n.kind == NodeKind::Terminal {
                    TERMINAL_R
                } else {
                    1.8
                },
                t = esc(name)
            );
        }
        if !crossings.is_empty() || matches!(n.kind, NodeKind::Port | NodeKind::Terminal) {
            // Crossings first, busiest first; then ports, then terminals.
            let busiest = (crossings.iter())
                .map(|&c| results.crossings[c].utilization.mean)
                .fold(f64::NEG_INFINITY, f64::max);
            let rank = match crossings.first() {
                Some(_) => 2.0 - busiest.min(1.0),
                None if n.kind == NodeKind::Port => 3.0,
                None => 4.0,
            };
            labels.push(Label {
                rank,
                node: i,
                at: (x, y),
                name: short(name),
                may_stand_off: !crossings.is_empty() || n.kind == NodeKind::Port,
            });
        }
    }
    // The key, drawn over the map's lower left corner.
    marks.push(legend_box(layout.height));
    let frame = (layout.height, layout.projection.is_none());
    place_labels(s, labels, &marks, frame);
    s.push_str("</g>");
}

/// The key to the marks of `model`'s nodes, naming only those drawn: a port whose node
/// has a crossing (its dwell, as stages) is drawn as that crossing's circle, not a square.
fn marks_drawn(model: &Model) -> String {
    let mut crossing_at = vec![false; model.nodes.len()];
    for x in &model.crossings {
        crossing_at[x.node as usize] = true;
    }
    let kinds = |kind: NodeKind, crossing: bool| {
        (model.nodes.iter().zip(&crossing_at)).any(|(n, &c)| n.kind == kind && c == crossing)
    };
    let mut marks = Vec::new();
    if !model.crossings.is_empty() {
        marks.push(if kinds(NodeKind::Port, true) {
            "circles: crossings and ports with stages"
        } else {
            "circles: crossings"
        });
    }
    if kinds(NodeKind::Port, false) {
        marks.push("squares: ports");
    }
    if kinds(NodeKind::Terminal, false) {
        marks.push("dots: terminals");
    }
    marks.join(" · ")
}

/// The key: the colour of utilisation, what widths and dashes mean, and the marks of the
/// nodes drawn (`marks`, from [`marks_drawn`]).
fn legend(s: &mut String, height: f64, marks: &str) {
    let (x0, y0) = (PAD, height - 78.0);
    let _ = write!(
        s,
        r##"<g class="legend"><rect x="{bx}" y="{by}" width="300" height="60" fill="#fff" fill-opacity="0.85" stroke="#999"/><text x="{tx}" y="{ty}" class="tick">utilisation</text>"##,
        bx = px(legend_box(height)[0]),
        by = px(legend_box(height)[1]),
        tx = px(x0),
        ty = px(y0 + 10.0)
    );
    for k in 0..20 {
        let u = k as f64 / 19.0;
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{y}" width="9" height="10" fill="{c}"/>"#,
            x = px(x0 + 70.0 + 9.0 * k as f64),
            y = px(y0 + 1.0),
            c = heat(u)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{a}" y="{ty}" class="tick">0</text><text x="{b}" y="{ty}" class="tick">1</text><text x="{tx}" y="{y2}" class="tick">width: TEU carried · dashed: road · dotted: ferry</text><text x="{tx}" y="{y3}" class="tick">{marks}</text></g>"##,
        a = px(x0 + 58.0),
        b = px(x0 + 254.0),
        ty = px(y0 + 10.0),
        tx = px(x0),
        y2 = px(y0 + 32.0),
        y3 = px(y0 + 48.0)
    );
}
