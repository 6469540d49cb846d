//! The invariants every replication must keep, checked on its final state by the tests and
//! the property tests.

use super::Sim;
use crate::model::fits;

impl Sim<'_> {
    /// Checks what must hold at the end of every replication: simulated time never went
    /// backwards; every vehicle that appeared is delivered or still alive; no stage ever
    /// served more vehicles than it has servers; no yard ever held more than its capacity;
    /// no vessel ever carried more than its capacity; ferry TEU are conserved.
    pub(in crate::model) fn check_invariants(&self) -> Result<(), String> {
        if self.clock.1 {
            return Err("simulated time went backwards".into());
        }
        for (i, f) in self.flows.iter().enumerate() {
            let alive = self
                .vehicles
                .iter()
                .filter(|v| v.alive && v.flow as usize == i)
                .count() as u64;
            if f.created != f.finished + alive {
                return Err(format!(
                    "flow {i}: {} appeared, {} delivered, {alive} alive",
                    f.created, f.finished
                ));
            }
        }
        for (c, spec) in self.crossings.iter().zip(&self.m.crossings) {
            if c.overbooked {
                return Err(format!(
                    "crossing {}: a stage served more than its servers",
                    spec.id
                ));
            }
            if let Some(cap) = spec.yard_capacity_teu {
                if !fits(c.yard.peak_teu, 0.0, cap) {
                    return Err(format!(
                        "crossing {}: yard held {} of {cap} TEU",
                        spec.id, c.yard.peak_teu
                    ));
                }
            }
        }
        for (f, spec) in self.ferries.iter().zip(&self.m.ferries) {
            let (arrived, left, aboard, waiting) = f.balance(|v| self.unit_teu(v));
            if (arrived - (left + aboard + waiting)).abs() > 1e-6 * arrived.max(1.0) {
                return Err(format!("ferry {}: TEU not conserved", spec.id));
            }
            if !fits(f.trace.max_load_teu, 0.0, spec.capacity_teu) {
                return Err(format!(
                    "ferry {}: a vessel carried {} of {} TEU",
                    spec.id, f.trace.max_load_teu, spec.capacity_teu
                ));
            }
            if let Some(cap) = spec.port_yard_capacity_teu {
                if !fits(f.max_yard_teu(), 0.0, cap) {
                    return Err(format!(
                        "ferry {}: port yard held {} of {cap} TEU",
                        spec.id,
                        f.max_yard_teu()
                    ));
                }
            }
        }
        Ok(())
    }
}
