//! Distributions: a constant, or the table form `{ dist = "...", ... }` naming one with its
//! parameters.

use super::Checker;
use crate::random::{Dist, DistSpec, DIST_PARAMETERS};
use crate::scenario::diagnostic::hint;
use crate::scenario::raw::{RawDist, RawDistTable};
use crate::scenario::PathSeg;

impl Checker<'_> {
    /// Checks a distribution given at `path` and builds it; reports what is wrong otherwise.
    pub(super) fn dist(
        &mut self,
        path: &[PathSeg],
        elem: &str,
        key: &str,
        raw: &RawDist,
    ) -> Option<Dist> {
        let spec = match raw {
            RawDist::Const(v) => DistSpec::Const(*v),
            RawDist::Table(t) => match dist_spec(t) {
                Ok(s) => s,
                Err(e) => {
                    self.err(path, format!("{key} in {elem}: {e}"));
                    return None;
                }
            },
        };
        match Dist::new(&spec) {
            Ok(d) => Some(d),
            Err(e) => {
                let shown = match raw {
                    RawDist::Const(v) => format!("{key} = {v}"),
                    RawDist::Table(t) => format!("{key} (dist = \"{}\")", t.dist),
                };
                self.err(path, format!("{shown} in {elem}: {e}"));
                None
            }
        }
    }
}

/// The names `dist` accepts, quoted and listed: `"const", "exp", ...`.
fn accepted() -> String {
    let names: Vec<String> = DIST_PARAMETERS
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    names.join(", ")
}

/// Why the table form of a distribution does not name one with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum DistTableError {
    /// `dist` names no distribution; `hint` is a "did you mean" or empty.
    #[error(
        "dist = \"{name}\" is not a distribution; accepted: {}{hint}",
        accepted()
    )]
    UnknownDist { name: String, hint: String },
    /// A parameter the distribution takes is not given.
    #[error("dist = \"{dist}\" needs `{param}` (it takes {})", .takes.join(", "))]
    MissingParam {
        dist: String,
        param: &'static str,
        takes: &'static [&'static str],
    },
    /// A parameter is given that the distribution does not take.
    #[error("`{param}` is not a parameter of dist = \"{dist}\" (it takes {})", .takes.join(", "))]
    ExtraParam {
        dist: String,
        param: &'static str,
        takes: &'static [&'static str],
    },
}

/// Turns the table form of a distribution into its parameters, checking that exactly the
/// parameters of the named distribution are given.
fn dist_spec(t: &RawDistTable) -> Result<DistSpec, DistTableError> {
    let given: [(&'static str, bool); 7] = [
        ("value", t.value.is_some()),
        ("mean", t.mean.is_some()),
        ("sd", t.sd.is_some()),
        ("min", t.min.is_some()),
        ("mode", t.mode.is_some()),
        ("max", t.max.is_some()),
        ("values", t.values.is_some()),
    ];
    let Some(&(_, takes)) = DIST_PARAMETERS.iter().find(|(name, _)| *name == t.dist) else {
        return Err(DistTableError::UnknownDist {
            name: t.dist.clone(),
            hint: hint(&t.dist, DIST_PARAMETERS.iter().map(|(name, _)| *name)),
        });
    };
    for (param, present) in given {
        let needed = takes.contains(&param);
        if needed && !present {
            return Err(DistTableError::MissingParam {
                dist: t.dist.clone(),
                param,
                takes,
            });
        }
        if !needed && present {
            return Err(DistTableError::ExtraParam {
                dist: t.dist.clone(),
                param,
                takes,
            });
        }
    }
    let g = |o: Option<f64>| o.unwrap_or(0.0);
    Ok(match t.dist.as_str() {
        "const" => DistSpec::Const(g(t.value)),
        "exp" => DistSpec::Exp { mean: g(t.mean) },
        "uniform" => DistSpec::Uniform {
            min: g(t.min),
            max: g(t.max),
        },
        "tri" => DistSpec::Tri {
            min: g(t.min),
            mode: g(t.mode),
            max: g(t.max),
        },
        "lognormal" => DistSpec::LogNormal {
            mean: g(t.mean),
            sd: g(t.sd),
        },
        "gamma" => DistSpec::Gamma {
            mean: g(t.mean),
            sd: g(t.sd),
        },
        "empirical" => DistSpec::Empirical {
            values: t.values.clone().unwrap_or_default(),
        },
        other => unreachable!("dist = \"{other}\" is in DIST_PARAMETERS but not built here"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(dist: &str) -> RawDistTable {
        RawDistTable {
            dist: dist.to_string(),
            value: None,
            mean: None,
            sd: None,
            min: None,
            mode: None,
            max: None,
            values: None,
        }
    }

    #[test]
    fn each_error_says_what_the_checks_report() {
        let unknown = dist_spec(&table("expo")).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "dist = \"expo\" is not a distribution; accepted: \"const\", \"exp\", \"uniform\", \"tri\", \"lognormal\", \"gamma\", \"empirical\"; did you mean \"exp\"?"
        );
        let missing = dist_spec(&table("tri")).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "dist = \"tri\" needs `min` (it takes min, mode, max)"
        );
        let extra = dist_spec(&RawDistTable {
            mean: Some(1.0),
            sd: Some(0.5),
            ..table("exp")
        })
        .unwrap_err();
        assert_eq!(
            extra.to_string(),
            "`sd` is not a parameter of dist = \"exp\" (it takes mean)"
        );
    }

    #[test]
    fn every_listed_distribution_given_its_parameters_is_built() {
        for (name, takes) in DIST_PARAMETERS {
            let mut t = table(name);
            for &p in takes {
                match p {
                    "value" => t.value = Some(1.0),
                    "mean" => t.mean = Some(2.0),
                    "sd" => t.sd = Some(0.5),
                    "min" => t.min = Some(1.0),
                    "mode" => t.mode = Some(1.5),
                    "max" => t.max = Some(3.0),
                    "values" => t.values = Some(vec![1.0, 2.0]),
                    other => panic!("{other} is not a key of a distribution table"),
                }
            }
            let spec = dist_spec(&t).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(Dist::new(&spec).is_ok(), "{name}: {spec:?}");
        }
    }

    #[test]
    fn a_table_with_its_parameters_gives_the_distribution() {
        let spec = dist_spec(&RawDistTable {
            min: Some(1.0),
            max: Some(2.0),
            ..table("uniform")
        });
        assert_eq!(spec, Ok(DistSpec::Uniform { min: 1.0, max: 2.0 }));
    }
}
