//! The durable outbox: calls to other systems (orders to the back office, reminder mails) are
//! written as rows in the same transaction as the change that causes them, then made by a
//! worker with retries and backoff. A crash between the two loses nothing; the worst case is a
//! repeated call, which carries an `Idempotency-Key` so the receiver can drop it.
//!
//! Workers claim a row with a lease (`locked_until`): several instances on one PostgreSQL never
//! make the same call at once, and a row whose worker died is picked up when its lease ends.

use std::time::Duration;

use chrono::Utc;
use sqlx::{AnyConnection, Row};
use tokio::sync::Notify;

use super::{
    AppState,
    crm::{RowExt, Write, resource},
    ids,
    integrations::{self, office365},
    sql::Sql,
    time,
};
use crate::{error::AppError, model::Order};

pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
/// Order sync state once the back office has the order.
pub const SYNCED: &str = "synced";

/// Kinds of calls.
pub const BOS_ORDER: &str = "bos_order";
/// A task reminder mailed to its assignee through Office 365 (subject: the notification).
pub const REMINDER_MAIL: &str = "reminder_mail";

/// How long a claimed row stays with its worker; longer than any one outbound call.
const LEASE: Duration = Duration::from_secs(60);
/// After this many failed attempts a row is given up (`failed`) and shows so.
pub const MAX_ATTEMPTS: i64 = 8;
/// How often the worker looks for due rows when nothing woke it.
const POLL: Duration = Duration::from_secs(5);

static WAKE: Notify = Notify::const_new();

/// Queues a call inside the caller's transaction.
pub async fn enqueue(conn: &mut AnyConnection, kind: &str, subject_id: &str) -> Result<(), AppError> {
    let now = time::now();
    Write::new()
        .set("kind", kind)
        .set("subject_id", subject_id)
        .set("payload", "{}")
        .set("status", PENDING)
        .set("next_attempt_at", &now)
        .set("created_at", &now)
        .set("updated_at", &now)
        .insert_plain(conn, "outbox", "outbox_id", ids::OUTBOX)
        .await
}

/// Tells this instance's worker to look now (after a commit that queued something).
pub fn wake(_state: &AppState) {
    WAKE.notify_one();
}

/// A claimed row.
#[derive(Debug)]
struct Job {
    outbox_id: String,
    kind: String,
    subject_id: String,
    attempts: i64,
    /// What an earlier attempt left for the next (JSON).
    payload: String,
}

/// What one attempt came to.
enum Outcome {
    Delivered { external_ref: Option<String> },
    Retry(String),
    GiveUp(String),
}

/// Claims one due row, or none. The inner SELECT may pick a row another instance claims at the
/// same moment; the outer WHERE re-checks the lease, so only one UPDATE matches.
async fn claim(state: &AppState) -> Result<Option<Job>, AppError> {
    let now = time::now();
    let lease_end = time::format(Utc::now() + LEASE);
    let free = "(locked_until IS NULL OR locked_until < ";
    let mut sql = Sql::new("UPDATE outbox SET attempts = attempts + 1, locked_until = ");
    sql.bind(&lease_end).push(", updated_at = ").bind(&now);
    sql.push(" WHERE outbox_id = (SELECT outbox_id FROM outbox WHERE status = ").bind(PENDING);
    sql.push(" AND next_attempt_at <= ").bind(&now).push(" AND ").push(free).bind(&now);
    sql.push(") ORDER BY next_attempt_at, outbox_id LIMIT 1) AND ").push(free).bind(&now);
    sql.push(") RETURNING outbox_id, kind, subject_id, attempts, payload");
    let Some(row) = sql.query().fetch_optional(state.db.pool()).await? else { return Ok(None) };
    Ok(Some(Job {
        outbox_id: row.text("outbox_id")?,
        kind: row.text("kind")?,
        subject_id: row.text("subject_id")?,
        attempts: row.try_get("attempts")?,
        payload: row.text("payload")?,
    }))
}

/// Makes every due call once; returns how many rows were attempted. The worker runs this; tests
/// call it directly.
pub async fn deliver_due(state: &AppState) -> Result<usize, AppError> {
    let mut attempted = 0;
    while let Some(job) = claim(state).await? {
        attempted += 1;
        let outcome = match job.kind.as_str() {
            BOS_ORDER => push_order(state, &job.subject_id).await,
            REMINDER_MAIL => mail_reminder(state, &job).await,
            other => Outcome::GiveUp(format!("unknown outbox kind {other:?}")),
        };
        settle(state, &job, outcome).await?;
    }
    Ok(attempted)
}

