//! The event loop allocates in proportion to what the network holds, not to the events it
//! handles: a replication twice as long handles about twice the events but allocates
//! hardly more. Counted with a global allocator that counts.

use corridor::kernel::SimTime;
use corridor::model::simulate;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The system allocator, counting allocations.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Events handled and allocations made by replication 0 of `scenario` run to `days`.
fn run(scenario: &str, days: f64) -> (u64, u64) {
    let mut s = corridor::scenario::load(Path::new(scenario)).expect("shipped scenario loads");
    s.model.horizon = SimTime::from_hours(days * 24.0);
    let warmup = s.settings.warmup.fixed().unwrap_or_default();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let events = simulate(&s.model, warmup, s.settings.seed, 0).events;
    (events, ALLOCATIONS.load(Ordering::Relaxed) - before)
}

#[test]
fn a_longer_replication_handles_more_events_without_allocating_for_them() {
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
