//! The invariants every replication must keep, checked on its final state by the tests and
//! the property tests.

use super::vehicle::{EMPTY_TRAIN, NO_FLEET};
use super::Sim;
use crate::model::{fits, Step};

impl Sim<'_> {
    /// Checks what must hold at the end of every replication: simulated time never went
    /// backwards; every vehicle that appeared is delivered or still alive; no stage ever
    /// served more vehicles than it has servers; no yard ever held more than its capacity;
    /// no vessel ever carried more than its capacity; ferry TEU are conserved.
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

    /// Checks the fleets: every wagon and locomotive is loaded, running empty or idle
    /// (turning round included), each counted once, and the counts kept agree; every
    /// container train on a leg a fleet runs holds that fleet's stock (enough wagons for
    /// its TEU and one locomotive) unless it waits for it at the leg's start or is at a
    /// ferry (its containers sail, its wagons stay).
    pub(in crate::model) fn stock_check(&self) -> Result<(), String> {
        for (k, (fs, spec)) in self.fleets.iter().zip(&self.m.fleets).enumerate() {
            let (mut wagons, mut locos) = (0u64, 0u64);
            for d in &fs.depots {
                wagons += u64::from(d.idle.wagons + d.turning.wagons);
                locos += u64::from(d.idle.locos + d.turning.locos);
            }
            let idle = (wagons, locos);
            for veh in self
                .vehicles
                .iter()
                .filter(|v| v.alive && v.fleet == k as u32)
            {
                wagons += u64::from(veh.stock.wagons);
                locos += u64::from(veh.stock.locos);
            }
            if (wagons, locos) != (u64::from(spec.wagons), u64::from(spec.locomotives)) {
                return Err(format!(
                    "fleet {}: {wagons} wagons and {locos} locomotives found, of {} and {}",
                    spec.id, spec.wagons, spec.locomotives
                ));
            }
            let kept = &fs.now;
            let kept_total = |i: usize| (u64::from(kept[i].wagons), u64::from(kept[i].locos));
            if kept_total(2) != idle {
                return Err(format!(
                    "fleet {}: idle stock counted {:?}, found {idle:?}",
                    spec.id,
                    kept_total(2)
                ));
            }
        }
        // The vehicles waiting for stock, marked once: this check runs before every event.
        let mut waiting = vec![false; self.vehicles.len()];
        for fs in &self.fleets {
            for d in &fs.depots {
                for w in &d.queue {
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
