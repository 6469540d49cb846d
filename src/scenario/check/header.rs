//! `[scenario]`: the horizon, the warm-up and how many replications to run.

use super::Checker;
use crate::kernel::SimTime;
use crate::scenario::limits::{
    MAX_HORIZON_DAYS, MAX_REPLICATIONS, MAX_YEAR, MIN_MEASURED_HOURS, MIN_REPLICATIONS, MIN_YEAR,
};
use crate::scenario::raw::{RawHeader, RawWarmup};
use crate::scenario::{PathSeg, Settings, Warmup};

/// The warm-up in days (0 when it is to be found) and whether it is to be found.
fn warmup_days(h: &RawHeader) -> (f64, bool) {
    match h.warmup_days {
        RawWarmup::Days(d) => (d, false),
        RawWarmup::Auto => (0.0, true),
    }
}

/// The run settings of a checked `[scenario]`.
pub(super) fn settings(h: &RawHeader) -> Settings {
    let (warmup_days, warmup_auto) = warmup_days(h);
    Settings {
        seed: h.seed,
        replications: h.replications as u32,
        warmup: if warmup_auto {
            Warmup::Auto
        } else {
            Warmup::Fixed(SimTime::from_hours(warmup_days * 24.0))
        },
    }
}

/// The unit of [`MAX_HORIZON_DAYS`] in messages, with the years it makes (a test checks the
/// figure against the constant).
pub(super) const HORIZON_UNIT: &str = " days (100 years)";

/// Checks `[scenario]`.
pub(super) fn check_header(c: &mut Checker, h: &RawHeader) {
    let (warmup_days, _) = warmup_days(h);
    let hp = |k| [PathSeg::Key("scenario"), PathSeg::Key(k)];
    c.within(
        &hp("horizon_days"),
        ("[scenario]", "horizon_days"),
        h.horizon_days,
        (0.0, false),
        (MAX_HORIZON_DAYS, HORIZON_UNIT),
    );
    if c.number(
        &hp("warmup_days"),
        "[scenario]",
        "warmup_days",
        warmup_days,
        0.0,
        true,
    ) && warmup_days >= h.horizon_days
    {
        c.err(
            &hp("warmup_days"),
            format!(
                "warmup_days = {} in [scenario]: must be shorter than horizon_days ({})",
                warmup_days, h.horizon_days
            ),
        );
    }
    if !(i64::from(MIN_REPLICATIONS)..=i64::from(MAX_REPLICATIONS)).contains(&h.replications) {
        c.err(
            &hp("replications"),
            format!(
                "replications = {} in [scenario]: must be an integer from {MIN_REPLICATIONS} to {MAX_REPLICATIONS}",
                h.replications
            ),
        );
    }
    if !(i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&h.start_year) {
        c.err(
            &hp("start_year"),
            format!(
                "start_year = {} in [scenario]: must be a year between {MIN_YEAR} and {MAX_YEAR}",
                h.start_year
            ),
        );
    }
    let window_h = (h.horizon_days - warmup_days) * 24.0;
    if h.horizon_days.is_finite()
        && warmup_days.is_finite()
        && (0.0..MIN_MEASURED_HOURS).contains(&window_h)
    {
        c.err(
            &hp("horizon_days"),
            format!(
                "horizon_days = {} in [scenario]: leaves {window_h:.3} h to measure after warmup_days = {}; at least {MIN_MEASURED_HOURS} hour is needed",
                h.horizon_days, warmup_days
            ),
        );
    }
}
