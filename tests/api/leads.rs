//! Leads over REST: the contract's example, list filters, validation, and conversion into an
//! account, a contact and an opportunity — all of it or nothing, once.

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
    lists_filter_by_status_source_assignee_and_conversion,
    create_rejects_bad_input,
    convert_with_the_contract_body_onto_an_account,
    convert_without_an_account_creates_account_and_contact,
    convert_links_the_existing_account_and_contact,
    converting_twice_is_a_conflict_and_creates_nothing,
    conversion_moves_the_leads_activities_to_the_opportunity,
    a_failed_conversion_changes_nothing,
    only_writers_who_hold_the_lead_convert_it,
);

/// The contract's `POST /leads` example.
pub fn jane_doe() -> Value {
    json!({
        "first_name": "Jane",
        "last_name": "Doe",
        "company": "StartupXYZ",
        "title": "CEO",
        "email": "jane.doe@startupxyz.com",
        "phone": "+1-555-0300",
        "lead_source": "website",
        "lead_status": "new",
        "lead_stage": "inquiry",
        "budget": 100000.0,
        "timeline": "Q2 2024",
        "need": "Logistics automation solution"
    })
}

/// The contract's `POST /leads/{id}/convert` body, onto `account_id`.
pub fn conversion(account_id: &str) -> Value {
    json!({
        "account_id": account_id,
        "name": "Enterprise Logistics Solution",
        "description": "Complete automation package",
        "stage": "prospecting",
        "amount": 250000.0,
        "probability": 30.0,
        "expected_revenue": 75000.0,
        "close_date": "2024-06-30T00:00:00Z"
    })
}

