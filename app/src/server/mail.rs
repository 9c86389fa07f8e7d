//! `POST /integrations/office365/email`: checks the mail, resolves its attachments, sends it
//! through Office 365 and logs it as a completed `email` activity on the records it is about.
//!
//! Attachments are never paths: an entry is the id of a document uploaded to Lanes (`DOC_…`,
//! visible to the caller) or the plain name of a file in `LANES_ATTACHMENTS_DIR` that, with every
//! symlink resolved, is still inside that folder. Anything else is a 400 naming the entry, so no
//! caller can make Lanes read another file of the server.

use std::path::{Path, PathBuf};

use super::{
    AppState,
    crm::{Access, activities, resource},
    documents, ids,
    integrations::office365::{self, Attachment, MAX_ATTACHMENT_BYTES, Message},
    time,
};
use crate::{
    error::{AppError, ErrorKind},
    model::{
        Account, ActivityInput, ActivityStatus, ActivityType, Contact, EmailRequest, EmailResult, Opportunity, validate,
    },
};

pub const MAX_CC: usize = 50;
pub const MAX_ATTACHMENTS: usize = 10;
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 500_000;

/// Sends a mail for the caller; see the module docs.
pub async fn send(state: &AppState, access: &Access, request: EmailRequest) -> Result<EmailResult, AppError> {
    access.ensure_can_create()?;
    office365::ensure_configured(state)?;
    let to = validate::email("to_email", &request.to_email)?;
    if request.cc_emails.len() > MAX_CC {
        return Err(AppError::invalid("cc_emails", format!("cc_emails: at most {MAX_CC} addresses")));
    }
    let cc = request
        .cc_emails
        .iter()
        .enumerate()
        .map(|(i, address)| validate::email(&format!("cc_emails[{i}]"), address))
        .collect::<Result<Vec<_>, _>>()?;
    let subject = validate::required_text("subject", &request.subject, MAX_SUBJECT_CHARS)?;
    let html = validate::required_text("body", &request.body, MAX_BODY_CHARS)?;
    let links = links(state, access, &request).await?;
    let attachments = attachments(state, access, &request.attachments).await?;

    let names: Vec<String> = attachments.iter().map(|a| a.name.clone()).collect();
    let message = Message { to: vec![to.clone()], cc: cc.clone(), subject: subject.clone(), html, attachments };
    let message_id = office365::send(state, &message).await?;

    let activity_id = match links {
        Some(links) => {
            let description = describe(&to, &cc, &names, &message.html);
            log_activity(state, access, links, &subject, description).await
        }
        None => None,
    };
    Ok(EmailResult {
        success: true,
        status: "sent".into(),
        message: "Email sent successfully".into(),
        message_id,
        timestamp: time::now(),
        activity_id,
    })
}

/// The records a mail is logged on. A contact or opportunity given without an account brings
/// its account, so the mail shows on the account's timeline too.
struct Links {
    account_id: Option<String>,
    contact_id: Option<String>,
    opportunity_id: Option<String>,
}

/// A record the caller cannot see is a 400 naming the field, as if it did not exist.
fn unknown(field: &str, id: &str) -> impl Fn(AppError) -> AppError {
    let (field, id) = (field.to_owned(), id.to_owned());
    move |e| match e.kind {
        ErrorKind::NotFound => AppError::invalid(&field, format!("{field}: no record with id {id:?}")),
        _ => e,
    }
}

async fn links(state: &AppState, access: &Access, request: &EmailRequest) -> Result<Option<Links>, AppError> {
    let mut account_id = None;
    if let Some(id) = &request.account_id {
        let account: Account = resource::get(state, access, id).await.map_err(unknown("account_id", id))?;
        account_id = Some(account.account_id);
    }
    let mut contact_id = None;
    if let Some(id) = &request.contact_id {
        let contact: Contact = resource::get(state, access, id).await.map_err(unknown("contact_id", id))?;
        account_id = account_id.or(contact.account_id);
        contact_id = Some(contact.contact_id);
    }
    let mut opportunity_id = None;
    if let Some(id) = &request.opportunity_id {
        let opportunity: Opportunity = resource::get(state, access, id).await.map_err(unknown("opportunity_id", id))?;
        account_id = account_id.or(Some(opportunity.account_id));
        opportunity_id = Some(opportunity.opportunity_id);
    }
    let any = account_id.is_some() || contact_id.is_some() || opportunity_id.is_some();
    Ok(any.then_some(Links { account_id, contact_id, opportunity_id }))
}

/// Logs the sent mail. The mail is out already: a failure here is logged, not answered with an
/// error (a client retrying would send the mail twice).
async fn log_activity(
    state: &AppState,
    access: &Access,
    links: Links,
    subject: &str,
    description: String,
) -> Option<String> {
    let input = ActivityInput {
        subject: subject.to_owned(),
        description: Some(description),
        activity_type: ActivityType::Email,
        status: Some(ActivityStatus::Completed),
        priority: None,
        due_date: None,
        start_time: Some(time::now()),
        end_time: None,
        duration_minutes: None,
        account_id: links.account_id,
        contact_id: links.contact_id,
        opportunity_id: links.opportunity_id,
        lead_id: None,
        assigned_to: None,
        outcome: Some("Sent".into()),
        next_steps: None,
    };
    let logged = async {
        let mut tx = state.db.begin_write().await?;
        let id = activities::create_in(&mut tx, access, input).await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match logged {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::error!(error = %e.detail, "a sent mail could not be logged as an activity");
            None
        }
    }
}

