//! Tallies: exact counts and sums per group, kept by database triggers (migration 0003), so the
//! dashboards and boards read a few hundred rows instead of whole tables.
//!
//! A trigger appends a +1 row when a record enters a group and a −1 row when it leaves, in the
//! write's own transaction: a group's figure is always `SUM` over its rows, never stale. This
//! module folds those rows into one per group from time to time, so reading stays cheap. The
//! fold is one transaction, so readers see the rows before or after it, never half of it.

use std::time::Duration;

use sqlx::Any;

use crate::server::{
    AppState,
    db::{Db, Engine},
};

/// A tally table: the columns it groups by and the columns it sums.
struct Tally {
    table: &'static str,
    keys: &'static str,
    sums: &'static [&'static str],
}

const TALLIES: [Tally; 3] = [
    Tally { table: "account_tallies", keys: "owner_id, account_type, status, industry", sums: &["n"] },
    Tally {
        table: "lead_tallies",
        keys: "assigned_to, lead_stage, lead_status, lead_source, is_converted",
        sums: &["n"],
    },
    Tally {
        table: "opportunity_tallies",
        keys: "owner_id, stage, currency",
        sums: &["n", "with_amount", "amount_cents", "expected_revenue_cents"],
    },
];

/// How many appended rows a tally may gather before the worker folds it.
const FOLD_AFTER_ROWS: i64 = 1_000;
/// How often the worker looks.
const FOLD_EVERY: Duration = Duration::from_secs(2);

impl Tally {
    /// `INSERT … SELECT` of one row per group with its sums, from `source`; groups that sum to
    /// nothing are dropped.
    fn fold_sql(&self, source: &str, filter: &str) -> String {
        let sums: Vec<String> = self.sums.iter().map(|c| format!("SUM({c})")).collect();
        let nonzero: Vec<String> = self.sums.iter().map(|c| format!("SUM({c}) <> 0")).collect();
        format!(
            "INSERT INTO {table} ({keys}, {columns}) SELECT {keys}, {sums} FROM {source} {filter} \
             GROUP BY {keys} HAVING {nonzero}",
            table = self.table,
            keys = self.keys,
            columns = self.sums.join(", "),
            sums = sums.join(", "),
            nonzero = nonzero.join(" OR "),
        )
    }

    async fn rows(&self, db: &Db) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar::<Any, i64>(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", self.table)))
            .fetch_one(db.pool())
            .await
    }

    /// Replaces the rows of every group by one row with the group's sums.
    async fn fold(&self, db: &Db) -> Result<(), sqlx::Error> {
        let mut tx = db.begin_write().await?;
        match db.engine() {
            // One statement: it deletes exactly the rows it sums, even while other
            // transactions append (their rows are not visible to it and stay).
            Engine::Postgres => {
                let fold = self.fold_sql("gone", "");
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "WITH gone AS (DELETE FROM {} RETURNING *) {fold}",
                    self.table
                )))
                .execute(&mut *tx)
                .await?;
            }
            // The write lock is held: nothing appends meanwhile. Rows up to the highest rowid
            // are the old ones; the folded rows get higher rowids.
            Engine::Sqlite => {
                let last: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT COALESCE(MAX(rowid), 0) FROM {}",
                    self.table
                )))
                .fetch_one(&mut *tx)
                .await?;
                let filter = format!("WHERE rowid <= {last}");
                sqlx::query(sqlx::AssertSqlSafe(self.fold_sql(self.table, &filter))).execute(&mut *tx).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {} {filter}", self.table)))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await
    }
}

/// Folds every tally now (after bulk loads, and in tests).
pub async fn fold_all(db: &Db) -> Result<(), sqlx::Error> {
    for tally in &TALLIES {
        tally.fold(db).await?;
    }
    Ok(())
}

/// Folds the tallies that have gathered more than `FOLD_AFTER_ROWS` rows since their last fold.
async fn fold_grown(db: &Db, sizes: &mut [i64; 3]) -> Result<(), sqlx::Error> {
    for (tally, size) in TALLIES.iter().zip(sizes.iter_mut()) {
        let rows = tally.rows(db).await?;
        if rows > *size + FOLD_AFTER_ROWS {
            tally.fold(db).await?;
            *size = tally.rows(db).await?;
        } else if rows < *size {
            // Another instance folded it.
            *size = rows;
        }
    }
    Ok(())
}

/// The worker: folds grown tallies every `FOLD_EVERY` until the process ends. Any number of
/// instances may run it side by side (each fold is one transaction).
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut sizes = [0; 3];
        let mut ticker = tokio::time::interval(FOLD_EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = fold_grown(&state.db, &mut sizes).await {
                tracing::warn!(error = %e, "folding the tallies failed; will try again");
            }
        }
    })
}
