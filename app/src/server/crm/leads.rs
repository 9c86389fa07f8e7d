//! Leads: people who may become customers, and their conversion into an account, a contact and
//! an opportunity (like Salesforce's and EspoCRM's: one transaction, the lead kept and linked).

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    records::{Precondition, ensure_user},
    resource::{self, Creatable, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{
        Account, AccountType, ContactRole, ConversionResult, Lead, LeadConversion, LeadInput, LeadPatch, LeadSource,
        LeadStage, LeadStatus, LifecycleStage, Opportunity, OpportunityInput, RecordStatus, validate,
    },
    server::{AppState, ids, sql::Sql, time},
};

impl Resource for Lead {
    const TABLE: &'static str = "leads";
    const ALIAS: &'static str = "l";
    const ID: &'static str = "lead_id";
    const PREFIX: &'static str = ids::LEAD;
    const NOUN: &'static str = "Lead";
    const COLUMNS: &'static str = "l.lead_id, l.first_name, l.last_name, l.company, l.title, l.email, l.phone, \
         l.lead_source, l.lead_status, l.lead_stage, l.budget_cents, l.timeline, l.need, l.assigned_to, \
         l.is_converted, l.converted_at, l.converted_account_id, l.converted_contact_id, \
         l.converted_opportunity_id, l.version, l.created_at, l.updated_at";
    const HOLDERS: &'static [&'static str] = &["assigned_to"];

    /// `GET /leads`: the contract's filters plus stage.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "lead_status", column: "l.lead_status", kind: FilterKind::Enum(LeadStatus::check) },
            Filter { param: "lead_source", column: "l.lead_source", kind: FilterKind::Enum(LeadSource::check) },
            Filter { param: "lead_stage", column: "l.lead_stage", kind: FilterKind::Enum(LeadStage::check) },
            Filter { param: "assigned_to", column: "l.assigned_to", kind: FilterKind::User },
            Filter { param: "converted", column: "l.is_converted", kind: FilterKind::Bool },
        ],
        search: &["l.first_name", "l.last_name", "l.company", "l.email"],
        sorts: &[
            SortKey { name: "created_at", expr: "l.created_at" },
            SortKey { name: "updated_at", expr: "l.updated_at" },
            SortKey { name: "last_name", expr: "l.last_name" },
            SortKey { name: "budget", expr: "COALESCE(l.budget_cents, 0)" },
        ],
        id_column: "l.lead_id",
    };

    fn from_row(row: &AnyRow) -> Result<Lead, sqlx::Error> {
        Ok(Lead {
            lead_id: row.text("lead_id")?,
            first_name: row.text("first_name")?,
            last_name: row.text("last_name")?,
            company: row.opt_text("company")?,
            title: row.opt_text("title")?,
            email: row.opt_text("email")?,
            phone: row.opt_text("phone")?,
            lead_source: row.opt_parse("lead_source")?,
            lead_status: row.parse("lead_status")?,
            lead_stage: row.parse("lead_stage")?,
            budget: row.opt_money("budget_cents")?,
            timeline: row.opt_text("timeline")?,
            need: row.opt_text("need")?,
            assigned_to: row.opt_text("assigned_to")?,
            converted: row.flag("is_converted")?,
            converted_at: row.opt_text("converted_at")?,
            converted_account_id: row.opt_text("converted_account_id")?,
            converted_contact_id: row.opt_text("converted_contact_id")?,
            converted_opportunity_id: row.opt_text("converted_opportunity_id")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
        })
    }

    record_meta!(assigned_to);
}

/// The one place for lead rules.
fn validated(input: &LeadInput) -> Result<Write, AppError> {
    Ok(Write::new()
        .set("first_name", validate::required_text("first_name", &input.first_name, 100)?)
        .set("last_name", validate::required_text("last_name", &input.last_name, 100)?)
        .set("company", validate::optional_text("company", input.company.clone(), 200)?)
        .set("title", validate::optional_text("title", input.title.clone(), 100)?)
        .set("email", validate::optional_email("email", input.email.clone())?)
        .set("phone", validate::optional_phone("phone", input.phone.clone())?)
        .set("lead_source", input.lead_source.map(|s| s.as_str().to_owned()))
        .set("lead_status", input.lead_status.unwrap_or(LeadStatus::New).as_str())
        .set("lead_stage", input.lead_stage.unwrap_or(LeadStage::Inquiry).as_str())
        .set("budget_cents", validate::money("budget", input.budget)?)
        .set("timeline", validate::optional_text("timeline", input.timeline.clone(), 100)?)
        .set("need", validate::optional_text("need", input.need.clone(), 2000)?))
}