/// The activity's description: recipients, attachments and the start of the text.
fn describe(to: &str, cc: &[String], attachments: &[String], html: &str) -> String {
    let mut text = format!("To: {to}");
    if !cc.is_empty() {
        text.push_str(&format!("\nCc: {}", cc.join(", ")));
    }
    if !attachments.is_empty() {
        text.push_str(&format!("\nAttachments: {}", attachments.join(", ")));
    }
    let excerpt: String = html_to_text(html).chars().take(2000).collect();
    if !excerpt.is_empty() {
        text.push_str("\n\n");
        text.push_str(&excerpt);
    }
    text
}

/// The readable text of an HTML body: tags dropped (with script and style content), the common
/// entities decoded, whitespace collapsed. For the activity log, not for display as HTML.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let tag = &rest[start..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let name = tag[1..end].trim_start_matches('/').split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
        let skip_to = ["script", "style"]
            .iter()
            .find(|skipped| name.eq_ignore_ascii_case(skipped) && !tag[1..].starts_with('/'))
            .and_then(|skipped| {
                let lower = tag.to_ascii_lowercase();
                lower.find(&format!("</{skipped}")).map(|close| close + lower[close..].find('>').map_or(0, |e| e + 1))
            });
        text.push(' ');
        rest = &tag[skip_to.unwrap_or(end).min(tag.len())..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- Attachments -------------------------------------------------------------------------------

async fn attachments(state: &AppState, access: &Access, entries: &[String]) -> Result<Vec<Attachment>, AppError> {
    if entries.len() > MAX_ATTACHMENTS {
        return Err(AppError::invalid("attachments", format!("attachments: at most {MAX_ATTACHMENTS} files")));
    }
    let mut total = 0;
    let mut resolved = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let field = format!("attachments[{i}]");
        let shown: String = entry.chars().take(100).collect();
        let refused = |why: &str| AppError::invalid(&field, format!("{field}: {shown:?} {why}"));
        let attachment = if entry.starts_with(ids::DOCUMENT) {
            let (document, bytes) = documents::content(state, access, entry).await.map_err(|e| {
                if e.kind == ErrorKind::NotFound { refused("is not a document uploaded to Lanes") } else { e }
            })?;
            Attachment { name: document.file_name, content_type: document.content_type, bytes }
        } else {
            let dir = state.settings.integrations.attachments_dir.as_deref();
            let path = attachment_path(dir, entry).await.map_err(refused)?;
            let size = tokio::fs::metadata(&path).await.map(|m| m.len()).unwrap_or(u64::MAX);
            if size > MAX_ATTACHMENT_BYTES as u64 {
                return Err(too_much(&field));
            }
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| super::error::internal("reading an attachment from LANES_ATTACHMENTS_DIR", e))?;
            Attachment { name: entry.clone(), content_type: content_type_of(entry).to_owned(), bytes }
        };
        total += attachment.bytes.len();
        if total > MAX_ATTACHMENT_BYTES {
            return Err(too_much(&field));
        }
        resolved.push(attachment);
    }
    Ok(resolved)
}

fn too_much(field: &str) -> AppError {
    AppError::invalid(
        field,
        format!(
            "{field}: the attachments come to more than {} MB, the most Office 365 takes in one message",
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        ),
    )
}

/// The file `name` in the attachments folder, or why it may not be attached. `name` must be a
/// plain file name, and the file, with every symlink resolved, must lie inside the folder.
pub async fn attachment_path(dir: Option<&Path>, name: &str) -> Result<PathBuf, &'static str> {
    let Some(dir) = dir else {
        return Err("is not the id of an uploaded document (DOC_…), and no attachments folder is configured");
    };
    let plain = !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control);
    if !plain {
        return Err(
            "is not a plain file name: attach an uploaded document (DOC_…) or a file of the attachments folder",
        );
    }
    let outside = "is not a file in the attachments folder";
    let Ok(root) = tokio::fs::canonicalize(dir).await else {
        tracing::warn!(dir = %dir.display(), "LANES_ATTACHMENTS_DIR cannot be read");
        return Err(outside);
    };
    let path = tokio::fs::canonicalize(root.join(name)).await.map_err(|_| outside)?;
    let is_file = tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file());
    if path.starts_with(&root) && path != root && is_file { Ok(path) } else { Err(outside) }
}

/// The media type of a file of the attachments folder, by its extension.
fn content_type_of(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            html_to_text("<html><body><h2>Proposal</h2><p>Please&nbsp;find &amp; read</p></body></html>"),
            "Proposal Please find & read"
        );
        assert_eq!(html_to_text("<style>p{color:red}</style><p>Hi</p><script>alert(1)</script>!"), "Hi !");
        assert_eq!(html_to_text("plain"), "plain");
        assert_eq!(html_to_text("a < b"), "a");
    }

    #[tokio::test]
    async fn only_plain_names_inside_the_folder_resolve() {
        let dir = std::env::temp_dir().join(format!("lanes-attach-{}", ids::new_id("")));
        let inside = dir.join("files");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::write(inside.join("offer.pdf"), b"%PDF").unwrap();
        std::fs::write(dir.join("secret.txt"), b"secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("secret.txt"), inside.join("link.txt")).unwrap();

        let folder = Some(inside.as_path());
        assert!(attachment_path(folder, "offer.pdf").await.unwrap().ends_with("offer.pdf"));
        for bad in ["../secret.txt", "/etc/passwd", "..", ".", "", "sub/offer.pdf", "missing.pdf", "link.txt"] {
            assert!(attachment_path(folder, bad).await.is_err(), "{bad} must be refused");
        }
        assert!(attachment_path(None, "offer.pdf").await.is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
