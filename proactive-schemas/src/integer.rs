//! The one definition of an integer attribute's value, shared by the validator and the typed
//! parse: what JSON Schema calls an integer (`3` and `3.0` alike, not `3.5`) that fits the
//! generated Rust type, `i64`. JSON Schema alone would also accept `1e300` and `2^63`, which no
//! generated type can hold.

use serde_json::Number;

/// What a JSON number is to an integer attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntegerValue {
    /// An integer the generated type holds.
    Fits(i64),
    /// An integer JSON Schema accepts, outside the generated type's range.
    OutOfRange,
    /// Not an integer at all (`3.5`): JSON Schema's `type: integer` refuses it.
    NotIntegral,
}

pub(crate) fn from_u64(v: u64) -> IntegerValue {
    i64::try_from(v).map_or(IntegerValue::OutOfRange, IntegerValue::Fits)
}

pub(crate) fn from_f64(v: f64) -> IntegerValue {
    if !v.is_finite() || v.fract() != 0.0 {
        IntegerValue::NotIntegral
    } else if v >= i64::MIN as f64 && v < i64::MAX as f64 {
        // Exact: every integral f64 in this range is an i64 (i64::MAX as f64 is 2^63).
        IntegerValue::Fits(v as i64)
    } else {
        IntegerValue::OutOfRange
    }
}

pub(crate) fn from_number(n: &Number) -> IntegerValue {
    if let Some(v) = n.as_i64() {
        IntegerValue::Fits(v)
    } else if let Some(v) = n.as_u64() {
        from_u64(v)
    } else {
        n.as_f64().map_or(IntegerValue::NotIntegral, from_f64)
    }
}

/// The message for an integer out of range, after the value itself.
pub(crate) fn out_of_range(value: impl std::fmt::Display) -> String {
    format!(
        "{value} is out of range: integer attributes are 64-bit, from {} to {}",
        i64::MIN,
        i64::MAX
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edges_of_i64() {
        let n = |s: &str| from_number(&serde_json::from_str(s).unwrap());
        assert_eq!(n("3"), IntegerValue::Fits(3));
        assert_eq!(n("3.0"), IntegerValue::Fits(3));
        assert_eq!(n("-0.0"), IntegerValue::Fits(0));
        assert_eq!(n("3.5"), IntegerValue::NotIntegral);
        assert_eq!(n("9223372036854775807"), IntegerValue::Fits(i64::MAX));
        assert_eq!(n("9223372036854775808"), IntegerValue::OutOfRange);
        assert_eq!(n("-9223372036854775808"), IntegerValue::Fits(i64::MIN));
        // serde_json reads integers beyond i64/u64 as the nearest f64: this one is -2^63 exactly.
        assert_eq!(n("-9223372036854775809"), IntegerValue::Fits(i64::MIN));
        assert_eq!(n("-9223372036854777856"), IntegerValue::OutOfRange); // the next f64 down
        assert_eq!(n("9.223372036854775807e18"), IntegerValue::OutOfRange); // 2^63 as a float
        assert_eq!(n("1e300"), IntegerValue::OutOfRange);
        assert_eq!(n("-1e300"), IntegerValue::OutOfRange);
        assert_eq!(n("18446744073709551616"), IntegerValue::OutOfRange);
    }
}
