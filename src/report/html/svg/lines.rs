//! Line charts over a numeric axis: series of points, and series with a band of their
//! 95 % intervals.

use super::*;
use crate::report::table::num;
use std::borrow::Cow;

/// One line of a line chart: its name, its dashes (`none`, or an SVG dash array) and
/// its points (x, y).
pub(crate) struct Line<'a> {
    /// Its name, in the legend and the tooltip.
    pub(crate) name: &'a str,
    /// `none`, or an SVG dash array such as `6 3`.
    pub(crate) dash: &'a str,
    /// Its points, (x, y).
    pub(crate) points: &'a [(f64, f64)],
}

/// A line chart of `points` (x, y), with x labelled in `x_unit` and y in `y_unit`; the x
/// range `shade` (such as the warm-up), if any, is shaded and labelled `shade_label`. Two
/// lines or more are named in a legend under the plot, where no line crosses it.
pub(crate) fn line_chart(
    id: &str,
    caption: &str,
    (x_unit, y_unit): (&str, &str),
    series: &[Line<'_>],
    shade: Option<(f64, f64, &str)>,
) -> String {
    let (left, right, top, bottom) = (70.0, 30.0, 20.0, 40.0);
    let height = 300.0;
    // One line needs no key: the axis names it.
    let keys: Vec<Key> = if series.len() > 1 {
        series
            .iter()
            .enumerate()
            .map(|(k, l)| Key {
                name: l.name.into(),
                colour: LINE_COLOURS[k % LINE_COLOURS.len()],
                dash: l.dash,
            })
            .collect()
    } else {
        Vec::new()
    };
    let placed = place_keys(keys, left, right);
    let all = series.iter().flat_map(|l| l.points.iter());
    let x_max = all.clone().map(|p| p.0).fold(0.0, f64::max).max(1e-9);
    let y_max = all.map(|p| p.1).fold(0.0, f64::max);
    let (xs, xe) = ticks(x_max);
    let (ys, ye) = ticks(y_max);
    let x = |v: f64| left + v / xe * (WIDTH - left - right);
    let y = |v: f64| height - bottom - v / ye * (height - top - bottom);
    let mut s = String::new();
    open_chart(&mut s, id, caption, height + legend_height(&placed));
    if let Some((a, b, label)) = shade {
        let _ = write!(
            s,
            r##"<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#eee"/><text x="{tx}" y="{ty}" class="tick">{label}</text>"##,
            x0 = px(x(a)),
            y0 = px(top),
            w = px(x(b) - x(a)),
            h = px(height - top - bottom),
            tx = px(x(a) + 4.0),
            ty = px(top + 14.0),
            label = esc(label)
        );
    }
    vertical_grid(
        &mut s,
        &x,
        (xs, xe),
        (top, height - bottom, height - bottom + 16.0),
    );
    y_axis(
        &mut s,
        &y,
        (ys, ye),
        (x_unit, y_unit),
        [left, right, top, bottom, height],
    );
    for (k, line) in series.iter().enumerate() {
        let (name, dash, points) = (line.name, line.dash, line.points);
        let mut d = String::new();
        for (i, &(a, b)) in points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                px(x(a)),
                px(y(b))
            );
        }
        let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
        let _ = write!(
            s,
            r##"<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-dasharray="{dash}" class="line"><title>{name}</title></path>"##,
            name = esc(name)
        );
    }
    draw_keys(&mut s, &placed, height);
    s.push_str("</svg>");
    s
}

/// One line of a chart with bands: its name, dashes, colour, and per point its x, its
/// value and, optionally, the 95 % interval drawn as a band around it.
pub(crate) struct BandLine<'a> {
    /// Its name, in the legend and the tooltip.
    pub(crate) name: &'a str,
    /// `none`, or an SVG dash array.
    pub(crate) dash: &'a str,
    /// Stroke colour.
    pub(crate) colour: &'a str,
    /// (x, value, interval's low end, high end); NaN ends: no band there.
    pub(crate) points: &'a [(f64, f64, f64, f64)],
    /// Values above this are drawn at it (ratios past saturation grow without bound), as
    /// a triangle pointing up with the figure written beside it; the tooltips give them
    /// whole. None: every value drawn where it is.
    pub(crate) ceiling: Option<f64>,
    /// Each point's figure is written beside it, where it finds room clear of the other
    /// figures written (for a page read on paper, where tooltips are not).
    pub(crate) labelled: bool,
    /// What the band is, as the tooltips say.
    pub(crate) band: Band,
}

