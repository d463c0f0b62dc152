//! Arrays with a minimum and maximum length, as `minItems` / `maxItems` require.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `Vec` whose length is always within `MIN..=MAX`.
///
/// ```
/// use proactive_schemas::BoundedVec;
///
/// let ok: BoundedVec<u8, 1, 5> = BoundedVec::new(vec![1, 2]).unwrap();
/// assert_eq!(ok.len(), 2);
/// assert!(BoundedVec::<u8, 1, 5>::new(vec![]).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BoundedVec<T, const MIN: usize, const MAX: usize>(Vec<T>);

/// A list whose length is outside the allowed range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", length_message(*min, *max, *len))]
pub struct LengthError {
    /// The length given.
    pub len: usize,
    /// Fewest items allowed.
    pub min: usize,
    /// Most items allowed.
    pub max: usize,
}

/// The validator's words for a length out of bounds ("expected at least 1 item(s), found 0").
fn length_message(min: usize, max: usize, len: usize) -> String {
    if len < min {
        format!("expected at least {min} item(s), found {len}")
    } else {
        format!("expected at most {max} item(s), found {len}")
    }
}

impl<T, const MIN: usize, const MAX: usize> BoundedVec<T, MIN, MAX> {
    /// Wraps `items` if their number is within bounds.
    pub fn new(items: Vec<T>) -> Result<Self, LengthError> {
        if (MIN..=MAX).contains(&items.len()) {
            Ok(BoundedVec(items))
        } else {
            Err(LengthError {
                len: items.len(),
                min: MIN,
                max: MAX,
            })
        }
    }

    /// The items.
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

impl<T, const MIN: usize, const MAX: usize> Deref for BoundedVec<T, MIN, MAX> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T, const MIN: usize, const MAX: usize> TryFrom<Vec<T>> for BoundedVec<T, MIN, MAX> {
    type Error = LengthError;
    fn try_from(items: Vec<T>) -> Result<Self, LengthError> {
        Self::new(items)
    }
}

impl<T, const MIN: usize, const MAX: usize> IntoIterator for BoundedVec<T, MIN, MAX> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T, const MIN: usize, const MAX: usize> IntoIterator for &'a BoundedVec<T, MIN, MAX> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Serialize, const MIN: usize, const MAX: usize> Serialize for BoundedVec<T, MIN, MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>, const MIN: usize, const MAX: usize> Deserialize<'de> for BoundedVec<T, MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(deserializer)?;
        Self::new(items).map_err(serde::de::Error::custom)
    }
}

impl<T: fmt::Display, const MIN: usize, const MAX: usize> fmt::Display for BoundedVec<T, MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            item.fmt(f)?;
        }
        Ok(())
    }
}
