//! Server functions of the record lists (`/contacts`, `/activities`, `/orders`) and the record
//! pages that edit one contact, opportunity, activity, task or order. Lists take the same
//! query parameters as the REST lists (filters, `q`, `limit`, `cursor`); saves take the same
//! partial updates as `PATCH` with the version the page showed (a stale one is a 409).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::crm::caller;
#[cfg(feature = "ssr")]
use super::session::with_status;
use crate::{
    error::AppError,
    model::{
        Account, Activity, ActivityPatch, Contact, ContactPatch, Opportunity, OpportunityPatch, Order, OrderStatus,
        Task, TaskPatch,
    },
};

/// A record with the name of its account (`None` without one, or when it is hidden).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed<T> {
    pub record: T,
    pub account_name: Option<String>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub items: Vec<Listed<T>>,
    /// `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A record that may belong to an account.
pub trait OfAccount {
    fn account_id(&self) -> Option<&str>;
}

impl OfAccount for Account {
    fn account_id(&self) -> Option<&str> {
        Some(&self.account_id)
    }
}
impl OfAccount for Contact {
    fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}
impl OfAccount for Activity {
    fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}
impl OfAccount for Order {
    fn account_id(&self) -> Option<&str> {
        Some(&self.account_id)
    }
}
impl OfAccount for Opportunity {
    fn account_id(&self) -> Option<&str> {
        Some(&self.account_id)
    }
}
impl OfAccount for Task {
    fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}

/// `records` with their account names, looked up in one query.
#[cfg(feature = "ssr")]
async fn with_names<T: OfAccount>(
    state: &crate::server::AppState,
    access: &crate::server::crm::Access,
    records: Vec<T>,
) -> Result<Vec<Listed<T>>, AppError> {
    use crate::server::crm::names;
    let names = names::account_names(state, access, records.iter().filter_map(|r| r.account_id())).await?;
    Ok(records
        .into_iter()
        .map(|record| {
            let account_name = record.account_id().and_then(|id| names.get(id).cloned());
            Listed { record, account_name }
        })
        .collect())
}

/// A page of `R` as `GET /{collection}` answers it, with account names.
#[cfg(feature = "ssr")]
pub(super) async fn list_page<R: crate::server::crm::resource::Resource + OfAccount>(
    filters: Vec<(String, String)>,
) -> Result<ListPage<R>, AppError> {
    use crate::server::crm::resource;
    let (state, access) = caller().await?;
    let result = async {
        let (records, next_cursor) = resource::list::<R>(&state, &access, &filters).await?;
        Ok(ListPage { items: with_names(&state, &access, records).await?, next_cursor })
    }
    .await;
    with_status(result)
}

/// One `R` the caller may see, with its account's name.
#[cfg(feature = "ssr")]
async fn one<R: crate::server::crm::resource::Resource + OfAccount>(id: String) -> Result<Listed<R>, AppError> {
    use crate::server::crm::resource;
    let (state, access) = caller().await?;
    let result = async {
        let record = resource::get::<R>(&state, &access, &id).await?;
        Ok(with_names(&state, &access, vec![record]).await?.remove(0))
    }
    .await;
    with_status(result)
}

#[server(prefix = "/api", endpoint = "contact_list", input = Json)]
pub async fn load_contacts(filters: Vec<(String, String)>) -> Result<ListPage<Contact>, AppError> {
    list_page::<Contact>(filters).await
}

#[server(prefix = "/api", endpoint = "activity_list", input = Json)]
pub async fn load_activities(filters: Vec<(String, String)>) -> Result<ListPage<Activity>, AppError> {
    list_page::<Activity>(filters).await
}

#[server(prefix = "/api", endpoint = "order_list", input = Json)]
pub async fn load_orders(filters: Vec<(String, String)>) -> Result<ListPage<Order>, AppError> {
    list_page::<Order>(filters).await
}

#[server(prefix = "/api", endpoint = "contact_record", input = Json)]
pub async fn load_contact(id: String) -> Result<Listed<Contact>, AppError> {
    one::<Contact>(id).await
}

#[server(prefix = "/api", endpoint = "opportunity_record", input = Json)]
pub async fn load_opportunity(id: String) -> Result<Listed<Opportunity>, AppError> {
    one::<Opportunity>(id).await
}

#[server(prefix = "/api", endpoint = "activity_record", input = Json)]
pub async fn load_activity(id: String) -> Result<Listed<Activity>, AppError> {
    one::<Activity>(id).await
}

#[server(prefix = "/api", endpoint = "task_record", input = Json)]
pub async fn load_task(id: String) -> Result<Listed<Task>, AppError> {
    one::<Task>(id).await
}

#[server(prefix = "/api", endpoint = "order_record", input = Json)]
pub async fn load_order(id: String) -> Result<Listed<Order>, AppError> {
    one::<Order>(id).await
}

/// `PATCH /contacts/{id}` with `If-Match: version`.
#[server(prefix = "/api", endpoint = "contact_save", input = Json)]
pub async fn save_contact(id: String, version: i64, patch: ContactPatch) -> Result<Contact, AppError> {
    use crate::server::crm::{contacts, records::Precondition};
    let (state, access) = caller().await?;
    with_status(contacts::update(&state, &access, &id, patch, Some(&Precondition::Version(version))).await)
}

/// `PATCH /opportunities/{id}` with `If-Match: version` (stage rules apply).
#[server(prefix = "/api", endpoint = "opportunity_save", input = Json)]
pub async fn save_opportunity(id: String, version: i64, patch: OpportunityPatch) -> Result<Opportunity, AppError> {
    use crate::server::crm::{opportunities, records::Precondition};
    let (state, access) = caller().await?;
    with_status(opportunities::update(&state, &access, &id, patch, Some(&Precondition::Version(version))).await)
}

/// `PATCH /activities/{id}` with `If-Match: version`.
#[server(prefix = "/api", endpoint = "activity_save", input = Json)]
pub async fn save_activity(id: String, version: i64, patch: ActivityPatch) -> Result<Activity, AppError> {
    use crate::server::crm::{activities, records::Precondition};
    let (state, access) = caller().await?;
    with_status(activities::update(&state, &access, &id, patch, Some(&Precondition::Version(version))).await)
}

/// `PATCH /tasks/{id}` with `If-Match: version`.
#[server(prefix = "/api", endpoint = "task_save", input = Json)]
pub async fn save_task(id: String, version: i64, patch: TaskPatch) -> Result<Task, AppError> {
    use crate::server::crm::{records::Precondition, tasks};
    let (state, access) = caller().await?;
    with_status(tasks::update(&state, &access, &id, patch, Some(&Precondition::Version(version))).await)
}

/// `PATCH /orders/{id}/status`: moves follow `OrderStatus::can_move_to`; others are a 409.
#[server(prefix = "/api", endpoint = "order_status", input = Json)]
pub async fn move_order(id: String, status: OrderStatus) -> Result<Order, AppError> {
    use crate::{model::OrderStatusChange, server::crm::orders};
    let (state, access) = caller().await?;
    with_status(orders::change_status(&state, &access, &id, OrderStatusChange { status }).await)
}
