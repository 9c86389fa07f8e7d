//! Reading and writing rows: typed getters on rows, inserts with fresh ids, optimistic updates,
//! and checks that referenced records exist.

use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{
    error::AppError,
    model::money,
    server::{
        ids,
        sql::{Sql, SqlValue},
        time,
    },
};

/// Typed access to the columns of a row, with decode errors as `sqlx::Error`.
pub trait RowExt {
    fn text(&self, column: &str) -> Result<String, sqlx::Error>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error>;
    fn int(&self, column: &str) -> Result<i64, sqlx::Error>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn real(&self, column: &str) -> Result<f64, sqlx::Error>;
    fn flag(&self, column: &str) -> Result<bool, sqlx::Error>;
    /// A BIGINT cents column as currency units.
    fn opt_money(&self, column: &str) -> Result<Option<f64>, sqlx::Error>;
    fn money(&self, column: &str) -> Result<f64, sqlx::Error>;
    /// A TEXT column holding a wire enum.
    fn parse<T: std::str::FromStr<Err = String>>(&self, column: &str) -> Result<T, sqlx::Error>;
    fn opt_parse<T: std::str::FromStr<Err = String>>(&self, column: &str) -> Result<Option<T>, sqlx::Error>;
    /// The `sort_key` column selected for cursor paging.
    fn sort_key(&self) -> Result<SqlValue, sqlx::Error>;
}

fn decode_error(column: &str, problem: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.to_owned(), source: problem.into() }
}

