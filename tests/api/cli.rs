//! The `lanes` binary itself: migrate, user create, seed, and a graceful stop on SIGTERM.

use std::process::{Command, Stdio};

use crate::helpers::{TestApp, temp_dir};

fn lanes(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lanes"));
    command
        .env("DATABASE_URL", database_url)
        .env("LANES_JWT_SECRET", crate::helpers::JWT_SECRET)
        .env("RUST_LOG", "warn")
        .env_remove("LANES_ADMIN_EMAIL")
        .env_remove("LANES_ADMIN_PASSWORD")
        .stdin(Stdio::null());
    command
}

#[tokio::test]
async fn migrate_user_create_and_seed() {
    let dir = temp_dir();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.display());
    let out = lanes(&url).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = lanes(&url)
        .args(["user", "create", "--email", "Rep@Test.Example", "--role", "manager"])
        .env("LANES_USER_PASSWORD", "rep-password-1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("rep@test.example"));

    let out = lanes(&url)
        .args(["user", "create", "--email", "x@test.example", "--password", "short", "--role", "user"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));

    let out = lanes(&url).args(["seed", "--accounts", "30", "--reps", "2", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The user created on the command line signs in through the API.
    let app = TestApp::sqlite_on(&url).await;
    app.login("rep@test.example", "rep-password-1").await;
    let accounts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(accounts, 30);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn serve_stops_gracefully_on_sigterm() {
    let dir = temp_dir();
    let url = format!("sqlite://{}/serve.db?mode=rwc", dir.display());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = lanes(&url).args(["serve", "--bind", &format!("127.0.0.1:{port}")]).spawn().unwrap();
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the server did not start");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let status = exited.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("the server did not stop within 10 s of SIGTERM")
    });
    assert!(status.success(), "{status}");
    // The generated-secret path was not used: the secret came from the environment.
    assert!(!dir.join("serve.db.jwt-secret").exists());
    let _ = std::fs::remove_dir_all(dir);
}
