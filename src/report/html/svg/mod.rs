//! SVG drawn by hand: escaping, numbers for labels, colours and the layout the charts
//! share (rows, labels, axes); the charts themselves are in `bars` (bar charts with 95 %
//! intervals, forest plots), `lines` (line and band charts) and `years` (year ranges).
//! Every mark carries a `<title>` (the browser's tooltip), every chart a text label;
//! colours are chosen to read in greyscale too.

mod bars;
mod lines;
mod years;

use crate::report::table::{bracket, num, num_or_zero as figure};
use crate::stats::Stat;
pub(crate) use bars::{bar_chart, forest_chart, Bar, Estimate};
pub(crate) use lines::{band_chart, line_chart, Band, BandLine, Line};
use std::fmt::Write;
pub(crate) use years::{year_ranges, YearRange};

/// Escapes text for HTML and SVG content and attributes.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate, to a tenth of a pixel.
pub(crate) fn px(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A place's name as the charts show it: the part before any explanation in brackets
/// (`Dostyk` of `Dostyk (gauge change 1435/1520)`).
pub(crate) fn short(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name).trim()
}

/// An axis tick: as few digits as the step needs (`0`, `0.2`, `2.5`, `200,000`).
pub(crate) fn tick_label(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 1000.0 {
        return num(v);
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A figure across replications as a label: its mean and 95 % confidence interval,
/// `12.3 [11.9 to 12.8]`; a figure observed in one replication only has no interval, and
/// says so: `12.3 (n = 1)`.
pub(crate) fn stat_label(s: &Stat) -> String {
    match s.interval() {
        Some((lo, hi)) => format!("{} {}", figure(s.mean), bracket(&figure(lo), &figure(hi))),
        None => format!("{} (n = 1)", figure(s.mean)),
    }
}

/// A figure with its 95 % confidence interval, as a label: `12.3 [11.9 to 12.8]`, or the
/// figure alone when the interval is none or empty.
pub(crate) fn with_ci(mean: f64, lo: f64, hi: f64) -> String {
    if lo.is_finite() && hi.is_finite() && hi > lo {
        format!("{} {}", figure(mean), bracket(&figure(lo), &figure(hi)))
    } else {
        figure(mean)
    }
}

/// A figure that cannot be negative (TEU, hours, a share, a count) as a page shows it: the
/// lower end of its interval raised to 0 where the interval, symmetric about the mean,
/// runs below (the results keep the interval as computed).
pub(crate) fn at_least_zero(s: &Stat) -> Stat {
    Stat {
        ci95_lo: floor(s.ci95_lo, 0.0),
        ..*s
    }
}

/// `v` raised to `least` if below it (a `-0` to `0`); NaN, for none, stays NaN.
pub(crate) fn floor(v: f64, least: f64) -> f64 {
    if v.is_nan() || v > least {
        v
    } else {
        least
    }
}

/// The colour of a utilisation from 0 to 1 (and beyond, as 1): from pale yellow through
/// orange to dark red, darker as it grows, so that greyscale keeps the order.
pub(crate) fn heat(u: f64) -> String {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [255.0, 245.0, 200.0]),
        (0.5, [253.0, 190.0, 100.0]),
        (0.75, [240.0, 120.0, 50.0]),
        (0.9, [200.0, 40.0, 30.0]),
        (1.0, [110.0, 0.0, 20.0]),
    ];
    let u = if u.is_finite() {
        u.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let k = STOPS
        .iter()
        .position(|s| s.0 >= u)
        .unwrap_or(STOPS.len() - 1);
    let (a, b) = if k == 0 {
        (STOPS[0], STOPS[0])
    } else {
        (STOPS[k - 1], STOPS[k])
    };
    let t = if b.0 > a.0 {
        (u - a.0) / (b.0 - a.0)
    } else {
        0.0
    };
    let c: Vec<u8> = (0..3)
        .map(|i| (a.1[i] + t * (b.1[i] - a.1[i])).round() as u8)
        .collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The colour and dashes of line `k` of a chart of several lines of equal rank (a sweep's,
/// one per value of its other parameters): six colours and four dashes, turning together,
/// so that no two of twelve lines look alike and neighbours differ in greyscale too.
pub(crate) fn series_style(k: usize) -> (&'static str, &'static str) {
    const COLOURS: [&str; 6] = [
        "#1f3a93", "#c0392b", "#2e7d32", "#e08a00", "#6a3d9a", "#444444",
    ];
    const DASHES: [&str; 4] = ["none", "6 3", "2 3", "8 3 2 3"];
    (COLOURS[k % COLOURS.len()], DASHES[k % DASHES.len()])
}

/// Width of a chart, px (the page scales it down on narrow screens).
pub(crate) const WIDTH: f64 = 900.0;
/// Narrowest label column of a chart with labelled rows, px.
const LABEL_MIN: f64 = 160.0;
/// Widest label column of a chart with labelled rows, px: longer labels are cut short, whole
/// in their tooltip.
const LABEL_MAX: f64 = 400.0;
/// Space between a row's label and the plot, px.
const LABEL_GAP: f64 = 8.0;
/// Height of one bar's row, px.
const ROW_H: f64 = 22.0;
/// Size of the figures written in a chart (`.value`, `.label`), px.
const VALUE_PX: f64 = 14.0;
/// Size of ticks and units (`.tick`, `.unit`), px.
const TICK_PX: f64 = 13.0;
/// Space between a chart's columns of text, and between a column and the plot, px.
const GAP: f64 = 14.0;
/// Heading of the column of 95th percentiles in a bar chart.
const MARK_HEAD: &str = "95th percentile";

/// Width of `text` written at `size` px in the page's sans-serif font, px: estimated from
/// Arial's glyph widths (close to Helvetica's, Liberation Sans' and Segoe UI's), rounded up
/// and with room for the wider DejaVu Sans some systems fall back on, for laying out
/// columns of text in a chart.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '\'' | '|' => 0.23,
            ' ' | '.' | ',' | ':' | ';' | '!' | 'f' | 't' | 'I' | '[' | ']' | '(' | ')' | '/'
            | '·' => 0.28,
            'r' | '-' => 0.34,
            'w' => 0.73,
            'm' | 'M' => 0.84,
            '%' | 'W' | '—' => 1.0,
            'A'..='Z' => 0.78,
            _ => 0.56,
        })
        .sum();
    em * size * 1.1
}

