//! Demand forecasts: the scenario simulated year after year with each flow's demand grown
//! by its `growth_per_year` from the scenario's `start_year`, on common random numbers
//! (the same seed and replications every year), and when each element saturates: the first
//! year its mean does, and the share of replications in which it does, year by year.
//! Projects may open on the way: from a given year the network is another scenario (the
//! base with overlays applied, [`Opening`]).
//!
//! Year Y runs the scenario with every flow's `teu_per_year` multiplied by
//! (1 + growth_per_year)^(Y − start_year), growth going on within the year, and its
//! calendars set to that year. An element saturates in the first year its mean
//! utilisation exceeds the threshold; a flow saturates in the first year its backlog at
//! the horizon, beyond the TEU on their way at free flow (demand times free-flow time),
//! exceeds 5 % of its yearly demand: about 18 days of demand queued, a backlog that grows
//! through the year. The same tests, applied to each replication's figures, count the
//! replications in which it is saturated.

use super::{settled, unless_interrupted, Batch, InputError, Named, StudyError};
use crate::model::{Cargo, Model};
use crate::runner::{run_together, RunError, RunOptions};
use crate::scenario::limits::{MAX_SATURATION, MIN_SATURATION};
use crate::scenario::Scenario;
use crate::stats::{Moments, Results, Stat, Summariser};
use serde::Serialize;

/// Share of a year's demand left undelivered at the horizon that marks a flow saturated.
pub use crate::model::BACKLOG_SHARE;

/// One simulated year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastYear {
    /// Calendar year.
    pub year: i32,
    /// Container demand over the measured window, growth within it included, TEU per year.
    pub demand_teu_per_year: f64,
    /// The same as a STAT: the demand is the scenario's, not measured, so it is the same in
    /// every replication (sd 0, a confidence interval of zero width).
    pub demand_teu_per_year_stat: Stat,
    /// Containers still on their way or waiting at the horizon (mean over replications),
    /// TEU: the backlog that goes with `demand_teu_per_year` (other cargo left out).
    pub backlog_teu: f64,
    /// The container backlog at the horizon summarised across replications (its mean is
    /// `backlog_teu` up to rounding).
    pub backlog_teu_stat: Stat,
    /// The overlays open in this year's network, as given, in the order they were applied
    /// (empty: the scenario as it is).
    pub open: Vec<String>,
    /// The year's results.
    #[serde(flatten)]
    pub results: Results,
}

/// The share of replications in which an element or flow is saturated in one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearShare {
    /// Calendar year.
    pub year: i32,
    /// Share of the year's replications in which it is saturated, 0 to 1; `None` when the
    /// element is not in that year's network.
    pub share: Option<f64>,
}

/// When an element or flow saturates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saturation {
    /// The element's or flow's id.
    pub id: String,
    /// `crossing`, `segment`, `ferry` or `flow`.
    pub kind: &'static str,
    /// The first year its mean over replications is saturated, or `None` if it is not
    /// within the years forecast.
    pub year: Option<i32>,
    /// Every year in which its mean is saturated: from `year` to the last year, unless a
    /// project relieves it (or it stays close to the threshold).
    pub years_saturated: Vec<i32>,
    /// The first year it is saturated in at least 10 % of the replications, or `None`.
    pub year_10: Option<i32>,
    /// The first year it is saturated in at least 90 % of the replications, or `None`.
    pub year_90: Option<i32>,
    /// Every year of the range with the share of its replications in which it is saturated.
    pub share_saturated: Vec<YearShare>,
}

/// The share of replications from which [`Saturation::year_10`] counts.
pub const SHARE_EARLY: f64 = 0.1;
/// The share of replications from which [`Saturation::year_90`] counts.
pub const SHARE_LATE: f64 = 0.9;

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
    /// Every element and flow of the years forecast: those whose mean saturates within
    /// them, earliest first, then the others (year `None`).
    pub saturation: Vec<Saturation>,
    /// The disruptions given by day (`start_day`, `end_day`) of the networks forecast:
    /// each year is simulated on its own, so every year repeats them. Left out of the JSON
    /// when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repeated_disruptions: Vec<String>,
}

/// The network from a year on: the scenario's model with the projects opened by then.
#[derive(Debug, Clone, Copy)]
pub struct Stage<'a> {
    /// The first year this network stands (from 1 January); the earliest stage also stands
    /// in any year before its own.
    pub from: i32,
    /// The overlays open in it, as given, in the order they were applied.
    pub open: &'a [String],
    /// The network and its traffic, demand as in the scenario's `start_year`.
    pub model: &'a Model,
}

/// A project (or several) opening in a forecast: from 1 January of `year` on, the network
/// is `scenario`: the base with the overlays `open` applied (see
/// [`crate::scenario::load_stack`]).
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    /// The first year of the new network.
    pub year: i32,
    /// Every overlay open from then on, as given, in the order they were applied.
    pub open: &'a [String],
    /// The base with those overlays applied.
    pub scenario: &'a Scenario,
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
    let stage = Stage {
        from: i32::MIN,
        open: &[],
        model,
    };
    forecast_stages(&[stage], years, threshold, opts)
}

