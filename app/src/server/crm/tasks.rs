//! Tasks: to-dos with due dates and reminders.

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    records::{Precondition, ensure_user},
    resource::{self, Creatable, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{Account, Contact, Lead, Opportunity, Priority, Task, TaskInput, TaskPatch, TaskStatus, validate},
    server::{AppState, ids, time},
};

impl Resource for Task {
    const TABLE: &'static str = "tasks";
    const ALIAS: &'static str = "k";
    const ID: &'static str = "task_id";
    const PREFIX: &'static str = ids::TASK;
    const NOUN: &'static str = "Task";
    const COLUMNS: &'static str = "k.task_id, k.title, k.description, k.priority, k.status, k.due_date, \
         k.reminder_date, k.completed_at, k.assigned_to, k.account_id, k.opportunity_id, k.contact_id, k.lead_id, \
         k.version, k.created_at, k.updated_at";
    const HOLDERS: &'static [&'static str] = &["assigned_to"];

    /// `GET /tasks`: the contract's filters plus due-date range and overdue.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "status", column: "k.status", kind: FilterKind::Enum(TaskStatus::check) },
            Filter { param: "assigned_to", column: "k.assigned_to", kind: FilterKind::User },
            Filter { param: "priority", column: "k.priority", kind: FilterKind::Enum(Priority::check) },
            Filter { param: "account_id", column: "k.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "opportunity_id", column: "k.opportunity_id", kind: FilterKind::Id(ids::OPPORTUNITY) },
            Filter { param: "due_from", column: "k.due_date", kind: FilterKind::From },
            Filter { param: "due_to", column: "k.due_date", kind: FilterKind::To },
        ],
        search: &["k.title", "k.description"],
        sorts: &[
            SortKey { name: "created_at", expr: "k.created_at" },
            SortKey { name: "updated_at", expr: "k.updated_at" },
            SortKey { name: "due_date", expr: "COALESCE(k.due_date, '9999')" },
        ],
        id_column: "k.task_id",
    };

    fn from_row(row: &AnyRow) -> Result<Task, sqlx::Error> {
        Ok(Task {
            task_id: row.text("task_id")?,
            title: row.text("title")?,
            description: row.opt_text("description")?,
            priority: row.parse("priority")?,
            status: row.parse("status")?,
            due_date: row.opt_text("due_date")?,
            reminder_date: row.opt_text("reminder_date")?,
            completed_at: row.opt_text("completed_at")?,
            assigned_to: row.opt_text("assigned_to")?,
            account_id: row.opt_text("account_id")?,
            opportunity_id: row.opt_text("opportunity_id")?,
            contact_id: row.opt_text("contact_id")?,
            lead_id: row.opt_text("lead_id")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
        })
    }

    record_meta!(assigned_to);
}

/// The one place for task rules. `completed_at` follows the status: set when a task becomes
/// completed, kept while it stays so, cleared when it is reopened.
fn validated(input: &TaskInput, completed_at: Option<String>) -> Result<Write, AppError> {
    let status = input.status.unwrap_or(TaskStatus::Pending);
    let completed_at = match status {
        TaskStatus::Completed => Some(completed_at.unwrap_or_else(time::now)),
        _ => None,
    };
    Ok(Write::new()
        .set("title", validate::required_text("title", &input.title, 200)?)
        .set("description", validate::optional_text("description", input.description.clone(), 5000)?)
        .set("priority", input.priority.unwrap_or(Priority::Medium).as_str())
        .set("status", status.as_str())
        .set("due_date", validate::optional_time("due_date", input.due_date.clone())?)
        .set("reminder_date", validate::optional_time("reminder_date", input.reminder_date.clone())?)
        .set("completed_at", completed_at)
        .set("account_id", input.account_id.clone())
        .set("opportunity_id", input.opportunity_id.clone())
        .set("contact_id", input.contact_id.clone())
        .set("lead_id", input.lead_id.clone()))
}

