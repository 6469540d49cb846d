//! SVG drawn by hand: escaping, numbers for labels, and the two charts the reports use, a
//! horizontal bar chart with 95 % confidence intervals and a line chart. Every mark carries
//! a `<title>` (the browser's tooltip), every chart a text label; colours are chosen to
//! read in greyscale too.

use crate::report::table::num;
use crate::stats::Stat;
use std::fmt::Write;

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
fn tick_label(v: f64) -> String {
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
/// `12.3 [11.9, 12.8]`; a figure observed in one replication only has no interval, and
/// says so: `12.3 (n = 1)`.
pub(crate) fn stat_label(s: &Stat) -> String {
    match s.interval() {
        Some((lo, hi)) => format!("{} [{}, {}]", num(s.mean), num(lo), num(hi)),
        None => format!("{} (n = 1)", num(s.mean)),
    }
}

/// A figure with its 95 % confidence interval, as a label: `12.3 [11.9, 12.8]`, or the
/// figure alone when the interval is none or empty.
pub(crate) fn with_ci(mean: f64, lo: f64, hi: f64) -> String {
    if lo.is_finite() && hi.is_finite() && hi > lo {
        format!("{} [{}, {}]", num(mean), num(lo), num(hi))
    } else {
        num(mean)
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

/// One bar of a bar chart: its label, the figure and its 95 % interval, and a tooltip.
pub(crate) struct Bar {
    /// The label left of the bar.
    pub(crate) label: String,
    /// The figure.
    pub(crate) mean: f64,
    /// The interval's ends (NaN: none).
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// The figure's 95th percentile, if the chart shows it: a triangle over the bar, its
    /// value in a column of its own.
    pub(crate) mark: Option<f64>,
    /// Fill colour.
    pub(crate) fill: String,
    /// The tooltip.
    pub(crate) title: String,
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
const VALUE_PX: f64 = 12.0;
/// Size of ticks and units (`.tick`, `.unit`), px.
const TICK_PX: f64 = 11.0;
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
    let widest = labels.map(|l| text_width(l, VALUE_PX)).fold(0.0, f64::max);
    (widest + 2.0 * LABEL_GAP).clamp(LABEL_MIN, LABEL_MAX)
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

/// A horizontal bar chart with a whisker for each bar's 95 % interval, an axis of
/// `unit` from 0, and each bar's figure written beside it. Where bars carry a 95th
/// percentile (a triangle over the bar), the figures stand instead in two headed columns
/// right of the plot, the percentiles' first (next to the triangles), then the bars' means
/// with their intervals, so that no figure is read as the triangle's. `id` names the chart
/// for tests and links; `caption` says what it shows.
pub(crate) fn bar_chart(id: &str, caption: &str, unit: &str, bars: &[Bar]) -> String {
    let top = 28.0;
    let height = top + ROW_H * bars.len() as f64 + 30.0;
    let label_w = label_width(bars.iter().map(|b| b.label.as_str()));
    let values: Vec<String> = bars.iter().map(|b| with_ci(b.mean, b.lo, b.hi)).collect();
    let marks: Vec<Option<f64>> = bars
        .iter()
        .map(|b| b.mark.filter(|m| m.is_finite()))
        .collect();
    let widest = |texts: &mut dyn Iterator<Item = String>, size: f64| {
        texts.map(|t| text_width(&t, size)).fold(0.0, f64::max)
    };
    let value_w = widest(&mut values.iter().cloned(), VALUE_PX);
    // The columns right of the plot: with marks, the marks' and the means' (each at least
    // as wide as its heading, a swatch before it); without, room for the figure past the
    // longest bar.
    let value_head = if bars
        .iter()
        .any(|b| b.lo.is_finite() && b.hi.is_finite() && b.hi > b.lo)
    {
        "mean [95 % CI]"
    } else {
        "mean"
    };
    let columns = marks.iter().any(Option::is_some).then(|| {
        let mark_w = widest(&mut marks.iter().flatten().map(|&m| num(m)), VALUE_PX)
            .max(text_width(MARK_HEAD, TICK_PX) + 14.0);
        let value_w = value_w.max(text_width(value_head, TICK_PX) + 16.0);
        (mark_w, value_w)
    });
    let plot_end = match columns {
        Some((mark_w, value_w)) => WIDTH - 4.0 - value_w - GAP - mark_w - GAP,
        None => WIDTH - 4.0 - value_w - 8.0,
    };
    let plot_w = plot_end - label_w;
    let max = bars
        .iter()
        .flat_map(|b| [b.mean, b.hi, b.mark.unwrap_or(0.0)])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let (step, end) = ticks(max);
    let x = |v: f64| label_w + (v / end).clamp(0.0, 1.0) * plot_w;
    let mut s = String::new();
    open_chart(&mut s, id, caption, height);
    vertical_grid(
        &mut s,
        &x,
        (step, end),
        (top - 6.0, height - 26.0, height - 10.0),
    );
    let _ = write!(
        s,
        r#"<text x="{x}" y="14" class="unit" text-anchor="end">{unit}</text>"#,
        x = px(plot_end),
        unit = esc(unit)
    );
    let (mark_x, value_x) = match columns {
        Some((mark_w, _)) => (plot_end + GAP, plot_end + GAP + mark_w + GAP),
        None => (f64::NAN, f64::NAN),
    };
    if columns.is_some() {
        let _ = write!(
            s,
            r##"<path d="M{tx} 14l4 -6h-8z" fill="#111"/><text x="{hx}" y="14" class="unit">{mh}</text><rect x="{vx}" y="6" width="10" height="8" fill="#ddd" stroke="#555" stroke-width="0.5"/><text x="{vhx}" y="14" class="unit">{vh}</text>"##,
            tx = px(mark_x + 4.0),
            hx = px(mark_x + 12.0),
            mh = esc(MARK_HEAD),
            vx = px(value_x),
            vhx = px(value_x + 14.0),
            vh = esc(value_head)
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + ROW_H * i as f64;
        let ty = px(y + ROW_H * 0.68);
        open_row(&mut s, (&b.title, &b.label), (label_w, y + ROW_H * 0.68));
        if b.mean.is_finite() {
            let _ = write!(
                s,
                r##"<rect x="{x0}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#555" stroke-width="0.5"/>"##,
                x0 = px(label_w),
                y = px(y + 4.0),
                w = px((x(b.mean) - label_w).max(0.5)),
                h = px(ROW_H - 8.0),
                fill = b.fill
            );
        }
        if b.lo.is_finite() && b.hi.is_finite() && b.hi > b.lo {
            let (x0, x1, ym) = (x(b.lo), x(b.hi), y + ROW_H / 2.0);
            let _ = write!(
                s,
                r##"<path d="M{x0} {ym}H{x1}M{x0} {ya}V{yb}M{x1} {ya}V{yb}" stroke="#111" stroke-width="1.5" fill="none" class="ci"/>"##,
                x0 = px(x0),
                x1 = px(x1),
                ym = px(ym),
                ya = px(ym - 5.0),
                yb = px(ym + 5.0)
            );
        }
        if let Some(m) = marks[i] {
            let _ = write!(
                s,
                r##"<path d="M{xm} {ya}V{yb}M{xm} {ya}l4 -6h-8z" stroke="#111" stroke-width="1.5" fill="#111" class="mark"/><text x="{tx}" y="{ty}" class="value p95">{v}</text>"##,
                xm = px(x(m)),
                ya = px(y + 3.0),
                yb = px(y + ROW_H - 3.0),
                tx = px(mark_x),
                v = esc(&num(m))
            );
        }
        let at = if columns.is_some() {
            value_x
        } else {
            let right = [b.mean, b.hi]
                .into_iter()
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max);
            x(right) + 8.0
        };
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" class="value">{v}</text></g>"#,
            x = px(at),
            v = esc(&values[i])
        );
    }
    s.push_str("</svg>");
    s
}

/// One row of a forest plot: a difference and its 95 % interval.
pub(crate) struct Estimate {
    /// The label left of the row.
    pub(crate) label: String,
    /// The difference.
    pub(crate) mean: f64,
    /// The interval's ends.
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// True when the difference is significant: drawn dark; else grey.
    pub(crate) strong: bool,
    /// The tooltip.
    pub(crate) title: String,
}

/// A forest plot: each row's difference as a square with its 95 % interval as a line,
/// around a line at zero, on an axis of `unit` from the lowest to the highest end (zero
/// always in); the difference written at the right.
pub(crate) fn forest_chart(id: &str, caption: &str, unit: &str, rows: &[Estimate]) -> String {
    let top = 28.0;
    let height = top + ROW_H * rows.len() as f64 + 30.0;
    let label_w = label_width(rows.iter().map(|r| r.label.as_str()));
    let texts: Vec<String> = rows
        .iter()
        .map(|r| signed_with_ci(r.mean, r.lo, r.hi))
        .collect();
    let value_w = texts
        .iter()
        .map(|t| text_width(t, VALUE_PX))
        .fold(0.0, f64::max);
    let plot_w = WIDTH - 4.0 - value_w - GAP - label_w;
    let values = rows
        .iter()
        .flat_map(|r| [r.mean, r.lo, r.hi])
        .filter(|v| v.is_finite());
    let (low, high) = values.fold((0.0, 0.0), |(lo, hi): (f64, f64), v| (lo.min(v), hi.max(v)));
    let (step, _) = ticks(high - low);
    let (start, end) = ((low / step).floor() * step, (high / step).ceil() * step);
    let span = (end - start).max(step);
    let x = |v: f64| label_w + (v - start) / span * plot_w;
    let mut s = String::new();
    open_chart(&mut s, id, caption, height);
    let mut v = start;
    while v <= end + step * 1e-9 {
        let zero = v.abs() < step * 1e-6;
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="{c}"/><text x="{x}" y="{ty}" class="tick" text-anchor="middle">{label}</text>"##,
            x = px(x(v)),
            y0 = px(top - 6.0),
            y1 = px(height - 26.0),
            c = if zero { "#333" } else { "#ddd" },
            ty = px(height - 10.0),
            label = esc(&tick_label(if zero { 0.0 } else { v }))
        );
        v += step;
    }
    let _ = write!(
        s,
        r#"<text x="{x}" y="14" class="unit" text-anchor="middle">{unit}</text>"#,
        x = px(label_w + plot_w / 2.0),
        unit = esc(unit)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + ROW_H * i as f64 + ROW_H / 2.0;
        let colour = if r.strong { "#111" } else { "#999" };
        open_row(&mut s, (&r.title, &r.label), (label_w, y + 4.0));
        if r.lo.is_finite() && r.hi.is_finite() {
            let _ = write!(
                s,
                r#"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{colour}" stroke-width="1.8" class="ci"/>"#,
                x0 = px(x(r.lo)),
                x1 = px(x(r.hi)),
                y = px(y)
            );
        }
        if r.mean.is_finite() {
            let _ = write!(
                s,
                r#"<rect x="{x}" y="{y}" width="8" height="8" fill="{colour}"/>"#,
                x = px(x(r.mean) - 4.0),
                y = px(y - 4.0)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" class="value">{v}</text></g>"#,
            x = px(label_w + plot_w + GAP),
            ty = px(y + 4.0),
            v = esc(&texts[i])
        );
    }
    s.push_str("</svg>");
    s
}

/// A difference with its interval, signed: `+3.2 [+1.1, +5.3]`.
fn signed_with_ci(mean: f64, lo: f64, hi: f64) -> String {
    let signed = |v: f64| {
        if v > 0.0 {
            format!("+{}", num(v))
        } else {
            num(v)
        }
    };
    if lo.is_finite() && hi.is_finite() {
        format!("{} [{}, {}]", signed(mean), signed(lo), signed(hi))
    } else {
        signed(mean)
    }
}

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
/// range `shade` (such as the warm-up), if any, is shaded and labelled `shade_label`.
pub(crate) fn line_chart(
    id: &str,
    caption: &str,
    (x_unit, y_unit): (&str, &str),
    series: &[Line<'_>],
    shade: Option<(f64, f64, &str)>,
) -> String {
    let (left, right, top, bottom) = (70.0, 30.0, 20.0, 40.0);
    let height = 300.0;
    let all = series.iter().flat_map(|l| l.points.iter());
    let x_max = all.clone().map(|p| p.0).fold(0.0, f64::max).max(1e-9);
    let y_max = all.map(|p| p.1).fold(0.0, f64::max);
    let (xs, xe) = ticks(x_max);
    let (ys, ye) = ticks(y_max);
    let x = |v: f64| left + v / xe * (WIDTH - left - right);
    let y = |v: f64| height - bottom - v / ye * (height - top - bottom);
    let mut s = String::new();
    open_chart(&mut s, id, caption, height);
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
        // Colours apart, and dashes apart for print in greyscale.
        const COLOURS: [&str; 3] = ["#1f3a93", "#c0392b", "#444444"];
        let colour = COLOURS[k % COLOURS.len()];
        let _ = write!(
            s,
            r##"<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-dasharray="{dash}" class="line"><title>{name}</title></path>"##,
            name = esc(name)
        );
        if series.len() > 1 {
            let lx = WIDTH - right - 220.0;
            let _ = write!(
                s,
                r##"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{tx}" y="{ty}" class="label">{name}</text>"##,
                x0 = px(lx),
                x1 = px(lx + 30.0),
                y = px(top + 10.0 + 16.0 * k as f64),
                tx = px(lx + 36.0),
                ty = px(top + 14.0 + 16.0 * k as f64),
                name = esc(name)
            );
        }
    }
    s.push_str("</svg>");
    s
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
}

/// A chart of lines with their interval bands over an x axis with the ticks `x_ticks`
/// (position, label) and spanning them, y from 0 in `y_unit`; a dashed vertical line at
/// each x of `marks`, labelled (projects opening, a value chosen).
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
        .flat_map(|l| l.points.iter().flat_map(|p| [p.1, p.3]))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let (ys, ye) = ticks(y_max);
    let x = |v: f64| left + (v - first) / span * (WIDTH - left - right);
    let y = |v: f64| height - bottom - v / ye * (height - top - bottom);
    let mut s = String::new();
    open_chart(&mut s, id, caption, height);
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
    for (k, l) in lines.iter().enumerate() {
        let legend = (left + 12.0, top + 26.0 + 16.0 * k as f64);
        draw_band_line(&mut s, l, (&x, &y), legend);
    }
    s.push_str("</svg>");
    s
}

/// Draws line `l` of a band chart, placed by `x` and `y`: its interval band where it has
/// one at two points or more, the line, a dot with a tooltip at each point, and its entry
/// in the legend at `(lx, ly)`.
fn draw_band_line(
    s: &mut String,
    l: &BandLine<'_>,
    (x, y): (&dyn Fn(f64) -> f64, &dyn Fn(f64) -> f64),
    (lx, ly): (f64, f64),
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
                px(y(p.3))
            );
        }
        for p in banded.iter().rev() {
            let _ = write!(d, "L{} {}", px(x(p.0)), px(y(p.2)));
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
            px(y(p.1))
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
        let _ = write!(
            s,
            r#"<circle cx="{cx}" cy="{cy}" r="2.5" fill="{c}"><title>{name} at {at}: {v}</title></circle>"#,
            cx = px(x(p.0)),
            cy = px(y(p.1)),
            c = l.colour,
            name = esc(l.name),
            at = esc(&crate::report::table::num(p.0)),
            v = esc(&with_ci(p.1, p.2, p.3))
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{c}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{tx}" y="{ty}" class="label">{name}</text>"##,
        x0 = px(lx),
        x1 = px(lx + 30.0),
        y = px(ly),
        c = l.colour,
        dash = l.dash,
        tx = px(lx + 36.0),
        ty = px(ly + 4.0),
        name = esc(l.name)
    );
}

/// One row of a chart of years: an element, the range of years from `from` to `to` (either
/// may be missing: not within the forecast), and a year marked inside it.
pub(crate) struct YearRange {
    /// The label left of the row.
    pub(crate) label: String,
    /// The range's first and last years, if within the forecast.
    pub(crate) from: Option<i32>,
    pub(crate) to: Option<i32>,
    /// The year marked, if within the forecast.
    pub(crate) mark: Option<i32>,
    /// The tooltip.
    pub(crate) title: String,
}

/// A chart of year ranges over the years `first..=last`: each row's range as a bar (open at
/// the right when it ends beyond `last`), its marked year as a diamond, and the years
/// written at the right (`2027 (10 %: 2026, 90 %: after 2031)`, a year not reached being
/// after `last`).
pub(crate) fn year_ranges(
    id: &str,
    caption: &str,
    (first, last): (i32, i32),
    rows: &[YearRange],
) -> String {
    let top = 28.0;
    let height = top + ROW_H * rows.len() as f64 + 30.0;
    let label_w = label_width(rows.iter().map(|r| r.label.as_str()));
    let fmt = |y: Option<i32>| y.map_or(format!("after {last}"), |y| y.to_string());
    let texts: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} (10 %: {}, 90 %: {})",
                fmt(r.mark),
                fmt(r.from),
                fmt(r.to)
            )
        })
        .collect();
    let value_w = texts
        .iter()
        .map(|t| text_width(t, VALUE_PX))
        .fold(0.0, f64::max);
    let plot_w = WIDTH - 4.0 - value_w - GAP - label_w;
    // Each year is a column; a range covers its years whole.
    let columns = f64::from(last - first + 1);
    let x = |year: f64| label_w + (year - f64::from(first)) / columns * plot_w;
    let mut s = String::new();
    open_chart(&mut s, id, caption, height);
    for year in first..=last {
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#ddd"/><text x="{tx}" y="{ty}" class="tick" text-anchor="middle">{year}</text>"##,
            x = px(x(f64::from(year))),
            y0 = px(top - 6.0),
            y1 = px(height - 26.0),
            tx = px(x(f64::from(year) + 0.5)),
            ty = px(height - 10.0)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + ROW_H * i as f64;
        open_row(&mut s, (&r.title, &r.label), (label_w, y + ROW_H * 0.68));
        if let Some(from) = r.from {
            let end = r.to.map_or(f64::from(last) + 1.0, |t| f64::from(t) + 1.0);
            let _ = write!(
                s,
                r##"<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#f0a868" stroke="#7a4a1a" stroke-width="0.8"{dash}/>"##,
                x0 = px(x(f64::from(from))),
                y0 = px(y + 6.0),
                w = px(x(end) - x(f64::from(from))),
                h = px(ROW_H - 12.0),
                dash = if r.to.is_none() {
                    r#" stroke-dasharray="4 2""#
                } else {
                    ""
                }
            );
        }
        if let Some(m) = r.mark {
            let (cx, cy) = (x(f64::from(m) + 0.5), y + ROW_H / 2.0);
            let _ = write!(
                s,
                r##"<path d="M{a} {cy}l6 -6l6 6l-6 6z" fill="#111"/>"##,
                a = px(cx - 6.0),
                cy = px(cy)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" class="value">{v}</text></g>"#,
            x = px(label_w + plot_w + GAP),
            ty = px(y + ROW_H * 0.68),
            v = esc(&texts[i])
        );
    }
    s.push_str("</svg>");
    s
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
                "7.63 [6.62, 8.64]",
                "1.52 [1.20, 1.84]",
                "0.001 [0.000, 0.003]"
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
    fn long_labels_widen_their_column_and_the_longest_are_cut_with_a_tooltip() {
        // Ended at x = 282, this label ran off the chart's left edge.
        let long = "flows other-eastbound-dostyk delivered_teu_per_year";
        let svg = forest_chart("forest", "Differences", "per cent", &[estimate(long)]);
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
        let svg = forest_chart("forest", "Differences", "per cent", &[estimate(&longer)]);
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
            "0.001 [0.000, 0.003]"
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
