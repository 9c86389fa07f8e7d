//! Opportunities: deals on the pipeline board. Stage, probability, `is_closed` and expected
//! revenue follow one rule, in `stage_rule` below, whichever way a deal is written.

use chrono::{SecondsFormat, Utc};
use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    records::{Precondition, ensure_user},
    resource::{self, Creatable, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{
        Account, Contact, Opportunity, OpportunityInput, OpportunityPatch, OpportunityStage, StageChange,
        StageHistoryEntry, money, validate,
    },
    server::{AppState, ids, time},
};

impl Resource for Opportunity {
    const TABLE: &'static str = "opportunities";
    const ALIAS: &'static str = "o";
    const ID: &'static str = "opportunity_id";
    const PREFIX: &'static str = ids::OPPORTUNITY;
    const NOUN: &'static str = "Opportunity";
    const COLUMNS: &'static str = "o.opportunity_id, o.account_id, o.primary_contact_id, o.lead_id, o.name, \
         o.description, o.stage, o.probability, o.amount_cents, o.currency, o.expected_revenue_cents, o.close_date, \
         o.requirements, o.products_interested, o.owner_id, o.is_closed, o.version, o.created_at, o.updated_at";
    const HOLDERS: &'static [&'static str] = &["owner_id"];

    /// `GET /opportunities`: the contract's filters.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "stage", column: "o.stage", kind: FilterKind::Enum(OpportunityStage::check) },
            Filter { param: "owner_id", column: "o.owner_id", kind: FilterKind::User },
            Filter { param: "account_id", column: "o.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "is_closed", column: "o.is_closed", kind: FilterKind::Bool },
            Filter { param: "close_date_from", column: "o.close_date", kind: FilterKind::From },
            Filter { param: "close_date_to", column: "o.close_date", kind: FilterKind::To },
        ],
        search: &["o.name", "o.description", "o.products_interested"],
        sorts: &[
            SortKey { name: "created_at", expr: "o.created_at" },
            SortKey { name: "updated_at", expr: "o.updated_at" },
            SortKey { name: "close_date", expr: "COALESCE(o.close_date, '')" },
            SortKey { name: "amount", expr: "COALESCE(o.amount_cents, 0)" },
            SortKey { name: "name", expr: "o.name" },
        ],
        id_column: "o.opportunity_id",
    };

    fn from_row(row: &AnyRow) -> Result<Opportunity, sqlx::Error> {
        Ok(Opportunity {
            opportunity_id: row.text("opportunity_id")?,
            account_id: row.text("account_id")?,
            primary_contact_id: row.opt_text("primary_contact_id")?,
            lead_id: row.opt_text("lead_id")?,
            name: row.text("name")?,
            description: row.opt_text("description")?,
            stage: row.parse("stage")?,
            probability: row.real("probability")?,
            amount: row.opt_money("amount_cents")?,
            currency: row.text("currency")?,
            expected_revenue: row.opt_money("expected_revenue_cents")?,
            close_date: row.opt_text("close_date")?,
            requirements: row.opt_text("requirements")?,
            products_interested: row.opt_text("products_interested")?,
            owner_id: row.opt_text("owner_id")?,
            is_closed: row.flag("is_closed")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
        })
    }

    record_meta!(owner_id);
}

/// The probability a deal in `stage` gets: closed_won is always 100 and closed_lost 0; other
/// stages take the client's value (0–100) or the stage's default.
pub fn stage_rule(stage: OpportunityStage, requested: Option<f64>) -> Result<f64, AppError> {
    match stage {
        OpportunityStage::ClosedWon | OpportunityStage::ClosedLost => Ok(stage.default_probability()),
        _ => match requested {
            Some(p) => validate::probability("probability", p),
            None => Ok(stage.default_probability()),
        },
    }
}

