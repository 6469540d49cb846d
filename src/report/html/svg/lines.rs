//! Line charts over a numeric axis: series of points, and series with a band of their
//! 95 % intervals.

use super::*;
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
    /// Values above this are drawn at it (ratios past saturation grow without bound); the
    /// tooltips give them whole. None: every value drawn where it is.
    pub(crate) ceiling: Option<f64>,
}

impl BandLine<'_> {
    /// Where value `v` is drawn: at most the line's ceiling.
    fn drawn(&self, v: f64) -> f64 {
        self.ceiling.map_or(v, |c| v.min(c))
    }
}

/// A chart of lines with their interval bands over an x axis with the ticks `x_ticks`
/// (position, label) and spanning them, y from 0 in `y_unit`; a dashed vertical line at
/// each x of `marks`, labelled (projects opening, a value chosen). The lines are named in
/// a legend under the plot, where no line crosses it.
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
    let keys: Vec<Key> = lines
        .iter()
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
    for (at, label) in marks {
        let xm = x(*at);
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#333" stroke-dasharray="3 3"/><text x="{tx}" y="{ty}" class="tick">{label}</text>"##,
            x = px(xm),
            y0 = px(top),
            y1 = px(height - bottom),
            tx = px(xm + 4.0),
            ty = px(top + 12.0),
            label = esc(label)
        );
    }
    for l in lines {
        draw_band_line(&mut s, l, (&x, &y));
    }
    draw_keys(&mut s, &placed, height);
    s.push_str("</svg>");
    s
}

/// Draws line `l` of a band chart, placed by `x` and `y`: its interval band where it has
/// one at two points or more, the line, and a dot with a tooltip at each point.
fn draw_band_line(
    s: &mut String,
    l: &BandLine<'_>,
    (x, y): (&dyn Fn(f64) -> f64, &dyn Fn(f64) -> f64),
) {
    let banded: Vec<&(f64, f64, f64, f64)> = l
        .points
        .iter()
        .filter(|p| p.2.is_finite() && p.3.is_finite())
        .collect();
    if banded.len() > 1 {
        let mut d = String::new();
        for (i, p) in banded.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                px(x(p.0)),
                px(y(l.drawn(p.3)))
            );
        }
        for p in banded.iter().rev() {
            let _ = write!(d, "L{} {}", px(x(p.0)), px(y(l.drawn(p.2))));
        }
        let _ = write!(
            s,
            r#"<path d="{d}Z" fill="{c}" fill-opacity="0.18" stroke="none" class="band"/>"#,
            c = l.colour
        );
    }
    let mut d = String::new();
    for (i, p) in l.points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { "L" },
            px(x(p.0)),
            px(y(l.drawn(p.1)))
        );
    }
    let _ = write!(
        s,
        r#"<path d="{d}" fill="none" stroke="{c}" stroke-width="2" stroke-dasharray="{dash}" class="line"><title>{name}</title></path>"#,
        c = l.colour,
        dash = l.dash,
        name = esc(l.name)
    );
    for p in l.points {
        let above = if l.drawn(p.1) < p.1 {
            format!(" (drawn at {})", crate::report::table::num(l.drawn(p.1)))
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r#"<circle cx="{cx}" cy="{cy}" r="2.5" fill="{c}"><title>{name} at {at}: {v}{above}</title></circle>"#,
            cx = px(x(p.0)),
            cy = px(y(l.drawn(p.1))),
            c = l.colour,
            name = esc(l.name),
            at = esc(&crate::report::table::num(p.0)),
            v = esc(&with_ci(p.1, p.2, p.3)),
            above = esc(&above)
        );
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
        };
        let svg = band_chart("c", "Ratio", ("x", "ratio"), &[], &[line], &[]);
        // The axis ends at the ceiling, not at 5.4; the tooltip gives the figure.
        assert!(
            svg.contains(">3</text>") && !svg.contains(">6</text>"),
            "{svg}"
        );
        assert!(svg.contains("ratio at 2.00: 4.60 [3.90 to 5.40] (drawn at 3.00)"));
        assert!(svg.contains("ratio at 1.00: 0.500 [0.400 to 0.600]</title>"));
    }
}
