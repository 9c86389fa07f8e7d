//! Prometheus metrics: requests by route template and status, latency histograms, the pool.

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use tower::ServiceExt;

use crate::helpers::{TestApp, body_text};

async fn scrape(app: &TestApp) -> String {
    let handle = lanes::metrics::install().unwrap();
    let router = lanes::metrics::router(handle, app.state.clone());
    let response = router.oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    body_text(response).await
}

/// The value of one sample line (`name{labels} value`), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines().find_map(|line| line.strip_prefix(series).and_then(|rest| rest.trim().parse().ok())).unwrap_or(0.0)
}

#[tokio::test]
async fn requests_are_counted_by_route_template_not_by_id() {
    let app = TestApp::sqlite().await;
    let token = app.admin_token().await;
    let ok = r#"lanes_http_requests_total{method="GET",route="/accounts/{id}",status="200"}"#;
    let missing = r#"lanes_http_requests_total{method="GET",route="/accounts/{id}",status="404"}"#;
    let before = scrape(&app).await;

    let (status, account) =
        app.post("/accounts", Some(&token), serde_json::json!({"name": "Metered GmbH", "industry": "Retail"})).await;
    assert_eq!(status, StatusCode::CREATED, "{account}");
    let id = account["account_id"].as_str().unwrap();
    for _ in 0..2 {
        assert_eq!(app.get(&format!("/accounts/{id}"), Some(&token)).await.0, StatusCode::OK);
    }
    assert_eq!(app.get("/accounts/ACC_nosuchaccount", Some(&token)).await.0, StatusCode::NOT_FOUND);

    let after = scrape(&app).await;
    assert!(sample(&after, ok) >= sample(&before, ok) + 2.0, "{after}");
    assert!(sample(&after, missing) >= sample(&before, missing) + 1.0, "{after}");
    assert!(!after.contains(id), "an id must never become a label: {after}");
    assert!(after.contains("lanes_http_request_duration_seconds_bucket{"), "latency histogram: {after}");
    assert!(after.contains(r#"lanes_db_pool_connections{state="idle"}"#), "{after}");
}
