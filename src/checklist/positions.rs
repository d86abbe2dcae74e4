//! Where the overview's map shows a municipality that answered. kyoso has no table of
//! municipal offices; the positions it knows are those of the actors the site lists. A
//! municipality is placed where its own actors are — the site's published actors whose
//! address is in it (their mean when there are several) — and a municipality without one
//! is listed beside the map in words, never given a made-up place.

use super::Answer;
use crate::model::Doc;

/// A position to 1/10,000 degree (about 10 m, finer than an overview map shows), in whole
/// numbers so that the site's fingerprint can hash it.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub struct Position {
    lat: i32,
    lon: i32,
}

const SCALE: f64 = 10_000.0;

impl Position {
    fn new(lat: f64, lon: f64) -> Position {
        Position { lat: (lat * SCALE).round() as i32, lon: (lon * SCALE).round() as i32 }
    }

    pub fn lat(self) -> f64 {
        f64::from(self.lat) / SCALE
    }

    pub fn lon(self) -> f64 {
        f64::from(self.lon) / SCALE
    }
}

/// Japan's extent (with its remote islands): a location outside it is a slip of the
/// editor's (latitude and longitude swapped, a missing digit), not a place to show.
fn in_japan(lat: f64, lon: f64) -> bool {
    (20.0..=46.0).contains(&lat) && (122.0..=154.0).contains(&lon)
}

/// Whether `address` is in `municipality` of `prefecture`: 「高知県幡多郡黒潮町入野」 and
/// 「黒潮町入野」 are in 黒潮町, 「高知県四万十市」 is not in 四万十町.
pub fn address_in(address: &str, prefecture: &str, municipality: &str) -> bool {
    let rest = address.trim();
    let rest = rest.strip_prefix(prefecture).unwrap_or(rest);
    rest.starts_with(municipality) || rest.split_once('郡').is_some_and(|(_, r)| r.starts_with(municipality))
}

/// The position of each answer's municipality (in `answers` order), from the site's own
/// published actors (`docs` as assembled: drafts and aggregated items are not used).
pub fn place(answers: &[Answer], docs: &[Doc]) -> Vec<Option<Position>> {
    let located: Vec<(&str, &str, f64, f64)> = docs
        .iter()
        .filter(|d| d.external.is_none())
        .filter_map(|d| {
            let a = d.actor()?;
            let l = a.location.filter(|l| in_japan(l.lat, l.lon))?;
            Some((a.prefecture.as_str(), a.address.as_deref()?, l.lat, l.lon))
        })
        .collect();
    answers
        .iter()
        .map(|a| {
            let here: Vec<(f64, f64)> =
                located.iter().filter(|(p, address, ..)| *p == a.prefecture && address_in(address, p, &a.municipality)).map(|&(.., lat, lon)| (lat, lon)).collect();
            let n = here.len() as f64;
            (!here.is_empty()).then(|| Position::new(here.iter().map(|p| p.0).sum::<f64>() / n, here.iter().map(|p| p.1).sum::<f64>() / n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_in_the_municipality_it_names_after_its_prefecture_and_county() {
        assert!(address_in("高知県幡多郡黒潮町入野2011", "高知県", "黒潮町"));
        assert!(address_in("黒潮町入野2011", "高知県", "黒潮町"));
        assert!(address_in("埼玉県秩父市宮側町7-20", "埼玉県", "秩父市"));
        assert!(address_in("岐阜県郡上市八幡町", "岐阜県", "郡上市"));
        assert!(!address_in("高知県四万十市中村", "高知県", "四万十町"));
        assert!(!address_in("高知県高岡郡中土佐町", "高知県", "四万十町"));
    }

    #[test]
    fn positions_round_to_a_ten_thousandth_of_a_degree() {
        let p = Position::new(33.04204, 133.00296);
        assert_eq!((p.lat(), p.lon()), (33.042, 133.003));
        assert!(!in_japan(133.0, 33.0) && in_japan(24.3, 153.98));
    }
}