/// The one place for opportunity rules. `probability` is already settled by `stage_rule`.
fn validated(
    state: &AppState,
    input: &OpportunityInput,
    stage: OpportunityStage,
    probability: f64,
) -> Result<Write, AppError> {
    let amount_cents = validate::money("amount", input.amount)?;
    let currency = input.currency.as_deref().map(str::trim).unwrap_or(&state.settings.base_currency).to_uppercase();
    if currency != state.settings.base_currency && !state.settings.fx_rates.contains_key(&currency) {
        let mut accepted = vec![state.settings.base_currency.clone()];
        accepted.extend(state.settings.fx_rates.keys().cloned());
        return Err(AppError::invalid(
            "currency",
            format!("currency: {currency:?} is not accepted here (accepted: {})", accepted.join(", ")),
        ));
    }
    Ok(Write::new()
        .set("account_id", input.account_id.trim())
        .set("primary_contact_id", input.primary_contact_id.clone())
        .set("name", validate::required_text("name", &input.name, 200)?)
        .set("description", validate::optional_text("description", input.description.clone(), 5000)?)
        .set("stage", stage.as_str())
        .set("probability", probability)
        .set("amount_cents", amount_cents)
        .set("currency", currency)
        .set("expected_revenue_cents", amount_cents.map(|a| money::expected_revenue_cents(a, probability)))
        .set("close_date", validate::optional_time("close_date", input.close_date.clone())?)
        .set("requirements", validate::optional_text("requirements", input.requirements.clone(), 5000)?)
        .set(
            "products_interested",
            validate::optional_text("products_interested", input.products_interested.clone(), 1000)?,
        )
        .set("is_closed", stage.is_closed()))
}

async fn check_references(
    tx: &mut sqlx::AnyConnection,
    access: &Access,
    input: &OpportunityInput,
    owner: &str,
) -> Result<(), AppError> {
    resource::ensure_visible::<Account>(tx, access, "account_id", input.account_id.trim()).await?;
    if let Some(contact) = &input.primary_contact_id {
        resource::ensure_visible::<Contact>(tx, access, "primary_contact_id", contact).await?;
    }
    ensure_user(tx, "owner_id", owner).await
}

/// Appends a stage history entry. `changed_at` is stored to the microsecond (fixed width, so it
/// sorts as text): changes made within one second must still list in the order they happened.
pub async fn record_stage_change(
    tx: &mut sqlx::AnyConnection,
    opportunity_id: &str,
    from: Option<OpportunityStage>,
    to: OpportunityStage,
    by: &str,
) -> Result<(), AppError> {
    Write::new()
        .set("opportunity_id", opportunity_id)
        .set("from_stage", from.map(|s| s.as_str().to_owned()))
        .set("to_stage", to.as_str())
        .set("changed_by", by)
        .set("changed_at", Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))
        .insert_plain(tx, "opportunity_stage_history", "change_id", ids::STAGE_CHANGE)
        .await
}

/// Creates an opportunity inside `tx` (lead conversion passes the lead it came from); returns its id.
pub async fn create_in(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    access: &Access,
    input: OpportunityInput,
    lead_id: Option<&str>,
) -> Result<String, AppError> {
    let owner = input.owner_id.clone().unwrap_or_else(|| access.me().to_owned());
    access.ensure_can_assign("owner_id", Some(&owner))?;
    let stage = input.stage.unwrap_or(OpportunityStage::Prospecting);
    let probability = stage_rule(stage, input.probability)?;
    let write = validated(state, &input, stage, probability)?
        .set("owner_id", &owner)
        .set("lead_id", lead_id.map(str::to_owned));
    check_references(tx, access, &input, &owner).await?;
    let id = write.insert(tx, Opportunity::TABLE, Opportunity::ID, ids::OPPORTUNITY).await?;
    record_stage_change(tx, &id, None, stage, access.me()).await?;
    Ok(id)
}

impl Creatable for Opportunity {
    type Input = OpportunityInput;

    fn create_in(
        tx: &mut sqlx::AnyConnection,
        state: &AppState,
        access: &Access,
        input: OpportunityInput,
    ) -> impl Future<Output = Result<String, AppError>> + Send {
        create_in(tx, state, access, input, None)
    }
}

pub async fn update(
    state: &AppState,
    access: &Access,
    opportunity_id: &str,
    patch: OpportunityPatch,
    precondition: Option<&Precondition>,
) -> Result<Opportunity, AppError> {
    resource::retry_on_race(precondition, || update_once(state, access, opportunity_id, patch.clone(), precondition))
        .await
}

