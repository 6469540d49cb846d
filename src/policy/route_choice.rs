//! Adaptive route choice as a rule: given the expected time of each candidate route, which
//! one a departing vehicle takes. The model works out the expected times from its state;
//! this rule only decides.

/// The index of the route with the least expected time, hours; the first of equals, and
/// the first route when no time is finite.
pub fn least_expected_time(expected_h: impl IntoIterator<Item = f64>) -> u8 {
    let mut best = (0u8, f64::INFINITY);
    for (i, h) in expected_h.into_iter().enumerate() {
        if h < best.1 {
            best = (i as u8, h);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::least_expected_time;

    #[test]
    fn the_least_time_wins_and_the_first_of_equals() {
        assert_eq!(least_expected_time([5.0, 3.0, 4.0]), 1);
        assert_eq!(least_expected_time([3.0, 3.0]), 0);
        assert_eq!(least_expected_time([f64::INFINITY, f64::NAN, 2.0]), 2);
    }

    #[test]
    fn without_a_finite_time_the_first_route_is_taken() {
        assert_eq!(least_expected_time([f64::INFINITY, f64::NAN]), 0);
        assert_eq!(least_expected_time([]), 0);
    }
}