/// Forecasts a network that changes over the years: each year of `years` (inclusive) runs
/// the last of `stages` (sorted by `from`) that stands by then, or the first, on `opts`.
/// Every stage must share the first one's `start_year` and horizon.
pub fn forecast_stages(
    stages: &[Stage<'_>],
    years: std::ops::RangeInclusive<i32>,
    threshold: f64,
    opts: &RunOptions,
) -> Result<Forecast, RunError> {
    let Some(first) = stages.first() else {
        return Err(RunError::NoReplications);
    };
    let mut out = Vec::new();
    let mut entries = Vec::new();
    for year in years {
        let stage = stages
            .iter()
            .rev()
            .find(|s| s.from <= year)
            .unwrap_or(first);
        let (y, e) = forecast_year(stage, year, threshold, opts)?;
        out.push(y);
        entries.push(e);
        if crate::runner::interrupted() {
            break;
        }
    }
    let saturation = saturation(&out, &entries);
    let mut repeated_disruptions: Vec<String> = Vec::new();
    for d in stages.iter().flat_map(|s| &s.model.disruptions) {
        let dated = matches!(d.timing, crate::model::DisruptionTiming::Window { .. });
        if dated && !repeated_disruptions.contains(&d.id) {
            repeated_disruptions.push(d.id.clone());
        }
    }
    Ok(Forecast {
        schema: "corridor.forecast/1",
        scenario: first.model.name.clone(),
        seed: opts.seed,
        replications: opts.replications,
        saturation_threshold: threshold,
        years: out,
        saturation,
        repeated_disruptions,
    })
}

/// What one year says of one element or flow.
struct Entry {
    /// `crossing`, `segment`, `ferry` or `flow`.
    kind: &'static str,
    /// The element's or flow's id.
    id: String,
    /// True when its mean over replications is saturated.
    mean: bool,
    /// Replications in which it is saturated.
    saturated: u32,
}

/// Simulates `year` on `stage`'s network: the year's results, and per element and flow
/// whether its mean is saturated and in how many replications it is, counted replication
/// by replication (nothing is kept per replication).
fn forecast_year(
    stage: &Stage<'_>,
    year: i32,
    threshold: f64,
    opts: &RunOptions,
) -> Result<(ForecastYear, Vec<Entry>), RunError> {
    let model = stage.model;
    let m = for_year(model, year);
    let k = f64::from(year - model.start_year);
    let horizon_years = m.horizon.as_hours() / crate::HOURS_PER_YEAR;
    let containers = |i: &usize| m.flows[*i].cargo == Cargo::Containers;
    let mut summary = Summariser::new(&m, opts.warmup, opts.seed);
    let mut elements = vec![0u32; m.elements().count()];
    let mut flows = vec![0u32; m.flows.len()];
    let mut backlog = Moments::default();
    run_together(
        &[(&m, opts.warmup)],
        opts,
        0..u64::from(opts.replications),
        |obs| {
            let r = &obs[0];
            summary.add(r);
            for (n, e) in elements.iter_mut().zip(r.elements(&m)) {
                *n += u32::from(e.utilization > threshold);
            }
            for ((n, f), o) in flows.iter_mut().zip(&model.flows).zip(&r.flows) {
                *n += u32::from(f.overloaded(k, horizon_years, o.backlog_teu));
            }
            let teu = (0..m.flows.len()).filter(containers);
            backlog.add(teu.map(|i| r.flows[i].backlog_teu).sum());
        },
    )?;
    let results = summary.results();
    let mut entries = Vec::with_capacity(elements.len() + flows.len());
    for (element, saturated) in m.elements().zip(elements) {
        entries.push(Entry {
            kind: element.kind.name(),
            id: element.id.to_string(),
            mean: results.utilization(element).mean > threshold,
            saturated,
        });
    }
    for ((f, r), saturated) in model.flows.iter().zip(&results.flows).zip(flows) {
        entries.push(Entry {
            kind: "flow",
            id: f.id.clone(),
            mean: f.overloaded(k, horizon_years, r.backlog_teu.mean),
            saturated,
        });
    }
    let (t0, t1) = (
        opts.warmup.as_hours() / crate::HOURS_PER_YEAR,
        m.horizon.as_hours() / crate::HOURS_PER_YEAR,
    );
    let demand: f64 = m
        .flows
        .iter()
        .filter(|f| f.cargo == Cargo::Containers)
        .map(|f| f.teu_per_year * mean_growth(f.growth_per_year, t0, t1))
        .sum();
    let backlog_teu = (0..m.flows.len())
        .filter(containers)
        .map(|i| results.flows[i].backlog_teu.mean)
        .sum();
    let y = ForecastYear {
        year,
        demand_teu_per_year: demand,
        demand_teu_per_year_stat: given(demand, results.replications),
        backlog_teu,
        backlog_teu_stat: backlog.stat(),
        open: stage.open.to_vec(),
        results,
    };
    Ok((y, entries))
}

/// A value given rather than measured, as a STAT of `replications` equal values.
fn given(value: f64, replications: u32) -> Stat {
    Stat {
        mean: value,
        sd: 0.0,
        ci95_lo: value,
        ci95_hi: value,
        min: value,
        max: value,
        observed: replications as usize,
    }
}

/// When each element and flow of the years forecast saturates: the elements in the order
/// they first appear, then the flows, sorted by the first year their mean saturates.
fn saturation(years: &[ForecastYear], entries: &[Vec<Entry>]) -> Vec<Saturation> {
    let mut ids: Vec<(&'static str, &str)> = Vec::new();
    for flows in [false, true] {
        for e in entries.iter().flatten() {
            if (e.kind == "flow") == flows && !ids.contains(&(e.kind, e.id.as_str())) {
                ids.push((e.kind, &e.id));
            }
        }
    }
    let mut out: Vec<Saturation> = ids
        .into_iter()
        .map(|(kind, id)| {
            let mut s = Saturation {
                id: id.to_string(),
                kind,
                year: None,
                years_saturated: Vec::new(),
                year_10: None,
                year_90: None,
                share_saturated: Vec::with_capacity(years.len()),
            };
            for (y, year_entries) in years.iter().zip(entries) {
                let entry = year_entries.iter().find(|e| e.kind == kind && e.id == id);
                let runs = f64::from(y.results.replications.max(1));
                let share = entry.map(|e| f64::from(e.saturated) / runs);
                let first = |at: &mut Option<i32>, now: bool| {
                    if at.is_none() && now {
                        *at = Some(y.year);
                    }
                };
                let mean = entry.is_some_and(|e| e.mean);
                first(&mut s.year, mean);
                if mean {
                    s.years_saturated.push(y.year);
                }
                first(&mut s.year_10, share.is_some_and(|v| v >= SHARE_EARLY));
                first(&mut s.year_90, share.is_some_and(|v| v >= SHARE_LATE));
                s.share_saturated.push(YearShare {
                    year: y.year,
                    share,
                });
            }
            s
        })
        .collect();
    out.sort_by_key(|s| s.year.unwrap_or(i32::MAX));
    out
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
    let timelines: Vec<(Named, &[Opening])> = scenarios.iter().map(|s| (*s, &[][..])).collect();
    forecast_timelines(&timelines, years, threshold, batch)
}

/// Forecasts `base` over `years` (inclusive) with projects opening: from each opening's
/// year on, the network is that opening's scenario; on the same seed and replications
/// every year (the base's, or the batch's) and the base's warm-up.
pub fn forecast_openings(
    base: Named<'_>,
    openings: &[Opening<'_>],
    years: std::ops::RangeInclusive<i32>,
    threshold: f64,
    batch: &Batch,
) -> Result<Forecasts, StudyError> {
    forecast_timelines(&[(base, openings)], years, threshold, batch)
}

/// Forecasts each scenario with its openings, side by side.
fn forecast_timelines(
    timelines: &[(Named<'_>, &[Opening<'_>])],
    years: std::ops::RangeInclusive<i32>,
    threshold: f64,
    batch: &Batch,
) -> Result<Forecasts, StudyError> {
    if !(threshold.is_finite() && threshold > MIN_SATURATION && threshold <= MAX_SATURATION) {
        return Err(InputError::Saturation(threshold).into());
    }
    let Some((first, _)) = timelines.first() else {
        return Ok(Forecasts {
            forecasts: Vec::new(),
        });
    };
    let opts = batch.options(&first.scenario.settings);
    let mut forecasts = Vec::with_capacity(timelines.len());
    for (s, openings) in timelines {
        let (opts, _) = settled(s.scenario, opts.clone())?;
        let mut stages = vec![Stage {
            from: i32::MIN,
            open: &[],
            model: &s.scenario.model,
        }];
        stages.extend(openings.iter().map(|o| Stage {
            from: o.year,
            open: o.open,
            model: &o.scenario.model,
        }));
        stages.sort_by_key(|st| st.from);
        let f = forecast_stages(&stages, years.clone(), threshold, &opts)?;
        forecasts.push((s.file.to_string(), f));
        unless_interrupted("interrupted; nothing written")?;
    }
    Ok(Forecasts { forecasts })
}

/// True when some flow of `model` grows (`growth_per_year` above 0): otherwise every year
/// of a forecast has the demand of its `start_year`.
pub fn grows(model: &Model) -> bool {
    model.flows.iter().any(|f| f.growth_per_year > 0.0)
}