/// The label column of a chart whose rows are labelled `labels`: as wide as the widest
/// label, within [`LABEL_MIN`] and [`LABEL_MAX`] (beyond it, [`fit_label`] cuts labels).
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    (widest(labels, VALUE_PX) + 2.0 * LABEL_GAP).clamp(LABEL_MIN, LABEL_MAX)
}

/// The width of the widest of `texts` at `size` px, 0 for none: a column's width.
fn widest<S: AsRef<str>>(texts: impl Iterator<Item = S>, size: f64) -> f64 {
    texts
        .map(|t| text_width(t.as_ref(), size))
        .fold(0.0, f64::max)
}

/// `label` cut to fit `width` px, its end replaced by an ellipsis; `None` when it fits whole.
fn fit_label(label: &str, width: f64) -> Option<String> {
    if text_width(label, VALUE_PX) <= width {
        return None;
    }
    let mut cut: String = label.to_string();
    while !cut.is_empty() && text_width(&format!("{cut}…"), VALUE_PX) > width {
        cut.pop();
    }
    Some(format!("{}…", cut.trim_end()))
}

/// Opens a row of a chart: a group with the row's tooltip `title`, and its `label` right-
/// aligned left of the plot, which starts at `label_w`, its baseline at `y`; a label too
/// long for the column is cut short, whole in a tooltip of its own. The caller closes the
/// group.
fn open_row(s: &mut String, (title, label): (&str, &str), (label_w, y): (f64, f64)) {
    let text = match fit_label(label, label_w - 2.0 * LABEL_GAP) {
        Some(cut) => format!("{}<title>{}</title>", esc(&cut), esc(label)),
        None => esc(label),
    };
    let _ = write!(
        s,
        r#"<g><title>{title}</title><text x="{lx}" y="{ty}" class="label" text-anchor="end">{text}</text>"#,
        title = esc(title),
        lx = px(label_w - LABEL_GAP),
        ty = px(y)
    );
}

