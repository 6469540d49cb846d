//! The parameters of a sweep: `--set PATH=VALUES` and `--demand VALUES`, where VALUES is a
//! comma list (`4,5,6`), an integer range `A..B` (both included), a range with a step
//! `A..B/STEP`, or a mix of these (`1,4..6`).

use super::{find_unquoted, split_path, Override, OverrideError, SCENARIO};
use crate::scenario::limits::MAX_SWEEP_POINTS;

/// Keys of `[scenario]` a sweep does not vary: every point runs the same seed and
/// replications (common random numbers), given by `--seed` and `--replications`.
const BATCH_KEYS: [&str; 2] = ["seed", "replications"];

/// One swept parameter: a path, and the override of each of its values, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    path: String,
    values: Vec<Override>,
}

impl Parameter {
    /// Reads `--set PATH=VALUES` of a sweep; each value is checked as in
    /// [`Override::parse`].
    pub fn set(arg: &str) -> Result<Parameter, OverrideError> {
        let err = |m: String| OverrideError::set(arg, m);
        let eq = find_unquoted(arg, '=').ok_or_else(|| {
            err("expected PATH=VALUES, such as crossing.post.stage.1.servers=4..6".into())
        })?;
        let path = arg[..eq].trim();
        let steps = split_path(path).map_err(err)?;
        if steps[0].name == SCENARIO {
            if let Some(k) = steps
                .get(1)
                .filter(|k| BATCH_KEYS.contains(&k.name.as_str()))
            {
                return Err(err(format!(
                    "every point of a sweep runs the same seed and replications (common random numbers); give --{} instead",
                    k.name
                )));
            }
        }
        let values = expand(&arg[eq + 1..]).map_err(err)?;
        let values = values
            .iter()
            .map(|v| Override::parse(&format!("{path}={v}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Parameter {
            path: path.to_string(),
            values,
        })
    }

    /// Reads `--demand VALUES`: multipliers of container demand, each above 0.
    pub fn demand(arg: &str) -> Result<Parameter, OverrideError> {
        let values = expand(arg).map_err(|message| OverrideError {
            option: "--demand",
            arg: arg.to_string(),
            message,
        })?;
        let values = values
            .iter()
            .map(|v| Override::demand(v))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Parameter {
            path: "demand".into(),
            values,
        })
    }

    /// The path, as written (`crossing.post.stage.1.servers`), or `demand`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The override of each value, in the order given.
    pub fn values(&self) -> &[Override] {
        &self.values
    }
}

/// The values of a VALUES list, each as TOML text, in the order given.
fn expand(list: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = list;
    loop {
        let end = find_top_level_comma(rest).unwrap_or(rest.len());
        let item = rest[..end].trim();
        if item.is_empty() {
            return Err("an empty value in the list; give values such as 4,5,6, a range 4..6 or 0.5..1.5/0.25".into());
        }
        match range(item)? {
            Some(values) => out.extend(values),
            None => out.push(item.to_string()),
        }
        if out.len() > MAX_SWEEP_POINTS {
            return Err(format!(
                "more than {MAX_SWEEP_POINTS} values; a sweep has at most {MAX_SWEEP_POINTS} points"
            ));
        }
        if end == rest.len() {
            return Ok(out);
        }
        rest = &rest[end + 1..];
    }
}

/// The first comma of `s` outside quotes, brackets and braces.
fn find_top_level_comma(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut start = 0;
    while let Some(i) = s[start..].find([',', '"', '\'', '[', ']', '{', '}']) {
        let at = start + i;
        let c = s[at..].chars().next().unwrap_or(',');
        match c {
            ',' if depth == 0 => return Some(at),
            '"' | '\'' => {
                start = at + closing(&s[at..], c).unwrap_or(s.len() - at);
                continue;
            }
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        start = at + c.len_utf8();
    }
    None
}

/// The length of the quoted string that `s` starts with (quote `q`), closing quote included.
fn closing(s: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        if q == '"' && escaped {
            escaped = false;
        } else if q == '"' && c == '\\' {
            escaped = true;
        } else if c == q {
            return Some(i + 1);
        }
    }
    None
}

