//! Consolidated views, dashboards and orders, with the numbers checked against hand-computed
//! formulas; and a statement count that shows no view grows its query count with the data.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    engines,
    helpers::{TestApp, detail},
};

engines!(
    dashboards_compute_the_documented_formulas,
    views_group_and_cap_their_lists,
    orders_list_filter_and_move_forward_only
);

struct Fixture {
    token: String,
    techcorp: String,
    logitech: String,
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (status, body) = app.post(path, Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
    body
}

fn id(body: &Value, key: &str) -> String {
    body[key].as_str().unwrap().to_owned()
}

/// Two accounts; four deals (two open, one won, one lost); five leads (two converted); tasks
/// and activities.
async fn fixture(app: &TestApp) -> Fixture {
    let token = app.admin_token().await;
    let techcorp = id(
        &created(
            app,
            &token,
            "/accounts",
            json!({"name": "TechCorp Solutions", "account_type": "customer", "industry": "Technology"}),
        )
        .await,
        "account_id",
    );
    let logitech = id(
        &created(
            app,
            &token,
            "/accounts",
            json!({"name": "LogiTech Inc", "account_type": "prospect", "status": "inactive"}),
        )
        .await,
        "account_id",
    );
    created(app, &token, "/contacts", json!({"account_id": techcorp, "first_name": "John", "last_name": "Smith"}))
        .await;
    created(
        app,
        &token,
        "/contacts",
        json!({"account_id": techcorp, "first_name": "Sarah", "last_name": "Johnson", "status": "inactive"}),
    )
    .await;
    let upgrade = id(
        &created(app, &token, "/opportunities", json!({"account_id": techcorp, "name": "Upgrade", "stage": "prospecting", "probability": 25.0, "amount": 500000.0})).await,
        "opportunity_id",
    );
    created(app, &token, "/opportunities", json!({"account_id": techcorp, "name": "Optimisation", "stage": "proposal", "probability": 60.0, "amount": 300000.0})).await;
    created(
        app,
        &token,
        "/opportunities",
        json!({"account_id": logitech, "name": "Won deal", "stage": "closed_won", "amount": 100000.0}),
    )
    .await;
    created(
        app,
        &token,
        "/opportunities",
        json!({"account_id": logitech, "name": "Lost deal", "stage": "closed_lost", "amount": 50000.55}),
    )
    .await;
    for (status, source) in [
        ("new", "website"),
        ("contacted", "referral"),
        ("qualified", "website"),
        ("new", "trade_show"),
        ("negotiation", "cold_call"),
    ] {
        created(app, &token, "/leads", json!({"first_name": "L", "last_name": status, "company": format!("Co {source}"), "lead_status": status, "lead_source": source})).await;
    }
    let (_, leads) = app.get("/leads?lead_status=new", Some(&token)).await;
    for lead in leads["leads"].as_array().unwrap() {
        let (status, body) = app
            .post(&format!("/leads/{}/convert", id(lead, "lead_id")), Some(&token), json!({"account_id": techcorp}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    created(app, &token, "/tasks", json!({"title": "Send proposal", "priority": "high", "due_date": "2030-01-20T17:00:00Z", "account_id": techcorp, "opportunity_id": upgrade})).await;
    created(app, &token, "/tasks", json!({"title": "Overdue call", "due_date": "2020-01-01T09:00:00Z", "account_id": techcorp, "status": "in_progress"})).await;
    created(app, &token, "/tasks", json!({"title": "Done already", "account_id": techcorp, "status": "completed"}))
        .await;
    created(app, &token, "/activities", json!({"subject": "Discovery call", "activity_type": "call", "status": "completed", "account_id": techcorp, "start_time": time_ago(2)})).await;
    created(app, &token, "/activities", json!({"subject": "Site visit", "activity_type": "visit", "status": "planned", "account_id": techcorp, "start_time": "2029-12-01T10:00:00Z"})).await;
    Fixture { token, techcorp, logitech }
}

fn time_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

async fn dashboards_compute_the_documented_formulas(app: TestApp) {
    let f = fixture(&app).await;
    let (status, d) = app.get("/dashboard/crm", Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    // Accounts: 2 plus the ones conversions made (none: they used TechCorp).
    assert_eq!(d["accounts"]["total"], 2);
    assert_eq!(d["accounts"]["active"], 1);
    assert_eq!(d["accounts"]["inactive"], 1);
    assert_eq!(d["accounts"]["by_type"]["customer"], 1);
    assert_eq!(d["accounts"]["by_industry"]["Technology"], 1);
    assert_eq!(d["accounts"]["by_industry"]["Other"], 1);
    // Leads: 5, of which 2 converted → 40.0 %.
    assert_eq!(d["leads"]["total"], 5);
    assert_eq!(d["leads"]["converted"], 2);
    assert_eq!(d["leads"]["conversion_rate"], 40.0);
    assert_eq!(d["leads"]["by_source"]["website"], 2);
    // Opportunities: 4 given + 2 from conversions (prospecting, no amount given → lead budget none).
    let o = &d["opportunities"];
    assert_eq!(o["total"], 6);
    assert_eq!(o["won"], 1);
    assert_eq!(o["lost"], 1);
    assert_eq!(o["open"], 4);
    assert_eq!(o["win_rate"], 16.7, "1 of 6");
    assert_eq!(o["pipeline_value"], 800000.0);
    assert_eq!(o["weighted_pipeline_value"], 305000.0, "500k × 25 % + 300k × 60 %");
    assert_eq!(o["average_deal_size"], 237500.14, "(500000 + 300000 + 100000 + 50000.55) / 4, to the cent");
    assert_eq!(o["by_stage"]["prospecting"], 3);
    // Feeds: the caller's open tasks, overdue first and marked.
    let tasks = d["pending_tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2, "completed tasks are not pending");
    assert_eq!(tasks[0]["title"], "Overdue call");
    assert_eq!(tasks[0]["overdue"], true);
    assert_eq!(tasks[0]["account_name"], "TechCorp Solutions");
    assert_eq!(d["recent_activities"][0]["account_name"], "TechCorp Solutions");

    let (status, a) = app.get(&format!("/dashboard/account/{}", f.techcorp), Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let s = &a["summary"];
    assert_eq!(s["total_opportunities"], 4, "two given, two from conversions");
    assert_eq!(s["total_opportunity_value"], 800000.0);
    assert_eq!(s["weighted_opportunity_value"], 305000.0);
    assert_eq!(s["active_contacts"], 1 + 2, "John, plus the two converted leads' contacts");
    assert_eq!(s["pending_tasks"], 2, "pending and in_progress");
    assert_eq!(s["completed_activities_last_30_days"], 1);
    assert_eq!(s["next_activity_due"], "2020-01-01T09:00:00Z", "the overdue task is the earliest due");
    assert_eq!(a["account"]["account_id"], f.techcorp.as_str());
    assert_eq!(a["contacts"].as_array().unwrap().len(), 4);
    assert_eq!(a["tasks"].as_array().unwrap().len(), 3);

    let (status, body) = app.get("/dashboard/account/ACC_ZZZZZZZZ", Some(&f.token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&body);
    let (status, _) = app.get("/dashboard/crm", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn views_group_and_cap_their_lists(app: TestApp) {
    let f = fixture(&app).await;
    let (status, v) = app.get(&format!("/account/view/{}", f.techcorp), Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["account"]["name"], "TechCorp Solutions");
    for key in ["contacts", "opportunities", "orders", "tasks", "recent_activities"] {
        assert!(v[key].is_array(), "{key}");
    }
    assert_eq!(v["opportunities"].as_array().unwrap().len(), 4);
    assert_eq!(v["recent_activities"].as_array().unwrap().len(), 2);
    assert_eq!(v["contacts"][0]["full_name"].as_str().map(|n| !n.is_empty()), Some(true));

    let (status, p) = app.get("/lead/pipeline", Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["total_leads"], 3, "converted leads leave the pipeline");
    assert_eq!(p["summary"]["inquiry"]["contacted"], 1);
    assert_eq!(p["pipeline"]["inquiry"]["qualified"][0]["lead_status"], "qualified");
    assert!(p["pipeline"]["inquiry"].get("new").is_none());

    let (status, b) = app.get("/opportunity/status", Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["total_opportunities"], 6);
    let prospecting = b["opportunities_by_stage"]["prospecting"].as_array().unwrap();
    assert_eq!(prospecting.len(), 3);
    let upgrade = prospecting.iter().find(|o| o["name"] == "Upgrade").unwrap();
    assert_eq!(upgrade["account_name"], "TechCorp Solutions");
    assert_eq!(upgrade["linked_tasks"][0]["title"], "Send proposal");
    assert_eq!(b["summary"]["proposal"]["count"], 1);
    assert_eq!(b["summary"]["proposal"]["total_amount"], 300000.0);
    assert_eq!(b["summary"]["closed_lost"]["total_amount"], 50000.55);

    // Capped columns keep exact counts.
    let (_, capped) = app.get("/opportunity/status?per_column=1", Some(&f.token)).await;
    assert_eq!(capped["opportunities_by_stage"]["prospecting"].as_array().unwrap().len(), 1);
    assert_eq!(capped["summary"]["prospecting"]["count"], 3);
    for bad in ["/opportunity/status?per_column=0", "/lead/pipeline?per_column=x", "/lead/pipeline?stage=new"] {
        let (status, body) = app.get(bad, Some(&f.token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        detail(&body);
    }
    let _ = f.logitech;
}

async fn insert_order(app: &TestApp, id: &str, account: &str, status: &str, date: &str) {
    sqlx::query(
        "INSERT INTO orders (order_id, account_id, product_id, quantity, unit_price_cents, total_amount_cents, currency, status, order_date, version, created_at, updated_at) \
         VALUES ($1, $2, 'PROD001', 10, 1000, 10000, 'USD', $3, $4, 1, $4, $4)",
    )
    .bind(id)
    .bind(account)
    .bind(status)
    .bind(date)
    .execute(app.state.db.pool())
    .await
    .unwrap();
}

async fn orders_list_filter_and_move_forward_only(app: TestApp) {
    let f = fixture(&app).await;
    insert_order(&app, "ORD_AAAAAAA1", &f.techcorp, "created", "2024-01-15T10:00:00Z").await;
    insert_order(&app, "ORD_AAAAAAA2", &f.techcorp, "confirmed", "2024-02-15T10:00:00Z").await;
    insert_order(&app, "ORD_AAAAAAA3", &f.logitech, "delivered", "2024-03-15T10:00:00Z").await;

    let (status, all) = app.get("/orders", Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["count"], 3);
    let first = &all["orders"][0];
    for key in ["order_id", "customer_id", "product_id", "quantity", "status", "order_date"] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    assert_eq!(first["order_id"], "ORD_AAAAAAA3", "newest order first");
    let (_, filtered) =
        app.get(&format!("/orders?customer_id={}&date_from=2024-02-01&limit=5", f.techcorp), Some(&f.token)).await;
    assert_eq!(filtered["count"], 1);
    assert_eq!(filtered["orders"][0]["order_id"], "ORD_AAAAAAA2");
    let (_, by_status) = app.get("/orders?status=delivered", Some(&f.token)).await;
    assert_eq!(by_status["count"], 1);
    let (status, _) = app.get("/orders?status=lost", Some(&f.token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, view) = app.get(&format!("/account/view/{}", f.techcorp), Some(&f.token)).await;
    assert_eq!(view["orders"].as_array().unwrap().len(), 2);

    let path = "/orders/ORD_AAAAAAA1/status";
    let (status, body) = app.json("PATCH", path, Some(&f.token), Some(json!({"status": "delivered"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "created → delivered skips steps: {body}");
    assert!(detail(&body).contains("confirmed"));
    for next in ["confirmed", "shipped", "delivered"] {
        let (status, body) = app.json("PATCH", path, Some(&f.token), Some(json!({"status": next}))).await;
        assert_eq!(status, StatusCode::OK, "{next}: {body}");
        assert_eq!(body["status"], next);
    }
    let (status, _) = app.json("PATCH", path, Some(&f.token), Some(json!({"status": "cancelled"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a delivered order cannot be cancelled");
    let (status, body) = app.get("/orders/ORD_AAAAAAA1", Some(&f.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "delivered");
    let viewer = app.user_token("viewer").await;
    let (status, _) =
        app.json("PATCH", "/orders/ORD_AAAAAAA2/status", Some(&viewer), Some(json!({"status": "shipped"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
