//! Notifications: what the bell shows (task reminders, for now).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub notification_id: String,
    /// `task_reminder`.
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    /// Where in the app it points (a page path).
    pub link: Option<String>,
    pub task_id: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
    pub is_read: bool,
}

/// `GET /notifications`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub notifications: Vec<Notification>,
    pub count: usize,
    /// All unread notifications of the caller, not only this page's.
    pub unread_count: i64,
}
