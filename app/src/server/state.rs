use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::{auth::JwtKeys, config::Settings, db::Db, rate_limit::Limits};

/// Everything a request handler or server function needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub jwt: Arc<JwtKeys>,
    pub leptos_options: LeptosOptions,
    /// The one outbound HTTP client (see `integrations::http_client`).
    pub http: reqwest::Client,
    /// Request budgets and the sign-in throttle of this instance.
    pub limits: Arc<Limits>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
