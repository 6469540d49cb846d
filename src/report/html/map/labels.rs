//! Where the names of places go on a map: beside their marks, clear of every mark and of
//! the names already written, the most important first.

use crate::report::html::svg::{esc, px, WIDTH};
use std::fmt::Write;

/// Most place names written on a map.
const MOST_LABELS: usize = 200;

/// A place's name to write: its rank (the least written first), its node, where its mark
/// is, px, and the name.
pub(super) type Label<'a> = (f64, usize, (f64, f64), &'a str);

/// Writes the names of places where they overlap no name already written and no place's
/// mark (`marks`, boxes `[left, top, right, bottom]` px): beside the place, else above or
/// below it; a name with no room is left to the tooltip.
pub(super) fn place_labels(
    s: &mut String,
    labels: Vec<Label>,
    marks: &[[f64; 4]],
    frame: (f64, bool),
) {
    for (x, y, anchor, name) in label_places(labels, marks, frame) {
        let _ = write!(
            s,
            r#"<text x="{x}" y="{y}" class="place" text-anchor="{anchor}">{name}</text>"#,
            x = px(x),
            y = px(y),
            name = esc(name)
        );
    }
}

/// Where each name of `labels` that has room is written: `(x, y, text-anchor, name)`, the
/// names taken by rank, each at the first of its places (the four corners of its mark,
/// right, left, above, below; on a schematic map above and below its lines first) that
/// stays on the map and clears the names placed before and every mark. `frame` is the
/// map's height, px, and whether it is schematic.
pub(super) fn label_places<'a>(
    mut labels: Vec<Label<'a>>,
    marks: &[[f64; 4]],
    (height, schematic): (f64, bool),
) -> Vec<(f64, f64, &'static str, &'a str)> {
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // More names than these could not be read on the map anyway; the rest keep their
    // tooltips (and the overlap test below stays cheap).
    labels.truncate(MOST_LABELS);
    // Names keep this far from each other and from marks, px, so that two never touch.
    const GAP: f64 = 1.5;
    let mut taken: Vec<[f64; 4]> = Vec::new();
    let mut placed = Vec::new();
    for (_, _, (x, y), name) in labels {
        // About 5.8 px per character of the 10 px font (its widest names run to 5.7).
        let w = 5.8 * name.chars().count() as f64;
        // Above the lines that leave a place sideways first, then level with it. A
        // schematic layout lays its lines level, side by side, 16 px apart: a name goes
        // above or below them all.
        let corners = [
            (x + 8.5, y - 6.0, "start"),
            (x - 8.5, y - 6.0, "end"),
            (x + 8.5, y + 14.0, "start"),
            (x - 8.5, y + 14.0, "end"),
            (x + 9.0, y + 3.5, "start"),
            (x - 9.0, y + 3.5, "end"),
            (x - w / 2.0, y - 10.0, "start"),
            (x - w / 2.0, y + 18.0, "start"),
        ];
        let level = [
            (x - w / 2.0, y - 20.0, "start"),
            (x - w / 2.0, y + 28.0, "start"),
        ];
        let tries = if schematic {
            [&level[..], &corners[..]].concat()
        } else {
            corners.to_vec()
        };
        let fits = |&(tx, ty, anchor): &(f64, f64, &str)| {
            let x0 = if anchor == "end" { tx - w } else { tx };
            let b = [x0, ty - 9.0, x0 + w, ty + 2.0];
            let inside = b[0] >= 2.0 && b[2] <= WIDTH - 2.0 && b[1] >= 2.0 && b[3] <= height - 2.0;
            let apart = |t: &[f64; 4]| {
                b[2] + GAP <= t[0] || t[2] + GAP <= b[0] || b[3] + GAP <= t[1] || t[3] + GAP <= b[1]
            };
            (inside && taken.iter().chain(marks).all(apart)).then_some(b)
        };
        if let Some((&(tx, ty, anchor), b)) = tries.iter().find_map(|t| fits(t).map(|b| (t, b))) {
            taken.push(b);
            placed.push((tx, ty, anchor, name));
        }
    }
    placed
}
