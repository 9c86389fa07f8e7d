//! Dashboards. The formulas (also in the OpenAPI description):
//! - conversion_rate = converted leads / all leads × 100
//! - win_rate = won opportunities / all opportunities × 100
//! - pipeline_value = Σ amount of open opportunities
//! - weighted value = Σ amount × probability / 100 over open opportunities
//! - average_deal_size = mean amount of all opportunities that have an amount
//!
//! Rates are rounded to one decimal, money to cents; money is summed in the base currency.
//! Every count respects the caller's visibility. Each dashboard is a fixed number of queries, and
//! the counts come from tallies (`tallies`), so their cost does not grow with the data.

use std::collections::BTreeMap;

use super::{
    Access, RowExt,
    accounts::related,
    resource::{self, Resource},
    views::{in_base_currency, recent_activities},
};
use crate::{
    error::AppError,
    model::{
        Account, AccountCounts, AccountDashboard, AccountSummary, Activity, ActivityFeedItem, Contact, CrmDashboard,
        Lead, LeadCounts, Opportunity, OpportunityCounts, Task, TaskFeedItem, money,
    },
    server::{AppState, sql::Sql, time},
};

/// How many recent activities and pending tasks the CRM dashboard lists.
const FEED_LENGTH: i64 = 10;

/// `part / whole × 100`, rounded to one decimal; 0 when there is no whole.
pub fn rate(part: i64, whole: i64) -> f64 {
    if whole == 0 { 0.0 } else { (part as f64 * 1000.0 / whole as f64).round() / 10.0 }
}

pub async fn crm(state: &AppState, access: &Access) -> Result<CrmDashboard, AppError> {
    Ok(CrmDashboard {
        accounts: account_counts(state, access).await?,
        leads: lead_counts(state, access).await?,
        opportunities: opportunity_counts(state, access).await?,
        recent_activities: activity_feed(state, access).await?,
        pending_tasks: task_feed(state, access).await?,
    })
}

async fn account_counts(state: &AppState, access: &Access) -> Result<AccountCounts, AppError> {
    // The tally is kept per owner, but a restricted caller also sees accounts that merely hold
    // a record of theirs: only the accounts themselves can say which.
    let (source, count) =
        if access.restricted { ("accounts", "COUNT(*)") } else { ("account_tallies", "CAST(SUM(a.n) AS BIGINT)") };
    let mut sql = Sql::new(&format!(
        "SELECT a.account_type, a.status, COALESCE(a.industry, 'Other') AS industry, {count} AS n FROM {source} a WHERE 1=1"
    ));
    Account::restrict(access, &mut sql);
    sql.push(&format!(" GROUP BY a.account_type, a.status, COALESCE(a.industry, 'Other') HAVING {count} <> 0"));
    let mut counts =
        AccountCounts { total: 0, active: 0, inactive: 0, by_type: BTreeMap::new(), by_industry: BTreeMap::new() };
    for row in sql.query().fetch_all(state.db.pool()).await? {
        let n = row.int("n")?;
        counts.total += n;
        match row.text("status")?.as_str() {
            "active" => counts.active += n,
            _ => counts.inactive += n,
        }
        *counts.by_type.entry(row.text("account_type")?).or_default() += n;
        *counts.by_industry.entry(row.text("industry")?).or_default() += n;
    }
    Ok(counts)
}

async fn lead_counts(state: &AppState, access: &Access) -> Result<LeadCounts, AppError> {
    let mut sql = Sql::new(
        "SELECT l.lead_status, l.lead_source, l.is_converted, CAST(SUM(l.n) AS BIGINT) AS n FROM lead_tallies l WHERE 1=1",
    );
    Lead::restrict(access, &mut sql);
    sql.push(" GROUP BY l.lead_status, l.lead_source, l.is_converted HAVING SUM(l.n) <> 0");
    let mut counts = LeadCounts {
        total: 0,
        new: 0,
        contacted: 0,
        qualified: 0,
        proposal: 0,
        negotiation: 0,
        unqualified: 0,
        converted: 0,
        conversion_rate: 0.0,
        by_source: BTreeMap::new(),
    };
    for row in sql.query().fetch_all(state.db.pool()).await? {
        let n = row.int("n")?;
        counts.total += n;
        if row.flag("is_converted")? {
            counts.converted += n;
        }
        match row.text("lead_status")?.as_str() {
            "new" => counts.new += n,
            "contacted" => counts.contacted += n,
            "qualified" => counts.qualified += n,
            "proposal" => counts.proposal += n,
            "negotiation" => counts.negotiation += n,
            _ => counts.unqualified += n,
        }
        *counts.by_source.entry(row.text("lead_source")?).or_default() += n;
    }
    counts.conversion_rate = rate(counts.converted, counts.total);
    Ok(counts)
}

