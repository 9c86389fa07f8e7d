//! The schema, the seeders and the engine settings, on both engines.

use std::time::Duration;

use app::server::{db::Engine, error::is_unique_violation_on};
use axum::http::StatusCode;
use lanes::seed::{self, SeedArgs};

use crate::{engines, helpers::TestApp};

engines!(seed_writes_consistent_related_records, demo_covers_every_stage_and_status, duplicate_keys_are_recognised);

const TABLES: &[&str] = &[
    "users",
    "accounts",
    "contacts",
    "leads",
    "opportunities",
    "opportunity_stage_history",
    "activities",
    "tasks",
    "orders",
];

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.state.db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn small_seed() -> SeedArgs {
    SeedArgs {
        accounts: 120,
        contacts_per_account: 3,
        opportunities_per_account: 2,
        activities_per_account: 4,
        tasks_per_account: 2,
        orders_per_10_accounts: 5,
        leads: Some(60),
        reps: 3,
        seed: 1,
        quiet: true,
    }
}

async fn seed_writes_consistent_related_records(app: TestApp) {
    seed::run(&app.state.db, &small_seed()).await.expect("seed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM accounts").await, 120);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM contacts").await, 360);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opportunities").await, 240);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM activities").await, 480);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM tasks").await, 240);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM leads").await, 60);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, 60);
    // Every reference points at a real row.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM contacts c LEFT JOIN accounts a ON a.account_id = c.account_id WHERE a.account_id IS NULL").await,
        0
    );
    // Ids have the contract's shape.
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT account_id FROM accounts").fetch_all(app.state.db.pool()).await.unwrap();
    assert!(ids.iter().all(|id| app::server::ids::is_valid("ACC_", id)), "{:?}", &ids[..3]);
    // Money is exact: the sum of expected revenue equals the sum of the parts, to the cent.
    let rows: Vec<(i64, f64, i64)> =
        sqlx::query_as("SELECT amount_cents, probability, expected_revenue_cents FROM opportunities")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    for (amount, probability, expected) in &rows {
        assert_eq!(*expected, app::model::money::expected_revenue_cents(*amount, *probability));
    }
    let total: i64 = count(&app, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM opportunities").await;
    assert_eq!(total, rows.iter().map(|r| r.0).sum::<i64>());
    // A second seed refuses to mix into existing data.
    assert!(seed::run(&app.state.db, &small_seed()).await.is_err());
}

async fn demo_covers_every_stage_and_status(app: TestApp) {
    seed::demo(&app.state).await.expect("demo");
    assert!(count(&app, "SELECT COUNT(*) FROM accounts").await >= 20);
    let pool = app.state.db.pool().clone();
    let distinct = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let values: Vec<String> = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
            values
        }
    };
    let stages = distinct("SELECT DISTINCT stage FROM opportunities").await;
    for stage in app::model::OpportunityStage::ALL {
        assert!(stages.contains(&stage.as_str().to_owned()), "missing stage {stage}");
    }
    let statuses = distinct("SELECT DISTINCT lead_status FROM leads").await;
    for status in app::model::LeadStatus::ALL {
        assert!(statuses.contains(&status.as_str().to_owned()), "missing lead status {status}");
    }
    // Some leads were converted through the service layer, each into an account, a contact
    // and a deal, so the demo's conversion rate is not 0 %.
    let converted = count(
        &app,
        "SELECT COUNT(*) FROM leads WHERE is_converted = 1 AND converted_opportunity_id IS NOT NULL \
         AND converted_contact_id IS NOT NULL AND converted_account_id IS NOT NULL",
    )
    .await;
    assert!(converted >= 3, "{converted} converted demo leads");
    assert!(converted < count(&app, "SELECT COUNT(*) FROM leads").await / 2, "most leads stay open");
    let lead_stages = distinct("SELECT DISTINCT lead_stage FROM leads").await;
    assert_eq!(lead_stages.len(), app::model::LeadStage::ALL.len());
    assert_eq!(distinct("SELECT DISTINCT account_type FROM accounts").await.len(), 3);
    assert!(distinct("SELECT DISTINCT industry FROM accounts WHERE industry IS NOT NULL").await.len() >= 5);
    assert_eq!(distinct("SELECT DISTINCT activity_type FROM activities").await.len(), 6);
    assert_eq!(distinct("SELECT DISTINCT status FROM tasks").await.len(), 4);
    assert_eq!(distinct("SELECT DISTINCT status FROM orders").await.len(), 5);
    // Idempotent: a restart with --demo adds nothing.
    let before = count(&app, "SELECT COUNT(*) FROM activities").await;
    seed::demo(&app.state).await.expect("demo again");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM activities").await, before);
}

