//! Partial updates: a field left out keeps its value, `null` clears it, a value sets it.

use serde::{Deserialize, Deserializer};

/// For `Option<Option<T>>` fields of a PATCH body: absent → `None`, `null` → `Some(None)`,
/// a value → `Some(Some(v))`. Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "super::nullable")]
        phone: Option<Option<String>>,
    }

    #[test]
    fn tells_absent_from_null() {
        let absent: Patch = serde_json::from_str("{}").unwrap();
        let null: Patch = serde_json::from_str(r#"{"phone": null}"#).unwrap();
        let set: Patch = serde_json::from_str(r#"{"phone": "+1"}"#).unwrap();
        assert_eq!(absent.phone, None);
        assert_eq!(null.phone, Some(None));
        assert_eq!(set.phone, Some(Some("+1".into())));
    }
}
