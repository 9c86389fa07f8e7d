//! What every CRM record type shares: reading one, listing, deleting and saving a validated
//! update, written once over the `Resource` description of each table.

use sqlx::any::AnyRow;

use super::{Access, ListQuery, ListSpec, RowExt, Write, records::Precondition};
use crate::{
    error::AppError,
    server::{AppState, db::Engine, ids, sql::Sql},
};

/// The bookkeeping methods of `Resource` for a record with `version` and `updated_at` fields,
/// held by the user in `$holder` (`owner_id`, `assigned_to`, `created_by`).
macro_rules! record_meta {
    ($holder:ident) => {
        fn holders(&self) -> Vec<Option<&str>> {
            vec![self.$holder.as_deref()]
        }
        fn version(&self) -> i64 {
            self.version
        }
        fn updated_at(&self) -> &str {
            &self.updated_at
        }
    };
}
pub(crate) use record_meta;

/// A CRM table and its wire type.
pub trait Resource: Sized + Send {
    /// Table name, and the alias its columns are qualified with in `COLUMNS` and `LIST`.
    const TABLE: &'static str;
    const ALIAS: &'static str;
    const ID: &'static str;
    const PREFIX: &'static str;
    /// "Account", for messages.
    const NOUN: &'static str;
    /// The selected columns, qualified with `ALIAS`.
    const COLUMNS: &'static str;
    /// Columns naming the users a record belongs to (owner, assignee).
    const HOLDERS: &'static [&'static str];
    const LIST: ListSpec;

    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error>;
    /// The users this record belongs to, in the order of `HOLDERS`.
    fn holders(&self) -> Vec<Option<&str>>;
    fn version(&self) -> i64;
    fn updated_at(&self) -> &str;

    /// Appends the read restriction for a caller limited to their own records.
    fn restrict(access: &Access, sql: &mut Sql) {
        access.restrict(sql, Self::ALIAS, Self::HOLDERS);
    }

    fn not_found(id: &str) -> AppError {
        AppError::not_found(format!("{} {id} not found", Self::NOUN))
    }
}

fn select<R: Resource>() -> Sql {
    Sql::new(&format!("SELECT {} FROM {} {} WHERE 1=1", R::COLUMNS, R::TABLE, R::ALIAS))
}

