//! Outbound integrations (Office 365, maps, back office, LLM). Every call goes through the one
//! client made here: fixed timeouts, no redirects (an upstream cannot bounce us to another host),
//! and base URLs only from configuration, never from a request.

pub mod maps;
pub mod office365;

use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::Duration,
};

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
    let (client, request) = request.build_split();
    let request = request?;
    let origin = origin_of(request.url());
    let result = client.execute(request).await;
    let outcome = match &result {
        Ok(response) if response.status().is_success() => "ok",
        Ok(response) if response.status().is_client_error() => "client_error",
        Ok(_) => "server_error",
        Err(_) => "unreachable",
    };
    crate::server::metrics::integration_call(service, outcome, started.elapsed().as_secs_f64());
    let mut last = LAST_CALLS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let seq = last.values().map(|call| call.seq).max().unwrap_or(0) + 1;
    last.insert(origin, LastCall { outcome, at: crate::server::time::now(), seq });
    result
}

/// How the latest call of this instance to a service ended, for `/health`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LastCall {
    /// ok, client_error, server_error or unreachable.
    pub outcome: &'static str,
    pub at: String,
    /// Orders calls made within the same second.
    #[serde(skip)]
    seq: u64,
}

/// The latest outcome per origin (`scheme://host:port`). Lanes only calls configured base URLs,
/// so the table holds a handful of entries.
static LAST_CALLS: LazyLock<Mutex<HashMap<String, LastCall>>> = LazyLock::new(Default::default);

fn origin_of(url: &reqwest::Url) -> String {
    url.origin().ascii_serialization()
}

/// The latest call to any of these configured base URLs, if one was made since the start.
pub fn last_call(base_urls: &[&str]) -> Option<LastCall> {
    let last = LAST_CALLS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    base_urls
        .iter()
        .filter_map(|base| reqwest::Url::parse(base).ok())
        .filter_map(|url| last.get(&origin_of(&url)).cloned())
        .max_by_key(|call| call.seq)
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
