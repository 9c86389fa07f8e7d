//! The names of the accounts a page of records points at, in one query, so a list can show
//! "Acme Freight" instead of an id. Accounts hidden from the caller are left out.

use std::collections::BTreeMap;

use super::{Access, RowExt, resource::Resource};
use crate::{
    error::AppError,
    model::Account,
    server::{
        AppState,
        sql::{Sql, SqlValue},
    },
};

/// Names of the accounts among `ids` the caller may see, by id.
pub async fn account_names<'a>(
    state: &AppState,
    access: &Access,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut sql = Sql::new("SELECT a.account_id, a.name FROM accounts a WHERE a.account_id IN ");
    sql.bind_list(ids.into_iter().map(SqlValue::from));
    Account::restrict(access, &mut sql);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    rows.iter()
        .map(|row| Ok((row.text("account_id")?, row.text("name")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}