/// Creates a lead inside `tx` (creation and CSV import); returns its id.
pub async fn create_in(tx: &mut sqlx::AnyConnection, access: &Access, input: LeadInput) -> Result<String, AppError> {
    let assignee = input.assigned_to.clone().unwrap_or_else(|| access.me().to_owned());
    access.ensure_can_assign("assigned_to", Some(&assignee))?;
    let write = validated(&input)?.set("assigned_to", &assignee);
    ensure_user(tx, "assigned_to", &assignee).await?;
    write.insert(tx, Lead::TABLE, Lead::ID, ids::LEAD).await
}

impl Creatable for Lead {
    type Input = LeadInput;

    fn create_in(
        tx: &mut sqlx::AnyConnection,
        _state: &AppState,
        access: &Access,
        input: LeadInput,
    ) -> impl Future<Output = Result<String, AppError>> + Send {
        create_in(tx, access, input)
    }
}

impl super::csv_io::Importable for Lead {
    const NUMERIC: &'static [&'static str] = &["budget"];
    const BOOLEAN: &'static [&'static str] = &[];
    const EXPORT_COLUMNS: &'static [&'static str] = &[
        "lead_id",
        "first_name",
        "last_name",
        "company",
        "title",
        "email",
        "phone",
        "lead_source",
        "lead_status",
        "lead_stage",
        "budget",
        "timeline",
        "need",
        "assigned_to",
        "converted",
        "converted_at",
        "created_at",
        "updated_at",
    ];
}

pub async fn update(
    state: &AppState,
    access: &Access,
    lead_id: &str,
    patch: LeadPatch,
    precondition: Option<&Precondition>,
) -> Result<Lead, AppError> {
    resource::retry_on_race(precondition, || update_once(state, access, lead_id, patch.clone(), precondition)).await
}

async fn update_once(
    state: &AppState,
    access: &Access,
    lead_id: &str,
    patch: LeadPatch,
    precondition: Option<&Precondition>,
) -> Result<Lead, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) = resource::load_for_change::<Lead>(&mut tx, state, access, lead_id, precondition).await?;
    if patch.assigned_to.is_some() {
        access.ensure_can_assign("assigned_to", patch.assigned_to.as_deref())?;
    }
    let assignee = patch.assigned_to.or(current.assigned_to).unwrap_or_else(|| access.me().to_owned());
    let merged = LeadInput {
        first_name: patch.first_name.unwrap_or(current.first_name),
        last_name: patch.last_name.unwrap_or(current.last_name),
        company: patch.company.unwrap_or(current.company),
        title: patch.title.unwrap_or(current.title),
        email: patch.email.unwrap_or(current.email),
        phone: patch.phone.unwrap_or(current.phone),
        lead_source: patch.lead_source.unwrap_or(current.lead_source),
        lead_status: Some(patch.lead_status.unwrap_or(current.lead_status)),
        lead_stage: Some(patch.lead_stage.unwrap_or(current.lead_stage)),
        budget: patch.budget.unwrap_or(current.budget),
        timeline: patch.timeline.unwrap_or(current.timeline),
        need: patch.need.unwrap_or(current.need),
        assigned_to: None,
    };
    let write = validated(&merged)?.set("assigned_to", &assignee);
    ensure_user(&mut tx, "assigned_to", &assignee).await?;
    let lead = resource::save(&mut tx, lead_id, version, write).await?;
    tx.commit().await?;
    Ok(lead)
}

