//! Consolidated views: an account with everything on it, the lead pipeline and the deal board.
//! Each answers in a fixed number of queries, whatever the data size; long lists are capped per
//! column and come with exact counts.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;

use super::{
    Access, RowExt,
    accounts::related,
    resource::{self, Resource},
};
use crate::{
    error::AppError,
    model::{
        Account, AccountView, Activity, BoardOpportunity, Contact, Lead, LeadPipeline, Opportunity, OpportunityBoard,
        Order, StageTotals, Task, TaskSummary, money,
    },
    server::{AppState, sql::Sql},
};

/// How many records a view shows per list, column or cell unless asked otherwise.
pub const DEFAULT_PER_COLUMN: i64 = 50;
pub const MAX_PER_COLUMN: i64 = 500;
/// How many recent activities a view shows.
pub const RECENT_ACTIVITIES: i64 = 20;

/// `per_column`/`limit` of a view: 1..=500.
pub fn per_column(pairs: &[(String, String)], name: &str) -> Result<i64, AppError> {
    match pairs.iter().find(|(k, _)| k == name) {
        None => Ok(DEFAULT_PER_COLUMN),
        Some((_, v)) => v.trim().parse::<i64>().ok().filter(|n| (1..=MAX_PER_COLUMN).contains(n)).ok_or_else(|| {
            AppError::invalid(name, format!("{name}: must be a whole number from 1 to {MAX_PER_COLUMN}"))
        }),
    }
}

/// Rejects any query parameter but `allowed`.
pub fn only_params(pairs: &[(String, String)], allowed: &[&str]) -> Result<(), AppError> {
    match pairs.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        Some((k, _)) => Err(AppError::invalid(k, format!("{k}: unknown parameter (known: {})", allowed.join(", ")))),
        None => Ok(()),
    }
}

/// `GET /account/view/{id}`: six queries.
pub async fn account_view(state: &AppState, access: &Access, account_id: &str) -> Result<AccountView, AppError> {
    let account: Account = resource::get(state, access, account_id).await?;
    Ok(AccountView {
        contacts: related::<Contact>(state, account_id, "c.is_primary DESC, c.last_name, c.contact_id").await?,
        opportunities: related::<Opportunity>(state, account_id, "o.created_at DESC, o.opportunity_id").await?,
        orders: related::<Order>(state, account_id, "d.order_date DESC, d.order_id").await?,
        tasks: related::<Task>(state, account_id, "COALESCE(k.due_date, '9999'), k.task_id").await?,
        recent_activities: recent_activities(state, account_id).await?,
        account,
    })
}

pub async fn recent_activities(state: &AppState, account_id: &str) -> Result<Vec<Activity>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {} FROM activities t WHERE t.account_id = ", Activity::COLUMNS));
    sql.bind(account_id)
        .push(" ORDER BY COALESCE(t.start_time, t.created_at) DESC, t.activity_id LIMIT ")
        .bind(RECENT_ACTIVITIES);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows.iter().map(Activity::from_row).collect::<Result<_, _>>()?)
}

/// `GET /lead/pipeline`: open leads by stage and status, newest first, at most `per_column`
/// per cell; `summary` has the exact counts. Two queries: the counts from the tally, then the
/// newest leads of each non-empty cell, each cell an index walk of at most `per_column` rows.
pub async fn lead_pipeline(
    state: &AppState,
    access: &Access,
    pairs: &[(String, String)],
) -> Result<LeadPipeline, AppError> {
    only_params(pairs, &["per_column"])?;
    let per_cell = per_column(pairs, "per_column")?;

    let mut counts = Sql::new(
        "SELECT l.lead_stage, l.lead_status, CAST(SUM(l.n) AS BIGINT) AS n FROM lead_tallies l WHERE l.is_converted = 0",
    );
    Lead::restrict(access, &mut counts);
    counts.push(" GROUP BY l.lead_stage, l.lead_status HAVING SUM(l.n) <> 0");
    let mut summary: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut total_leads = 0;
    for row in counts.query().fetch_all(state.db.pool()).await? {
        let n = row.int("n")?;
        total_leads += n;
        summary.entry(row.text("lead_stage")?).or_default().insert(row.text("lead_status")?, n);
    }

    let cells: Vec<(&String, &String)> =
        summary.iter().flat_map(|(stage, statuses)| statuses.keys().map(move |status| (stage, status))).collect();
    let mut pipeline: BTreeMap<String, BTreeMap<String, Vec<Lead>>> = BTreeMap::new();
    let newest_per_cell = newest_per_column(&cells, "created_at DESC, lead_id DESC", |sql, (stage, status)| {
        sql.push(&format!("SELECT {} FROM leads l WHERE l.is_converted = 0 AND l.lead_stage = ", Lead::COLUMNS))
            .bind(stage.as_str())
            .push(" AND l.lead_status = ")
            .bind(status.as_str());
        Lead::restrict(access, sql);
        sql.push(" ORDER BY l.created_at DESC, l.lead_id DESC LIMIT ").bind(per_cell);
    });
    if let Some(sql) = newest_per_cell {
        for row in sql.query().fetch_all(state.db.pool()).await? {
            let lead = Lead::from_row(&row)?;
            pipeline
                .entry(lead.lead_stage.as_str().to_owned())
                .or_default()
                .entry(lead.lead_status.as_str().to_owned())
                .or_default()
                .push(lead);
        }
    }
    Ok(LeadPipeline { pipeline, summary, total_leads })
}

