//! Crash safety: `lanes serve` is killed with SIGKILL again and again while concurrent writers
//! create and change records; after each restart every acknowledged write must be there, and at
//! the end the database must be consistent. 50 kills per engine in `make test`;
//! `LANES_CRASH_ROUNDS=500` for the long run.
//!
//! A write that was in flight when the server died may or may not have committed — both are
//! fine; what may never happen is a 2xx answer for a write that is then gone or half-done.

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use reqwest::Method;
use serde_json::json;

use crate::{
    helpers::{fresh_postgres_database, temp_dir},
    process::{ServerProcess, admin_token, call, client},
};

const WRITERS: usize = 8;

fn rounds() -> usize {
    std::env::var("LANES_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(50)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite() {
    let dir = temp_dir();
    let url = format!("sqlite://{}/crash.db?mode=rwc", dir.display());
    let ledger = kill_repeatedly(&url).await;
    let pool = connect(&url).await;
    ledger.verify(&pool).await;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&pool).await.unwrap();
    assert_eq!(integrity, ["ok"], "SQLite integrity_check");
    let broken_keys = sqlx::query("PRAGMA foreign_key_check").fetch_all(&pool).await.unwrap();
    assert!(broken_keys.is_empty(), "{} rows break a foreign key", broken_keys.len());
    pool.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres() {
    let Some(url) = fresh_postgres_database().await else { return };
    let ledger = kill_repeatedly(&url).await;
    let pool = connect(&url).await;
    ledger.verify(&pool).await;
    // PostgreSQL enforces the keys itself; counting orphans proves no constraint was deferred
    // or dropped along the way.
    for (child, column, parent, key) in [
        ("contacts", "account_id", "accounts", "account_id"),
        ("opportunities", "account_id", "accounts", "account_id"),
        ("activities", "account_id", "accounts", "account_id"),
        ("opportunity_stage_history", "opportunity_id", "opportunities", "opportunity_id"),
    ] {
        let orphans: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {child} c WHERE c.{column} IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})"
        )))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "{child}.{column} points at missing {parent}");
    }
    pool.close().await;
}

async fn connect(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url).await.expect("connect for verification")
}

/// A value a field must hold: the last acknowledged one, or a later write that was in flight
/// when the server died (it may have committed without its answer arriving).
#[derive(Debug, Default, Clone)]
struct Expected {
    acknowledged: String,
    in_flight: Option<String>,
}

impl Expected {
    fn new(value: &str) -> Expected {
        Expected { acknowledged: value.to_owned(), in_flight: None }
    }
    fn allows(&self, stored: &str) -> bool {
        stored == self.acknowledged || self.in_flight.as_deref() == Some(stored)
    }
}

/// Every acknowledged write, by record id.
#[derive(Debug, Default)]
struct Ledger {
    /// Account id → its `industry`.
    accounts: HashMap<String, Expected>,
    contacts: HashSet<String>,
    /// Opportunity id → its `stage`.
    opportunities: HashMap<String, Expected>,
    activities: HashSet<String>,
}

impl Ledger {
    fn absorb(&mut self, other: Ledger) {
        self.accounts.extend(other.accounts);
        self.contacts.extend(other.contacts);
        self.opportunities.extend(other.opportunities);
        self.activities.extend(other.activities);
    }

    fn writes(&self) -> usize {
        self.accounts.len() + self.contacts.len() + self.opportunities.len() + self.activities.len()
    }