/// The values of `A..B` (integers) or `A..B/STEP` (numbers), or `None` if `item` is not a
/// range.
fn range(item: &str) -> Result<Option<Vec<String>>, String> {
    if item.starts_with(['"', '\'', '[', '{']) {
        return Ok(None);
    }
    let Some((a, rest)) = item.split_once("..") else {
        return Ok(None);
    };
    let (b, step) = match rest.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (rest, None),
    };
    let (a, b) = (a.trim(), b.trim());
    let Some(step) = step.map(str::trim) else {
        let ints = a.parse::<i64>().ok().zip(b.parse::<i64>().ok());
        let (x, y) = ints.ok_or_else(|| format!("`{item}`: A..B takes whole numbers, such as 4..6; for other numbers give a step, such as 0.5..1.5/0.25"))?;
        if x > y {
            return Err(format!(
                "`{item}`: the first value must not be above the last"
            ));
        }
        // The difference of two i64 may exceed i64::MAX (-9e18..9e18), not u64::MAX.
        if y.abs_diff(x) >= MAX_SWEEP_POINTS as u64 {
            return Err(format!("`{item}`: more than {MAX_SWEEP_POINTS} values"));
        }
        return Ok(Some((x..=y).map(|v| v.to_string()).collect()));
    };
    let num = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    let (Some(x), Some(y), Some(d)) = (num(a), num(b), num(step)) else {
        return Err(format!(
            "`{item}`: expected A..B/STEP with numbers, such as 0.5..1.5/0.25"
        ));
    };
    if d <= 0.0 || x > y {
        return Err(format!(
            "`{item}`: the step must be above 0 and the first value not above the last"
        ));
    }
    let count = ((y - x) / d * (1.0 + 1e-12) + 1e-9).floor() + 1.0;
    if count > MAX_SWEEP_POINTS as f64 {
        return Err(format!("`{item}`: more than {MAX_SWEEP_POINTS} values"));
    }
    let whole = [a, b, step].iter().all(|s| s.parse::<i64>().is_ok());
    let decimals = [a, b, step].iter().map(|s| decimals(s)).max().flatten();
    let values = (0..count as usize).map(|k| {
        let v = x + k as f64 * d;
        match decimals {
            _ if whole => format!("{}", v as i64),
            Some(n) => format!("{v:.n$}"),
            None => format!("{v}"),
        }
    });
    Ok(Some(values.collect()))
}

/// The digits after the decimal point of a number as written; `None` with an exponent.
fn decimals(s: &str) -> Option<usize> {
    if s.contains(['e', 'E']) {
        return None;
    }
    Some(s.split_once('.').map_or(0, |(_, f)| f.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &Parameter) -> Vec<&str> {
        p.values().iter().map(Override::value_text).collect()
    }

    #[test]
    fn values_are_lists_ranges_and_ranges_with_a_step() {
        let p = Parameter::set("crossing.post.stage.1.servers=4..6").unwrap();
        assert_eq!(texts(&p), ["4", "5", "6"]);
        assert_eq!(p.path(), "crossing.post.stage.1.servers");
        let p = Parameter::set("flow.f.growth_per_year=0..0.1/0.025").unwrap();
        assert_eq!(texts(&p), ["0.000", "0.025", "0.050", "0.075", "0.100"]);
        let p = Parameter::set("rail.r.tracks=1,2").unwrap();
        assert_eq!(texts(&p), ["1", "2"]);
        let p = Parameter::set("x.y.z=2..10/4").unwrap_err();
        assert!(p.to_string().contains("not a table"), "{p}");
        let p = Parameter::demand("0.5..1.5/0.5,3").unwrap();
        assert_eq!(texts(&p), ["0.5", "1.0", "1.5", "3"]);
    }

    #[test]
    fn commas_inside_strings_and_tables_do_not_split_values() {
        let p = Parameter::set(
            "crossing.p.stage.1.service_h={ dist = \"exp\", mean = 0.5 },{ dist = \"tri\", min = 1, mode = 2, max = 3 }",
        )
        .unwrap();
        assert_eq!(p.values().len(), 2);
        let p = Parameter::set("scenario.name=\"a, b\",\"c\"").unwrap();
        assert_eq!(texts(&p), ["\"a, b\"", "\"c\""]);
    }

    #[test]
    fn bad_values_and_batch_keys_are_refused() {
        let msg = |a: &str| Parameter::set(a).unwrap_err().to_string();
        assert!(msg("rail.r.speed_kmh=0.5..1.5").contains("whole numbers"));
        assert!(msg("rail.r.speed_kmh=6..4").contains("not be above"));
        assert!(msg("rail.r.speed_kmh=1..2/0").contains("step must be above 0"));
        assert!(msg("rail.r.speed_kmh=1,,2").contains("empty value"));
        assert!(msg("rail.r.speed_kmh=0..100000").contains("more than 1000"));
        assert!(msg("scenario.seed=1,2").contains("--seed"));
        let d = Parameter::demand("0,1").unwrap_err().to_string();
        assert!(d.starts_with("--demand 0:"), "{d}");
    }

    #[test]
    fn a_range_of_whole_numbers_wider_than_an_i64_holds_is_refused_as_too_many_values() {
        let servers =
            |values: &str| Parameter::set(&format!("crossing.post.stage.1.servers={values}"));
        for wide in [
            "-9000000000000000000..9000000000000000000",
            "-9223372036854775808..9223372036854775807",
        ] {
            let msg = servers(wide).unwrap_err().to_string();
            assert!(
                msg.contains(&format!("`{wide}`: more than 1000 values")),
                "{msg}"
            );
        }
        // The ends of the i64 range, and the most values accepted.
        let top = servers("9223372036854775806..9223372036854775807").unwrap();
        assert_eq!(texts(&top), ["9223372036854775806", "9223372036854775807"]);
        assert_eq!(servers("-500..499").unwrap().values().len(), 1000);
        assert!(servers("-500..500").is_err());
    }
}
