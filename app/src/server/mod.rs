//! The service layer (server only): configuration, database, auth and the business services.
//! REST handlers and server functions both call into here, so every rule lives once.

pub mod ask;
pub mod auth;
pub mod config;
pub mod crm;
pub mod db;
pub mod documents;
pub mod error;
pub mod health;
pub mod ids;
pub mod integrations;
pub mod mail;
pub mod metrics;
pub mod notifications;
pub mod outbox;
pub mod rate_limit;
pub mod reminders;
pub mod security;
pub mod sql;
pub mod state;
pub mod time;
pub mod users;

pub use state::AppState;
