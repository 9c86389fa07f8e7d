//! The OWASP API Security Top 10 (2023), walked over this API:
//!
//! - API1 (object level authorization): every id route × owner / other user under
//!   `LANES_USER_VISIBILITY=own` (the other user's ids answer 404, like ids that do not exist);
//! - API2 (authentication): token tampering is in `auth.rs`; here a token whose role claim was
//!   re-signed upward still acts with the role the database holds;
//! - API3 (object property level authorization): mass assignment of every server-owned field on
//!   every write;
//! - API5 (function level authorization): every documented route × every role, with the status
//!   class each role must get.
//!
//! The route tables below are checked against `/openapi.json`: a documented operation without an
//! entry fails the test, so a new route cannot ship without its expected permissions.

use std::collections::BTreeMap;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    engines_with_settings,
    helpers::{Engine, JWT_SECRET, TestApp, body_json},
};

engines_with_settings!(
    every_route_answers_each_role_as_documented,
    other_users_records_are_invisible_under_own_visibility,
    server_owned_fields_cannot_be_set,
    a_re_signed_role_claim_grants_nothing,
);

/// Budgets high enough that the matrix never meets the rate limiter.
const NO_LIMITS: (&str, &str) =
    ("LANES_RATE_LIMITS", "admin=100000,manager=100000,user=100000,viewer=100000,anonymous=100000");
const NO_EXPENSIVE_LIMITS: (&str, &str) =
    ("LANES_RATE_LIMITS_EXPENSIVE", "admin=100000,manager=100000,user=100000,viewer=100000");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Anonymous,
    Viewer,
    User,
    Manager,
    Admin,
}

const ROLES: [Role; 5] = [Role::Anonymous, Role::Viewer, Role::User, Role::Manager, Role::Admin];

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Everyone, signed in or not.
    Public,
    /// Every signed-in role.
    Reader,
    /// Every role that writes: admin, manager, user.
    Writer,
    /// Changes a record: admin and manager always, a user only on their own records.
    Holder,
    /// Admins only.
    Admin,
    /// Only the user it is for; to anyone else it does not exist (404).
    Recipient,
}

/// The records one user owns, made fresh where a request consumes them.
#[derive(Debug, Clone, Default)]
struct Records {
    account: String,
    contact: String,
    lead: String,
    opportunity: String,
    activity: String,
    task: String,
    order: String,
    notification: String,
    document: String,
    user: String,
}

struct Caller {
    role: Role,
    token: Option<String>,
}

