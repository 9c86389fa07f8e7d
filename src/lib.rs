//! The Lanes server: one axum router for the REST API, the Leptos pages and the server
//! functions, all over the service layer in `app::server`.
//!
//! `main.rs` only parses the command line; tests build the real router with [`router`].

// The router's layered service type is deep enough to exceed rustc's default query depth.
#![recursion_limit = "256"]

pub mod cli;
pub mod http;
pub mod metrics;
pub mod seed;
pub mod startup;
pub mod telemetry;

pub use startup::{build_state, leptos_options, router, serve};