/// What the band around a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Band {
    /// The 95 % confidence interval of the mean, in brackets as everywhere.
    Ci95,
    /// The middle half of the replications, from the lower to the upper quartile.
    MiddleHalf,
}

impl BandLine<'_> {
    /// Where value `v` is drawn: at most the line's ceiling.
    fn drawn(&self, v: f64) -> f64 {
        self.ceiling.map_or(v, |c| v.min(c))
    }
}

/// A chart of lines with their interval bands over an x axis with the ticks `x_ticks`
/// (position, label) and spanning them, y from 0 in `y_unit`; a dashed vertical line at
/// each x of `marks`, labelled (projects opening, a value chosen). Two lines or more are
/// named in a legend under the plot, where no line crosses it (one is named by the chart's
/// heading).
pub(crate) fn band_chart(
    id: &str,
    caption: &str,
    (x_unit, y_unit): (&str, &str),
    x_ticks: &[(f64, String)],
    lines: &[BandLine<'_>],
    marks: &[(f64, String)],
) -> String {
    let (left, right, top, bottom) = (80.0, 30.0, 24.0, 44.0);
    let height = 320.0;
    let keys: Vec<Key> = (lines.iter())
        .filter(|_| lines.len() > 1)
        .map(|l| Key {
            name: l.name.into(),
            colour: l.colour,
            dash: l.dash,
        })
        .collect();
    let placed = place_keys(keys, left, right);
    let xs = x_ticks
        .iter()
        .map(|t| t.0)
        .chain(lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)));
    let (first, last) = xs.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    if first > last {
        return String::new();
    }
    let span = if last > first { last - first } else { 1.0 };
    let y_max = lines
        .iter()
        .flat_map(|l| l.points.iter().flat_map(|p| [l.drawn(p.1), l.drawn(p.3)]))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let (ys, ye) = ticks(y_max);
    let x = |v: f64| left + (v - first) / span * (WIDTH - left - right);
    let y = |v: f64| height - bottom - v / ye * (height - top - bottom);
    let mut s = String::new();
    open_chart(&mut s, id, caption, height + legend_height(&placed));
    for (at, label) in x_ticks {
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#ddd"/><text x="{x}" y="{ty}" class="tick" text-anchor="middle">{label}</text>"##,
            x = px(x(*at)),
            y0 = px(top),
            y1 = px(height - bottom),
            ty = px(height - bottom + 16.0),
            label = esc(label)
        );
    }
    y_axis(
        &mut s,
        &y,
        (ys, ye),
        (x_unit, y_unit),
        [left, right, top, bottom, height],
    );
    // Each mark's label right of its line (left of it where the plot ends first), on the
    // first row down where it covers no label placed before: marks a year apart would
    // otherwise write their labels over each other.
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    for (at, label) in marks {
        let xm = x(*at);
        let w = text_width(label, TICK_PX);
        let (x0, anchor) = if xm + 4.0 + w <= WIDTH - right {
            (xm + 4.0, "start")
        } else {
            (xm - 4.0 - w, "end")
        };
        let span = (x0, x0 + w);
        let free = |row: &Vec<(f64, f64)>| row.iter().all(|&(a, b)| span.1 <= a || b <= span.0);
        let row = match rows.iter().position(free) {
            Some(r) => r,
            None => {
                rows.push(Vec::new());
                rows.len() - 1
            }
        };
        rows[row].push((span.0 - 4.0, span.1 + 4.0));
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#333" stroke-dasharray="3 3"/><text x="{tx}" y="{ty}" class="tick mark" text-anchor="{anchor}">{label}</text>"##,
            x = px(xm),
            y0 = px(top),
            y1 = px(height - bottom),
            tx = px(if anchor == "start" { x0 } else { xm - 4.0 }),
            ty = px(top + 12.0 + 13.0 * row as f64),
            label = esc(label)
        );
    }
    let shifts = beyond_shifts(lines, &x);
    for (l, shift) in lines.iter().zip(&shifts) {
        draw_band_line(&mut s, l, shift, (&x, &y));
    }
    write_figures(
        &mut s,
        (lines, &shifts),
        (&x, &y),
        [left, top, WIDTH - right, height - bottom],
    );
    draw_keys(&mut s, &placed, height);
    s.push_str("</svg>");
    s
}

