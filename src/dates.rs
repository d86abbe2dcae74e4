//! Dates and times as the content model writes them and as readers read them.
//!
//! Editors write `2024/5/1`, `2024-05-01`, `2026-12-05 13:30`; documents keep ISO 8601 in
//! Japan time, and pages show `2024年5月1日` and `2026年12月5日（土）13:30〜16:00`. Parsing
//! (for validation) and formatting (for pages and cards) live together so the two agree.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};

/// Japan Standard Time; Japan has no daylight saving, so a fixed offset is exact.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("valid offset")
}

/// `2024-05-01`, `2024/5/1`, or the date part of a date-time.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let date_part = s.split(['T', ' ']).next()?;
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(date_part, "%Y/%m/%d"))
        .ok()
}

/// `2019-04` or `2019/4` → `2019-04`.
pub fn parse_year_month(s: &str) -> Option<String> {
    let (y, m) = s.trim().split_once(['-', '/'])?;
    let (y, m): (u32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && y.to_string().len() == 4).then(|| format!("{y}-{m:02}"))
}

/// A date-time in RFC 3339 with offset; times without an offset are Japan time, a date
/// alone is midnight Japan time.
pub fn parse_datetime(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339());
    }
    let s2 = s.replace('/', "-");
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(&s2, fmt) {
            return Some(format!("{}+09:00", d.format("%Y-%m-%dT%H:%M:%S")));
        }
    }
    parse_date(s).map(|d| format!("{}T00:00:00+09:00", d.format("%Y-%m-%d")))
}

/// Monday first, as chrono counts.
const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// `2024-05-01` → `2024年5月1日`.
pub fn date_ja(s: &str) -> String {
    match parse_date(s) {
        Some(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        None => s.to_string(),
    }
}

/// `2019` → `2019年`, `2019-04` → `2019年4月`, a full date → `2019年4月1日`.
pub fn started_ja(s: &str) -> String {
    match s.len() {
        4 => format!("{s}年"),
        7 => format!("{}年{}月", &s[..4], s[5..].trim_start_matches('0')),
        _ => date_ja(s),
    }
}

/// The day of a date-time, in Japan.
pub fn event_day(s: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&jst()).date_naive())
}

/// `2026年12月5日（土）13:30〜16:00`, shown in Japan time.
pub fn event_when(start: &str, end: Option<&str>) -> String {
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&jst()));
    let Some(s) = parse(start) else { return start.to_string() };
    let day = |d: &DateTime<chrono::FixedOffset>| {
        format!("{}年{}月{}日（{}）", d.year(), d.month(), d.day(), WEEKDAYS[d.weekday().num_days_from_monday() as usize])
    };
    let time = |d: &DateTime<chrono::FixedOffset>| d.format("%H:%M").to_string();
    let midnight = |d: &DateTime<chrono::FixedOffset>| time(d) == "00:00";
    let mut out = day(&s);
    if !midnight(&s) {
        out.push_str(&time(&s));
    }
    if let Some(e) = end.and_then(parse) {
        if e.date_naive() == s.date_naive() {
            if !midnight(&e) {
                out.push_str(&format!("〜{}", time(&e)));
            }
        } else {
            out.push('〜');
            out.push_str(&day(&e));
            if !midnight(&e) {
                out.push_str(&time(&e));
            }
        }
    }
    out
}

/// `2025` → `2025年度（令和7年度）`.
pub fn fiscal_year_label(y: &str) -> String {
    match y.parse::<i32>() {
        Ok(n) if n >= 2019 => format!("{n}年度（令和{}年度）", n - 2018),
        Ok(n) => format!("{n}年度"),
        Err(_) => y.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_editors_write() {
        assert_eq!(parse_date("2024/5/1").unwrap().to_string(), "2024-05-01");
        assert!(parse_date("2024-02-30").is_none());
        assert_eq!(parse_datetime("2026-12-05 13:30").unwrap(), "2026-12-05T13:30:00+09:00");
        assert_eq!(parse_datetime("2026-12-05T04:30:00Z").unwrap(), "2026-12-05T04:30:00+00:00");
        assert_eq!(parse_datetime("2026-12-05").unwrap(), "2026-12-05T00:00:00+09:00");
    }

    #[test]
    fn event_times_in_japanese() {
        assert_eq!(event_when("2026-12-05T13:30:00+09:00", Some("2026-12-05T16:00:00+09:00")), "2026年12月5日（土）13:30〜16:00");
        assert_eq!(event_when("2026-12-05T00:00:00+09:00", Some("2026-12-06T00:00:00+09:00")), "2026年12月5日（土）〜2026年12月6日（日）");
    }
}
