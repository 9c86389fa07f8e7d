//! Runs a checked `Plan` with the caller's permissions: the same read restriction, columns and
//! search as the record lists (`crm::resource`, `crm::access`, `crm::list`). The SQL is made of
//! the catalogue's own fragments; every value from the question is a bound parameter.
//! At most three statements: the figures, the records, and the groups.

use std::collections::BTreeMap;

use super::{
    catalogue::{Field, Kind},
    plan::{Condition, Plan},
};
use crate::{
    error::AppError,
    model::{
        Account, Activity, AskAnswer, AskEntity, AskGroup, AskOp, AskRecords, AskResult, Contact, Lead, Opportunity,
        Order, Task, money,
    },
    server::{
        AppState,
        crm::{Access, ListQuery, RowExt, resource::Resource, views::in_base_currency},
        sql::{Sql, SqlValue},
        time,
    },
};

/// Groups a `group` answer lists, largest first.
const MAX_GROUPS: i64 = 50;

pub async fn run(state: &AppState, access: &Access, plan: &Plan) -> Result<AskResult, AppError> {
    match plan.catalogue.entity {
        AskEntity::Accounts => run_for::<Account>(state, access, plan, AskRecords::Accounts).await,
        AskEntity::Contacts => run_for::<Contact>(state, access, plan, AskRecords::Contacts).await,
        AskEntity::Leads => run_for::<Lead>(state, access, plan, AskRecords::Leads).await,
        AskEntity::Opportunities => run_for::<Opportunity>(state, access, plan, AskRecords::Opportunities).await,
        AskEntity::Activities => run_for::<Activity>(state, access, plan, AskRecords::Activities).await,
        AskEntity::Tasks => run_for::<Task>(state, access, plan, AskRecords::Tasks).await,
        AskEntity::Orders => run_for::<Order>(state, access, plan, AskRecords::Orders).await,
    }
}

/// A number field in hundredths (money: cents in the base currency), so sums are whole numbers.
fn hundredths(state: &AppState, field: &Field) -> String {
    match field.kind {
        Kind::Money { currency: Some(currency) } => in_base_currency(state, field.column, currency),
        Kind::Money { currency: None } => format!("({} * 1.0)", field.column),
        _ => format!("({} * 100.0)", field.column),
    }
}

async fn run_for<R: Resource>(
    state: &AppState,
    access: &Access,
    plan: &Plan,
    wrap: fn(Vec<R>) -> AskRecords,
) -> Result<AskResult, AppError> {
    let search = match &plan.search {
        Some(words) => Some(ListQuery::parse(&[("q".to_owned(), words.clone())], &R::LIST, access.me())?),
        None => None,
    };
    // SELECT <select> FROM <table> WHERE <visible to the caller> AND <the plan's conditions>
    let matching = |select: &str| {
        let mut sql = Sql::new(&format!("SELECT {select} FROM {} {} WHERE 1=1", R::TABLE, R::ALIAS));
        R::restrict(access, &mut sql);
        push_conditions(&mut sql, state, plan);
        if let Some(search) = &search {
            search.push_conditions(&mut sql, &R::LIST);
        }
        sql
    };
    let measure = plan.measure.map(|field| hundredths(state, field));
    // Lists and counts come with the sum of the entity's own measure too ("… with a total value
    // of $1.2M"); the measure the question named wins.
    let figure_field = plan.measure.or_else(|| plan.catalogue.measure.and_then(|m| plan.catalogue.field(m)));
    let figure = figure_field.map(|field| hundredths(state, field));

    let figures = match &figure {
        Some(m) => {
            format!("COUNT(*) AS n, COUNT({m}) AS with_measure, CAST(ROUND(COALESCE(SUM({m}), 0)) AS BIGINT) AS total")
        }
        None => "COUNT(*) AS n".to_owned(),
    };
    let row = matching(&figures).query().fetch_one(state.db.pool()).await?;
    let count = row.int("n")?;
    let (total, average) = match &figure {
        Some(_) => {
            let (with_measure, total) = (row.int("with_measure")?, row.int("total")?);
            let average =
                (with_measure > 0).then(|| money::from_cents((total as f64 / with_measure as f64).round() as i64));
            (Some(money::from_cents(total)), average)
        }
        None => (None, None),
    };

    let mut sql = matching(R::COLUMNS);
    let id = format!("{}.{}", R::ALIAS, R::ID);
    match (&plan.interpretation.answer, &measure, &plan.time) {
        (AskAnswer::Top, Some(m), _) => sql.push(&format!(" ORDER BY COALESCE({m}, 0) DESC, {id}")),
        (_, _, Some((field, _, _))) => sql.push(&format!(" ORDER BY {} ASC, {id}", field.column)),
        _ => sql.push(&format!(" ORDER BY {}.created_at DESC, {id} DESC", R::ALIAS)),
    };
    sql.push(" LIMIT ").bind(plan.limit);
    let records = sql.query().fetch_all(state.db.pool()).await?.iter().map(R::from_row).collect::<Result<_, _>>()?;

    let groups = match plan.group_by {
        Some(field) => Some(groups(state, field, measure.as_deref(), matching).await?),
        None => None,
    };
    let is_money = figure_field.is_some_and(|f| matches!(f.kind, Kind::Money { .. }));
    Ok(AskResult {
        records: wrap(records),
        count,
        total,
        average,
        currency: is_money.then(|| state.settings.base_currency.clone()),
        groups,
    })
}

