//! Server functions of the CRM pages. Each one authenticates the caller itself (a server
//! function is a public endpoint) and calls the same service layer as the REST API.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    model::{Account, AccountInput, CrmDashboard, Opportunity, OpportunityBoard, OpportunityStage, StageTotals},
};

/// Won and lost deals of one month (by close date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthOutcome {
    /// `YYYY-MM`.
    pub month: String,
    pub won: i64,
    pub lost: i64,
}

/// Everything the dashboard page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub crm: CrmDashboard,
    /// Count and value of deals per stage.
    pub stages: std::collections::BTreeMap<String, StageTotals>,
    /// The last six months, oldest first.
    pub months: Vec<MonthOutcome>,
}

/// The caller of a server function and the state, or 401.
#[cfg(feature = "ssr")]
pub(crate) async fn caller() -> Result<(crate::server::AppState, crate::server::crm::Access), AppError> {
    use crate::server::{AppState, auth, crm::Access};
    let state = use_context::<AppState>().ok_or_else(|| crate::server::error::internal("server fn", "no AppState"))?;
    let parts = use_context::<http::request::Parts>().ok_or_else(|| AppError::unauthorized("Not authenticated"))?;
    let user = super::session::with_status(auth::authenticate(&state, &parts.headers).await)?;
    Ok((state.clone(), Access::new(&state, user)))
}

#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<DashboardData, AppError> {
    use crate::server::crm::{dashboard, views};
    let (state, access) = caller().await?;
    let result = async {
        let crm = dashboard::crm(&state, &access).await?;
        let board = views::opportunity_board(&state, &access, &[("per_column".into(), "1".into())]).await?;
        let months = dashboard::won_lost_by_month(&state, &access, 6).await?;
        Ok(DashboardData {
            crm,
            stages: board.summary,
            months: months.into_iter().map(|(month, won, lost)| MonthOutcome { month, won, lost }).collect(),
        })
    }
    .await;
    super::session::with_status(result)
}

#[server(prefix = "/api", endpoint = "deal_board")]
pub async fn deal_board() -> Result<OpportunityBoard, AppError> {
    use crate::server::crm::views;
    let (state, access) = caller().await?;
    super::session::with_status(views::opportunity_board(&state, &access, &[("per_column".into(), "200".into())]).await)
}

/// Moves a deal to another stage; `version` is the one the board showed (a stale one is a 409).
#[server(prefix = "/api", endpoint = "move_deal", input = Json)]
pub async fn move_deal(opportunity_id: String, stage: OpportunityStage, version: i64) -> Result<Opportunity, AppError> {
    use crate::{
        model::StageChange,
        server::crm::{opportunities, records::Precondition},
    };
    let (state, access) = caller().await?;
    let precondition = Precondition::Version(version);
    super::session::with_status(
        opportunities::change_stage(
            &state,
            &access,
            &opportunity_id,
            StageChange { stage, probability: None },
            Some(&precondition),
        )
        .await,
    )
}

#[server(prefix = "/api", endpoint = "accounts", input = Json)]
pub async fn load_accounts(filters: Vec<(String, String)>) -> Result<super::ListPage<Account>, AppError> {
    super::records::list_page::<Account>(filters).await
}

#[server(prefix = "/api", endpoint = "create_account", input = Json)]
pub async fn create_account(input: AccountInput) -> Result<Account, AppError> {
    use crate::server::crm::resource;
    let (state, access) = caller().await?;
    super::session::with_status(resource::create::<Account>(&state, &access, input).await)
}
