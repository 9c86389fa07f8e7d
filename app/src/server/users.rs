//! Users and sign-in: the one place that creates users and checks passwords.

use std::time::Instant;

use sqlx::{Row, any::AnyRow};

use super::{
    AppState,
    auth::{self, AuthUser, TOKEN_TTL_SECS},
    db::Db,
    error::is_unique_violation_on,
    ids,
    sql::Sql,
    time,
};
use crate::{
    error::AppError,
    model::{LoginRequest, RegisterRequest, Role, TokenResponse, User, UserChange, validate},
};

/// The one answer for an unknown email, a wrong password and a deactivated user alike.
pub const INVALID_LOGIN: &str = "Invalid email or password";

fn user_from_row(row: &AnyRow) -> Result<User, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(User {
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        role: role.parse().map_err(|e: String| sqlx::Error::Decode(e.into()))?,
        is_active: row.try_get::<i64, _>("is_active")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

/// An active user by id.
pub async fn find_active(db: &Db, user_id: &str) -> Result<Option<User>, AppError> {
    let row = sqlx::query(
        "SELECT user_id, username, email, role, is_active, created_at FROM users WHERE user_id = $1 AND is_active = 1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(user_from_row).transpose()?)
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<User>, AppError> {
    let row = sqlx::query("SELECT user_id, username, email, role, is_active, created_at FROM users WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(user_from_row).transpose()?)
}

pub async fn list(db: &Db) -> Result<Vec<User>, AppError> {
    let rows = sqlx::query(
        "SELECT user_id, username, email, role, is_active, created_at FROM users ORDER BY created_at, user_id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
}

/// Checks an email and password and issues an access token. Unknown email, wrong password and a
/// deactivated account answer the same 401 and cost the same argon2 verification.
///
/// Failures are counted per email and per client address (`client_ip`); past the limit the
/// answer is a 429 with `Retry-After`, before any password is checked.
pub async fn login(state: &AppState, request: LoginRequest, client_ip: &str) -> Result<TokenResponse, AppError> {
    let email = request.email.trim().to_lowercase();
    let throttle = &state.limits.logins;
    if let Some(wait) = throttle.blocked(&email, client_ip, Instant::now()) {
        return Err(AppError::too_many_requests(format!("Too many failed sign-ins; try again in {wait} s"), wait));
    }
    let result = check_credentials(state, &email, request.password).await;
    match &result {
        Ok(_) => throttle.succeeded(&email),
        Err(e) if e.kind == crate::error::ErrorKind::Unauthorized => throttle.failed(&email, client_ip, Instant::now()),
        Err(_) => {}
    }
    result
}

async fn check_credentials(state: &AppState, email: &str, password: String) -> Result<TokenResponse, AppError> {
    if password.chars().count() > validate::PASSWORD_MAX_CHARS {
        return Err(AppError::unauthorized(INVALID_LOGIN));
    }
    let row = sqlx::query("SELECT user_id, role, password_hash, is_active FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(state.db.pool())
        .await?;
    let found = match &row {
        Some(row) => Some((
            row.try_get::<String, _>("user_id")?,
            row.try_get::<String, _>("role")?,
            row.try_get::<String, _>("password_hash")?,
            row.try_get::<i64, _>("is_active")? != 0,
        )),
        None => None,
    };
    let hash = found.as_ref().map(|(_, _, hash, _)| hash.clone());
    let password_ok = auth::verify_password(hash, password).await;
    match found {
        Some((user_id, role, _, true)) if password_ok => {
            let role: Role = role.parse().map_err(|e| super::error::internal("stored role", e))?;
            Ok(TokenResponse {
                access_token: state.jwt.issue(&user_id, role)?,
                token_type: "bearer".into(),
                expires_in: TOKEN_TTL_SECS,
            })
        }
        _ => Err(AppError::unauthorized(INVALID_LOGIN)),
    }
}

/// `POST /auth/register`: an admin creates a user.
pub async fn register(state: &AppState, actor: &AuthUser, request: RegisterRequest) -> Result<User, AppError> {
    actor.require_admin()?;
    create(&state.db, request).await
}

/// Creates a user after checking every rule (email shape, password length, unique email).
pub async fn create(db: &Db, request: RegisterRequest) -> Result<User, AppError> {
    let email = validate::email("email", &request.email)?;
    validate::new_password("password", &request.password)?;
    let username = match request.username.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(name) => validate::required_text("username", name, 100)?,
        None => email.split('@').next().unwrap_or_default().to_owned(),
    };
    let hash = auth::hash_password(request.password).await?;
    insert(db, &username, &email, &hash, request.role).await
}

/// Stores a user whose password is already hashed, retrying on the (unlikely) id collision.
pub async fn insert(db: &Db, username: &str, email: &str, password_hash: &str, role: Role) -> Result<User, AppError> {
    let now = time::now();
    for _ in 0..ids::MAX_ID_ATTEMPTS {
        let user_id = ids::new_id(ids::USER);
        let inserted = sqlx::query(
            "INSERT INTO users (user_id, username, email, password_hash, role, is_active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
        )
        .bind(&user_id)
        .bind(username)
        .bind(email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(&now)
        .execute(db.pool())
        .await;
        match inserted {
            Ok(_) => {
                return Ok(User {
                    user_id,
                    username: username.to_owned(),
                    email: email.to_owned(),
                    role,
                    is_active: true,
                    created_at: now,
                });
            }
            Err(e) if is_unique_violation_on(&e, "users", "email") => {
                return Err(AppError::conflict(format!("A user with email {email} already exists")));
            }
            Err(e) if is_unique_violation_on(&e, "users", "user_id") => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(super::error::internal("user id", "no free id after retries"))
}

/// Makes sure an admin with `email` exists (created with `password` when missing).
/// Returns true when it was created. `enforce_policy` is false only for the demo admin.
pub async fn ensure_admin(db: &Db, email: &str, password: &str, enforce_policy: bool) -> Result<bool, AppError> {
    let email = validate::email("LANES_ADMIN_EMAIL", email)?;
    if find_by_email(db, &email).await?.is_some() {
        return Ok(false);
    }
    if enforce_policy {
        validate::new_password("LANES_ADMIN_PASSWORD", password)?;
    }
    let hash = auth::hash_password(password.to_owned()).await?;
    let username = email.split('@').next().unwrap_or("admin").to_owned();
    match insert(db, &username, &email, &hash, Role::Admin).await {
        Ok(_) => Ok(true),
        // Another instance created it at the same moment: that is fine.
        Err(e) if e.status() == 409 => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every user, for admins.
pub async fn list_for(state: &AppState, actor: &AuthUser) -> Result<Vec<User>, AppError> {
    actor.require_admin()?;
    list(&state.db).await
}

/// An admin changes a user's role or (de)activates them. Admins cannot demote or deactivate
/// themselves, so an installation never loses its last way in by accident.
pub async fn update(state: &AppState, actor: &AuthUser, user_id: &str, change: UserChange) -> Result<User, AppError> {
    actor.require_admin()?;
    if user_id == actor.user_id && (change.role.is_some_and(|r| r != Role::Admin) || change.is_active == Some(false)) {
        return Err(AppError::conflict("You cannot demote or deactivate yourself; ask another admin"));
    }
    let mut sql = Sql::new("UPDATE users SET updated_at = ");
    sql.bind(time::now());
    if let Some(role) = change.role {
        sql.push(", role = ").bind(role.as_str());
    }
    if let Some(active) = change.is_active {
        sql.push(", is_active = ").bind(active);
    }
    sql.push(" WHERE user_id = ").bind(user_id);
    if sql.query().execute(state.db.pool()).await?.rows_affected() == 0 {
        return Err(AppError::not_found(format!("User {user_id} not found")));
    }
    let row = sqlx::query("SELECT user_id, username, email, role, is_active, created_at FROM users WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(state.db.pool())
        .await?;
    Ok(user_from_row(&row)?)
}

pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(db.pool()).await?)
}