/// One request: method, path, and an optional body with its content type.
struct Call {
    method: &'static str,
    path: String,
    body: Option<(&'static str, String)>,
}

fn json_call(method: &'static str, path: String, body: Value) -> Call {
    Call { method, path, body: Some(("application/json", body.to_string())) }
}

fn bare(method: &'static str, path: String) -> Call {
    Call { method, path, body: None }
}

/// Every documented operation: its rule, and a valid request against `r` (the target's records).
/// A unique `n` keeps names and emails apart between calls.
fn operation(method: &str, path: &str, r: &Records, n: usize) -> Option<(Rule, Call)> {
    use Rule::*;
    let email = format!("matrix-{n}@test.example");
    let spec = match (method, path) {
        ("get", "/health") => (Public, bare("GET", "/health".into())),
        ("get", "/livez") => (Public, bare("GET", "/livez".into())),
        ("post", "/auth/login") => (
            Public,
            json_call(
                "POST",
                "/auth/login".into(),
                json!({"email": crate::helpers::ADMIN_EMAIL, "password": crate::helpers::ADMIN_PASSWORD}),
            ),
        ),
        ("post", "/auth/register") => (
            Admin,
            json_call("POST", path.into(), json!({"email": email, "password": "a-long-password-1", "role": "user"})),
        ),
        ("get", "/auth/me") => (Reader, bare("GET", path.into())),
        ("get", "/users") => (Admin, bare("GET", path.into())),
        ("patch", "/users/{id}") => {
            (Admin, json_call("PATCH", format!("/users/{}", r.user), json!({"role": "viewer"})))
        }

        ("get", "/accounts") => (Reader, bare("GET", path.into())),
        ("post", "/accounts") => (Writer, json_call("POST", path.into(), json!({"name": format!("Matrix {n}")}))),
        ("get", "/accounts/{id}") => (Reader, bare("GET", format!("/accounts/{}", r.account))),
        ("patch", "/accounts/{id}") => {
            (Holder, json_call("PATCH", format!("/accounts/{}", r.account), json!({"industry": "Freight"})))
        }
        ("delete", "/accounts/{id}") => (Holder, bare("DELETE", format!("/accounts/{}", r.account))),

        ("get", "/contacts") => (Reader, bare("GET", path.into())),
        ("post", "/contacts") => (
            Writer,
            json_call(
                "POST",
                path.into(),
                json!({"account_id": r.account, "first_name": "Ann", "last_name": "Lee", "email": email}),
            ),
        ),
        ("get", "/contacts/{id}") => (Reader, bare("GET", format!("/contacts/{}", r.contact))),
        ("patch", "/contacts/{id}") => {
            (Holder, json_call("PATCH", format!("/contacts/{}", r.contact), json!({"title": "Buyer"})))
        }
        ("delete", "/contacts/{id}") => (Holder, bare("DELETE", format!("/contacts/{}", r.contact))),

        ("get", "/leads") => (Reader, bare("GET", path.into())),
        ("post", "/leads") => (
            Writer,
            json_call(
                "POST",
                path.into(),
                json!({"first_name": "Lee", "last_name": "Ng", "company": format!("Lead Co {n}")}),
            ),
        ),
        ("get", "/leads/{id}") => (Reader, bare("GET", format!("/leads/{}", r.lead))),
        ("patch", "/leads/{id}") => {
            (Holder, json_call("PATCH", format!("/leads/{}", r.lead), json!({"need": "Pallets"})))
        }
        ("delete", "/leads/{id}") => (Holder, bare("DELETE", format!("/leads/{}", r.lead))),
        ("post", "/leads/{id}/convert") => (Holder, json_call("POST", format!("/leads/{}/convert", r.lead), json!({}))),

        ("get", "/opportunities") => (Reader, bare("GET", path.into())),
        ("post", "/opportunities") => (
            Writer,
            json_call(
                "POST",
                path.into(),
                json!({"account_id": r.account, "name": format!("Deal {n}"), "amount": 1000.0}),
            ),
        ),
        ("get", "/opportunities/{id}") => (Reader, bare("GET", format!("/opportunities/{}", r.opportunity))),
        ("patch", "/opportunities/{id}") => {
            (Holder, json_call("PATCH", format!("/opportunities/{}", r.opportunity), json!({"amount": 2000.0})))
        }
        ("delete", "/opportunities/{id}") => (Holder, bare("DELETE", format!("/opportunities/{}", r.opportunity))),
        ("put", "/opportunities/{id}/stage") => (
            Holder,
            json_call("PUT", format!("/opportunities/{}/stage", r.opportunity), json!({"stage": "qualification"})),
        ),
        ("get", "/opportunities/{id}/history") => {
            (Reader, bare("GET", format!("/opportunities/{}/history", r.opportunity)))
        }

        ("get", "/activities") => (Reader, bare("GET", path.into())),
        ("post", "/activities") => (
            Writer,
            json_call(
                "POST",
                path.into(),
                json!({"activity_type": "call", "subject": format!("Call {n}"), "account_id": r.account}),
            ),
        ),
        ("get", "/activities/{id}") => (Reader, bare("GET", format!("/activities/{}", r.activity))),
        ("patch", "/activities/{id}") => {
            (Holder, json_call("PATCH", format!("/activities/{}", r.activity), json!({"description": "Notes"})))
        }
        ("delete", "/activities/{id}") => (Holder, bare("DELETE", format!("/activities/{}", r.activity))),
        ("put", "/activities/{id}/complete") => (
            Holder,
            json_call("PUT", format!("/activities/{}/complete", r.activity), json!({"outcome": "Reached them"})),
        ),

        ("get", "/tasks") => (Reader, bare("GET", path.into())),
        ("post", "/tasks") => (Writer, json_call("POST", path.into(), json!({"title": format!("Task {n}")}))),
        ("get", "/tasks/{id}") => (Reader, bare("GET", format!("/tasks/{}", r.task))),
        ("patch", "/tasks/{id}") => {
            (Holder, json_call("PATCH", format!("/tasks/{}", r.task), json!({"priority": "high"})))
        }
        ("delete", "/tasks/{id}") => (Holder, bare("DELETE", format!("/tasks/{}", r.task))),
        ("put", "/tasks/{id}/complete") => (Holder, bare("PUT", format!("/tasks/{}/complete", r.task))),

        ("get", "/account/view/{id}") => (Reader, bare("GET", format!("/account/view/{}", r.account))),
        ("get", "/lead/pipeline") => (Reader, bare("GET", path.into())),
        ("get", "/opportunity/status") => (Reader, bare("GET", path.into())),
        ("get", "/dashboard/crm") => (Reader, bare("GET", path.into())),
        ("get", "/dashboard/account/{id}") => (Reader, bare("GET", format!("/dashboard/account/{}", r.account))),

        ("get", "/orders") => (Reader, bare("GET", path.into())),
        ("get", "/orders/{id}") => (Reader, bare("GET", format!("/orders/{}", r.order))),
        ("patch", "/orders/{id}/status") => {
            (Holder, json_call("PATCH", format!("/orders/{}/status", r.order), json!({"status": "confirmed"})))
        }
        ("post", "/integrations/bos/order") => (
            Holder,
            json_call(
                "POST",
                path.into(),
                json!({"opportunity_id": r.opportunity, "order_details": {"product_id": "PKG_1", "quantity": 1}}),
            ),
        ),

        ("post", "/integrations/google-maps/visit") => (
            Writer,
            json_call(
                "POST",
                path.into(),
                json!({"account_id": r.account, "purpose": "Matrix visit", "scheduled_time": "2030-01-20T14:00:00Z"}),
            ),
        ),
        ("post", "/visits/plan-day") => (Writer, json_call("POST", path.into(), json!({"date": "2030-01-20"}))),
        ("post", "/integrations/office365/email") => (
            Writer,
            json_call(
                "POST",
                path.into(),
                json!({"to_email": email, "subject": format!("Mail {n}"), "body": "<p>Hi</p>", "account_id": r.account}),
            ),
        ),
        ("post", "/documents") => {
            let body = crate::office365::multipart(&format!("matrix-{n}.txt"), "text/plain", b"matrix");
            let body = String::from_utf8(body).expect("utf-8");
            (Writer, Call { method: "POST", path: path.into(), body: Some((crate::office365::MULTIPART, body)) })
        }
        ("get", "/documents/{id}") => (Reader, bare("GET", format!("/documents/{}", r.document))),
        ("get", "/documents/{id}/content") => (Reader, bare("GET", format!("/documents/{}/content", r.document))),
        ("post", "/llm_query") => {
            (Reader, json_call("POST", path.into(), json!({"query": "How many open deals close this month?"})))
        }

        ("get", "/notifications") => (Reader, bare("GET", path.into())),
        ("put", "/notifications/{id}/read") => {
            (Recipient, bare("PUT", format!("/notifications/{}/read", r.notification)))
        }
        ("put", "/notifications/read-all") => (Reader, bare("PUT", path.into())),

        ("get", "/accounts/export.csv" | "/contacts/export.csv" | "/leads/export.csv") => {
            (Reader, bare("GET", path.into()))
        }
        ("post", "/accounts/import") => (
            Writer,
            Call { method: "POST", path: path.into(), body: Some(("text/csv", format!("name\nImported {n}\n"))) },
        ),
        ("post", "/contacts/import") => (
            Writer,
            Call {
                method: "POST",
                path: path.into(),
                body: Some(("text/csv", format!("first_name,last_name\nImp,Orted{n}\n"))),
            },
        ),
        ("post", "/leads/import") => (
            Writer,
            Call {
                method: "POST",
                path: path.into(),
                body: Some(("text/csv", format!("first_name,last_name\nLead,Imp{n}\n"))),
            },
        ),
        _ => return None,
    };
    Some(spec)
}

/// What a role must get from an operation under `rule`, when acting on records of `owner`.
fn expectation(rule: Rule, role: Role, owner: Role) -> Expect {
    match (rule, role) {
        (Rule::Public, _) => Expect::Allowed,
        (_, Role::Anonymous) => Expect::Status(401),
        (Rule::Reader, _) => Expect::Allowed,
        (Rule::Writer | Rule::Holder, Role::Viewer) => Expect::Status(403),
        (Rule::Writer, _) => Expect::Allowed,
        (Rule::Holder, Role::User) if owner != Role::User => Expect::Status(403),
        (Rule::Holder, _) => Expect::Allowed,
        (Rule::Admin, Role::Admin) => Expect::Allowed,
        (Rule::Admin, _) => Expect::Status(403),
        (Rule::Recipient, _) if role == owner => Expect::Allowed,
        (Rule::Recipient, _) => Expect::Status(404),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A 2xx (or 503 for an integration this server has not configured).
    Allowed,
    Status(u16),
}

async fn send(app: &TestApp, caller: &Caller, call: &Call) -> (u16, Value) {
    let mut request = Request::builder().method(call.method).uri(&call.path);
    if let Some(token) = &caller.token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match &call.body {
        Some((content_type, body)) => {
            request.header(header::CONTENT_TYPE, *content_type).body(Body::from(body.clone()))
        }
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = app.send(request).await;
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

async fn created_id(app: &TestApp, token: &str, path: &str, body: Value, id: &str) -> String {
    let (status, body) = app.post(path, Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
    body[id].as_str().unwrap_or_else(|| panic!("{id} in {body}")).to_owned()
}

/// A full set of records owned by (or assigned to) the holder of `token`.
async fn records_of(app: &TestApp, token: &str, user_id: &str, n: usize) -> Records {
    let account =
        created_id(app, token, "/accounts", json!({"name": format!("Owned {n}"), "city": "Oslo"}), "account_id").await;
    let contact = created_id(
        app,
        token,
        "/contacts",
        json!({"account_id": account, "first_name": "Kari", "last_name": format!("Nordmann{n}")}),
        "contact_id",
    )
    .await;
    let lead = created_id(
        app,
        token,
        "/leads",
        json!({"first_name": "Ola", "last_name": format!("Lead{n}"), "company": format!("Lead Owned {n}")}),
        "lead_id",
    )
    .await;
    let opportunity = created_id(
        app,
        token,
        "/opportunities",
        json!({"account_id": account, "name": format!("Owned deal {n}"), "amount": 5000.0}),
        "opportunity_id",
    )
    .await;
    let ordered = created_id(
        app,
        token,
        "/opportunities",
        json!({"account_id": account, "name": format!("Ordered deal {n}"), "amount": 900.0}),
        "opportunity_id",
    )
    .await;
    let (status, body) = app
        .post(
            "/integrations/bos/order",
            Some(token),
            json!({"opportunity_id": ordered, "order_details": {"product_id": "PKG_1"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let order = body["order_id"].as_str().expect("order_id").to_owned();
    let activity = created_id(
        app,
        token,
        "/activities",
        json!({"activity_type": "meeting", "subject": format!("Owned meeting {n}"), "account_id": account}),
        "activity_id",
    )
    .await;
    let task = created_id(
        app,
        token,
        "/tasks",
        json!({"title": format!("Owned task {n}"), "account_id": account, "reminder_date": "2020-01-01T08:00:00Z"}),
        "task_id",
    )
    .await;
    app::server::reminders::fire_due(&app.state).await.expect("reminders");
    let (_, notes) = app.get("/notifications?limit=200", Some(token)).await;
    let notification = notes["notifications"]
        .as_array()
        .and_then(|list| list.iter().find(|note| note["task_id"] == task.as_str()))
        .and_then(|note| note["notification_id"].as_str())
        .unwrap_or_else(|| panic!("a reminder notification for {task}: {notes}"))
        .to_owned();
    let (status, document) = crate::office365::upload(app, token, &format!("owned-{n}.txt"), b"owned").await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    let document = document["document_id"].as_str().expect("document_id").to_owned();
    Records {
        account,
        contact,
        lead,
        opportunity,
        activity,
        task,
        order,
        notification,
        document,
        user: user_id.to_owned(),
    }
}

struct World {
    callers: BTreeMap<Role, Caller>,
    user_ids: BTreeMap<Role, String>,
}

async fn world(app: &TestApp) -> World {
    let mut callers = BTreeMap::new();
    let mut user_ids = BTreeMap::new();
    callers.insert(Role::Anonymous, Caller { role: Role::Anonymous, token: None });
    for (role, name) in [(Role::Viewer, "viewer"), (Role::User, "user"), (Role::Manager, "manager")] {
        let token = app.user_token(name).await;
        let (_, me) = app.get("/auth/me", Some(&token)).await;
        user_ids.insert(role, me["user_id"].as_str().expect("user_id").to_owned());
        callers.insert(role, Caller { role, token: Some(token) });
    }
    let admin = app.admin_token().await;
    let (_, me) = app.get("/auth/me", Some(&admin)).await;
    user_ids.insert(Role::Admin, me["user_id"].as_str().expect("user_id").to_owned());
    callers.insert(Role::Admin, Caller { role: Role::Admin, token: Some(admin) });
    World { callers, user_ids }
}

/// Every documented (method, path), from the OpenAPI document the server serves.
async fn documented_operations(app: &TestApp) -> Vec<(String, String)> {
    let (status, doc) = app.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                operations.push((method.to_owned(), path.clone()));
            }
        }
    }
    operations
}

async fn every_route_answers_each_role_as_documented(engine: Engine) {
    // Office 365 answers every call with a token and a message id.
    let microsoft = crate::standin::StandIn::start(crate::standin::Reply::json(
        200,
        json!({"access_token": "matrix-token", "expires_in": 3600, "id": "AAMk-matrix"}),
    ))
    .await;
    let app = engine
        .app_with(&[
            NO_LIMITS,
            NO_EXPENSIVE_LIMITS,
            ("LANES_O365_TENANT_ID", "matrix-tenant"),
            ("LANES_O365_CLIENT_ID", "matrix-client"),
            ("LANES_O365_CLIENT_SECRET", "matrix-secret"),
            ("LANES_O365_SENDER", "matrix@lanes.example"),
            ("LANES_O365_LOGIN_URL", microsoft.url.as_str()),
            ("LANES_O365_GRAPH_URL", microsoft.url.as_str()),
        ])
        .await;
    let world = world(&app).await;
    let admin_token = world.callers[&Role::Admin].token.clone().expect("admin");
    let user_token = world.callers[&Role::User].token.clone().expect("user");
    let operations = documented_operations(&app).await;
    assert!(operations.len() >= 59, "the document lists {} operations", operations.len());

    let undescribed: Vec<String> = operations
        .iter()
        .filter(|(m, p)| operation(m, p, &Records::default(), 0).is_none())
        .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(undescribed.is_empty(), "documented routes without an expected permission here: {undescribed:?}");

    let mut failures = Vec::new();
    let mut n = 0;
    // Records owned by the admin (others' records, for a user) and by the user (their own).
    let mut shared_admin = None;
    let mut shared_user = None;
    for (method, path) in &operations {
        let is_read = method == "get";
        for role in ROLES {
            for owner in [Role::Admin, Role::User] {
                let (rule, _) = operation(method, path, &Records::default(), 0).expect("described");
                // Only record changes depend on who owns the record.
                if owner == Role::User && !matches!(rule, Rule::Holder) {
                    continue;
                }
                n += 1;
                let records = if is_read {
                    let slot = if owner == Role::Admin { &mut shared_admin } else { &mut shared_user };
                    if slot.is_none() {
                        let (token, id) = if owner == Role::Admin {
                            (&admin_token, &world.user_ids[&Role::Admin])
                        } else {
                            (&user_token, &world.user_ids[&Role::User])
                        };
                        *slot = Some(records_of(&app, token, id, n).await);
                    }
                    slot.clone().expect("records")
                } else {
                    // Writes consume their target: fresh records every time. The user to change
                    // is always a fresh one (an admin may not demote themselves).
                    let token = if owner == Role::Admin { &admin_token } else { &user_token };
                    let mut records = records_of(&app, token, &world.user_ids[&owner], n).await;
                    if path == "/users/{id}" {
                        let target = app.user_token("user").await;
                        let (_, me) = app.get("/auth/me", Some(&target)).await;
                        records.user = me["user_id"].as_str().expect("user_id").to_owned();
                    }
                    records
                };
                let (_, call) = operation(method, path, &records, n).expect("described");
                let caller = &world.callers[&role];
                let (status, body) = send(&app, caller, &call).await;
                let expected = expectation(rule, caller.role, owner);
                let ok = match expected {
                    Expect::Allowed => (200..300).contains(&status),
                    Expect::Status(code) => status == code,
                };
                if !ok {
                    failures.push(format!(
                        "{} {} as {:?} on {:?}'s records: expected {expected:?}, got {status} {body}",
                        call.method, call.path, role, owner
                    ));
                }
                if let Expect::Status(_) = expected {
                    // A refusal is the contract's error shape, never a partial answer.
                    if body.get("detail").and_then(Value::as_str).is_none_or(str::is_empty) {
                        failures
                            .push(format!("{} {path} as {role:?}: a refusal without a detail: {body}", call.method));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} calls answered wrongly:\n{}", failures.len(), failures.join("\n"));
}

async fn other_users_records_are_invisible_under_own_visibility(engine: Engine) {
    let app = engine.app_with(&[NO_LIMITS, NO_EXPENSIVE_LIMITS, ("LANES_USER_VISIBILITY", "own")]).await;
    let owner_token = app.user_token("user").await;
    let other_token = app.user_token("user").await;
    let viewer_token = app.user_token("viewer").await;
    let (_, owner) = app.get("/auth/me", Some(&owner_token)).await;
    let records = records_of(&app, &owner_token, owner["user_id"].as_str().expect("id"), 1).await;

    let reads = [
        format!("/accounts/{}", records.account),
        format!("/contacts/{}", records.contact),
        format!("/leads/{}", records.lead),
        format!("/opportunities/{}", records.opportunity),
        format!("/opportunities/{}/history", records.opportunity),
        format!("/activities/{}", records.activity),
        format!("/tasks/{}", records.task),
        format!("/orders/{}", records.order),
        format!("/account/view/{}", records.account),
        format!("/dashboard/account/{}", records.account),
        format!("/documents/{}", records.document),
        format!("/documents/{}/content", records.document),
    ];
    for path in &reads {
        let (status, body) = app.get(path, Some(&owner_token)).await;
        assert_eq!(status, StatusCode::OK, "the owner reads {path}: {body}");
        for (who, token) in [("another user", &other_token), ("a viewer", &viewer_token)] {
            let (status, body) = app.get(path, Some(token)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who} must not see {path}: {body}");
            assert!(body["detail"].is_string(), "{body}");
        }
    }
    // Writes on invisible records are 404s too (not 403s, which would confirm the id exists).
    let writes = [
        ("PATCH", format!("/accounts/{}", records.account), json!({"industry": "Spying"})),
        ("PATCH", format!("/contacts/{}", records.contact), json!({"title": "Spy"})),
        ("PUT", format!("/opportunities/{}/stage", records.opportunity), json!({"stage": "closed_lost"})),
        ("PUT", format!("/activities/{}/complete", records.activity), json!({})),
        ("PUT", format!("/notifications/{}/read", records.notification), json!({})),
        ("DELETE", format!("/tasks/{}", records.task), Value::Null),
        (
            "POST",
            "/integrations/google-maps/visit".to_owned(),
            json!({"account_id": records.account, "purpose": "Spying", "scheduled_time": "2030-01-20T14:00:00Z"}),
        ),
    ];
    for (method, path, body) in &writes {
        let body = if body.is_null() { None } else { Some(body.clone()) };
        let (status, answer) = app.json(method, path, Some(&other_token), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path} by another user: {answer}");
    }
    // Lists, boards, dashboards and exports leave the owner's records out.
    for path in ["/accounts", "/contacts", "/leads", "/opportunities", "/activities", "/tasks", "/orders"] {
        let (status, body) = app.get(path, Some(&other_token)).await;
        assert_eq!(status, StatusCode::OK);
        let key = path.trim_start_matches('/');
        assert_eq!(body[key].as_array().map(Vec::len), Some(0), "{path} as another user: {body}");
    }
    let (_, board) = app.get("/opportunity/status", Some(&other_token)).await;
    assert!(!board.to_string().contains(&records.opportunity), "{board}");
    let (_, pipeline) = app.get("/lead/pipeline", Some(&other_token)).await;
    assert!(!pipeline.to_string().contains(&records.lead), "{pipeline}");
    let (_, dashboard) = app.get("/dashboard/crm", Some(&other_token)).await;
    assert!(!dashboard.to_string().contains("Owned"), "{dashboard}");
    let response = app
        .send(
            Request::get("/accounts/export.csv")
                .header(header::AUTHORIZATION, format!("Bearer {other_token}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let csv = crate::helpers::body_text(response).await;
    assert!(!csv.contains(&records.account), "{csv}");
    // Nor can another user hang their records on an account they cannot see.
    let (status, body) = app
        .post(
            "/contacts",
            Some(&other_token),
            json!({"account_id": records.account, "first_name": "Sly", "last_name": "Attach"}),
        )
        .await;
    assert!(matches!(status.as_u16(), 400 | 404), "{status} {body}");
    let (_, still) = app.get(&format!("/accounts/{}", records.account), Some(&other_token)).await;
    assert!(still["detail"].is_string(), "the account stays invisible: {still}");
}

/// Fields of a record's answer that its create body does not accept: the server owns them.
fn server_owned(doc: &Value, record: &str, input: &str) -> Vec<String> {
    let props = |name: &str| -> Vec<String> {
        doc["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("schema {name}"))
            .keys()
            .cloned()
            .collect()
    };
    let accepted = props(input);
    props(record).into_iter().filter(|field| !accepted.contains(field)).collect()
}

/// A value of the right JSON type for a field, so a refusal is about the field, not its type.
fn forged_value(field: &str, sample: &Value) -> Value {
    match sample {
        Value::Bool(b) => json!(!b),
        Value::Number(_) => json!(987654),
        Value::Null if field.ends_with("_at") || field.ends_with("_date") => json!("2001-01-01T00:00:00Z"),
        _ if field.ends_with("_id") => json!("ZZZ_FORGED01"),
        _ if field.ends_with("_at") || field.ends_with("_date") => json!("2001-01-01T00:00:00Z"),
        _ => json!("forged"),
    }
}

async fn server_owned_fields_cannot_be_set(engine: Engine) {
    let app = engine.app_with(&[NO_LIMITS, NO_EXPENSIVE_LIMITS]).await;
    let token = app.user_token("user").await;
    let (_, me) = app.get("/auth/me", Some(&token)).await;
    let records = records_of(&app, &token, me["user_id"].as_str().expect("id"), 1).await;
    let (_, doc) = app.get("/openapi.json", None).await;

    // (collection, record schema, create schema, patch schema, a valid create body, the record's id)
    let kinds = [
        ("/accounts", "Account", "AccountInput", "AccountPatch", json!({"name": "Mass Co"}), &records.account),
        (
            "/contacts",
            "Contact",
            "ContactInput",
            "ContactPatch",
            json!({"first_name": "Mass", "last_name": "Assign"}),
            &records.contact,
        ),
        ("/leads", "Lead", "LeadInput", "LeadPatch", json!({"first_name": "Mass", "last_name": "Lead"}), &records.lead),
        (
            "/opportunities",
            "Opportunity",
            "OpportunityInput",
            "OpportunityPatch",
            json!({"account_id": records.account, "name": "Mass deal", "amount": 100.0}),
            &records.opportunity,
        ),
        (
            "/activities",
            "Activity",
            "ActivityInput",
            "ActivityPatch",
            json!({"activity_type": "note", "subject": "Mass note"}),
            &records.activity,
        ),
        ("/tasks", "Task", "TaskInput", "TaskPatch", json!({"title": "Mass task"}), &records.task),
    ];
    let mut checked = 0;
    for (collection, record, input, patch, body, id) in kinds {
        let owned = server_owned(&doc, record, input);
        assert!(owned.iter().any(|f| f == "version") && owned.iter().any(|f| f == "created_at"), "{record}: {owned:?}");
        let (_, current) = app.get(&format!("{collection}/{id}"), Some(&token)).await;
        for field in owned {
            let forged = forged_value(&field, &current[&field]);
            // On create: refused, or ignored (the stored record does not carry the forged value).
            let mut with_field = body.clone();
            with_field[&field] = forged.clone();
            let (status, answer) = app.post(collection, Some(&token), with_field).await;
            match status.as_u16() {
                400 => assert!(answer["detail"].as_str().is_some_and(|d| d.contains(&field)), "{field}: {answer}"),
                201 => assert_ne!(answer[&field], forged, "POST {collection} took the server-owned {field}"),
                other => panic!("POST {collection} with {field}: {other} {answer}"),
            }
            // On PATCH: the same, when the patch schema does not list it.
            let patchable = doc["components"]["schemas"][patch]["properties"].get(&field).is_some();
            if !patchable {
                let (status, answer) = app
                    .json("PATCH", &format!("{collection}/{id}"), Some(&token), Some(json!({ &field: forged })))
                    .await;
                match status.as_u16() {
                    400 => {}
                    200 => assert_ne!(answer[&field], forged, "PATCH {collection} took the server-owned {field}"),
                    other => panic!("PATCH {collection} with {field}: {other} {answer}"),
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} server-owned fields were tried");

    // A user cannot give themselves a role or reactivate anyone: /users/{id} is admin-only, and
    // registration takes no extra fields.
    let (status, _) = app
        .json(
            "PATCH",
            &format!("/users/{}", me["user_id"].as_str().expect("id")),
            Some(&token),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.admin_token().await;
    let (status, body) = app
        .post(
            "/auth/register",
            Some(&admin),
            json!({"email": "extra@test.example", "password": "a-long-password-1", "role": "user", "is_active": false, "user_id": "USR_FORGED01"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

async fn a_re_signed_role_claim_grants_nothing(engine: Engine) {
    let app = engine.app_with(&[]).await;
    let viewer = app.user_token("viewer").await;
    let (_, me) = app.get("/auth/me", Some(&viewer)).await;
    let now = chrono::Utc::now().timestamp();
    // A token with a valid signature that claims more than the database says (as if the secret
    // had signed an old role): the stored role wins.
    let claims = json!({"sub": me["user_id"], "role": "admin", "iat": now, "exp": now + 600});
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()).expect("key"),
    )
    .expect("sign");
    let (status, body) = app.get("/auth/me", Some(&forged)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["role"], "viewer", "{body}");
    let (status, body) = app.post("/accounts", Some(&forged), json!({"name": "Escalated"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = app.get("/users", Some(&forged)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
