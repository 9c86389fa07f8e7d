use axum::http::StatusCode;

use crate::{engines, helpers::TestApp};

engines!(reports_database_modules_and_version, answers_503_when_the_database_is_gone);

async fn reports_database_modules_and_version(app: TestApp) {
    let (status, body) = app.get("/health", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["database"], "connected");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["version"].as_str().unwrap().starts_with("3."));
    assert_eq!(body["modules"]["crm"], "operational");
    assert_eq!(body["modules"]["logistics"], "operational");
    assert_eq!(body["modules"]["integrations"]["llm_query"], "operational");
    for integration in ["office365", "google_maps", "llm", "bos"] {
        assert_eq!(body["modules"]["integrations"][integration], "not_configured", "{integration}");
    }
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(timestamp).is_ok() && timestamp.ends_with('Z'), "{timestamp}");
}

async fn answers_503_when_the_database_is_gone(app: TestApp) {
    app.state.db.close().await;
    let (status, body) = app.get("/health", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["database"], "disconnected");
    assert_eq!(body["status"], "unhealthy");
    // Liveness is about the process: it stays up while the database is away.
    let (status, body) = app.get("/livez", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "alive");
}

#[tokio::test]
async fn shows_each_configured_integration() {
    let app = TestApp::sqlite_with(&[
        ("LANES_O365_TENANT_ID", "tenant"),
        ("LANES_O365_CLIENT_ID", "client"),
        ("LANES_O365_CLIENT_SECRET", "secret"),
        ("LANES_O365_SENDER", "sales@example.com"),
        ("LANES_LLM_URL", "http://127.0.0.1:9/v1"),
    ])
    .await;
    let (_, body) = app.get("/health", None).await;
    assert_eq!(body["modules"]["integrations"]["office365"], "configured");
    assert_eq!(body["modules"]["integrations"]["llm_query"], "operational");
    assert_eq!(body["modules"]["integrations"]["llm"], "configured");
    assert_eq!(body["modules"]["integrations"]["google_maps"], "not_configured");
    // Half a configuration is not a configuration.
    let app = TestApp::sqlite_with(&[("LANES_O365_TENANT_ID", "tenant")]).await;
    let (_, body) = app.get("/health", None).await;
    assert_eq!(body["modules"]["integrations"]["office365"], "not_configured");
}