async fn update_once(
    state: &AppState,
    access: &Access,
    opportunity_id: &str,
    patch: OpportunityPatch,
    precondition: Option<&Precondition>,
) -> Result<Opportunity, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) =
        resource::load_for_change::<Opportunity>(&mut tx, state, access, opportunity_id, precondition).await?;
    if patch.owner_id.is_some() {
        access.ensure_can_assign("owner_id", patch.owner_id.as_deref())?;
    }
    let owner = patch.owner_id.clone().or(current.owner_id.clone()).unwrap_or_else(|| access.me().to_owned());
    let stage = patch.stage.unwrap_or(current.stage);
    // A new stage without a probability takes the stage's default; otherwise keep the deal's.
    let requested = patch.probability.or((stage == current.stage).then_some(current.probability));
    let probability = stage_rule(stage, requested)?;
    let merged = OpportunityInput {
        account_id: patch.account_id.unwrap_or(current.account_id),
        primary_contact_id: patch.primary_contact_id.unwrap_or(current.primary_contact_id),
        name: patch.name.unwrap_or(current.name),
        description: patch.description.unwrap_or(current.description),
        stage: Some(stage),
        probability: Some(probability),
        amount: patch.amount.unwrap_or(current.amount),
        currency: Some(patch.currency.unwrap_or(current.currency)),
        expected_revenue: None,
        close_date: patch.close_date.unwrap_or(current.close_date),
        requirements: patch.requirements.unwrap_or(current.requirements),
        products_interested: patch.products_interested.unwrap_or(current.products_interested),
        owner_id: None,
    };
    let write = validated(state, &merged, stage, probability)?.set("owner_id", &owner);
    check_references(&mut tx, access, &merged, &owner).await?;
    let opportunity = resource::save(&mut tx, opportunity_id, version, write).await?;
    if stage != current.stage {
        record_stage_change(&mut tx, opportunity_id, Some(current.stage), stage, access.me()).await?;
    }
    tx.commit().await?;
    Ok(opportunity)
}

/// `PUT /opportunities/{id}/stage`.
pub async fn change_stage(
    state: &AppState,
    access: &Access,
    opportunity_id: &str,
    change: StageChange,
    precondition: Option<&Precondition>,
) -> Result<Opportunity, AppError> {
    let patch = OpportunityPatch { stage: Some(change.stage), probability: change.probability, ..Default::default() };
    update(state, access, opportunity_id, patch, precondition).await
}

/// The stage history of an opportunity the caller may see, oldest first.
pub async fn stage_history(
    state: &AppState,
    access: &Access,
    opportunity_id: &str,
) -> Result<Vec<StageHistoryEntry>, AppError> {
    resource::get::<Opportunity>(state, access, opportunity_id).await?;
    let rows = sqlx::query(
        "SELECT from_stage, to_stage, changed_by, changed_at FROM opportunity_stage_history \
         WHERE opportunity_id = $1 ORDER BY changed_at, change_id",
    )
    .bind(opportunity_id)
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| {
            Ok(StageHistoryEntry {
                from_stage: row.opt_parse("from_stage")?,
                to_stage: row.parse("to_stage")?,
                changed_by: row.opt_text("changed_by")?,
                // Served in whole seconds, like every other time.
                changed_at: {
                    let at = row.text("changed_at")?;
                    time::normalize(&at).unwrap_or(at)
                },
            })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_stages_force_probability_and_others_default() {
        assert_eq!(stage_rule(OpportunityStage::ClosedWon, Some(40.0)).unwrap(), 100.0);
        assert_eq!(stage_rule(OpportunityStage::ClosedLost, Some(40.0)).unwrap(), 0.0);
        assert_eq!(stage_rule(OpportunityStage::Proposal, None).unwrap(), 50.0);
        assert_eq!(stage_rule(OpportunityStage::Proposal, Some(60.0)).unwrap(), 60.0);
        assert!(stage_rule(OpportunityStage::Proposal, Some(101.0)).is_err());
    }
}