/// A page of records the caller may see, filtered as `pairs` ask.
pub async fn list<R: Resource>(
    state: &AppState,
    access: &Access,
    pairs: &[(String, String)],
) -> Result<(Vec<R>, Option<String>), AppError> {
    let spec = R::LIST;
    let query = ListQuery::parse(pairs, &spec, access.me())?;
    let mut sql = Sql::new(&format!(
        "SELECT {}, {} AS sort_key, {}.{} AS row_id FROM {} {} WHERE 1=1",
        R::COLUMNS,
        query.sort_expr(),
        R::ALIAS,
        R::ID,
        R::TABLE,
        R::ALIAS
    ));
    R::restrict(access, &mut sql);
    query.push_conditions(&mut sql, &spec);
    query.push_order_and_limit(&mut sql, &spec);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    let rows = rows
        .iter()
        .map(|row| Ok((R::from_row(row)?, row.sort_key()?, row.text("row_id")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(query.finish(rows))
}

/// One record the caller may see; 404 when it does not exist or is hidden from them.
pub async fn get<R: Resource>(state: &AppState, access: &Access, id: &str) -> Result<R, AppError> {
    let row = by_id::<R>(access, id)?.query().fetch_optional(state.db.pool()).await?.ok_or_else(|| R::not_found(id))?;
    Ok(R::from_row(&row)?)
}

/// The query for one record by id, as the caller may see it.
fn by_id<R: Resource>(access: &Access, id: &str) -> Result<Sql, AppError> {
    if !ids::is_valid(R::PREFIX, id) {
        return Err(R::not_found(id));
    }
    let mut sql = select::<R>();
    sql.push(&format!(" AND {}.{} = ", R::ALIAS, R::ID)).bind(id);
    R::restrict(access, &mut sql);
    Ok(sql)
}

/// One record by id, whoever asks (after a write the caller just made).
pub async fn fetch<R: Resource>(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: &str,
) -> Result<R, AppError> {
    let mut sql = select::<R>();
    sql.push(&format!(" AND {}.{} = ", R::ALIAS, R::ID)).bind(id);
    let row = sql.query().fetch_optional(executor).await?.ok_or_else(|| R::not_found(id))?;
    Ok(R::from_row(&row)?)
}

/// Checks that `id` names a record of `R` the caller may see: an id in a request must not hang
/// records on what is hidden from its caller (`LANES_USER_VISIBILITY=own`). Missing and hidden get
/// the same 400 naming the field, so a hidden record's existence does not show.
pub async fn ensure_visible<R: Resource>(
    tx: &mut sqlx::AnyConnection,
    access: &Access,
    field: &str,
    id: &str,
) -> Result<(), AppError> {
    let missing = || AppError::invalid(field, format!("{field}: no record with id {id:?}"));
    if !ids::is_valid(R::PREFIX, id) {
        return Err(missing());
    }
    let mut sql = Sql::new(&format!("SELECT COUNT(*) FROM {} {} WHERE {}.{} = ", R::TABLE, R::ALIAS, R::ALIAS, R::ID));
    sql.bind(id);
    R::restrict(access, &mut sql);
    let found: i64 = sqlx::Row::try_get(&sql.query().fetch_one(&mut *tx).await?, 0)?;
    if found == 0 { Err(missing()) } else { Ok(()) }
}

/// Loads a record for a change: visible to the caller, theirs to change, and (with `If-Match`)
/// unchanged since they read it. Returns it and the version to update.
pub async fn load_for_change<R: Resource>(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    access: &Access,
    id: &str,
    precondition: Option<&Precondition>,
) -> Result<(R, i64), AppError> {
    let mut sql = by_id::<R>(access, id)?;
    // Inside the write transaction no other writer can change the record before this one
    // saves: SQLite's write transaction holds the database's write lock from its start, and on
    // PostgreSQL the row is locked here.
    if state.db.engine() == Engine::Postgres {
        sql.push(&format!(" FOR UPDATE OF {}", R::ALIAS));
    }
    let row = sql.query().fetch_optional(&mut *tx).await?.ok_or_else(|| R::not_found(id))?;
    let current = R::from_row(&row)?;
    access.ensure_can_modify(&current.holders())?;
    Precondition::check(precondition, current.version(), current.updated_at())?;
    let version = current.version();
    Ok((current, version))
}

/// Runs a read-check-write change (`load_for_change` … `save`). `load_for_change` reads inside the
/// write transaction, so a race is not expected; should a save still find a newer version and
/// the caller did not ask for optimistic concurrency (no `If-Match`), the change is read,
/// checked and applied again on the newer record — as if it had arrived a moment later —
/// instead of failing a client that never claimed to know the version. With `If-Match` the 409
/// stands: that client asked to be told.
pub async fn retry_on_race<T, F, Fut>(precondition: Option<&Precondition>, mut attempt: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    const ATTEMPTS: u32 = 16;
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(error) if precondition.is_none() && Precondition::is_stale(&error) && tries < ATTEMPTS => {
                // Racers that retried at once would meet again: wait a random few milliseconds,
                // up to 64, growing with each loss.
                let ceiling = 1_u64 << tries.min(6);
                tokio::time::sleep(std::time::Duration::from_millis(rand::random_range(0..ceiling))).await;
                tries += 1;
            }
            result => return result,
        }
    }
}

/// Writes a validated change at `version` inside `tx`; a concurrent change in between is a 409.
pub async fn save<R: Resource>(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    version: i64,
    write: Write,
) -> Result<R, AppError> {
    if !write.update(tx, R::TABLE, R::ID, id, Some(version)).await? {
        return Err(Precondition::stale());
    }
    fetch::<R>(&mut *tx, id).await
}

/// A record type the API creates.
pub trait Creatable: Resource {
    type Input: serde::de::DeserializeOwned + Send + 'static;

    /// Creates one record inside `tx` by every rule of its type (creation, import and lead
    /// conversion all come here); returns its id.
    fn create_in(
        tx: &mut sqlx::AnyConnection,
        state: &AppState,
        access: &Access,
        input: Self::Input,
    ) -> impl Future<Output = Result<String, AppError>> + Send;
}

/// Creates a record in its own transaction and returns it.
pub async fn create<R: Creatable>(state: &AppState, access: &Access, input: R::Input) -> Result<R, AppError> {
    access.ensure_can_create()?;
    let mut tx = state.db.begin_write().await?;
    let id = R::create_in(&mut tx, state, access, input).await?;
    let record = fetch::<R>(&mut *tx, &id).await?;
    tx.commit().await?;
    Ok(record)
}

/// Deletes a record the caller may change.
pub async fn delete<R: Resource>(state: &AppState, access: &Access, id: &str) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    let (_, _) = load_for_change::<R>(&mut tx, state, access, id, None).await?;
    let mut sql = Sql::new(&format!("DELETE FROM {} WHERE {} = ", R::TABLE, R::ID));
    sql.bind(id);
    sql.query().execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
