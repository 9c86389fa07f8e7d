//! Activities over REST: the contract's example, validation, list filters, and completing.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    accounts::techcorp,
    contacts::{created, john_smith, sorted, user_id},
    engines,
    helpers::{TestApp, detail},
};

engines!(
    create_and_read_the_contract_example,
    create_rejects_bad_input,
    lists_filter_by_type_status_assignee_and_links,
    complete_with_and_without_a_body,
);

/// The contract's `POST /activities` example, on real records and a real assignee.
pub fn discovery_call(account_id: &str, contact_id: &str, assigned_to: &str) -> Value {
    json!({
        "subject": "Initial Discovery Call",
        "description": "Discussed requirements and timeline",
        "activity_type": "call",
        "status": "completed",
        "priority": "high",
        "due_date": "2024-01-15T14:00:00Z",
        "start_time": "2024-01-15T14:00:00Z",
        "end_time": "2024-01-15T14:30:00Z",
        "duration_minutes": 30,
        "account_id": account_id,
        "contact_id": contact_id,
        "assigned_to": assigned_to,
        "outcome": "Positive feedback, moving to proposal stage",
        "next_steps": "Send proposal by Friday"
    })
}

/// An account and a contact on it; returns their ids.
async fn account_and_contact(app: &TestApp, token: &str) -> (String, String) {
    let account = created(app, token, "/accounts", techcorp()).await;
    let account_id = account["account_id"].as_str().unwrap().to_owned();
    let contact = created(app, token, "/contacts", john_smith(&account_id)).await;
    (account_id, contact["contact_id"].as_str().unwrap().to_owned())
}

