//! The server function of the `/ask` page: the same service as `POST /llm_query`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::{error::AppError, model::AskResponse};

/// Answers a question with the records the signed-in user may see. A question the engine cannot
/// answer (a 400 over REST) is the inner error: the page shows it, and the request itself
/// succeeds, so the page renders with 200 and the browser logs no failed request.
#[server(prefix = "/api", endpoint = "ask", input = Json)]
pub async fn ask_question(query: String) -> Result<Result<AskResponse, AppError>, AppError> {
    use crate::{error::ErrorKind, model::AskRequest, server::ask};
    let (state, access) = super::crm::caller().await?;
    match ask::answer(&state, &access, AskRequest { query, context: None }).await {
        Ok(response) => Ok(Ok(response)),
        Err(refused) if refused.kind == ErrorKind::BadRequest => Ok(Err(refused)),
        Err(error) => super::session::with_status(Err(error)),
    }
}
