//! The request budget middleware: every response carries `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Reset`; over budget is a 429 with `Retry-After`.
//!
//! The caller is who their token says (checked signature, no database lookup: a forged token
//! is counted as anonymous and then refused by the route itself). Anonymous callers are counted
//! per client address.

use std::time::Instant;

use app::{
    error::AppError,
    server::{
        AppState, auth, metrics,
        rate_limit::{Class, client_ip},
    },
};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Health checks and the site's static files are not counted: a load balancer polls the one,
/// every page load fetches the others.
fn is_exempt(path: &str) -> bool {
    path == "/health"
        || path.starts_with("/pkg/")
        || path == "/favicon.ico"
        || path.starts_with("/icons/")
        || path == "/manifest.webmanifest"
}

/// Calls to other services, the LLM and bulk imports draw on the smaller budget.
pub fn class_of(method: &Method, path: &str) -> Class {
    let expensive = path.starts_with("/integrations/")
        || path == "/llm_query"
        || path == "/api/ask"
        || path == "/visits/plan-day"
        || (*method == Method::POST && (path.ends_with("/import") || path == "/documents"));
    if expensive { Class::Expensive } else { Class::Normal }
}

pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_exempt(path) {
        return next.run(request).await;
    }
    let class = class_of(request.method(), path);
    let claims = auth::credential(request.headers()).ok().flatten().and_then(|token| state.jwt.verify(&token).ok());
    let (caller, role) = match &claims {
        Some(claims) => (claims.sub.clone(), Some(claims.role)),
        None => (format!("ip:{}", client_ip(request.extensions())), None),
    };
    let decision = state.limits.requests.check(&caller, role, class, Instant::now());
    let mut response = if decision.allowed {
        next.run(request).await
    } else {
        let who = role.map_or("anonymous callers".to_owned(), |r| format!("the {r} role"));
        let what = if class == Class::Expensive { " on integrations, questions and imports" } else { "" };
        tracing::warn!(%caller, ?class, "rate limit exceeded");
        metrics::rate_limited(if class == Class::Expensive { "expensive" } else { "normal" });
        AppError::too_many_requests(
            format!(
                "Rate limit exceeded: {} requests per minute for {who}{what}; try again in {} s",
                decision.limit, decision.reset_secs
            ),
            decision.reset_secs,
        )
        .into_response()
    };
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(decision.remaining));
    headers.insert("ratelimit-reset", HeaderValue::from(decision.reset_secs));
    response
}
