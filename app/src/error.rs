//! The one error type of Lanes. REST handlers, server functions and the browser all use it:
//! on the wire it is always `{"detail": "..."}` with the matching HTTP status.

use serde::{Deserialize, Serialize};

/// What went wrong, as an HTTP status class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    Internal,
    BadGateway,
    Unavailable,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::Internal => 500,
            ErrorKind::BadGateway => 502,
            ErrorKind::Unavailable => 503,
        }
    }
}

/// An error a client may see. `detail` is always safe to show; internals are logged, never put here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{detail}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub detail: String,
    /// The input field a validation error is about, so a form can show it next to that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For 429s and throttled upstreams: seconds until a retry may succeed (`Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// The generic text every 500 answers with.
pub const INTERNAL_DETAIL: &str = "Internal server error";

impl AppError {
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Self { kind, detail: detail.into(), field: None, retry_after_secs: None }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, detail)
    }
    /// A validation error about one input field; the detail names the field.
    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::BadRequest,
            detail: detail.into(),
            field: Some(field.to_owned()),
            retry_after_secs: None,
        }
    }
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, detail)
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, detail)
    }
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, detail)
    }
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, detail)
    }
    /// A 429 (or, with another kind, any error) that a client may retry after `secs` seconds.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }
    pub fn too_many_requests(detail: impl Into<String>, retry_after_secs: u64) -> Self {
        Self::new(ErrorKind::TooManyRequests, detail).retry_after(retry_after_secs)
    }
    /// A 500 with the generic detail. Log the cause before calling this (see `server::error`).
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, INTERNAL_DETAIL)
    }
    pub fn status(&self) -> u16 {
        self.kind.status()
    }
}

// Server functions carry the same error, JSON-encoded, so the UI can match on `kind` and `field`.
impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(msg) | E::MissingArg(msg) => AppError::bad_request(msg),
            E::Request(_) => AppError::unavailable("Lanes could not be reached. Check your connection and try again."),
            other => AppError::new(ErrorKind::Internal, other.to_string()),
        }
    }
}
