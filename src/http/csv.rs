//! CSV: `GET /{accounts|contacts|leads}/export.csv` (filters as on the list) and
//! `POST /{accounts|contacts|leads}/import` (all or nothing; bad rows listed by line).

use app::{
    error::{AppError, ErrorKind},
    server::{
        AppState,
        crm::{
            Access,
            csv_io::{self, ImportReport, Importable},
            resource::Resource,
        },
    },
};
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Serialize;

use super::QueryPairs;

/// Largest CSV file an import takes.
const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

pub fn routes<R: Importable + Resource + Serialize + Send + 'static>() -> Router<AppState> {
    Router::new()
        .route(&format!("/{}/export.csv", R::TABLE), get(export::<R>))
        .route(&format!("/{}/import", R::TABLE), post(import::<R>).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)))
}

async fn export<R: Importable + Resource + Serialize + Send>(
    State(state): State<AppState>,
    access: Access,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let csv = csv_io::export_all::<R>(&state, &access, &pairs).await?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}.csv\"", R::TABLE))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}

async fn import<R: Importable + Resource + Serialize + Send>(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !(content_type.starts_with("text/csv") || content_type.starts_with("application/csv")) {
        return Err(AppError::new(ErrorKind::UnsupportedMediaType, "Expected a CSV body with Content-Type: text/csv"));
    }
    let report: ImportReport = csv_io::import::<R>(&state, &access, &body).await?;
    let status = if report.errors.is_empty() { StatusCode::CREATED } else { StatusCode::BAD_REQUEST };
    let mut body = serde_json::to_value(&report).map_err(|e| app::server::error::internal("import report", e))?;
    if !report.errors.is_empty() {
        // Keep the error shape: a `detail`, with the row errors beside it.
        body["detail"] = format!("{} row(s) have errors; nothing was imported", report.errors.len()).into();
    }
    Ok((status, Json(body)).into_response())
}
