//! The events of one replication as tidy CSV, a row per event, written as they come.

use super::{csv_quote, Num};
use crate::model::{Detail, TraceRow, Who};
use std::fmt::Write;

/// The header of a trace.
pub const TRACE_HEADER: &str = "time_h,vehicle,flow,event,element,detail\n";

/// Appends `row` to `out` as a CSV line: the time in hours, the vehicle's number (empty
/// when none), its flow's id (`empty:FLEET` for an empty train of a fleet; empty when no
/// vehicle is concerned), the event, the element's id and the detail (`block 3 forward`,
/// a stage's name, `vessel 2`, `86 TEU`, `12 wagons at dostyk`).
pub fn trace_line(row: &TraceRow<'_>, out: &mut String) {
    let _ = write!(out, "{},", Num(row.time_h));
    if let Some(v) = row.vehicle {
        let _ = write!(out, "{v}");
    }
    out.push(',');
    match row.who {
        Who::Nobody => {}
        Who::Flow(id) => out.push_str(&csv_quote(id)),
        Who::EmptyTrain(fleet) => out.push_str(&csv_quote(&format!("empty:{fleet}"))),
    }
    let _ = write!(out, ",{},", row.event);
    if let Some(id) = row.element {
        out.push_str(&csv_quote(id));
    }
    out.push(',');
    let detail = match row.detail {
        Detail::None => String::new(),
        Detail::Stage(name) => name.to_string(),
        Detail::Block { block, forward } => match forward {
            Some(true) => format!("block {block} forward"),
            Some(false) => format!("block {block} backward"),
            None => format!("block {block}"),
        },
        Detail::Direction { forward } => if forward { "forward" } else { "backward" }.to_string(),
        Detail::Vessel(k) => format!("vessel {k}"),
        Detail::Port(node) => format!("from {node}"),
        Detail::Teu(teu) => format!("{} TEU", Num(teu)),
        Detail::Stock { depot, wagons } => format!("{wagons} wagons at {depot}"),
    };
    out.push_str(&csv_quote(&detail));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_names_its_vehicle_flow_event_element_and_detail() {
        let mut out = String::new();
        let row = TraceRow {
            time_h: 12.5,
            vehicle: Some(7),
            who: Who::Flow("china-europe"),
            event: "block_end",
            element: Some("dostyk-aktogay"),
            link: Some(0),
            detail: Detail::Block {
                block: 3,
                forward: Some(false),
            },
        };
        trace_line(&row, &mut out);
        assert_eq!(
            out,
            "12.5,7,china-europe,block_end,dostyk-aktogay,block 3 backward\n"
        );
        out.clear();
        let row = TraceRow {
            vehicle: None,
            who: Who::Nobody,
            event: "stage_end",
            element: Some("a,b"),
            detail: Detail::Stage("KZ \"entry\""),
            ..row
        };
        trace_line(&row, &mut out);
        assert_eq!(out, "12.5,,,stage_end,\"a,b\",\"KZ \"\"entry\"\"\"\n");
    }
}
