//! The field side: open tasks by scope, and visits (planned `visit` activities on accounts).

use super::{Access, RowExt, activities, resource::Resource};
use crate::{
    error::AppError,
    model::{
        Account, Activity, ActivityInput, ActivityStatus, ActivityType, Task, TaskFeedItem, TaskScope, Visit, validate,
    },
    server::{AppState, sql::Sql, time},
};

/// Most rows a field list shows.
const FIELD_LIMIT: i64 = 200;

pub async fn open_tasks(state: &AppState, access: &Access, scope: TaskScope) -> Result<Vec<TaskFeedItem>, AppError> {
    let now = time::now();
    let mut sql = Sql::new(&format!(
        "SELECT {}, a.name AS account_name FROM tasks k LEFT JOIN accounts a ON a.account_id = k.account_id \
         WHERE k.status NOT IN ('completed', 'cancelled')",
        Task::COLUMNS
    ));
    Task::restrict(access, &mut sql);
    match scope {
        TaskScope::Mine => {
            sql.push(" AND k.assigned_to = ").bind(access.me());
        }
        TaskScope::Team => {}
        TaskScope::Overdue => {
            sql.push(" AND k.due_date < ").bind(&now);
        }
        TaskScope::DueToday => {
            let day = &now[..10];
            sql.push(" AND k.due_date >= ")
                .bind(format!("{day}T00:00:00Z"))
                .push(" AND k.due_date <= ")
                .bind(format!("{day}T23:59:59Z"));
        }
    }
    sql.push(" ORDER BY COALESCE(k.due_date, '9999'), k.task_id LIMIT ").bind(FIELD_LIMIT);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let task = Task::from_row(row)?;
            let overdue = task.due_date.as_deref().is_some_and(|due| due < now.as_str());
            Ok(TaskFeedItem { task, account_name: row.opt_text("account_name")?, overdue })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// The account's address as one line.
fn address_of(
    billing: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal: Option<String>,
    country: Option<String>,
) -> Option<String> {
    let parts: Vec<String> = [
        billing,
        city,
        state.map(|s| match &postal {
            Some(p) => format!("{s} {p}"),
            None => s,
        }),
        country,
    ]
    .into_iter()
    .flatten()
    .filter(|p| !p.trim().is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A Google Maps directions link to `address` (works without a key, on phones it opens the app).
pub fn directions_url(address: &str) -> String {
    let encoded: String = address
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("https://www.google.com/maps/dir/?api=1&destination={encoded}")
}

pub async fn upcoming_visits(state: &AppState, access: &Access) -> Result<Vec<Visit>, AppError> {
    let today = format!("{}T00:00:00Z", &time::now()[..10]);
    let mut sql = Sql::new(&format!(
        "SELECT {}, a.name AS account_name, a.billing_address, a.city, a.state, a.postal_code, a.country \
         FROM activities t LEFT JOIN accounts a ON a.account_id = t.account_id \
         WHERE t.activity_type = 'visit' AND t.status = 'planned' AND t.assigned_to = ",
        Activity::COLUMNS
    ));
    sql.bind(access.me())
        .push(" AND COALESCE(t.start_time, t.due_date, t.created_at) >= ")
        .bind(today)
        .push(" ORDER BY COALESCE(t.start_time, t.due_date, t.created_at), t.activity_id LIMIT ")
        .bind(FIELD_LIMIT);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let address = address_of(
                row.opt_text("billing_address")?,
                row.opt_text("city")?,
                row.opt_text("state")?,
                row.opt_text("postal_code")?,
                row.opt_text("country")?,
            );
            Ok(Visit {
                activity: Activity::from_row(row)?,
                account_name: row.opt_text("account_name")?,
                navigate_url: address.as_deref().map(directions_url),
                address,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Plans a visit: a planned `visit` activity on the account, assigned to the caller.
pub async fn plan_visit(
    state: &AppState,
    access: &Access,
    account_id: &str,
    purpose: &str,
    when: &str,
) -> Result<Activity, AppError> {
    access.ensure_can_create()?;
    // `<input type="datetime-local">` sends `YYYY-MM-DDTHH:MM`: take it as UTC.
    let when = if when.len() == 16 { format!("{when}:00Z") } else { when.to_owned() };
    let start = validate::optional_time("scheduled_time", Some(when))?
        .ok_or_else(|| AppError::invalid("scheduled_time", "scheduled_time: pick a date and time"))?;
    let account: Account = super::resource::get(state, access, account_id).await.map_err(|e| {
        if e.status() == 404 {
            AppError::invalid("account_id", format!("account_id: no account {account_id}"))
        } else {
            e
        }
    })?;
    let input = ActivityInput {
        subject: validate::required_text("purpose", purpose, 200)?,
        activity_type: ActivityType::Visit,
        status: Some(ActivityStatus::Planned),
        start_time: Some(start.clone()),
        due_date: Some(start),
        account_id: Some(account.account_id.clone()),
        description: Some(format!("Visit to {}", account.name)),
        ..ActivityInput::new_visit()
    };
    let mut tx = state.db.begin_write().await?;
    let id = activities::create_in(&mut tx, access, input).await?;
    let activity = super::resource::fetch(&mut *tx, &id).await?;
    tx.commit().await?;
    Ok(activity)
}

#[cfg(test)]
mod tests {
    use super::directions_url;

    #[test]
    fn directions_links_encode_the_address() {
        assert_eq!(
            directions_url("123 Tech Street, San Francisco, CA 94105"),
            "https://www.google.com/maps/dir/?api=1&destination=123+Tech+Street%2C+San+Francisco%2C+CA+94105"
        );
    }
}
