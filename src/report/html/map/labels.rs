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

#[cfg(test)]
mod tests {
    use super::super::HEIGHT;
    use super::*;

    /// The box a placed name covers, px, as `label_places` reckons it.
    fn text_box(p: &Placed) -> [f64; 4] {
        let w = PLACE_CHAR * p.name.chars().count() as f64;
        let x0 = if p.anchor == "end" { p.x - w } else { p.x };
        [x0, p.y - 10.0, x0 + w, p.y + 2.0]
    }

    fn label(rank: f64, node: usize, at: (f64, f64), name: &str, off: bool) -> Label<'_> {
        Label {
            rank,
            node,
            at,
            name,
            may_stand_off: off,
        }
    }

    fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
        a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
    }

    fn mark(x: f64, y: f64) -> [f64; 4] {
        [x - 6.5, y - 6.5, x + 6.5, y + 6.5]
    }

    #[test]
    fn names_of_crowded_places_overlap_neither_each_other_nor_any_mark() {
        // Twelve places within 40 px of each other, as around the Caspian.
        let at: Vec<(f64, f64)> = (0..12)
            .map(|k| (400.0 + 11.0 * (k % 4) as f64, 200.0 + 13.0 * (k / 4) as f64))
            .collect();
        let names = [
            "Aktau port",
            "Baku/Alat port",
            "Temir Baba–Garabogaz",
            "Poti port",
        ];
        let labels: Vec<Label> = (at.iter().enumerate())
            .map(|(i, &p)| label(i as f64, i, p, names[i % names.len()], false))
            .collect();
        let marks: Vec<[f64; 4]> = at.iter().map(|&(x, y)| mark(x, y)).collect();
        let placed = label_places(labels.clone(), &marks, (HEIGHT, false));
        assert!(!placed.is_empty() && placed.len() < at.len(), "{placed:?}");
        assert!(placed.iter().all(|p| p.leader.is_none()));
        // Names that may stand off their marks find room further off with leaders, more of
        // them than beside their marks; still none covers another or a mark, and no leader
        // passes over a mark but its own (it would seem to point there).
        let apart: Vec<Label> = (labels.iter())
            .map(|l| Label {
                may_stand_off: true,
                ..*l
            })
            .collect();
        let set_apart = label_places(apart, &marks, (HEIGHT, false));
        assert!(set_apart.len() > placed.len(), "{set_apart:?}");
        let boxes: Vec<[f64; 4]> = set_apart.iter().map(text_box).collect();
        for (i, b) in boxes.iter().enumerate() {
            assert!(marks.iter().all(|m| !overlap(b, m)));
            assert!(boxes[i + 1..].iter().all(|c| !overlap(b, c)));
        }
        for p in set_apart.iter().filter(|p| p.leader.is_some()) {
            let [x1, y1, x2, y2] = p.leader.unwrap();
            // The leader starts at its mark's edge, 7.5 px out from the centre.
            let len = (x2 - x1).hypot(y2 - y1);
            let own = (x1 - 7.5 * (x2 - x1) / len, y1 - 7.5 * (y2 - y1) / len);
            let holds =
                |m: &[f64; 4]| m[0] <= own.0 && own.0 <= m[2] && m[1] <= own.1 && own.1 <= m[3];
            for m in marks.iter().filter(|m| !holds(m)) {
                for k in 0..=20 {
                    let t = f64::from(k) / 20.0;
                    let (x, y) = (x1 + t * (x2 - x1), y1 + t * (y2 - y1));
                    let inside = m[0] < x && x < m[2] && m[1] < y && y < m[3];
                    assert!(!inside, "the leader of {p:?} passes over {m:?}");
                }
            }
        }
        let boxes: Vec<[f64; 4]> = placed.iter().map(text_box).collect();
        for (i, b) in boxes.iter().enumerate() {
            assert!(
                marks.iter().all(|m| !overlap(b, m)),
                "{:?} covers a mark",
                placed[i]
            );
            for c in &boxes[i + 1..] {
                assert!(!overlap(b, c), "{:?} overlaps another name", placed[i]);
            }
        }
    }

    #[test]
    fn a_lone_place_is_named_above_right_of_its_mark_and_one_at_the_edge_above_left() {
        let labels = vec![
            label(0.0, 0, (300.0, 200.0), "Dostyk", true),
            label(1.0, 1, (WIDTH - 10.0, 300.0), "Xi'an hub", false),
        ];
        let marks = [mark(300.0, 200.0), mark(WIDTH - 10.0, 300.0)];
        let placed = label_places(labels, &marks, (HEIGHT, false));
        let at = |p: &Placed| (p.x, p.y, p.anchor, p.name.to_string(), p.leader);
        assert_eq!(
            at(&placed[0]),
            (308.5, 194.0, "start", "Dostyk".into(), None)
        );
        assert_eq!(
            at(&placed[1]),
            (WIDTH - 18.5, 294.0, "end", "Xi'an hub".into(), None)
        );
    }
}