impl RowExt for AnyRow {
    fn text(&self, column: &str) -> Result<String, sqlx::Error> {
        self.try_get(column)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error> {
        self.try_get(column)
    }
    fn int(&self, column: &str) -> Result<i64, sqlx::Error> {
        self.try_get(column)
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error> {
        self.try_get(column)
    }
    fn real(&self, column: &str) -> Result<f64, sqlx::Error> {
        self.try_get(column)
    }
    fn flag(&self, column: &str) -> Result<bool, sqlx::Error> {
        Ok(self.try_get::<i64, _>(column)? != 0)
    }
    fn opt_money(&self, column: &str) -> Result<Option<f64>, sqlx::Error> {
        Ok(self.try_get::<Option<i64>, _>(column)?.map(money::from_cents))
    }
    fn money(&self, column: &str) -> Result<f64, sqlx::Error> {
        Ok(money::from_cents(self.try_get::<i64, _>(column)?))
    }
    fn parse<T: std::str::FromStr<Err = String>>(&self, column: &str) -> Result<T, sqlx::Error> {
        self.try_get::<String, _>(column)?.parse().map_err(|e| decode_error(column, e))
    }
    fn opt_parse<T: std::str::FromStr<Err = String>>(&self, column: &str) -> Result<Option<T>, sqlx::Error> {
        self.try_get::<Option<String>, _>(column)?.map(|v| v.parse().map_err(|e| decode_error(column, e))).transpose()
    }
    fn sort_key(&self) -> Result<SqlValue, sqlx::Error> {
        if let Ok(text) = self.try_get::<String, _>("sort_key") {
            return Ok(SqlValue::from(text));
        }
        if let Ok(n) = self.try_get::<i64, _>("sort_key") {
            return Ok(SqlValue::from(n));
        }
        Ok(SqlValue::from(self.try_get::<f64, _>("sort_key")?))
    }
}

/// The columns of one row to write.
#[derive(Debug, Default, Clone)]
pub struct Write {
    columns: Vec<(&'static str, SqlValue)>,
}

impl Write {
    pub fn new() -> Self {
        Write::default()
    }

    pub fn set(mut self, column: &'static str, value: impl Into<SqlValue>) -> Self {
        self.columns.push((column, value.into()));
        self
    }

    /// Inserts the row under a fresh id with `prefix` (checked free first, so a collision is
    /// retried without failing the transaction) and stamps `version`, `created_at`, `updated_at`.
    pub async fn insert(
        self,
        conn: &mut AnyConnection,
        table: &'static str,
        id_column: &'static str,
        prefix: &str,
    ) -> Result<String, AppError> {
        for _ in 0..ids::MAX_ID_ATTEMPTS {
            let id = ids::new_id(prefix);
            let mut exists = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE {id_column} = "));
            exists.bind(&id);
            let taken: i64 = exists.query().fetch_one(&mut *conn).await?.try_get(0)?;
            if taken > 0 {
                continue;
            }
            let now = time::now();
            let write =
                self.clone().set(id_column, &id).set("version", 1_i64).set("created_at", &now).set("updated_at", &now);
            let names: Vec<&str> = write.columns.iter().map(|(c, _)| *c).collect();
            let mut sql = Sql::new(&format!("INSERT INTO {table} ({}) VALUES ", names.join(", ")));
            sql.bind_list(write.columns.into_iter().map(|(_, v)| v));
            sql.query().execute(&mut *conn).await?;
            return Ok(id);
        }
        Err(crate::server::error::internal("record id", "no free id after retries"))
    }

    /// Inserts a row that has no version or timestamps of its own (history, links).
    pub async fn insert_plain(
        self,
        conn: &mut AnyConnection,
        table: &'static str,
        id_column: &'static str,
        prefix: &str,
    ) -> Result<(), AppError> {
        let write = self.set(id_column, ids::new_id(prefix));
        let names: Vec<&str> = write.columns.iter().map(|(c, _)| *c).collect();
        let mut sql = Sql::new(&format!("INSERT INTO {table} ({}) VALUES ", names.join(", ")));
        sql.bind_list(write.columns.into_iter().map(|(_, v)| v));
        sql.query().execute(&mut *conn).await?;
        Ok(())
    }

    /// Updates the row and bumps its version. With `expected_version`, only that version is
    /// updated; returns false when the row is gone or was changed meanwhile.
    pub async fn update(
        self,
        conn: &mut AnyConnection,
        table: &'static str,
        id_column: &'static str,
        id: &str,
        expected_version: Option<i64>,
    ) -> Result<bool, AppError> {
        let mut sql = Sql::new(&format!("UPDATE {table} SET version = version + 1, updated_at = "));
        sql.bind(time::now());
        for (column, value) in self.columns {
            sql.push(&format!(", {column} = ")).bind(value);
        }
        sql.push(&format!(" WHERE {id_column} = ")).bind(id);
        if let Some(version) = expected_version {
            sql.push(" AND version = ").bind(version);
        }
        Ok(sql.query().execute(&mut *conn).await?.rows_affected() == 1)
    }
}

/// Checks that a user id exists and is active (owner_id, assigned_to).
pub async fn ensure_user(conn: &mut AnyConnection, field: &str, user_id: &str) -> Result<(), AppError> {
    let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE user_id = $1 AND is_active = 1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    if found == 0 {
        Err(AppError::invalid(field, format!("{field}: no active user with id {user_id:?}")))
    } else {
        Ok(())
    }
}

/// Parses an `If-Match` value: the record's `version` (as served in `ETag`, quoted or not), or
/// its `updated_at` time. `*` matches anything.
pub enum Precondition {
    Version(i64),
    UpdatedAt(String),
}

pub fn parse_if_match(value: Option<&str>) -> Result<Option<Precondition>, AppError> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty() && *v != "*") else { return Ok(None) };
    let unquoted = raw.trim_start_matches("W/").trim_matches('"');
    if let Ok(version) = unquoted.parse::<i64>() {
        return Ok(Some(Precondition::Version(version)));
    }
    crate::model::validate::normalize_time(unquoted)
        .map(|t| Some(Precondition::UpdatedAt(t)))
        .ok_or_else(|| AppError::bad_request("If-Match: expected the record's version (its ETag) or updated_at"))
}

const STALE: &str = "The record was changed by someone else since you loaded it; reload and try again";

impl Precondition {
    /// The answer to a write that lost a race with another writer.
    pub fn stale() -> AppError {
        AppError::conflict(STALE)
    }

    pub fn is_stale(error: &AppError) -> bool {
        error.kind == crate::error::ErrorKind::Conflict && error.detail == STALE
    }

    /// The version to update, or a 409 when the record changed since the client read it.
    pub fn check(precondition: Option<&Precondition>, version: i64, updated_at: &str) -> Result<Option<i64>, AppError> {
        let stale = Self::stale;
        match precondition {
            None => Ok(None),
            Some(Precondition::Version(v)) if *v == version => Ok(Some(version)),
            Some(Precondition::UpdatedAt(t)) if t == updated_at => Ok(Some(version)),
            Some(_) => Err(stale()),
        }
    }
}
