//! Task reminders: when a task's `reminder_date` is reached, its assignee gets a notification,
//! and with Office 365 configured a mail, queued in the outbox in the same transaction.
//!
//! Each reminder is claimed by setting `reminder_sent_at` with `WHERE reminder_sent_at IS NULL`
//! in the same transaction that writes the notification. So a reminder fires exactly once: two
//! instances racing for it find one row each way (the loser updates nothing), and a crash before
//! the commit leaves it unclaimed for the next sweep.

use std::time::Duration;

use sqlx::Row;

use super::{AppState, crm::RowExt, ids, integrations::office365::Message, outbox, time};
use crate::{
    error::AppError,
    model::{TaskStatus, escape_html},
};

/// Reminders handled per sweep; the rest wait for the next one.
const BATCH: i64 = 200;

pub const TASK_REMINDER: &str = "task_reminder";

/// Fires every due reminder now; returns how many fired. The worker runs this; tests call it.
pub async fn fire_due(state: &AppState) -> Result<usize, AppError> {
    let now = time::now();
    let due = sqlx::query(
        "SELECT task_id FROM tasks WHERE reminder_sent_at IS NULL AND reminder_date <= $1 \
         AND assigned_to IS NOT NULL AND status <> $2 AND status <> $3 ORDER BY reminder_date, task_id LIMIT $4",
    )
    .bind(&now)
    .bind(TaskStatus::Completed.as_str())
    .bind(TaskStatus::Cancelled.as_str())
    .bind(BATCH)
    .fetch_all(state.db.pool())
    .await?;
    let mut fired = 0;
    for row in due {
        let task_id: String = row.try_get(0)?;
        if fire(state, &task_id).await? {
            fired += 1;
        }
    }
    Ok(fired)
}

/// Claims one task's reminder and writes its notification, atomically. False when another
/// worker got there first (or the task changed meanwhile).
async fn fire(state: &AppState, task_id: &str) -> Result<bool, AppError> {
    let now = time::now();
    let mut tx = state.db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE tasks SET reminder_sent_at = $1 WHERE task_id = $2 AND reminder_sent_at IS NULL \
         AND reminder_date <= $1 AND assigned_to IS NOT NULL",
    )
    .bind(&now)
    .bind(task_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(false);
    }
    let task = sqlx::query("SELECT title, due_date, assigned_to, reminder_date FROM tasks WHERE task_id = $1")
        .bind(task_id)
        .fetch_one(&mut *tx)
        .await?;
    let body = match task.opt_text("due_date")? {
        Some(due) => format!("Due {due}"),
        None => "No due date".to_owned(),
    };
    let notification_id = ids::new_id(ids::NOTIFICATION);
    sqlx::query(
        "INSERT INTO notifications (notification_id, user_id, kind, title, body, link, task_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&notification_id)
    .bind(task.text("assigned_to")?)
    .bind(TASK_REMINDER)
    .bind(format!("Reminder: {}", task.text("title")?))
    .bind(body)
    .bind("/tasks")
    .bind(task_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    // The mail is queued in the same transaction: it goes out exactly when the notification does.
    let mail = state.settings.integrations.office365_configured();
    if mail {
        outbox::enqueue(&mut tx, outbox::REMINDER_MAIL, &notification_id).await?;
    }
    tx.commit().await?;
    if mail {
        outbox::wake(state);
    }
    if let Some(Ok(due)) = task.opt_text("reminder_date")?.map(|d| chrono::DateTime::parse_from_rfc3339(&d)) {
        let lag = chrono::Utc::now().signed_duration_since(due).num_milliseconds() as f64 / 1000.0;
        crate::server::metrics::reminder_fired(lag);
    }
    Ok(true)
}

/// The mail of a reminder notification to its user (`None` when the user is no longer active).
pub async fn reminder_mail(state: &AppState, notification_id: &str) -> Result<Option<Message>, AppError> {
    let row = sqlx::query(
        "SELECT n.title, n.body, n.link, u.email, u.is_active FROM notifications n \
         JOIN users u ON u.user_id = n.user_id WHERE n.notification_id = $1",
    )
    .bind(notification_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or_else(|| AppError::not_found(format!("Notification {notification_id} not found")))?;
    if !row.flag("is_active")? {
        return Ok(None);
    }
    let title = row.text("title")?;
    let mut html = format!("<p><strong>{}</strong></p>", escape_html(&title));
    if let Some(body) = row.opt_text("body")? {
        html.push_str(&format!("<p>{}</p>", escape_html(&body)));
    }
    if let (Some(base), Some(link)) = (&state.settings.public_url, row.opt_text("link")?) {
        let href = format!("{}{link}", base.trim_end_matches('/'));
        html.push_str(&format!("<p><a href=\"{}\">Open in Lanes</a></p>", escape_html(&href)));
    }
    Ok(Some(Message {
        to: vec![row.text("email")?],
        subject: title.chars().take(200).collect(),
        html,
        ..Message::default()
    }))
}

/// The worker: sweeps every `LANES_REMINDER_INTERVAL_SECS` until the process ends.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    let every = Duration::from_secs(state.settings.integrations.reminder_interval_secs);
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match fire_due(&state).await {
                Ok(0) => {}
                Ok(fired) => tracing::info!(fired, "task reminders sent"),
                Err(e) => tracing::warn!(error = %e.detail, "reminder sweep failed; will try again"),
            }
        }
    })
}