async fn opportunity_counts(state: &AppState, access: &Access) -> Result<OpportunityCounts, AppError> {
    let amount = in_base_currency(state, "o.amount_cents", "o.currency");
    let weighted = in_base_currency(state, "o.expected_revenue_cents", "o.currency");
    let mut sql = Sql::new(&format!(
        "SELECT o.stage, CAST(SUM(o.n) AS BIGINT) AS n, CAST(SUM(o.with_amount) AS BIGINT) AS with_amount, \
         CAST(ROUND(COALESCE(SUM({amount}), 0)) AS BIGINT) AS amount, \
         CAST(ROUND(COALESCE(SUM({weighted}), 0)) AS BIGINT) AS weighted \
         FROM opportunity_tallies o WHERE 1=1"
    ));
    Opportunity::restrict(access, &mut sql);
    sql.push(" GROUP BY o.stage HAVING SUM(o.n) <> 0");
    let mut counts = OpportunityCounts {
        total: 0,
        open: 0,
        won: 0,
        lost: 0,
        win_rate: 0.0,
        pipeline_value: 0.0,
        weighted_pipeline_value: 0.0,
        average_deal_size: 0.0,
        by_stage: BTreeMap::new(),
        currency: state.settings.base_currency.clone(),
    };
    let (mut all_amount, mut with_amount, mut open_amount, mut open_weighted) = (0_i64, 0_i64, 0_i64, 0_i64);
    for row in sql.query().fetch_all(state.db.pool()).await? {
        let n = row.int("n")?;
        let stage = row.text("stage")?;
        counts.total += n;
        all_amount += row.int("amount")?;
        with_amount += row.int("with_amount")?;
        match stage.as_str() {
            "closed_won" => counts.won += n,
            "closed_lost" => counts.lost += n,
            _ => {
                counts.open += n;
                open_amount += row.int("amount")?;
                open_weighted += row.int("weighted")?;
            }
        }
        counts.by_stage.insert(stage, n);
    }
    counts.win_rate = rate(counts.won, counts.total);
    counts.pipeline_value = money::from_cents(open_amount);
    counts.weighted_pipeline_value = money::from_cents(open_weighted);
    counts.average_deal_size =
        if with_amount == 0 { 0.0 } else { money::from_cents((all_amount as f64 / with_amount as f64).round() as i64) };
    Ok(counts)
}

