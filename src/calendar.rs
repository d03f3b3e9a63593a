//! Calendar arithmetic in one place: civil dates to days and back (Howard
//! Hinnant's algorithms), Excel date serials, and the timestamps workbooks
//! record when they are saved.

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a number of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if m <= 2 { 1 } else { 0 }, m, d)
}

/// Today's civil date in Vietnam (UTC+7), from the system clock.
pub fn today() -> (i64, i64, i64) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    civil_from_days((now + 7 * 3600).div_euclid(86_400))
}

/// The day a document is dated: today, or the day SOURCE_DATE_EPOCH gives
/// when it is set (reproducible outputs, tests). What is read is always
/// judged against the real today.
pub fn dating_day() -> (i64, i64, i64) {
    match std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok()) {
        Some(secs) => civil_from_days((secs + 7 * 3600).div_euclid(86_400)),
        None => today(),
    }
}

/// The civil date `n` days after a civil date.
pub fn add_days((y, m, d): (i64, i64, i64), n: i64) -> (i64, i64, i64) {
    civil_from_days(days_from_civil(y, m, d) + n)
}

/// Excel serial (1900 system) of a civil date; 1899-12-30 is serial 0.
pub fn excel_serial(y: i64, m: i64, d: i64) -> f64 {
    (days_from_civil(y, m, d) + 25_569) as f64
}

/// "2024-06-30T08:15:00Z" → seconds since the epoch.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let date = s.get(..10)?;
    let mut it = date.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    let days = days_from_civil(y, m, d);
    let time = s.get(11..19).unwrap_or("00:00:00");
    let mut t = time.split(':').map(|p| p.parse::<i64>().unwrap_or(0));
    let (h, mi, se) = (t.next().unwrap_or(0), t.next().unwrap_or(0), t.next().unwrap_or(0));
    Some(days * 86_400 + h * 3600 + mi * 60 + se)
}

/// "30/06/2024 08:15" (UTC) from seconds since the epoch.
pub fn format_vn(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{d:02}/{m:02}/{y} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials() {
        assert_eq!(excel_serial(2024, 6, 15), 45458.0);
        assert_eq!(excel_serial(1899, 12, 30), 0.0);
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(parse_timestamp("2024-06-30T08:00:00Z"), Some(1_719_734_400));
        assert_eq!(parse_timestamp("junk"), None);
        assert_eq!(format_vn(1_719_734_400), "30/06/2024 08:00");
    }
}
