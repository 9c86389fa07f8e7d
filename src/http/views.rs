//! Contract: "Consolidated Endpoints", "Dashboard Endpoints" and "Logistics Endpoints" —
//! `GET /account/view/{id}`, `GET /lead/pipeline`, `GET /opportunity/status`,
//! `GET /dashboard/crm`, `GET /dashboard/account/{id}`, `GET /orders`; beyond it,
//! `GET /orders/{id}` and `PATCH /orders/{id}/status`. Also the contract's back-office
//! integration, `POST /integrations/bos/order`, which makes orders.

use app::{
    error::AppError,
    model::{
        AccountDashboard, AccountView, BosOrderRequest, CrmDashboard, LeadPipeline, OpportunityBoard, Order,
        OrderStatusChange,
    },
    server::{
        AppState,
        crm::{Access, dashboard, orders, resource, views},
    },
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, patch, post},
};

use super::{ApiJson, QueryPairs, with_etag};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/view/{id}", get(account_view))
        .route("/lead/pipeline", get(lead_pipeline))
        .route("/opportunity/status", get(opportunity_board))
        .route("/dashboard/crm", get(crm_dashboard))
        .route("/dashboard/account/{id}", get(account_dashboard))
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/status", patch(change_order_status))
        .route("/integrations/bos/order", post(order_from_opportunity))
}

async fn account_view(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, AppError> {
    Ok(Json(views::account_view(&state, &access, &id).await?))
}

async fn lead_pipeline(
    State(state): State<AppState>,
    access: Access,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<LeadPipeline>, AppError> {
    Ok(Json(views::lead_pipeline(&state, &access, &pairs).await?))
}

async fn opportunity_board(
    State(state): State<AppState>,
    access: Access,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<OpportunityBoard>, AppError> {
    Ok(Json(views::opportunity_board(&state, &access, &pairs).await?))
}

async fn crm_dashboard(State(state): State<AppState>, access: Access) -> Result<Json<CrmDashboard>, AppError> {
    Ok(Json(dashboard::crm(&state, &access).await?))
}

async fn account_dashboard(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<Json<AccountDashboard>, AppError> {
    Ok(Json(dashboard::account(&state, &access, &id).await?))
}

async fn list_orders(
    State(state): State<AppState>,
    access: Access,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<serde_json::Value>, AppError> {
    let (orders, next_cursor) = resource::list::<Order>(&state, &access, &pairs).await?;
    Ok(Json(serde_json::json!({ "orders": orders, "count": orders.len(), "next_cursor": next_cursor })))
}

async fn get_order(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let order: Order = resource::get(&state, &access, &id).await?;
    Ok(with_etag(order.version, Json(order)))
}

async fn change_order_status(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<OrderStatusChange>,
) -> Result<Response, AppError> {
    let order = orders::change_status(&state, &access, &id, change).await?;
    Ok(with_etag(order.version, Json(order)))
}

/// 201 with the new order; 200 with the first order when the request repeats its
/// `Idempotency-Key`.
async fn order_from_opportunity(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BosOrderRequest>,
) -> Result<Response, AppError> {
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().map_err(|_| AppError::bad_request("Idempotency-Key: must be ASCII text")))
        .transpose()?;
    let (result, created) = orders::create_from_opportunity(&state, &access, request, key).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(result)).into_response())
}
