//! Contract: "POST /llm_query" — questions about CRM data in plain language, answered with the
//! records the caller may see (`app::server::ask`).

use app::{
    error::AppError,
    model::{AskRequest, AskResponse},
    server::{AppState, ask, crm::Access},
};
use axum::{Json, Router, extract::State, routing::post};

use super::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new().route("/llm_query", post(llm_query))
}

async fn llm_query(
    State(state): State<AppState>,
    access: Access,
    ApiJson(request): ApiJson<AskRequest>,
) -> Result<Json<AskResponse>, AppError> {
    Ok(Json(ask::answer(&state, &access, request).await?))
}
