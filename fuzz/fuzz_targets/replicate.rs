//! A short replication of any scenario the loader accepts: it ends, without a panic, and
//! its figures are numbers or NaN (nothing observed), never infinite.
#![no_main]

use corridor::kernel::SimTime;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

/// The longest simulated period tried, hours: long enough for vehicles to cross a network
/// and queues to form, short enough for thousands of inputs a minute.
const HORIZON_H: f64 = 10.0 * 24.0;
/// The most vehicles a year a fuzzed flow may send (more would only make the input slow).
const MAX_TEU_PER_YEAR: f64 = 1e5;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = corridor::scenario::load_str(Path::new("fuzz.toml"), text) else {
        return;
    };
    let mut model = scenario.model;
    if model.flows.iter().any(|f| f.teu_per_year > MAX_TEU_PER_YEAR) {
        return;
    }
    model.horizon = model.horizon.min(SimTime::from_hours(HORIZON_H));
    let warmup = SimTime(model.horizon.0 / 10);
    let obs = corridor::model::simulate(&model, warmup, 1, 0);
    assert!(obs.network.delivered_teu_per_year.is_finite());
    for f in &obs.flows {
        assert!(!f.transit_mean_h.is_infinite(), "{f:?}");
    }
});
