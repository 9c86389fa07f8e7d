//! A real `lanes serve` process on a free port, for the tests that kill servers or run several
//! of them on one database. Requests go over real TCP with reqwest.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET};

/// Budgets far above any test's load: these tests are about data, not the rate limiter.
pub const NO_RATE_LIMITS: [(&str, &str); 2] = [
    ("LANES_RATE_LIMITS", "admin=1000000,manager=1000000,user=1000000,viewer=1000000,anonymous=1000000"),
    ("LANES_RATE_LIMITS_EXPENSIVE", "admin=1000000,manager=1000000,user=1000000,viewer=1000000"),
];

pub struct ServerProcess {
    child: Child,
    pub url: String,
}

impl ServerProcess {
    /// Starts `lanes serve` on `database_url` and waits until `/health` answers (10 s at most).
    pub async fn start(database_url: &str, extra: &[(&str, &str)]) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_lanes"));
        command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", database_url)
            .env("LANES_JWT_SECRET", JWT_SECRET)
            .env("LANES_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("LANES_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("RUST_LOG", "error")
            .env_remove("LANES_METRICS_BIND")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        for (name, value) in NO_RATE_LIMITS.iter().chain(extra) {
            command.env(name, value);
        }
        let child = command.spawn().expect("spawn lanes serve");
        let server = ServerProcess { child, url: format!("http://127.0.0.1:{port}") };
        let client = client();
        for _ in 0..200 {
            if let Ok(response) = client.get(format!("{}/health", server.url)).send().await
                && response.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("lanes serve did not answer /health within 10 s");
    }

    /// SIGKILL: no shutdown hook, no flush, no goodbye — the crash a power cut of the process is.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client")
}

/// Signs in as the bootstrap admin on `base` and returns the access token.
pub async fn admin_token(client: &reqwest::Client, base: &str) -> String {
    let response = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("login request");
    assert!(response.status().is_success(), "login: {}", response.status());
    let body: Value = response.json().await.expect("login body");
    body["access_token"].as_str().expect("access_token").to_owned()
}

/// One authenticated JSON call; the status and body, or the transport error (a killed server).
pub async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Result<(u16, Value), reqwest::Error> {
    let mut request = client.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}
