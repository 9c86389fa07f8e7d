//! `POST /integrations/bos/order`: orders from opportunities, idempotency, and the push to the
//! back office through the outbox (against a stand-in that records what Lanes sent).

use app::server::outbox;
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    engines, engines_with_settings,
    helpers::{Engine, TestApp, body_json, detail},
    standin::{Reply, StandIn},
    tasks::account_and_deal,
};

engines!(
    order_from_an_open_deal_wins_it,
    one_order_per_deal_unless_the_key_repeats,
    bad_requests_are_refused_and_store_nothing,
    concurrent_retries_make_one_order,
);
engines_with_settings!(orders_are_pushed_to_the_back_office, failed_pushes_retry_then_give_up);

fn order_request(opportunity_id: &str, quantity: i64) -> Value {
    json!({
        "opportunity_id": opportunity_id,
        "order_details": {"product_id": "LOGISTICS_PKG_001", "quantity": quantity, "special_requirements": "Custom integration"}
    })
}

async fn order(app: &TestApp, token: &str, body: Value, key: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method("POST")
        .uri("/integrations/bos/order")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = app.send(request.body(Body::from(body.to_string())).unwrap()).await;
    let status = response.status();
    (status, body_json(response).await)
}

async fn order_count(app: &TestApp, token: &str) -> usize {
    let (status, body) = app.get("/orders", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["orders"].as_array().unwrap().len()
}

async fn order_from_an_open_deal_wins_it(app: TestApp) {
    let token = app.admin_token().await;
    let (account_id, deal) = account_and_deal(&app, &token, "TechCorp").await; // amount 500000, prospecting

    let (status, body) = order(&app, &token, order_request(&deal, 2), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["status"], "created");
    assert_eq!(body["opportunity_id"], deal.as_str());
    let order_id = body["order_id"].as_str().unwrap();
    assert!(order_id.starts_with("ORD_") && order_id.len() == 12, "{order_id}");
    assert_eq!(body["order_details"]["product_id"], "LOGISTICS_PKG_001");
    assert_eq!(body["order_details"]["quantity"], 2);
    assert_eq!(body["order_details"]["unit_price"], 250000.0, "amount / quantity");
    assert_eq!(body["order_details"]["total_amount"], 500000.0, "unit price × quantity");
    assert_eq!(body["order_details"]["special_requirements"], "Custom integration");
    assert_eq!(body["order"]["customer_id"], account_id.as_str());
    assert_eq!(body["order"]["sync_status"], Value::Null, "no back office configured");

    // The deal is won, with its history; the order shows everywhere orders show.
    let (_, opportunity) = app.get(&format!("/opportunities/{deal}"), Some(&token)).await;
    assert_eq!(opportunity["stage"], "closed_won");
    assert_eq!(opportunity["probability"], 100.0);
    assert_eq!(opportunity["is_closed"], true);
    let (_, history) = app.get(&format!("/opportunities/{deal}/history"), Some(&token)).await;
    assert_eq!(history["history"].as_array().unwrap().last().unwrap()["to_stage"], "closed_won");
    let (_, orders) = app.get(&format!("/orders?opportunity_id={deal}"), Some(&token)).await;
    assert_eq!(orders["orders"][0]["order_id"], order_id);
    let (_, view) = app.get(&format!("/account/view/{account_id}"), Some(&token)).await;
    assert!(view.to_string().contains(order_id), "account view lists the order: {view}");

    // An explicit unit price wins over the deal's amount.
    let (_, other) = crate::tasks::account_and_deal(&app, &token, "Other").await;
    let mut request = order_request(&other, 3);
    request["order_details"]["unit_price"] = json!(19.99);
    let (status, body) = order(&app, &token, request, None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["order_details"]["total_amount"], 59.97);
}

async fn one_order_per_deal_unless_the_key_repeats(app: TestApp) {
    let token = app.admin_token().await;
    let (_, deal) = account_and_deal(&app, &token, "TechCorp").await;
    let (status, first) = order(&app, &token, order_request(&deal, 1), Some("key-123")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");

    let (status, again) = order(&app, &token, order_request(&deal, 1), Some("key-123")).await;
    assert_eq!(status, StatusCode::OK, "the same key answers the first order: {again}");
    assert_eq!(again["order_id"], first["order_id"]);

    let (status, body) = order(&app, &token, order_request(&deal, 1), Some("key-456")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(detail(&body).contains(first["order_id"].as_str().unwrap()), "{body}");
    let (status, _) = order(&app, &token, order_request(&deal, 1), None).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Another user repeating the key does not get the first user's order.
    let manager = app.user_token("manager").await;
    let (status, _) = order(&app, &manager, order_request(&deal, 1), Some("key-123")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(order_count(&app, &token).await, 1);
}

async fn bad_requests_are_refused_and_store_nothing(app: TestApp) {
    let token = app.admin_token().await;
    let (_, deal) = account_and_deal(&app, &token, "TechCorp").await;

    let (status, body) = order(&app, &token, order_request(&deal, 0), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).contains("quantity"), "{body}");
    let mut unknown_field = order_request(&deal, 1);
    unknown_field["order_details"]["total_amount"] = json!(1);
    let (status, body) = order(&app, &token, unknown_field, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "server-owned total: {body}");
    let mut no_product = order_request(&deal, 1);
    no_product["order_details"]["product_id"] = json!(" ");
    let (status, body) = order(&app, &token, no_product, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).contains("product_id"), "{body}");
    let (status, _) = order(&app, &token, order_request("OPP_NOSUCH00", 1), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = order(&app, &token, order_request("'; DROP TABLE orders;--", 1), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.post("/integrations/bos/order", None, order_request(&deal, 1)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let viewer = app.user_token("viewer").await;
    let (status, body) = order(&app, &viewer, order_request(&deal, 1), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = order(&app, &token, order_request(&deal, 1), Some(&"k".repeat(201))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A deal without an amount needs a unit price.
    let (_, no_amount) = app
        .post(
            "/opportunities",
            Some(&token),
            json!({"account_id": account_of(&app, &token, &deal).await, "name": "No amount"}),
        )
        .await;
    let no_amount = no_amount["opportunity_id"].as_str().unwrap();
    let (status, body) = order(&app, &token, order_request(no_amount, 1), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).contains("unit_price"), "{body}");

    // A lost deal cannot be ordered, and stays lost.
    let (status, _) = app
        .json("PUT", &format!("/opportunities/{deal}/stage"), Some(&token), Some(json!({"stage": "closed_lost"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = order(&app, &token, order_request(&deal, 1), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(detail(&body).contains("closed_lost"), "{body}");
    let (_, opportunity) = app.get(&format!("/opportunities/{deal}"), Some(&token)).await;
    assert_eq!(opportunity["stage"], "closed_lost");
    assert_eq!(order_count(&app, &token).await, 0, "nothing stored");
}

async fn account_of(app: &TestApp, token: &str, deal: &str) -> String {
    let (_, opportunity) = app.get(&format!("/opportunities/{deal}"), Some(token)).await;
    opportunity["account_id"].as_str().unwrap().to_owned()
}

/// A client retrying on a timeout fires the same request several times at once: one order.
async fn concurrent_retries_make_one_order(app: TestApp) {
    let token = app.admin_token().await;
    let (_, deal) = account_and_deal(&app, &token, "TechCorp").await;
    let app = std::sync::Arc::new(app);
    let tries = (0..8).map(|_| {
        let (app, token, deal) = (app.clone(), token.clone(), deal.clone());
        tokio::spawn(async move { order(&app, &token, order_request(&deal, 1), Some("retry-key")).await })
    });
    let mut ids = Vec::new();
    let mut created = 0;
    for attempt in tries {
        let (status, body) = attempt.await.unwrap();
        assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status}: {body}");
        created += usize::from(status == StatusCode::CREATED);
        ids.push(body["order_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(created, 1);
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry answers the one order");
    assert_eq!(order_count(&app, &token).await, 1);
}

async fn orders_are_pushed_to_the_back_office(engine: Engine) {
    let bos = StandIn::start(Reply::json(201, json!({"id": "BO-778"}))).await;
    let app = engine.app_with(&[("LANES_BOS_URL", &bos.url), ("LANES_BOS_API_KEY", "bos-secret-key")]).await;
    let token = app.admin_token().await;
    let (_, deal) = account_and_deal(&app, &token, "TechCorp").await;
    let (status, body) = order(&app, &token, order_request(&deal, 1), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["order"]["sync_status"], "pending");
    let order_id = body["order_id"].as_str().unwrap().to_owned();

    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    let sent = bos.received();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].path, "/orders");
    assert_eq!(sent[0].header("authorization"), Some("Bearer bos-secret-key"));
    assert_eq!(sent[0].header("idempotency-key"), Some(order_id.as_str()));
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    let pushed = sent[0].json();
    assert_eq!(pushed["order_id"], order_id.as_str());
    assert_eq!(pushed["opportunity_id"], deal.as_str());
    assert_eq!(pushed["total_amount"], 500000.0);

    let (_, stored) = app.get(&format!("/orders/{order_id}"), Some(&token)).await;
    assert_eq!(stored["sync_status"], "synced");
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 0, "delivered once");
    assert_eq!(bos.received().len(), 1);
}

async fn failed_pushes_retry_then_give_up(engine: Engine) {
    let bos = StandIn::start(Reply::json(503, json!({"error": "maintenance"}))).await;
    let app = engine.app_with(&[("LANES_BOS_URL", &bos.url)]).await;
    let token = app.admin_token().await;
    let (_, deal) = account_and_deal(&app, &token, "TechCorp").await;
    let (_, body) = order(&app, &token, order_request(&deal, 1), None).await;
    let order_id = body["order_id"].as_str().unwrap().to_owned();

    // A 503 is retried later, not at once.
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 0, "backing off");
    assert_eq!(outbox::backlog(&app.state).await.unwrap(), 1);
    let (_, stored) = app.get(&format!("/orders/{order_id}"), Some(&token)).await;
    assert_eq!(stored["sync_status"], "pending");

    // When the retry is due and the back office is back, it goes through.
    make_due(&app).await;
    bos.script([Reply::json(200, json!({"order_id": 991}))]);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    let (_, stored) = app.get(&format!("/orders/{order_id}"), Some(&token)).await;
    assert_eq!(stored["sync_status"], "synced");
    assert_eq!(bos.received().len(), 2);

    // A refusal (4xx) is not retried: the order shows it failed.
    let (_, second) = account_and_deal(&app, &token, "Second").await;
    let (_, body) = order(&app, &token, order_request(&second, 1), None).await;
    let second_order = body["order_id"].as_str().unwrap().to_owned();
    bos.script([Reply::json(422, json!({"error": "unknown product"}))]);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    make_due(&app).await;
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 0, "given up");
    let (_, stored) = app.get(&format!("/orders/{second_order}"), Some(&token)).await;
    assert_eq!(stored["sync_status"], "failed");
}

/// Moves every pending retry into the past (instead of waiting for the backoff).
async fn make_due(app: &TestApp) {
    sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE status = 'pending'")
        .execute(app.state.db.pool())
        .await
        .unwrap();
}
