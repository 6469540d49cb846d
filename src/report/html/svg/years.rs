//! Year ranges: when each element saturates, as a bar over the years forecast.

use super::*;

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
    let value_w = widest(texts.iter(), VALUE_PX);
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
