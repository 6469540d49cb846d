//! What a replication of a model holds in memory before any vehicle appears: the state of
//! every segment (a single track keeps each of its blocks and loops), crossing, ferry line
//! and flow. Vehicles come on top, as many as the network holds at once.

use super::track::SingleTrack;
use super::{Layout, Model};

/// Bytes of the state of one element besides those counted per block: an estimate that
/// covers a segment's, a crossing's, a ferry line's or a flow's counters and queues when
/// empty.
const ELEMENT_BYTES: u64 = 512;

/// A replication's memory before any vehicle appears, bytes, and the segment that takes
/// the most of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    /// Bytes in all.
    pub bytes: u64,
    /// The segment holding the most (its index in `Model::links`) and its bytes, if any.
    pub largest: Option<(usize, u64)>,
}

impl Model {
    /// What one replication of this model holds before any vehicle appears.
    pub fn footprint(&self) -> Footprint {
        let elements = (self.crossings.len() + self.ferries.len() + self.flows.len()) as u64;
        let mut bytes = elements * ELEMENT_BYTES;
        let mut largest: Option<(usize, u64)> = None;
        for (i, l) in self.links.iter().enumerate() {
            let b = ELEMENT_BYTES
                + match l.layout {
                    Layout::SingleTrack { stretches, .. } => SingleTrack::bytes(stretches),
                    _ => 0,
                };
            bytes += b;
            if largest.is_none_or(|(_, most)| b > most) {
                largest = Some((i, b));
            }
        }
        Footprint { bytes, largest }
    }
}
