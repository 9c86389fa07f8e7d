//! The caller's notifications (task reminders): `GET /notifications`,
//! `PUT /notifications/{id}/read`, `PUT /notifications/read-all`.

use app::{
    error::AppError,
    model::{Notification, NotificationList},
    server::{AppState, auth::AuthUser, notifications},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, put},
};

use super::QueryPairs;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read-all", put(read_all))
        .route("/notifications/{id}/read", put(read))
}

/// `?unread=true` for unread ones only, `?limit=` 1–200 (default 20).
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<NotificationList>, AppError> {
    let mut unread_only = false;
    let mut limit = notifications::DEFAULT_LIMIT;
    for (name, value) in &pairs {
        match name.as_str() {
            "unread" => {
                unread_only = match value.as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(AppError::bad_request("unread: must be true or false")),
                }
            }
            "limit" => {
                limit = value.parse().ok().filter(|l| (1..=notifications::MAX_LIMIT).contains(l)).ok_or_else(|| {
                    AppError::bad_request(format!(
                        "limit: must be a whole number from 1 to {}",
                        notifications::MAX_LIMIT
                    ))
                })?
            }
            other => {
                return Err(AppError::invalid(other, format!("{other}: unknown parameter (known: unread, limit)")));
            }
        }
    }
    Ok(Json(notifications::list(&state, &user, unread_only, limit).await?))
}

async fn read(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Notification>, AppError> {
    Ok(Json(notifications::mark_read(&state, &user, &id).await?))
}

async fn read_all(State(state): State<AppState>, user: AuthUser) -> Result<Json<serde_json::Value>, AppError> {
    let marked = notifications::mark_all_read(&state, &user).await?;
    Ok(Json(serde_json::json!({ "marked_read": marked, "unread_count": 0 })))
}
