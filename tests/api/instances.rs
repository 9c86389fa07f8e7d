//! Two `lanes serve` processes on one PostgreSQL database, as behind a load balancer: a write
//! through one is read through the other, a sign-in on one works on the other, and due
//! reminders fire once although both instances run the reminder worker.

use std::{collections::HashMap, time::Duration};

use reqwest::Method;
use serde_json::json;

use crate::{
    helpers::fresh_postgres_database,
    process::{ServerProcess, admin_token, call, client},
};

const REMINDERS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_postgres() {
    let Some(url) = fresh_postgres_database().await else { return };
    // Both workers wake every second, so they race for the same due reminders.
    let fast_reminders = [("LANES_REMINDER_INTERVAL_SECS", "1")];
    let a = ServerProcess::start(&url, &fast_reminders).await;
    let b = ServerProcess::start(&url, &fast_reminders).await;
    let client = client();

    // A token from one instance is good on the other (the secret is shared configuration).
    let token = admin_token(&client, &a.url).await;
    let (status, me) = call(&client, Method::GET, format!("{}/auth/me", b.url), &token, None).await.unwrap();
    assert_eq!(status, 200, "{me}");
    let admin_id = me["user_id"].as_str().unwrap().to_owned();
    let token_b = admin_token(&client, &b.url).await;

    // Written through A, read and changed through B, read back through A.
    let (status, account) = call(
        &client,
        Method::POST,
        format!("{}/accounts", a.url),
        &token,
        Some(json!({"name": "Shared Freight", "city": "Oslo"})),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{account}");
    let id = account["account_id"].as_str().unwrap();
    let (status, seen) = call(&client, Method::GET, format!("{}/accounts/{id}", b.url), &token_b, None).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(seen["name"], "Shared Freight");
    let (status, _) =
        call(&client, Method::PATCH, format!("{}/accounts/{id}", b.url), &token_b, Some(json!({"city": "Bergen"})))
            .await
            .unwrap();
    assert_eq!(status, 200);
    let (_, seen) = call(&client, Method::GET, format!("{}/accounts/{id}", a.url), &token, None).await.unwrap();
    assert_eq!(seen["city"], "Bergen");

    // Due reminders, created through both instances, each notify exactly once.
    let mut tasks = Vec::new();
    for n in 0..REMINDERS {
        let base = if n % 2 == 0 { &a.url } else { &b.url };
        let (status, task) = call(
            &client,
            Method::POST,
            format!("{base}/tasks"),
            &token,
            Some(json!({"title": format!("Follow up {n}"), "assigned_to": admin_id,
                        "due_date": "2024-01-20T17:00:00Z", "reminder_date": "2024-01-19T09:00:00Z"})),
        )
        .await
        .unwrap();
        assert_eq!(status, 201, "{task}");
        tasks.push(task["task_id"].as_str().unwrap().to_owned());
    }
    let mut per_task = HashMap::new();
    for _ in 0..100 {
        per_task = reminder_counts(&client, &a.url, &token).await;
        if per_task.len() == REMINDERS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(per_task.len(), REMINDERS, "not every reminder fired: {per_task:?}");
    // Give both workers a few more turns to double-fire, if they were going to.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let per_task = reminder_counts(&client, &b.url, &token_b).await;
    for task in &tasks {
        assert_eq!(per_task.get(task), Some(&1), "task {task}: {per_task:?}");
    }
}

/// Reminder notifications of the caller, counted by task.
async fn reminder_counts(client: &reqwest::Client, base: &str, token: &str) -> HashMap<String, usize> {
    let (status, body) =
        call(client, Method::GET, format!("{base}/notifications?limit=200"), token, None).await.unwrap();
    assert_eq!(status, 200, "{body}");
    let mut counts = HashMap::new();
    for note in body["notifications"].as_array().unwrap() {
        if note["kind"] == "task_reminder"
            && let Some(task) = note["task_id"].as_str()
        {
            *counts.entry(task.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}
