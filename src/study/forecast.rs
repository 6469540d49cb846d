//! Demand forecasts: the scenario simulated year after year with each flow's demand grown
//! by its `growth_per_year` from the scenario's `start_year`, on common random numbers
//! (the same seed and replications every year), and the first year each element saturates.
//!
//! Year Y runs the scenario with every flow's `teu_per_year` multiplied by
//! (1 + growth_per_year)^(Y − start_year), growth going on within the year, and its
//! calendars set to that year. An element saturates in the first year its mean
//! utilisation exceeds the threshold; a flow saturates in the first year its backlog at
//! the horizon, beyond the TEU on their way at free flow (demand times free-flow time),
//! exceeds 5 % of its yearly demand: about 18 days of demand queued, a backlog that grows
//! through the year.

use super::{settled, unless_interrupted, Batch, InputError, Named, StudyError};
use crate::model::{Cargo, Model};
use crate::runner::{run, RunError, RunOptions};
use crate::scenario::limits::{MAX_SATURATION, MIN_SATURATION};
use crate::stats::Results;
use serde::Serialize;

/// Share of a year's demand left undelivered at the horizon that marks a flow saturated.
pub const BACKLOG_SHARE: f64 = 0.05;

/// One simulated year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastYear {
    /// Calendar year.
    pub year: i32,
    /// Container demand over the measured window, growth within it included, TEU per year.
    pub demand_teu_per_year: f64,
    /// Containers still on their way or waiting at the horizon (mean over replications),
    /// TEU: the backlog that goes with `demand_teu_per_year` (other cargo left out).
    pub backlog_teu: f64,
    /// The year's results.
    #[serde(flatten)]
    pub results: Results,
}

/// The first year an element or flow saturates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saturation {
    /// The element's or flow's id.
    pub id: String,
    /// `crossing`, `segment`, `ferry` or `flow`.
    pub kind: &'static str,
    /// The first year it saturates, or `None` if it does not within the years forecast.
    pub year: Option<i32>,
}

/// A forecast of one scenario (`corridor.forecast/1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Always `corridor.forecast/1`.
    pub schema: &'static str,
    /// The scenario's name.
    pub scenario: String,
    /// Seed of the random streams, the same every year.
    pub seed: u64,
    /// Replications per year.
    pub replications: u32,
    /// Utilisation above which an element counts as saturated.
    pub saturation_threshold: f64,
    /// Year by year.
    pub years: Vec<ForecastYear>,
    /// Every element and flow that saturates within the years forecast, earliest first,
    /// then those that do not (year `None`).
    pub saturation: Vec<Saturation>,
}

/// The mean of (1 + g)^t over t from `t0` to `t1` years: demand growing within the window.
fn mean_growth(g: f64, t0: f64, t1: f64) -> f64 {
    let k = (1.0 + g).ln();
    if k.abs() < 1e-12 || t1 <= t0 {
        1.0
    } else {
        ((k * t1).exp() - (k * t0).exp()) / (k * (t1 - t0))
    }
}

/// The model as it stands in `year`: demand grown from `start_year`, calendars of that year.
pub fn for_year(model: &Model, year: i32) -> Model {
    let mut m = model.clone();
    let k = f64::from(year - model.start_year);
    for f in &mut m.flows {
        f.teu_per_year = f.teu_per_year_after(k);
    }
    for c in &mut m.crossings {
        c.calendar = c.calendar.for_year(year);
    }
    m.start_year = year;
    m
}

/// Forecasts `model` over `years` (inclusive), each year on `opts`.
pub fn forecast_model(
    model: &Model,
    years: std::ops::RangeInclusive<i32>,
    threshold: f64,
    opts: &RunOptions,
) -> Result<Forecast, RunError> {
    let mut out = Vec::new();
    for year in years {
        let m = for_year(model, year);
        let results = run(&m, opts)?;
        let (t0, t1) = (
            opts.warmup.as_hours() / crate::HOURS_PER_YEAR,
            m.horizon.as_hours() / crate::HOURS_PER_YEAR,
        );
        let demand = m
            .flows
            .iter()
            .filter(|f| f.cargo == Cargo::Containers)
            .map(|f| f.teu_per_year * mean_growth(f.growth_per_year, t0, t1))
            .sum();
        let backlog = m
            .flows
            .iter()
            .zip(&results.flows)
            .filter(|(f, _)| f.cargo == Cargo::Containers)
            .map(|(_, r)| r.backlog_teu.mean)
            .sum();
        out.push(ForecastYear {
            year,
            demand_teu_per_year: demand,
            backlog_teu: backlog,
            results,
        });
    }
    let mut saturation = Vec::new();
    let first = |pred: &dyn Fn(&ForecastYear) -> bool| out.iter().find(|y| pred(y)).map(|y| y.year);
    for element in model.elements() {
        let year = first(&|y| y.results.utilization(element).mean > threshold);
        saturation.push(Saturation {
            id: element.id.to_string(),
            kind: element.kind.name(),
            year,
        });
    }
    for (i, f) in model.flows.iter().enumerate() {
        // TEU on their way at free flow (Little's law) are not a backlog that grows.
        let free_flow_years = f.routes[0].free_flow_h / crate::HOURS_PER_YEAR;
        let horizon_years = model.horizon.as_hours() / crate::HOURS_PER_YEAR;
        let year = first(&|y| {
            let k = f64::from(y.year - model.start_year);
            let demand = f.teu_per_year_after(k);
            // The demand rate at the horizon, when the backlog is counted.
            let rate_at_end = f.teu_per_year_after(k + horizon_years);
            y.results.flows[i].backlog_teu.mean - rate_at_end * free_flow_years
                > BACKLOG_SHARE * demand
        });
        saturation.push(Saturation {
            id: f.id.clone(),
            kind: "flow",
            year,
        });
    }
    saturation.sort_by_key(|s| s.year.unwrap_or(i32::MAX));
    Ok(Forecast {
        schema: "corridor.forecast/1",
        scenario: model.name.clone(),
        seed: opts.seed,
        replications: opts.replications,
        saturation_threshold: threshold,
        years: out,
        saturation,
    })
}

/// Forecasts of several scenarios over the same years, side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecasts {
    /// Per scenario, in the order given: its file and its forecast.
    pub forecasts: Vec<(String, Forecast)>,
}

/// Forecasts each of `scenarios` over `years` (inclusive) with the seed and replications
/// of the first (or the batch's), each with its own warm-up; `threshold` is the
/// utilisation above which an element counts as saturated (above 0, at most 1).
pub fn forecast(
    scenarios: &[Named<'_>],
    years: std::ops::RangeInclusive<i32>,
    threshold: f64,
    batch: &Batch,
) -> Result<Forecasts, StudyError> {
    if !(threshold.is_finite() && threshold > MIN_SATURATION && threshold <= MAX_SATURATION) {
        return Err(InputError::Saturation(threshold).into());
    }
    let Some(first) = scenarios.first() else {
        return Ok(Forecasts {
            forecasts: Vec::new(),
        });
    };
    let opts = batch.options(&first.scenario.settings);
    let mut forecasts = Vec::with_capacity(scenarios.len());
    for s in scenarios {
        let (opts, _) = settled(s.scenario, opts.clone())?;
        let f = forecast_model(&s.scenario.model, years.clone(), threshold, &opts)?;
        forecasts.push((s.file.to_string(), f));
        unless_interrupted("interrupted; nothing written")?;
    }
    Ok(Forecasts { forecasts })
}
