//! Server functions of the notification bell.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::{error::AppError, model::NotificationList};

/// How many notifications the bell's panel shows.
pub const BELL_LIMIT: i64 = 10;

/// The caller's newest notifications and unread count.
#[server(prefix = "/api", endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<NotificationList, AppError> {
    use crate::server::notifications;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(notifications::list(&state, &access.user, false, BELL_LIMIT).await)
}

/// Marks one notification read (`Some(id)`) or all of them (`None`).
#[server(prefix = "/api", endpoint = "mark_notifications_read", input = Json)]
pub async fn mark_notifications_read(notification_id: Option<String>) -> Result<(), AppError> {
    use crate::server::notifications;
    let (state, access) = super::crm::caller().await?;
    let done = match notification_id {
        Some(id) => notifications::mark_read(&state, &access.user, &id).await.map(|_| ()),
        None => notifications::mark_all_read(&state, &access.user).await.map(|_| ()),
    };
    super::session::with_status(done)
}