async fn groups(
    state: &AppState,
    field: &Field,
    measure: Option<&str>,
    matching: impl Fn(&str) -> Sql,
) -> Result<Vec<AskGroup>, AppError> {
    let column = field.column;
    let total = measure.map(|m| format!(", CAST(ROUND(COALESCE(SUM({m}), 0)) AS BIGINT) AS total")).unwrap_or_default();
    let mut sql = matching(&format!("CAST({column} AS TEXT) AS group_key, COUNT(*) AS n{total}"));
    sql.push(&format!(" GROUP BY {column} ORDER BY COUNT(*) DESC, CAST({column} AS TEXT) LIMIT ")).bind(MAX_GROUPS);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    let mut groups = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = row.opt_text("group_key")?;
        let total = if measure.is_some() { Some(money::from_cents(row.int("total")?)) } else { None };
        let label = match (&key, field.kind) {
            (None, _) => "(none)".to_owned(),
            (Some(k), Kind::Bool) => if k == "1" { "yes" } else { "no" }.to_owned(),
            (Some(k), _) => k.clone(),
        };
        groups.push(AskGroup { key, label, count: row.int("n")?, total });
    }
    if matches!(field.kind, Kind::User) {
        let names = user_names(state, groups.iter().filter_map(|g| g.key.clone()).collect()).await?;
        for group in &mut groups {
            if let Some(name) = group.key.as_ref().and_then(|k| names.get(k)) {
                group.label = name.clone();
            }
        }
    }
    Ok(groups)
}

/// Usernames of the given user ids, for owner groups.
async fn user_names(state: &AppState, ids: Vec<String>) -> Result<BTreeMap<String, String>, AppError> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut sql = Sql::new("SELECT user_id, username FROM users WHERE user_id IN ");
    sql.bind_list(ids.into_iter().map(SqlValue::from));
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    rows.iter().map(|row| Ok((row.text("user_id")?, row.text("username")?))).collect()
}

/// Appends `AND …` for every condition and the time range.
fn push_conditions(sql: &mut Sql, state: &AppState, plan: &Plan) {
    for condition in &plan.conditions {
        push_condition(sql, state, condition);
    }
    if let Some((field, from, to)) = &plan.time {
        if let Some(from) = from {
            sql.push(&format!(" AND {} >= ", field.column)).bind(from.clone());
        }
        if let Some(to) = to {
            sql.push(&format!(" AND {} <= ", field.column)).bind(to.clone());
        }
    }
}

fn push_condition(sql: &mut Sql, state: &AppState, condition: &Condition) {
    let field = condition.field;
    let operator = match condition.op {
        AskOp::Eq | AskOp::In => "=",
        AskOp::Ne => "<>",
        AskOp::Gt => ">",
        AskOp::Gte => ">=",
        AskOp::Lt => "<",
        AskOp::Lte => "<=",
    };
    let column = match field.kind {
        Kind::Overdue { open, due } => {
            sql.push(&format!(" AND ({open} AND {due} < ")).bind(time::now()).push(")");
            return;
        }
        Kind::Text => format!("LOWER({})", field.column),
        Kind::Money { .. } => hundredths(state, field),
        _ => field.column.to_owned(),
    };
    match condition.op {
        AskOp::In => {
            sql.push(&format!(" AND {column} IN ")).bind_list(condition.values.iter().cloned());
        }
        // "is not" keeps records without a value: "deals not in proposal" includes unstaged ones.
        AskOp::Ne => {
            sql.push(&format!(" AND ({column} IS NULL OR {column} <> "));
            for value in &condition.values {
                sql.bind(value.clone());
            }
            sql.push(")");
        }
        _ => {
            for value in &condition.values {
                sql.push(&format!(" AND {column} {operator} ")).bind(value.clone());
            }
        }
    }
}