async fn duplicate_keys_are_recognised(app: TestApp) {
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let _: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(app.state.db.pool()).await.expect(table);
    }
    let insert = |id: &'static str, email: &'static str| {
        sqlx::query(
            "INSERT INTO users (user_id, username, email, password_hash, role, created_at, updated_at) \
             VALUES ($1, 'x', $2, 'x', 'user', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
        )
        .bind(id)
        .bind(email)
        .execute(app.state.db.pool())
    };
    insert("USR_AAAAAAAA", "a@test.example").await.unwrap();
    let same_email = insert("USR_BBBBBBBB", "a@test.example").await.unwrap_err();
    assert!(is_unique_violation_on(&same_email, "users", "email"), "{same_email}");
    assert!(!is_unique_violation_on(&same_email, "users", "user_id"));
    let same_id = insert("USR_AAAAAAAA", "b@test.example").await.unwrap_err();
    assert!(is_unique_violation_on(&same_id, "users", "user_id"), "{same_id}");
    // Foreign keys are enforced on both engines.
    let orphan = sqlx::query(
        "INSERT INTO contacts (contact_id, account_id, first_name, last_name, contact_role, status, created_at, updated_at) \
         VALUES ('CON_AAAAAAAA', 'ACC_MISSING0', 'a', 'b', 'contact', 'active', 'x', 'x')",
    )
    .execute(app.state.db.pool())
    .await;
    assert!(orphan.is_err(), "a contact on a missing account must be refused");
}

/// SQLite with many concurrent writers: write transactions take the lock up front, so none of
/// them fails with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sqlite_writers_never_see_database_is_locked() {
    let app = TestApp::sqlite().await;
    assert_eq!(app.state.db.engine(), Engine::Sqlite);
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(mode, "wal");
    let mut writers = Vec::new();
    for n in 0..64 {
        let db = app.state.db.clone();
        writers.push(tokio::spawn(async move {
            let mut tx = db.begin_write().await?;
            // Read, then write: the pattern that fails with deferred transactions.
            let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO users (user_id, username, email, password_hash, role, created_at, updated_at) \
                 VALUES ($1, 'w', $2, 'x', 'user', 'x', 'x')",
            )
            .bind(format!("USR_W{n:07}"))
            .bind(format!("writer{n}-{existing}@test.example"))
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }));
    }
    for writer in writers {
        writer.await.unwrap().expect("no writer may fail");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users WHERE username = 'w'").await, 64);
}

/// SQLite's writers queue inside the process for their turn before they take a pooled
/// connection, so a long write transaction does not leave readers without connections.
#[tokio::test]
async fn sqlite_writers_waiting_for_their_turn_leave_connections_to_readers() {
    let app = TestApp::sqlite().await;
    let token = app.admin_token().await;
    let db = app.state.db.clone();

    let holder = db.begin_write().await.unwrap();
    // More waiting writers than the pool has connections.
    let writers: Vec<_> = (0..16)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.begin_write().await?.commit().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A writer that waited in SQLite's busy handler would hold its connection until the holder
    // commits; this read would then wait for the pool's 10 s acquire timeout.
    let read = tokio::time::timeout(Duration::from_secs(5), app.get("/accounts?limit=1", Some(&token))).await;
    let (status, body) = read.expect("a read found no free connection while writers waited");
    assert_eq!(status, StatusCode::OK, "{body}");

    holder.commit().await.unwrap();
    for writer in writers {
        writer.await.unwrap().expect("every queued writer gets its turn");
    }
}
