//! Student's t distribution: the two-sided p-value of a mean difference, for tests of many
//! figures at once (Holm's correction needs each test's p-value, not only whether its
//! interval excludes zero).

use super::Stat;

/// The two-sided p-value of the hypothesis that the mean summarised by `s` is zero (a t
/// test on its replications): 1 when nothing varies and the mean is zero, 0 when nothing
/// varies and it is not, NaN with fewer than two replications observed.
pub fn p_value(s: &Stat) -> f64 {
    let n = s.observed;
    if n < 2 {
        return f64::NAN;
    }
    if s.sd == 0.0 {
        return if s.mean == 0.0 { 1.0 } else { 0.0 };
    }
    let t = s.mean / (s.sd / (n as f64).sqrt());
    two_sided(t, (n - 1) as f64)
}

/// P(|T| > |t|) for Student's t with `df` degrees of freedom:
/// I_{df/(df+t²)}(df/2, 1/2), the regularised incomplete beta function.
pub fn two_sided(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    let x = df / (df + t * t);
    incomplete_beta(0.5 * df, 0.5, x).clamp(0.0, 1.0)
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction
/// (Numerical Recipes, `betai` and `betacf`, with the modified Lentz method).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete beta function, to a relative 1e-14.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        for aa in [
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ] {
            d = 1.0 + aa * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + aa / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: relative error below 1e-14).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = G[0];
    for (i, g) in G.iter().enumerate().skip(1) {
        sum += g / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Holm's step-down correction at the 5 % level: for each p-value (NaN: no test), whether
/// its hypothesis is rejected while keeping the chance of any false rejection among the
/// tests below 5 %.
pub fn holm_rejects(p_values: &[f64]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let m = order.len();
    let mut rejects = vec![false; p_values.len()];
    for (k, &i) in order.iter().enumerate() {
        if p_values[i] > 0.05 / (m - k) as f64 {
            break;
        }
        rejects[i] = true;
    }
    rejects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sided_p_values_match_the_t_table() {
        // The 0.975 quantiles give p = 0.05; 0.995 quantiles give p = 0.01.
        for (t, df, p) in [
            (12.7062, 1.0, 0.05),
            (2.2622, 9.0, 0.05),
            (2.0423, 30.0, 0.05),
            (3.2498, 9.0, 0.01),
            (0.0, 5.0, 1.0),
        ] {
            let got = two_sided(t, df);
            assert!((got - p).abs() < 1e-4, "t {t}, df {df}: {got} against {p}");
        }
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        for (n, fact) in [(1.0, 1.0_f64), (5.0, 24.0), (10.0, 362_880.0)] {
            assert!((ln_gamma(n) - fact.ln()).abs() < 1e-12);
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
    }

    #[test]
    fn holm_rejects_in_order_and_stops_at_the_first_kept() {
        // m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05.
        let p = [0.01, 0.04, 0.015, f64::NAN, 0.03];
        assert_eq!(holm_rejects(&p), [true, false, true, false, false]);
        assert_eq!(holm_rejects(&[0.2, 0.001]), [false, true]);
    }
}
