//! Contract: "Integration Endpoints" — `POST /integrations/google-maps/visit`; beyond it,
//! `POST /visits/plan-day` (a rep's day in the shortest route). Both call maps providers, so
//! both are in the expensive rate-limit class (`rate_limit.rs`).

use app::{
    error::AppError,
    model::{DayPlan, DayPlanRequest, PlannedVisit, VisitRequest},
    server::{
        AppState,
        crm::{Access, field},
    },
};
use axum::{Json, Router, extract::State, http::StatusCode, routing::post};

use super::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new().route("/integrations/google-maps/visit", post(plan_visit)).route("/visits/plan-day", post(plan_day))
}

/// 201 with the planned visit.
async fn plan_visit(
    State(state): State<AppState>,
    access: Access,
    ApiJson(request): ApiJson<VisitRequest>,
) -> Result<(StatusCode, Json<PlannedVisit>), AppError> {
    Ok((StatusCode::CREATED, Json(field::plan_visit(&state, &access, request).await?)))
}

async fn plan_day(
    State(state): State<AppState>,
    access: Access,
    ApiJson(request): ApiJson<DayPlanRequest>,
) -> Result<Json<DayPlan>, AppError> {
    Ok(Json(field::plan_day(&state, &access, request).await?))
}
