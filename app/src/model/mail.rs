//! Mail through Office 365 and the documents it attaches.

use serde::{Deserialize, Serialize};

/// `POST /integrations/office365/email` body: the contract's fields, plus the records to log the
/// mail on. `attachments` are ids of uploaded documents (`DOC_…`) or names of files in the
/// server's attachments folder (`LANES_ATTACHMENTS_DIR`); never paths.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    pub to_email: String,
    pub subject: String,
    /// HTML.
    pub body: String,
    #[serde(default)]
    pub cc_emails: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Log the sent mail as a completed `email` activity on these records.
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub opportunity_id: Option<String>,
}

/// The answer: the contract's fields, plus the activity the mail was logged as (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailResult {
    pub success: bool,
    /// `sent`.
    pub status: String,
    pub message: String,
    /// Microsoft Graph's id of the sent message.
    pub message_id: String,
    pub timestamp: String,
    pub activity_id: Option<String>,
}

/// An uploaded document (`POST /documents`), without its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Document {
    pub document_id: String,
    /// The uploaded file's name, reduced to a safe base name.
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub created_at: String,
}

/// Escapes text for an HTML mail body.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Typed text as an HTML mail body: escaped, blank lines between paragraphs, line breaks kept.
pub fn text_to_html(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(escape_html("<b>\"Tom\" & 'Jerry'</b>"), "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
    }

    #[test]
    fn typed_text_becomes_paragraphs() {
        assert_eq!(
            text_to_html("Hello Ann,\n\nthe offer <attached>\nis valid.\n"),
            "<p>Hello Ann,</p><p>the offer &lt;attached&gt;<br>is valid.</p>"
        );
        assert_eq!(text_to_html("  "), "");
    }
}
