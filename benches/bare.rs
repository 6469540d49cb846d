//! The practical limit: the two benchmark models of `scenarios/bench/` as bare
//! binary-heap event loops with no model structure at all, and their travel variants (a
//! one-minute drive before each station and after the last). `cargo bench --bench bare`
//! prints the time of each loop; with the argument `mm10` or `tandem` (and `travel` for
//! the variant) it runs that model alone, so that `benches/peer/run.sh` can time the whole
//! process as it does corridor's and SimPy's.

use rand_distr::{Distribution, Exp, Triangular};
use rand_pcg::Pcg64Mcg;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

/// The time of a drive in the travel variants: one minute, hours.
const DRIVE_H: f64 = 1.0 / 60.0;

/// M/M/10: Poisson arrivals 9.5/h, exponential service mean 1 h, 1,000,000 customers; with
/// `travel`, a one-minute drive before the post and one after it (an event each). Returns
/// the mean wait in queue, hours.
fn mm10(travel: bool) -> f64 {
    let mut rng = Pcg64Mcg::new(0xcafe_f00d_d15e_a5e5);
    let arrive = Exp::new(9.5).unwrap();
    let serve = Exp::new(1.0).unwrap();
    // Events: (time, seq, kind); kind 0 = arrival, 1 = departure, 2 = at the post after
    // the drive there, 3 = the drive away ends.
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    heap.push(Reverse((0.0f64.to_bits(), seq, 0u8)));
    let (mut busy, mut queue) = (0u32, VecDeque::new());
    let (mut arrived, mut waits, mut served, mut left) = (0u64, 0.0, 0u64, 0u64);
    while let Some(Reverse((t, _, kind))) = heap.pop() {
        let now = f64::from_bits(t);
        match kind {
            0 => {
                arrived += 1;
                if arrived < 1_000_000 {
                    seq += 1;
                    heap.push(Reverse(((now + arrive.sample(&mut rng)).to_bits(), seq, 0)));
                }
                if travel {
                    seq += 1;
                    heap.push(Reverse(((now + DRIVE_H).to_bits(), seq, 2)));
                    continue;
                }
            }
            1 => {
                if travel {
                    seq += 1;
                    heap.push(Reverse(((now + DRIVE_H).to_bits(), seq, 3)));
                }
                if let Some(since) = queue.pop_front() {
                    waits += now - since;
                    served += 1;
                    seq += 1;
                    heap.push(Reverse(((now + serve.sample(&mut rng)).to_bits(), seq, 1)));
                } else {
                    busy -= 1;
                }
                continue;
            }
            3 => {
                left += 1;
                continue;
            }
            _ => {}
        }
        // A customer reaches the post.
        if busy < 10 {
            busy += 1;
            seq += 1;
            heap.push(Reverse(((now + serve.sample(&mut rng)).to_bits(), seq, 1)));
            served += 1;
        } else {
            queue.push_back(now);
        }
    }
    assert!(!travel || left == served);
    waits / served as f64
}

/// 20 stations in series, 2 servers each, service triangular(3, 4, 6) h, Poisson arrivals
/// 0.4/h, 200,000 customers; with `travel`, a one-minute run before each station and after
/// the last (an event each). Returns the mean time in system, hours.
fn tandem(travel: bool) -> f64 {
    const STATIONS: usize = 20;
    /// Event code of a new arrival; codes below it are service ends at that station, and
    /// `REACH + s` a customer reaching station `s` (`s == STATIONS`: the end) after a run.
    const ARRIVAL: usize = STATIONS;
    const REACH: usize = STATIONS + 1;
    let mut rng = Pcg64Mcg::new(0x5eed_1234_abcd_0001);
    let arrive = Exp::new(0.4).unwrap();
    let serve = Triangular::new(3.0, 6.0, 4.0).unwrap();
    // Events: (time, seq, code, customer).
    let mut heap: BinaryHeap<Reverse<(u64, u64, usize, usize)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut born = Vec::with_capacity(200_000);
    heap.push(Reverse((0.0f64.to_bits(), seq, ARRIVAL, 0)));
    let mut busy = [0u32; STATIONS];
    let mut queues: Vec<VecDeque<usize>> = (0..STATIONS).map(|_| VecDeque::new()).collect();
    let (mut total, mut done) = (0.0, 0u64);
    let start = |heap: &mut BinaryHeap<_>,
                 seq: &mut u64,
                 now: f64,
                 s: usize,
                 c: usize,
                 rng: &mut Pcg64Mcg| {
        *seq += 1;
        let d: f64 = serve.sample(rng);
        heap.push(Reverse(((now + d).to_bits(), *seq, s, c)));
    };
    while let Some(Reverse((t, _, code, c))) = heap.pop() {
        let now = f64::from_bits(t);
        // The station the customer reaches now, if it reaches one (STATIONS: the end).
        let (next, c) = if code == ARRIVAL {
            born.push(now);
            if born.len() < 200_000 {
                seq += 1;
                let gap: f64 = arrive.sample(&mut rng);
                heap.push(Reverse(((now + gap).to_bits(), seq, ARRIVAL, born.len())));
            }
            (0, born.len() - 1)
        } else if code >= REACH {
            (code - REACH, c)
        } else {
            let s = code;
            if let Some(w) = queues[s].pop_front() {
                start(&mut heap, &mut seq, now, s, w, &mut rng);
            } else {
                busy[s] -= 1;
            }
            (s + 1, c)
        };
        if travel && code < REACH {
            seq += 1;
            heap.push(Reverse(((now + DRIVE_H).to_bits(), seq, REACH + next, c)));
            continue;
        }
        if next == STATIONS {
            total += now - born[c];
            done += 1;
        } else if busy[next] < 2 {
            busy[next] += 1;
            start(&mut heap, &mut seq, now, next, c, &mut rng);
        } else {
            queues[next].push_back(c);
        }
    }
    total / done as f64
}

fn main() {
    // `cargo bench` passes `--bench`; a model name picks one, `travel` its travel variant.
    let args: Vec<String> = std::env::args().collect();
    let travel_only = args.iter().any(|a| a == "travel");
    let only = args.iter().find(|a| *a == "mm10" || *a == "tandem");
    let variants: &[bool] = match (only.is_some(), travel_only) {
        (_, true) => &[true],
        (true, false) => &[false],
        (false, false) => &[false, true],
    };
    for &travel in variants {
        let with = if travel { " with travel" } else { "" };
        if only.map(String::as_str) != Some("tandem") {
            let t = Instant::now();
            let w = mm10(travel);
            println!(
                "bare M/M/10{with}, 1,000,000 trucks: {:.3} s (mean wait {w:.4} h)",
                t.elapsed().as_secs_f64()
            );
        }
        if only.map(String::as_str) != Some("mm10") {
            let t = Instant::now();
            let s = tandem(travel);
            println!(
                "bare tandem of 20{with}, 200,000 trains: {:.3} s (mean time in system {s:.1} h)",
                t.elapsed().as_secs_f64()
            );
        }
    }
}
