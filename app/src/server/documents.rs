//! Uploaded documents (`POST /documents`): the files mail can attach. The content is kept in the
//! database with its SHA-256, under a name reduced to a safe base name; nothing is written to disk.
//! Documents are read like CRM records: by every signed-in user, or with
//! `LANES_USER_VISIBILITY=own` only by their uploader (and managers and admins).

use sha2::{Digest, Sha256};
use sqlx::{Row, any::AnyRow};

use super::{
    AppState,
    crm::{Access, RowExt},
    ids,
    sql::Sql,
    time,
};
use crate::{
    error::{AppError, ErrorKind},
    model::Document,
};

/// The largest document Lanes stores.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

const COLUMNS: &str = "d.document_id, d.file_name, d.content_type, d.size_bytes, d.sha256, d.uploaded_by, d.created_at";

fn from_row(row: &AnyRow) -> Result<Document, sqlx::Error> {
    Ok(Document {
        document_id: row.text("document_id")?,
        file_name: row.text("file_name")?,
        content_type: row.text("content_type")?,
        size_bytes: row.int("size_bytes")?,
        sha256: row.text("sha256")?,
        uploaded_by: row.opt_text("uploaded_by")?,
        created_at: row.text("created_at")?,
    })
}

pub fn too_large() -> AppError {
    AppError::new(
        ErrorKind::PayloadTooLarge,
        format!("file: documents may be at most {} MiB", MAX_DOCUMENT_BYTES / (1024 * 1024)),
    )
}

/// Stores an uploaded file and returns its record.
pub async fn store(
    state: &AppState,
    access: &Access,
    file_name: &str,
    content_type: Option<&str>,
    content: &[u8],
) -> Result<Document, AppError> {
    access.ensure_can_create()?;
    if content.is_empty() {
        return Err(AppError::invalid("file", "file: is empty"));
    }
    if content.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large());
    }
    let sha256: String = Sha256::digest(content).iter().map(|b| format!("{b:02x}")).collect();
    let document_id = ids::new_id(ids::DOCUMENT);
    sqlx::query(
        "INSERT INTO documents (document_id, file_name, content_type, size_bytes, sha256, content, uploaded_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&document_id)
    .bind(safe_file_name(file_name))
    .bind(safe_content_type(content_type))
    .bind(content.len() as i64)
    .bind(sha256)
    .bind(content.to_vec())
    .bind(access.me())
    .bind(time::now())
    .execute(state.db.pool())
    .await?;
    get(state, access, &document_id).await
}

fn not_found(id: &str) -> AppError {
    AppError::not_found(format!("Document {id} not found"))
}

/// Selects one document the caller may see: `columns` and the visibility rule, in one place.
fn select_visible(access: &Access, columns: &str, id: &str) -> Sql {
    let mut sql = Sql::new(&format!("SELECT {columns} FROM documents d WHERE d.document_id = "));
    sql.bind(id);
    access.restrict(&mut sql, "d", &["uploaded_by"]);
    sql
}

/// A document's record (no content); 404 when it does not exist or is hidden from the caller.
pub async fn get(state: &AppState, access: &Access, id: &str) -> Result<Document, AppError> {
    if !ids::is_valid(ids::DOCUMENT, id) {
        return Err(not_found(id));
    }
    let row = select_visible(access, COLUMNS, id).query().fetch_optional(state.db.pool()).await?;
    Ok(from_row(&row.ok_or_else(|| not_found(id))?)?)
}

/// A document with its content.
pub async fn content(state: &AppState, access: &Access, id: &str) -> Result<(Document, Vec<u8>), AppError> {
    if !ids::is_valid(ids::DOCUMENT, id) {
        return Err(not_found(id));
    }
    let row = select_visible(access, &format!("{COLUMNS}, d.content"), id)
        .query()
        .fetch_optional(state.db.pool())
        .await?
        .ok_or_else(|| not_found(id))?;
    let content: Vec<u8> = row.try_get("content")?;
    Ok((from_row(&row)?, content))
}

/// The base name of an uploaded file: no directories, no control or shell-special characters,
/// no leading dots, at most 200 characters; `document` when nothing is left.
pub fn safe_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')).collect();
    let name: String = kept.trim().trim_start_matches('.').trim().chars().take(200).collect();
    if name.is_empty() { "document".to_owned() } else { name }
}

/// A media type as `type/subtype` (parameters dropped), or `application/octet-stream`.
pub fn safe_content_type(raw: Option<&str>) -> String {
    let essence = raw.unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let token = |t: &str| {
        !t.is_empty() && t.len() <= 100 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match essence.split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => essence,
        _ => "application/octet-stream".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_special_characters() {
        assert_eq!(safe_file_name("proposal.pdf"), "proposal.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\ann\\Q3 offer.docx"), "Q3 offer.docx");
        assert_eq!(safe_file_name(".."), "document");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("a\"b<c>\n.txt"), "abc.txt");
        assert_eq!(safe_file_name(""), "document");
        assert_eq!(safe_file_name(&"x".repeat(300)).len(), 200);
    }

    #[test]
    fn content_types_are_plain_media_types() {
        assert_eq!(safe_content_type(Some("application/PDF")), "application/pdf");
        assert_eq!(safe_content_type(Some("text/plain; charset=utf-8")), "text/plain");
        assert_eq!(safe_content_type(Some("text/html\r\nX-Evil: 1")), "application/octet-stream");
        assert_eq!(safe_content_type(Some("nonsense")), "application/octet-stream");
        assert_eq!(safe_content_type(None), "application/octet-stream");
    }
}
