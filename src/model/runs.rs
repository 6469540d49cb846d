//! Runs of vehicles kept compact in a waiting line (see `sim::compact`): where a line
//! would hold consecutive arrivals of one flow, it holds one entry marked [`RUN`] with the
//! flow, and a [`Run`] beside it with the first arrival and how many.

/// Marks an entry of a waiting line as a run of compact vehicles of the flow in its other
/// bits. Vehicle and flow indices stay below it: both are bounded far lower by memory and
/// the input limits.
pub(super) const RUN: u32 = 1 << 31;

/// Consecutive arrivals of one flow waiting compact: the index of the first among the
/// flow's arrivals, and how many.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    first: u64,
    count: u64,
}

impl Run {
    /// A run of arrival `index` alone.
    pub(super) fn of(index: u64) -> Self {
        Run {
            first: index,
            count: 1,
        }
    }

    /// Adds arrival `index` when it comes right after the run's last; false otherwise.
    pub(super) fn extend(&mut self, index: u64) -> bool {
        let next = self.first + self.count == index;
        self.count += u64::from(next);
        next
    }

    /// Takes the run's first arrival; returns it, and true when the run is now empty.
    pub(super) fn take_first(&mut self) -> (u64, bool) {
        let index = self.first;
        self.first += 1;
        self.count -= 1;
        (index, self.count == 0)
    }
}
