//! Country outlines for the map: Natural Earth's 1:110m countries (public domain),
//! simplified and shipped in `data/countries-110m.txt` (see `data/README.md`), read once.

use std::sync::LazyLock;

/// A country's name and its outline's rings of (longitude, latitude), degrees.
pub(crate) type Country = (String, Vec<Vec<(f64, f64)>>);

/// The outlines, in the order of the file.
pub(crate) static COUNTRIES: LazyLock<Vec<Country>> =
    LazyLock::new(|| parse(include_str!("../../../data/countries-110m.txt")));

/// Reads the outlines file: `#` comments, then per line a name and its rings, separated by
/// tabs, each ring `lon,lat lon,lat ...`. A point that does not read is skipped (the file
/// is shipped and checked by a test, so none is).
fn parse(text: &str) -> Vec<Country> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next()?.to_string();
            let rings = fields
                .map(|ring| {
                    ring.split(' ')
                        .filter_map(|p| {
                            let (lon, lat) = p.split_once(',')?;
                            Some((lon.parse().ok()?, lat.parse().ok()?))
                        })
                        .collect()
                })
                .collect();
            Some((name, rings))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_outlines_read_whole_and_place_kazakhstan() {
        let text = include_str!("../../../data/countries-110m.txt");
        let points: usize = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.split('\t').skip(1))
            .map(|r| r.split(' ').count())
            .sum();
        let read: usize = COUNTRIES.iter().flat_map(|c| &c.1).map(Vec::len).sum();
        assert_eq!(read, points, "every point reads");
        assert!(COUNTRIES.len() > 150);
        let kz = COUNTRIES
            .iter()
            .find(|c| c.0 == "Kazakhstan")
            .expect("Kazakhstan");
        let lons = kz.1.iter().flatten().map(|p| p.0);
        let (lo, hi) = lons.fold((f64::MAX, f64::MIN), |a, x| (a.0.min(x), a.1.max(x)));
        assert!(
            (45.0..48.0).contains(&lo) && (86.0..89.0).contains(&hi),
            "{lo}..{hi}"
        );
    }
}