async fn create_and_read_the_contract_example(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let (account_id, contact_id) = account_and_contact(&app, &token).await;

    // The contract's "user123" is no user here.
    let (status, body) =
        app.post("/activities", Some(&token), discovery_call(&account_id, &contact_id, "user123")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).contains("assigned_to"), "{body}");

    let example = discovery_call(&account_id, &contact_id, &me);
    let activity = created(&app, &token, "/activities", example.clone()).await;
    let id = activity["activity_id"].as_str().unwrap();
    assert!(id.starts_with("ACT_") && app::server::ids::is_valid("ACT_", id), "{id}");
    assert_eq!(activity["subject"], "Initial Discovery Call");
    assert_eq!(activity["activity_type"], "call");
    assert_eq!(activity["status"], "completed");
    let created_at = activity["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z') && created_at.len() == 20, "{created_at}");
    for (key, value) in example.as_object().unwrap() {
        assert_eq!(&activity[key], value, "{key}");
    }
    assert!(activity["opportunity_id"].is_null() && activity["lead_id"].is_null());

    let (status, read) = app.get(&format!("/activities/{id}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, activity);
    let (_, detail_view) = app.get(&format!("/accounts/{account_id}"), Some(&token)).await;
    assert_eq!(detail_view["activities"][0]["activity_id"], id, "{detail_view}");

    // Defaults: planned, assigned to the caller.
    let note = created(&app, &token, "/activities", json!({"subject": "A note", "activity_type": "note"})).await;
    assert_eq!(note["status"], "planned");
    assert_eq!(note["assigned_to"], me);

    let (_, list) = app.get("/activities", Some(&token)).await;
    assert_eq!(list["count"], 2, "the refused one was not stored: {list}");
}

async fn create_rejects_bad_input(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let (account_id, contact_id) = account_and_contact(&app, &token).await;
    let with = |key: &str, value: Value| {
        let mut body = discovery_call(&account_id, &contact_id, &me);
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("end_time", json!("2024-01-15T13:59:00Z")), "end_time"),
        (with("end_time", json!("2024-01-15T15:30:00+02:00")), "end_time"), // 13:30 UTC
        (with("start_time", json!("after lunch")), "start_time"),
        (with("activity_type", json!("fax")), "activity_type"),
        (with("status", json!("done")), "status"),
        (with("priority", json!("critical")), "priority"),
        (with("duration_minutes", json!(-30)), "duration_minutes"),
        (with("account_id", json!("ACC_ZZZZZZZZ")), "account_id"),
        (with("contact_id", json!("CON_ZZZZZZZZ")), "contact_id"),
        (with("opportunity_id", json!("OPP_ZZZZZZZZ")), "opportunity_id"),
        (with("lead_id", json!("LEAD_ZZZZZZZZ")), "lead_id"),
        (with("subject", json!("")), "subject"),
        (with("activity_id", json!("ACT_AAAAAAAA")), "activity_id"),
    ] {
        let (status, response) = app.post("/activities", Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    let (_, list) = app.get("/activities", Some(&token)).await;
    assert_eq!(list["count"], 0, "nothing was stored: {list}");

    // An end time equal to the start is fine (a zero-length note).
    let mut same = with("end_time", json!("2024-01-15T14:00:00Z"));
    same["duration_minutes"] = json!(0);
    created(&app, &token, "/activities", same).await;
}

async fn lists_filter_by_type_status_assignee_and_links(app: TestApp) {
    let admin = app.admin_token().await;
    let user = app.user_token("user").await;
    let user_id = user_id(&app, &user).await;
    let a = created(&app, &admin, "/accounts", json!({"name": "Alpha"})).await["account_id"].clone();
    let b = created(&app, &admin, "/accounts", json!({"name": "Beta"})).await["account_id"].clone();
    let opportunity =
        created(&app, &admin, "/opportunities", json!({"account_id": a, "name": "Deal"})).await["opportunity_id"]
            .clone();
    let lead = created(&app, &admin, "/leads", json!({"first_name": "L", "last_name": "Ead"})).await["lead_id"].clone();
    for (subject, kind, status, links, assignee) in [
        ("a1", "call", "completed", json!({"account_id": a}), None),
        ("a2", "email", "planned", json!({"account_id": a, "opportunity_id": opportunity}), Some(&user_id)),
        ("a3", "meeting", "planned", json!({"lead_id": lead}), None),
        ("a4", "note", "cancelled", json!({"account_id": b}), Some(&user_id)),
        ("a5", "visit", "planned", json!({"account_id": b, "opportunity_id": opportunity}), None),
    ] {
        let mut body = json!({"subject": subject, "activity_type": kind, "status": status, "assigned_to": assignee});
        for (key, value) in links.as_object().unwrap() {
            body[key] = value.clone();
        }
        created(&app, &admin, "/activities", body).await;
    }
    let (a, b, opportunity, lead) =
        (a.as_str().unwrap(), b.as_str().unwrap(), opportunity.as_str().unwrap(), lead.as_str().unwrap());
    let subjects = |body: &Value| sorted(body, "activities", "subject");
    for (token, query, expected) in [
        (&admin, "activity_type=email".to_owned(), vec!["a2"]),
        (&admin, "activity_type=task".to_owned(), vec![]),
        (&admin, "status=planned".to_owned(), vec!["a2", "a3", "a5"]),
        (&admin, "status=cancelled".to_owned(), vec!["a4"]),
        (&admin, format!("assigned_to={user_id}"), vec!["a2", "a4"]),
        (&admin, "assigned_to=me".to_owned(), vec!["a1", "a3", "a5"]),
        (&user, "assigned_to=me".to_owned(), vec!["a2", "a4"]),
        (&admin, format!("account_id={a}"), vec!["a1", "a2"]),
        (&admin, format!("account_id={b}"), vec!["a4", "a5"]),
        (&admin, format!("opportunity_id={opportunity}"), vec!["a2", "a5"]),
        (&admin, format!("lead_id={lead}"), vec!["a3"]),
        (&admin, format!("status=planned&assigned_to={user_id}"), vec!["a2"]),
        (&admin, format!("account_id={a}&activity_type=call&status=completed"), vec!["a1"]),
        (&admin, format!("opportunity_id={opportunity}&account_id={b}&status=planned"), vec!["a5"]),
        (&admin, format!("lead_id={lead}&status=completed"), vec![]),
    ] {
        let (status, body) = app.get(&format!("/activities?{query}"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(subjects(&body), expected, "{query}");
    }

    for bad in ["activity_type=fax", "status=done", "lead_id=ACC_AAAAAAAA", "opportunity_id=x", "type=call"] {
        let (status, body) = app.get(&format!("/activities?{bad}"), Some(&admin)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let name = bad.split('=').next().unwrap();
        assert!(detail(&body).starts_with(name), "{bad}: {body}");
    }
}

async fn complete_with_and_without_a_body(app: TestApp) {
    let admin = app.admin_token().await;
    let planned = created(
        &app,
        &admin,
        "/activities",
        json!({"subject": "Client meeting", "activity_type": "meeting", "priority": "medium",
               "start_time": "2024-02-01T10:00:00Z"}),
    )
    .await;
    let path = format!("/activities/{}/complete", planned["activity_id"].as_str().unwrap());

    // The contract's body.
    let (status, done) = app
        .json(
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"outcome": "Successful meeting, client interested", "next_steps": "Follow up with proposal"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "completed");
    assert_eq!(done["outcome"], "Successful meeting, client interested");
    assert_eq!(done["next_steps"], "Follow up with proposal");
    assert_eq!(done["version"], planned["version"].as_i64().unwrap() + 1);
    for key in ["subject", "activity_type", "priority", "start_time", "assigned_to", "created_at"] {
        assert_eq!(done[key], planned[key], "{key} is untouched");
    }
    let (_, read) = app.get(&format!("/activities/{}", planned["activity_id"].as_str().unwrap()), Some(&admin)).await;
    assert_eq!(read, done);

    // No body at all.
    let call = created(&app, &admin, "/activities", json!({"subject": "Quick call", "activity_type": "call"})).await;
    let call_path = format!("/activities/{}/complete", call["activity_id"].as_str().unwrap());
    let (status, done) = app.json("PUT", &call_path, Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "completed");
    assert!(done["outcome"].is_null() && done["next_steps"].is_null(), "{done}");
    // Completing again with only an outcome keeps the status and adds the outcome.
    let (status, again) = app.json("PUT", &call_path, Some(&admin), Some(json!({"outcome": "Voicemail"}))).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["outcome"], "Voicemail");
    assert!(again["next_steps"].is_null());

    let (status, body) = app.json("PUT", &call_path, Some(&admin), Some(json!({"result": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).contains("result"));
    let (status, body) = app.json("PUT", "/activities/ACT_ZZZZZZZZ/complete", Some(&admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    detail(&body);

    // Only the assignee (or a manager) completes it; a viewer never.
    let open = created(&app, &admin, "/activities", json!({"subject": "Open", "activity_type": "task"})).await;
    let open_path = format!("/activities/{}/complete", open["activity_id"].as_str().unwrap());
    let user = app.user_token("user").await;
    let (status, body) = app.json("PUT", &open_path, Some(&user), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let viewer = app.user_token("viewer").await;
    let (status, _) = app.json("PUT", &open_path, Some(&viewer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, still) = app.get(&format!("/activities/{}", open["activity_id"].as_str().unwrap()), Some(&admin)).await;
    assert_eq!(still["status"], "planned");
    let (_, completed) = app.get("/activities?status=completed", Some(&admin)).await;
    assert_eq!(completed["count"], 2);
}
