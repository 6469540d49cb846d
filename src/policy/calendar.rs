//! Opening hours of a border crossing: a daily window (`open = "08:00-20:00"`, which may
//! wrap past midnight) and whole weekdays closed (`closed_weekdays = ["sun"]`).
//!
//! A crossing starts services only while open; a service under way when it closes is
//! finished. A closed weekday closes the whole calendar day, 00:00 to 24:00.

use crate::kernel::SimTime;

const MS_PER_MINUTE: u64 = 60_000;
const MS_PER_DAY: u64 = 24 * 60 * MS_PER_MINUTE;

/// Weekday names as scenarios spell them, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// When a crossing may start serving vehicles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// Daily opening window as (start, end) in ms after midnight; `None` = all day.
    window: Option<(u64, u64)>,
    /// Closed weekdays, Monday first.
    closed: [bool; 7],
    /// Weekday of simulated time zero (0 = Monday).
    start_weekday: u8,
    /// No window and no closed weekday: asked at every service, so kept.
    always: bool,
}

impl Calendar {
    /// Open every hour of every day.
    pub fn always_open() -> Calendar {
        Calendar {
            window: None,
            closed: [false; 7],
            start_weekday: 0,
            always: true,
        }
    }

    /// A calendar from a parsed window (see [`parse_window`]), the closed weekdays (Monday
    /// first) and the start year (simulated time zero is 1 January of it, 00:00).
    pub fn new(window: Option<(u64, u64)>, closed: [bool; 7], start_year: i32) -> Calendar {
        Calendar {
            window,
            closed,
            start_weekday: weekday_of_january_first(start_year),
            always: window.is_none() && !closed.iter().any(|&c| c),
        }
    }

    /// The same opening hours with simulated time zero on 1 January of `year`.
    pub fn for_year(&self, year: i32) -> Calendar {
        Calendar {
            start_weekday: weekday_of_january_first(year),
            ..*self
        }
    }

    /// True when the crossing never closes.
    pub fn is_always_open(&self) -> bool {
        self.always
    }

    /// True when services may start at `t`.
    pub fn is_open(&self, t: SimTime) -> bool {
        if self.is_always_open() {
            return true;
        }
        let day = t.0 / MS_PER_DAY;
        if self.closed[self.weekday(day)] {
            return false;
        }
        let tod = t.0 % MS_PER_DAY;
        match self.window {
            None => true,
            Some((a, b)) if a < b => a <= tod && tod < b,
            Some((a, b)) => tod >= a || tod < b,
        }
    }

    /// The first instant at or after `t` when the crossing is open; [`SimTime::NEVER`] if it
    /// never opens (a calendar with every weekday closed, which validation refuses).
    pub fn next_open(&self, t: SimTime) -> SimTime {
        if self.is_open(t) {
            return t;
        }
        let day0 = t.0 / MS_PER_DAY;
        for k in 0..=8 {
            let day_start = (day0 + k) * MS_PER_DAY;
            if self.closed[self.weekday(day0 + k)] {
                continue;
            }
            let starts: [u64; 2] = match self.window {
                None => [0, 0],
                Some((a, b)) if a < b => [a, a],
                Some((a, _)) => [0, a],
            };
            for s in starts {
                let c = SimTime(day_start + s);
                if c >= t && self.is_open(c) {
                    return c;
                }
            }
        }
        SimTime::NEVER
    }

    /// Milliseconds of `[from, to)` during which the crossing may start services: the
    /// whole span when it never closes.
    pub fn open_ms(&self, from: SimTime, to: SimTime) -> u64 {
        if self.is_always_open() || to <= from {
            return to.0.saturating_sub(from.0);
        }
        let mut open = 0;
        for day in from.0 / MS_PER_DAY..=(to.0 - 1) / MS_PER_DAY {
            if self.closed[self.weekday(day)] {
                continue;
            }
            let day_start = day * MS_PER_DAY;
            let spans: [(u64, u64); 2] = match self.window {
                None => [(0, MS_PER_DAY), (0, 0)],
                Some((a, b)) if a < b => [(a, b), (0, 0)],
                Some((a, b)) => [(0, b), (a, MS_PER_DAY)],
            };
            for (a, b) in spans {
                let lo = (day_start + a).max(from.0);
                let hi = (day_start + b).min(to.0);
                open += hi.saturating_sub(lo);
            }
        }
        open
    }

    fn weekday(&self, day: u64) -> usize {
        ((u64::from(self.start_weekday) + day) % 7) as usize
    }
}

/// Opening hours that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WindowError {
    /// Not of the form `"HH:MM-HH:MM"`.
    #[error("expected \"HH:MM-HH:MM\" such as \"08:00-20:00\", found {0:?}")]
    Form(String),
    /// A time that is not between 00:00 and 24:00.
    #[error("{0:?} is not a time of day between 00:00 and 24:00")]
    NotATime(String),
    /// A window that opens and closes at the same time (other than midnight).
    #[error("{0:?} opens and closes at the same time; use \"00:00-24:00\" for all day")]
    Empty(String),
}

