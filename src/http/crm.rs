//! Contract: "CRM Endpoints" — accounts, contacts, leads, opportunities, activities, tasks:
//! `POST` and `GET` on each collection, `GET /accounts/{id}` with its related records; beyond the
//! contract, `GET`/`PATCH`/`DELETE` on every record, and the actions: lead conversion, stage
//! change, completing activities and tasks.

use app::{
    error::AppError,
    model::{
        Account, AccountPatch, Activity, ActivityCompletion, ActivityPatch, Contact, ContactPatch, ConversionResult,
        Lead, LeadConversion, LeadPatch, Opportunity, OpportunityPatch, StageChange, Task, TaskPatch,
    },
    server::{
        AppState,
        crm::{Access, accounts, activities, contacts, leads, opportunities, records::Precondition, tasks},
    },
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::{get, post, put},
};

use super::{
    ApiJson, IfMatch, JsonOrDefault,
    crud::{self, Crud},
    with_etag,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(crud::routes::<Account>(false))
        .route("/accounts/{id}", get(get_account))
        .merge(crud::routes::<Contact>(true))
        .merge(crud::routes::<Lead>(true))
        .route("/leads/{id}/convert", post(convert_lead))
        .merge(crud::routes::<Opportunity>(true))
        .route("/opportunities/{id}/stage", put(change_stage))
        .route("/opportunities/{id}/history", get(stage_history))
        .merge(crud::routes::<Activity>(true))
        .route("/activities/{id}/complete", put(complete_activity))
        .merge(crud::routes::<Task>(true))
        .route("/tasks/{id}/complete", put(complete_task))
}

macro_rules! crud_service {
    ($record:ty, $module:ident, $patch:ty) => {
        impl Crud for $record {
            type Patch = $patch;

            fn update(
                state: &AppState,
                access: &Access,
                id: &str,
                patch: $patch,
                precondition: Option<&Precondition>,
            ) -> impl Future<Output = Result<Self, AppError>> + Send {
                $module::update(state, access, id, patch, precondition)
            }
        }
    };
}

crud_service!(Account, accounts, AccountPatch);
crud_service!(Contact, contacts, ContactPatch);
crud_service!(Lead, leads, LeadPatch);
crud_service!(Opportunity, opportunities, OpportunityPatch);
crud_service!(Activity, activities, ActivityPatch);
crud_service!(Task, tasks, TaskPatch);

async fn get_account(
    State(state): State<AppState>,
    access: Access,
    Path(account_id): Path<String>,
) -> Result<Response, AppError> {
    let detail = accounts::detail(&state, &access, &account_id).await?;
    Ok(with_etag(detail.account.version, Json(detail)))
}

async fn convert_lead(
    State(state): State<AppState>,
    access: Access,
    Path(lead_id): Path<String>,
    JsonOrDefault(request): JsonOrDefault<LeadConversion>,
) -> Result<(StatusCode, Json<ConversionResult>), AppError> {
    Ok((StatusCode::CREATED, Json(leads::convert(&state, &access, &lead_id, request).await?)))
}

async fn change_stage(
    State(state): State<AppState>,
    access: Access,
    Path(opportunity_id): Path<String>,
    IfMatch(precondition): IfMatch,
    ApiJson(change): ApiJson<StageChange>,
) -> Result<Response, AppError> {
    let opportunity =
        opportunities::change_stage(&state, &access, &opportunity_id, change, precondition.as_ref()).await?;
    Ok(with_etag(opportunity.version, Json(opportunity)))
}

async fn stage_history(
    State(state): State<AppState>,
    access: Access,
    Path(opportunity_id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let history = opportunities::stage_history(&state, &access, &opportunity_id).await?;
    Ok(Json(serde_json::json!({ "opportunity_id": opportunity_id, "history": history })))
}

async fn complete_activity(
    State(state): State<AppState>,
    access: Access,
    Path(activity_id): Path<String>,
    JsonOrDefault(completion): JsonOrDefault<ActivityCompletion>,
) -> Result<Json<Activity>, AppError> {
    Ok(Json(activities::complete(&state, &access, &activity_id, completion).await?))
}

async fn complete_task(
    State(state): State<AppState>,
    access: Access,
    Path(task_id): Path<String>,
) -> Result<Json<Task>, AppError> {
    Ok(Json(tasks::complete(&state, &access, &task_id).await?))
}
