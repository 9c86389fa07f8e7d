//! Tasks over REST: the contract's example, list filters, completing and reopening, validation.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    accounts::techcorp,
    contacts::{created, sorted, user_id},
    engines,
    helpers::{TestApp, detail},
};

engines!(
    create_and_read_the_contract_example,
    lists_filter_by_status_priority_assignee_and_links,
    complete_and_reopen,
    create_and_patch_reject_bad_input,
);

/// The contract's `POST /tasks` example, on real records and a real assignee.
pub fn send_proposal(account_id: &str, opportunity_id: &str, assigned_to: &str) -> Value {
    json!({
        "title": "Send Proposal to TechCorp",
        "description": "Prepare and send detailed proposal for logistics upgrade",
        "priority": "high",
        "due_date": "2024-01-20T17:00:00Z",
        "reminder_date": "2024-01-19T09:00:00Z",
        "assigned_to": assigned_to,
        "account_id": account_id,
        "opportunity_id": opportunity_id
    })
}

/// An account and an opportunity on it; returns their ids.
pub async fn account_and_deal(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let mut body = techcorp();
    body["name"] = json!(name);
    let account = created(app, token, "/accounts", body).await;
    let account_id = account["account_id"].as_str().unwrap().to_owned();
    let deal = created(
        app,
        token,
        "/opportunities",
        json!({"account_id": account_id, "name": "Enterprise Logistics Upgrade", "amount": 500000.0}),
    )
    .await;
    (account_id, deal["opportunity_id"].as_str().unwrap().to_owned())
}

fn is_timestamp(value: &Value) -> bool {
    value.as_str().is_some_and(|t| t.ends_with('Z') && t.len() == 20)
}

