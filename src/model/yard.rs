//! A yard of limited room (at a border crossing, at a ferry port) and the vehicles held
//! upstream, first come, first served, while it has no room for them.
//!
//! A held vehicle stays on the segment it came by, if it came by one, and that segment
//! admits no more in its direction until the vehicle is let in (see `Sim::hold_feeder`).

use super::fits;
use std::collections::VecDeque;

/// The TEU in a yard and the vehicles waiting upstream for room in it.
#[derive(Debug, Clone, Default)]
pub(super) struct Yard {
    /// TEU in the yard.
    teu: f64,
    /// Vehicles waiting upstream, in the order they came, each with its TEU.
    held: VecDeque<(u32, f64)>,
    /// TEU of the vehicles waiting upstream.
    held_teu: f64,
    /// Most TEU ever in the yard (tests only).
    #[cfg(test)]
    pub(super) peak_teu: f64,
    /// Most vehicles ever held upstream at once (tests only).
    #[cfg(test)]
    pub(super) max_held: usize,
}

impl Yard {
    /// TEU in the yard and waiting upstream for it: the cargo ahead of a vehicle arriving.
    pub(super) fn teu_with_held(&self) -> f64 {
        self.teu + self.held_teu
    }

    /// Number of vehicles waiting upstream.
    pub(super) fn held(&self) -> usize {
        self.held.len()
    }

    /// The vehicles waiting upstream, the next to enter first.
    #[cfg(test)]
    pub(super) fn held_vehicles(&self) -> impl Iterator<Item = u32> + '_ {
        self.held.iter().map(|&(v, _)| v)
    }

    /// Vehicle `v` of `teu` TEU reaches the yard, which holds at most `capacity` TEU (no
    /// limit without one). It enters, and true is returned, when nobody waits upstream
    /// before it and it fits; otherwise it waits upstream, and false is returned.
    #[inline]
    pub(super) fn arrive(&mut self, v: u32, teu: f64, capacity: Option<f64>) -> bool {
        if self.held.is_empty() && capacity.is_none_or(|cap| fits(self.teu, teu, cap)) {
            self.enter(teu);
            true
        } else {
            self.held.push_back((v, teu));
            self.held_teu += teu;
            #[cfg(test)]
            {
                self.max_held = self.max_held.max(self.held.len());
            }
            false
        }
    }

    /// `teu` TEU leave the yard.
    #[inline]
    pub(super) fn leave(&mut self, teu: f64) {
        self.teu -= teu;
    }

    /// Lets the first vehicle waiting upstream in, if it fits under `capacity` now, and
    /// returns it with its TEU.
    #[inline]
    pub(super) fn let_in_next(&mut self, capacity: Option<f64>) -> Option<(u32, f64)> {
        let &(v, teu) = self.held.front()?;
        if !capacity.is_none_or(|cap| fits(self.teu, teu, cap)) {
            return None;
        }
        self.held.pop_front();
        self.held_teu -= teu;
        self.enter(teu);
        Some((v, teu))
    }

    /// `teu` TEU enter the yard.
    #[inline]
    fn enter(&mut self, teu: f64) {
        self.teu += teu;
        #[cfg(test)]
        {
            self.peak_teu = self.peak_teu.max(self.teu);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vehicles_wait_upstream_in_order_while_the_yard_is_full() {
        let mut yard = Yard::default();
        assert!(yard.arrive(1, 60.0, Some(100.0)));
        assert!(!yard.arrive(2, 60.0, Some(100.0)), "does not fit");
        assert!(!yard.arrive(3, 10.0, Some(100.0)), "fits, but 2 came first");
        assert_eq!((yard.held(), yard.held_teu), (2, 70.0));
        assert_eq!(yard.let_in_next(Some(100.0)), None, "2 still does not fit");
        yard.leave(60.0);
        assert_eq!(yard.let_in_next(Some(100.0)), Some((2, 60.0)));
        assert_eq!(yard.let_in_next(Some(100.0)), Some((3, 10.0)));
        assert_eq!(yard.let_in_next(Some(100.0)), None);
        assert_eq!((yard.teu, yard.held(), yard.held_teu), (70.0, 0, 0.0));
        assert_eq!((yard.peak_teu, yard.max_held), (70.0, 2));
    }

    #[test]
    fn a_yard_without_capacity_lets_everyone_in() {
        let mut yard = Yard::default();
        for v in 0..1000 {
            assert!(yard.arrive(v, 100.0, None));
        }
        assert_eq!((yard.teu, yard.held()), (100_000.0, 0));
    }
}
