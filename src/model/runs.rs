//! Runs of vehicles kept compact in a waiting line (see `sim::compact`): where a line
//! would hold consecutive arrivals of one flow, it holds one entry marked [`RUN`] with the
//! flow, and a [`Run`] beside it with the first arrival and how many. [`RunLine`] is such a
//! line, first come, first served, whatever its entries hold besides.

use std::collections::VecDeque;

/// Marks an entry of a waiting line as a run of compact vehicles of the flow in its other
/// bits. Vehicle and flow indices stay below it: both are bounded far lower by memory and
/// the input limits.
pub(super) const RUN: u32 = 1 << 31;

/// Consecutive arrivals of one flow waiting compact: the index of the first among the
/// flow's arrivals, and how many.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: u64,
    count: u64,
}

impl Run {
    /// A run of arrival `index` alone.
    fn of(index: u64) -> Self {
        Run {
            first: index,
            count: 1,
        }
    }

    /// Adds arrival `index` when it comes right after the run's last; false otherwise.
    fn extend(&mut self, index: u64) -> bool {
        let next = self.first + self.count == index;
        self.count += u64::from(next);
        next
    }

    /// Takes the run's first arrival; returns it, and true when the run is now empty.
    fn take_first(&mut self) -> (u64, bool) {
        let index = self.first;
        self.first += 1;
        self.count -= 1;
        (index, self.count == 0)
    }
}

/// An entry of a [`RunLine`]: it names a vehicle in the arena, or (marked with [`RUN`]) the
/// flow of a run of compact vehicles.
pub(super) trait Entry: Copy {
    /// The vehicle index, or `RUN | flow`.
    fn tag(&self) -> u32;
}

impl Entry for u32 {
    fn tag(&self) -> u32 {
        *self
    }
}

/// A waiting line, first come, first served, of vehicles in the arena and runs of compact
/// ones.
#[derive(Debug, Clone)]
pub(super) struct RunLine<E> {
    /// The entries: vehicles, and a marker for each run, whose arrivals are the next in
    /// `runs`.
    line: VecDeque<E>,
    /// The runs, in the order of their markers in the line.
    runs: VecDeque<Run>,
    /// Vehicles waiting, compact ones included.
    len: usize,
}

impl<E> Default for RunLine<E> {
    fn default() -> Self {
        RunLine {
            line: VecDeque::new(),
            runs: VecDeque::new(),
            len: 0,
        }
    }
}

impl<E: Entry> RunLine<E> {
    /// A vehicle in the arena joins the back.
    pub(super) fn push(&mut self, e: E) {
        debug_assert!(e.tag() & RUN == 0);
        self.line.push_back(e);
        self.len += 1;
    }

    /// Arrival `index` of the flow `marker` names (its tag `RUN | flow`), kept compact,
    /// joins the back: to the run at the back when it is the flow's arrival after that
    /// run's last.
    pub(super) fn push_compact(&mut self, marker: E, index: u64) {
        debug_assert!(marker.tag() & RUN != 0);
        self.len += 1;
        if self.line.back().is_some_and(|b| b.tag() == marker.tag()) {
            if let Some(run) = self.runs.back_mut() {
                if run.extend(index) {
                    return;
                }
            }
        }
        self.line.push_back(marker);
        self.runs.push_back(Run::of(index));
    }

    /// The first entry: a vehicle, or the marker of the run whose first arrival is next.
    pub(super) fn front(&self) -> Option<&E> {
        self.line.front()
    }

    /// Takes the first in line: the entry, and for a run the arrival taken from it.
    pub(super) fn pop(&mut self) -> Option<(E, Option<u64>)> {
        let &first = self.line.front()?;
        self.len -= 1;
        if first.tag() & RUN == 0 {
            self.line.pop_front();
            return Some((first, None));
        }
        let (index, done) = self.runs.front_mut()?.take_first();
        if done {
            self.runs.pop_front();
            self.line.pop_front();
        }
        Some((first, Some(index)))
    }

    /// Vehicles waiting, compact ones included.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// True when nobody waits.
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entries of the vehicles in the arena (not the runs).
    #[cfg(test)]
    pub(super) fn whole(&self) -> impl Iterator<Item = &E> {
        self.line.iter().filter(|e| e.tag() & RUN == 0)
    }

    /// Entries in the line (vehicles and runs' markers), and runs.
    #[cfg(test)]
    pub(super) fn entries(&self) -> (usize, usize) {
        (self.line.len(), self.runs.len())
    }
}
