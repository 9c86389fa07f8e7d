//! Questions in plain language (`POST /llm_query` and the `/ask` page).
//!
//! 1. `interpret` (built-in, offline) or `llm` (a language model, when `LANES_LLM_URL` is set)
//!    turn the question into an `Interpretation`;
//! 2. `plan` checks it against the `catalogue` allow-list — the model's answer like any other —
//!    and resolves it into static fields and typed values;
//! 3. `run` executes the plan with the caller's read permissions;
//! 4. `words` says the interpretation and the answer in words.
//!
//! When the model fails (unreachable, an error, an answer that is not a valid query), the
//! built-in engine answers and the response says so in `note`.

pub mod catalogue;
pub mod interpret;
pub mod llm;
pub mod plan;
pub mod run;
pub mod words;

use chrono::Utc;

use crate::{
    error::AppError,
    model::{AskCondition, AskEngine, AskOp, AskRequest, AskResponse, AskValue, Interpretation, MAX_QUERY_CHARS},
    server::{AppState, crm::Access, time},
};

/// Answers a question with the records the caller may see.
pub async fn answer(state: &AppState, access: &Access, request: AskRequest) -> Result<AskResponse, AppError> {
    let query = request.query.trim().to_owned();
    if query.is_empty() {
        return Err(AppError::invalid("query", "query: ask a question (it is empty)"));
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid("query", format!("query: must be at most {MAX_QUERY_CHARS} characters")));
    }
    let context = request.context.unwrap_or_default();
    let me = whose(access, context.user_id.as_deref())?;
    let extra = context_filters(context.filters.unwrap_or_default());
    let today = Utc::now().date_naive();

    let mut note = None;
    let mut chosen = None;
    if let Some(url) = &state.settings.integrations.llm_url {
        let checked =
            llm::interpret(state, url, &query, today).await.map_err(|failure| failure.0).and_then(|interpretation| {
                plan::plan(with_filters(interpretation, &extra), &me)
                    .map_err(|_| "The language model's answer was not a valid query".to_owned())
            });
        match checked {
            Ok(plan) => chosen = Some((plan, AskEngine::Llm)),
            Err(reason) => note = Some(format!("{reason}; the built-in engine answered instead.")),
        }
    }
    let (plan, engine) = match chosen {
        Some(chosen) => chosen,
        None => {
            let interpretation =
                interpret::interpret(&query, today).map_err(|e| AppError::invalid("query", format!("query: {e}")))?;
            let plan = plan::plan(with_filters(interpretation, &extra), &me).map_err(|e| {
                if extra.is_empty() {
                    AppError::invalid("query", format!("query: {e}"))
                } else {
                    AppError::invalid("context.filters", format!("context.filters: {e}"))
                }
            })?;
            (plan, AskEngine::BuiltIn)
        }
    };

    let result = run::run(state, access, &plan).await?;
    let currency = &state.settings.base_currency;
    Ok(AskResponse {
        natural_response: words::natural_response(&plan, &result, today, currency),
        understood_as: words::understood_as(&plan, today, currency),
        query,
        result,
        timestamp: time::now(),
        interpretation: plan.interpretation,
        engine,
        note,
    })
}

/// Whose records "my" means: the caller, or — for managers and admins — the user they name.
fn whose(access: &Access, user_id: Option<&str>) -> Result<String, AppError> {
    match user_id.map(str::trim) {
        None | Some("") => Ok(access.me().to_owned()),
        Some(id) if id == access.me() => Ok(id.to_owned()),
        Some(id) if id.chars().count() > 64 => {
            Err(AppError::invalid("context.user_id", "context.user_id: not a user id"))
        }
        Some(id) if access.user.manages_all() => Ok(id.to_owned()),
        Some(_) => {
            Err(AppError::forbidden("context.user_id: only a manager or admin may ask about another user's records"))
        }
    }
}

/// `context.filters` (`{"stage": "proposal"}`) as conditions: equality, or `in` for a list.
fn context_filters(filters: std::collections::BTreeMap<String, AskValue>) -> Vec<AskCondition> {
    filters
        .into_iter()
        .map(|(field, value)| {
            let op = if matches!(value, AskValue::List(_)) { AskOp::In } else { AskOp::Eq };
            AskCondition { field, op, value }
        })
        .collect()
}

fn with_filters(mut interpretation: Interpretation, extra: &[AskCondition]) -> Interpretation {
    for condition in extra {
        if !interpretation.filters.contains(condition) {
            interpretation.filters.push(condition.clone());
        }
    }
    interpretation
}
