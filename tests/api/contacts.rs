//! Contacts over REST: the contract's example, list filters and cursors, validation, partial
//! updates, and the cascade from their account.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    accounts::techcorp,
    engines,
    helpers::{TestApp, detail},
};

engines!(
    create_and_read_the_contract_example,
    lists_filter_by_account_role_and_status_and_page,
    create_rejects_bad_input_and_server_owned_fields,
    patch_is_partial,
    deleting_the_account_deletes_its_contacts,
);

/// The contract's `POST /contacts` example, on `account_id`.
pub fn john_smith(account_id: &str) -> Value {
    json!({
        "account_id": account_id,
        "first_name": "John",
        "last_name": "Smith",
        "title": "CTO",
        "department": "Engineering",
        "email": "john.smith@techcorp.com",
        "phone": "+1-555-0199",
        "mobile": "+1-555-0200",
        "contact_role": "decision_maker",
        "is_primary": true
    })
}

/// POSTs `body` to `path` and returns the created record; panics unless the answer is 201.
pub async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (status, record) = app.post(path, Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {record}");
    record
}

/// The `key` of every record in the list answer `body` (under `collection`), sorted.
pub fn sorted(body: &Value, collection: &str, key: &str) -> Vec<String> {
    let items = body[collection].as_array().unwrap_or_else(|| panic!("no {collection} in {body}"));
    assert_eq!(body["count"], items.len(), "count matches the page: {body}");
    let mut values: Vec<String> = items.iter().map(|r| r[key].as_str().unwrap().to_owned()).collect();
    values.sort();
    values
}

