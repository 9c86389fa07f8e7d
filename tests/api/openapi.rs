//! The OpenAPI document covers the contract, describes only routes that exist, and the docs
//! page works offline.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use serde_json::Value;

use crate::helpers::{TestApp, body_json, body_text};

/// Every route of the contract (method, path).
const CONTRACT: &[(&str, &str)] = &[
    ("post", "/auth/login"),
    ("post", "/auth/register"),
    ("post", "/accounts"),
    ("get", "/accounts"),
    ("get", "/accounts/{id}"),
    ("post", "/contacts"),
    ("get", "/contacts"),
    ("post", "/leads"),
    ("get", "/leads"),
    ("post", "/leads/{id}/convert"),
    ("post", "/opportunities"),
    ("get", "/opportunities"),
    ("put", "/opportunities/{id}/stage"),
    ("post", "/activities"),
    ("get", "/activities"),
    ("put", "/activities/{id}/complete"),
    ("post", "/tasks"),
    ("get", "/tasks"),
    ("get", "/account/view/{id}"),
    ("get", "/lead/pipeline"),
    ("get", "/opportunity/status"),
    ("get", "/dashboard/crm"),
    ("get", "/dashboard/account/{id}"),
    ("get", "/orders"),
    ("get", "/health"),
];

#[tokio::test]
async fn documents_every_contract_route_and_only_real_ones() {
    let app = TestApp::sqlite().await;
    let (status, doc) = app.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc["info"]["description"].as_str().unwrap().contains("win_rate = won / all opportunities × 100"));
    for (method, path) in CONTRACT {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    let stages: Vec<&str> = doc["components"]["schemas"]["OpportunityStage"]["enum"]
        .as_array()
        .expect("OpportunityStage is an enum")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(stages, ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"]);
    assert!(doc["components"]["schemas"]["ErrorBody"]["properties"]["detail"].is_object());

    // Every documented operation exists: without a token it answers 401 (or its own public answer),
    // never "no route" or "method not allowed".
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
            operations += 1;
            let uri = path.replace("{id}", "ACC_ZZZZZZZZ");
            let request = Request::builder().method(method.clone()).uri(&uri).body(Body::empty()).unwrap();
            let response = app.send(request).await;
            let status = response.status();
            let body = body_json(response).await;
            assert!(
                status != StatusCode::METHOD_NOT_ALLOWED
                    && !(status == StatusCode::NOT_FOUND && body.to_string().contains("No route")),
                "{method} {path}: documented but not routed ({status} {body})"
            );
            let public = operation["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())));
            if !public {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} must need a token");
            }
        }
    }
    assert!(operations >= 45, "{operations} operations");
}

#[tokio::test]
async fn docs_page_is_readable_offline() {
    let app = TestApp::sqlite().await;
    let response = app.send(Request::get("/docs").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    assert!(html.contains("Lanes API") && html.contains("/opportunities/{id}/stage"));
    assert!(html.contains("id=\"schema-Account\""));
    assert!(!html.contains("<script"), "no scripts, so nothing to load from a CDN");
    let _: Value = Value::Null;
}
