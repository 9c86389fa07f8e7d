//! Opportunities over REST: the contract's example, the stage rule (default probabilities, closed
//! stages, expected revenue), stage changes with their history and If-Match, list filters,
//! validation, currencies and permissions.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    accounts::techcorp,
    contacts::{created, john_smith, sorted, user_id},
    engines,
    helpers::{TestApp, body_json, detail},
};

engines!(
    create_and_read_the_contract_example,
    stages_set_probability_and_expected_revenue,
    stage_changes_are_recorded_in_order,
    lists_filter_by_stage_owner_account_closed_and_close_date,
    create_rejects_bad_input,
    a_stale_if_match_on_a_stage_change_is_a_conflict,
    concurrent_moves_without_if_match_all_apply,
    users_change_only_their_own_deals,
);

/// The contract's `POST /opportunities` example, on `account_id` with `contact_id`.
pub fn enterprise_upgrade(account_id: &str, contact_id: &str) -> Value {
    json!({
        "account_id": account_id,
        "primary_contact_id": contact_id,
        "name": "Enterprise Logistics Upgrade",
        "description": "Complete warehouse automation",
        "stage": "prospecting",
        "probability": 25.0,
        "amount": 500000.0,
        "currency": "USD",
        "expected_revenue": 125000.0,
        "close_date": "2024-12-31T00:00:00Z",
        "requirements": "Integration with existing ERP",
        "products_interested": "Automated conveyor system"
    })
}

/// A fresh account; returns its id.
async fn account(app: &TestApp, token: &str, name: &str) -> String {
    let account = created(app, token, "/accounts", json!({"name": name})).await;
    account["account_id"].as_str().unwrap().to_owned()
}

/// A deal on `account_id` with extra fields from `fields`.
async fn deal(app: &TestApp, token: &str, account_id: &str, name: &str, fields: Value) -> Value {
    let mut body = json!({"account_id": account_id, "name": name});
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    created(app, token, "/opportunities", body).await
}

fn path(opportunity: &Value) -> String {
    format!("/opportunities/{}", opportunity["opportunity_id"].as_str().unwrap())
}

async fn history(app: &TestApp, token: &str, opportunity: &Value) -> Vec<(Value, Value, Value)> {
    let (status, body) = app.get(&format!("{}/history", path(opportunity)), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["opportunity_id"], opportunity["opportunity_id"]);
    body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let at = e["changed_at"].as_str().unwrap();
            assert!(at.ends_with('Z') && at.len() == 20, "{at}");
            (e["from_stage"].clone(), e["to_stage"].clone(), e["changed_by"].clone())
        })
        .collect()
}

/// `PUT /opportunities/{id}/stage`, with an optional `If-Match`.
async fn put_stage(
    app: &TestApp,
    token: &str,
    opportunity: &Value,
    body: Value,
    if_match: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = Request::put(format!("{}/stage", path(opportunity)))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(tag) = if_match {
        request = request.header(header::IF_MATCH, tag);
    }
    let response = app.send(request.body(Body::from(body.to_string())).unwrap()).await;
    let status = response.status();
    (status, body_json(response).await)
}

