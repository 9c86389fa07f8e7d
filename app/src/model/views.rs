//! Consolidated views and dashboards: several records in one answer, shaped like the contract.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Account, Activity, Contact, Lead, Opportunity, Order, Task, TaskSummary};

/// `GET /account/view/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountView {
    pub account: Account,
    pub contacts: Vec<Contact>,
    pub opportunities: Vec<Opportunity>,
    pub orders: Vec<Order>,
    pub tasks: Vec<Task>,
    pub recent_activities: Vec<Activity>,
}

/// `GET /lead/pipeline`: open (not converted) leads by stage, then status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadPipeline {
    pub pipeline: BTreeMap<String, BTreeMap<String, Vec<Lead>>>,
    /// Exact counts per stage and status (the lists above are capped per cell).
    pub summary: BTreeMap<String, BTreeMap<String, i64>>,
    pub total_leads: i64,
}

/// An opportunity on the status board, with its account's name and its tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardOpportunity {
    #[serde(flatten)]
    pub opportunity: Opportunity,
    pub account_name: String,
    pub linked_tasks: Vec<TaskSummary>,
}

/// Count and value of one column of the deal board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageTotals {
    pub count: i64,
    /// Σ amount, in the base currency.
    pub total_amount: f64,
}

/// `GET /opportunity/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpportunityBoard {
    pub opportunities_by_stage: BTreeMap<String, Vec<BoardOpportunity>>,
    pub summary: BTreeMap<String, StageTotals>,
    pub total_opportunities: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountCounts {
    pub total: i64,
    pub active: i64,
    pub inactive: i64,
    pub by_type: BTreeMap<String, i64>,
    pub by_industry: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadCounts {
    pub total: i64,
    pub new: i64,
    pub contacted: i64,
    pub qualified: i64,
    pub proposal: i64,
    pub negotiation: i64,
    pub unqualified: i64,
    pub converted: i64,
    /// converted leads / all leads × 100, one decimal.
    pub conversion_rate: f64,
    pub by_source: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpportunityCounts {
    pub total: i64,
    pub open: i64,
    pub won: i64,
    pub lost: i64,
    /// won / all opportunities × 100, one decimal.
    pub win_rate: f64,
    /// Σ amount of open opportunities (base currency).
    pub pipeline_value: f64,
    /// Σ amount × probability / 100 of open opportunities (base currency).
    pub weighted_pipeline_value: f64,
    /// Mean amount of all opportunities with an amount (base currency).
    pub average_deal_size: f64,
    pub by_stage: BTreeMap<String, i64>,
    pub currency: String,
}

/// An activity in a feed, with the account's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityFeedItem {
    #[serde(flatten)]
    pub activity: Activity,
    pub account_name: Option<String>,
}

/// A task in a to-do list, with the account's name and whether it is overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskFeedItem {
    #[serde(flatten)]
    pub task: Task,
    pub account_name: Option<String>,
    pub overdue: bool,
}

/// `GET /dashboard/crm`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CrmDashboard {
    pub accounts: AccountCounts,
    pub leads: LeadCounts,
    pub opportunities: OpportunityCounts,
    pub recent_activities: Vec<ActivityFeedItem>,
    pub pending_tasks: Vec<TaskFeedItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub total_opportunities: i64,
    /// Σ amount of all the account's opportunities (base currency).
    pub total_opportunity_value: f64,
    /// Σ amount × probability / 100 over open opportunities (base currency).
    pub weighted_opportunity_value: f64,
    pub active_contacts: i64,
    /// Tasks neither completed nor cancelled.
    pub pending_tasks: i64,
    pub completed_activities_last_30_days: i64,
    /// Earliest due date among open tasks and planned activities.
    pub next_activity_due: Option<String>,
}

/// `GET /dashboard/account/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountDashboard {
    pub account: Account,
    pub contacts: Vec<Contact>,
    pub opportunities: Vec<Opportunity>,
    pub tasks: Vec<Task>,
    pub recent_activities: Vec<Activity>,
    pub summary: AccountSummary,
}

