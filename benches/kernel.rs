//! Kernel throughput, in events per second.
//!
//! - `event_queue_hold`: the bare event list under the classic "hold" workload (take the
//!   earliest event, schedule one a random time later), driven by the kernel's run loop,
//!   with 1,000 and 100,000 pending.
//! - `one_replication`: one whole replication of each shipped scenario, counting every
//!   event the kernel handled; `scenarios/bench/eurasia_2025_one_way.toml`, the Eurasian
//!   baseline before it ran both ways, sits beside `eurasia_2025.toml` for comparison.
//! - `monte_carlo_batch`: 16 replications of the Kazakhstan network on 1 and on 2 worker
//!   threads, counting replications (the speed-up from threads is the ratio).
//!
//! Run with `cargo bench --bench kernel`; divan prints the median time and events/s.

use corridor::kernel::{run_until, Duration, Process, Scheduler, SimTime};
use corridor::model::simulate;
use corridor::runner::{run, RunOptions};
use divan::counter::ItemsCount;
use divan::Bencher;
use std::path::Path;

fn main() {
    divan::main();
}

/// The hold workload as the kernel's run loop drives it: each event handled schedules one
/// more, a pseudo-random time (0 to 2 s) later.
struct Hold {
    x: u64,
}

impl Process for Hold {
    type Event = u32;

    fn handle(&mut self, event: u32, sched: &mut Scheduler<u32>) {
        self.x ^= self.x << 13;
        self.x ^= self.x >> 7;
        self.x ^= self.x << 17;
        sched.schedule_in(Duration(self.x % 2000), event);
    }
}

#[divan::bench(args = [1_000, 100_000])]
fn event_queue_hold(bencher: Bencher, pending: u64) {
    const STEPS: u64 = 1_000_000;
    bencher.counter(ItemsCount::new(STEPS)).bench_local(|| {
        let mut s: Scheduler<u32> = Scheduler::new();
        for i in 0..pending {
            s.schedule(SimTime(i * 7 % 1000), i as u32).unwrap();
        }
        let mut hold = Hold {
            x: 0x2545_f491_4f6c_dd1d,
        };
        // The pending events are spread over 2 s of simulated time: run about 100 of them
        // at a time, until STEPS are handled.
        let window = (200_000 / pending).max(1);
        let mut handled = 0;
        while handled < STEPS {
            let until = SimTime(s.now().0 + window);
            handled += run_until(&mut hold, &mut s, until);
        }
        divan::black_box(s.now())
    });
}

#[divan::bench(
    args = [
        "scenarios/border_post.toml",
        "scenarios/border_post_closure.toml",
        "scenarios/single_track_line.toml",
        "scenarios/tandem_crossings.toml",
        "scenarios/caspian_ferry.toml",
        "scenarios/zhanaozen_road.toml",
        "scenarios/kazakhstan_2025.toml",
        "scenarios/kazakhstan_2025_dostyk_six_cranes.toml",
        "scenarios/dostyk_moyynty_second_track.toml",
        "scenarios/bakhty_ayagoz.toml",
        "scenarios/darbaza_maktaaral.toml",
        "scenarios/bench/eurasia_2025_one_way.toml",
        "scenarios/eurasia_2025.toml",
        "scenarios/eurasia_2025_poland_belarus_closure.toml",
        "scenarios/all_projects.toml",
        "scenarios/all_projects_2030.toml",
    ],
    sample_count = 5
)]
fn one_replication(bencher: Bencher, scenario: &str) {
    let s = corridor::scenario::load(Path::new(scenario)).expect("shipped scenario loads");
    let warmup = s.settings.warmup.fixed().unwrap_or_default();
    let events = simulate(&s.model, warmup, s.settings.seed, 0).events;
    bencher
        .counter(ItemsCount::new(events))
        .bench(|| simulate(&s.model, warmup, s.settings.seed, 0));
}

#[divan::bench(args = [1, 2], sample_count = 5)]
fn monte_carlo_batch(bencher: Bencher, threads: usize) {
    const REPLICATIONS: u32 = 16;
    let s = corridor::scenario::load(Path::new("scenarios/kazakhstan_2025.toml"))
        .expect("shipped scenario loads");
    let model = s.model;
    let opts = RunOptions {
        replications: REPLICATIONS,
        seed: s.settings.seed,
        warmup: s.settings.warmup.fixed().unwrap_or_default(),
        threads: Some(threads),
        progress: false,
        source: corridor::runner::Source::Simulate,
    };
    bencher
        .counter(ItemsCount::new(REPLICATIONS))
        .bench(|| run(&model, &opts).expect("batch runs"));
}