/// Records the attempt's outcome: done, retried later (exponential backoff), or given up.
async fn settle(state: &AppState, job: &Job, outcome: Outcome) -> Result<(), AppError> {
    let now = time::now();
    let mut tx = state.db.begin_write().await?;
    let (status, next_attempt, error, order_sync) = match outcome {
        Outcome::Delivered { external_ref } => {
            if job.kind == BOS_ORDER {
                let mut sql = Sql::new("UPDATE orders SET sync_status = ");
                sql.bind(SYNCED).push(", synced_at = ").bind(&now).push(", external_ref = ").bind(external_ref);
                sql.push(" WHERE order_id = ").bind(&job.subject_id);
                sql.query().execute(&mut *tx).await?;
            }
            (DONE, now.clone(), None, None)
        }
        Outcome::Retry(error) if job.attempts < MAX_ATTEMPTS => {
            let backoff = Duration::from_secs(2_u64.saturating_pow(job.attempts as u32).min(3600));
            tracing::warn!(kind = %job.kind, subject = %job.subject_id, attempts = job.attempts, %error, "outbox call failed; will retry");
            (PENDING, time::format(Utc::now() + backoff), Some(error), None)
        }
        Outcome::Retry(error) | Outcome::GiveUp(error) => {
            tracing::error!(kind = %job.kind, subject = %job.subject_id, attempts = job.attempts, %error, "outbox call given up");
            (FAILED, now.clone(), Some(error), Some(FAILED))
        }
    };
    if let (Some(sync), BOS_ORDER) = (order_sync, job.kind.as_str()) {
        let mut sql = Sql::new("UPDATE orders SET sync_status = ");
        sql.bind(sync).push(" WHERE order_id = ").bind(&job.subject_id);
        sql.query().execute(&mut *tx).await?;
    }
    let mut sql = Sql::new("UPDATE outbox SET status = ");
    sql.bind(status).push(", next_attempt_at = ").bind(next_attempt).push(", last_error = ").bind(error);
    sql.push(", locked_until = NULL, updated_at = ").bind(&now).push(" WHERE outbox_id = ").bind(&job.outbox_id);
    sql.query().execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// `POST {LANES_BOS_URL}/orders` with the order as JSON. The order id is the idempotency key, so
/// a repeat after a crash cannot create a second order in the back office.
async fn push_order(state: &AppState, order_id: &str) -> Outcome {
    let Some(base) = state.settings.integrations.bos_url.as_deref() else {
        return Outcome::Retry("LANES_BOS_URL is no longer set".into());
    };
    let order = match resource::fetch::<Order>(state.db.pool(), order_id).await {
        Ok(order) => order,
        Err(e) => return Outcome::GiveUp(format!("order {order_id}: {}", e.detail)),
    };
    let mut request = state.http.post(format!("{base}/orders")).header("Idempotency-Key", order_id).json(&order);
    if let Some(key) = &state.settings.integrations.bos_api_key {
        request = request.bearer_auth(key.expose());
    }
    let response = match integrations::send("back_office", request).await {
        Ok(response) => response,
        Err(e) => return Outcome::Retry(integrations::unreachable("back office", &e).detail),
    };
    let status = response.status();
    if status.is_success() {
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        let external_ref = ["id", "order_id", "reference"]
            .iter()
            .find_map(|k| body.get(k).and_then(|v| v.as_str().map(str::to_owned).or(v.as_i64().map(|n| n.to_string()))))
            .map(|r| r.chars().take(200).collect());
        return Outcome::Delivered { external_ref };
    }
    let error = format!("back office answered HTTP {}", status.as_u16());
    if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
        Outcome::Retry(error)
    } else {
        Outcome::GiveUp(error)
    }
}

/// Mails a task reminder. Graph has no idempotency key, so the mail goes out once by keeping the
/// draft's id in the row before sending it: a repeat (after a crash, or a lease that ran out)
/// sends that same draft, and Graph no longer finds a draft that was sent (404) — done.
async fn mail_reminder(state: &AppState, job: &Job) -> Outcome {
    let saved = serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|p| p["draft_id"].as_str().map(str::to_owned));
    let failed = |failure: office365::Failure| {
        if failure.retryable { Outcome::Retry(failure.error.detail) } else { Outcome::GiveUp(failure.error.detail) }
    };
    let draft_id = match &saved {
        Some(id) => id.clone(),
        None => {
            let message = match super::reminders::reminder_mail(state, &job.subject_id).await {
                Ok(Some(message)) => message,
                Ok(None) => return Outcome::GiveUp("the assignee is no longer active".into()),
                Err(e) => return Outcome::Retry(e.detail),
            };
            let id = match office365::create_draft(state, &message).await {
                Ok(id) => id,
                Err(failure) => return failed(failure),
            };
            let payload = serde_json::json!({ "draft_id": id }).to_string();
            let kept = sqlx::query("UPDATE outbox SET payload = $1 WHERE outbox_id = $2")
                .bind(payload)
                .bind(&job.outbox_id)
                .execute(state.db.pool())
                .await;
            if let Err(e) = kept {
                // The draft stays unsent; the next attempt makes and sends another one.
                return Outcome::Retry(format!("could not keep the draft id: {e}"));
            }
            id
        }
    };
    match office365::send_draft(state, &draft_id).await {
        Ok(()) => Outcome::Delivered { external_ref: Some(draft_id) },
        Err(failure) if saved.is_some() && failure.upstream_status == Some(404) => {
            Outcome::Delivered { external_ref: Some(draft_id) }
        }
        Err(failure) => failed(failure),
    }
}

/// The worker: delivers due rows when woken and every few seconds, until the process ends.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&state).await {
                tracing::warn!(error = %e.detail, "outbox worker: will try again");
            }
            tokio::select! {
                _ = WAKE.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

/// Rows not yet delivered, for `/health`.
pub async fn backlog(state: &AppState) -> Result<i64, AppError> {
    let row =
        sqlx::query("SELECT COUNT(*) FROM outbox WHERE status = $1").bind(PENDING).fetch_one(state.db.pool()).await?;
    Ok(row.try_get(0)?)
}
