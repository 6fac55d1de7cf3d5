//! `x-acs-date`: UTC `YYYY-MM-DDTHH:MM:SSZ`, formatted and strictly parsed.

use time::{
    OffsetDateTime, PrimitiveDateTime, format_description::BorrowedFormatItem,
    macros::format_description,
};

const ACS_DATE: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// `x-acs-date` for a Unix time. Times past year 9999 (which the format cannot hold) give its last second.
pub fn format_acs_date(unix_seconds: u64) -> String {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(ACS_DATE).ok())
        .unwrap_or_else(|| "9999-12-31T23:59:59Z".to_owned())
}

/// The Unix time of a strict `YYYY-MM-DDTHH:MM:SSZ`; `None` for anything else, including impossible dates
/// (Feb 30, hour 24, leap second 60) and dates before 1970.
pub fn parse_acs_date(s: &str) -> Option<u64> {
    // The parser would also take a signed or five-digit year; the wire format has exactly four digits.
    if s.len() != 20 {
        return None;
    }
    let parsed = PrimitiveDateTime::parse(s, ACS_DATE).ok()?;
    u64::try_from(parsed.assume_utc().unix_timestamp()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_and_parse() {
        for (unix, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (59, "1970-01-01T00:00:59Z"),
            (86_399, "1970-01-01T23:59:59Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (951_868_799, "2000-02-29T23:59:59Z"),
            (951_868_800, "2000-03-01T00:00:00Z"),
            (1_582_934_400, "2020-02-29T00:00:00Z"),
            (1_698_315_752, "2023-10-26T10:22:32Z"),
            (1_709_251_199, "2024-02-29T23:59:59Z"),
            (1_735_689_599, "2024-12-31T23:59:59Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ] {
            assert_eq!(format_acs_date(unix), text);
            assert_eq!(parse_acs_date(text), Some(unix), "{text}");
        }
        // Every day boundary over several leap cycles survives the round trip.
        for day in (0..200_000u64).step_by(7) {
            let unix = day * 86_400 + 43_261;
            assert_eq!(parse_acs_date(&format_acs_date(unix)), Some(unix));
        }
        // Far-future times must not panic; past the four-digit years they stop at the last second there is.
        assert_eq!(format_acs_date(u64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(format_acs_date(253_402_300_800), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn dates_that_do_not_parse() {
        for text in [
            "",
            "2023-10-26T10:22:32",
            "2023-10-26T10:22:32z",
            "2023-10-26 10:22:32Z",
            "2023-10-26T10:22:32.000Z",
            "2023-10-26T10:22:32+00:00",
            "23-10-26T10:22:32Z",
            "2023-1-026T10:22:32Z",
            "2023-10-26T1a:22:32Z",
            "+023-10-26T10:22:32Z",
            "2023-00-26T10:22:32Z",
            "2023-13-26T10:22:32Z",
            "2023-10-00T10:22:32Z",
            "2023-10-32T10:22:32Z",
            "2023-02-29T10:22:32Z",
            "2100-02-29T10:22:32Z",
            "2023-04-31T10:22:32Z",
            "2023-10-26T24:00:00Z",
            "2023-10-26T10:60:00Z",
            "2023-10-26T10:22:60Z",
            "1969-12-31T23:59:59Z",
            "２023-10-26T10:22:32Z",
        ] {
            assert_eq!(parse_acs_date(text), None, "{text:?}");
        }
    }
}
