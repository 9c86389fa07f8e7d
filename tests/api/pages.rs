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

engines!(login_server_function_sets_a_safe_cookie, pages_need_a_session, pages_and_api_share_paths);

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
