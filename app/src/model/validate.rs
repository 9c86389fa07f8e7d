//! Input rules shared by the server and the browser forms, so both say the same thing.

use crate::error::AppError;

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Trims and lowercases an email address and checks its shape; the error names `field`.
pub fn email(field: &str, value: &str) -> Result<String, AppError> {
    let value = value.trim().to_lowercase();
    let well_formed = value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if well_formed {
        Ok(value)
    } else {
        Err(AppError::invalid(field, format!("{field}: {value:?} is not a valid email address")))
    }
}

/// A new password: 10 to 128 characters.
pub fn new_password(field: &str, value: &str) -> Result<(), AppError> {
    let chars = value.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(AppError::invalid(field, format!("{field}: must be at least {PASSWORD_MIN_CHARS} characters")));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(AppError::invalid(field, format!("{field}: must be at most {PASSWORD_MAX_CHARS} characters")));
    }
    Ok(())
}

/// A required short text: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, format!("{field}: is required")));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(field, format!("{field}: must be at most {max} characters")));
    }
    Ok(value.to_owned())
}

/// An optional text: trimmed; empty means absent; at most `max` characters.
pub fn optional_text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, AppError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > max => {
            Err(AppError::invalid(field, format!("{field}: must be at most {max} characters")))
        }
        Some(text) => Ok(Some(text.to_owned())),
    }
}

/// An optional email address (lowercased).
pub fn optional_email(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    optional_text(field, value, 254)?.map(|v| email(field, &v)).transpose()
}

/// An optional http(s) URL with a host. `www.example.com` is taken as `https://www.example.com`.
pub fn optional_url(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    let Some(text) = optional_text(field, value, 2048)? else { return Ok(None) };
    let url = if text.contains("://") { text } else { format!("https://{text}") };
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default())
        .unwrap_or_default();
    let host_ok = !host.is_empty()
        && host.contains('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok && !url.chars().any(char::is_whitespace) {
        Ok(Some(url))
    } else {
        Err(AppError::invalid(field, format!("{field}: {url:?} is not a valid http(s) URL")))
    }
}

/// An optional phone number: digits, spaces and `+ - ( ) . /`, with at least five digits.
pub fn optional_phone(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    let Some(text) = optional_text(field, value, 40)? else { return Ok(None) };
    let allowed = text.chars().all(|c| c.is_ascii_digit() || " +-().x/".contains(c));
    if allowed && text.chars().filter(char::is_ascii_digit).count() >= 5 {
        Ok(Some(text))
    } else {
        Err(AppError::invalid(field, format!("{field}: {text:?} is not a valid phone number")))
    }
}

/// A non-negative amount of money, returned in cents.
pub fn money(field: &str, value: Option<f64>) -> Result<Option<i64>, AppError> {
    let Some(amount) = value else { return Ok(None) };
    if !amount.is_finite() || amount < 0.0 {
        return Err(AppError::invalid(field, format!("{field}: must be a non-negative amount")));
    }
    super::money::to_cents(amount)
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, format!("{field}: amount is too large")))
}

/// A probability in percent, 0 to 100.
pub fn probability(field: &str, value: f64) -> Result<f64, AppError> {
    if value.is_finite() && (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::invalid(field, format!("{field}: must be between 0 and 100")))
    }
}

/// A non-negative whole number.
pub fn non_negative(field: &str, value: Option<i64>) -> Result<Option<i64>, AppError> {
    match value {
        Some(n) if n < 0 => Err(AppError::invalid(field, format!("{field}: must not be negative"))),
        other => Ok(other),
    }
}

/// An optional point in time: RFC 3339 (or a plain date), stored as UTC with `Z`.
pub fn optional_time(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    let Some(text) = optional_text(field, value, 64)? else { return Ok(None) };
    normalize_time(&text).map(Some).ok_or_else(|| {
        AppError::invalid(field, format!("{field}: {text:?} is not an RFC 3339 date-time (e.g. 2024-06-30T00:00:00Z)"))
    })
}

/// RFC 3339 (any offset) or `YYYY-MM-DD` to `YYYY-MM-DDTHH:MM:SSZ`.
pub fn normalize_time(input: &str) -> Option<String> {
    use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
    let input = input.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(input) {
        return Some(at.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// `end` must come after `start` when both are given.
pub fn ordered(
    start_field: &str,
    start: &Option<String>,
    end_field: &str,
    end: &Option<String>,
) -> Result<(), AppError> {
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(AppError::invalid(end_field, format!("{end_field}: must not be before {start_field}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("email", " Jane.Doe@Example.COM ").unwrap(), "jane.doe@example.com");
        for bad in ["", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "a@b@c.com"] {
            let err = email("email", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("email"), "{bad}");
            assert!(err.detail.starts_with("email:"), "{}", err.detail);
        }
    }

    #[test]
    fn urls_phones_money_times() {
        assert_eq!(
            optional_url("website", Some("techcorp.com".into())).unwrap().as_deref(),
            Some("https://techcorp.com")
        );
        assert!(optional_url("website", Some("javascript:alert(1)".into())).is_err());
        assert!(optional_url("website", Some("https://".into())).is_err());
        assert_eq!(optional_phone("phone", Some(" +1-555-0123 ".into())).unwrap().as_deref(), Some("+1-555-0123"));
        assert!(optional_phone("phone", Some("call me".into())).is_err());
        assert_eq!(money("amount", Some(0.1 + 0.2)).unwrap(), Some(30));
        assert!(money("amount", Some(-1.0)).is_err());
        assert!(probability("probability", 100.5).is_err());
        assert_eq!(
            optional_time("due_date", Some("2024-06-30".into())).unwrap().as_deref(),
            Some("2024-06-30T00:00:00Z")
        );
        assert!(optional_time("due_date", Some("tomorrow".into())).is_err());
        assert_eq!(optional_text("city", Some("  ".into()), 10).unwrap(), None);
        let start = Some("2024-01-15T14:30:00Z".to_owned());
        let end = Some("2024-01-15T14:00:00Z".to_owned());
        assert_eq!(ordered("start_time", &start, "end_time", &end).unwrap_err().field.as_deref(), Some("end_time"));
    }

    #[test]
    fn passwords() {
        assert!(new_password("password", "123456789").is_err());
        assert!(new_password("password", "1234567890").is_ok());
        assert!(new_password("password", &"x".repeat(128)).is_ok());
        assert!(new_password("password", &"x".repeat(129)).is_err());
    }
}
