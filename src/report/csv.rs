//! Tidy CSV: one row per element and metric, with every field of the summary.

use crate::stats::{metrics, Results};
use std::fmt::Write;

/// The results as CSV with the header
/// `section,id,metric,mean,sd,ci95_lo,ci95_hi,min,max`.
pub fn to_csv(r: &Results) -> String {
    let mut out = String::from("section,id,metric,mean,sd,ci95_lo,ci95_hi,min,max\n");
    for (section, id, metric, s) in metrics(r) {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            section,
            quote(id),
            metric,
            s.mean,
            s.sd,
            s.ci95_lo,
            s.ci95_hi,
            s.min,
            s.max
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
    use super::quote;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(quote("dostyk"), "dostyk");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
