//! A fresh Lanes per test: `TestApp::sqlite()` and `TestApp::postgres()`, plus request helpers.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU64, Ordering},
};

use app::server::{AppState, config::Settings};
use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
    response::Response,
};
use serde_json::Value;
use tower::ServiceExt;

pub const ADMIN_EMAIL: &str = "admin@test.example";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// Runs each listed `async fn(TestApp)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! engines {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$test($crate::helpers::TestApp::sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::postgres().await {
                        super::$test(app).await;
                    }
                }
            }
        )+
    };
}

/// Runs each listed `async fn(Engine)` on SQLite and on PostgreSQL; the test makes its app with
/// `engine.app_with(settings)` (for settings only known inside the test, like a stand-in's URL).
#[macro_export]
macro_rules! engines_with_settings {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$test($crate::helpers::Engine::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if $crate::helpers::postgres_base_url().is_some() {
                        super::$test($crate::helpers::Engine::Postgres).await;
                    }
                }
            }
        )+
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// A fresh Lanes on this engine with `extra` settings.
    pub async fn app_with(self, extra: &[(&str, &str)]) -> TestApp {
        match self {
            Engine::Sqlite => TestApp::sqlite_with(extra).await,
            Engine::Postgres => TestApp::postgres_with(extra).await.expect("PostgreSQL is configured"),
        }
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    dir: Option<PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        app::server::ids::new_id("").to_lowercase()
    )
}

/// A fresh directory under the system temp dir, removed when the `TestApp` drops.
pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lanes-test-{}", unique_name()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub fn settings_for(database_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut vars: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), database_url.into()),
        ("LANES_JWT_SECRET".into(), JWT_SECRET.into()),
        ("LANES_ADMIN_EMAIL".into(), ADMIN_EMAIL.into()),
        ("LANES_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(|name| vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone())).expect("settings")
}

/// The PostgreSQL server for tests, from `LANES_TEST_PG_URL`. `make test` always sets it (and
/// `LANES_REQUIRE_PG=1`, which turns a missing server into a failure instead of a skip).
pub fn postgres_base_url() -> Option<String> {
    match std::env::var("LANES_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(std::env::var("LANES_REQUIRE_PG").is_err(), "LANES_REQUIRE_PG is set but LANES_TEST_PG_URL is not");
            eprintln!("skipping the PostgreSQL variant: LANES_TEST_PG_URL is not set (make test sets it)");
            None
        }
    }
}

/// A fresh, empty PostgreSQL database; returns its URL.
pub async fn fresh_postgres_database() -> Option<String> {
    let base = postgres_base_url()?;
    let name = format!("lanes_t_{}", unique_name());
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&base).await.expect("connect to LANES_TEST_PG_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create database");
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
    Some(format!("{prefix}/{name}"))
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(&[]).await
    }

    pub async fn sqlite_with(extra: &[(&str, &str)]) -> TestApp {
        let dir = temp_dir();
        let url = format!("sqlite://{}/lanes.db?mode=rwc", dir.display());
        let mut app = Self::start(&url, extra).await;
        app.dir = Some(dir);
        app
    }

    /// A Lanes on an existing SQLite database (which the caller cleans up).
    pub async fn sqlite_on(database_url: &str) -> TestApp {
        Self::start(database_url, &[]).await
    }

    pub async fn postgres() -> Option<TestApp> {
        Self::postgres_with(&[]).await
    }

    pub async fn postgres_with(extra: &[(&str, &str)]) -> Option<TestApp> {
        let url = fresh_postgres_database().await?;
        Some(Self::start(&url, extra).await)
    }

    async fn start(database_url: &str, extra: &[(&str, &str)]) -> TestApp {
        let settings = settings_for(database_url, extra);
        let options = lanes::leptos_options("127.0.0.1:0".parse().expect("addr"));
        let state = lanes::build_state(settings, options).await.expect("build state");
        TestApp { router: lanes::router(state.clone()), state, dir: None }
    }

    pub async fn send(&self, request: Request<Body>) -> Response {
        self.router.clone().oneshot(request).await.expect("router never fails")
    }

    /// A JSON request; returns the status and the parsed body (`Value::Null` when empty).
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .expect("request");
        let response = self.send(request).await;
        let status = response.status();
        (status, body_json(response).await)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.json("GET", path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.json("POST", path, token, Some(body)).await
    }

    /// Signs in and returns the access token; panics unless the login succeeds.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let (status, body) =
            self.post("/auth/login", None, serde_json::json!({"email": email, "password": password})).await;
        assert_eq!(status, StatusCode::OK, "login as {email}: {body}");
        body["access_token"].as_str().expect("access_token").to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Registers a user with `role` through the API and returns their token.
    pub async fn user_token(&self, role: &str) -> String {
        let admin = self.admin_token().await;
        let email = format!("{role}-{}@test.example", unique_name());
        let password = "a-long-password-1";
        let (status, body) = self
            .post(
                "/auth/register",
                Some(&admin),
                serde_json::json!({"email": email, "password": password, "role": role}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        self.login(&email, password).await
    }
}

pub async fn body_text(response: Response) -> String {
    let bytes = to_bytes(response.into_body(), 16 * 1024 * 1024).await.expect("body");
    String::from_utf8_lossy(&bytes).into_owned()
}

pub async fn body_json(response: Response) -> Value {
    let text = body_text(response).await;
    if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

/// Asserts the contract's error shape: exactly `{"detail": "<non-empty>"}`; returns the detail.
pub fn detail(body: &Value) -> String {
    let object = body.as_object().unwrap_or_else(|| panic!("error body is not an object: {body}"));
    assert_eq!(object.len(), 1, "error body has more than `detail`: {body}");
    let detail = object["detail"].as_str().unwrap_or_else(|| panic!("detail is not a string: {body}"));
    assert!(!detail.is_empty());
    detail.to_owned()
}