/// Which tasks the task page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskScope {
    Mine,
    Team,
    Overdue,
    DueToday,
}

/// A visit on the field view: the activity and where to go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub activity: Activity,
    pub account_name: Option<String>,
    pub address: Option<String>,
    /// A Google Maps directions link (no key needed).
    pub navigate_url: Option<String>,
}

/// `POST /integrations/google-maps/visit` body (the contract's, plus where the rep starts).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitRequest {
    pub account_id: String,
    pub purpose: String,
    /// RFC 3339 (or `YYYY-MM-DDTHH:MM`, taken as UTC).
    pub scheduled_time: String,
    /// Where the route starts: the phone's position as `"lat,lng"`, or an address. Default:
    /// `LANES_VISIT_ORIGIN`.
    #[serde(default)]
    pub origin: Option<String>,
}

/// Where a visit goes: the account's address and, with a maps provider, its coordinates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VisitLocation {
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// One drive: human-readable ("12.5 km", "25 mins") and exact (metres, seconds).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Leg {
    pub distance: String,
    pub duration: String,
    pub distance_meters: i64,
    pub duration_seconds: i64,
}

/// How to get to a visit. Without a maps provider (or without a start) only `route_url` is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VisitDirections {
    /// E.g. "12.5 km".
    pub distance: Option<String>,
    /// E.g. "25 mins" (with traffic when the provider knows it).
    pub duration: Option<String>,
    /// A Google Maps directions link; needs no key and opens the Maps app on phones.
    pub route_url: Option<String>,
    /// From the duration with traffic vs. without (Google only), e.g. "Light traffic expected".
    pub traffic_info: Option<String>,
    pub distance_meters: Option<i64>,
    pub duration_seconds: Option<i64>,
}

/// `POST /integrations/google-maps/visit` answer: the contract's fields, plus the provider used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlannedVisit {
    pub success: bool,
    /// The planned `visit` activity's id.
    pub visit_id: String,
    pub account_id: String,
    pub purpose: String,
    pub scheduled_time: String,
    pub location: VisitLocation,
    pub directions: VisitDirections,
    /// Always "planned".
    pub status: String,
    pub timestamp: String,
    /// "google", "openstreetmap", or null when no maps provider is configured.
    pub provider: Option<String>,
}

/// `POST /visits/plan-day` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DayPlanRequest {
    /// `YYYY-MM-DD` (a UTC day, like every time in Lanes).
    pub date: String,
    /// Whose day; default the caller. Managers and admins may plan anyone's.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Where the day starts and ends: `"lat,lng"` or an address. Default: `LANES_VISIT_ORIGIN`.
    #[serde(default)]
    pub origin: Option<String>,
}

/// One stop of a day plan, in driving order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayStop {
    /// The planned `visit` activity.
    pub visit_id: String,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub purpose: String,
    pub scheduled_time: Option<String>,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The drive from the previous stop (or the start); null without routing.
    pub leg: Option<Leg>,
}

/// A visit of the day that is not in the route, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SkippedVisit {
    pub visit_id: String,
    pub account_name: Option<String>,
    pub purpose: String,
    pub reason: String,
}

/// `POST /visits/plan-day` answer: the day's visits in driving order and one navigation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayPlan {
    pub date: String,
    pub user_id: String,
    /// Where the route starts and ends (null: at the first visit, without a return).
    pub origin: Option<String>,
    /// "google", "openstreetmap", or null.
    pub provider: Option<String>,
    /// True when the order is the provider's shortest route; false: planned-time order.
    pub optimized: bool,
    /// Why the order was not optimised, when it was not.
    pub note: Option<String>,
    pub stops: Vec<DayStop>,
    /// The drive from the last stop back to the start (round trip), when routed.
    pub return_leg: Option<Leg>,
    /// All legs together, the return included; null without routing.
    pub total: Option<Leg>,
    /// One Google Maps link through every stop in order (null when there are no stops).
    pub route_url: Option<String>,
    pub skipped: Vec<SkippedVisit>,
}
