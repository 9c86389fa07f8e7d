//! The dashboards' tallies (kept by triggers) equal a recount of the records after any mix of
//! writes: creates, updates that move a record between groups, stage moves, conversions,
//! deletes with cascades and bulk loads; and folding them changes no figure.

use app::server::crm::tallies;
use axum::http::StatusCode;
use lanes::seed::{self, SeedArgs};
use serde_json::{Value, json};

use crate::helpers::{Engine, TestApp};

crate::engines_with_settings!(tallies_equal_a_recount_after_any_writes);

/// Each tally, summed per group, and the same figures counted from the records.
const CHECKS: [(&str, &str, &str); 3] = [
    (
        "accounts",
        "SELECT owner_id, account_type, status, industry, CAST(SUM(n) AS BIGINT) FROM account_tallies \
         GROUP BY owner_id, account_type, status, industry HAVING SUM(n) <> 0",
        "SELECT COALESCE(owner_id, ''), account_type, status, COALESCE(industry, 'Other'), COUNT(*) FROM accounts \
         GROUP BY COALESCE(owner_id, ''), account_type, status, COALESCE(industry, 'Other')",
    ),
    (
        "leads",
        "SELECT assigned_to, lead_stage, lead_status, lead_source, is_converted, CAST(SUM(n) AS BIGINT) \
         FROM lead_tallies GROUP BY assigned_to, lead_stage, lead_status, lead_source, is_converted HAVING SUM(n) <> 0",
        "SELECT COALESCE(assigned_to, ''), lead_stage, lead_status, COALESCE(lead_source, 'other'), is_converted, \
         COUNT(*) FROM leads GROUP BY COALESCE(assigned_to, ''), lead_stage, lead_status, \
         COALESCE(lead_source, 'other'), is_converted",
    ),
    (
        "opportunities",
        "SELECT owner_id, stage, currency, CAST(SUM(n) AS BIGINT), CAST(SUM(with_amount) AS BIGINT), \
         CAST(SUM(amount_cents) AS BIGINT), CAST(SUM(expected_revenue_cents) AS BIGINT) FROM opportunity_tallies \
         GROUP BY owner_id, stage, currency HAVING SUM(n) <> 0",
        "SELECT COALESCE(owner_id, ''), stage, currency, COUNT(*), COUNT(amount_cents), \
         CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT), CAST(COALESCE(SUM(expected_revenue_cents), 0) AS BIGINT) \
         FROM opportunities GROUP BY COALESCE(owner_id, ''), stage, currency",
    ),
];

/// The rows of `sql`, each as its text, sorted.
async fn rows(pool: &sqlx::AnyPool, sql: &'static str) -> Vec<String> {
    use sqlx::Row;
    let mut rows: Vec<String> = sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..row.columns().len())
                .map(|i| {
                    row.try_get::<String, _>(i)
                        .or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()))
                        .unwrap_or_else(|e| panic!("{sql}: column {i}: {e}"))
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    rows.sort();
    rows
}

/// Every tally equals a recount of its records (also checked after the crash test's kills).
pub async fn assert_tallies_match_on(pool: &sqlx::AnyPool, when: &str) {
    for (records, tally, recount) in CHECKS {
        assert_eq!(
            rows(pool, tally).await,
            rows(pool, recount).await,
            "{when}: the {records} tally differs from a recount"
        );
    }
}

async fn assert_tallies_match(app: &TestApp, when: &str) {
    for (records, _, recount) in CHECKS {
        assert!(!rows(app.state.db.pool(), recount).await.is_empty(), "{when}: no {records} to count");
    }
    assert_tallies_match_on(app.state.db.pool(), when).await;
}

async fn tally_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM account_tallies) + (SELECT COUNT(*) FROM lead_tallies) \
         + (SELECT COUNT(*) FROM opportunity_tallies)",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn ok(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
    let (status, response) = app.json(method, path, Some(token), body).await;
    assert!(status.is_success(), "{method} {path}: {status} {response}");
    response
}

async fn first_ids(app: &TestApp, token: &str, path: &str, key: &str) -> Vec<String> {
    let body = ok(app, "GET", path, token, None).await;
    let items = body.as_object().unwrap().values().find_map(Value::as_array).unwrap();
    items.iter().map(|item| item[key].as_str().unwrap().to_owned()).collect()
}

