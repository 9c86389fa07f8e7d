//! Money on the wire is a JSON number of currency units (`500000.0`); in the database it is whole
//! cents (`50000000`), so sums are exact.

/// Units to cents, rounded to the nearest cent. `None` for NaN, infinities and amounts beyond
/// what a BIGINT of cents holds.
pub fn to_cents(amount: f64) -> Option<i64> {
    let cents = (amount * 100.0).round();
    (cents.is_finite() && cents.abs() < 9.0e15).then_some(cents as i64)
}

pub fn from_cents(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// `amount × probability / 100`, in cents: the one formula for expected revenue.
pub fn expected_revenue_cents(amount_cents: i64, probability: f64) -> i64 {
    (amount_cents as f64 * probability / 100.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_are_exact() {
        assert_eq!(to_cents(0.1 + 0.2), Some(30));
        assert_eq!(to_cents(5_000_000.0), Some(500_000_000));
        assert_eq!(to_cents(f64::NAN), None);
        assert_eq!(from_cents(12_686_567), 126_865.67);
        assert_eq!(expected_revenue_cents(50_000_000, 25.0), 12_500_000);
    }
}