/// One statement that reads each column of a board by its own `ORDER BY … LIMIT` (written by
/// `column`), glued with `UNION ALL`, newest first overall; `None` when there are no columns.
fn newest_per_column<C>(columns: &[C], order: &str, mut column: impl FnMut(&mut Sql, &C)) -> Option<Sql> {
    let mut sql = Sql::new("SELECT * FROM (");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        // Each part is wrapped: SQLite takes ORDER BY/LIMIT only on a whole compound query.
        sql.push("SELECT * FROM (");
        column(&mut sql, c);
        sql.push(&format!(") AS column_{i}"));
    }
    sql.push(&format!(") AS board ORDER BY {order}"));
    (!columns.is_empty()).then_some(sql)
}

/// A SQL expression for `cents_column` in the base currency (configured rates, never input).
pub fn in_base_currency(state: &AppState, cents_column: &str, currency_column: &str) -> String {
    let rates = &state.settings.fx_rates;
    if rates.is_empty() {
        return format!("({cents_column} * 1.0)");
    }
    let mut expr = format!("(CASE {currency_column}");
    for (code, rate) in rates {
        // Codes are validated three-letter uppercase words and rates finite numbers.
        expr.push_str(&format!(" WHEN '{code}' THEN {cents_column} * {rate:.6}"));
    }
    expr.push_str(&format!(" ELSE {cents_column} * 1.0 END)"));
    expr
}

/// `GET /opportunity/status`: deals by stage (newest first, at most `per_column` per stage),
/// each with its account's name and tasks; `summary` has exact counts and values per stage.
/// Three queries.
pub async fn opportunity_board(
    state: &AppState,
    access: &Access,
    pairs: &[(String, String)],
) -> Result<OpportunityBoard, AppError> {
    only_params(pairs, &["per_column"])?;
    let per_stage = per_column(pairs, "per_column")?;
    let amount = in_base_currency(state, "o.amount_cents", "o.currency");

    let mut totals = Sql::new(&format!(
        "SELECT o.stage, CAST(SUM(o.n) AS BIGINT) AS n, CAST(ROUND(COALESCE(SUM({amount}), 0)) AS BIGINT) AS total \
         FROM opportunity_tallies o WHERE 1=1"
    ));
    Opportunity::restrict(access, &mut totals);
    totals.push(" GROUP BY o.stage HAVING SUM(o.n) <> 0");
    let mut summary = BTreeMap::new();
    let mut total_opportunities = 0;
    for row in totals.query().fetch_all(state.db.pool()).await? {
        let count = row.int("n")?;
        total_opportunities += count;
        summary.insert(row.text("stage")?, StageTotals { count, total_amount: money::from_cents(row.int("total")?) });
    }

    let stages: Vec<&String> = summary.keys().collect();
    let newest_per_stage = newest_per_column(&stages, "created_at DESC, opportunity_id DESC", |sql, stage| {
        sql.push(&format!(
            "SELECT {}, a.name AS account_name FROM opportunities o JOIN accounts a ON a.account_id = o.account_id \
             WHERE o.stage = ",
            Opportunity::COLUMNS
        ))
        .bind(stage.as_str());
        Opportunity::restrict(access, sql);
        sql.push(" ORDER BY o.created_at DESC, o.opportunity_id DESC LIMIT ").bind(per_stage);
    });
    let rows = match newest_per_stage {
        Some(sql) => sql.query().fetch_all(state.db.pool()).await?,
        None => Vec::new(),
    };
    let deals: Vec<(Opportunity, String)> = rows
        .iter()
        .map(|row| Ok((Opportunity::from_row(row)?, row.text("account_name")?)))
        .collect::<Result<_, sqlx::Error>>()?;

    let mut tasks_by_deal = linked_tasks(state, deals.iter().map(|(o, _)| o.opportunity_id.clone())).await?;
    let mut opportunities_by_stage: BTreeMap<String, Vec<BoardOpportunity>> = BTreeMap::new();
    for (opportunity, account_name) in deals {
        let linked_tasks = tasks_by_deal.remove(&opportunity.opportunity_id).unwrap_or_default();
        opportunities_by_stage.entry(opportunity.stage.as_str().to_owned()).or_default().push(BoardOpportunity {
            opportunity,
            account_name,
            linked_tasks,
        });
    }
    Ok(OpportunityBoard { opportunities_by_stage, summary, total_opportunities })
}

/// Tasks of the given deals, in one query (chunked to stay under parameter limits).
async fn linked_tasks(
    state: &AppState,
    opportunity_ids: impl Iterator<Item = String>,
) -> Result<BTreeMap<String, Vec<TaskSummary>>, AppError> {
    let ids: Vec<String> = opportunity_ids.collect();
    let mut by_deal: BTreeMap<String, Vec<TaskSummary>> = BTreeMap::new();
    for chunk in ids.chunks(1000) {
        let mut sql = Sql::new(
            "SELECT k.opportunity_id, k.task_id, k.title, k.status, k.priority, k.due_date FROM tasks k WHERE k.opportunity_id IN ",
        );
        sql.bind_list(chunk.iter().map(|id| id.into())).push(" ORDER BY COALESCE(k.due_date, '9999'), k.task_id");
        for row in sql.query().fetch_all(state.db.pool()).await? {
            by_deal.entry(row.text("opportunity_id")?).or_default().push(task_summary(&row)?);
        }
    }
    Ok(by_deal)
}

fn task_summary(row: &AnyRow) -> Result<TaskSummary, sqlx::Error> {
    Ok(TaskSummary {
        task_id: row.text("task_id")?,
        title: row.text("title")?,
        status: row.parse("status")?,
        priority: row.parse("priority")?,
        due_date: row.opt_text("due_date")?,
    })
}
