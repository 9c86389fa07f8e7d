//! Contract: "Authentication Endpoints" — `POST /auth/login`, `POST /auth/register`, and `GET /auth/me`.

use app::{
    error::AppError,
    model::{LoginRequest, RegisterRequest, TokenResponse, User},
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
    Router::new().route("/auth/login", post(login)).route("/auth/register", post(register)).route("/auth/me", get(me))
}

async fn login(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    users::login(&state, request).await.map(Json)
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