/// Per line of `lines` and per point of it, how far right of its x (placed by `x`) its
/// triangle is drawn, px: where points of several lines lie beyond the ceiling at one x,
/// their triangles stand side by side, in the order of the lines, rather than one over
/// another. 0 for a point drawn where it is.
fn beyond_shifts(lines: &[BandLine<'_>], x: &dyn Fn(f64) -> f64) -> Vec<Vec<f64>> {
    /// Space between the centres of triangles side by side, px.
    const APART: f64 = 11.0;
    let beyond: Vec<Vec<Option<f64>>> = (lines.iter())
        .map(|l| {
            (l.points.iter())
                .map(|p| (l.drawn(p.1) < p.1).then(|| x(p.0)))
                .collect()
        })
        .collect();
    let at = |cx: f64| {
        (beyond.iter().enumerate()).filter_map(move |(k, points)| {
            points
                .iter()
                .flatten()
                .any(|&c| (c - cx).abs() < 0.5)
                .then_some(k)
        })
    };
    (beyond.iter().enumerate())
        .map(|(k, points)| {
            (points.iter())
                .map(|p| {
                    p.map_or(0.0, |cx| {
                        let n = at(cx).count() as f64;
                        let j = at(cx).take_while(|&other| other < k).count() as f64;
                        (j - (n - 1.0) / 2.0) * APART
                    })
                })
                .collect()
        })
        .collect()
}

/// Writes beside each point of the `labelled` lines among `lines`, placed by `x` and `y`,
/// its figure in its line's colour, where it has room in the plot (`[left, top, right,
/// bottom]`, px) clear of the figures written before. Where several lines have a point at
/// one x, the figure of the highest goes above it, of the lowest below it, of those
/// between to their right, so that each figure sits nearer its own point than any other.
/// A point above its line's ceiling always has its figure, right of its triangle (lower
/// down where another triangle's is): its height tells nothing.
fn write_figures(
    s: &mut String,
    (lines, shifts): (&[BandLine<'_>], &[Vec<f64>]),
    (x, y): (&dyn Fn(f64) -> f64, &dyn Fn(f64) -> f64),
    [left, top, right, bottom]: [f64; 4],
) {
    /// A point whose figure is to be written: x and y drawn, figure, colour, beyond.
    struct Figure<'a> {
        base: f64,
        cx: f64,
        cy: f64,
        value: f64,
        colour: &'a str,
        beyond: bool,
    }
    let mut figures: Vec<Figure> = (lines.iter().zip(shifts))
        .flat_map(|(l, shift)| l.points.iter().zip(shift).map(move |(p, d)| (l, p, d)))
        .filter(|(l, p, _)| (l.labelled || l.drawn(p.1) < p.1) && p.1.is_finite())
        .map(|(l, p, d)| Figure {
            base: x(p.0),
            cx: x(p.0) + d,
            cy: y(l.drawn(p.1)),
            value: p.1,
            colour: l.colour,
            beyond: l.drawn(p.1) < p.1,
        })
        .collect();
    // Left to right; at one x, the triangles first (largest figure first), then the points
    // from the highest down.
    figures.sort_by(|a, b| {
        (a.base.total_cmp(&b.base))
            .then(b.beyond.cmp(&a.beyond))
            .then(b.value.total_cmp(&a.value))
    });
    // Boxes taken by figures written and by triangles: (left, top, right, bottom), px.
    let mut taken: Vec<[f64; 4]> = (figures.iter())
        .filter(|f| f.beyond)
        .map(|f| [f.cx - 5.0, f.cy - 4.0, f.cx + 5.0, f.cy + 5.0])
        .collect();
    let clear = |b: [f64; 4], taken: &[[f64; 4]]| {
        b[1] >= top - 2.0
            && b[3] <= bottom
            && taken
                .iter()
                .all(|t| b[2] <= t[0] || t[2] <= b[0] || b[3] <= t[1] || t[3] <= b[1])
    };
    for (i, f) in figures.iter().enumerate() {
        let text = figure(f.value);
        let w = text_width(&text, TICK_PX);
        let at_x = |g: &Figure| (g.cx - f.cx).abs() < 0.5 && !g.beyond;
        let higher = figures[..i].iter().any(at_x);
        let lower = figures[i + 1..].iter().any(at_x);
        let (above, below, beside) = (
            (f.cx - w / 2.0, f.cy - 6.0),
            (f.cx - w / 2.0, f.cy + 15.0),
            (f.cx + 6.0, f.cy + 4.0),
        );
        let spots: Vec<(f64, f64)> = if f.beyond {
            // In a column right of the triangles at this x, the largest figure first.
            let right = (figures.iter())
                .filter(|g| g.beyond && (g.base - f.base).abs() < 0.5)
                .map(|g| g.cx)
                .fold(f.cx, f64::max);
            (1..=4)
                .map(|k| (right + 7.0, f.cy - 1.0 + 13.0 * k as f64))
                .collect()
        } else {
            match (higher, lower) {
                (false, false) => vec![above, below],
                (false, true) => vec![above, beside],
                (true, false) => vec![below, beside],
                (true, true) => vec![beside],
            }
        };
        // Within the plot's width: the first point's figure starts right of the axis.
        let spot = (spots.iter())
            .map(|&(lx, base)| {
                let lx = lx.min(right - w).max(left + 3.0);
                [lx, base - TICK_PX, lx + w, base + 2.0]
            })
            .find(|&b| clear(b, &taken));
        if let Some(b) = spot {
            taken.push(b);
            let _ = write!(
                s,
                r#"<text x="{tx}" y="{ty}" class="tick figure-at" style="fill:{c}">{text}</text>"#,
                tx = px(b[0]),
                ty = px(b[3] - 2.0),
                c = f.colour,
                text = esc(&text)
            );
        }
    }
}

/// Draws line `l` of a band chart, placed by `x` and `y`: its interval band where it has
/// one at two points or more, the line, and a dot with a tooltip at each point.
fn draw_band_line(
    s: &mut String,
    l: &BandLine<'_>,
    shift: &[f64],
    (x, y): (&dyn Fn(f64) -> f64, &dyn Fn(f64) -> f64),
) {
    // The band runs over the points that have one, broken where a whole interval lies
    // beyond the ceiling: drawn at it, it would be a wedge of no width there.
    let has_band =
        |p: &&(f64, f64, f64, f64)| p.2.is_finite() && p.3.is_finite() && l.drawn(p.2) == p.2;
    let mut run: Vec<&(f64, f64, f64, f64)> = Vec::new();
    let mut points = l.points.iter();
    loop {
        let next = points.next();
        if let Some(p) = next.filter(has_band) {
            run.push(p);
            continue;
        }
        if run.len() > 1 {
            let mut d = String::new();
            for (i, p) in run.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{} {}",
                    if i == 0 { "M" } else { "L" },
                    px(x(p.0)),
                    px(y(l.drawn(p.3)))
                );
            }
            for p in run.iter().rev() {
                let _ = write!(d, "L{} {}", px(x(p.0)), px(y(l.drawn(p.2))));
            }
            let _ = write!(
                s,
                r#"<path d="{d}Z" fill="{c}" fill-opacity="0.18" stroke="none" class="band"/>"#,
                c = l.colour
            );
        }
        run.clear();
        if next.is_none() {
            break;
        }
    }
    // A stretch to or from a point beyond the ceiling is dotted and faint: its slope is
    // not the figure's.
    let (mut solid, mut dotted) = (String::new(), String::new());
    // Which of the two the stretch before this one went to: each runs on unbroken while
    // its stretches follow one another.
    let mut last: Option<bool> = None;
    let at = |i: usize| {
        let p = l.points[i];
        (px(x(p.0) + shift[i]), px(y(l.drawn(p.1))))
    };
    for i in 1..l.points.len() {
        let pair = [l.points[i - 1], l.points[i]];
        let beyond = pair.iter().any(|p| l.drawn(p.1) < p.1);
        let d = if beyond { &mut dotted } else { &mut solid };
        if last != Some(beyond) {
            let (sx, sy) = at(i - 1);
            let _ = write!(d, "M{sx} {sy}");
        }
        let (ex, ey) = at(i);
        let _ = write!(d, "L{ex} {ey}");
        last = Some(beyond);
    }
    if !solid.is_empty() {
        let _ = write!(
            s,
            r#"<path d="{solid}" fill="none" stroke="{c}" stroke-width="2" stroke-dasharray="{dash}" class="line"><title>{name}</title></path>"#,
            c = l.colour,
            dash = l.dash,
            name = esc(l.name)
        );
    }
    if !dotted.is_empty() {
        let _ = write!(
            s,
            r#"<path d="{dotted}" fill="none" stroke="{c}" stroke-width="1.5" stroke-dasharray="1 4" stroke-opacity="0.6" class="line beyond"><title>{name}, to a point beyond the axis</title></path>"#,
            c = l.colour,
            name = esc(l.name)
        );
    }
    for (p, shift) in l.points.iter().zip(shift) {
        let above = if l.drawn(p.1) < p.1 {
            format!(
                " (beyond the axis, drawn at its top, {})",
                num(l.drawn(p.1))
            )
        } else {
            String::new()
        };
        let title = format!(
            "<title>{name} at {at}: {v}{above}</title>",
            name = esc(l.name),
            at = esc(&num(p.0)),
            v = esc(&match l.band {
                Band::Ci95 => with_ci(p.1, p.2, p.3),
                Band::MiddleHalf => format!(
                    "{}, the middle half of the replications from {} to {}",
                    figure(p.1),
                    figure(p.2),
                    figure(p.3)
                ),
            }),
            above = esc(&above)
        );
        let (cx, cy) = (x(p.0) + shift, y(l.drawn(p.1)));
        if above.is_empty() {
            let _ = write!(
                s,
                r#"<circle cx="{cx}" cy="{cy}" r="2.5" fill="{c}">{title}</circle>"#,
                cx = px(cx),
                cy = px(cy),
                c = l.colour
            );
        } else {
            // A triangle pointing up: the figure lies beyond the axis.
            let _ = write!(
                s,
                r#"<path d="M{x0} {y1}L{cx} {y0}L{x1} {y1}Z" fill="{c}" class="beyond">{title}</path>"#,
                x0 = px(cx - 5.0),
                x1 = px(cx + 5.0),
                cx = px(cx),
                y0 = px(cy - 4.0),
                y1 = px(cy + 5.0),
                c = l.colour
            );
        }
    }
}

