//! Where the names of places go on a map: beside their marks, clear of every mark and of
//! the names already written, the most important first.

use crate::report::html::svg::{esc, px, WIDTH};
use std::fmt::Write;

/// Most place names written on a map.
const MOST_LABELS: usize = 200;

/// A place's name to write.
#[derive(Debug, Clone, Copy)]
pub(super) struct Label<'a> {
    /// Its rank: the least ranked are written first.
    pub(super) rank: f64,
    /// Its node (ties of rank go by it).
    pub(super) node: usize,
    /// Where its mark is, px.
    pub(super) at: (f64, f64),
    /// The name.
    pub(super) name: &'a str,
    /// Where no room is found beside its mark, it may be written further off, joined to
    /// the mark by a leader line (a crossing's or a port's name: a board looks for them).
    pub(super) may_stand_off: bool,
}

/// A name written on a map.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed<'a> {
    /// Where its baseline starts (`anchor` "start") or ends ("end"), px.
    pub(super) x: f64,
    /// Its baseline, px.
    pub(super) y: f64,
    /// `start` or `end`.
    pub(super) anchor: &'static str,
    /// The name.
    pub(super) name: &'a str,
    /// For a name written away from its mark, the leader line from the mark to it:
    /// `[x1, y1, x2, y2]`, px.
    pub(super) leader: Option<[f64; 4]>,
}

/// Writes the names of places where they overlap no name already written and no place's
/// mark (`marks`, boxes `[left, top, right, bottom]` px): beside the place, else above or
/// below it, else (a crossing's or a port's) further off with a leader line; a name with
/// no room is left to the tooltip.
pub(super) fn place_labels(
    s: &mut String,
    labels: Vec<Label>,
    marks: &[[f64; 4]],
    frame: (f64, bool),
) {
    for p in label_places(labels, marks, frame) {
        if let Some([x1, y1, x2, y2]) = p.leader {
            let _ = write!(
                s,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" stroke-width="0.8" class="leader"/>"##,
                px(x1),
                px(y1),
                px(x2),
                px(y2)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{x}" y="{y}" class="place" text-anchor="{anchor}">{name}</text>"#,
            x = px(p.x),
            y = px(p.y),
            anchor = p.anchor,
            name = esc(p.name)
        );
    }
}

/// Width of a character of a place's name (the 11 px font of `.place`), px: a little
/// over the average of its widest names.
pub(super) const PLACE_CHAR: f64 = 6.4;

/// How far from its mark a name set apart may go, px, nearest first.
const STAND_OFF: [f64; 4] = [26.0, 40.0, 56.0, 76.0];

/// Where each name of `labels` that has room is written: the names that may stand off by
/// rank, each at the first of its places (the four corners of its mark, right, left,
/// above, below; on a schematic map above and below its lines first) that stays on the
/// map and clears the names placed before and every mark; then those that found no room,
/// at the end of a leader in one of sixteen directions, nearest first, that passes over no
/// other mark; then the other names, by rank, beside their marks. `frame` is the map's
/// height, px, and whether it is schematic.
pub(super) fn label_places<'a>(
    mut labels: Vec<Label<'a>>,
    marks: &[[f64; 4]],
    (height, schematic): (f64, bool),
) -> Vec<Placed<'a>> {
    labels.sort_by(|a, b| a.rank.total_cmp(&b.rank).then(a.node.cmp(&b.node)));
    // More names than these could not be read on the map anyway; the rest keep their
    // tooltips (and the overlap test below stays cheap).
    labels.truncate(MOST_LABELS);
    let mut taken: Vec<[f64; 4]> = Vec::new();
    // Per label in rank order, its name written, if it has room yet.
    let mut placed: Vec<Option<Placed>> = vec![None; labels.len()];
    // The names that may stand off (crossings', ports') beside their marks first, then
    // further off where they found no room (a leader's long reach must not take another
    // crossing's own spot), then the other names (terminals') where room is left: a board
    // looks for its border crossings before its cities.
    for (stand_off, may) in [(false, true), (true, true), (false, false)] {
        for (k, label) in labels.iter().enumerate() {
            if placed[k].is_some() || label.may_stand_off != may {
                continue;
            }
            if let Some((p, b)) = place(label, stand_off, &taken, marks, (height, schematic)) {
                taken.push(b);
                placed[k] = Some(p);
            }
        }
    }
    placed.into_iter().flatten().collect()
}

