//! CSV export (formula-safe, filtered) and import (all or nothing, errors by line).

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::json;

use crate::{
    engines,
    helpers::{TestApp, body_json, body_text},
};

engines!(export_is_formula_safe_and_filtered, import_is_all_or_nothing, contacts_and_leads_round_trip);

fn import_request(path: &str, token: &str, content_type: &str, csv: &str) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(csv.to_owned()))
        .unwrap()
}

async fn export_is_formula_safe_and_filtered(app: TestApp) {
    let token = app.admin_token().await;
    for (name, kind) in [
        ("=HYPERLINK(\"http://evil.example\",\"click\")", "customer"),
        ("Plain, Quoted \"Co\"", "customer"),
        ("Skip Me", "partner"),
    ] {
        let (status, _) = app
            .post("/accounts", Some(&token), json!({"name": name, "account_type": kind, "phone": "+1-555-0123"}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let response = app
        .send(
            Request::get("/accounts/export.csv?account_type=customer&sort=name")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("accounts.csv"));
    let csv = body_text(response).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("account_id,name,account_type"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "header + two customers: {csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), "{csv}");
    assert!(csv.contains("'+1-555-0123"), "phone numbers starting with + are guarded too: {csv}");
    assert!(csv.contains("\"Plain, Quoted \"\"Co\"\"\""), "{csv}");
    assert!(!csv.contains("Skip Me"));
}

async fn import_is_all_or_nothing(app: TestApp) {
    let token = app.admin_token().await;
    let good = "name,account_type,industry,annual_revenue,employee_count,website\n\
                Acme Freight,customer,Logistics,1250000.50,42,acme.example\n\
                Beta Cargo,prospect,,,,\n";
    let response = app.send(import_request("/accounts/import", &token, "text/csv", good)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let report = body_json(response).await;
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["ids"].as_array().unwrap().len(), 2);
    let (_, list) = app.get("/accounts?q=acme", Some(&token)).await;
    assert_eq!(list["accounts"][0]["annual_revenue"], 1250000.5);
    assert_eq!(list["accounts"][0]["employee_count"], 42);
    assert_eq!(list["accounts"][0]["website"], "https://acme.example");

    let bad = "name,account_type,employee_count\n\
               Gamma Ltd,customer,10\n\
               ,customer,5\n\
               Delta Inc,competitor,3\n\
               Epsilon,partner,many\n";
    let response = app.send(import_request("/accounts/import", &token, "text/csv", bad)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let report = body_json(response).await;
    assert!(report["detail"].as_str().unwrap().contains("nothing was imported"), "{report}");
    assert_eq!(report["imported"], 0);
    let lines: Vec<u64> = report["errors"].as_array().unwrap().iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4, 5], "{report}");
    let errors = report["errors"].as_array().unwrap();
    assert!(errors[0]["detail"].as_str().unwrap().contains("name"));
    assert!(errors[1]["detail"].as_str().unwrap().contains("competitor"));
    assert!(errors[2]["detail"].as_str().unwrap().contains("employee_count"));

    // Rows that parse but break a rule roll back the rows written before them.
    let rule_broken = "name,account_type,employee_count
Gamma Ltd,customer,10
Zeta,customer,-1
";
    let response = app.send(import_request("/accounts/import", &token, "text/csv", rule_broken)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let report = body_json(response).await;
    assert_eq!(report["errors"][0]["line"], 3, "{report}");
    assert!(report["errors"][0]["detail"].as_str().unwrap().contains("employee_count"));
    let (_, list) = app.get("/accounts?q=gamma", Some(&token)).await;
    assert_eq!(list["count"], 0, "the good row of a bad file is not stored");

    let response = app.send(import_request("/accounts/import", &token, "application/json", good)).await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let viewer = app.user_token("viewer").await;
    let response = app.send(import_request("/accounts/import", &viewer, "text/csv", good)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app.send(import_request("/accounts/import", &token, "text/csv", "name,colour\nX,red\n")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body_json(response).await["errors"][0]["detail"].as_str().unwrap().contains("colour"));
    // A file without records (a lost header, the wrong file) imports nothing and says so.
    for empty in ["", "name,account_type\n", "[]"] {
        let response = app.send(import_request("/accounts/import", &token, "text/csv", empty)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{empty:?}");
        let report = body_json(response).await;
        assert!(report["errors"][0]["detail"].as_str().unwrap().contains("no rows to import"), "{report}");
    }
}

async fn contacts_and_leads_round_trip(app: TestApp) {
    let token = app.admin_token().await;
    let (_, account) = app.post("/accounts", Some(&token), json!({"name": "Importer Co"})).await;
    let account_id = account["account_id"].as_str().unwrap();
    let contacts = format!(
        "account_id,first_name,last_name,email,is_primary,contact_role\n\
         {account_id},Ada,Lovelace,ada@importer.example,yes,decision_maker\n\
         {account_id},Alan,Turing,,no,\n"
    );
    let response = app.send(import_request("/contacts/import", &token, "text/csv", &contacts)).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{}", body_text(response).await);
    let (_, list) = app.get(&format!("/contacts?account_id={account_id}&sort=last_name"), Some(&token)).await;
    assert_eq!(list["count"], 2);
    assert_eq!(list["contacts"][0]["full_name"], "Ada Lovelace");
    assert_eq!(list["contacts"][0]["is_primary"], true);
    assert_eq!(list["contacts"][1]["contact_role"], "contact");

    let bad = "account_id,first_name,last_name\nACC_ZZZZZZZZ,No,Account\n";
    let response = app.send(import_request("/contacts/import", &token, "text/csv", bad)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body_json(response).await["errors"][0]["detail"].as_str().unwrap().contains("account_id"));

    let leads = "first_name,last_name,company,lead_source,budget\nGrace,Hopper,Navy Logistics,referral,250000\n";
    let response = app.send(import_request("/leads/import", &token, "text/csv", leads)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .send(
            Request::get("/leads/export.csv?lead_source=referral")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = body_text(response).await;
    assert!(csv.starts_with("lead_id,first_name,last_name,company"), "{csv}");
    assert!(csv.contains("Grace,Hopper,Navy Logistics,,,,referral,new,inquiry,250000.0"), "{csv}");
}