async fn activity_feed(state: &AppState, access: &Access) -> Result<Vec<ActivityFeedItem>, AppError> {
    let mut sql = Sql::new(&format!(
        "SELECT {}, a.name AS account_name FROM activities t LEFT JOIN accounts a ON a.account_id = t.account_id WHERE 1=1",
        Activity::COLUMNS
    ));
    Activity::restrict(access, &mut sql);
    sql.push(" ORDER BY COALESCE(t.start_time, t.created_at) DESC, t.activity_id LIMIT ").bind(FEED_LENGTH);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            Ok(ActivityFeedItem { activity: Activity::from_row(row)?, account_name: row.opt_text("account_name")? })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Open tasks, the caller's first, then by due date (overdue ones lead). Two index walks (the
/// caller's open tasks, then everyone else's) instead of sorting every open task.
async fn task_feed(state: &AppState, access: &Access) -> Result<Vec<TaskFeedItem>, AppError> {
    const OPEN: &str = "k.status NOT IN ('completed', 'cancelled')";
    let select = format!(
        "SELECT {}, a.name AS account_name FROM tasks k LEFT JOIN accounts a ON a.account_id = k.account_id WHERE {OPEN}",
        Task::COLUMNS
    );
    let order = " ORDER BY COALESCE(k.due_date, '9999'), k.task_id LIMIT ";
    let mut mine = Sql::new(&select);
    mine.push(" AND k.assigned_to = ").bind(access.me()).push(order).bind(FEED_LENGTH);
    let mut rows = mine.query().fetch_all(state.db.pool()).await?;
    // A restricted caller sees only their own tasks, which the first walk found.
    if (rows.len() as i64) < FEED_LENGTH && !access.restricted {
        let mut others = Sql::new(&select);
        others
            .push(" AND (k.assigned_to IS NULL OR k.assigned_to <> ")
            .bind(access.me())
            .push(")")
            .push(order)
            .bind(FEED_LENGTH - rows.len() as i64);
        rows.extend(others.query().fetch_all(state.db.pool()).await?);
    }
    let now = time::now();
    Ok(rows
        .iter()
        .map(|row| {
            let task = Task::from_row(row)?;
            let overdue = task.due_date.as_deref().is_some_and(|due| due < now.as_str());
            Ok(TaskFeedItem { task, account_name: row.opt_text("account_name")?, overdue })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Won and lost deals per month (by close date) for the last `months` months, oldest first,
/// every month present even when empty. One query.
pub async fn won_lost_by_month(
    state: &AppState,
    access: &Access,
    months: u32,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let mut keys = Vec::new();
    let (mut year, mut month) = (today.year(), today.month());
    for _ in 0..months {
        keys.push(format!("{year:04}-{month:02}"));
        (year, month) = if month == 1 { (year - 1, 12) } else { (year, month - 1) };
    }
    keys.reverse();
    let since = format!("{}-01T00:00:00Z", keys[0]);
    let mut sql = Sql::new(
        "SELECT SUBSTR(o.close_date, 1, 7) AS month, o.stage, COUNT(*) AS n FROM opportunities o \
         WHERE o.is_closed = 1 AND o.close_date >= ",
    );
    sql.bind(since);
    Opportunity::restrict(access, &mut sql);
    sql.push(" GROUP BY SUBSTR(o.close_date, 1, 7), o.stage");
    let mut by_month: BTreeMap<String, (i64, i64)> = keys.iter().map(|k| (k.clone(), (0, 0))).collect();
    for row in sql.query().fetch_all(state.db.pool()).await? {
        if let Some(entry) = by_month.get_mut(&row.text("month")?) {
            match row.text("stage")?.as_str() {
                "closed_won" => entry.0 += row.int("n")?,
                _ => entry.1 += row.int("n")?,
            }
        }
    }
    Ok(by_month.into_iter().map(|(month, (won, lost))| (month, won, lost)).collect())
}

/// `GET /dashboard/account/{id}`: the account, its records and summary figures.
pub async fn account(state: &AppState, access: &Access, account_id: &str) -> Result<AccountDashboard, AppError> {
    let account: Account = resource::get(state, access, account_id).await?;
    let amount = in_base_currency(state, "o.amount_cents", "o.currency");
    let weighted = in_base_currency(state, "o.expected_revenue_cents", "o.currency");
    let since = time::format(chrono::Utc::now() - chrono::Duration::days(30));
    // `$1` is the account and `$2` the start of the 30-day window; each is bound once.
    let summary_sql = format!(
        "SELECT \
           (SELECT COUNT(*) FROM opportunities o WHERE o.account_id = $1) AS total_opportunities, \
           (SELECT CAST(ROUND(COALESCE(SUM({amount}), 0)) AS BIGINT) FROM opportunities o WHERE o.account_id = $1) AS total_value, \
           (SELECT CAST(ROUND(COALESCE(SUM({weighted}), 0)) AS BIGINT) FROM opportunities o WHERE o.account_id = $1 AND o.is_closed = 0) AS weighted_value, \
           (SELECT COUNT(*) FROM contacts c WHERE c.account_id = $1 AND c.status = 'active') AS active_contacts, \
           (SELECT COUNT(*) FROM tasks k WHERE k.account_id = $1 AND k.status NOT IN ('completed', 'cancelled')) AS pending_tasks, \
           (SELECT COUNT(*) FROM activities t WHERE t.account_id = $1 AND t.status = 'completed' \
              AND COALESCE(t.end_time, t.start_time, t.updated_at) >= $2) AS completed_recently, \
           (SELECT MIN(due) FROM ( \
              SELECT k.due_date AS due FROM tasks k WHERE k.account_id = $1 AND k.status NOT IN ('completed', 'cancelled') AND k.due_date IS NOT NULL \
              UNION ALL \
              SELECT COALESCE(t.due_date, t.start_time) AS due FROM activities t WHERE t.account_id = $1 AND t.status = 'planned' \
                AND COALESCE(t.due_date, t.start_time) IS NOT NULL) upcoming) AS next_due"
    );
    let row =
        sqlx::query(sqlx::AssertSqlSafe(summary_sql)).bind(account_id).bind(&since).fetch_one(state.db.pool()).await?;
    let summary = AccountSummary {
        total_opportunities: row.int("total_opportunities")?,
        total_opportunity_value: money::from_cents(row.int("total_value")?),
        weighted_opportunity_value: money::from_cents(row.int("weighted_value")?),
        active_contacts: row.int("active_contacts")?,
        pending_tasks: row.int("pending_tasks")?,
        completed_activities_last_30_days: row.int("completed_recently")?,
        next_activity_due: row.opt_text("next_due")?,
    };
    Ok(AccountDashboard {
        contacts: related::<Contact>(state, account_id, "c.is_primary DESC, c.last_name, c.contact_id").await?,
        opportunities: related::<Opportunity>(state, account_id, "o.created_at DESC, o.opportunity_id").await?,
        tasks: related::<Task>(state, account_id, "COALESCE(k.due_date, '9999'), k.task_id").await?,
        recent_activities: recent_activities(state, account_id).await?,
        summary,
        account,
    })
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_round_to_one_decimal() {
        assert_eq!(rate(45, 89), 50.6);
        assert_eq!(rate(15, 67), 22.4);
        assert_eq!(rate(0, 0), 0.0);
        assert_eq!(rate(1, 3), 33.3);
    }
}
