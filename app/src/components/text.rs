//! How the pages write values: labels from wire names, dates from stored timestamps.

/// `Some(trimmed)` unless blank.
pub fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// "closed_won" → "Closed won".
pub fn humanize(text: &str) -> String {
    let text = text.replace('_', " ");
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The date part of a stored timestamp.
pub fn day(at: &str) -> String {
    at.get(..10).unwrap_or(at).to_owned()
}

/// "2024-06-30 14:05" from a stored timestamp.
pub fn minute(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

/// A stored timestamp as a `datetime-local` input shows it ("2024-06-30T14:05").
pub fn local_input(at: &str) -> String {
    at.get(..16).unwrap_or(at).to_owned()
}

/// A `datetime-local` input's value as a UTC timestamp (the app shows times in UTC); other text
/// (a date, a full timestamp, something to refuse) goes to the server as typed.
pub fn from_local_input(text: &str) -> String {
    let text = text.trim();
    if text.len() == 16 && text.as_bytes()[10] == b'T' { format!("{text}:00Z") } else { text.to_owned() }
}

/// A number as people type it ("2,500,000.50"); `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    text.replace([',', ' '], "").parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_values_for_people() {
        assert_eq!(humanize("closed_won"), "Closed won");
        assert_eq!(humanize(""), "");
        assert_eq!(non_blank("  a b "), Some("a b".to_owned()));
        assert_eq!(non_blank("   "), None);
        assert_eq!(day("2024-06-30T14:05:00Z"), "2024-06-30");
        assert_eq!(minute("2024-06-30T14:05:00Z"), "2024-06-30 14:05");
        assert_eq!(local_input("2024-06-30T14:05:00Z"), "2024-06-30T14:05");
        assert_eq!(from_local_input("2024-06-30T14:05"), "2024-06-30T14:05:00Z");
        assert_eq!(from_local_input(" 2024-06-30 "), "2024-06-30");
        assert_eq!(parse_number("2,500,000.5"), Some(2_500_000.5));
        assert_eq!(parse_number("lots"), None);
    }
}