/// Converts a lead: account (given, found by the company's exact name, or created), contact
/// (found by email or created), opportunity; the lead is marked converted and linked, its
/// activities move to the opportunity. All of it or nothing.
pub async fn convert(
    state: &AppState,
    access: &Access,
    lead_id: &str,
    request: LeadConversion,
) -> Result<ConversionResult, AppError> {
    access.ensure_can_create()?;
    let mut tx = state.db.begin_write().await?;
    let (lead, _) = resource::load_for_change::<Lead>(&mut tx, state, access, lead_id, None).await?;
    if lead.converted {
        return Err(AppError::conflict(format!("Lead {lead_id} is already converted")));
    }
    let converted_at = time::now();

    // Claim the lead first: of two concurrent conversions only one gets past this.
    let claimed =
        sqlx::query("UPDATE leads SET is_converted = 1, converted_at = $1 WHERE lead_id = $2 AND is_converted = 0")
            .bind(&converted_at)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::conflict(format!("Lead {lead_id} is already converted")));
    }

    let person = format!("{} {}", lead.first_name, lead.last_name);
    let company = lead.company.clone().unwrap_or_else(|| person.clone());
    let (account_id, account_created) = match &request.account_id {
        Some(id) => {
            resource::ensure_visible::<Account>(&mut tx, access, "account_id", id).await?;
            (id.clone(), false)
        }
        None => {
            let existing: Option<String> =
                sqlx::query_scalar("SELECT account_id FROM accounts WHERE name = $1 ORDER BY created_at LIMIT 1")
                    .bind(&company)
                    .fetch_optional(&mut *tx)
                    .await?;
            match existing {
                Some(id) => (id, false),
                None => {
                    let id = Write::new()
                        .set("name", company.clone())
                        .set("account_type", AccountType::Prospect.as_str())
                        .set("status", RecordStatus::Active.as_str())
                        .set("lifecycle_stage", LifecycleStage::Opportunity.as_str())
                        .set("owner_id", access.me())
                        .insert(&mut tx, Account::TABLE, Account::ID, ids::ACCOUNT)
                        .await?;
                    (id, true)
                }
            }
        }
    };

    let existing_contact: Option<String> = match &lead.email {
        Some(email) => {
            let mut sql = Sql::new("SELECT contact_id FROM contacts WHERE email = ");
            sql.bind(email).push(" ORDER BY created_at LIMIT 1");
            sql.query().fetch_optional(&mut *tx).await?.map(|row| row.text("contact_id")).transpose()?
        }
        None => None,
    };
    let (contact_id, contact_created) = match existing_contact {
        Some(id) => (id, false),
        None => {
            let id = Write::new()
                .set("account_id", account_id.clone())
                .set("first_name", lead.first_name.clone())
                .set("last_name", lead.last_name.clone())
                .set("title", lead.title.clone())
                .set("email", lead.email.clone())
                .set("phone", lead.phone.clone())
                .set("contact_role", ContactRole::DecisionMaker.as_str())
                .set("is_primary", true)
                .set("status", RecordStatus::Active.as_str())
                .set("owner_id", access.me())
                .insert(&mut tx, "contacts", "contact_id", ids::CONTACT)
                .await?;
            (id, true)
        }
    };

    let opportunity_id = super::opportunities::create_in(
        &mut tx,
        state,
        access,
        OpportunityInput {
            account_id: account_id.clone(),
            primary_contact_id: Some(contact_id.clone()),
            name: request
                .name
                .unwrap_or_else(|| format!("{company} – {}", lead.need.clone().unwrap_or_else(|| "new deal".into()))),
            description: request.description.or(lead.need.clone()),
            stage: request.stage,
            probability: request.probability,
            amount: request.amount.or(lead.budget),
            currency: None,
            expected_revenue: None,
            close_date: request.close_date,
            requirements: None,
            products_interested: None,
            owner_id: None,
        },
        Some(lead_id),
    )
    .await?;
    let opportunity: Opportunity = resource::fetch(&mut *tx, &opportunity_id).await?;

    sqlx::query(
        "UPDATE leads SET converted_account_id = $1, converted_contact_id = $2, converted_opportunity_id = $3, \
         version = version + 1, updated_at = $4 WHERE lead_id = $5",
    )
    .bind(&account_id)
    .bind(&contact_id)
    .bind(&opportunity.opportunity_id)
    .bind(&converted_at)
    .bind(lead_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE activities SET opportunity_id = $1, account_id = COALESCE(account_id, $2), updated_at = $3, version = version + 1 WHERE lead_id = $4")
        .bind(&opportunity.opportunity_id)
        .bind(&account_id)
        .bind(&converted_at)
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    Ok(ConversionResult {
        lead_id: lead_id.to_owned(),
        opportunity_id: opportunity.opportunity_id.clone(),
        account_id,
        contact_id,
        account_created,
        contact_created,
        converted_at,
        opportunity,
    })
}