/// Opens a chart's `<svg>` of `height` px, named `id` and labelled `caption`.
fn open_chart(s: &mut String, id: &str, caption: &str, height: f64) {
    let _ = write!(
        s,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t"><title id="{id}-t">{cap}</title>"#,
        id = esc(id),
        w = px(WIDTH),
        h = px(height),
        cap = esc(caption)
    );
}

/// Vertical gridlines at every `step` from 0 to `end` (placed by `x`), from `y0` to `y1`,
/// each labelled at `label_y`.
fn vertical_grid(
    s: &mut String,
    x: &dyn Fn(f64) -> f64,
    (step, end): (f64, f64),
    (y0, y1, label_y): (f64, f64, f64),
) {
    let mut v = 0.0;
    while v <= end * (1.0 + 1e-9) {
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#ddd"/><text x="{x}" y="{ty}" class="tick" text-anchor="middle">{label}</text>"##,
            x = px(x(v)),
            y0 = px(y0),
            y1 = px(y1),
            ty = px(label_y),
            label = esc(&tick_label(v))
        );
        v += step;
    }
}

/// Horizontal gridlines at every `step` from 0 to `end` (placed by `y`) across the plot,
/// labelled at its left, and the axes' titles: `x_unit` under the plot, `y_unit` up its left
/// side. `frame` is the plot's margins and the chart's height: left, right, top, bottom,
/// height.
fn y_axis(
    s: &mut String,
    y: &dyn Fn(f64) -> f64,
    (step, end): (f64, f64),
    (x_unit, y_unit): (&str, &str),
    [left, right, top, bottom, height]: [f64; 5],
) {
    let mut v = 0.0;
    while v <= end * (1.0 + 1e-9) {
        let _ = write!(
            s,
            r##"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="#ddd"/><text x="{tx}" y="{ty}" class="tick" text-anchor="end">{label}</text>"##,
            x0 = px(left),
            x1 = px(WIDTH - right),
            y = px(y(v)),
            tx = px(left - 6.0),
            ty = px(y(v) + 4.0),
            label = esc(&tick_label(v))
        );
        v += step;
    }
    let _ = write!(
        s,
        r#"<text x="{xm}" y="{xy}" class="unit" text-anchor="middle">{xu}</text><text x="14" y="{ym}" class="unit" transform="rotate(-90 14 {ym})" text-anchor="middle">{yu}</text>"#,
        xm = px(left + (WIDTH - left - right) / 2.0),
        xy = px(height - 6.0),
        xu = esc(x_unit),
        ym = px(top + (height - top - bottom) / 2.0),
        yu = esc(y_unit)
    );
}

/// Where an axis over 0..`max` ends: the round number [`ticks`] ends it at.
pub(crate) fn axis_end(max: f64) -> f64 {
    ticks(max).1
}

