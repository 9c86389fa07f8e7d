//! The browser side as a plain HTTP client sees it: server-rendered pages, the session cookie
//! set by the login server function, and redirects for pages that need a session.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};

use crate::{
    engines,
    helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, body_text},
};

engines!(
    login_server_function_sets_a_safe_cookie,
    pages_need_a_session,
    pages_and_api_share_paths,
    record_pages_render_on_the_server,
    record_saves_check_the_version_and_the_caller
);

fn form_login(email: &str, password: &str) -> Request<Body> {
    let body = format!("email={}&password={}", email.replace('@', "%40"), password);
    Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap()
}

async fn login_server_function_sets_a_safe_cookie(app: TestApp) {
    let response = app.send(form_login(ADMIN_EMAIL, "wrong-password")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    assert!(body_text(response).await.contains("Invalid email or password"));

    let response = app.send(form_login(ADMIN_EMAIL, ADMIN_PASSWORD)).await;
    assert!(response.status().is_success(), "{}", response.status());
    let cookie = response.headers().get(header::SET_COOKIE).expect("Set-Cookie").to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lanes_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http must not mark the cookie Secure: {cookie}");
}

async fn pages_need_a_session(app: TestApp) {
    let page = |path: &str, cookie: Option<&str>| {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    let response = app.send(page("/", None)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers().get(header::LOCATION).unwrap(), "/login");

    let response = app.send(page("/login", None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    assert!(html.contains("Sign in") && html.contains("name=\"password\""), "{html}");

    let token = app.admin_token().await;
    let cookie = format!("lanes_session={token}");
    let response = app.send(page("/", Some(&cookie))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    assert!(html.contains(ADMIN_EMAIL), "the frame shows who is signed in");
    assert!(html.contains("aria-label=\"Main\""), "the frame has the main navigation");

    // A browser asking for an unknown page gets the app's 404 page, not JSON.
    let response = app.send(page("/no/such/page", Some(&cookie))).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(body_text(response).await.contains("This page does not exist"));
}

#[tokio::test]
async fn secure_cookies_behind_https() {
    let app = TestApp::sqlite_with(&[("LANES_PUBLIC_URL", "https://crm.example.com")]).await;
    let response = app.send(form_login(ADMIN_EMAIL, ADMIN_PASSWORD)).await;
    let cookie = response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

/// `/opportunities` is both the deal board and the REST collection: a browser navigation gets
/// the page, rendered on the server with its columns and cards; an API client gets JSON.
async fn pages_and_api_share_paths(app: TestApp) {
    lanes::seed::demo(&app.state).await.unwrap();
    let token = app.admin_token().await;
    let response = app
        .send(
            Request::get("/opportunities")
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::COOKIE, format!("lanes_session={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    for stage in ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"] {
        assert!(html.contains(&format!("data-column=\"{stage}\"")), "column {stage} is rendered on the server");
    }
    assert!(html.contains("data-id=\"OPP_"), "cards are rendered on the server");

    let (status, json) = app.get("/opportunities", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(json["opportunities"].is_array());
    // A browser without a session is sent to sign in; the API answers 401.
    let response =
        app.send(Request::get("/opportunities").header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let (status, _) = app.get("/opportunities", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Dashboard numbers are on the first HTML the server sends.
    let response = app
        .send(
            Request::get("/")
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, format!("lanes_session={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = body_text(response).await;
    assert!(html.contains("data-kpi=\"Accounts\"") && html.contains("Open pipeline"), "KPI cards are server-rendered");
}

/// A browser navigation with the session cookie; the status and the HTML.
async fn browse(app: &TestApp, path: &str, token: &str) -> (StatusCode, String) {
    let response = app
        .send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, format!("lanes_session={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    (response.status(), body_text(response).await)
}

/// The record lists and record pages answer with their data in the first HTML; the same paths
/// still answer JSON to API clients; the manifest and icons are served.
async fn record_pages_render_on_the_server(app: TestApp) {
    lanes::seed::demo(&app.state).await.unwrap();
    let token = app.admin_token().await;
    for (path, list, prefix) in [
        ("/contacts", "contact-list", "CON_"),
        ("/activities", "activity-list", "ACT_"),
        ("/orders", "order-list", "ORD_"),
    ] {
        let (status, html) = browse(&app, path, &token).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(&format!("data-testid=\"{list}\"")), "{path} renders its list");
        assert!(html.contains(&format!("data-id=\"{prefix}")), "{path} renders rows on the server");
    }
    // Filters come from the query string.
    let (_, html) = browse(&app, "/orders?status=delivered", &token).await;
    assert!(html.contains("data-status=\"delivered\"") && !html.contains("data-status=\"created\""));

    let (_, contacts) = app.get("/contacts?limit=1", Some(&token)).await;
    let contact = &contacts["contacts"][0];
    let (status, html) = browse(&app, &format!("/contacts/{}", contact["contact_id"].as_str().unwrap()), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(contact["full_name"].as_str().unwrap()), "the contact's name is in the first HTML");
    assert!(html.contains("aria-label=\"Edit contact\""));
    let (_, orders) = app.get("/orders?status=created&limit=1", Some(&token)).await;
    let order_id = orders["orders"][0]["order_id"].as_str().unwrap().to_owned();
    let (status, html) = browse(&app, &format!("/orders/{order_id}"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Mark as confirmed") && html.contains("Mark as cancelled") && !html.contains("Mark as shipped")
    );
    let (status, html) = browse(&app, "/contacts/CON_ZZZZZZZZ", &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Contact not found"));
    // The API client still gets JSON at a record page's path.
    let (status, json) = app.get(&format!("/orders/{order_id}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["order_id"], order_id.as_str());

    let (status, html) = browse(&app, "/", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<link href=\"/manifest.webmanifest\" rel=\"manifest\">"), "the shell links the manifest");
    assert!(html.contains("<link href=\"/icons/apple-touch-icon.png\" rel=\"apple-touch-icon\">"));
}

/// A server function call as the browser makes it (JSON body, session cookie).
async fn call(app: &TestApp, endpoint: &str, token: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    let response = app
        .send(
            Request::post(format!("/api/{endpoint}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, format!("lanes_session={token}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    let status = response.status();
    let text = body_text(response).await;
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

/// The record pages' saves: a partial update with the version the page showed; fields the page
/// leaves out keep their values; a stale version is a 409; a viewer is refused; order moves
/// follow the order's life.
async fn record_saves_check_the_version_and_the_caller(app: TestApp) {
    lanes::seed::demo(&app.state).await.unwrap();
    let token = app.admin_token().await;
    let (_, contacts) = app.get("/contacts?limit=1", Some(&token)).await;
    let contact = contacts["contacts"][0].clone();
    let id = contact["contact_id"].as_str().unwrap();
    let version = contact["version"].as_i64().unwrap();

    let patch = serde_json::json!({ "title": "Head of Freight", "phone": null });
    let (status, saved) =
        call(&app, "contact_save", &token, serde_json::json!({ "id": id, "version": version, "patch": patch })).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], version + 1);
    let (_, now) = app.get(&format!("/contacts/{id}"), Some(&token)).await;
    assert_eq!(now["title"], "Head of Freight");
    assert_eq!(now["phone"], serde_json::Value::Null, "null clears");
    assert_eq!(now["account_id"], contact["account_id"], "a field left out keeps its value");
    assert_eq!(now["email"], contact["email"]);

    let (status, body) = call(
        &app,
        "contact_save",
        &token,
        serde_json::json!({ "id": id, "version": version, "patch": { "title": "Stale" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("changed by someone else"), "{body}");

    let (status, body) = call(
        &app,
        "contact_save",
        &token,
        serde_json::json!({ "id": id, "version": version + 1, "patch": { "email": "not-an-email" } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["field"], "email", "{body}");

    let viewer = app.user_token("viewer").await;
    let (status, _) = call(
        &app,
        "contact_save",
        &viewer,
        serde_json::json!({ "id": id, "version": version + 1, "patch": { "title": "Viewer" } }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, "contact_list", "not-a-token", serde_json::json!({ "filters": [] })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Lists page with the REST cursors.
    let (status, page) =
        call(&app, "contact_list", &token, serde_json::json!({ "filters": [["limit", "5"], ["sort", "last_name"]] }))
            .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert!(page["items"][0]["account_name"].is_string(), "rows carry their account's name");
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, next) = call(
        &app,
        "contact_list",
        &token,
        serde_json::json!({ "filters": [["limit", "5"], ["sort", "last_name"], ["cursor", cursor]] }),
    )
    .await;
    assert_ne!(next["items"][0]["record"]["contact_id"], page["items"][0]["record"]["contact_id"]);

    // Orders: created → confirmed is allowed, confirmed → delivered is not.
    let (_, orders) = app.get("/orders?status=created&limit=1", Some(&token)).await;
    let order_id = orders["orders"][0]["order_id"].as_str().unwrap();
    let (status, order) =
        call(&app, "order_status", &token, serde_json::json!({ "id": order_id, "status": "confirmed" })).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["status"], "confirmed");
    let (status, body) =
        call(&app, "order_status", &token, serde_json::json!({ "id": order_id, "status": "delivered" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["detail"].as_str().unwrap().contains("cannot become delivered"), "{body}");
}