/// Where `label` is written (and the box its name covers, px), if it has room clear of
/// the names `taken` and the `marks`: beside its mark, or with `stand_off` at the end of a
/// leader (see [`label_places`]).
fn place<'a>(
    label: &Label<'a>,
    stand_off: bool,
    taken: &[[f64; 4]],
    marks: &[[f64; 4]],
    (height, schematic): (f64, bool),
) -> Option<(Placed<'a>, [f64; 4])> {
    // Names keep this far from each other and from marks, px, so that two never touch.
    const GAP: f64 = 1.5;
    let ((x, y), name) = (label.at, label.name);
    // About 6.4 px per character of the 11 px font (its widest names run to 6.3).
    let w = PLACE_CHAR * name.chars().count() as f64;
    let fits = |&(tx, ty, anchor): &(f64, f64, &'static str)| {
        let x0 = if anchor == "end" { tx - w } else { tx };
        let b = [x0, ty - 10.0, x0 + w, ty + 2.0];
        let inside = b[0] >= 2.0 && b[2] <= WIDTH - 2.0 && b[1] >= 2.0 && b[3] <= height - 2.0;
        let apart = |t: &[f64; 4]| {
            b[2] + GAP <= t[0] || t[2] + GAP <= b[0] || b[3] + GAP <= t[1] || t[3] + GAP <= b[1]
        };
        (inside && taken.iter().chain(marks).all(apart)).then_some(b)
    };
    let written = |(tx, ty, anchor): (f64, f64, &'static str), leader| Placed {
        x: tx,
        y: ty,
        anchor,
        name,
        leader,
    };
    if stand_off {
        // The leader runs from the mark's edge outwards; the name starts (or, leftwards,
        // ends) just past its end, level with it.
        return (STAND_OFF.iter())
            .flat_map(|&d| (0..16).map(move |k| (d, f64::from(k) * 22.5 - 45.0)))
            .find_map(|(d, deg)| {
                let (c, s) = (deg.to_radians().cos(), deg.to_radians().sin());
                let end = (x + d * c, y + d * s);
                let t = if c >= -1e-9 {
                    (end.0 + 2.0, end.1 + 3.5, "start")
                } else {
                    (end.0 - 2.0, end.1 + 3.5, "end")
                };
                let leader = [x + 7.5 * c, y + 7.5 * s, end.0, end.1];
                if crosses_another(leader, (x, y), marks) {
                    return None;
                }
                fits(&t).map(|b| (written(t, Some(leader)), b))
            });
    }
    // Above the lines that leave a place sideways first, then level with it. A schematic
    // layout lays its lines level, side by side, 16 px apart: a name goes above or below
    // them all.
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
    tries
        .iter()
        .find_map(|t| fits(t).map(|b| (written(*t, None), b)))
}

/// True when the leader `[x1, y1, x2, y2]` from the mark at `own` passes over another of
/// the `marks` (a box not holding `own`): it would seem to point at that one.
fn crosses_another(leader: [f64; 4], own: (f64, f64), marks: &[[f64; 4]]) -> bool {
    let [x1, y1, x2, y2] = leader;
    let holds = |m: &[f64; 4], (x, y): (f64, f64)| m[0] <= x && x <= m[2] && m[1] <= y && y <= m[3];
    // Points every px or so along the leader, its far end included.
    let steps = (x2 - x1).hypot(y2 - y1).ceil().max(1.0) as usize;
    (marks.iter().filter(|m| !holds(m, own))).any(|m| {
        let m = [m[0] - 1.0, m[1] - 1.0, m[2] + 1.0, m[3] + 1.0];
        (0..=steps).any(|k| {
            let t = k as f64 / steps as f64;
            holds(&m, (x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
        })
    })
}