/// Colours of the lines of a line chart, in turn: apart from each other, and apart from
/// the dashes for print in greyscale.
const LINE_COLOURS: [&str; 3] = ["#1f3a93", "#c0392b", "#1b9e77"];

/// An entry of a chart's legend: a line's name, colour and dashes (colour `none`: words
/// without a line).
struct Key<'a> {
    name: Cow<'a, str>,
    colour: &'a str,
    dash: &'a str,
}

/// The most entries a legend names; past them, it says how many more lines there are and
/// leaves them to their tooltips.
const MOST_KEYS: usize = 24;
/// Length of the stretch of line that stands for a line in a legend, px.
const KEY_LINE: f64 = 30.0;
/// Height of a row of a legend, px.
const KEY_ROW: f64 = 18.0;

/// Where each of `keys` goes in a legend under a chart whose plot has margins `left` and
/// `right`: its row (from 0) and the x it starts at, left to right and a row after
/// another, at most [`MOST_KEYS`] of them, with a last entry of no line saying how many
/// lines are left out.
fn place_keys(keys: Vec<Key<'_>>, left: f64, right: f64) -> Vec<(usize, f64, Key<'_>)> {
    let more = keys.len().saturating_sub(MOST_KEYS);
    let mut shown: Vec<Key> = keys.into_iter().take(MOST_KEYS).collect();
    if more > 0 {
        shown.push(Key {
            name: format!("and {more} more lines: hover a line for its name").into(),
            colour: "none",
            dash: "none",
        });
    }
    let (mut row, mut at) = (0, left);
    let mut out = Vec::with_capacity(shown.len());
    for k in shown {
        let width = KEY_LINE + 6.0 + text_width(&k.name, VALUE_PX);
        if at > left && at + width > WIDTH - right {
            row += 1;
            at = left;
        }
        out.push((row, at, k));
        at += width + 2.0 * GAP;
    }
    out
}

