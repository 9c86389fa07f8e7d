//! Contract: "System Endpoints" — `GET /health`, open to load balancers (no token); and
//! `GET /livez`, which answers without the database (liveness, and the benchmarks' baseline).

use app::server::{AppState, health};
use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(get_health)).route("/livez", get(live))
}

async fn get_health(State(state): State<AppState>) -> impl IntoResponse {
    let (healthy, report) = health::check(&state).await;
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(report))
}

async fn live() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "alive"}))
}