async fn create_and_read_the_contract_example(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let (account_id, opportunity_id) = account_and_deal(&app, &token, "TechCorp").await;

    let example = send_proposal(&account_id, &opportunity_id, &me);
    let task = created(&app, &token, "/tasks", example.clone()).await;
    let id = task["task_id"].as_str().unwrap();
    assert!(id.starts_with("TASK_") && app::server::ids::is_valid("TASK_", id), "{id}");
    assert_eq!(task["title"], "Send Proposal to TechCorp");
    assert_eq!(task["status"], "pending");
    assert_eq!(task["priority"], "high");
    assert_eq!(task["due_date"], "2024-01-20T17:00:00Z");
    assert!(is_timestamp(&task["created_at"]), "{task}");
    assert!(task["completed_at"].is_null());
    for (key, value) in example.as_object().unwrap() {
        assert_eq!(&task[key], value, "{key}");
    }

    let (status, read) = app.get(&format!("/tasks/{id}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, task);

    // Defaults: medium priority, assigned to the caller.
    let plain = created(&app, &token, "/tasks", json!({"title": "Plain"})).await;
    assert_eq!(plain["priority"], "medium");
    assert_eq!(plain["status"], "pending");
    assert_eq!(plain["assigned_to"], me);

    // The contract's "user123" is no user here.
    let (status, body) = app.post("/tasks", Some(&token), send_proposal(&account_id, &opportunity_id, "user123")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).contains("assigned_to"));
}

async fn lists_filter_by_status_priority_assignee_and_links(app: TestApp) {
    let admin = app.admin_token().await;
    let user = app.user_token("user").await;
    let user_id = user_id(&app, &user).await;
    let (a, deal_a) = account_and_deal(&app, &admin, "Alpha").await;
    let (b, deal_b) = account_and_deal(&app, &admin, "Beta").await;
    for (title, status, priority, account, deal, assignee) in [
        ("t1", "pending", "high", Some(&a), Some(&deal_a), None),
        ("t2", "in_progress", "low", Some(&a), None, Some(&user_id)),
        ("t3", "completed", "urgent", Some(&b), Some(&deal_b), None),
        ("t4", "cancelled", "high", None, None, Some(&user_id)),
        ("t5", "pending", "medium", Some(&b), Some(&deal_b), Some(&user_id)),
    ] {
        created(
            &app,
            &admin,
            "/tasks",
            json!({"title": title, "status": status, "priority": priority, "account_id": account,
                   "opportunity_id": deal, "assigned_to": assignee}),
        )
        .await;
    }
    let titles = |body: &Value| sorted(body, "tasks", "title");
    for (token, query, expected) in [
        (&admin, "status=pending".to_owned(), vec!["t1", "t5"]),
        (&admin, "status=in_progress".to_owned(), vec!["t2"]),
        (&admin, "status=completed".to_owned(), vec!["t3"]),
        (&admin, "priority=high".to_owned(), vec!["t1", "t4"]),
        (&admin, "priority=urgent".to_owned(), vec!["t3"]),
        (&admin, format!("assigned_to={user_id}"), vec!["t2", "t4", "t5"]),
        (&admin, "assigned_to=me".to_owned(), vec!["t1", "t3"]),
        (&user, "assigned_to=me".to_owned(), vec!["t2", "t4", "t5"]),
        (&admin, format!("account_id={a}"), vec!["t1", "t2"]),
        (&admin, format!("opportunity_id={deal_b}"), vec!["t3", "t5"]),
        (&admin, format!("opportunity_id={deal_b}&status=pending"), vec!["t5"]),
        (&admin, format!("assigned_to={user_id}&priority=high"), vec!["t4"]),
        (&admin, format!("account_id={b}&priority=urgent&status=completed"), vec!["t3"]),
        (&admin, format!("account_id={a}&opportunity_id={deal_b}"), vec![]),
    ] {
        let (status, body) = app.get(&format!("/tasks?{query}"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(titles(&body), expected, "{query}");
    }

    for bad in ["status=done", "priority=critical", "account_id=OPP_AAAAAAAA", "opportunity_id=nope", "owner_id=me"] {
        let (status, body) = app.get(&format!("/tasks?{bad}"), Some(&admin)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let name = bad.split('=').next().unwrap();
        assert!(detail(&body).starts_with(name), "{bad}: {body}");
    }

    // Walk by due date two at a time (no due dates: ordered by id), every task exactly once.
    let mut seen = Vec::new();
    let mut url = "/tasks?sort=due_date&limit=2".to_owned();
    loop {
        let (status, page) = app.get(&url, Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page["count"].as_u64().unwrap() <= 2);
        seen.extend(page["tasks"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/tasks?sort=due_date&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["t1", "t2", "t3", "t4", "t5"]);
}

async fn complete_and_reopen(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let (account_id, opportunity_id) = account_and_deal(&app, &token, "TechCorp").await;
    let task = created(&app, &token, "/tasks", send_proposal(&account_id, &opportunity_id, &me)).await;
    let path = format!("/tasks/{}", task["task_id"].as_str().unwrap());

    let (status, done) = app.json("PUT", &format!("{path}/complete"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "completed");
    assert!(is_timestamp(&done["completed_at"]), "{done}");
    assert!(done["completed_at"].as_str().unwrap() >= task["created_at"].as_str().unwrap());
    assert_eq!(done["version"], task["version"].as_i64().unwrap() + 1);
    for key in ["title", "priority", "due_date", "reminder_date", "account_id", "opportunity_id", "assigned_to"] {
        assert_eq!(done[key], task[key], "{key} is untouched");
    }
    let (_, read) = app.get(&path, Some(&token)).await;
    assert_eq!(read, done);

    // Completing again keeps the first completion time.
    let (status, again) = app.json("PUT", &format!("{path}/complete"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["completed_at"], done["completed_at"]);
    let (_, touched) = app.json("PATCH", &path, Some(&token), Some(json!({"title": "Proposal sent"}))).await;
    assert_eq!(touched["completed_at"], done["completed_at"], "still completed: {touched}");

    // Reopened: no completion time.
    let (status, reopened) = app.json("PATCH", &path, Some(&token), Some(json!({"status": "pending"}))).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(reopened["status"], "pending");
    assert!(reopened["completed_at"].is_null(), "{reopened}");
    let (_, started) = app.json("PATCH", &path, Some(&token), Some(json!({"status": "in_progress"}))).await;
    assert!(started["completed_at"].is_null());
    // Completed through PATCH also stamps it.
    let (_, patched_done) = app.json("PATCH", &path, Some(&token), Some(json!({"status": "completed"}))).await;
    assert!(is_timestamp(&patched_done["completed_at"]), "{patched_done}");

    // A task created completed has its completion time at once.
    let born_done = created(&app, &token, "/tasks", json!({"title": "Done already", "status": "completed"})).await;
    assert!(is_timestamp(&born_done["completed_at"]), "{born_done}");

    let (status, body) = app.json("PUT", "/tasks/TASK_ZZZZZZZZ/complete", Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&body);
    let user = app.user_token("user").await;
    let (status, body) = app.json("PUT", &format!("{path}/complete"), Some(&user), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    detail(&body);
}

async fn create_and_patch_reject_bad_input(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let (account_id, opportunity_id) = account_and_deal(&app, &token, "TechCorp").await;
    let with = |key: &str, value: Value| {
        let mut body = send_proposal(&account_id, &opportunity_id, &me);
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("priority", json!("critical")), "priority"),
        (with("status", json!("done")), "status"),
        (with("due_date", json!("Friday")), "due_date"),
        (with("reminder_date", json!("2024-02-30T09:00:00Z")), "reminder_date"),
        (with("opportunity_id", json!("OPP_ZZZZZZZZ")), "opportunity_id"),
        (with("account_id", json!("ACC_ZZZZZZZZ")), "account_id"),
        (with("title", json!("")), "title"),
        (with("completed_at", json!("2024-01-20T17:00:00Z")), "completed_at"),
        (with("task_id", json!("TASK_AAAAAAAA")), "task_id"),
    ] {
        let (status, response) = app.post("/tasks", Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, list) = app.get("/tasks", Some(&token)).await;
    assert_eq!(list["count"], 0, "nothing was stored: {list}");

    let task = created(&app, &token, "/tasks", send_proposal(&account_id, &opportunity_id, &me)).await;
    let path = format!("/tasks/{}", task["task_id"].as_str().unwrap());
    for (body, field) in [
        (json!({"priority": "critical"}), "priority"),
        (json!({"status": "finished"}), "status"),
        (json!({"completed_at": "2024-01-20T17:00:00Z"}), "completed_at"),
        (json!({"assigned_to": "user123"}), "assigned_to"),
    ] {
        let (status, response) = app.json("PATCH", &path, Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, unchanged) = app.get(&path, Some(&token)).await;
    assert_eq!(unchanged, task, "refused patches change nothing");

    let viewer = app.user_token("viewer").await;
    let (status, _) = app.post("/tasks", Some(&viewer), json!({"title": "Nope"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
