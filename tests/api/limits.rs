//! Protection against floods: request budgets by role and class (429 + Retry-After, RateLimit-*
//! headers everywhere), the failed sign-in throttle, and body size limits.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, body_json, detail};

async fn get_with_headers(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, axum::http::HeaderMap) {
    let mut request = Request::builder().uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = app.send(request.body(Body::empty()).unwrap()).await;
    (response.status(), response.headers().clone())
}

fn number(headers: &axum::http::HeaderMap, name: &str) -> u64 {
    headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn every_response_says_the_budget_and_a_role_over_it_gets_429() {
    let app = TestApp::sqlite_with(&[("LANES_RATE_LIMITS", "viewer=3")]).await;
    let admin = app.admin_token().await;
    let (status, headers) = get_with_headers(&app, "/accounts", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(number(&headers, "ratelimit-limit"), 1200, "the admin default");
    assert!(number(&headers, "ratelimit-remaining") < 1200);
    assert!(number(&headers, "ratelimit-reset") <= 60);

    let viewer = app.user_token("viewer").await;
    for expected_remaining in [2, 1, 0] {
        let (status, headers) = get_with_headers(&app, "/accounts", Some(&viewer)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(number(&headers, "ratelimit-remaining"), expected_remaining);
    }
    let response = app
        .send(
            Request::builder()
                .uri("/accounts")
                .header(header::AUTHORIZATION, format!("Bearer {viewer}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = number(response.headers(), "retry-after");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body = body_json(response).await;
    assert!(detail(&body).contains("3 requests per minute"), "{body}");

    // Others keep their own budgets, and health checks are never counted.
    assert_eq!(get_with_headers(&app, "/accounts", Some(&admin)).await.0, StatusCode::OK);
    for _ in 0..5 {
        let (status, headers) = get_with_headers(&app, "/health", None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers.get("ratelimit-limit").is_none());
    }
}

#[tokio::test]
async fn anonymous_callers_are_limited_per_address() {
    let app = TestApp::sqlite_with(&[("LANES_RATE_LIMITS", "anonymous=2")]).await;
    assert_eq!(get_with_headers(&app, "/accounts", None).await.0, StatusCode::UNAUTHORIZED);
    // A forged token counts as anonymous too.
    assert_eq!(get_with_headers(&app, "/accounts", Some("not.a.token")).await.0, StatusCode::UNAUTHORIZED);
    let (status, headers) = get_with_headers(&app, "/accounts", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(number(&headers, "ratelimit-limit"), 2);
}

#[tokio::test]
async fn expensive_routes_have_their_own_smaller_budget() {
    let app = TestApp::sqlite_with(&[("LANES_RATE_LIMITS_EXPENSIVE", "user=1")]).await;
    let user = app.user_token("user").await;
    let order = json!({"opportunity_id": "OPP_NOSUCH00", "order_details": {"product_id": "P", "quantity": 1}});
    let (status, _) = app.post("/integrations/bos/order", Some(&user), order.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.post("/integrations/bos/order", Some(&user), order).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(detail(&body).contains("integrations"), "{body}");
    assert_eq!(get_with_headers(&app, "/accounts", Some(&user)).await.0, StatusCode::OK, "normal routes still fine");
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account() {
    let app = TestApp::sqlite().await;
    let wrong = json!({"email": ADMIN_EMAIL, "password": "wrong-password-1"});
    for _ in 0..5 {
        let (status, _) = app.post("/auth/login", None, wrong.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password waits, with a clear answer and Retry-After.
    let right = json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
    let request = Request::builder()
        .method("POST")
        .uri("/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(right.to_string()))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(number(response.headers(), "retry-after") <= 300);
    let body = body_json(response).await;
    assert!(detail(&body).contains("Too many failed sign-ins"), "{body}");
    // Other accounts are not affected.
    let (status, _) =
        app.post("/auth/login", None, json!({"email": "other@test.example", "password": "x-password-1"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = TestApp::sqlite().await;
    let admin = app.admin_token().await;
    let big = json!({"name": "x".repeat(1_100_000), "account_type": "customer"});
    let (status, body) = app.post("/accounts", Some(&admin), big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    detail(&body);
    let (_, list) = app.get("/accounts", Some(&admin)).await;
    assert_eq!(list["count"], 0, "nothing stored");
    let (status, body) =
        app.post("/auth/login", None, json!({"email": ADMIN_EMAIL, "password": "p".repeat(10_000)})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    detail(&body);
}
