//! Contract: "System Endpoints" — `GET /health`, open to load balancers (no token).

use app::server::{AppState, health};
use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(get_health))
}

async fn get_health(State(state): State<AppState>) -> impl IntoResponse {
    let (healthy, report) = health::check(&state).await;
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(report))
}
