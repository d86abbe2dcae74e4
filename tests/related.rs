//! Related cases come from an index of 分野 subsets and places (see `RelatedIndex`); this
//! checks it against the plain definition, scoring every pair, on a generated site.

mod common;

use kyoso::pipeline::load_site;

#[test]
fn related_cases_match_scoring_every_pair() {
    const DOMAINS: [&str; 5] = ["買い物", "見守り", "移動", "食事", "居場所"];
    const PLACES: [(&str, Option<&str>); 5] =
        [("埼玉県", Some("川越市")), ("埼玉県", Some("秩父市")), ("埼玉県", None), ("高知県", Some("四万十町")), ("高知県", None)];
    let mut files = Vec::new();
    let mut seed: u32 = 7;
    let mut next = |n: u32| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) % n
    };
    for i in 0..150 {
        let mask = 1 + next(31);
        let domains: Vec<&str> = (0..5).filter(|b| mask & (1 << b) != 0).map(|b| DOMAINS[b as usize]).collect();
        let (pref, muni) = PLACES[next(5) as usize];
        let muni = muni.map(|m| format!("municipality: {m}\n")).unwrap_or_default();
        // Many cases share a date, so ties fall to the order of the site.
        let date = format!("2026-0{}-1{}", 1 + next(3), next(3));
        files.push((
            format!("content/cases/c{i:03}.md"),
            format!("---\ntitle: 事例{i}\ndate: {date}\nprefecture: {pref}\n{muni}domains: [{}]\n---\n本文\n", domains.join(", ")),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = common::site(&refs);
    let (site, _) = load_site(&common::options(dir.path()), &mut Vec::new()).unwrap();
    let index = site.related_index();
    let cases: Vec<usize> = (0..site.docs.len()).filter(|&i| site.docs[i].case().is_some()).collect();
    assert_eq!(cases.len(), 150);
    for &i in &cases {
        let me = site.docs[i].case().unwrap();
        let mut all: Vec<(u32, usize)> = cases
            .iter()
            .filter(|&&j| j != i)
            .filter_map(|&j| {
                let c = site.docs[j].case().unwrap();
                let shared = me.domains.iter().filter(|d| c.domains.contains(d)).count() as u32;
                if shared == 0 {
                    return None;
                }
                let place = match (c.prefecture == me.prefecture, c.municipality.is_some() && c.municipality == me.municipality) {
                    (true, true) => 2,
                    (true, false) => 1,
                    _ => 0,
                };
                Some((2 * shared + place, j))
            })
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let expected: Vec<usize> = all.into_iter().take(4).map(|(_, j)| j).collect();
        assert_eq!(site.related_cases(i, 4, &index), expected, "related cases of {}", site.docs[i].source.display());
    }
}
