//! The CRM records as the contract shows them (field names, nesting, id formats). Lanes adds a
//! few fields clients may ignore: `owner_id`, `version` (for `If-Match`), conversion links.

use serde::{Deserialize, Serialize};

use super::{
    AccountType, ActivityStatus, ActivityType, ContactRole, LeadSource, LeadStage, LeadStatus, LifecycleStage,
    OpportunityStage, OrderStatus, Priority, RecordStatus, TaskStatus, patch::nullable,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Account {
    pub account_id: String,
    pub name: String,
    pub account_type: AccountType,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub billing_address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub annual_revenue: Option<f64>,
    pub employee_count: Option<i64>,
    pub territory: Option<String>,
    pub status: RecordStatus,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub owner_id: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /accounts` body; also what a PATCH is merged into before validation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    pub name: String,
    #[serde(default)]
    pub account_type: Option<AccountType>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub billing_address: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub annual_revenue: Option<f64>,
    #[serde(default)]
    pub employee_count: Option<i64>,
    #[serde(default)]
    pub territory: Option<String>,
    #[serde(default)]
    pub status: Option<RecordStatus>,
    #[serde(default)]
    pub lifecycle_stage: Option<LifecycleStage>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

/// `PATCH /accounts/{id}` body: absent keeps, `null` clears, a value sets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub account_type: Option<AccountType>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub state: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub country: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub annual_revenue: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub employee_count: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub territory: Option<Option<String>>,
    #[serde(default)]
    pub status: Option<RecordStatus>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<Option<LifecycleStage>>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contact {
    pub contact_id: String,
    pub account_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub contact_role: ContactRole,
    pub is_primary: bool,
    pub status: RecordStatus,
    pub owner_id: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default)]
    pub account_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub contact_role: Option<ContactRole>,
    #[serde(default)]
    pub is_primary: Option<bool>,
    #[serde(default)]
    pub status: Option<RecordStatus>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Option<String>>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub department: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub mobile: Option<Option<String>>,
    #[serde(default)]
    pub contact_role: Option<ContactRole>,
    #[serde(default)]
    pub is_primary: Option<bool>,
    #[serde(default)]
    pub status: Option<RecordStatus>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Lead {
    pub lead_id: String,
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lead_source: Option<LeadSource>,
    pub lead_status: LeadStatus,
    pub lead_stage: LeadStage,
    pub budget: Option<f64>,
    pub timeline: Option<String>,
    pub need: Option<String>,
    pub assigned_to: Option<String>,
    pub converted: bool,
    pub converted_at: Option<String>,
    pub converted_account_id: Option<String>,
    pub converted_contact_id: Option<String>,
    pub converted_opportunity_id: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub lead_source: Option<LeadSource>,
    #[serde(default)]
    pub lead_status: Option<LeadStatus>,
    #[serde(default)]
    pub lead_stage: Option<LeadStage>,
    #[serde(default)]
    pub budget: Option<f64>,
    #[serde(default)]
    pub timeline: Option<String>,
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub assigned_to: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadPatch {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub lead_source: Option<Option<LeadSource>>,
    #[serde(default)]
    pub lead_status: Option<LeadStatus>,
    #[serde(default)]
    pub lead_stage: Option<LeadStage>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub budget: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub need: Option<Option<String>>,
    #[serde(default)]
    pub assigned_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Opportunity {
    pub opportunity_id: String,
    pub account_id: String,
    pub primary_contact_id: Option<String>,
    pub lead_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub stage: OpportunityStage,
    pub probability: f64,
    pub amount: Option<f64>,
    pub currency: String,
    pub expected_revenue: Option<f64>,
    pub close_date: Option<String>,
    pub requirements: Option<String>,
    pub products_interested: Option<String>,
    pub owner_id: Option<String>,
    pub is_closed: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /opportunities` body. `expected_revenue` is accepted for compatibility with the
/// contract's example and ignored: the server computes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpportunityInput {
    pub account_id: String,
    #[serde(default)]
    pub primary_contact_id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub stage: Option<OpportunityStage>,
    #[serde(default)]
    pub probability: Option<f64>,
    #[serde(default)]
    pub amount: Option<f64>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, skip_serializing)]
    pub expected_revenue: Option<f64>,
    #[serde(default)]
    pub close_date: Option<String>,
    #[serde(default)]
    pub requirements: Option<String>,
    #[serde(default)]
    pub products_interested: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpportunityPatch {
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub primary_contact_id: Option<Option<String>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub description: Option<Option<String>>,
    #[serde(default)]
    pub stage: Option<OpportunityStage>,
    #[serde(default)]
    pub probability: Option<f64>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub amount: Option<Option<f64>>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, skip_serializing)]
    pub expected_revenue: Option<f64>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub close_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub products_interested: Option<Option<String>>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

/// `PUT /opportunities/{id}/stage` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    pub stage: OpportunityStage,
    #[serde(default)]
    pub probability: Option<f64>,
}

