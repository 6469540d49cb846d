//! Reports of a comparison: the JSON document (the base's results, and per variant its
//! results and the tree of paired differences), a table of what changed, and tidy CSV.

use crate::report::csv_quote;
use crate::stats::paired::MetricDifference;
use crate::study::compare::Comparison;
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// The compare results schema.
pub const COMPARE_SCHEMA: &str = "corridor.compare/1";

/// The differences as a tree shaped like the results: `network`, then lists of elements by
/// id with their metrics nested (`transit_h.mean` → `{"transit_h": {"mean": ...}}`); route
/// shares under `route_share`, keyed by the route's nodes joined by `>`.
pub fn difference_tree(diffs: &[MetricDifference]) -> Value {
    let mut tree = Map::new();
    tree.insert("network".into(), Value::Object(Map::new()));
    for s in ["flows", "crossings", "links", "ferries"] {
        tree.insert(s.into(), Value::Array(Vec::new()));
    }
    for d in diffs {
        let value = serde_json::to_value(d.difference).unwrap_or(Value::Null);
        let target: &mut Map<String, Value> = if d.section == "network" {
            match tree.get_mut("network") {
                Some(Value::Object(m)) => m,
                _ => continue,
            }
        } else {
            let Some(Value::Array(list)) = tree.get_mut(d.section) else {
                continue;
            };
            let pos = list.iter().position(|e| e["id"] == d.id.as_str());
            let pos = pos.unwrap_or_else(|| {
                list.push(json!({ "id": d.id }));
                list.len() - 1
            });
            match &mut list[pos] {
                Value::Object(m) => m,
                _ => continue,
            }
        };
        if let Some(route) = d.metric.strip_prefix("route_share:") {
            let shares = target
                .entry("route_share")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = shares {
                m.insert(route.to_string(), value);
            }
            continue;
        }
        let mut node = target;
        let parts: Vec<&str> = d.metric.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            if i + 1 == parts.len() {
                node.insert((*part).to_string(), value.clone());
            } else {
                let next = node
                    .entry((*part).to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                match next {
                    Value::Object(m) => node = m,
                    _ => break,
                }
            }
        }
    }
    Value::Object(tree)
}

/// The comparison as the `corridor.compare/1` JSON document.
pub fn to_json(c: &Comparison) -> String {
    let (base_file, base, variants) = (&c.base_file, &c.base, &c.variants);
    let doc = json!({
        "schema": COMPARE_SCHEMA,
        "seed": base.seed,
        "replications": base.replications,
        "base": { "file": base_file, "results": base },
        "variants": variants.iter().map(|v| json!({
            "file": v.file,
            "results": v.results,
            "differences": difference_tree(&v.differences),
        })).collect::<Vec<_>>(),
    });
    super::pretty_json(&doc)
}

/// The comparison as tidy CSV: one row per variant and metric.
pub fn to_csv(c: &Comparison) -> String {
    let variants = &c.variants;
    let mut out = String::from(
        "variant,section,id,metric,base_mean,variant_mean,diff_mean,diff_sd,diff_ci95_lo,diff_ci95_hi,significant\n",
    );
    for v in variants {
        for d in &v.differences {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                csv_quote(&v.file),
                d.section,
                csv_quote(&d.id),
                csv_quote(&d.metric),
                d.base,
                d.variant,
                d.difference.stat.mean,
                d.difference.stat.sd,
                d.difference.stat.ci95_lo,
                d.difference.stat.ci95_hi,
                d.difference.significant
            );
        }
    }
    out
}

/// The comparison as a table: per variant, every figure whose paired difference is
/// significant, with its 95 % interval; the others are counted.
pub fn to_table(c: &Comparison) -> String {
    let (base_file, base, variants) = (&c.base_file, &c.base, &c.variants);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Base: {} ({})\n{} replications, seed {}; significant paired differences variant − base, mean [95 % CI]",
        base.scenario, base_file, base.replications, base.seed
    );
    for v in variants {
        let _ = writeln!(out, "\nVariant: {} ({})", v.results.scenario, v.file);
        let changed: Vec<&MetricDifference> = v
            .differences
            .iter()
            .filter(|d| d.difference.significant)
            .collect();
        let identical = v
            .differences
            .iter()
            .filter(|d| d.difference.stat.mean == 0.0 && d.difference.stat.sd == 0.0)
            .count();
        let mut rows: Vec<[String; 5]> = vec![[
            "element".into(),
            "metric".into(),
            "base".into(),
            "variant".into(),
            "difference".into(),
        ]];
        for d in &changed {
            rows.push([
                format!("{} {}", d.section, d.id),
                d.metric.clone(),
                fmt(d.base),
                fmt(d.variant),
                format!(
                    "{} [{}, {}]",
                    fmt(d.difference.stat.mean),
                    fmt(d.difference.stat.ci95_lo),
                    fmt(d.difference.stat.ci95_hi)
                ),
            ]);
        }
        if changed.is_empty() {
            rows.clear();
            let _ = writeln!(out, "  no significant difference");
        }
        super::table::columns(&mut out, rows.iter(), 2);
        let others = v.differences.len() - changed.len() - identical;
        let _ = writeln!(
            out,
            "  ({others} other figures differ, not significantly; {identical} are identical in every replication)"
        );
    }
    out
}

fn fmt(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}