/// The caller's user id.
pub async fn user_id(app: &TestApp, token: &str) -> String {
    let (status, me) = app.get("/auth/me", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    me["user_id"].as_str().unwrap().to_owned()
}

async fn create_and_read_the_contract_example(app: TestApp) {
    let token = app.admin_token().await;
    let account = created(&app, &token, "/accounts", techcorp()).await;
    let account_id = account["account_id"].as_str().unwrap();
    let contact = created(&app, &token, "/contacts", john_smith(account_id)).await;

    let id = contact["contact_id"].as_str().unwrap();
    assert!(id.starts_with("CON_") && id.len() == 12, "{id}");
    assert!(app::server::ids::is_valid("CON_", id), "{id}");
    assert_eq!(contact["account_id"], account_id);
    assert_eq!(contact["first_name"], "John");
    assert_eq!(contact["last_name"], "Smith");
    assert_eq!(contact["full_name"], "John Smith");
    assert_eq!(contact["email"], "john.smith@techcorp.com");
    assert_eq!(contact["status"], "active");
    assert_eq!(contact["owner_id"], user_id(&app, &token).await, "owner defaults to the caller");
    let created_at = contact["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z') && created_at.len() == 20, "{created_at}");

    let (status, read) = app.get(&format!("/contacts/{id}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    for (key, value) in john_smith(account_id).as_object().unwrap() {
        assert_eq!(&read[key], value, "{key}");
    }
    assert_eq!(read, contact, "GET answers what POST answered");

    let (_, list) = app.get("/contacts", Some(&token)).await;
    assert_eq!(list["count"], 1);
    assert_eq!(list["contacts"][0], contact);
    let (_, detail_view) = app.get(&format!("/accounts/{account_id}"), Some(&token)).await;
    assert_eq!(detail_view["contacts"][0]["contact_id"], id, "the account lists its contact: {detail_view}");

    let (status, missing) = app.get("/contacts/CON_ZZZZZZZZ", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&missing);
    let (status, _) = app.get("/contacts", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn lists_filter_by_account_role_and_status_and_page(app: TestApp) {
    let token = app.admin_token().await;
    let a = created(&app, &token, "/accounts", json!({"name": "Alpha"})).await;
    let b = created(&app, &token, "/accounts", json!({"name": "Beta"})).await;
    let (a, b) = (a["account_id"].as_str().unwrap(), b["account_id"].as_str().unwrap());
    for (first, last, account, role, status) in [
        ("John", "Smith", a, "decision_maker", "active"),
        ("Sarah", "Johnson", a, "influencer", "active"),
        ("Olga", "Old", a, "contact", "inactive"),
        ("Bob", "Brown", b, "decision_maker", "active"),
        ("Ina", "Idle", b, "influencer", "inactive"),
    ] {
        created(
            &app,
            &token,
            "/contacts",
            json!({"account_id": account, "first_name": first, "last_name": last,
                   "contact_role": role, "status": status}),
        )
        .await;
    }
    let names = |body: &Value| sorted(body, "contacts", "full_name");
    for (query, expected) in [
        (format!("account_id={a}"), vec!["John Smith", "Olga Old", "Sarah Johnson"]),
        (format!("account_id={b}"), vec!["Bob Brown", "Ina Idle"]),
        ("contact_role=decision_maker".to_owned(), vec!["Bob Brown", "John Smith"]),
        ("contact_role=influencer".to_owned(), vec!["Ina Idle", "Sarah Johnson"]),
        ("status=inactive".to_owned(), vec!["Ina Idle", "Olga Old"]),
        ("status=active".to_owned(), vec!["Bob Brown", "John Smith", "Sarah Johnson"]),
        (format!("account_id={a}&contact_role=decision_maker&status=active"), vec!["John Smith"]),
        (format!("account_id={b}&status=inactive"), vec!["Ina Idle"]),
        (format!("account_id={b}&contact_role=contact"), vec![]),
        ("account_id=ACC_ZZZZZZZZ".to_owned(), vec![]),
    ] {
        let (status, body) = app.get(&format!("/contacts?{query}"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(names(&body), expected, "{query}");
    }

    for bad in ["contact_role=ceo", "status=dormant", "account_id=not-an-id", "account_id=CON_AAAAAAAA", "role=x"] {
        let (status, body) = app.get(&format!("/contacts?{bad}"), Some(&token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let name = bad.split('=').next().unwrap();
        assert!(detail(&body).starts_with(name), "{bad}: {body}");
    }

    // Walk the list two at a time: every contact exactly once, in order, then no cursor.
    let mut seen = Vec::new();
    let mut url = "/contacts?sort=last_name&limit=2".to_owned();
    let mut pages = 0;
    loop {
        let (status, page) = app.get(&url, Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page["count"].as_u64().unwrap() <= 2, "{page}");
        pages += 1;
        seen.extend(page["contacts"].as_array().unwrap().iter().map(|c| c["last_name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/contacts?sort=last_name&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["Brown", "Idle", "Johnson", "Old", "Smith"]);

    // The default order (newest first) pages the same records, each once, even when several
    // share a creation second.
    let mut ids = Vec::new();
    let mut url = format!("/contacts?account_id={a}&limit=2");
    loop {
        let (_, page) = app.get(&url, Some(&token)).await;
        ids.extend(page["contacts"].as_array().unwrap().iter().map(|c| c["contact_id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/contacts?account_id={a}&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let (_, all) = app.get(&format!("/contacts?account_id={a}"), Some(&token)).await;
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no record twice: {ids:?}");
    assert_eq!(unique, sorted(&all, "contacts", "contact_id"));
}

async fn create_rejects_bad_input_and_server_owned_fields(app: TestApp) {
    let token = app.admin_token().await;
    let account = created(&app, &token, "/accounts", techcorp()).await;
    let account_id = account["account_id"].as_str().unwrap();
    let with = |key: &str, value: Value| {
        let mut body = john_smith(account_id);
        body[key] = value;
        body
    };
    let cases = [
        (with("account_id", json!("ACC_ZZZZZZZZ")), "account_id"),
        (with("account_id", json!("nonsense")), "account_id"),
        (with("full_name", json!("John Smith")), "full_name"),
        (with("contact_id", json!("CON_AAAAAAAA")), "contact_id"),
        (with("created_at", json!("2024-01-15T10:35:00Z")), "created_at"),
        (with("contact_role", json!("ceo")), "contact_role"),
        (with("status", json!("dormant")), "status"),
        (with("email", json!("john at techcorp")), "email"),
        (with("phone", json!("call me maybe")), "phone"),
        (with("first_name", json!(" ")), "first_name"),
        (with("owner_id", json!("USR_NOBODY00")), "owner_id"),
    ];
    for (body, field) in cases {
        let (status, response) = app.post("/contacts", Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, list) = app.get("/contacts", Some(&token)).await;
    assert_eq!(list["count"], 0, "nothing was stored: {list}");

    let viewer = app.user_token("viewer").await;
    let (status, body) = app.post("/contacts", Some(&viewer), john_smith(account_id)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    detail(&body);
}

async fn patch_is_partial(app: TestApp) {
    let token = app.admin_token().await;
    let account = created(&app, &token, "/accounts", techcorp()).await;
    let account_id = account["account_id"].as_str().unwrap();
    let contact = created(&app, &token, "/contacts", john_smith(account_id)).await;
    let path = format!("/contacts/{}", contact["contact_id"].as_str().unwrap());

    let (status, patched) = app.json("PATCH", &path, Some(&token), Some(json!({"title": "CEO", "mobile": null}))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["title"], "CEO");
    assert!(patched["mobile"].is_null());
    for key in ["account_id", "first_name", "full_name", "email", "phone", "contact_role", "is_primary", "status"] {
        assert_eq!(patched[key], contact[key], "{key} is untouched");
    }
    assert_eq!(patched["version"], contact["version"].as_i64().unwrap() + 1);

    let (status, renamed) =
        app.json("PATCH", &path, Some(&token), Some(json!({"last_name": "Smythe", "status": "inactive"}))).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["full_name"], "John Smythe", "full_name follows the name");
    assert_eq!(renamed["status"], "inactive");
    assert_eq!(renamed["title"], "CEO");

    for (body, field) in [
        (json!({"full_name": "Jack Smith"}), "full_name"),
        (json!({"account_id": "ACC_ZZZZZZZZ"}), "account_id"),
        (json!({"contact_role": "boss"}), "contact_role"),
        (json!({"last_name": ""}), "last_name"),
    ] {
        let (status, response) = app.json("PATCH", &path, Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, unchanged) = app.get(&path, Some(&token)).await;
    assert_eq!(unchanged, renamed, "refused patches change nothing");

    // Detaching from the account is allowed (account_id is optional).
    let (status, detached) = app.json("PATCH", &path, Some(&token), Some(json!({"account_id": null}))).await;
    assert_eq!(status, StatusCode::OK, "{detached}");
    assert!(detached["account_id"].is_null());

    // A user may not change a contact someone else owns.
    let user = app.user_token("user").await;
    let (status, body) = app.json("PATCH", &path, Some(&user), Some(json!({"title": "X"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    detail(&body);
}

async fn deleting_the_account_deletes_its_contacts(app: TestApp) {
    let token = app.admin_token().await;
    let doomed = created(&app, &token, "/accounts", techcorp()).await;
    let kept = created(&app, &token, "/accounts", json!({"name": "Survivor Inc"})).await;
    let doomed_id = doomed["account_id"].as_str().unwrap();
    let kept_id = kept["account_id"].as_str().unwrap();
    let john = created(&app, &token, "/contacts", john_smith(doomed_id)).await;
    created(&app, &token, "/contacts", json!({"account_id": doomed_id, "first_name": "Sarah", "last_name": "Johnson"}))
        .await;
    let survivor = created(
        &app,
        &token,
        "/contacts",
        json!({"account_id": kept_id, "first_name": "Sam", "last_name": "Survivor"}),
    )
    .await;
    let (_, before) = app.get("/contacts", Some(&token)).await;
    assert_eq!(before["count"], 3);

    let (status, _) = app.json("DELETE", &format!("/accounts/{doomed_id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, gone) = app.get(&format!("/contacts/{}", john["contact_id"].as_str().unwrap()), Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    let (_, of_doomed) = app.get(&format!("/contacts?account_id={doomed_id}"), Some(&token)).await;
    assert_eq!(of_doomed["count"], 0, "{of_doomed}");
    let (_, after) = app.get("/contacts", Some(&token)).await;
    assert_eq!(sorted(&after, "contacts", "contact_id"), [survivor["contact_id"].as_str().unwrap()]);

    // Deleting a contact directly works too, once.
    let path = format!("/contacts/{}", survivor["contact_id"].as_str().unwrap());
    let (status, _) = app.json("DELETE", &path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.json("DELETE", &path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&body);
}
