//! The event loop allocates in proportion to what the network holds, not to the events it
//! handles: a replication twice as long handles about twice the events but allocates
//! hardly more; and an overloaded crossing's queue holds its vehicles as runs of arrivals,
//! so that a run ten times as long holds hardly more memory at its peak; and the memory of
//! the queues that grow where demand exceeds what the network serves is estimated before a
//! run within a factor of two above what they take. Counted with a global allocator that
//! counts allocations and bytes.

mod common;

use corridor::kernel::SimTime;
use corridor::model::simulate;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The system allocator, counting allocations.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated and not yet freed, and the most since [`PEAK`] was last reset.
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

/// The tests of this file take turns: the counters are the process's.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Events handled and allocations made by replication 0 of `scenario` run to `days`.
fn run(scenario: &str, days: f64) -> (u64, u64) {
    run_measured(scenario, days).0
}

/// [`run`], and the most bytes the replication held at once above what was held before it.
fn run_measured(scenario: &str, days: f64) -> ((u64, u64), u64) {
    let mut s = corridor::scenario::load(Path::new(scenario)).expect("shipped scenario loads");
    s.model.horizon = SimTime::from_hours(days * 24.0);
    let warmup = s.settings.warmup.fixed().unwrap_or_default();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    let events = simulate(&s.model, warmup, s.settings.seed, 0).events;
    let peak = PEAK.load(Ordering::Relaxed) - live;
    ((events, ALLOCATIONS.load(Ordering::Relaxed) - before), peak)
}

#[test]
fn a_longer_replication_handles_more_events_without_allocating_for_them() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Each scenario over `days`, then twice as long: the smaller ones run longer, so that
    // each adds at least 100,000 events.
    for (scenario, days) in [
        ("scenarios/eurasia_2025.toml", 200.0),
        ("scenarios/examples/two_gauges.toml", 200.0),
        ("scenarios/examples/formation.toml", 200.0),
        ("scenarios/examples/transshipment.toml", 2000.0),
    ] {
        let (events_1, allocs_1) = run(scenario, days);
        let (events_2, allocs_2) = run(scenario, 2.0 * days);
        let more_events = events_2 - events_1;
        let more_allocs = allocs_2.saturating_sub(allocs_1);
        assert!(
            more_events > 100_000,
            "{scenario}: {more_events} more events"
        );
        // Storage grows by doubling, and histograms by the longest wait seen: a few dozen
        // allocations more at most, against hundreds of thousands of events.
        assert!(
            more_allocs * 1000 < more_events,
            "{scenario}: {more_allocs} more allocations for {more_events} more events"
        );
    }
}

#[test]
fn an_overloaded_post_holds_its_queue_in_memory_that_does_not_grow_with_the_horizon() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Three times what the post serves: the queue grows by about 13 trucks an hour.
    let ((events_1, _), peak_1) = run_measured("scenarios/bench/overload_3x.toml", 365.0);
    let ((events_10, _), peak_10) = run_measured("scenarios/bench/overload_3x.toml", 3650.0);
    assert!(
        events_10 > 9 * events_1,
        "{events_1} and {events_10} events"
    );
    // About 1.1 million trucks wait at the end of ten years: as records (and the line's
    // entries), 210 MB.
    assert!(
        peak_10 < 2 * peak_1 && peak_10 < 4_000_000,
        "peak bytes over 1 year: {peak_1}, over 10 years: {peak_10}"
    );
}

#[test]
fn the_backlog_estimated_before_a_run_bounds_the_memory_its_queues_take() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = common::scratch_dir("alloc-backlog");
    for second_stage in [true, false] {
        let file = dir.join("overloaded.toml");
        std::fs::write(&file, common::overloaded_post(3650, second_stage)).unwrap();
        let f = file.to_str().unwrap();
        let estimate = corridor::scenario::load(Path::new(f))
            .unwrap()
            .model
            .backlog()
            .bytes;
        let (_, peak) = run_measured(f, 3650.0);
        // Whole: about 110,000 trucks at the second stage after ten years, 52 MB at the
        // peak; compact: two flows of 26,000 trucks a year each, 11 MB.
        assert!(
            peak > 5_000_000 && peak <= estimate && estimate <= 2 * peak,
            "second stage {second_stage}: {estimate} bytes estimated, {peak} at the peak"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
