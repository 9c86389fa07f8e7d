//! Server-side glue for `AppError`: HTTP responses and database errors.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::error::{AppError, ErrorKind};

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(serde_json::json!({ "detail": self.detail }))).into_response();
        if self.kind == ErrorKind::Unauthorized {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// An unexpected database failure: logged with its cause (inside the request's span, so with its
/// request id), answered with the generic 500 detail.
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::internal()
    }
}

/// Logs an unexpected failure of any kind and turns it into the generic 500.
pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{context}");
    AppError::internal()
}

/// True when `err` violates the unique constraint on `table.column` (primary keys included).
/// SQLite names `table.column` in its message; PostgreSQL names the constraint, which our
/// migrations always call `<table>_<column>_key`.
pub fn is_unique_violation_on(err: &sqlx::Error, table: &str, column: &str) -> bool {
    let Some(db_err) = err.as_database_error() else { return false };
    db_err.is_unique_violation()
        && (db_err.constraint() == Some(format!("{table}_{column}_key").as_str())
            || db_err.message().contains(&format!("{table}.{column}")))
}
