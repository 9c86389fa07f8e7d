//! Contract: "Integration Endpoints" — `POST /integrations/office365/email`; and the documents
//! mail attaches: `POST /documents` (multipart upload), `GET /documents/{id}` (its record) and
//! `GET /documents/{id}/content` (the file).

use app::{
    error::{AppError, ErrorKind},
    model::{Document, EmailRequest, EmailResult},
    server::{
        AppState,
        crm::Access,
        documents::{self, MAX_DOCUMENT_BYTES},
        mail,
    },
};
use axum::{
    Json, Router,
    extract::{
        DefaultBodyLimit, Multipart, Path, State,
        multipart::{MultipartError, MultipartRejection},
    },
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};

use super::ApiJson;

/// Room for the multipart framing around a file of the largest size.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/documents",
            post(upload_document).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + MULTIPART_OVERHEAD)),
        )
        .route("/documents/{id}", get(get_document))
        .route("/documents/{id}/content", get(download_document))
        .route("/integrations/office365/email", post(send_email))
}

fn multipart_error(error: MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        documents::too_large()
    } else {
        AppError::bad_request(format!("Malformed multipart body: {}", error.body_text()))
    }
}

/// The `file` part of a `multipart/form-data` body becomes a document.
async fn upload_document(
    State(state): State<AppState>,
    access: Access,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Document>), AppError> {
    // Refuse a viewer before reading up to 10 MiB.
    access.ensure_can_create()?;
    let mut multipart = multipart.map_err(|_| {
        AppError::new(ErrorKind::UnsupportedMediaType, "Expected a multipart/form-data body with a `file` part")
    })?;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or("document").to_owned();
        let content_type = field.content_type().map(str::to_owned);
        let content = field.bytes().await.map_err(multipart_error)?;
        let document = documents::store(&state, &access, &file_name, content_type.as_deref(), &content).await?;
        return Ok((StatusCode::CREATED, Json(document)));
    }
    Err(AppError::invalid("file", "file: the body has no part named `file`"))
}

async fn get_document(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<Json<Document>, AppError> {
    Ok(Json(documents::get(&state, &access, &id).await?))
}

/// The file, always as a download of opaque bytes: an uploaded HTML or SVG file must never be
/// rendered as a page of this site.
async fn download_document(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (document, content) = documents::content(&state, &access, &id).await?;
    let ascii_name: String =
        document.file_name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", ascii_name.replace('"', "_")))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        content,
    )
        .into_response())
}

async fn send_email(
    State(state): State<AppState>,
    access: Access,
    ApiJson(request): ApiJson<EmailRequest>,
) -> Result<Json<EmailResult>, AppError> {
    Ok(Json(mail::send(&state, &access, request).await?))
}