/// One entry of an opportunity's stage history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageHistoryEntry {
    pub from_stage: Option<OpportunityStage>,
    pub to_stage: OpportunityStage,
    pub changed_by: Option<String>,
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub activity_id: String,
    pub subject: String,
    pub description: Option<String>,
    pub activity_type: ActivityType,
    pub status: ActivityStatus,
    pub priority: Option<Priority>,
    pub due_date: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub duration_minutes: Option<i64>,
    pub account_id: Option<String>,
    pub contact_id: Option<String>,
    pub opportunity_id: Option<String>,
    pub lead_id: Option<String>,
    pub assigned_to: Option<String>,
    pub outcome: Option<String>,
    pub next_steps: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    pub subject: String,
    #[serde(default)]
    pub description: Option<String>,
    pub activity_type: ActivityType,
    #[serde(default)]
    pub status: Option<ActivityStatus>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub due_date: Option<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub opportunity_id: Option<String>,
    #[serde(default)]
    pub lead_id: Option<String>,
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub next_steps: Option<String>,
}

impl ActivityInput {
    /// A blank visit, to fill in with struct update syntax.
    pub fn new_visit() -> Self {
        ActivityInput {
            subject: String::new(),
            description: None,
            activity_type: ActivityType::Visit,
            status: None,
            priority: None,
            due_date: None,
            start_time: None,
            end_time: None,
            duration_minutes: None,
            account_id: None,
            contact_id: None,
            opportunity_id: None,
            lead_id: None,
            assigned_to: None,
            outcome: None,
            next_steps: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityPatch {
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub description: Option<Option<String>>,
    #[serde(default)]
    pub activity_type: Option<ActivityType>,
    #[serde(default)]
    pub status: Option<ActivityStatus>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub priority: Option<Option<Priority>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub opportunity_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<Option<String>>,
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<Option<String>>,
}

/// `PUT /activities/{id}/complete` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityCompletion {
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub next_steps: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Task {
    pub task_id: String,
    pub title: String,
    pub description: Option<String>,
    pub priority: Priority,
    pub status: TaskStatus,
    pub due_date: Option<String>,
    pub reminder_date: Option<String>,
    pub completed_at: Option<String>,
    pub assigned_to: Option<String>,
    pub account_id: Option<String>,
    pub opportunity_id: Option<String>,
    pub contact_id: Option<String>,
    pub lead_id: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub status: Option<TaskStatus>,
    #[serde(default)]
    pub due_date: Option<String>,
    #[serde(default)]
    pub reminder_date: Option<String>,
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub opportunity_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub lead_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub description: Option<Option<String>>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub status: Option<TaskStatus>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub reminder_date: Option<Option<String>>,
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub opportunity_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<Option<String>>,
}

/// A task as the boards show it next to a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskSummary {
    pub task_id: String,
    pub title: String,
    pub status: TaskStatus,
    pub priority: Priority,
    pub due_date: Option<String>,
}

/// An order of the logistics side. `order_id` is `ORD_` + 8 characters everywhere (the contract
/// shows both `12345` and `"ORD_20240115170000"`; Lanes uses one string identity, like every
/// other record). `customer_id` is the account the order is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub order_id: String,
    pub customer_id: String,
    pub account_id: String,
    pub opportunity_id: Option<String>,
    pub product_id: String,
    pub quantity: i64,
    pub unit_price: f64,
    pub total_amount: f64,
    pub currency: String,
    pub special_requirements: Option<String>,
    pub status: OrderStatus,
    pub order_date: String,
    pub created_by: Option<String>,
    /// Push to the back office (`LANES_BOS_URL`): `pending`, `synced` or `failed`; null when
    /// no back office is configured.
    pub sync_status: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /integrations/bos/order` body (the contract's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BosOrderRequest {
    pub opportunity_id: String,
    pub order_details: BosOrderInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BosOrderInput {
    pub product_id: String,
    /// At least 1; defaults to 1.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Defaults to the opportunity's amount divided by the quantity.
    #[serde(default)]
    pub unit_price: Option<f64>,
    #[serde(default)]
    pub special_requirements: Option<String>,
}

/// `POST /integrations/bos/order` answer: the contract's fields, plus the whole order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BosOrderResult {
    pub success: bool,
    pub message: String,
    pub order_id: String,
    pub opportunity_id: String,
    pub order_details: BosOrderDetails,
    pub status: OrderStatus,
    pub timestamp: String,
    pub order: Order,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BosOrderDetails {
    pub product_id: String,
    pub quantity: i64,
    pub unit_price: f64,
    pub total_amount: f64,
    pub special_requirements: Option<String>,
}

/// `PATCH /orders/{id}/status` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderStatusChange {
    pub status: OrderStatus,
}

/// `GET /accounts/{id}`: the account with its contacts, opportunities and activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountDetail {
    #[serde(flatten)]
    pub account: Account,
    pub contacts: Vec<Contact>,
    pub opportunities: Vec<Opportunity>,
    pub activities: Vec<Activity>,
}

/// `POST /leads/{id}/convert` body (the contract's). Everything is optional: without
/// `account_id` an account is found or made from the lead's company.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadConversion {
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub stage: Option<OpportunityStage>,
    #[serde(default)]
    pub amount: Option<f64>,
    #[serde(default)]
    pub probability: Option<f64>,
    /// Accepted for compatibility; the server computes expected revenue.
    #[serde(default, skip_serializing)]
    pub expected_revenue: Option<f64>,
    #[serde(default)]
    pub close_date: Option<String>,
}

/// What a conversion created or linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConversionResult {
    pub lead_id: String,
    pub account_id: String,
    pub contact_id: String,
    pub opportunity_id: String,
    pub account_created: bool,
    pub contact_created: bool,
    pub converted_at: String,
    pub opportunity: Opportunity,
}
