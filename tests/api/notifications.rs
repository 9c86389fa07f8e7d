//! Task reminders become notifications: once, for the assignee only, across restarts and with
//! several workers racing; and the `/notifications` routes.

use app::server::reminders;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    contacts::user_id,
    engines,
    helpers::{TestApp, detail, temp_dir},
};

engines!(
    a_due_reminder_notifies_the_assignee_once,
    only_open_due_and_assigned_tasks_remind,
    racing_workers_fire_each_reminder_once,
);

const PAST: &str = "2024-01-19T09:00:00Z";
const FUTURE: &str = "2999-01-01T09:00:00Z";

async fn task(app: &TestApp, token: &str, title: &str, assigned_to: &str, reminder: &str) -> String {
    let (status, body) = app
        .post(
            "/tasks",
            Some(token),
            json!({"title": title, "priority": "high", "due_date": "2024-01-20T17:00:00Z",
                   "reminder_date": reminder, "assigned_to": assigned_to}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["task_id"].as_str().unwrap().to_owned()
}

async fn notifications(app: &TestApp, token: &str) -> Value {
    let (status, body) = app.get("/notifications", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn a_due_reminder_notifies_the_assignee_once(app: TestApp) {
    let admin = app.admin_token().await;
    let rep = app.user_token("user").await;
    let rep_id = user_id(&app, &rep).await;
    let task_id = task(&app, &admin, "Send Proposal to TechCorp", &rep_id, PAST).await;

    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 1);
    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 0, "never twice");

    let body = notifications(&app, &rep).await;
    assert_eq!(body["count"], 1);
    assert_eq!(body["unread_count"], 1);
    let note = &body["notifications"][0];
    assert_eq!(note["kind"], "task_reminder");
    assert_eq!(note["title"], "Reminder: Send Proposal to TechCorp");
    assert_eq!(note["task_id"], task_id.as_str());
    assert_eq!(note["link"], "/tasks");
    assert_eq!(note["is_read"], false);
    let id = note["notification_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("NTF_"));

    // Nobody else sees it, or can mark it read.
    assert_eq!(notifications(&app, &admin).await["count"], 0);
    let (status, body) = app.json("PUT", &format!("/notifications/{id}/read"), Some(&admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    detail(&body);

    let (status, body) = app.json("PUT", &format!("/notifications/{id}/read"), Some(&rep), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["is_read"], true);
    assert_eq!(notifications(&app, &rep).await["unread_count"], 0);
    let (_, unread) = app.get("/notifications?unread=true", Some(&rep)).await;
    assert_eq!(unread["count"], 0);

    // A new reminder time is a new reminder.
    let (status, body) = app
        .json(
            "PATCH",
            &format!("/tasks/{task_id}"),
            Some(&admin),
            Some(json!({"reminder_date": "2024-02-01T09:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 1);
    let (status, body) = app.json("PUT", "/notifications/read-all", Some(&rep), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["marked_read"], 1);

    // Bad input and no token.
    let (status, body) = app.get("/notifications?limit=0", Some(&rep)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).contains("limit"));
    let (status, body) = app.get("/notifications?colour=red", Some(&rep)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).contains("colour"));
    let (status, _) = app.get("/notifications", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn only_open_due_and_assigned_tasks_remind(app: TestApp) {
    let admin = app.admin_token().await;
    let me = user_id(&app, &admin).await;
    task(&app, &admin, "Later", &me, FUTURE).await;
    let done = task(&app, &admin, "Done already", &me, PAST).await;
    let (status, _) = app.json("PUT", &format!("/tasks/{done}/complete"), Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 0);
    task(&app, &admin, "Due", &me, PAST).await;
    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 1);
    let body = notifications(&app, &admin).await;
    assert_eq!(body["notifications"][0]["title"], "Reminder: Due");
}

/// Four workers (as on four instances) sweep at once: each reminder fires exactly once.
async fn racing_workers_fire_each_reminder_once(app: TestApp) {
    let admin = app.admin_token().await;
    let me = user_id(&app, &admin).await;
    for n in 0..10 {
        task(&app, &admin, &format!("Task {n}"), &me, PAST).await;
    }
    let sweeps = (0..4).map(|_| {
        let state = app.state.clone();
        tokio::spawn(async move { reminders::fire_due(&state).await.unwrap() })
    });
    let mut fired = 0;
    for sweep in sweeps {
        fired += sweep.await.unwrap();
    }
    assert_eq!(fired, 10);
    let (_, body) = app.get("/notifications?limit=200", Some(&admin)).await;
    assert_eq!(body["count"], 10, "one notification per reminder");
}

/// Reminders live in the database: one due while no server ran fires after the restart, and the
/// worker started with the server sends it without anyone asking.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_survive_a_restart_and_the_worker_sends_them() {
    let dir = temp_dir();
    let url = format!("sqlite://{}/lanes.db?mode=rwc", dir.display());
    let first = TestApp::sqlite_on(&url).await;
    let admin = first.admin_token().await;
    let me = user_id(&first, &admin).await;
    task(&first, &admin, "Call back", &me, PAST).await;
    first.state.db.close().await;
    drop(first);

    let settings = crate::helpers::settings_for(&url, &[("LANES_REMINDER_INTERVAL_SECS", "1")]);
    let state = lanes::build_state(settings, lanes::leptos_options("127.0.0.1:0".parse().unwrap())).await.unwrap();
    let worker = reminders::spawn(state.clone());
    let mut fired = 0;
    for _ in 0..50 {
        fired = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM notifications")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        if fired > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    worker.abort();
    assert_eq!(fired, 1, "the worker fired the reminder that fell due while the server was down");
    let _ = std::fs::remove_dir_all(dir);
}
