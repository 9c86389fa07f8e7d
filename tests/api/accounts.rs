//! Accounts over REST: the contract's example, lists with filters and cursors, partial updates
//! with If-Match, deletes, permissions and visibility.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    engines,
    helpers::{TestApp, body_json, detail},
};

engines!(
    create_and_read_the_contract_example,
    create_rejects_bad_input_and_stores_nothing,
    lists_filter_search_sort_and_page,
    patch_is_partial_and_honours_if_match,
    users_change_only_their_own_and_viewers_nothing,
);

/// The contract's `POST /accounts` example, used as a fixture.
pub fn techcorp() -> Value {
    json!({
        "name": "TechCorp Solutions",
        "account_type": "customer",
        "industry": "Technology",
        "website": "https://techcorp.com",
        "phone": "+1-555-0123",
        "email": "contact@techcorp.com",
        "billing_address": "123 Tech Street",
        "city": "San Francisco",
        "state": "CA",
        "country": "USA",
        "postal_code": "94105",
        "annual_revenue": 5000000.0,
        "employee_count": 150
    })
}

async fn create_and_read_the_contract_example(app: TestApp) {
    let token = app.admin_token().await;
    let (status, created) = app.post("/accounts", Some(&token), techcorp()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["account_id"].as_str().unwrap();
    assert!(app::server::ids::is_valid("ACC_", id), "{id}");
    assert_eq!(created["name"], "TechCorp Solutions");
    assert_eq!(created["account_type"], "customer");
    assert_eq!(created["status"], "active");
    assert_eq!(created["annual_revenue"], 5000000.0);
    let created_at = created["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z') && created_at.len() == 20, "{created_at}");

    let (status, account) = app.get(&format!("/accounts/{id}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    for (key, value) in techcorp().as_object().unwrap() {
        assert_eq!(&account[key], value, "{key}");
    }
    assert_eq!(account["lifecycle_stage"], "customer");
    assert_eq!(account["updated_at"], account["created_at"]);
    for key in ["contacts", "opportunities", "activities"] {
        assert!(account[key].is_array(), "GET /accounts/{{id}} carries {key}: {account}");
    }

    let (status, missing) = app.get("/accounts/ACC_ZZZZZZZZ", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&missing);
    let (status, _) = app.get("/accounts/not-an-id", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get(&format!("/accounts/{id}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn create_rejects_bad_input_and_stores_nothing(app: TestApp) {
    let token = app.admin_token().await;
    let with = |key: &str, value: Value| {
        let mut body = techcorp();
        body[key] = value;
        body
    };
    let cases = [
        (with("name", json!("  ")), "name"),
        (with("account_type", json!("competitor")), "account_type"),
        (with("status", json!("dormant")), "status"),
        (with("email", json!("not-an-email")), "email"),
        (with("website", json!("javascript:alert(1)")), "website"),
        (with("phone", json!("call me")), "phone"),
        (with("annual_revenue", json!(-5)), "annual_revenue"),
        (with("employee_count", json!(-1)), "employee_count"),
        (with("account_id", json!("ACC_AAAAAAAA")), "account_id"),
        (with("created_at", json!("2020-01-01T00:00:00Z")), "created_at"),
        (with("owner_id", json!("USR_NOBODY00")), "owner_id"),
    ];
    for (body, field) in cases {
        let (status, response) = app.post("/accounts", Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, list) = app.get("/accounts", Some(&token)).await;
    assert_eq!(list["count"], 0, "nothing was stored: {list}");
}

async fn lists_filter_search_sort_and_page(app: TestApp) {
    let token = app.admin_token().await;
    for (name, kind, territory) in [
        ("Alpha Freight", "customer", "West Coast"),
        ("Beta Cargo", "prospect", "Midwest"),
        ("Gamma Logistics", "partner", "West Coast"),
        ("Delta Supply", "customer", "East Coast"),
        ("Epsilon Trucks", "customer", "West Coast"),
    ] {
        let (status, _) = app
            .post("/accounts", Some(&token), json!({"name": name, "account_type": kind, "territory": territory}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let names = |body: &Value| -> Vec<String> {
        body["accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect()
    };
    let (status, all) = app.get("/accounts", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["count"], 5);
    assert!(all["next_cursor"].is_null());

    let (_, customers) = app.get("/accounts?account_type=customer&territory=West%20Coast", Some(&token)).await;
    let mut found = names(&customers);
    found.sort();
    assert_eq!(found, ["Alpha Freight", "Epsilon Trucks"]);

    let (_, searched) = app.get("/accounts?q=CARGO", Some(&token)).await;
    assert_eq!(names(&searched), ["Beta Cargo"]);

    let (_, sorted) = app.get("/accounts?sort=name", Some(&token)).await;
    assert_eq!(names(&sorted), ["Alpha Freight", "Beta Cargo", "Delta Supply", "Epsilon Trucks", "Gamma Logistics"]);

    // Walk the list two at a time: every account once, in order, then no cursor.
    let mut seen = Vec::new();
    let mut url = "/accounts?sort=-name&limit=2".to_owned();
    loop {
        let (status, page) = app.get(&url, Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page["count"].as_u64().unwrap() <= 2);
        seen.extend(names(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/accounts?sort=-name&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["Gamma Logistics", "Epsilon Trucks", "Delta Supply", "Beta Cargo", "Alpha Freight"]);

    for bad in ["limit=0", "limit=1001", "account_type=vendor", "status=x", "sort=colour", "colour=red", "cursor=abc"] {
        let (status, body) = app.get(&format!("/accounts?{bad}"), Some(&token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let name = bad.split('=').next().unwrap();
        assert!(detail(&body).starts_with(name), "{bad}: {body}");
    }
}

async fn patch_is_partial_and_honours_if_match(app: TestApp) {
    let token = app.admin_token().await;
    let (_, created) = app.post("/accounts", Some(&token), techcorp()).await;
    let id = created["account_id"].as_str().unwrap();
    let (status, patched) = app
        .json("PATCH", &format!("/accounts/{id}"), Some(&token), Some(json!({"phone": null, "city": "Oakland"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["city"], "Oakland");
    assert!(patched["phone"].is_null());
    assert_eq!(patched["name"], "TechCorp Solutions", "untouched fields keep their values");
    assert_eq!(patched["version"], created["version"].as_i64().unwrap() + 1);

    // A stale If-Match (the version before the patch) is refused and changes nothing.
    let stale = created["version"].to_string();
    let request = Request::patch(format!("/accounts/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, format!("\"{stale}\""))
        .body(Body::from(json!({"city": "Berkeley"}).to_string()))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    detail(&body_json(response).await);

    // The current ETag works.
    let response = app
        .send(
            Request::get(format!("/accounts/{id}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let etag = response.headers().get(header::ETAG).unwrap().to_str().unwrap().to_owned();
    let request = Request::patch(format!("/accounts/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, etag)
        .body(Body::from(json!({"city": "Berkeley"}).to_string()))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_json(response).await["city"], "Berkeley");

    for (body, field) in [
        (json!({"name": ""}), "name"),
        (json!({"account_id": "ACC_X"}), "account_id"),
        (json!({"version": 9}), "version"),
    ] {
        let (status, response) = app.json("PATCH", &format!("/accounts/{id}"), Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{response}");
        assert!(detail(&response).contains(field));
    }

    let (status, _) = app.json("DELETE", &format!("/accounts/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&format!("/accounts/{id}"), Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.json("DELETE", &format!("/accounts/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn users_change_only_their_own_and_viewers_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, admins) = app.post("/accounts", Some(&admin), json!({"name": "Admin's account"})).await;
    let user = app.user_token("user").await;
    let (status, mine) = app.post("/accounts", Some(&user), json!({"name": "My account"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, me) = app.get("/auth/me", Some(&user)).await;
    assert_eq!(mine["owner_id"], me["user_id"], "owner defaults to the caller");

    let path = |a: &Value| format!("/accounts/{}", a["account_id"].as_str().unwrap());
    let (status, _) = app.json("PATCH", &path(&mine), Some(&user), Some(json!({"city": "Reno"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.json("PATCH", &path(&admins), Some(&user), Some(json!({"city": "Reno"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = app.json("DELETE", &path(&admins), Some(&user), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Users read everything by default.
    let (status, _) = app.get(&path(&admins), Some(&user)).await;
    assert_eq!(status, StatusCode::OK);
    // A user may not hand an account to someone else.
    let (status, _) = app.json("PATCH", &path(&mine), Some(&user), Some(json!({"owner_id": admins["owner_id"]}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let viewer = app.user_token("viewer").await;
    let (status, _) = app.post("/accounts", Some(&viewer), json!({"name": "Nope"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.json("PATCH", &path(&mine), Some(&viewer), Some(json!({"city": "X"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, list) = app.get("/accounts", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], 2);

    let manager = app.user_token("manager").await;
    let (status, _) = app.json("PATCH", &path(&mine), Some(&manager), Some(json!({"city": "Boise"}))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn own_visibility_sqlite() {
    own_visibility(TestApp::sqlite_with(&[("LANES_USER_VISIBILITY", "own")]).await).await;
}

#[tokio::test]
async fn own_visibility_postgres() {
    if let Some(app) = TestApp::postgres_with(&[("LANES_USER_VISIBILITY", "own")]).await {
        own_visibility(app).await;
    }
}

async fn own_visibility(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, other) = app.post("/accounts", Some(&admin), json!({"name": "Someone else's"})).await;
    let user = app.user_token("user").await;
    let (_, mine) = app.post("/accounts", Some(&user), json!({"name": "Mine"})).await;
    let (_, list) = app.get("/accounts", Some(&user)).await;
    assert_eq!(list["count"], 1, "{list}");
    assert_eq!(list["accounts"][0]["account_id"], mine["account_id"]);
    let (status, _) = app.get(&format!("/accounts/{}", other["account_id"].as_str().unwrap()), Some(&user)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another's account is invisible, not forbidden");
    let (_, list) = app.get("/accounts", Some(&admin)).await;
    assert_eq!(list["count"], 2, "admins still see everything");
}
