//! Horizontal bar charts: figures with their 95 % intervals (and 95th percentiles), and
//! forest plots of paired differences.

use super::*;

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
    let value_w = widest(values.iter(), VALUE_PX);
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
        let mark_w = widest(marks.iter().flatten().map(|&m| num(m)), VALUE_PX)
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
/// always in), or to `ceiling` where given and passed: what lies beyond is drawn at the
/// axis's end, with an arrow; the difference written at the right as it is.
pub(crate) fn forest_chart(
    id: &str,
    caption: &str,
    unit: &str,
    rows: &[Estimate],
    ceiling: Option<f64>,
) -> String {
    let top = 28.0;
    let height = top + ROW_H * rows.len() as f64 + 30.0;
    let label_w = label_width(rows.iter().map(|r| r.label.as_str()));
    let texts: Vec<String> = rows
        .iter()
        .map(|r| signed_with_ci(r.mean, r.lo, r.hi))
        .collect();
    let value_w = widest(texts.iter(), VALUE_PX);
    let plot_w = WIDTH - 4.0 - value_w - GAP - label_w;
    let values = rows
        .iter()
        .flat_map(|r| [r.mean, r.lo, r.hi])
        .filter(|v| v.is_finite());
    let (low, high) = values.fold((0.0, 0.0), |(lo, hi): (f64, f64), v| (lo.min(v), hi.max(v)));
    let high = ceiling.map_or(high, |c| high.min(c));
    let (step, _) = ticks(high - low);
    let (start, end) = ((low / step).floor() * step, (high / step).ceil() * step);
    let span = (end - start).max(step);
    let x = |v: f64| label_w + (v.min(end) - start) / span * plot_w;
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
        if r.hi > end || (r.mean > end && !r.hi.is_finite()) {
            // Beyond the axis: an arrow at its end.
            let _ = write!(
                s,
                r#"<path d="M{x} {y0}l7 4l-7 4z" fill="{colour}" class="beyond"/>"#,
                x = px(x(end) + 2.0),
                y0 = px(y - 4.0)
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

/// A difference with its interval, signed: `+3.2 [+1.1 to +5.3]`.
fn signed_with_ci(mean: f64, lo: f64, hi: f64) -> String {
    let signed = |v: f64| {
        if v > 0.0 {
            format!("+{}", num(v))
        } else {
            num(v)
        }
    };
    if lo.is_finite() && hi.is_finite() {
        format!("{} {}", signed(mean), bracket(&signed(lo), &signed(hi)))
    } else {
        signed(mean)
    }
}
