//! Timestamps as Lanes stores and shows them: RFC 3339, UTC, whole seconds, `Z`.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn now() -> String {
    format(Utc::now())
}

/// Parses any RFC 3339 time (or a plain `YYYY-MM-DD`, taken as midnight UTC) into the stored form.
pub fn normalize(input: &str) -> Option<String> {
    crate::model::validate::normalize_time(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_to_utc_seconds_with_z() {
        assert_eq!(normalize("2024-01-15T12:30:00+02:00").as_deref(), Some("2024-01-15T10:30:00Z"));
        assert_eq!(normalize("2024-06-30").as_deref(), Some("2024-06-30T00:00:00Z"));
        assert_eq!(normalize("2024-06-30T00:00:00.999Z").as_deref(), Some("2024-06-30T00:00:00Z"));
        assert_eq!(normalize("next tuesday"), None);
        assert!(now().ends_with('Z'));
    }
}
