//! The time–distance (stringline) diagram: distance along a route (down the page, the
//! route's first node at the top) against time (across), one line per train; trains
//! running the route's way in blue, the other way in red, empty trains dashed. A flat
//! stretch is a wait; where two lines cross on single track, trains met at a loop.

use super::svg::{esc, px, short, WIDTH};
use super::{page, section};
use crate::model::{Model, NodeKind};
use crate::study::stringline::{Route, TrainLine};
use std::fmt::Write;

/// Height of the diagram, px.
const HEIGHT: f64 = 640.0;

/// The report of a stringline: `lines` of replication `replication` of `model` along
/// `route` over the hours `window`.
pub fn stringline_report(
    model: &Model,
    (scenario, replication): (&str, u64),
    route: &Route,
    lines: &[TrainLine],
    window: (f64, f64),
) -> String {
    let names: Vec<&str> = route
        .nodes
        .iter()
        .map(|&(n, _)| {
            let node = &model.nodes[n as usize];
            short(node.name.as_deref().unwrap_or(&node.id))
        })
        .collect();
    let mut body = String::new();
    let with = lines.iter().filter(|l| l.with_route).count();
    let _ = write!(
        body,
        "<h1>{}: trains along {}</h1><p class=\"note\">Replication {replication}, from day {} to day {} of simulated time: {} trains, {} running from {} towards {} (blue) and {} the other way (red); empty trains dashed. Distance along the route goes down the page; a flat stretch is a train standing (at a crossing, a loop, before a segment); lines crossing on single track are trains meeting at a loop.</p>",
        esc(scenario),
        esc(&names.join(" – ")),
        crate::report::table::num(window.0 / 24.0),
        crate::report::table::num(window.1 / 24.0),
        lines.len(),
        with,
        esc(names.first().copied().unwrap_or("")),
        esc(names.last().copied().unwrap_or("")),
        lines.len() - with
    );
    section(
        &mut body,
        "Time–distance diagram",
        "On screen, a line names its train, its flow and its direction when the pointer rests on it; corridor trace lists the train's every event.",
        &diagram(model, route, lines, window),
    );
    let footer = format!(
        "One replication, replication {replication}, as simulated: each line is one train, drawn from its events; there are no means over replications and no intervals here."
    );
    page(&format!("{scenario} — stringline"), &body, &footer)
}

/// The diagram itself, as SVG.
fn diagram(model: &Model, route: &Route, lines: &[TrainLine], (t0, t1): (f64, f64)) -> String {
    let (left, right, top, bottom) = (150.0, 20.0, 20.0, 40.0);
    let length = route.length_km().max(1e-9);
    let span = (t1 - t0).max(1e-9);
    let x = |h: f64| left + (h - t0) / span * (WIDTH - left - right);
    let y = |km: f64| top + km / length * (HEIGHT - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="stringline" class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="stringline-t"><title id="stringline-t">Time–distance diagram of the trains along the route</title>"#,
        w = px(WIDTH),
        h = px(HEIGHT)
    );
    // The route's places across, crossings bold.
    let last = route.nodes.len() - 1;
    for (i, &(n, km)) in route.nodes.iter().enumerate() {
        let node = &model.nodes[n as usize];
        // The distance under the name, or above it at the bottom of the diagram.
        let km_y = if i == last {
            y(km) - 12.0
        } else {
            y(km) + 16.0
        };
        let crossing =
            model.crossings.iter().any(|c| c.node == n) || node.kind == NodeKind::Crossing;
        let _ = write!(
            s,
            r##"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{c}" stroke-width="{w}"/><text x="{tx}" y="{ty}" class="label" text-anchor="end">{name}</text><text x="{tx}" y="{ty2}" class="tick" text-anchor="end">{km} km</text>"##,
            x0 = px(left),
            x1 = px(WIDTH - right),
            y = px(y(km)),
            c = if crossing { "#888" } else { "#ddd" },
            w = if crossing { 1.5 } else { 1.0 },
            tx = px(left - 8.0),
            ty = px(y(km) + 4.0),
            ty2 = px(km_y),
            name = esc(short(node.name.as_deref().unwrap_or(&node.id))),
            km = if km == 0.0 {
                "0".to_string()
            } else {
                crate::report::table::num(km)
            }
        );
    }
    // Days along the bottom (or hours, over a short window).
    let step_h = if span > 24.0 * 3.0 { 24.0 } else { 6.0 };
    let mut h = (t0 / step_h).ceil() * step_h;
    while h <= t1 + 1e-9 {
        let whole = |v: f64| format!("{}", v.round() as i64);
        let label = if step_h >= 24.0 {
            format!("day {}", whole(h / 24.0))
        } else {
            format!("{} h", whole(h))
        };
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#eee"/><text x="{x}" y="{ty}" class="tick" text-anchor="middle">{label}</text>"##,
            x = px(x(h)),
            y0 = px(top),
            y1 = px(HEIGHT - bottom),
            ty = px(HEIGHT - bottom + 16.0),
            label = esc(&label)
        );
        h += step_h;
    }
    for line in lines {
        let d = path(&line.points, (t0, t1), &x, &y);
        if d.is_empty() {
            continue;
        }
        let colour = if line.with_route {
            "#1f3a93"
        } else {
            "#c0392b"
        };
        let dash = if line.who.starts_with("empty:") {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.2"{dash}><title>{title}</title></path>"#,
            title = esc(&format!(
                "train {} ({}), {}",
                line.vehicle,
                line.who,
                if line.with_route {
                    "with the route"
                } else {
                    "against the route"
                }
            ))
        );
    }
    s.push_str("</svg>");
    s
}

/// The path of a train's points (hours, km), cut to the hours `t0..t1`: consecutive points
/// joined, the parts outside the window left out.
fn path(
    points: &[(f64, f64)],
    (t0, t1): (f64, f64),
    x: &dyn Fn(f64) -> f64,
    y: &dyn Fn(f64) -> f64,
) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for w in points.windows(2) {
        let ((mut ha, mut ka), (mut hb, mut kb)) = (w[0], w[1]);
        if hb < t0 || ha > t1 {
            pen_down = false;
            continue;
        }
        // Cut the piece at the window's edges, keeping its slope.
        let cut = |h: f64, (h0, k0): (f64, f64), (h1, k1): (f64, f64)| {
            if h1 > h0 {
                k0 + (k1 - k0) * (h - h0) / (h1 - h0)
            } else {
                k0
            }
        };
        if ha < t0 {
            ka = cut(t0, (ha, ka), (hb, kb));
            ha = t0;
            pen_down = false;
        }
        if hb > t1 {
            kb = cut(t1, (ha, ka), (hb, kb));
            hb = t1;
        }
        if !pen_down {
            let _ = write!(d, "M{} {}", px(x(ha)), px(y(ka)));
            pen_down = true;
        } else {
            let _ = write!(d, "L{} {}", px(x(ha)), px(y(ka)));
        }
        let _ = write!(d, "L{} {}", px(x(hb)), px(y(kb)));
    }
    d
}
