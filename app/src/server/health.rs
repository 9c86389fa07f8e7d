//! `GET /health`: what a load balancer and an operator need to know, honestly.

use serde::Serialize;

use super::{
    AppState,
    config::IntegrationSettings,
    integrations::{LastCall, last_call},
};

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
    /// How this instance's latest call to each configured service ended (absent before one).
    #[serde(skip_serializing_if = "LastCalls::is_empty")]
    pub last_calls: LastCalls,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LastCalls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office365: Option<LastCall>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_maps: Option<LastCall>,
}

impl LastCalls {
    fn is_empty(&self) -> bool {
        self.office365.is_none() && self.google_maps.is_none()
    }

    fn of(integrations: &IntegrationSettings) -> Self {
        let office365 = integrations
            .office365_configured()
            .then(|| last_call(&[integrations.o365_login_url.as_str(), integrations.o365_graph_url.as_str()]));
        let mut maps: Vec<&str> = Vec::new();
        if integrations.google_maps_api_key.is_some() {
            maps.extend([integrations.google_maps_url.as_str(), integrations.google_routes_url.as_str()]);
        }
        maps.extend(integrations.nominatim_url.iter().chain(&integrations.osrm_url).map(String::as_str));
        LastCalls { office365: office365.flatten(), google_maps: last_call(&maps) }
    }
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
                last_calls: LastCalls::of(integrations),
            },
        },
        timestamp: super::time::now(),
        version: env!("CARGO_PKG_VERSION"),
    };
    (db_up, health)
}