async fn count(app: &TestApp, token: &str, collection: &str) -> u64 {
    let (status, body) = app.get(&format!("/{collection}"), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["count"].as_u64().unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = app.get(path, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

fn id<'a>(record: &'a Value, key: &str) -> &'a str {
    record[key].as_str().unwrap_or_else(|| panic!("no {key} in {record}"))
}

async fn create_and_read_the_contract_example(app: TestApp) {
    let token = app.admin_token().await;
    let lead = created(&app, &token, "/leads", jane_doe()).await;
    let lead_id = id(&lead, "lead_id");
    assert!(lead_id.starts_with("LEAD_") && app::server::ids::is_valid("LEAD_", lead_id), "{lead_id}");
    for key in ["first_name", "last_name", "company", "email", "lead_status", "lead_stage"] {
        assert_eq!(lead[key], jane_doe()[key], "{key}");
    }
    let created_at = id(&lead, "created_at");
    assert!(created_at.ends_with('Z') && created_at.len() == 20, "{created_at}");
    assert_eq!(lead["assigned_to"], user_id(&app, &token).await, "assigned to the caller by default");
    assert_eq!(lead["converted"], false);
    for key in ["converted_at", "converted_account_id", "converted_contact_id", "converted_opportunity_id"] {
        assert!(lead[key].is_null(), "{key}: {lead}");
    }

    let read = get(&app, &token, &format!("/leads/{lead_id}")).await;
    for (key, value) in jane_doe().as_object().unwrap() {
        assert_eq!(&read[key], value, "{key}");
    }
    assert_eq!(read, lead);

    // Defaults: status new, stage inquiry.
    let minimal = created(&app, &token, "/leads", json!({"first_name": "Min", "last_name": "Imal"})).await;
    assert_eq!(minimal["lead_status"], "new");
    assert_eq!(minimal["lead_stage"], "inquiry");
    assert!(minimal["budget"].is_null() && minimal["lead_source"].is_null());
}

async fn lists_filter_by_status_source_assignee_and_conversion(app: TestApp) {
    let admin = app.admin_token().await;
    let user = app.user_token("user").await;
    let user_id = user_id(&app, &user).await;
    let admin_id = crate::contacts::user_id(&app, &admin).await;

    let jane = created(&app, &admin, "/leads", jane_doe()).await;
    created(
        &app,
        &admin,
        "/leads",
        json!({"first_name": "Mike", "last_name": "Wilson", "company": "LogiTech Inc", "lead_source": "referral",
               "lead_status": "contacted", "assigned_to": user_id}),
    )
    .await;
    created(
        &app,
        &user,
        "/leads",
        json!({"first_name": "Tara", "last_name": "Show", "lead_source": "trade_show", "lead_status": "qualified"}),
    )
    .await;
    created(
        &app,
        &admin,
        "/leads",
        json!({"first_name": "Carl", "last_name": "Cold", "lead_source": "cold_call", "lead_status": "new"}),
    )
    .await;
    let (status, _) = app.post(&format!("/leads/{}/convert", id(&jane, "lead_id")), Some(&admin), json!({})).await;
    assert_eq!(status, StatusCode::CREATED);

    let names = |body: &Value| sorted(body, "leads", "last_name");
    for (token, query, expected) in [
        (&admin, "lead_status=new".to_owned(), vec!["Cold", "Doe"]),
        (&admin, "lead_status=qualified".to_owned(), vec!["Show"]),
        (&admin, "lead_source=referral".to_owned(), vec!["Wilson"]),
        (&admin, "lead_source=website".to_owned(), vec!["Doe"]),
        (&admin, format!("assigned_to={user_id}"), vec!["Show", "Wilson"]),
        (&admin, format!("assigned_to={admin_id}"), vec!["Cold", "Doe"]),
        (&admin, "assigned_to=me".to_owned(), vec!["Cold", "Doe"]),
        (&user, "assigned_to=me".to_owned(), vec!["Show", "Wilson"]),
        (&admin, "assigned_to=USR_NOBODY00".to_owned(), vec![]),
        (&admin, "converted=true".to_owned(), vec!["Doe"]),
        (&admin, "converted=false".to_owned(), vec!["Cold", "Show", "Wilson"]),
        (&admin, "lead_status=new&converted=false".to_owned(), vec!["Cold"]),
        (&user, "lead_source=trade_show&assigned_to=me&converted=false".to_owned(), vec!["Show"]),
        (&admin, "lead_source=referral&assigned_to=me".to_owned(), vec![]),
    ] {
        let (status, body) = app.get(&format!("/leads?{query}"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(names(&body), expected, "{query}");
    }
    let (_, all) = app.get("/leads", Some(&admin)).await;
    assert_eq!(all["count"], 4);

    for bad in ["lead_status=won", "lead_source=tv", "converted=maybe", "lead_stage=hot", "status=new"] {
        let (status, body) = app.get(&format!("/leads?{bad}"), Some(&admin)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let name = bad.split('=').next().unwrap();
        assert!(detail(&body).starts_with(name), "{bad}: {body}");
    }
}

async fn create_rejects_bad_input(app: TestApp) {
    let token = app.admin_token().await;
    let with = |key: &str, value: Value| {
        let mut body = jane_doe();
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("budget", json!(-1.0)), "budget"),
        (with("budget", json!("lots")), "budget"),
        (with("lead_status", json!("won")), "lead_status"),
        (with("lead_source", json!("tv")), "lead_source"),
        (with("lead_stage", json!("hot")), "lead_stage"),
        (with("email", json!("jane@")), "email"),
        (with("first_name", json!("")), "first_name"),
        (with("assigned_to", json!("user123")), "assigned_to"),
        (with("lead_id", json!("LEAD_AAAAAAAA")), "lead_id"),
        (with("converted", json!(true)), "converted"),
    ] {
        let (status, response) = app.post("/leads", Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }
    assert_eq!(count(&app, &token, "leads").await, 0, "nothing was stored");

    // A user may not hand a new lead to someone else.
    let admin_id = user_id(&app, &token).await;
    let user = app.user_token("user").await;
    let (status, body) = app.post("/leads", Some(&user), with("assigned_to", json!(admin_id))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(detail(&body).contains("assigned_to"));
}

async fn convert_with_the_contract_body_onto_an_account(app: TestApp) {
    let token = app.admin_token().await;
    let me = user_id(&app, &token).await;
    let account = created(&app, &token, "/accounts", techcorp()).await;
    let account_id = id(&account, "account_id");
    let lead = created(&app, &token, "/leads", jane_doe()).await;
    let lead_id = id(&lead, "lead_id");

    let mut body = conversion(account_id);
    body["expected_revenue"] = json!(1.0); // the server computes it
    let (status, result) = app.post(&format!("/leads/{lead_id}/convert"), Some(&token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["lead_id"], lead_id);
    assert_eq!(result["account_id"], account_id);
    assert_eq!(result["account_created"], false);
    assert_eq!(result["contact_created"], true);

    let opportunity = &result["opportunity"];
    let opportunity_id = id(opportunity, "opportunity_id");
    assert!(app::server::ids::is_valid("OPP_", opportunity_id), "{opportunity_id}");
    assert_eq!(result["opportunity_id"], opportunity_id);
    assert_eq!(opportunity["account_id"], account_id);
    assert_eq!(opportunity["name"], "Enterprise Logistics Solution");
    assert_eq!(opportunity["description"], "Complete automation package");
    assert_eq!(opportunity["stage"], "prospecting");
    assert_eq!(opportunity["amount"], 250000.0);
    assert_eq!(opportunity["probability"], 30.0);
    assert_eq!(opportunity["expected_revenue"], 75000.0, "250000 × 30 %, not the client's 1");
    assert_eq!(opportunity["close_date"], "2024-06-30T00:00:00Z");
    assert_eq!(opportunity["is_closed"], false);
    assert_eq!(opportunity["lead_id"], lead_id);
    assert_eq!(opportunity["owner_id"], me);
    assert_eq!(opportunity["primary_contact_id"], result["contact_id"]);
    let stored = get(&app, &token, &format!("/opportunities/{opportunity_id}")).await;
    assert_eq!(&stored, opportunity, "the opportunity is stored as answered");

    let converted = get(&app, &token, &format!("/leads/{lead_id}")).await;
    assert_eq!(converted["converted"], true);
    assert_eq!(converted["converted_account_id"], account_id);
    assert_eq!(converted["converted_contact_id"], result["contact_id"]);
    assert_eq!(converted["converted_opportunity_id"], opportunity_id);
    assert_eq!(converted["converted_at"], result["converted_at"]);
    let converted_at = id(&converted, "converted_at");
    assert!(converted_at.ends_with('Z') && converted_at.len() == 20, "{converted_at}");
    assert_eq!(converted["version"], lead["version"].as_i64().unwrap() + 1);
    assert_eq!(converted["first_name"], "Jane", "the lead is kept");

    let contact = get(&app, &token, &format!("/contacts/{}", id(&result, "contact_id"))).await;
    assert_eq!(contact["account_id"], account_id);
    assert_eq!(contact["full_name"], "Jane Doe");
    assert_eq!(contact["email"], "jane.doe@startupxyz.com");
    assert_eq!(contact["title"], "CEO");

    let history = get(&app, &token, &format!("/opportunities/{opportunity_id}/history")).await;
    assert_eq!(history["history"].as_array().unwrap().len(), 1, "{history}");
    assert!(history["history"][0]["from_stage"].is_null());
    assert_eq!(history["history"][0]["to_stage"], "prospecting");

    let (_, on_account) = app.get(&format!("/opportunities?account_id={account_id}"), Some(&token)).await;
    assert_eq!(sorted(&on_account, "opportunities", "opportunity_id"), [opportunity_id]);
    assert_eq!(count(&app, &token, "accounts").await, 1, "no account was created");
}

async fn convert_without_an_account_creates_account_and_contact(app: TestApp) {
    let token = app.admin_token().await;
    let lead = created(&app, &token, "/leads", jane_doe()).await;
    let lead_id = id(&lead, "lead_id");
    // No body at all: everything comes from the lead.
    let (status, result) = app.json("POST", &format!("/leads/{lead_id}/convert"), Some(&token), None).await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["account_created"], true);
    assert_eq!(result["contact_created"], true);

    let account = get(&app, &token, &format!("/accounts/{}", id(&result, "account_id"))).await;
    assert_eq!(account["name"], "StartupXYZ", "named like the lead's company");
    assert_eq!(account["status"], "active");
    let contact = get(&app, &token, &format!("/contacts/{}", id(&result, "contact_id"))).await;
    assert_eq!(contact["full_name"], "Jane Doe");
    assert_eq!(contact["email"], "jane.doe@startupxyz.com");
    assert_eq!(contact["phone"], "+1-555-0300");
    assert_eq!(contact["account_id"], result["account_id"]);
    assert_eq!(account["contacts"][0]["contact_id"], result["contact_id"], "{account}");

    let opportunity = &result["opportunity"];
    assert_eq!(opportunity["account_id"], result["account_id"]);
    assert_eq!(opportunity["amount"], 100000.0, "the lead's budget");
    assert_eq!(opportunity["stage"], "prospecting");
    assert_eq!(opportunity["probability"], 10.0, "the stage's default");
    assert_eq!(opportunity["expected_revenue"], 10000.0);
    assert_eq!(opportunity["description"], "Logistics automation solution", "the lead's need");
    assert_eq!(count(&app, &token, "accounts").await, 1);
    assert_eq!(count(&app, &token, "contacts").await, 1);

    let converted = get(&app, &token, &format!("/leads/{lead_id}")).await;
    assert_eq!(converted["converted"], true);
    assert_eq!(converted["converted_account_id"], result["account_id"]);
}

async fn convert_links_the_existing_account_and_contact(app: TestApp) {
    let token = app.admin_token().await;
    let first = created(&app, &token, "/leads", jane_doe()).await;
    let (status, first_result) =
        app.post(&format!("/leads/{}/convert", id(&first, "lead_id")), Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{first_result}");
    assert_eq!(first_result["account_created"], true);

    // Same company, same email as the contact made from the first lead.
    let second = created(
        &app,
        &token,
        "/leads",
        json!({"first_name": "Janet", "last_name": "Doe-Again", "company": "StartupXYZ",
               "email": "jane.doe@startupxyz.com", "budget": 40000.0}),
    )
    .await;
    let (status, result) = app
        .post(
            &format!("/leads/{}/convert", id(&second, "lead_id")),
            Some(&token),
            json!({"name": "Second deal", "stage": "qualification"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["account_created"], false);
    assert_eq!(result["contact_created"], false);
    assert_eq!(result["account_id"], first_result["account_id"]);
    assert_eq!(result["contact_id"], first_result["contact_id"]);
    assert_eq!(result["opportunity"]["name"], "Second deal");
    assert_eq!(result["opportunity"]["probability"], 20.0);
    assert_eq!(result["opportunity"]["expected_revenue"], 8000.0);
    assert_ne!(result["opportunity_id"], first_result["opportunity_id"]);

    assert_eq!(count(&app, &token, "accounts").await, 1, "no second account");
    assert_eq!(count(&app, &token, "contacts").await, 1, "no second contact");
    assert_eq!(count(&app, &token, "opportunities").await, 2);
    let (_, deals) = app.get(&format!("/opportunities?account_id={}", id(&result, "account_id")), Some(&token)).await;
    assert_eq!(deals["count"], 2);
}

async fn converting_twice_is_a_conflict_and_creates_nothing(app: TestApp) {
    let token = app.admin_token().await;
    let account = created(&app, &token, "/accounts", techcorp()).await;
    let lead = created(&app, &token, "/leads", jane_doe()).await;
    let path = format!("/leads/{}/convert", id(&lead, "lead_id"));
    let (status, first) = app.post(&path, Some(&token), conversion(id(&account, "account_id"))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let converted = get(&app, &token, &format!("/leads/{}", id(&lead, "lead_id"))).await;
    let counts = (
        count(&app, &token, "opportunities").await,
        count(&app, &token, "accounts").await,
        count(&app, &token, "contacts").await,
    );
    assert_eq!(counts, (1, 1, 1));

    for body in [Some(conversion(id(&account, "account_id"))), Some(json!({})), None] {
        let (status, again) = app.json("POST", &path, Some(&token), body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        assert!(detail(&again).contains("already converted"), "{again}");
    }
    let after = (
        count(&app, &token, "opportunities").await,
        count(&app, &token, "accounts").await,
        count(&app, &token, "contacts").await,
    );
    assert_eq!(after, counts, "a refused conversion creates nothing");
    let still = get(&app, &token, &format!("/leads/{}", id(&lead, "lead_id"))).await;
    assert_eq!(still, converted, "the lead keeps its first conversion");

    let (status, body) = app.post("/leads/LEAD_ZZZZZZZZ/convert", Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    detail(&body);
}

async fn conversion_moves_the_leads_activities_to_the_opportunity(app: TestApp) {
    let token = app.admin_token().await;
    let lead = created(&app, &token, "/leads", jane_doe()).await;
    let other_lead =
        created(&app, &token, "/leads", json!({"first_name": "Other", "last_name": "Lead", "company": "Else"})).await;
    let lead_id = id(&lead, "lead_id");
    for subject in ["Intro call", "Demo"] {
        created(&app, &token, "/activities", json!({"subject": subject, "activity_type": "call", "lead_id": lead_id}))
            .await;
    }
    let unrelated = created(
        &app,
        &token,
        "/activities",
        json!({"subject": "Unrelated", "activity_type": "email", "lead_id": id(&other_lead, "lead_id")}),
    )
    .await;

    let (status, result) = app.post(&format!("/leads/{lead_id}/convert"), Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    let opportunity_id = id(&result, "opportunity_id");

    let (_, moved) = app.get(&format!("/activities?lead_id={lead_id}"), Some(&token)).await;
    assert_eq!(sorted(&moved, "activities", "subject"), ["Demo", "Intro call"]);
    for activity in moved["activities"].as_array().unwrap() {
        assert_eq!(activity["opportunity_id"], opportunity_id, "{activity}");
        assert_eq!(activity["account_id"], result["account_id"], "{activity}");
        assert_eq!(activity["lead_id"], lead_id, "the lead link is kept");
    }
    let (_, on_deal) = app.get(&format!("/activities?opportunity_id={opportunity_id}"), Some(&token)).await;
    assert_eq!(sorted(&on_deal, "activities", "subject"), ["Demo", "Intro call"]);
    let untouched = get(&app, &token, &format!("/activities/{}", id(&unrelated, "activity_id"))).await;
    assert!(untouched["opportunity_id"].is_null(), "{untouched}");
    assert_eq!(untouched, unrelated);
}

async fn a_failed_conversion_changes_nothing(app: TestApp) {
    let token = app.admin_token().await;
    let lead = created(&app, &token, "/leads", jane_doe()).await;
    let lead_id = id(&lead, "lead_id");
    let path = format!("/leads/{lead_id}/convert");

    // Each fails after the account and contact would have been made (or at the account).
    for (body, field) in [
        (json!({"stage": "proposal", "probability": 150.0}), "probability"),
        (json!({"amount": -10.0}), "amount"),
        (json!({"close_date": "end of June"}), "close_date"),
        (json!({"name": ""}), "name"),
        (json!({"account_id": "ACC_ZZZZZZZZ"}), "account_id"),
        (json!({"stage": "won"}), "stage"),
        (json!({"expected_close": "2024-06-30"}), "expected_close"),
    ] {
        let (status, response) = app.post(&path, Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {response}");
        assert!(detail(&response).contains(field), "{field}: {response}");
    }

    let unchanged = get(&app, &token, &format!("/leads/{lead_id}")).await;
    assert_eq!(unchanged, lead, "the lead is still unconverted");
    assert_eq!(unchanged["converted"], false);
    assert!(unchanged["converted_at"].is_null());
    assert_eq!(count(&app, &token, "accounts").await, 0, "no account was left behind");
    assert_eq!(count(&app, &token, "contacts").await, 0, "no contact was left behind");
    assert_eq!(count(&app, &token, "opportunities").await, 0);
    let (_, converted) = app.get("/leads?converted=true", Some(&token)).await;
    assert_eq!(converted["count"], 0);

    // The lead can still be converted afterwards.
    let (status, result) = app.post(&path, Some(&token), json!({"stage": "proposal", "probability": 55.0})).await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["opportunity"]["probability"], 55.0);
    assert_eq!(result["account_created"], true);
}

async fn only_writers_who_hold_the_lead_convert_it(app: TestApp) {
    let admin = app.admin_token().await;
    let lead = created(&app, &admin, "/leads", jane_doe()).await;
    let path = format!("/leads/{}/convert", id(&lead, "lead_id"));

    let viewer = app.user_token("viewer").await;
    let (status, body) = app.post(&path, Some(&viewer), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    detail(&body);
    let (status, _) = app.json("POST", &path, Some(&viewer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A user may not convert a lead assigned to someone else.
    let user = app.user_token("user").await;
    let (status, body) = app.post(&path, Some(&user), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    detail(&body);
    let (status, _) = app.post(&path, None, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    assert_eq!(get(&app, &admin, &format!("/leads/{}", id(&lead, "lead_id"))).await, lead);
    assert_eq!(count(&app, &admin, "accounts").await, 0);
    assert_eq!(count(&app, &admin, "opportunities").await, 0);

    // Their own lead, they may.
    let mine =
        created(&app, &user, "/leads", json!({"first_name": "Own", "last_name": "Lead", "company": "Mine"})).await;
    let (status, result) = app.post(&format!("/leads/{}/convert", id(&mine, "lead_id")), Some(&user), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["opportunity"]["owner_id"], user_id(&app, &user).await);
}
