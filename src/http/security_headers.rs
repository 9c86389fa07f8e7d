//! Adds the browser protections of `app::server::security` to every response.

use app::server::{AppState, security};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

pub async fn add(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in security::COMMON_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    let is_html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    // Pages rendered by Leptos already carry a policy with their nonce; any other HTML (an
    // error page, a static file) gets the policy without one.
    if is_html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = security::content_security_policy(None);
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    if state.settings.cookies_secure() {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(security::HSTS));
    }
    response
}
