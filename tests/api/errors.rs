//! Every error is `{"detail": ...}` with the right status, axum's own rejections included.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};

use crate::{
    engines,
    helpers::{TestApp, body_json, detail},
};

engines!(rejections_are_json_details);

async fn rejections_are_json_details(app: TestApp) {
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            Request::post("/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"email\": "))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "Malformed JSON",
        ),
        (
            Request::post("/auth/login").header(header::CONTENT_TYPE, "text/plain").body(Body::from("{}")).unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
        ),
        (
            Request::post("/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"email\": 5}"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "email",
        ),
        // serde would read an array as the struct's fields in order; a body must be an object.
        (
            Request::post("/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("[\"admin@test.example\", \"admin-password-1\"]"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "expected a JSON object",
        ),
        (Request::get("/no/such/route").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND, "No route"),
        (Request::delete("/health").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED, "not allowed"),
        (Request::get("/auth/login").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED, "not allowed"),
        (Request::get("/auth/me").body(Body::empty()).unwrap(), StatusCode::UNAUTHORIZED, "Not authenticated"),
    ];
    for (request, expected_status, expected_detail) in cases {
        let label = format!("{} {}", request.method(), request.uri());
        let response = app.send(request).await;
        assert_eq!(response.status(), expected_status, "{label}");
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(content_type.starts_with("application/json"), "{label}: {content_type}");
        let body = body_json(response).await;
        let text = detail(&body);
        assert!(text.contains(expected_detail), "{label}: {text:?} should mention {expected_detail:?}");
    }
}

#[tokio::test]
async fn internal_errors_hide_their_cause() {
    let app = TestApp::sqlite().await;
    let token = app.admin_token().await;
    // Break the database underneath the server: the users table disappears.
    sqlx::query("DROP TABLE opportunity_stage_history").execute(app.state.db.pool()).await.unwrap();
    sqlx::query("ALTER TABLE users RENAME TO users_gone").execute(app.state.db.pool()).await.unwrap();
    let (status, body) = app.get("/auth/me", Some(&token)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(detail(&body), "Internal server error");
    assert!(!body.to_string().contains("users"), "no internals in {body}");
}

#[tokio::test]
async fn request_ids_are_issued_and_echoed() {
    let app = TestApp::sqlite().await;
    let response = app.send(Request::get("/health").body(Body::empty()).unwrap()).await;
    let issued = response.headers().get("x-request-id").expect("x-request-id").to_str().unwrap().to_owned();
    assert!(issued.len() >= 16, "{issued}");
    let response =
        app.send(Request::get("/health").header("x-request-id", "abc-123").body(Body::empty()).unwrap()).await;
    assert_eq!(response.headers().get("x-request-id").unwrap(), "abc-123");
}

/// Static files of the built site, with revalidation: a 304 must not turn into a 404.
#[tokio::test]
async fn static_files_are_served_and_revalidated() {
    let app = TestApp::sqlite().await;
    let site = std::path::Path::new(&*app.state.leptos_options.site_root).join("pkg");
    if !site.join("lanes.css").exists() {
        // `make unit` builds the site first (and sets LANES_REQUIRE_SITE); a bare `cargo test` may not.
        assert!(std::env::var("LANES_REQUIRE_SITE").is_err(), "no built site at {}", site.display());
        eprintln!("skipping: no built site at {}", site.display());
        return;
    }
    let response = app.send(Request::get("/pkg/lanes.css").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let modified = response.headers().get(header::LAST_MODIFIED).expect("Last-Modified").clone();
    let response = app
        .send(Request::get("/pkg/lanes.css").header(header::IF_MODIFIED_SINCE, modified).body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
}
