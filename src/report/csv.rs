//! Tidy CSV: one row per element and metric, with every field of the summary.

use crate::stats::{metrics, Results, Stat};
use std::fmt::{self, Write};

/// Significant digits of the numbers in CSV: more than any figure corridor reports is
/// known to, and few enough to drop the rounding noise of sums and means (a mean of
/// `837533.0000000001` is written `837533`).
pub const CSV_DIGITS: usize = 12;

/// A number as CSV writes it: rounded to [`CSV_DIGITS`] significant digits and written in
/// the shortest decimal form that reads back as the rounded value, never with an exponent
/// (`0.1`, `0.00000025`, `1400000`); `NaN` and `inf` as Rust writes them, and zero as `0`.
#[derive(Debug, Clone, Copy)]
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x == 0.0 {
            return f.write_str("0");
        }
        if !x.is_finite() {
            return write!(f, "{x}");
        }
        let rounded: f64 = format!("{:.*e}", CSV_DIGITS - 1, x).parse().unwrap_or(x);
        write!(f, "{rounded}")
    }
}

/// The spread of a figure as three CSV fields, `sd,ci95_lo,ci95_hi`: left empty when one
/// replication only observed the figure, as one value has neither a spread nor an interval.
/// (The JSON holds numbers there, as its contract asks: `sd` 0 and both bounds the mean.)
#[derive(Debug, Clone, Copy)]
pub struct Spread<'a>(pub &'a Stat);

impl fmt::Display for Spread<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.interval() {
            Some((lo, hi)) => write!(f, "{},{},{}", Num(self.0.sd), Num(lo), Num(hi)),
            None => f.write_str(",,"),
        }
    }
}

/// The first line of a run's CSV: its columns.
pub const RESULTS_CSV_HEADER: &str = "section,id,metric,mean,sd,ci95_lo,ci95_hi,min,max";

/// The results as CSV with the header
/// `section,id,metric,mean,sd,ci95_lo,ci95_hi,min,max`. The `id` and `metric` fields are
/// quoted where they hold a comma or a quote ([`quote`]): a metric may carry ids
/// (`route_share:` the nodes of a route, `idle_wagons:` a node).
///
/// A figure observed in one replication only has `sd`, `ci95_lo` and `ci95_hi` empty
/// ([`Spread`]). An interrupted run's CSV begins with two rows of section `run` that say so: `partial`
/// (1) and `replications` (those finished and summarised), each in the `mean` column.
/// Then each overloaded flow ([`crate::stats::FlowSummary::overloaded`]) has a row
/// `flows,ID,overloaded,1`, before the figures.
pub fn to_csv(r: &Results) -> String {
    let mut out = format!("{RESULTS_CSV_HEADER}\n");
    if r.partial {
        let _ = writeln!(out, "run,run,partial,1,,,,,");
        let _ = writeln!(out, "run,run,replications,{},,,,,", r.replications);
    }
    for f in r.overloaded_flows() {
        let _ = writeln!(out, "flows,{},overloaded,1,,,,,", quote(&f.id));
    }
    for (section, id, metric, s) in metrics(r) {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            section,
            quote(id),
            quote(&metric),
            Num(s.mean),
            Spread(&s),
            Num(s.min),
            Num(s.max)
        );
    }
    out
}

/// Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180).
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{quote, Num};

    #[test]
    fn numbers_are_written_without_the_noise_of_rounding() {
        let shown = |x: f64| Num(x).to_string();
        assert_eq!(shown(837533.0000000001), "837533");
        assert_eq!(shown(0.1 + 0.2), "0.3");
        assert_eq!(shown(2.0 / 3.0), "0.666666666667");
        assert_eq!(shown(1.4e6), "1400000");
        assert_eq!(shown(-2.5e-7), "-0.00000025");
        assert_eq!(shown(-0.0), "0");
        assert_eq!(shown(f64::NAN), "NaN");
        assert_eq!(shown(123456789.1234567), "123456789.123");
        // Read back, a number differs from the figure by less than a part in 10^11.
        for x in [3.0_f64.sqrt(), 1e-300, 6.02214076e23, 97.52] {
            let back: f64 = shown(x).parse().unwrap();
            assert!(((back - x) / x).abs() < 1e-11, "{x}");
        }
    }

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(quote("dostyk"), "dostyk");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
