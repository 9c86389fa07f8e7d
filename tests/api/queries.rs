//! No N+1: every list, consolidated view and dashboard answers in a fixed number of SQL
//! statements, whatever the data size. Statements are counted from sqlx's own query log
//! (`sqlx::query` events) on PostgreSQL, whose driver logs on the calling task.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::http::StatusCode;
use lanes::seed::{self, SeedArgs};
use tracing_subscriber::{Layer, layer::SubscriberExt};

use crate::helpers::TestApp;

thread_local! {
    /// The counter of the test running on this thread, if it is counting.
    static COUNTER: std::cell::RefCell<Option<Arc<AtomicUsize>>> = const { std::cell::RefCell::new(None) };
}

/// Counts `sqlx::query` events of the thread that set `COUNTER`. Installed as the global
/// subscriber (once): a scoped one can miss events when other test threads race on tracing's
/// callsite cache.
struct CountQueries;

impl<S: tracing::Subscriber> Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            COUNTER.with(|counter| {
                if let Some(counter) = counter.borrow().as_ref() {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    }
}

fn install_counter() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountQueries));
    });
}

fn seed_args(accounts: u64) -> SeedArgs {
    SeedArgs {
        accounts,
        contacts_per_account: 4,
        opportunities_per_account: 3,
        activities_per_account: 5,
        tasks_per_account: 3,
        orders_per_10_accounts: 5,
        leads: Some(accounts * 2),
        reps: 3,
        seed: 9,
        quiet: true,
    }
}

/// Statements each endpoint needs on a database seeded with `accounts` accounts.
async fn statements_per_endpoint(accounts: u64) -> Option<Vec<(String, usize)>> {
    let app = TestApp::postgres().await?;
    seed::run(&app.state.db, &seed_args(accounts)).await.unwrap();
    let token = app.admin_token().await;
    let account: String = sqlx::query_scalar("SELECT account_id FROM accounts ORDER BY account_id LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let endpoints = [
        "/accounts?limit=1000".to_owned(),
        "/contacts?limit=1000".to_owned(),
        "/leads?limit=1000".to_owned(),
        "/opportunities?limit=1000&is_closed=false".to_owned(),
        "/activities?limit=1000".to_owned(),
        "/tasks?limit=1000".to_owned(),
        "/orders?limit=1000".to_owned(),
        format!("/accounts/{account}"),
        format!("/account/view/{account}"),
        format!("/dashboard/account/{account}"),
        "/lead/pipeline".to_owned(),
        "/opportunity/status".to_owned(),
        "/dashboard/crm".to_owned(),
    ];
    install_counter();
    let mut counts = Vec::new();
    for endpoint in endpoints {
        let counter = Arc::new(AtomicUsize::new(0));
        COUNTER.with(|c| *c.borrow_mut() = Some(counter.clone()));
        let (status, body) = app.get(&endpoint, Some(&token)).await;
        COUNTER.with(|c| *c.borrow_mut() = None);
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
        counts.push((endpoint.split('?').next().unwrap().replace(&account, "{id}"), counter.load(Ordering::SeqCst)));
    }
    Some(counts)
}

#[tokio::test(flavor = "current_thread")]
async fn statement_counts_do_not_grow_with_the_data() {
    let Some(small) = statements_per_endpoint(4).await else { return };
    let Some(large) = statements_per_endpoint(60).await else { return };
    for ((endpoint, few), (_, many)) in small.iter().zip(&large) {
        eprintln!("{endpoint}: {few} statements with 4 accounts, {many} with 60");
        assert!(*few >= 2, "{endpoint}: counted {few} statements — is the query log being captured?");
        assert_eq!(few, many, "{endpoint}: {few} statements with 4 accounts but {many} with 60");
        assert!(*many <= 10, "{endpoint}: {many} statements");
    }
}
