//! Contract: "Authentication Endpoints" — `POST /auth/login`, `POST /auth/register`; beyond it
//! `GET /auth/me`, and for admins `GET /users` and `PATCH /users/{id}` (role, deactivate).

use app::{
    error::AppError,
    model::{LoginRequest, RegisterRequest, TokenResponse, User, UserChange},
    server::{AppState, auth::AuthUser, users},
};
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};

use super::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login).layer(axum::extract::DefaultBodyLimit::max(super::MAX_LOGIN_BYTES)))
        .route("/auth/register", post(register))
        .route("/auth/me", get(me))
        .route("/users", get(list_users))
        .route("/users/{id}", axum::routing::patch(update_user))
}

async fn list_users(State(state): State<AppState>, actor: AuthUser) -> Result<Json<serde_json::Value>, AppError> {
    let users = users::list_for(&state, &actor).await?;
    Ok(Json(serde_json::json!({ "count": users.len(), "users": users })))
}

async fn update_user(
    State(state): State<AppState>,
    actor: AuthUser,
    axum::extract::Path(user_id): axum::extract::Path<String>,
    ApiJson(change): ApiJson<UserChange>,
) -> Result<Json<User>, AppError> {
    users::update(&state, &actor, &user_id, change).await.map(Json)
}

async fn login(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    let client = app::server::rate_limit::client_ip(&extensions);
    users::login(&state, request, &client).await.map(Json)
}

async fn register(
    State(state): State<AppState>,
    actor: AuthUser,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let user = users::register(&state, &actor, request).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

async fn me(State(state): State<AppState>, actor: AuthUser) -> Result<Json<User>, AppError> {
    users::find_active(&state.db, &actor.user_id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::unauthorized("Not authenticated"))
}
