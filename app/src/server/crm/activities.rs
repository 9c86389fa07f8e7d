//! Activities: calls, emails, meetings, notes and visits, planned or done.

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    records::{Precondition, ensure_user},
    resource::{self, Creatable, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{
        Account, Activity, ActivityCompletion, ActivityInput, ActivityPatch, ActivityStatus, ActivityType, Contact,
        Lead, Opportunity, validate,
    },
    server::{AppState, ids},
};

impl Resource for Activity {
    const TABLE: &'static str = "activities";
    const ALIAS: &'static str = "t";
    const ID: &'static str = "activity_id";
    const PREFIX: &'static str = ids::ACTIVITY;
    const NOUN: &'static str = "Activity";
    const COLUMNS: &'static str = "t.activity_id, t.subject, t.description, t.activity_type, t.status, t.priority, \
         t.due_date, t.start_time, t.end_time, t.duration_minutes, t.account_id, t.contact_id, t.opportunity_id, \
         t.lead_id, t.assigned_to, t.outcome, t.next_steps, t.version, t.created_at, t.updated_at";
    const HOLDERS: &'static [&'static str] = &["assigned_to"];

    /// `GET /activities`: the contract's filters plus contact and a start-time range.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "activity_type", column: "t.activity_type", kind: FilterKind::Enum(ActivityType::check) },
            Filter { param: "status", column: "t.status", kind: FilterKind::Enum(ActivityStatus::check) },
            Filter { param: "assigned_to", column: "t.assigned_to", kind: FilterKind::User },
            Filter { param: "account_id", column: "t.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "opportunity_id", column: "t.opportunity_id", kind: FilterKind::Id(ids::OPPORTUNITY) },
            Filter { param: "lead_id", column: "t.lead_id", kind: FilterKind::Id(ids::LEAD) },
            Filter { param: "contact_id", column: "t.contact_id", kind: FilterKind::Id(ids::CONTACT) },
            Filter { param: "start_from", column: "t.start_time", kind: FilterKind::From },
            Filter { param: "start_to", column: "t.start_time", kind: FilterKind::To },
        ],
        search: &["t.subject", "t.description", "t.outcome"],
        sorts: &[
            SortKey { name: "created_at", expr: "t.created_at" },
            SortKey { name: "updated_at", expr: "t.updated_at" },
            SortKey { name: "start_time", expr: "COALESCE(t.start_time, '')" },
            SortKey { name: "due_date", expr: "COALESCE(t.due_date, '')" },
        ],
        id_column: "t.activity_id",
    };

    fn from_row(row: &AnyRow) -> Result<Activity, sqlx::Error> {
        Ok(Activity {
            activity_id: row.text("activity_id")?,
            subject: row.text("subject")?,
            description: row.opt_text("description")?,
            activity_type: row.parse("activity_type")?,
            status: row.parse("status")?,
            priority: row.opt_parse("priority")?,
            due_date: row.opt_text("due_date")?,
            start_time: row.opt_text("start_time")?,
            end_time: row.opt_text("end_time")?,
            duration_minutes: row.opt_int("duration_minutes")?,
            account_id: row.opt_text("account_id")?,
            contact_id: row.opt_text("contact_id")?,
            opportunity_id: row.opt_text("opportunity_id")?,
            lead_id: row.opt_text("lead_id")?,
            assigned_to: row.opt_text("assigned_to")?,
            outcome: row.opt_text("outcome")?,
            next_steps: row.opt_text("next_steps")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
        })
    }

    record_meta!(assigned_to);
}

/// The one place for activity rules.
fn validated(input: &ActivityInput) -> Result<Write, AppError> {
    let start = validate::optional_time("start_time", input.start_time.clone())?;
    let end = validate::optional_time("end_time", input.end_time.clone())?;
    validate::ordered("start_time", &start, "end_time", &end)?;
    Ok(Write::new()
        .set("subject", validate::required_text("subject", &input.subject, 200)?)
        .set("description", validate::optional_text("description", input.description.clone(), 5000)?)
        .set("activity_type", input.activity_type.as_str())
        .set("status", input.status.unwrap_or(ActivityStatus::Planned).as_str())
        .set("priority", input.priority.map(|p| p.as_str().to_owned()))
        .set("due_date", validate::optional_time("due_date", input.due_date.clone())?)
        .set("start_time", start)
        .set("end_time", end)
        .set("duration_minutes", validate::non_negative("duration_minutes", input.duration_minutes)?)
        .set("account_id", input.account_id.clone())
        .set("contact_id", input.contact_id.clone())
        .set("opportunity_id", input.opportunity_id.clone())
        .set("lead_id", input.lead_id.clone())
        .set("outcome", validate::optional_text("outcome", input.outcome.clone(), 5000)?)
        .set("next_steps", validate::optional_text("next_steps", input.next_steps.clone(), 5000)?))
}

