//! Server functions of the account pages. Each one authenticates the caller (a server function
//! is a public endpoint), checks that the account is visible to them, and calls the same
//! service layer as the REST routes.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::crm::caller;
use crate::{
    error::AppError,
    model::{AccountDashboard, Activity, Contact, ContactInput, Order, Task, TaskInput},
};

/// Everything the account page shows: the account dashboard and the account's orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub dashboard: AccountDashboard,
    /// The currency the summary figures are in.
    pub base_currency: String,
    /// Newest first.
    pub orders: Vec<Order>,
}

/// 404 unless the caller may see the account (a hidden account looks like a missing one).
#[cfg(feature = "ssr")]
async fn ensure_visible(
    state: &crate::server::AppState,
    access: &crate::server::crm::Access,
    account_id: &str,
) -> Result<(), AppError> {
    use crate::{model::Account, server::crm::resource};
    resource::get::<Account>(state, access, account_id).await.map(|_| ())
}

#[server(prefix = "/api", endpoint = "account", input = Json)]
pub async fn load_account(account_id: String) -> Result<AccountOverview, AppError> {
    use crate::server::crm::{accounts::related, dashboard};
    let (state, access) = caller().await?;
    let result = async {
        let dashboard = dashboard::account(&state, &access, &account_id).await?;
        let orders = related::<Order>(&state, &account_id, "d.order_date DESC, d.order_id").await?;
        Ok(AccountOverview { dashboard, base_currency: state.settings.base_currency.clone(), orders })
    }
    .await;
    super::session::with_status(result)
}

/// Marks a task completed (`PUT /tasks/{id}/complete`).
#[server(prefix = "/api", endpoint = "complete_task", input = Json)]
pub async fn complete_task_now(task_id: String) -> Result<Task, AppError> {
    use crate::server::crm::tasks;
    let (state, access) = caller().await?;
    super::session::with_status(tasks::complete(&state, &access, &task_id).await)
}

/// Records a call that just took place: a completed `call` activity on the account, now.
#[server(prefix = "/api", endpoint = "log_call", input = Json)]
pub async fn log_call(account_id: String, subject: String, outcome: String) -> Result<Activity, AppError> {
    use crate::{
        model::{ActivityInput, ActivityStatus, ActivityType},
        server::{
            crm::{activities, resource},
            time,
        },
    };
    let (state, access) = caller().await?;
    let result = async {
        ensure_visible(&state, &access, &account_id).await?;
        access.ensure_can_create()?;
        let outcome = outcome.trim();
        let input = ActivityInput {
            subject,
            description: None,
            activity_type: ActivityType::Call,
            status: Some(ActivityStatus::Completed),
            priority: None,
            due_date: None,
            start_time: Some(time::now()),
            end_time: None,
            duration_minutes: None,
            account_id: Some(account_id),
            contact_id: None,
            opportunity_id: None,
            lead_id: None,
            assigned_to: None,
            outcome: (!outcome.is_empty()).then(|| outcome.to_owned()),
            next_steps: None,
        };
        let mut tx = state.db.begin_write().await?;
        let id = activities::create_in(&mut tx, &access, input).await?;
        let activity = resource::fetch::<Activity>(&mut *tx, &id).await?;
        tx.commit().await?;
        Ok(activity)
    }
    .await;
    super::session::with_status(result)
}

/// Adds a contact to a visible account.
#[server(prefix = "/api", endpoint = "add_contact", input = Json)]
pub async fn add_contact(input: ContactInput) -> Result<Contact, AppError> {
    use crate::server::crm::resource;
    let (state, access) = caller().await?;
    let result = async {
        if let Some(account_id) = &input.account_id {
            ensure_visible(&state, &access, account_id).await?;
        }
        resource::create::<Contact>(&state, &access, input).await
    }
    .await;
    super::session::with_status(result)
}

/// Adds a task to a visible account.
#[server(prefix = "/api", endpoint = "add_task", input = Json)]
pub async fn add_task(input: TaskInput) -> Result<Task, AppError> {
    use crate::server::crm::resource;
    let (state, access) = caller().await?;
    let result = async {
        if let Some(account_id) = &input.account_id {
            ensure_visible(&state, &access, account_id).await?;
        }
        resource::create::<Task>(&state, &access, input).await
    }
    .await;
    super::session::with_status(result)
}
