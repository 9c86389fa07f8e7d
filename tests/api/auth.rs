use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::json;

use crate::{
    engines,
    helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, TestApp, detail},
};

engines!(
    login_answers_the_contract_shape,
    wrong_password_and_unknown_email_look_the_same,
    me_returns_the_user_without_secrets,
    tampered_and_missing_tokens_are_401,
    register_is_admin_only,
    register_validates_every_field,
    deactivated_users_lose_access_at_once,
    the_session_cookie_works_like_the_header,
    admins_manage_users,
);

async fn login_answers_the_contract_shape(app: TestApp) {
    let (status, body) = app.post("/auth/login", None, json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "a JWT");
    assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
    // Emails are matched without regard to case or surrounding space.
    let (status, _) =
        app.post("/auth/login", None, json!({"email": " ADMIN@test.example ", "password": ADMIN_PASSWORD})).await;
    assert_eq!(status, StatusCode::OK);
}

async fn wrong_password_and_unknown_email_look_the_same(app: TestApp) {
    let (s1, wrong) =
        app.post("/auth/login", None, json!({"email": ADMIN_EMAIL, "password": "not-the-password"})).await;
    let (s2, unknown) =
        app.post("/auth/login", None, json!({"email": "nobody@test.example", "password": "whatever-pass"})).await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!(s2, StatusCode::UNAUTHORIZED);
    assert_eq!(detail(&wrong), "Invalid email or password");
    assert_eq!(wrong, unknown);
}