async fn check_references(
    tx: &mut sqlx::AnyConnection,
    access: &Access,
    input: &ActivityInput,
    assignee: &str,
) -> Result<(), AppError> {
    if let Some(id) = &input.account_id {
        resource::ensure_visible::<Account>(tx, access, "account_id", id).await?;
    }
    if let Some(id) = &input.contact_id {
        resource::ensure_visible::<Contact>(tx, access, "contact_id", id).await?;
    }
    if let Some(id) = &input.opportunity_id {
        resource::ensure_visible::<Opportunity>(tx, access, "opportunity_id", id).await?;
    }
    if let Some(id) = &input.lead_id {
        resource::ensure_visible::<Lead>(tx, access, "lead_id", id).await?;
    }
    ensure_user(tx, "assigned_to", assignee).await
}

/// Creates an activity inside `tx` (mail logging and visit planning use this too).
pub async fn create_in(
    tx: &mut sqlx::AnyConnection,
    access: &Access,
    input: ActivityInput,
) -> Result<String, AppError> {
    let assignee = input.assigned_to.clone().unwrap_or_else(|| access.me().to_owned());
    access.ensure_can_assign("assigned_to", Some(&assignee))?;
    let write = validated(&input)?.set("assigned_to", &assignee);
    check_references(tx, access, &input, &assignee).await?;
    write.insert(tx, Activity::TABLE, Activity::ID, ids::ACTIVITY).await
}

impl Creatable for Activity {
    type Input = ActivityInput;

    fn create_in(
        tx: &mut sqlx::AnyConnection,
        _state: &AppState,
        access: &Access,
        input: ActivityInput,
    ) -> impl Future<Output = Result<String, AppError>> + Send {
        create_in(tx, access, input)
    }
}

pub async fn update(
    state: &AppState,
    access: &Access,
    activity_id: &str,
    patch: ActivityPatch,
    precondition: Option<&Precondition>,
) -> Result<Activity, AppError> {
    resource::retry_on_race(precondition, || update_once(state, access, activity_id, patch.clone(), precondition)).await
}

async fn update_once(
    state: &AppState,
    access: &Access,
    activity_id: &str,
    patch: ActivityPatch,
    precondition: Option<&Precondition>,
) -> Result<Activity, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) =
        resource::load_for_change::<Activity>(&mut tx, state, access, activity_id, precondition).await?;
    if patch.assigned_to.is_some() {
        access.ensure_can_assign("assigned_to", patch.assigned_to.as_deref())?;
    }
    let assignee = patch.assigned_to.or(current.assigned_to).unwrap_or_else(|| access.me().to_owned());
    let merged = ActivityInput {
        subject: patch.subject.unwrap_or(current.subject),
        description: patch.description.unwrap_or(current.description),
        activity_type: patch.activity_type.unwrap_or(current.activity_type),
        status: Some(patch.status.unwrap_or(current.status)),
        priority: patch.priority.unwrap_or(current.priority),
        due_date: patch.due_date.unwrap_or(current.due_date),
        start_time: patch.start_time.unwrap_or(current.start_time),
        end_time: patch.end_time.unwrap_or(current.end_time),
        duration_minutes: patch.duration_minutes.unwrap_or(current.duration_minutes),
        account_id: patch.account_id.unwrap_or(current.account_id),
        contact_id: patch.contact_id.unwrap_or(current.contact_id),
        opportunity_id: patch.opportunity_id.unwrap_or(current.opportunity_id),
        lead_id: patch.lead_id.unwrap_or(current.lead_id),
        assigned_to: None,
        outcome: patch.outcome.unwrap_or(current.outcome),
        next_steps: patch.next_steps.unwrap_or(current.next_steps),
    };
    let write = validated(&merged)?.set("assigned_to", &assignee);
    check_references(&mut tx, access, &merged, &assignee).await?;
    let activity = resource::save(&mut tx, activity_id, version, write).await?;
    tx.commit().await?;
    Ok(activity)
}

/// `PUT /activities/{id}/complete`: marks it done, with what came of it.
pub async fn complete(
    state: &AppState,
    access: &Access,
    activity_id: &str,
    completion: ActivityCompletion,
) -> Result<Activity, AppError> {
    let patch = ActivityPatch {
        status: Some(ActivityStatus::Completed),
        outcome: completion.outcome.map(Some),
        next_steps: completion.next_steps.map(Some),
        ..Default::default()
    };
    update(state, access, activity_id, patch, None).await
}
