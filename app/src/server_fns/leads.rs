//! Server functions of the lead board.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::{
    error::AppError,
    model::{ConversionResult, Lead, LeadConversion, LeadPipeline, LeadStatus},
};

#[server(prefix = "/api", endpoint = "lead_board")]
pub async fn lead_board() -> Result<LeadPipeline, AppError> {
    use crate::server::crm::views;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(views::lead_pipeline(&state, &access, &[("per_column".into(), "200".into())]).await)
}

/// Moves a lead to another status; `version` is the one the board showed (stale → 409).
#[server(prefix = "/api", endpoint = "move_lead", input = Json)]
pub async fn move_lead(lead_id: String, status: LeadStatus, version: i64) -> Result<Lead, AppError> {
    use crate::{
        model::LeadPatch,
        server::crm::{leads, records::Precondition},
    };
    let (state, access) = super::crm::caller().await?;
    let patch = LeadPatch { lead_status: Some(status), ..Default::default() };
    super::session::with_status(
        leads::update(&state, &access, &lead_id, patch, Some(&Precondition::Version(version))).await,
    )
}

#[server(prefix = "/api", endpoint = "convert_lead", input = Json)]
pub async fn convert_lead_now(lead_id: String, request: LeadConversion) -> Result<ConversionResult, AppError> {
    use crate::server::crm::leads;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(leads::convert(&state, &access, &lead_id, request).await)
}