/// A round step for axis ticks over 0..`max`, and the axis end (a multiple of the step at
/// or above `max`; 1 for an empty range).
fn ticks(max: f64) -> (f64, f64) {
    if !(max.is_finite() && max > 0.0) {
        return (0.25, 1.0);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|k| k * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (step, (max / step).ceil().max(1.0) * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_markup() {
        assert_eq!(esc(r#"a<b & "c"'"#), "a&lt;b &amp; &quot;c&quot;&#39;");
    }

    #[test]
    fn ticks_and_names_are_written_short() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(0.2), "0.2");
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(200_000.0), "200,000");
        assert_eq!(short("Dostyk (gauge change 1435/1520)"), "Dostyk");
        assert_eq!(short("Poti port"), "Poti port");
    }

    #[test]
    fn axes_end_on_a_round_number_at_or_above_the_largest_figure() {
        assert_eq!(ticks(0.93), (0.2, 1.0));
        assert_eq!(ticks(837_000.0), (200_000.0, 1_000_000.0));
        assert_eq!(ticks(0.0), (0.25, 1.0));
    }

    /// The x of each `<text ...>` of `class` in `svg`, with its text.
    fn texts(svg: &str, class: &str) -> Vec<(f64, String)> {
        let tag = format!(r#"class="{class}">"#);
        svg.match_indices(&tag)
            .map(|(at, _)| {
                let open = svg[..at].rfind("<text x=\"").unwrap() + "<text x=\"".len();
                let x = svg[open..].split('"').next().unwrap().parse().unwrap();
                let rest = &svg[at + tag.len()..];
                (x, rest[..rest.find("</text>").unwrap()].to_string())
            })
            .collect()
    }

    /// The x of each triangle (95th percentile) in `svg`.
    fn triangles(svg: &str) -> Vec<f64> {
        svg.split("<path d=\"M")
            .skip(1)
            .filter(|p| p.split('>').next().unwrap().contains(r#"class="mark""#))
            .map(|p| p.split(' ').next().unwrap().parse().unwrap())
            .collect()
    }

    fn bar(label: &str, (mean, lo, hi): (f64, f64, f64), mark: Option<f64>) -> Bar {
        Bar {
            label: label.into(),
            mean,
            lo,
            hi,
            mark,
            fill: "#ccc".into(),
            title: label.into(),
        }
    }

    #[test]
    fn the_figures_of_bars_with_triangles_stand_in_columns_apart_from_the_triangles() {
        // Dostyk's wait: a mean of 7.63 h, its 95th percentile at 32 h, the longest.
        let bars = [
            bar("Dostyk", (7.63, 6.62, 8.64), Some(32.0)),
            bar("Altynkol", (1.52, 1.2, 1.84), Some(6.2)),
            bar("Kuryk", (0.001, 0.0, 0.003), Some(0.0)),
        ];
        let svg = bar_chart("waits", "Hours queued", "hours", &bars);
        let means = texts(&svg, "value");
        assert_eq!(
            means.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(),
            [
                "7.63 [6.62 to 8.64]",
                "1.52 [1.20 to 1.84]",
                "0.001 [0 to 0.003]"
            ]
        );
        let p95 = texts(&svg, "value p95");
        assert_eq!(
            p95.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(),
            ["32.0", "6.20", "0.000"]
        );
        // Each column at one x: the percentiles' right of every triangle, the means' right
        // of the percentiles', past the widest of them; both within the chart.
        let right_of_triangles = triangles(&svg).into_iter().fold(0.0, f64::max) + 4.0;
        assert!(p95
            .iter()
            .all(|p| p.0 == p95[0].0 && p.0 > right_of_triangles + 4.0));
        let widest = p95
            .iter()
            .map(|p| text_width(&p.1, VALUE_PX))
            .fold(0.0, f64::max);
        assert!(means
            .iter()
            .all(|m| m.0 == means[0].0 && m.0 > p95[0].0 + widest));
        assert!(means[0].0 + text_width(&means[0].1, VALUE_PX) <= WIDTH);
        // The columns are headed, the triangle drawn beside its heading.
        assert!(svg.contains(">95th percentile</text>") && svg.contains(">mean [95 % CI]</text>"));
    }

    #[test]
    fn bars_without_triangles_have_their_figure_past_the_whisker() {
        let bars = [
            bar("a", (10.0, 8.0, 12.0), None),
            bar("b", (2.0, 1.0, 3.0), None),
        ];
        let svg = bar_chart("teu", "TEU", "TEU a year", &bars);
        let values = texts(&svg, "value");
        assert!(values[0].0 > values[1].0, "{values:?}");
        assert!(!svg.contains("95th percentile"));
        assert!(values[0].0 + text_width(&values[0].1, VALUE_PX) <= WIDTH);
    }

    fn estimate(label: &str) -> Estimate {
        Estimate {
            label: label.into(),
            mean: -51.4,
            lo: -55.5,
            hi: -47.3,
            strong: true,
            title: format!("{label}: base 100, variant 48.6"),
        }
    }

    /// Each row label of `svg`: the x its end is anchored at, what it shows, and the tooltip
    /// of its own, if any (unescaped).
    fn labels(svg: &str) -> Vec<(f64, String, Option<String>)> {
        let plain = |t: &str| t.replace("&gt;", ">").replace("&amp;", "&");
        texts(svg, "label\" text-anchor=\"end")
            .into_iter()
            .map(|(x, text)| match text.split_once("<title>") {
                Some((shown, title)) => {
                    (x, plain(shown), Some(plain(&title.replace("</title>", ""))))
                }
                None => (x, plain(&text), None),
            })
            .collect()
    }

    #[test]
    fn a_change_past_the_ceiling_is_drawn_at_the_axis_end_with_its_figure_as_it_is() {
        let far = Estimate {
            mean: 622.0,
            lo: 366.0,
            hi: 877.0,
            ..estimate("flow semey-china stock wait h")
        };
        let rows = [estimate("crossing dostyk-rail wait h mean"), far];
        let svg = forest_chart("forest", "Differences", "per cent", &rows, Some(300.0));
        let ticks: Vec<String> = texts(&svg, "tick\" text-anchor=\"middle")
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(ticks.last().map(String::as_str), Some("300"), "{ticks:?}");
        assert_eq!(svg.matches("class=\"beyond\"").count(), 1, "{svg}");
        let values: Vec<String> = texts(&svg, "value").into_iter().map(|t| t.1).collect();
        assert_eq!(values[1], "+622 [+366 to +877]");
        // Without a ceiling, the axis reaches the far end.
        let svg = forest_chart("forest", "Differences", "per cent", &rows, None);
        assert!(!svg.contains("class=\"beyond\""));
    }

    #[test]
    fn long_labels_widen_their_column_and_the_longest_are_cut_with_a_tooltip() {
        // Ended at x = 282, this label ran off the chart's left edge.
        let long = "flows other-eastbound-dostyk delivered_teu_per_year";
        let svg = forest_chart("forest", "Differences", "per cent", &[estimate(long)], None);
        let (x, shown, own) = &labels(&svg)[0];
        assert_eq!((shown.as_str(), own), (long, &None));
        assert!(*x - text_width(long, VALUE_PX) >= 0.0, "{x}");
        assert!(*x > 282.0);
        // Beyond the widest column, a label is cut short and whole in its tooltip.
        let longer = format!(
            "flows {} route_share:{}",
            "a".repeat(30),
            ["dostyk"; 12].join(">")
        );
        let svg = forest_chart(
            "forest",
            "Differences",
            "per cent",
            &[estimate(&longer)],
            None,
        );
        let (x, shown, own) = &labels(&svg)[0];
        assert!(shown.ends_with('…') && longer.starts_with(shown.trim_end_matches('…')));
        assert_eq!(own.as_deref(), Some(longer.as_str()));
        assert!(*x - text_width(shown, VALUE_PX) >= 0.0, "{x}");
        assert!(*x <= LABEL_MAX);
        // Short labels leave the plot the room.
        let bars = [bar("replication 0", (1.05, f64::NAN, f64::NAN), None)];
        let (x, _, own) = &labels(&bar_chart("r", "Replications", "multiplier", &bars))[0];
        assert_eq!((*x, own), (LABEL_MIN - LABEL_GAP, &None));
    }

    #[test]
    fn a_figure_that_cannot_be_negative_is_shown_from_zero() {
        let s = Stat {
            mean: 0.001,
            ci95_lo: -0.0004,
            ci95_hi: 0.003,
            observed: 5,
            ..Stat::default()
        };
        let shown = at_least_zero(&s);
        assert_eq!(
            with_ci(shown.mean, shown.ci95_lo, shown.ci95_hi),
            "0.001 [0 to 0.003]"
        );
        assert_eq!(num(floor(-0.0, 0.0)), "0.000");
        assert!(floor(f64::NAN, 0.0).is_nan());
        assert_eq!(floor(-122.0, -100.0), -100.0);
        assert_eq!(floor(-77.4, -100.0), -77.4);
    }

    #[test]
    fn text_is_measured_wider_for_wide_letters() {
        assert!(text_width("mmm", 12.0) > text_width("iii", 12.0) * 3.0);
        assert_eq!(text_width("", 12.0), 0.0);
        // Digits are as wide as each other, as in the fonts the page asks for.
        assert_eq!(text_width("0.000", 12.0), text_width("8.888", 12.0));
    }

    #[test]
    fn busier_is_darker() {
        let luminance = |c: &str| {
            let v: Vec<f64> = (0..3)
                .map(|i| f64::from(u8::from_str_radix(&c[1 + 2 * i..3 + 2 * i], 16).unwrap()))
                .collect();
            0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]
        };
        let shades: Vec<f64> = [0.0, 0.3, 0.6, 0.8, 0.95, 1.2]
            .iter()
            .map(|&u| luminance(&heat(u)))
            .collect();
        assert!(shades.windows(2).all(|w| w[0] > w[1]), "{shades:?}");
    }
}
