//! A batch of replications of one scenario, to a fixed count or to a precision.

use super::{settled, Batch, InputError, StudyError};
use crate::runner::{interrupted, run_to_precision};
use crate::scenario::limits::{MAX_PRECISION, MIN_PRECISION};
use crate::scenario::Scenario;
use crate::stats::Results;

/// Runs `scenario` in a batch and summarises it; with `precision`, runs replications until
/// the 95 % CI half-width of the network's delivered TEU per year is within that share of
/// its mean, up to the batch's replications. Interrupted, the results cover the
/// replications finished and are marked partial; with none finished, there is no answer.
pub fn run(
    scenario: &Scenario,
    batch: &Batch,
    precision: Option<f64>,
) -> Result<Results, StudyError> {
    if let Some(p) = precision {
        if !(p.is_finite() && p > MIN_PRECISION && p < MAX_PRECISION) {
            return Err(InputError::Precision(p).into());
        }
    }
    let (opts, warmup_found) = settled(scenario, batch.options(&scenario.settings))?;
    let model = &scenario.model;
    let (mut results, precision) = match precision {
        Some(p) => run_to_precision(model, &opts, p).map(|(r, pr)| (r, Some(pr)))?,
        None => (crate::runner::run(model, &opts)?, None),
    };
    if results.replications == 0 {
        return Err(StudyError::Interrupted(
            "interrupted before any replication finished; nothing written",
        ));
    }
    results.precision = precision;
    results.warmup_auto = warmup_found;
    results.partial = interrupted();
    Ok(results)
}