async fn tallies_equal_a_recount_after_any_writes(engine: Engine) {
    // Deals in three currencies: the tallies sum money per currency.
    let app = engine.app_with(&[("LANES_FX_RATES", "EUR=1.08,GBP=1.27")]).await;
    let args = SeedArgs {
        accounts: 40,
        contacts_per_account: 2,
        opportunities_per_account: 3,
        activities_per_account: 1,
        tasks_per_account: 1,
        orders_per_10_accounts: 2,
        leads: Some(30),
        reps: 3,
        seed: 5,
        quiet: true,
    };
    seed::run(&app.state.db, &args).await.unwrap();
    assert_tallies_match(&app, "after the bulk load").await;

    let token = app.admin_token().await;
    let rep = app.user_token("user").await;
    let created = ok(
        &app,
        "POST",
        "/accounts",
        &rep,
        Some(json!({"name": "Tally Ltd", "account_type": "prospect", "industry": "Retail"})),
    )
    .await;
    let account = created["account_id"].as_str().unwrap().to_owned();
    for (amount, currency) in [(json!(1200.5), "EUR"), (Value::Null, "USD"), (json!(99), "USD")] {
        ok(
            &app,
            "POST",
            "/opportunities",
            &token,
            Some(json!({"name": "Deal", "account_id": account, "amount": amount, "currency": currency})),
        )
        .await;
    }
    // Updates that move records between groups, and one that moves none.
    let accounts = first_ids(&app, &token, "/accounts?limit=6", "account_id").await;
    ok(&app, "PATCH", &format!("/accounts/{}", accounts[0]), &token, Some(json!({"status": "inactive"}))).await;
    ok(&app, "PATCH", &format!("/accounts/{}", accounts[1]), &token, Some(json!({"industry": null}))).await;
    ok(&app, "PATCH", &format!("/accounts/{}", accounts[2]), &token, Some(json!({"account_type": "partner"}))).await;
    ok(&app, "PATCH", &format!("/accounts/{}", accounts[3]), &token, Some(json!({"city": "Unchanged groups"}))).await;
    let opportunities = first_ids(&app, &token, "/opportunities?limit=6&is_closed=false", "opportunity_id").await;
    for (opportunity, stage) in opportunities.iter().zip(["closed_won", "closed_lost"]) {
        let path = format!("/opportunities/{opportunity}/stage");
        ok(&app, "PUT", &path, &token, Some(json!({"stage": stage}))).await;
    }
    ok(&app, "PATCH", &format!("/opportunities/{}", opportunities[2]), &token, Some(json!({"amount": 777.77}))).await;
    ok(&app, "PATCH", &format!("/opportunities/{}", opportunities[3]), &token, Some(json!({"amount": null}))).await;
    ok(&app, "PATCH", &format!("/opportunities/{}", opportunities[4]), &token, Some(json!({"currency": "GBP"}))).await;
    let leads = first_ids(&app, &token, "/leads?limit=4&converted=false", "lead_id").await;
    ok(&app, "POST", &format!("/leads/{}/convert", leads[0]), &token, Some(json!({}))).await;
    ok(&app, "PATCH", &format!("/leads/{}", leads[1]), &token, Some(json!({"lead_status": "unqualified"}))).await;
    ok(&app, "PATCH", &format!("/leads/{}", leads[2]), &token, Some(json!({"lead_source": null}))).await;
    // Deletes, one of them cascading to the account's opportunities.
    let (status, _) = app.json("DELETE", &format!("/leads/{}", leads[3]), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.json("DELETE", &format!("/accounts/{}", accounts[5]), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_tallies_match(&app, "after creates, updates, moves, a conversion and deletes").await;

    let before = tally_rows(&app).await;
    tallies::fold_all(&app.state.db).await.unwrap();
    assert_tallies_match(&app, "after folding").await;
    let after = tally_rows(&app).await;
    assert!(after < before, "folding left {after} of {before} rows");
    let (status, dashboard) = app.get("/dashboard/crm", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    assert_eq!(dashboard["accounts"]["total"], 40 + 1 - 1);
    // The admin holds no task: the feed is everyone else's open tasks, soonest due first.
    let due: Vec<&str> = dashboard["pending_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["due_date"].as_str().unwrap_or("9999"))
        .collect();
    assert_eq!(due.len(), 10, "{dashboard}");
    assert!(due.windows(2).all(|pair| pair[0] <= pair[1]), "not by due date: {due:?}");
}
