//! The practical limit: the two benchmark models of `scenarios/bench/` as bare
//! binary-heap event loops with no model structure at all. `cargo bench --bench bare`
//! prints the time of each loop; with the argument `mm10` or `tandem` it runs that model
//! alone, so that `benches/peer/run.sh` can time the whole process as it does corridor's
//! and SimPy's.

use rand_distr::{Distribution, Exp, Triangular};
use rand_pcg::Pcg64Mcg;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

/// M/M/10: Poisson arrivals 9.5/h, exponential service mean 1 h, 1,000,000 customers.
/// Returns the mean wait in queue, hours.
fn mm10() -> f64 {
    let mut rng = Pcg64Mcg::new(0xcafe_f00d_d15e_a5e5);
    let arrive = Exp::new(9.5).unwrap();
    let serve = Exp::new(1.0).unwrap();
    // Events: (time, seq, kind); kind 0 = arrival, 1 = departure.
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    heap.push(Reverse((0.0f64.to_bits(), seq, 0u8)));
    let (mut busy, mut queue) = (0u32, VecDeque::new());
    let (mut arrived, mut waits, mut served) = (0u64, 0.0, 0u64);
    while let Some(Reverse((t, _, kind))) = heap.pop() {
        let now = f64::from_bits(t);
        if kind == 0 {
            arrived += 1;
            if arrived < 1_000_000 {
                seq += 1;
                heap.push(Reverse(((now + arrive.sample(&mut rng)).to_bits(), seq, 0)));
            }
            if busy < 10 {
                busy += 1;
                seq += 1;
                heap.push(Reverse(((now + serve.sample(&mut rng)).to_bits(), seq, 1)));
                served += 1;
            } else {
                queue.push_back(now);
            }
        } else if let Some(since) = queue.pop_front() {
            waits += now - since;
            served += 1;
            seq += 1;
            heap.push(Reverse(((now + serve.sample(&mut rng)).to_bits(), seq, 1)));
        } else {
            busy -= 1;
        }
    }
    waits / served as f64
}

/// 20 stations in series, 2 servers each, service triangular(3, 4, 6) h, Poisson arrivals
/// 0.4/h, 200,000 customers. Returns the mean time in system, hours.
fn tandem() -> f64 {
    const STATIONS: usize = 20;
    let mut rng = Pcg64Mcg::new(0x5eed_1234_abcd_0001);
    let arrive = Exp::new(0.4).unwrap();
    let serve = Triangular::new(3.0, 6.0, 4.0).unwrap();
    // Events: (time, seq, station, customer); station STATIONS = a new arrival.
    let mut heap: BinaryHeap<Reverse<(u64, u64, usize, usize)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut born = Vec::with_capacity(200_000);
    heap.push(Reverse((0.0f64.to_bits(), seq, STATIONS, 0)));
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
    while let Some(Reverse((t, _, s, c))) = heap.pop() {
        let now = f64::from_bits(t);
        let next = if s == STATIONS {
            born.push(now);
            if born.len() < 200_000 {
                seq += 1;
                let gap: f64 = arrive.sample(&mut rng);
                heap.push(Reverse(((now + gap).to_bits(), seq, STATIONS, born.len())));
            }
            Some((0, born.len() - 1))
        } else {
            if let Some(w) = queues[s].pop_front() {
                start(&mut heap, &mut seq, now, s, w, &mut rng);
            } else {
                busy[s] -= 1;
            }
            if s + 1 < STATIONS {
                Some((s + 1, c))
            } else {
                total += now - born[c];
                done += 1;
                None
            }
        };
        if let Some((s, c)) = next {
            if busy[s] < 2 {
                busy[s] += 1;
                start(&mut heap, &mut seq, now, s, c, &mut rng);
            } else {
                queues[s].push_back(c);
            }
        }
    }
    total / done as f64
}

fn main() {
    // `cargo bench` passes `--bench`; only a model name picks one.
    let only = std::env::args().find(|a| a == "mm10" || a == "tandem");
    if only.as_deref() != Some("tandem") {
        let t = Instant::now();
        let w = mm10();
        println!(
            "bare M/M/10, 1,000,000 trucks: {:.3} s (mean wait {w:.4} h)",
            t.elapsed().as_secs_f64()
        );
    }
    if only.as_deref() != Some("mm10") {
        let t = Instant::now();
        let s = tandem();
        println!(
            "bare tandem of 20, 200,000 trains: {:.3} s (mean time in system {s:.1} h)",
            t.elapsed().as_secs_f64()
        );
    }
}
