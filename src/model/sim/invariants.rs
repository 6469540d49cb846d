//! The invariants every replication must keep, checked on its final state by the tests and
//! the property tests.

use super::vehicle::{EMPTY_TRAIN, NO_FLEET};
use super::Sim;
use crate::model::stock::{EMPTY, IDLE, LOADED};
use crate::model::{fits, Step};

impl Sim<'_> {
    /// Checks what must hold at the end of every replication: simulated time never went
    /// backwards; every vehicle that appeared is delivered or still alive; no stage ever
    /// served more vehicles than it has servers; no yard ever held more than its capacity;
    /// no vessel ever carried more than its capacity; ferry TEU are conserved, and so are the
    /// TEU gathered for new trains after transshipments.
    pub(in crate::model) fn check_invariants(&self) -> Result<(), String> {
        if self.clock.1 {
            return Err("simulated time went backwards".into());
        }
        if let Some(e) = &self.stock_error {
            return Err(e.clone());
        }
        for (i, f) in self.flows.iter().enumerate() {
            let alive = self
                .vehicles
                .iter()
                .filter(|v| v.alive && v.flow as usize == i)
                .count() as u64
                + self.compact.held_of(i);
            if f.created != f.finished + alive {
                return Err(format!(
                    "flow {i}: {} appeared, {} delivered, {alive} alive",
                    f.created, f.finished
                ));
            }
        }
        for (ps, spec) in self.pools.iter().zip(&self.m.reform_pools) {
            if (ps.teu_in - ps.teu_out - ps.teu).abs() > 1e-6 * ps.teu_in.max(1.0) {
                return Err(format!(
                    "pool of flow {} at crossing {}: {} TEU came, {} left, {} wait",
                    spec.flow, spec.crossing, ps.teu_in, ps.teu_out, ps.teu
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

    /// Checks the fleets: every wagon and locomotive is loaded, running empty or idle
    /// (turning round included), each counted once, as the observers of the shares count
    /// them; every
    /// container train on a leg a fleet runs holds that fleet's stock (enough wagons for
    /// its TEU and one locomotive) unless it waits for it at the leg's start or is at a
    /// ferry (its containers sail, its wagons stay).
    pub(in crate::model) fn stock_check(&self) -> Result<(), String> {
        for (k, (fs, spec)) in self.fleets.iter().zip(&self.m.fleets).enumerate() {
            // Wagons and locomotives where they are, loaded, empty and idle.
            let mut found = [(0u64, 0u64); 3];
            for d in &fs.depots {
                found[IDLE].0 += u64::from(d.idle.wagons + d.turning.wagons);
                found[IDLE].1 += u64::from(d.idle.locos + d.turning.locos);
            }
            for veh in (self.vehicles.iter()).filter(|v| v.alive && v.fleet == k as u32) {
                let at = if veh.flow == EMPTY_TRAIN {
                    EMPTY
                } else {
                    LOADED
                };
                found[at].0 += u64::from(veh.stock.wagons);
                found[at].1 += u64::from(veh.stock.locos);
            }
            let total = found.iter().fold((0, 0), |t, f| (t.0 + f.0, t.1 + f.1));
            if total != (u64::from(spec.wagons), u64::from(spec.locomotives)) {
                return Err(format!(
                    "fleet {}: {} wagons and {} locomotives found, of {} and {}",
                    spec.id, total.0, total.1, spec.wagons, spec.locomotives
                ));
            }
            // The observers behind the shares reported count the same.
            for (at, name) in [(LOADED, "loaded"), (EMPTY, "empty"), (IDLE, "idle")] {
                let observed = (fs.wagons[at].value(), fs.locos[at].value());
                if observed != (found[at].0 as f64, found[at].1 as f64) {
                    return Err(format!(
                        "fleet {}: {name} stock observed as {observed:?}, found {:?}",
                        spec.id, found[at]
                    ));
                }
            }
        }
        // The vehicles waiting for stock, marked once: this check runs before every event.
        let mut waiting = vec![false; self.vehicles.len()];
        for fs in &self.fleets {
            for d in &fs.depots {
                for w in d.queue.whole() {
                    waiting[w.vehicle as usize] = true;
                }
            }
        }
        for (v, veh) in self.vehicles.iter().enumerate() {
            if !veh.alive || veh.flow == EMPTY_TRAIN {
                continue;
            }
            let route = &self.m.flows[veh.flow as usize].routes[usize::from(veh.route)];
            let Some(leg) = route.legs.get(veh.leg as usize) else {
                continue;
            };
            let Some(fleet) = leg.fleet else {
                continue;
            };
            // At a ferry the train's containers sail without wagons.
            if matches!(veh.steps.get(veh.step as usize), Some(Step::Ferry { .. })) {
                continue;
            }
            let spec = &self.m.fleets[fleet as usize];
            let holds = veh.fleet == fleet
                && veh.stock.wagons >= spec.wagons_for(veh.teu)
                && veh.stock.locos == 1;
            if !waiting[v] && !holds {
                return Err(format!(
                    "vehicle {v} of flow {} runs leg {} without the stock of fleet {} (holds {} wagons, {} locomotives of fleet {})",
                    veh.flow, veh.leg, spec.id, veh.stock.wagons, veh.stock.locos,
                    if veh.fleet == NO_FLEET { "none".to_string() } else { veh.fleet.to_string() }
                ));
            }
        }
        Ok(())
    }
}