async fn me_returns_the_user_without_secrets(app: TestApp) {
    let token = app.admin_token().await;
    let (status, body) = app.get("/auth/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], ADMIN_EMAIL);
    assert_eq!(body["role"], "admin");
    assert!(body["user_id"].as_str().unwrap().starts_with("USR_"));
    let text = body.to_string();
    assert!(!text.contains("password") && !text.contains("argon2"), "{text}");
}

async fn tampered_and_missing_tokens_are_401(app: TestApp) {
    let (status, body) = app.get("/auth/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(detail(&body), "Not authenticated");

    let token = app.admin_token().await;
    let (header_b64, claims_b64, _) = split3(&token);
    let forged = [
        // alg: none with the real claims and no signature
        format!("{}.{claims_b64}.", b64(r#"{"alg":"none","typ":"JWT"}"#)),
        // HS512 header on an HS256 signature
        format!("{}.{claims_b64}.{}", b64(r#"{"alg":"HS512","typ":"JWT"}"#), split3(&token).2),
        // claims changed after signing
        format!("{header_b64}.{}.{}", b64(&claims_json(&token).replace("\"admin\"", "\"viewer\"")), split3(&token).2),
        "not-a-token".to_owned(),
    ];
    for bad in forged {
        let (status, body) = app.get("/auth/me", Some(&bad)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}: {body}");
        detail(&body);
    }

    // Signed with another key, and expired with the right key.
    let now = chrono::Utc::now().timestamp();
    let sub =
        serde_json::from_str::<serde_json::Value>(&claims_json(&token)).unwrap()["sub"].as_str().unwrap().to_owned();
    let other = sign(
        &json!({"sub": sub, "role": "admin", "iat": now, "exp": now + 600}),
        "another-secret-another-secret-another-secret!!",
    );
    let expired = sign(&json!({"sub": sub, "role": "admin", "iat": now - 7200, "exp": now - 3600}), JWT_SECRET);
    let valid = sign(&json!({"sub": sub, "role": "admin", "iat": now, "exp": now + 600}), JWT_SECRET);
    for (name, token, expected) in
        [("other key", other, 401), ("expired", expired, 401), ("hand-signed valid", valid, 200)]
    {
        let (status, body) = app.get("/auth/me", Some(&token)).await;
        assert_eq!(status.as_u16(), expected, "{name}: {body}");
    }

    let request =
        Request::get("/auth/me").header(header::AUTHORIZATION, "Basic YWRtaW46YWRtaW4=").body(Body::empty()).unwrap();
    assert_eq!(app.send(request).await.status(), StatusCode::UNAUTHORIZED);
}

async fn register_is_admin_only(app: TestApp) {
    let body = json!({"username": "newuser", "email": "newuser@test.example", "password": "securepassword123", "role": "user"});
    let (status, _) = app.post("/auth/register", None, body.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for role in ["user", "manager", "viewer"] {
        let token = app.user_token(role).await;
        let (status, response) = app.post("/auth/register", Some(&token), body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {response}");
        detail(&response);
    }
    let admin = app.admin_token().await;
    let (status, created) = app.post("/auth/register", Some(&admin), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["username"], "newuser");
    assert_eq!(created["role"], "user");
    assert!(!created.to_string().contains("securepassword123"));
    let (status, dup) = app.post("/auth/register", Some(&admin), body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(detail(&dup).contains("already exists"));
    app.login("newuser@test.example", "securepassword123").await;
}

async fn register_validates_every_field(app: TestApp) {
    let admin = app.admin_token().await;
    let cases = [
        (json!({"email": "a@test.example", "password": "short", "role": "user"}), "password"),
        (json!({"email": "a@test.example", "password": "x".repeat(129), "role": "user"}), "password"),
        (json!({"email": "not-an-email", "password": "long-enough-password", "role": "user"}), "email"),
        (json!({"email": "a@test.example", "password": "long-enough-password", "role": "boss"}), "role"),
        (json!({"email": "a@test.example", "password": "long-enough-password"}), "role"),
        (
            json!({"email": "a@test.example", "password": "long-enough-password", "role": "user", "is_admin": true}),
            "is_admin",
        ),
    ];
    for (body, field) in cases {
        let (status, response) = app.post("/auth/register", Some(&admin), body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {response}");
        assert!(detail(&response).contains(field), "{body}: the detail should name {field}: {response}");
    }
    // 128 characters is still fine; nothing above was stored.
    let (status, _) = app
        .post(
            "/auth/register",
            Some(&admin),
            json!({"email": "a@test.example", "password": "y".repeat(128), "role": "viewer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(app_users(&app).await, 2);
}

async fn deactivated_users_lose_access_at_once(app: TestApp) {
    let token = app.user_token("manager").await;
    let (status, me) = app.get("/auth/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    sqlx::query("UPDATE users SET is_active = 0 WHERE user_id = $1")
        .bind(me["user_id"].as_str().unwrap())
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (status, _) = app.get("/auth/me", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) =
        app.post("/auth/login", None, json!({"email": me["email"], "password": "a-long-password-1"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(detail(&body), "Invalid email or password");
}

async fn the_session_cookie_works_like_the_header(app: TestApp) {
    let token = app.admin_token().await;
    let request = Request::get("/auth/me")
        .header(header::COOKIE, format!("theme=dark; lanes_session={token}"))
        .body(Body::empty())
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let request = Request::get("/auth/me").header(header::COOKIE, "lanes_session=garbage").body(Body::empty()).unwrap();
    assert_eq!(app.send(request).await.status(), StatusCode::UNAUTHORIZED);
}

async fn app_users(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(app.state.db.pool()).await.unwrap()
}

fn split3(token: &str) -> (String, String, String) {
    let mut parts = token.split('.').map(str::to_owned);
    (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap())
}

fn claims_json(token: &str) -> String {
    String::from_utf8(unb64(&split3(token).1)).unwrap()
}

fn sign(claims: &serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()).unwrap(),
    )
    .unwrap()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64(text: &str) -> String {
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn unb64(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let Some(v) = B64.iter().position(|&b| b == c) else { continue };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

async fn admins_manage_users(app: TestApp) {
    let admin = app.admin_token().await;
    let user = app.user_token("user").await;
    let (_, me) = app.get("/auth/me", Some(&user)).await;
    let user_path = format!("/users/{}", me["user_id"].as_str().unwrap());

    let (status, list) = app.get("/users", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], 2);
    assert!(!list.to_string().contains("argon2"));
    let (status, _) = app.get("/users", Some(&user)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.json("PATCH", &user_path, Some(&user), Some(json!({"role": "admin"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no one promotes themselves");

    // A role change takes effect on the very next request.
    let (status, changed) = app.json("PATCH", &user_path, Some(&admin), Some(json!({"role": "viewer"}))).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["role"], "viewer");
    let (status, _) = app.post("/accounts", Some(&user), json!({"name": "Not any more"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, changed) = app.json("PATCH", &user_path, Some(&admin), Some(json!({"is_active": false}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(changed["is_active"], false);
    let (status, _) = app.get("/auth/me", Some(&user)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (_, admin_me) = app.get("/auth/me", Some(&admin)).await;
    let own = format!("/users/{}", admin_me["user_id"].as_str().unwrap());
    let (status, body) = app.json("PATCH", &own, Some(&admin), Some(json!({"is_active": false}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    detail(&body);
    let (status, _) = app.json("PATCH", "/users/USR_ZZZZZZZZ", Some(&admin), Some(json!({"role": "user"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.json("PATCH", &user_path, Some(&admin), Some(json!({"role": "boss"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).contains("role"));
}
