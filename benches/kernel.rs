//! Kernel throughput, in events per second.
//!
//! - `event_queue_hold`: the bare event list under the classic "hold" workload (pop the
//!   earliest event, schedule one a random time later) with 1,000 and 100,000 pending.
//! - `one_replication`: one whole replication of a shipped scenario, counting every event
//!   the kernel handled (a crossing scenario and the Kazakhstan network).
//!
//! Run with `cargo bench --bench kernel`; divan prints the median time and events/s.

use corridor::kernel::{Scheduler, SimTime};
use corridor::model::simulate;
use divan::counter::ItemsCount;
use divan::Bencher;
use std::path::Path;

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 100_000])]
fn event_queue_hold(bencher: Bencher, pending: u64) {
    const STEPS: u64 = 1_000_000;
    bencher.counter(ItemsCount::new(STEPS)).bench_local(|| {
        let mut s: Scheduler<u32> = Scheduler::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for i in 0..pending {
            s.schedule(SimTime(i * 7 % 1000), i as u32).unwrap();
        }
        for _ in 0..STEPS {
            let (t, e) = s.pop_until(SimTime::NEVER).unwrap();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.schedule(SimTime(t.0 + x % 2000), e).unwrap();
        }
        divan::black_box(s.now())
    });
}

#[divan::bench(
    args = ["scenarios/border_post.toml", "scenarios/kazakhstan_2025.toml", "scenarios/eurasia_2025.toml"],
    sample_count = 10
)]
fn one_replication(bencher: Bencher, scenario: &str) {
    let model = corridor::scenario::load(Path::new(scenario)).expect("shipped scenario loads");
    let events = simulate(&model, model.seed, 0).events;
    bencher
        .counter(ItemsCount::new(events))
        .bench(|| simulate(&model, model.seed, 0));
}