async fn create_and_read_the_contract_example(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let account = created(&app, &token, "/accounts", techcorp()).await;
    let account_id = account["account_id"].as_str().unwrap();
    let contact = created(&app, &token, "/contacts", john_smith(account_id)).await;
    let contact_id = contact["contact_id"].as_str().unwrap();

    let opportunity = created(&app, &token, "/opportunities", enterprise_upgrade(account_id, contact_id)).await;
    let id = opportunity["opportunity_id"].as_str().unwrap();
    assert!(id.starts_with("OPP_") && app::server::ids::is_valid("OPP_", id), "{id}");
    assert_eq!(opportunity["account_id"], account_id);
    assert_eq!(opportunity["name"], "Enterprise Logistics Upgrade");
    assert_eq!(opportunity["stage"], "prospecting");
    assert_eq!(opportunity["amount"], 500000.0);
    assert_eq!(opportunity["probability"], 25.0);
    assert_eq!(opportunity["is_closed"], false);
    assert_eq!(opportunity["expected_revenue"], 125000.0);
    assert_eq!(opportunity["owner_id"], me);
    assert!(opportunity["lead_id"].is_null());
    let created_at = opportunity["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z') && created_at.len() == 20, "{created_at}");

    let (status, read) = app.get(&path(&opportunity), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    for (key, value) in enterprise_upgrade(account_id, contact_id).as_object().unwrap() {
        assert_eq!(&read[key], value, "{key}");
    }
    assert_eq!(read, opportunity);
    let (_, detail_view) = app.get(&format!("/accounts/{account_id}"), Some(&token)).await;
    assert_eq!(detail_view["opportunities"][0]["opportunity_id"], id, "{detail_view}");

    assert_eq!(history(&app, &token, &opportunity).await, [(Value::Null, json!("prospecting"), json!(me))]);

    let (status, missing) = app.get("/opportunities/OPP_ZZZZZZZZ", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&missing);
    let (status, missing) = app.get("/opportunities/OPP_ZZZZZZZZ/history", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&missing);
}

async fn stages_set_probability_and_expected_revenue(app: TestApp) {
    let token = app.admin_token().await;
    let account_id = account(&app, &token, "Pipeline Co").await;
    for (stage, probability, closed) in [
        ("prospecting", 10.0, false),
        ("qualification", 20.0, false),
        ("proposal", 50.0, false),
        ("negotiation", 80.0, false),
        ("closed_won", 100.0, true),
        ("closed_lost", 0.0, true),
    ] {
        let created = deal(&app, &token, &account_id, stage, json!({"stage": stage, "amount": 200000.0})).await;
        assert_eq!(created["probability"], probability, "{stage} defaults to {probability}");
        assert_eq!(created["is_closed"], closed, "{stage}");
        assert_eq!(created["expected_revenue"], 200000.0 * probability / 100.0, "{stage}");
    }
    // No stage at all: prospecting.
    let plain = deal(&app, &token, &account_id, "plain", json!({})).await;
    assert_eq!(plain["stage"], "prospecting");
    assert_eq!(plain["probability"], 10.0);
    assert!(plain["amount"].is_null() && plain["expected_revenue"].is_null(), "{plain}");
    assert_eq!(plain["currency"], "USD");

    // Closed stages force their probability whatever the client says.
    let won =
        deal(&app, &token, &account_id, "won", json!({"stage": "closed_won", "probability": 40.0, "amount": 1000.0}))
            .await;
    assert_eq!((won["probability"].clone(), won["is_closed"].clone()), (json!(100.0), json!(true)));
    assert_eq!(won["expected_revenue"], 1000.0);
    let lost =
        deal(&app, &token, &account_id, "lost", json!({"stage": "closed_lost", "probability": 40.0, "amount": 1000.0}))
            .await;
    assert_eq!((lost["probability"].clone(), lost["is_closed"].clone()), (json!(0.0), json!(true)));
    assert_eq!(lost["expected_revenue"], 0.0);

    // expected_revenue = amount × probability / 100, computed by the server.
    let computed = deal(
        &app,
        &token,
        &account_id,
        "computed",
        json!({"amount": 500000.0, "probability": 25.0, "expected_revenue": 1.0}),
    )
    .await;
    assert_eq!(computed["expected_revenue"], 125000.0);
    let cents = deal(&app, &token, &account_id, "cents", json!({"amount": 999.99, "probability": 33.0})).await;
    assert_eq!(cents["expected_revenue"], 330.0, "rounded to the cent: {cents}");

    // A PATCH of the amount or probability recomputes it; one of expected_revenue is ignored.
    let (status, patched) = app.json("PATCH", &path(&computed), Some(&token), Some(json!({"amount": 100000.0}))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["expected_revenue"], 25000.0);
    assert_eq!(patched["probability"], 25.0, "the same stage keeps its probability");
    let (_, patched) = app
        .json("PATCH", &path(&computed), Some(&token), Some(json!({"probability": 70.0, "expected_revenue": 5.0})))
        .await;
    assert_eq!(patched["expected_revenue"], 70000.0, "{patched}");
}

async fn stage_changes_are_recorded_in_order(app: TestApp) {
    let admin = app.admin_token().await;
    let admin_id = user_id(&app, &admin).await;
    let manager = app.user_token("manager").await;
    let manager_id = user_id(&app, &manager).await;
    let account_id = account(&app, &admin, "Stages Inc").await;
    let opportunity =
        deal(&app, &admin, &account_id, "Moving deal", json!({"probability": 25.0, "amount": 100000.0})).await;

    // The contract's body.
    let (status, moved) =
        put_stage(&app, &admin, &opportunity, json!({"stage": "proposal", "probability": 60.0}), None).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["stage"], "proposal");
    assert_eq!(moved["probability"], 60.0);
    assert_eq!(moved["expected_revenue"], 60000.0);
    assert_eq!(moved["version"], opportunity["version"].as_i64().unwrap() + 1);
    assert_eq!(moved["name"], "Moving deal", "other fields are untouched");

    // Without a probability the new stage's default applies.
    let (status, moved) = put_stage(&app, &manager, &opportunity, json!({"stage": "negotiation"}), None).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["probability"], 80.0);
    assert_eq!(moved["expected_revenue"], 80000.0);

    // The same stage with a new probability is no stage change.
    let (status, moved) =
        put_stage(&app, &admin, &opportunity, json!({"stage": "negotiation", "probability": 85.0}), None).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["probability"], 85.0);

    let (_, won) =
        put_stage(&app, &admin, &opportunity, json!({"stage": "closed_won", "probability": 50.0}), None).await;
    assert_eq!(won["probability"], 100.0);
    assert_eq!(won["is_closed"], true);
    assert_eq!(won["expected_revenue"], 100000.0);

    // Reopened through PATCH: also recorded.
    let (status, reopened) =
        app.json("PATCH", &path(&opportunity), Some(&manager), Some(json!({"stage": "qualification"}))).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(reopened["probability"], 20.0);
    assert_eq!(reopened["is_closed"], false);

    let (_, lost) = put_stage(&app, &admin, &opportunity, json!({"stage": "closed_lost"}), None).await;
    assert_eq!((lost["probability"].clone(), lost["is_closed"].clone()), (json!(0.0), json!(true)));
    assert_eq!(lost["expected_revenue"], 0.0);

    let s = |stage: &str| json!(stage);
    assert_eq!(
        history(&app, &admin, &opportunity).await,
        [
            (Value::Null, s("prospecting"), json!(admin_id)),
            (s("prospecting"), s("proposal"), json!(admin_id)),
            (s("proposal"), s("negotiation"), json!(manager_id)),
            (s("negotiation"), s("closed_won"), json!(admin_id)),
            (s("closed_won"), s("qualification"), json!(manager_id)),
            (s("qualification"), s("closed_lost"), json!(admin_id)),
        ]
    );

    for (body, field) in [
        (json!({"stage": "won"}), "stage"),
        (json!({"probability": 50.0}), "stage"),
        (json!({"stage": "proposal", "probability": 101.0}), "probability"),
        (json!({"stage": "proposal", "probability": -1.0}), "probability"),
        (json!({"stage": "proposal", "amount": 5.0}), "amount"),
    ] {
        let (status, response) = put_stage(&app, &admin, &opportunity, body, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    assert_eq!(history(&app, &admin, &opportunity).await.len(), 6, "refused changes are not recorded");
    let (status, body) =
        app.json("PUT", "/opportunities/OPP_ZZZZZZZZ/stage", Some(&admin), Some(json!({"stage": "proposal"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&body);
}

async fn lists_filter_by_stage_owner_account_closed_and_close_date(app: TestApp) {
    let admin = app.admin_token().await;
    let user = app.user_token("user").await;
    let user_id = user_id(&app, &user).await;
    let a = account(&app, &admin, "Alpha").await;
    let b = account(&app, &admin, "Beta").await;
    for (name, account_id, stage, close_date, owner) in [
        ("o1", &a, "prospecting", Some("2024-03-31T00:00:00Z"), None),
        ("o2", &a, "proposal", Some("2024-06-30T00:00:00Z"), Some(&user_id)),
        ("o3", &b, "closed_won", Some("2024-06-15T12:00:00Z"), None),
        ("o4", &b, "negotiation", Some("2024-12-31T00:00:00Z"), Some(&user_id)),
        ("o5", &a, "closed_lost", None, None),
        ("o6", &b, "proposal", Some("2024-07-01T00:00:00Z"), None),
    ] {
        deal(&app, &admin, account_id, name, json!({"stage": stage, "close_date": close_date, "owner_id": owner}))
            .await;
    }
    let names = |body: &Value| sorted(body, "opportunities", "name");
    for (token, query, expected) in [
        (&admin, "stage=proposal".to_owned(), vec!["o2", "o6"]),
        (&admin, "stage=closed_won".to_owned(), vec!["o3"]),
        (&admin, format!("owner_id={user_id}"), vec!["o2", "o4"]),
        (&admin, "owner_id=me".to_owned(), vec!["o1", "o3", "o5", "o6"]),
        (&user, "owner_id=me".to_owned(), vec!["o2", "o4"]),
        (&admin, format!("account_id={a}"), vec!["o1", "o2", "o5"]),
        (&admin, "is_closed=true".to_owned(), vec!["o3", "o5"]),
        (&admin, "is_closed=false".to_owned(), vec!["o1", "o2", "o4", "o6"]),
        (&admin, "close_date_from=2024-04-01&close_date_to=2024-06-30".to_owned(), vec!["o2", "o3"]),
        (&admin, "close_date_to=2024-06-30".to_owned(), vec!["o1", "o2", "o3"]),
        (&admin, "close_date_from=2024-06-30".to_owned(), vec!["o2", "o4", "o6"]),
        (&admin, "close_date_from=2024-06-15T12:00:01Z".to_owned(), vec!["o2", "o4", "o6"]),
        (&admin, format!("account_id={a}&is_closed=false&close_date_to=2024-06-30"), vec!["o1", "o2"]),
        (&admin, format!("owner_id={user_id}&is_closed=false&close_date_from=2024-07-01"), vec!["o4"]),
        (&admin, format!("stage=proposal&account_id={b}"), vec!["o6"]),
        (&admin, format!("stage=proposal&account_id={b}&owner_id={user_id}"), vec![]),
    ] {
        let (status, body) = app.get(&format!("/opportunities?{query}"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(names(&body), expected, "{query}");
    }

    for bad in [
        "stage=won",
        "is_closed=maybe",
        "close_date_from=June",
        "close_date_to=2024-13-01",
        "account_id=OPP_AAAAAAAA",
        "owner=me",
    ] {
        let (status, body) = app.get(&format!("/opportunities?{bad}"), Some(&admin)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let name = bad.split('=').next().unwrap();
        assert!(detail(&body).starts_with(name), "{bad}: {body}");
    }

    // Paging by close date, two at a time: every deal exactly once, in order.
    let mut seen = Vec::new();
    let mut url = "/opportunities?sort=close_date&limit=2".to_owned();
    loop {
        let (status, page) = app.get(&url, Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page["count"].as_u64().unwrap() <= 2);
        seen.extend(page["opportunities"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/opportunities?sort=close_date&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["o5", "o1", "o3", "o2", "o6", "o4"], "no close date first, then by date");
}

async fn create_rejects_bad_input(app: TestApp) {
    let token = app.admin_token().await;
    let account_id = account(&app, &token, "Strict Ltd").await;
    let contact = created(&app, &token, "/contacts", john_smith(&account_id)).await;
    let with = |key: &str, value: Value| {
        let mut body = enterprise_upgrade(&account_id, contact["contact_id"].as_str().unwrap());
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("currency", json!("EUR")), "currency"),
        (with("currency", json!("dollars")), "currency"),
        (with("probability", json!(101.0)), "probability"),
        (with("probability", json!(-0.5)), "probability"),
        (with("amount", json!(-5.0)), "amount"),
        (with("account_id", json!("ACC_ZZZZZZZZ")), "account_id"),
        (with("primary_contact_id", json!("CON_ZZZZZZZZ")), "primary_contact_id"),
        (with("stage", json!("won")), "stage"),
        (with("close_date", json!("next week")), "close_date"),
        (with("name", json!("  ")), "name"),
        (with("owner_id", json!("user123")), "owner_id"),
        (with("opportunity_id", json!("OPP_AAAAAAAA")), "opportunity_id"),
        (with("is_closed", json!(true)), "is_closed"),
    ] {
        let (status, response) = app.post("/opportunities", Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, list) = app.get("/opportunities", Some(&token)).await;
    assert_eq!(list["count"], 0, "nothing was stored: {list}");
    let (status, _) = app.get("/opportunities?limit=1001", Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn a_stale_if_match_on_a_stage_change_is_a_conflict(app: TestApp) {
    let rep_a = app.admin_token().await;
    let rep_b = app.user_token("manager").await;
    let rep_b_id = user_id(&app, &rep_b).await;
    let account_id = account(&app, &rep_a, "Contested").await;
    let opportunity = deal(&app, &rep_a, &account_id, "Contested deal", json!({"amount": 1000.0})).await;

    // Both load the board and see the same ETag.
    let response = app
        .send(
            Request::get(path(&opportunity))
                .header(header::AUTHORIZATION, format!("Bearer {rep_a}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let etag = response.headers().get(header::ETAG).unwrap().to_str().unwrap().to_owned();
    assert_eq!(etag.trim_matches('"'), opportunity["version"].to_string());

    // B drags it first and wins.
    let (status, moved) =
        put_stage(&app, &rep_b, &opportunity, json!({"stage": "negotiation"}), Some(etag.as_str())).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    // A's drag, based on what they loaded, is refused.
    let (status, refused) =
        put_stage(&app, &rep_a, &opportunity, json!({"stage": "closed_lost"}), Some(etag.as_str())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    detail(&refused);

    let (_, current) = app.get(&path(&opportunity), Some(&rep_a)).await;
    assert_eq!(current["stage"], "negotiation", "B's change stands");
    assert_eq!(current["version"], moved["version"]);
    let changes = history(&app, &rep_a, &opportunity).await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[1], (json!("prospecting"), json!("negotiation"), json!(rep_b_id)));

    // With the current version (or updated_at), A's change goes through.
    let version = format!("\"{}\"", current["version"]);
    let (status, won) = put_stage(&app, &rep_a, &opportunity, json!({"stage": "closed_won"}), Some(&version)).await;
    assert_eq!(status, StatusCode::OK, "{won}");
    assert_eq!(won["stage"], "closed_won");
    let updated_at = won["updated_at"].as_str().unwrap();
    let (status, _) = put_stage(&app, &rep_a, &opportunity, json!({"stage": "proposal"}), Some(updated_at)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = put_stage(&app, &rep_a, &opportunity, json!({"stage": "proposal"}), Some("yesterday")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    detail(&body);
}

async fn users_change_only_their_own_deals(app: TestApp) {
    let admin = app.admin_token().await;
    let admin_id = user_id(&app, &admin).await;
    let user = app.user_token("user").await;
    let account_id = account(&app, &admin, "Shared Account").await;
    let theirs = deal(&app, &admin, &account_id, "Admin's deal", json!({"amount": 5000.0})).await;
    let mine = deal(&app, &user, &account_id, "User's deal", json!({"amount": 5000.0})).await;
    assert_eq!(mine["owner_id"], user_id(&app, &user).await);

    let (status, read) = app.get(&path(&theirs), Some(&user)).await;
    assert_eq!(status, StatusCode::OK, "users read every deal");
    assert_eq!(read, theirs);
    let (status, _) = app.get(&format!("{}/history", path(&theirs)), Some(&user)).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = put_stage(&app, &user, &theirs, json!({"stage": "proposal", "probability": 60.0}), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    detail(&body);
    let (status, _) = app.json("PATCH", &path(&theirs), Some(&user), Some(json!({"amount": 1.0}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.json("DELETE", &path(&theirs), Some(&user), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, unchanged) = app.get(&path(&theirs), Some(&admin)).await;
    assert_eq!(unchanged, theirs, "refused changes change nothing");
    assert_eq!(history(&app, &admin, &theirs).await.len(), 1);

    let (status, moved) = put_stage(&app, &user, &mine, json!({"stage": "proposal"}), None).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["probability"], 50.0);
    // A user may not hand a deal to someone else, on create or update.
    let (status, _) = app
        .post("/opportunities", Some(&user), json!({"account_id": account_id, "name": "X", "owner_id": admin_id}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.json("PATCH", &path(&mine), Some(&user), Some(json!({"owner_id": admin_id}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let viewer = app.user_token("viewer").await;
    let (status, _) = put_stage(&app, &viewer, &mine, json!({"stage": "negotiation"}), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post("/opportunities", Some(&viewer), json!({"account_id": account_id, "name": "V"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Managers change anyone's deal.
    let manager = app.user_token("manager").await;
    let (status, _) = put_stage(&app, &manager, &mine, json!({"stage": "negotiation"}), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn configured_currencies_are_accepted_sqlite() {
    configured_currencies_are_accepted(TestApp::sqlite_with(&[("LANES_FX_RATES", "EUR=1.08")]).await).await;
}

#[tokio::test]
async fn configured_currencies_are_accepted_postgres() {
    if let Some(app) = TestApp::postgres_with(&[("LANES_FX_RATES", "EUR=1.08")]).await {
        configured_currencies_are_accepted(app).await;
    }
}

async fn configured_currencies_are_accepted(app: TestApp) {
    let token = app.admin_token().await;
    let account_id = account(&app, &token, "Euro GmbH").await;
    let euro = deal(&app, &token, &account_id, "Euro deal", json!({"currency": "EUR", "amount": 1000.0})).await;
    assert_eq!(euro["currency"], "EUR");
    assert_eq!(euro["amount"], 1000.0, "stored in its own currency");
    let lower = deal(&app, &token, &account_id, "lower", json!({"currency": "eur"})).await;
    assert_eq!(lower["currency"], "EUR");
    let usd = deal(&app, &token, &account_id, "usd", json!({})).await;
    assert_eq!(usd["currency"], "USD", "the base currency stays accepted and is the default");
    let (status, body) = app
        .post("/opportunities", Some(&token), json!({"account_id": account_id, "name": "GBP", "currency": "GBP"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).contains("currency"));
    let (status, patched) = app.json("PATCH", &path(&usd), Some(&token), Some(json!({"currency": "EUR"}))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["currency"], "EUR");
}

/// Clients that send no `If-Match` never claimed to know the version: racing moves on one deal
/// all apply (one after the other), none answers 409, and the history has every change.
async fn concurrent_moves_without_if_match_all_apply(app: TestApp) {
    let token = app.admin_token().await;
    let account_id = account(&app, &token, "Busy").await;
    let opportunity = deal(&app, &token, &account_id, "Busy deal", json!({"amount": 1000.0})).await;
    let stages = ["qualification", "proposal", "negotiation", "prospecting"];
    let moves: Vec<_> = (0..16)
        .map(|n| {
            let router = app.router.clone();
            let request = Request::put(format!("{}/stage", path(&opportunity)))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({"stage": stages[n % stages.len()]}).to_string()))
                .unwrap();
            tokio::spawn(async move { tower::ServiceExt::oneshot(router, request).await.unwrap() })
        })
        .collect();
    for (n, handle) in moves.into_iter().enumerate() {
        let response = handle.await.unwrap();
        let status = response.status();
        assert_eq!(status, StatusCode::OK, "move {n}: {}", body_json(response).await);
    }
    let (_, current) = app.get(&path(&opportunity), Some(&token)).await;
    assert_eq!(current["version"], opportunity["version"].as_i64().unwrap() + 16, "{current}");
    let changes = history(&app, &token, &opportunity).await;
    // Every move changed the stage (each goes to another stage than the one before it in
    // whatever order they ran) or repeated it; the history ends at the stage the deal is in.
    assert_eq!(changes.last().unwrap().1, current["stage"]);
}
