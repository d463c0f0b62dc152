//! The results file `bench/run.sh` collects: one `key value` per line, a key repeated once per
//! run (in the order of the runs).

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

pub struct Results {
    values: BTreeMap<String, Vec<String>>,
}

impl Results {
    pub fn read(path: &Path) -> io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            values.entry(key.to_owned()).or_default().push(value.to_owned());
        }
        Ok(Results { values })
    }

    /// Every value of a key, in order.
    pub fn all(&self, key: &str) -> &[String] {
        self.values.get(key).map_or(&[], Vec::as_slice)
    }

    /// The last value of a key.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.all(key).last().map(String::as_str)
    }

    pub fn number(&self, key: &str) -> Option<f64> {
        self.text(key).and_then(|v| v.parse().ok())
    }

    /// Every value of a key that is a number.
    pub fn numbers(&self, key: &str) -> Vec<f64> {
        self.all(key).iter().filter_map(|v| v.parse().ok()).collect()
    }

    /// Keys starting with `prefix`, in order.
    pub fn keys_with(&self, prefix: &str) -> Vec<&str> {
        self.values
            .keys()
            .filter(|k| k.starts_with(prefix))
            .map(String::as_str)
            .collect()
    }
}

/// The median, lowest and highest of some numbers (`None` when there are none).
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Some(Spread {
            median,
            min: v[0],
            max: v[n - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Spread;

    #[test]
    fn median_of_odd_and_even_counts() {
        let s = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        assert_eq!(Spread::of(&[4.0, 1.0]).unwrap().median, 2.5);
        assert!(Spread::of(&[]).is_none());
    }
}
