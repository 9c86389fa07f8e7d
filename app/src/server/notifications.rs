//! The caller's notifications: list, unread count, mark read. Each user sees only their own.

use sqlx::{Row, any::AnyRow};

use super::{AppState, auth::AuthUser, crm::RowExt, ids, sql::Sql, time};
use crate::{
    error::AppError,
    model::{Notification, NotificationList},
};

const COLUMNS: &str = "notification_id, kind, title, body, link, task_id, created_at, read_at";
pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 200;

fn from_row(row: &AnyRow) -> Result<Notification, sqlx::Error> {
    let read_at = row.opt_text("read_at")?;
    Ok(Notification {
        notification_id: row.text("notification_id")?,
        kind: row.text("kind")?,
        title: row.text("title")?,
        body: row.opt_text("body")?,
        link: row.opt_text("link")?,
        task_id: row.opt_text("task_id")?,
        created_at: row.text("created_at")?,
        is_read: read_at.is_some(),
        read_at,
    })
}

/// The caller's newest notifications (only unread ones with `unread_only`).
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    unread_only: bool,
    limit: i64,
) -> Result<NotificationList, AppError> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM notifications WHERE user_id = "));
    sql.bind(&user.user_id);
    if unread_only {
        sql.push(" AND read_at IS NULL");
    }
    sql.push(" ORDER BY created_at DESC, notification_id DESC LIMIT ").bind(limit.clamp(1, MAX_LIMIT));
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    let notifications = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(NotificationList { count: notifications.len(), notifications, unread_count: unread_count(state, user).await? })
}

pub async fn unread_count(state: &AppState, user: &AuthUser) -> Result<i64, AppError> {
    let row = sqlx::query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(&user.user_id)
        .fetch_one(state.db.pool())
        .await?;
    Ok(row.try_get(0)?)
}

/// Marks one of the caller's notifications read (again is fine); someone else's is a 404.
pub async fn mark_read(state: &AppState, user: &AuthUser, notification_id: &str) -> Result<Notification, AppError> {
    let missing = || AppError::not_found(format!("Notification {notification_id} not found"));
    if !ids::is_valid(ids::NOTIFICATION, notification_id) {
        return Err(missing());
    }
    sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE notification_id = $2 AND user_id = $3 AND read_at IS NULL",
    )
    .bind(time::now())
    .bind(notification_id)
    .bind(&user.user_id)
    .execute(state.db.pool())
    .await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE notification_id = $1 AND user_id = $2"
    )))
    .bind(notification_id)
    .bind(&user.user_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or_else(missing)?;
    Ok(from_row(&row)?)
}

/// Marks all of the caller's notifications read; returns how many were unread.
pub async fn mark_all_read(state: &AppState, user: &AuthUser) -> Result<u64, AppError> {
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(time::now())
        .bind(&user.user_id)
        .execute(state.db.pool())
        .await?;
    Ok(done.rows_affected())
}
