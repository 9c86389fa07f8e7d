//! Outbound integrations (Office 365, maps, back office, LLM). Every call goes through the one
//! client made here: fixed timeouts, no redirects (an upstream cannot bounce us to another host),
//! and base URLs only from configuration, never from a request.

pub mod maps;

use std::time::Duration;

use crate::error::{AppError, ErrorKind};

/// How long one outbound request may take, end to end.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The shared HTTP client for every integration (it pools connections; clone it freely).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Lanes/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Sends one outbound request and counts it by service and outcome (see `server::metrics`).
pub async fn send(
    service: &'static str,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, reqwest::Error> {
    let started = std::time::Instant::now();
    let result = request.send().await;
    let outcome = match &result {
        Ok(response) if response.status().is_success() => "ok",
        Ok(response) if response.status().is_client_error() => "client_error",
        Ok(_) => "server_error",
        Err(_) => "unreachable",
    };
    crate::server::metrics::integration_call(service, outcome, started.elapsed().as_secs_f64());
    result
}

/// An integration that is not configured: 503 saying which settings turn it on.
pub fn not_configured(service: &str, settings: &str) -> AppError {
    AppError::unavailable(format!("{service} is not configured on this server (set {settings})"))
}

/// The upstream answered with something we cannot use: 502 naming the service. The cause is
/// logged here (without secrets: callers pass only status codes and upstream error codes).
pub fn bad_gateway(service: &str, detail: impl Into<String>) -> AppError {
    let detail = detail.into();
    tracing::warn!(service, %detail, "integration call failed");
    AppError::new(ErrorKind::BadGateway, format!("{service}: {detail}"))
}

/// A transport failure (timeout, refused connection, TLS) as a 502. reqwest's error text can
/// contain the URL, which may carry an API key in its query: only the kind is kept.
pub fn unreachable(service: &str, error: &reqwest::Error) -> AppError {
    let what = if error.is_timeout() {
        "did not answer in time"
    } else if error.is_connect() {
        "could not be reached"
    } else if error.is_decode() {
        "sent a reply Lanes could not read"
    } else {
        "request failed"
    };
    bad_gateway(service, what)
}

/// Seconds from an HTTP `Retry-After` header (delta-seconds form), if present and sane.
pub fn retry_after_secs(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok().map(|s| s.min(3600))
}