/// Parses `"HH:MM-HH:MM"` into a daily window in ms after midnight. `"00:00-24:00"` means
/// all day (`None`). The end may be earlier than the start: the window then wraps past
/// midnight.
pub fn parse_window(s: &str) -> Result<Option<(u64, u64)>, WindowError> {
    let bad = || WindowError::Form(s.to_string());
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let parse = |x: &str| -> Result<u64, WindowError> {
        let (h, m) = x.trim().split_once(':').ok_or_else(bad)?;
        let h: u64 = h.parse().map_err(|_| bad())?;
        let m: u64 = m.parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(WindowError::NotATime(x.to_string()));
        }
        Ok((h * 60 + m) * MS_PER_MINUTE)
    };
    let (a, b) = (parse(a)?, parse(b)?);
    if a == b || (a == 0 && b == MS_PER_DAY) {
        if a == b && !(a == 0 || a == MS_PER_DAY) {
            return Err(WindowError::Empty(s.to_string()));
        }
        return Ok(None);
    }
    Ok(Some((a % MS_PER_DAY, b % MS_PER_DAY)))
}

/// Weekday of 1 January of `year` in the Gregorian calendar, 0 = Monday.
pub fn weekday_of_january_first(year: i32) -> u8 {
    // Gauss's algorithm for 1 January; 0 = Sunday.
    let y = i64::from(year) - 1;
    let sunday_first =
        (1 + 5 * y.rem_euclid(4) + 4 * y.rem_euclid(100) + 6 * y.rem_euclid(400)).rem_euclid(7);
    ((sunday_first + 6) % 7) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hours: f64) -> SimTime {
        SimTime::from_hours(hours)
    }

    #[test]
    fn january_first_weekdays_are_right() {
        // 2025-01-01 was a Wednesday, 2024-01-01 a Monday, 2023-01-01 a Sunday.
        assert_eq!(weekday_of_january_first(2025), 2);
        assert_eq!(weekday_of_january_first(2024), 0);
        assert_eq!(weekday_of_january_first(2023), 6);
    }

    #[test]
    fn daytime_window_opens_at_eight_and_closes_at_twenty() {
        let c = Calendar::new(parse_window("08:00-20:00").unwrap(), [false; 7], 2025);
        assert!(!c.is_open(h(7.99)));
        assert!(c.is_open(h(8.0)));
        assert!(!c.is_open(h(20.0)));
        assert_eq!(c.next_open(h(21.0)), h(32.0));
        assert_eq!(c.next_open(h(3.0)), h(8.0));
    }

    #[test]
    fn a_window_can_wrap_past_midnight() {
        let c = Calendar::new(parse_window("22:00-06:00").unwrap(), [false; 7], 2025);
        assert!(c.is_open(h(23.0)));
        assert!(c.is_open(h(5.0)));
        assert!(!c.is_open(h(12.0)));
        assert_eq!(c.next_open(h(12.0)), h(22.0));
    }

    #[test]
    fn open_time_counts_the_window_of_each_open_day_inside_the_span() {
        // 2025 begins on a Wednesday; Sunday 5 January is closed.
        let mut sunday = [false; 7];
        sunday[6] = true;
        let cal = Calendar::new(parse_window("08:00-20:00").unwrap(), sunday, 2025);
        assert_eq!(cal.open_ms(h(0.0), h(7.0 * 24.0)), h(6.0 * 12.0).0);
        assert_eq!(cal.open_ms(h(10.0), h(30.0)), h(10.0).0);
        assert_eq!(cal.open_ms(h(30.0), h(30.0)), 0);
        let night = Calendar::new(parse_window("22:00-06:00").unwrap(), [false; 7], 2025);
        assert_eq!(
            cal.open_ms(h(24.0), h(48.0)) + night.open_ms(h(24.0), h(48.0)),
            h(20.0).0
        );
        assert_eq!(night.open_ms(h(5.0), h(23.0)), h(2.0).0);
        let always = Calendar::always_open();
        assert_eq!(always.open_ms(h(3.0), h(50.0)), h(47.0).0);
    }

    #[test]
    fn closed_sunday_is_skipped() {
        // 2025-01-01 is a Wednesday, so day 4 (5 January) is a Sunday.
        let mut closed = [false; 7];
        closed[6] = true;
        let c = Calendar::new(None, closed, 2025);
        assert!(c.is_open(h(3.0 * 24.0 + 23.0)));
        assert!(!c.is_open(h(4.0 * 24.0 + 1.0)));
        assert_eq!(c.next_open(h(4.0 * 24.0 + 1.0)), h(5.0 * 24.0));
    }

    #[test]
    fn all_day_and_malformed_windows() {
        assert_eq!(parse_window("00:00-24:00").unwrap(), None);
        assert!(parse_window("8-20").is_err());
        assert!(parse_window("08:00-25:00").is_err());
        assert!(parse_window("10:00-10:00").is_err());
    }
}