    async fn verify(&self, pool: &sqlx::AnyPool) {
        let industries: HashMap<String, String> = pairs(pool, "SELECT account_id, industry FROM accounts").await;
        for (id, expected) in &self.accounts {
            let stored = industries.get(id).unwrap_or_else(|| panic!("acknowledged account {id} is gone"));
            assert!(expected.allows(stored), "account {id}: industry {stored:?}, expected {expected:?}");
        }
        let stages: HashMap<String, String> = pairs(pool, "SELECT opportunity_id, stage FROM opportunities").await;
        for (id, expected) in &self.opportunities {
            let stored = stages.get(id).unwrap_or_else(|| panic!("acknowledged opportunity {id} is gone"));
            assert!(expected.allows(stored), "opportunity {id}: stage {stored:?}, expected {expected:?}");
        }
        let contacts = ids(pool, "SELECT contact_id FROM contacts").await;
        assert!(self.contacts.is_subset(&contacts), "acknowledged contacts are gone");
        let activities = ids(pool, "SELECT activity_id FROM activities").await;
        assert!(self.activities.is_subset(&activities), "acknowledged activities are gone");

        // A stage change and its history row commit together or not at all.
        let torn: Vec<String> = sqlx::query_scalar(
            "SELECT o.opportunity_id FROM opportunities o WHERE o.stage <> (SELECT h.to_stage \
             FROM opportunity_stage_history h WHERE h.opportunity_id = o.opportunity_id \
             ORDER BY h.changed_at DESC LIMIT 1)",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert!(torn.is_empty(), "stage and history disagree for {torn:?}");
        // The dashboards' tallies change in the same transactions as the records.
        crate::tallies::assert_tallies_match_on(pool, "after the kills").await;
    }
}

async fn pairs(pool: &sqlx::AnyPool, sql: &'static str) -> HashMap<String, String> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(sql).fetch_all(pool).await.unwrap();
    rows.into_iter().map(|(id, value)| (id, value.unwrap_or_default())).collect()
}

async fn ids(pool: &sqlx::AnyPool, sql: &'static str) -> HashSet<String> {
    sqlx::query_scalar(sql).fetch_all(pool).await.unwrap().into_iter().collect()
}

/// Runs the rounds: start, load, SIGKILL at a varying moment; then checks every acknowledged
/// write after a final restart through the API as well.
async fn kill_repeatedly(database_url: &str) -> Ledger {
    let client = client();
    let mut ledger = Ledger::default();
    let mut token = None;
    let rounds = rounds();
    for round in 0..rounds {
        let mut server = ServerProcess::start(database_url, &[]).await;
        let token = match &token {
            Some(token) => String::clone(token),
            None => token.insert(admin_token(&client, &server.url).await).clone(),
        };
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                tokio::spawn(write_until_killed(client.clone(), server.url.clone(), token.clone(), round, writer))
            })
            .collect();
        // A different moment each round (20–270 ms into the load), reproducible run to run.
        tokio::time::sleep(Duration::from_millis(20 + (round as u64 * 37) % 250)).await;
        server.kill();
        for writer in writers {
            ledger.absorb(writer.await.expect("writer task"));
        }
    }
    assert!(ledger.writes() > rounds * 4, "the load acknowledged only {} writes in {rounds} rounds", ledger.writes());
    eprintln!("crash test: {rounds} SIGKILLs, {} acknowledged writes checked", ledger.writes());

    // The last restart must come up on what the kills left behind and serve every record.
    let server = ServerProcess::start(database_url, &[]).await;
    let token = token.expect("signed in");
    for id in ledger.accounts.keys().take(50) {
        let (status, _) =
            call(&client, Method::GET, format!("{}/accounts/{id}", server.url), &token, None).await.unwrap();
        assert_eq!(status, 200, "account {id} after restart");
    }
    ledger
}

/// One writer's mixed load: account → contact → opportunity → stage move → account change →
/// activity, over and over, each step using what the last acknowledged. Stops at the first
/// transport error (the server is dead) and returns what was acknowledged.
async fn write_until_killed(
    client: reqwest::Client,
    base: String,
    token: String,
    round: usize,
    writer: usize,
) -> Ledger {
    let mut ledger = Ledger::default();
    for n in 0.. {
        let name = format!("Crash r{round} w{writer} n{n}");
        let Ok(answer) = call(
            &client,
            Method::POST,
            format!("{base}/accounts"),
            &token,
            Some(json!({"name": name, "industry": "v0"})),
        )
        .await
        else {
            break;
        };
        let account = created(answer, "account_id");
        ledger.accounts.insert(account.clone(), Expected::new("v0"));

        let Ok(answer) = call(
            &client,
            Method::POST,
            format!("{base}/contacts"),
            &token,
            Some(json!({"account_id": account, "first_name": "Ada", "last_name": name})),
        )
        .await
        else {
            break;
        };
        let contact = created(answer, "contact_id");
        ledger.contacts.insert(contact);

        let Ok(answer) = call(
            &client,
            Method::POST,
            format!("{base}/opportunities"),
            &token,
            Some(json!({"account_id": account, "name": name, "amount": 1000.0, "stage": "prospecting"})),
        )
        .await
        else {
            break;
        };
        let opportunity = created(answer, "opportunity_id");
        ledger.opportunities.insert(opportunity.clone(), Expected::new("prospecting"));

        let stage = ledger.opportunities.get_mut(&opportunity).expect("just added");
        stage.in_flight = Some("qualification".into());
        let Ok((status, body)) = call(
            &client,
            Method::PUT,
            format!("{base}/opportunities/{opportunity}/stage"),
            &token,
            Some(json!({"stage": "qualification"})),
        )
        .await
        else {
            break;
        };
        assert_eq!(status, 200, "{body}");
        *stage = Expected::new("qualification");

        let industry = ledger.accounts.get_mut(&account).expect("just added");
        industry.in_flight = Some("v1".into());
        let Ok((status, body)) =
            call(&client, Method::PATCH, format!("{base}/accounts/{account}"), &token, Some(json!({"industry": "v1"})))
                .await
        else {
            break;
        };
        assert_eq!(status, 200, "{body}");
        *industry = Expected::new("v1");

        let Ok(answer) = call(
            &client,
            Method::POST,
            format!("{base}/activities"),
            &token,
            Some(json!({"subject": format!("Call {name}"), "activity_type": "call", "account_id": account})),
        )
        .await
        else {
            break;
        };
        let activity = created(answer, "activity_id");
        ledger.activities.insert(activity);
    }
    ledger
}

/// The new record's id from a create's answer; any answer but 201 fails the test.
fn created((status, body): (u16, serde_json::Value), id: &str) -> String {
    assert_eq!(status, 201, "a write was refused: {body}");
    body[id].as_str().expect("id in answer").to_owned()
}
