//! The REST API of the contract (`../shared/api-contract.md`), one module per resource, and the
//! answers for everything no route matches.

mod ask;
mod auth;
mod crm;
mod crud;
mod csv;
mod docs;
mod extract;
mod health;
mod mail;
mod notifications;
pub mod openapi;
pub mod rate_limit;
pub mod security_headers;
mod views;
mod visits;

use app::{error::AppError, server::AppState};
use axum::{
    Router,
    body::Body,
    extract::{MatchedPath, Request, State},
    http::{Method, header},
    response::{IntoResponse, Response},
};
use tower::ServiceExt;
use tower_http::services::ServeDir;

pub use extract::{ApiJson, IfMatch, JsonOrDefault, QueryPairs};

/// The largest JSON body a route takes (routes that take files or CSV set their own).
pub const MAX_JSON_BYTES: usize = 1024 * 1024;
/// Sign-in bodies are tiny; a big one is an attack on the password hasher or the parser.
pub const MAX_LOGIN_BYTES: usize = 4 * 1024;

/// All REST routes of the contract.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(crm::router())
        .merge(views::router())
        .merge(visits::router())
        .merge(notifications::router())
        .merge(mail::router())
        .merge(ask::router())
        .merge(docs::router())
        .merge(csv::routes::<app::model::Account>())
        .merge(csv::routes::<app::model::Contact>())
        .merge(csv::routes::<app::model::Lead>())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_JSON_BYTES))
}

/// No route matched: a static file of the built site, else a 404 — the app's page for a
/// browser, `{"detail"}` for an API client.
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let wants_html =
        request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if wants_html {
        let handler = leptos_axum::file_and_error_handler::<AppState, _>(app::shell);
        let uri = request.uri().clone();
        return handler(uri, State(state), request).await;
    }
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    if matches!(method, Method::GET | Method::HEAD) {
        let files = ServeDir::new(&*state.leptos_options.site_root).precompressed_br().precompressed_gzip();
        // Anything but "no such file" is the file's answer, 304 Not Modified included.
        if let Ok(response) = files.oneshot(request).await
            && response.status() != axum::http::StatusCode::NOT_FOUND
        {
            return response.map(Body::new);
        }
    }
    AppError::not_found(format!("No route for {method} {path}")).into_response()
}

/// Adds `ETag: "<version>"`, the value a client sends back in `If-Match`.
pub fn with_etag(version: i64, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The path exists but not with this method.
pub async fn method_not_allowed(request: Request) -> Response {
    let detail = format!("Method {} is not allowed on {}", request.method(), request.uri().path());
    AppError::new(app::error::ErrorKind::MethodNotAllowed, detail).into_response()
}

/// The tracing span of a request: its id and the route template (never the raw URI, which
/// would carry record ids and unbounded cardinality).
pub fn request_span(request: &Request) -> tracing::Span {
    let route =
        request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    tracing::info_span!("request", method = %request.method(), route, request_id)
}

/// How long one request may take before it is cancelled (outbound calls have their own, shorter
/// timeouts). A cancelled write rolls back with its transaction: nothing half-done remains.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn request_timeout(request: Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::unavailable(format!(
            "The request took longer than {} s and was cancelled; try again",
            REQUEST_TIMEOUT.as_secs()
        ))
        .into_response(),
    }
}