async fn check_references(
    tx: &mut sqlx::AnyConnection,
    access: &Access,
    input: &TaskInput,
    assignee: &str,
) -> Result<(), AppError> {
    if let Some(id) = &input.account_id {
        resource::ensure_visible::<Account>(tx, access, "account_id", id).await?;
    }
    if let Some(id) = &input.opportunity_id {
        resource::ensure_visible::<Opportunity>(tx, access, "opportunity_id", id).await?;
    }
    if let Some(id) = &input.contact_id {
        resource::ensure_visible::<Contact>(tx, access, "contact_id", id).await?;
    }
    if let Some(id) = &input.lead_id {
        resource::ensure_visible::<Lead>(tx, access, "lead_id", id).await?;
    }
    ensure_user(tx, "assigned_to", assignee).await
}

/// Creates a task inside `tx`; returns its id.
pub async fn create_in(tx: &mut sqlx::AnyConnection, access: &Access, input: TaskInput) -> Result<String, AppError> {
    let assignee = input.assigned_to.clone().unwrap_or_else(|| access.me().to_owned());
    access.ensure_can_assign("assigned_to", Some(&assignee))?;
    let write = validated(&input, None)?.set("assigned_to", &assignee);
    check_references(tx, access, &input, &assignee).await?;
    write.insert(tx, Task::TABLE, Task::ID, ids::TASK).await
}

impl Creatable for Task {
    type Input = TaskInput;

    fn create_in(
        tx: &mut sqlx::AnyConnection,
        _state: &AppState,
        access: &Access,
        input: TaskInput,
    ) -> impl Future<Output = Result<String, AppError>> + Send {
        create_in(tx, access, input)
    }
}

pub async fn update(
    state: &AppState,
    access: &Access,
    task_id: &str,
    patch: TaskPatch,
    precondition: Option<&Precondition>,
) -> Result<Task, AppError> {
    resource::retry_on_race(precondition, || update_once(state, access, task_id, patch.clone(), precondition)).await
}

async fn update_once(
    state: &AppState,
    access: &Access,
    task_id: &str,
    patch: TaskPatch,
    precondition: Option<&Precondition>,
) -> Result<Task, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) = resource::load_for_change::<Task>(&mut tx, state, access, task_id, precondition).await?;
    if patch.assigned_to.is_some() {
        access.ensure_can_assign("assigned_to", patch.assigned_to.as_deref())?;
    }
    let assignee = patch.assigned_to.or(current.assigned_to).unwrap_or_else(|| access.me().to_owned());
    let new_reminder = patch.reminder_date.as_ref().map(|r| r.as_deref().and_then(validate::normalize_time));
    let reminder_moved = new_reminder.is_some_and(|r| r != current.reminder_date);
    let merged = TaskInput {
        title: patch.title.unwrap_or(current.title),
        description: patch.description.unwrap_or(current.description),
        priority: Some(patch.priority.unwrap_or(current.priority)),
        status: Some(patch.status.unwrap_or(current.status)),
        due_date: patch.due_date.unwrap_or(current.due_date),
        reminder_date: patch.reminder_date.unwrap_or(current.reminder_date),
        assigned_to: None,
        account_id: patch.account_id.unwrap_or(current.account_id),
        opportunity_id: patch.opportunity_id.unwrap_or(current.opportunity_id),
        contact_id: patch.contact_id.unwrap_or(current.contact_id),
        lead_id: patch.lead_id.unwrap_or(current.lead_id),
    };
    let mut write = validated(&merged, current.completed_at)?.set("assigned_to", &assignee);
    if reminder_moved {
        // A new reminder time is a new reminder: it fires again (see server::reminders).
        write = write.set("reminder_sent_at", None::<String>);
    }
    check_references(&mut tx, access, &merged, &assignee).await?;
    let task = resource::save(&mut tx, task_id, version, write).await?;
    tx.commit().await?;
    Ok(task)
}

/// `PUT /tasks/{id}/complete`.
pub async fn complete(state: &AppState, access: &Access, task_id: &str) -> Result<Task, AppError> {
    let patch = TaskPatch { status: Some(TaskStatus::Completed), ..Default::default() };
    update(state, access, task_id, patch, None).await
}
