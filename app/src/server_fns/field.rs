//! Server functions of the task list and the field (visits) view.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::{
    error::AppError,
    model::{Activity, DayPlan, PlannedVisit, TaskFeedItem, TaskScope, Visit},
};

/// Open tasks of the chosen scope, soonest due first, with their account's name.
#[server(prefix = "/api", endpoint = "task_list", input = Json)]
pub async fn task_list(scope: TaskScope) -> Result<Vec<TaskFeedItem>, AppError> {
    use crate::server::crm::field;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(field::open_tasks(&state, &access, scope).await)
}

/// Completes a task from the task list.
#[server(prefix = "/api", endpoint = "finish_task", input = Json)]
pub async fn finish_task(task_id: String) -> Result<crate::model::Task, AppError> {
    use crate::server::crm::tasks;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(tasks::complete(&state, &access, &task_id).await)
}

/// The signed-in rep's planned visits from today on, soonest first.
#[server(prefix = "/api", endpoint = "my_visits")]
pub async fn my_visits() -> Result<Vec<Visit>, AppError> {
    use crate::server::crm::field;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(field::upcoming_visits(&state, &access).await)
}

/// Logs what came of a visit: the visit becomes a completed activity with outcome and next steps.
#[server(prefix = "/api", endpoint = "log_visit", input = Json)]
pub async fn log_visit_outcome(
    activity_id: String,
    outcome: String,
    next_steps: Option<String>,
) -> Result<Activity, AppError> {
    use crate::{model::ActivityCompletion, server::crm::activities};
    let (state, access) = super::crm::caller().await?;
    if outcome.trim().is_empty() {
        return super::session::with_status(Err(AppError::invalid("outcome", "outcome: say how the visit went")));
    }
    let completion = ActivityCompletion { outcome: Some(outcome), next_steps };
    super::session::with_status(activities::complete(&state, &access, &activity_id, completion).await)
}

/// Plans a visit to an account at a time (RFC 3339 or `YYYY-MM-DDTHH:MM` local input), with
/// directions from `origin` ("lat,lng" or an address; default `LANES_VISIT_ORIGIN`).
#[server(prefix = "/api", endpoint = "plan_visit", input = Json)]
pub async fn plan_visit(
    account_id: String,
    purpose: String,
    scheduled_time: String,
    origin: Option<String>,
) -> Result<PlannedVisit, AppError> {
    use crate::{model::VisitRequest, server::crm::field};
    let (state, access) = super::crm::caller().await?;
    let request = VisitRequest { account_id: account_id.clone(), purpose, scheduled_time, origin };
    // On the form an unknown account is a mistake in its field, not a missing page.
    let result = field::plan_visit(&state, &access, request).await.map_err(|e| {
        if e.status() == 404 {
            AppError::invalid("account_id", format!("account_id: no account {account_id}"))
        } else {
            e
        }
    });
    super::session::with_status(result)
}

/// The caller's planned visits of `date` (YYYY-MM-DD, empty: today) in driving order, with one navigation link.
#[server(prefix = "/api", endpoint = "plan_my_day", input = Json)]
pub async fn plan_my_day(date: String, origin: Option<String>) -> Result<DayPlan, AppError> {
    use crate::{model::DayPlanRequest, server::crm::field};
    let (state, access) = super::crm::caller().await?;
    // The phone's "plan my day" sends no date for today.
    let date = if date.trim().is_empty() { crate::server::time::now()[..10].to_owned() } else { date };
    super::session::with_status(field::plan_day(&state, &access, DayPlanRequest { date, user_id: None, origin }).await)
}
