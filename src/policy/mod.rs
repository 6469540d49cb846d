//! Rules that decide, without holding any state of a run: when a crossing works
//! ([`calendar`]) and which way a flow goes ([`routing`]).

pub mod calendar;
pub mod routing;
