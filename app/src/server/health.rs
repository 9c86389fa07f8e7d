//! `GET /health`: what a load balancer and an operator need to know, honestly.

use serde::Serialize;

use super::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub modules: Modules,
    pub timestamp: String,
    pub version: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Modules {
    pub logistics: &'static str,
    pub crm: &'static str,
    pub integrations: Integrations,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Integrations {
    pub office365: &'static str,
    pub google_maps: &'static str,
    /// Always `operational`: the built-in engine answers without a model.
    pub llm_query: &'static str,
    /// Whether a language model (`LANES_LLM_URL`) is configured for `/llm_query`.
    pub llm: &'static str,
    pub bos: &'static str,
}

fn configured(yes: bool) -> &'static str {
    if yes { "configured" } else { "not_configured" }
}

/// Checks the database and reports each module. `healthy` is false when the database is down.
pub async fn check(state: &AppState) -> (bool, Health) {
    let db_up = state.db.is_reachable().await;
    let module = if db_up { "operational" } else { "unavailable" };
    let integrations = &state.settings.integrations;
    let health = Health {
        status: if db_up { "healthy" } else { "unhealthy" },
        database: if db_up { "connected" } else { "disconnected" },
        modules: Modules {
            logistics: module,
            crm: module,
            integrations: Integrations {
                office365: configured(integrations.office365_configured()),
                google_maps: configured(integrations.maps_configured()),
                llm_query: "operational",
                llm: configured(integrations.llm_url.is_some()),
                bos: configured(integrations.bos_url.is_some()),
            },
        },
        timestamp: super::time::now(),
        version: env!("CARGO_PKG_VERSION"),
    };
    (db_up, health)
}