/// Height a legend of the entries `placed` adds under its chart, px (none for none).
fn legend_height(placed: &[(usize, f64, Key<'_>)]) -> f64 {
    placed
        .last()
        .map_or(0.0, |(row, _, _)| (*row + 1) as f64 * KEY_ROW + 8.0)
}

/// Draws the legend `placed` under the plot of a chart `height` px high without it: a
/// stretch of each line and its name, where no data is drawn.
fn draw_keys(s: &mut String, placed: &[(usize, f64, Key<'_>)], height: f64) {
    for (row, at, k) in placed {
        let y = height + 4.0 + KEY_ROW * (*row as f64 + 0.5);
        let tx = if k.colour == "none" {
            *at
        } else {
            let _ = write!(
                s,
                r##"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{c}" stroke-width="2" stroke-dasharray="{dash}"/>"##,
                x0 = px(*at),
                x1 = px(at + KEY_LINE),
                y = px(y),
                c = k.colour,
                dash = k.dash
            );
            at + KEY_LINE + 6.0
        };
        let _ = write!(
            s,
            r#"<text x="{tx}" y="{ty}" class="label">{name}</text>"#,
            tx = px(tx),
            ty = px(y + 4.0),
            name = esc(&k.name)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Key<'_> {
        Key {
            name: name.into(),
            colour: "#000",
            dash: "none",
        }
    }

    #[test]
    fn a_legend_wraps_within_the_chart_and_names_at_most_its_share_of_lines() {
        let names: Vec<String> = (0..30).map(|k| format!("demand × {k}.25")).collect();
        let placed = place_keys(names.iter().map(|n| key(n)).collect(), 80.0, 30.0);
        assert_eq!(placed.len(), MOST_KEYS + 1);
        for (_, at, k) in &placed {
            assert!(*at >= 80.0);
            assert!(at + KEY_LINE + 6.0 + text_width(&k.name, VALUE_PX) <= WIDTH - 30.0);
        }
        assert!(placed.windows(2).all(|w| w[0].0 <= w[1].0));
        let (rows, _, last) = placed.last().unwrap();
        assert!(*rows > 0);
        assert_eq!(last.name, "and 6 more lines: hover a line for its name");
        assert_eq!(legend_height(&placed), (*rows + 1) as f64 * KEY_ROW + 8.0);
        assert_eq!(legend_height(&[]), 0.0);
    }

    #[test]
    fn values_above_a_ceiling_are_drawn_at_it_and_told_whole() {
        let points = [(1.0, 0.5, 0.4, 0.6), (2.0, 4.6, 3.9, 5.4)];
        let line = BandLine {
            name: "ratio",
            dash: "none",
            colour: "#000",
            points: &points,
            ceiling: Some(3.0),
            labelled: false,
            band: Band::Ci95,
        };
        let svg = band_chart("c", "Ratio", ("x", "ratio"), &[], &[line], &[]);
        // The axis ends at the ceiling, not at 5.4; the tooltip gives the figure.
        assert!(
            svg.contains(">3</text>") && !svg.contains(">6</text>"),
            "{svg}"
        );
        assert!(svg.contains(
            "ratio at 2.00: 4.60 [3.90 to 5.40] (beyond the axis, drawn at its top, 3.00)"
        ));
        assert!(svg.contains("ratio at 1.00: 0.500 [0.400 to 0.600]</title>"));
    }

    #[test]
    fn labels_of_marks_a_year_apart_go_on_rows_of_their_own() {
        let points = [
            (2025.0, 1.0, f64::NAN, f64::NAN),
            (2031.0, 2.0, f64::NAN, f64::NAN),
        ];
        let line = BandLine {
            name: "demand",
            dash: "none",
            colour: "#000",
            points: &points,
            ceiling: None,
            labelled: false,
            band: Band::Ci95,
        };
        let marks = [
            (2026.0, "dostyk_moyynty_second_track".to_string()),
            (2027.0, "bakhty_ayagoz_growth".to_string()),
            (2028.0, "darbaza_maktaaral".to_string()),
            (2031.0, "zhanaozen_road".to_string()),
        ];
        let svg = band_chart("c", "Demand", ("year", "TEU"), &[], &[line], &marks);
        assert_eq!(svg.matches(r#"class="tick mark""#).count(), 4);
        let label_y = |name: &str| -> (f64, String) {
            let at = svg.find(&format!(">{name}</text>")).unwrap();
            let open = svg[..at].rfind("<text ").unwrap();
            let attr = |k: &str| {
                let v = svg[open..].split(&format!(" {k}=\"")).nth(1).unwrap();
                v.split('"').next().unwrap().to_string()
            };
            (attr("y").parse().unwrap(), attr("text-anchor"))
        };
        // The first two would cover each other on one row: the second goes under it. The
        // third has room beside the first, right of the second's line.
        let (first, second, third) = (
            label_y("dostyk_moyynty_second_track"),
            label_y("bakhty_ayagoz_growth"),
            label_y("darbaza_maktaaral"),
        );
        assert!(second.0 > first.0, "{first:?} {second:?}");
        assert_eq!(third.0, first.0);
        // The last mark, at the plot's right end, has its label left of its line.
        assert_eq!(label_y("zhanaozen_road").1, "end");
        assert_eq!(first.1, "start");
    }

    #[test]
    fn triangles_of_two_lines_beyond_the_axis_at_one_x_stand_side_by_side_with_their_figures() {
        let red = [(3.0, 652.0, 640.0, 663.0), (4.0, 2.47, 2.4, 2.5)];
        let green = [(3.0, 1312.0, 1300.0, 1320.0), (4.0, 214.0, 204.0, 223.0)];
        let line = |name, colour, points| BandLine {
            name,
            dash: "none",
            colour,
            points,
            ceiling: Some(4.0),
            labelled: true,
            band: Band::Ci95,
        };
        let svg = band_chart(
            "c",
            "Wait",
            ("servers", "hours"),
            &[],
            &[line("a", "#c0392b", &red), line("b", "#2e7d32", &green)],
            &[],
        );
        // Three triangles: two at 3 servers, apart, and one at 4.
        let apexes: Vec<f64> = (svg.match_indices("<path d=\"M"))
            .filter(|(at, _)| {
                svg[*at..]
                    .split('>')
                    .next()
                    .unwrap()
                    .contains(r#"class="beyond""#)
            })
            .map(|(at, _)| {
                let d = svg[at + 9..].split('"').next().unwrap();
                d.split('L')
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(apexes.len(), 3, "{svg}");
        assert!((apexes[0] - apexes[1]).abs() >= 10.0, "{apexes:?}");
        // Each beyond figure is written, whole.
        for figure in ["652", "1,312", "214"] {
            assert!(
                svg.contains(&format!(">{figure}</text>")),
                "{figure} in {svg}"
            );
        }
    }
}
