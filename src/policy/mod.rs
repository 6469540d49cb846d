//! Rules that decide without holding any state of a run: when a crossing works
//! ([`calendar`]) and which route a departing vehicle takes ([`route_choice`]).

pub mod calendar;
pub mod route_choice;
