//! SQLite's writers queue inside the process for their turn before they take a pooled
//! connection, so a long write transaction does not leave readers without connections.

use std::time::Duration;

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn writers_waiting_for_their_turn_leave_connections_to_readers() {
    let app = TestApp::sqlite().await;
    let token = app.admin_token().await;
    let db = app.state.db.clone();

    let holder = db.begin_write().await.unwrap();
    // More waiting writers than the pool has connections.
    let writers: Vec<_> = (0..16)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.begin_write().await?.commit().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A writer that waited in SQLite's busy handler would hold its connection until the holder
    // commits; this read would then wait for the pool's 10 s acquire timeout.
    let read = tokio::time::timeout(Duration::from_secs(5), app.get("/accounts?limit=1", Some(&token))).await;
    let (status, body) = read.expect("a read found no free connection while writers waited");
    assert_eq!(status, StatusCode::OK, "{body}");

    holder.commit().await.unwrap();
    for writer in writers {
        writer.await.unwrap().expect("every queued writer gets its turn");
    }
}
