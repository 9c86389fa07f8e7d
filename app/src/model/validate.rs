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
    fn passwords() {
        assert!(new_password("password", "123456789").is_err());
        assert!(new_password("password", "1234567890").is_ok());
        assert!(new_password("password", &"x".repeat(128)).is_ok());
        assert!(new_password("password", &"x".repeat(129)).is_err());
    }
}
