//! Parameter variation: a scenario run at every combination of values of some of its
//! parameters (a full factorial), every point on replications `0..n` with the same seed,
//! so that points differ by their parameters and not by their random numbers (common random
//! numbers).
//!
//! Points come in the order of an odometer: the first parameter varies slowest, the last
//! fastest (`--demand` counts as the last). Each point is the scenario with one
//! [`Override`] per parameter, built and checked as the equivalent overlay would be; the
//! sweep keeps each point's summary, not its replications.

use super::{settled, unless_interrupted, Batch, InputError, StudyError};
use crate::scenario::limits::MAX_SWEEP_POINTS;
use crate::scenario::{Diagnostic, Diagnostics, Merged, Override, Parameter, Scenario};
use crate::stats::Results;

/// A sweep's answer: the parameters and, per point, its values and its results.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The scenario file, as given.
    pub file: String,
    /// Seed of the random streams, the same at every point.
    pub seed: u64,
    /// Replications per point, the same at every point.
    pub replications: u32,
    /// The swept parameters, in the order given.
    pub parameters: Vec<Parameter>,
    /// Every point, in sweep order.
    pub points: Vec<Point>,
}

/// One point of a sweep.
#[derive(Debug, Clone)]
pub struct Point {
    /// The index of the point's value of each parameter (in the order of the parameters).
    pub values: Vec<usize>,
    /// The results at this point.
    pub results: Results,
}

impl Sweep {
    /// The override of parameter `k` at `point`.
    pub fn value(&self, point: &Point, k: usize) -> &Override {
        &self.parameters[k].values()[point.values[k]]
    }
}

/// The number of points of a sweep over `params`: the product of their numbers of values.
pub fn count(params: &[Parameter]) -> usize {
    params
        .iter()
        .fold(1usize, |n, p| n.saturating_mul(p.values().len()))
}

/// Every point of a sweep over `params` as the index of each parameter's value, the first
/// parameter varying slowest.
pub fn points(params: &[Parameter]) -> impl Iterator<Item = Vec<usize>> + '_ {
    let n = if params.is_empty() { 0 } else { count(params) };
    (0..n).map(move |mut i| {
        let mut idx = vec![0; params.len()];
        for (k, p) in params.iter().enumerate().rev() {
            let len = p.values().len();
            idx[k] = i % len;
            i /= len;
        }
        idx
    })
}

/// The overrides of the point `idx`.
fn overrides(params: &[Parameter], idx: &[usize]) -> Vec<Override> {
    params
        .iter()
        .zip(idx)
        .map(|(p, &i)| p.values()[i].clone())
        .collect()
}

/// What [`check`] found of a sweep's points, all sound.
#[derive(Debug)]
pub struct Checked {
    /// The warnings of all points, each once.
    pub warnings: Vec<Diagnostic>,
    /// The point whose replication would hold the most memory (what it holds before any
    /// vehicle appears and the vehicles that pile up by its horizon: `Model::footprint`,
    /// `Model::backlog`), for the caller to hold against its budget.
    pub heaviest: Option<Scenario>,
}

/// Checks every point of a sweep of `merged` over `params` before anything runs: at least
/// one parameter, at most [`MAX_SWEEP_POINTS`] points, each point a sound scenario. Returns
/// the warnings of all points (each once) and the heaviest point, or every distinct error.
pub fn check(merged: &Merged, params: &[Parameter]) -> Result<Checked, StudyError> {
    if params.is_empty() {
        return Err(InputError::NothingSwept.into());
    }
    let n = count(params);
    if n > MAX_SWEEP_POINTS {
        let sizes: Vec<String> = params
            .iter()
            .map(|p| format!("{} ({} values)", p.path(), p.values().len()))
            .collect();
        return Err(InputError::TooManyPoints {
            points: n,
            parameters: sizes.join(" x "),
        }
        .into());
    }
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    let add = |into: &mut Vec<Diagnostic>, d: Diagnostic| {
        if !into.contains(&d) {
            into.push(d);
        }
    };
    let mut heaviest: Option<(u64, Scenario)> = None;
    for idx in points(params) {
        match merged.build(&overrides(params, &idx)) {
            Ok(mut s) => {
                std::mem::take(&mut s.warnings)
                    .into_iter()
                    .for_each(|w| add(&mut warnings, w));
                let bytes = s
                    .model
                    .footprint()
                    .bytes
                    .saturating_add(s.model.backlog().bytes);
                if heaviest.as_ref().is_none_or(|(most, _)| bytes > *most) {
                    heaviest = Some((bytes, s));
                }
            }
            Err(Diagnostics(d)) => d.into_iter().for_each(|e| add(&mut errors, e)),
        }
    }
    if errors.is_empty() {
        Ok(Checked {
            warnings,
            heaviest: heaviest.map(|(_, s)| s),
        })
    } else {
        Err(StudyError::Scenario(Diagnostics(errors)))
    }
}

/// Runs the sweep of `merged` (read from `file`) over `params`, every point on the
/// batch's replications and seed (or the scenario's). Interrupted, a sweep has no answer:
/// its points would not be comparable.
pub fn sweep(
    merged: &Merged,
    file: &str,
    params: &[Parameter],
    batch: &Batch,
) -> Result<Sweep, StudyError> {
    check(merged, params)?;
    let mut points_done = Vec::with_capacity(count(params));
    let (mut seed, mut replications) = (0, 0);
    for idx in points(params) {
        let scenario = merged
            .build(&overrides(params, &idx))
            .map_err(StudyError::Scenario)?;
        let (opts, warmup_found) = settled(&scenario, batch.options(&scenario.settings))?;
        (seed, replications) = (opts.seed, opts.replications);
        let mut results = crate::runner::run(&scenario.model, &opts)?;
        unless_interrupted(
            "interrupted; a partial sweep would compare unequal batches, so nothing is written",
        )?;
        results.warmup_auto = warmup_found;
        points_done.push(Point {
            values: idx,
            results,
        });
    }
    Ok(Sweep {
        file: file.to_string(),
        seed,
        replications,
        parameters: params.to_vec(),
        points: points_done,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_run_as_an_odometer_the_last_parameter_fastest() {
        let params = [
            Parameter::set("rail.r.tracks=1,2").unwrap(),
            Parameter::demand("1,2,3").unwrap(),
        ];
        let all: Vec<Vec<usize>> = points(&params).collect();
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], [0, 0]);
        assert_eq!(all[1], [0, 1]);
        assert_eq!(all[3], [1, 0]);
        assert_eq!(all[5], [1, 2]);
    }
}
