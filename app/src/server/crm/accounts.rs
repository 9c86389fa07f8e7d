//! Accounts: the companies Lanes sells to and delivers for.

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    records::{Precondition, ensure_user},
    resource::{self, Creatable, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{
        Account, AccountDetail, AccountInput, AccountPatch, AccountType, Activity, Contact, LifecycleStage,
        Opportunity, RecordStatus, validate,
    },
    server::{AppState, ids, sql::Sql},
};

impl Resource for Account {
    const TABLE: &'static str = "accounts";
    const ALIAS: &'static str = "a";
    const ID: &'static str = "account_id";
    const PREFIX: &'static str = ids::ACCOUNT;
    const NOUN: &'static str = "Account";
    const COLUMNS: &'static str = "a.account_id, a.name, a.account_type, a.industry, a.website, a.phone, a.email, \
         a.billing_address, a.city, a.state, a.country, a.postal_code, a.annual_revenue_cents, a.employee_count, \
         a.territory, a.status, a.lifecycle_stage, a.owner_id, a.version, a.created_at, a.updated_at";
    const HOLDERS: &'static [&'static str] = &["owner_id"];

    /// `GET /accounts`: the contract's filters plus industry and owner.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "account_type", column: "a.account_type", kind: FilterKind::Enum(AccountType::check) },
            Filter { param: "status", column: "a.status", kind: FilterKind::Enum(RecordStatus::check) },
            Filter { param: "territory", column: "a.territory", kind: FilterKind::Text },
            Filter { param: "industry", column: "a.industry", kind: FilterKind::Text },
            Filter { param: "owner_id", column: "a.owner_id", kind: FilterKind::User },
        ],
        search: &["a.name", "a.email", "a.website", "a.city"],
        sorts: &[
            SortKey { name: "created_at", expr: "a.created_at" },
            SortKey { name: "updated_at", expr: "a.updated_at" },
            SortKey { name: "name", expr: "a.name" },
            SortKey { name: "annual_revenue", expr: "COALESCE(a.annual_revenue_cents, 0)" },
        ],
        id_column: "a.account_id",
    };

    fn from_row(row: &AnyRow) -> Result<Account, sqlx::Error> {
        Ok(Account {
            account_id: row.text("account_id")?,
            name: row.text("name")?,
            account_type: row.parse("account_type")?,
            industry: row.opt_text("industry")?,
            website: row.opt_text("website")?,
            phone: row.opt_text("phone")?,
            email: row.opt_text("email")?,
            billing_address: row.opt_text("billing_address")?,
            city: row.opt_text("city")?,
            state: row.opt_text("state")?,
            country: row.opt_text("country")?,
            postal_code: row.opt_text("postal_code")?,
            annual_revenue: row.opt_money("annual_revenue_cents")?,
            employee_count: row.opt_int("employee_count")?,
            territory: row.opt_text("territory")?,
            status: row.parse("status")?,
            lifecycle_stage: row.opt_parse("lifecycle_stage")?,
            owner_id: row.opt_text("owner_id")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
        })
    }

    record_meta!(owner_id);

    /// A restricted caller sees accounts they own and those their records hang on.
    fn restrict(access: &Access, sql: &mut Sql) {
        access.restrict_accounts(sql, "a");
    }
}

/// Validates an account's writable fields: the one place for account rules.
fn validated(input: AccountInput) -> Result<Write, AppError> {
    let account_type = input.account_type.unwrap_or(AccountType::Prospect);
    let lifecycle = input.lifecycle_stage.unwrap_or(match account_type {
        AccountType::Customer => LifecycleStage::Customer,
        AccountType::Prospect => LifecycleStage::Lead,
        AccountType::Partner => LifecycleStage::Other,
    });
    Ok(Write::new()
        .set("name", validate::required_text("name", &input.name, 200)?)
        .set("account_type", account_type.as_str())
        .set("industry", validate::optional_text("industry", input.industry, 100)?)
        .set("website", validate::optional_url("website", input.website)?)
        .set("phone", validate::optional_phone("phone", input.phone)?)
        .set("email", validate::optional_email("email", input.email)?)
        .set("billing_address", validate::optional_text("billing_address", input.billing_address, 500)?)
        .set("city", validate::optional_text("city", input.city, 100)?)
        .set("state", validate::optional_text("state", input.state, 100)?)
        .set("country", validate::optional_text("country", input.country, 100)?)
        .set("postal_code", validate::optional_text("postal_code", input.postal_code, 20)?)
        .set("annual_revenue_cents", validate::money("annual_revenue", input.annual_revenue)?)
        .set("employee_count", validate::non_negative("employee_count", input.employee_count)?)
        .set("territory", validate::optional_text("territory", input.territory, 100)?)
        .set("status", input.status.unwrap_or(RecordStatus::Active).as_str())
        .set("lifecycle_stage", lifecycle.as_str()))
}

/// Creates an account inside `tx` (creation and CSV import); returns its id.
pub async fn create_in(tx: &mut sqlx::AnyConnection, access: &Access, input: AccountInput) -> Result<String, AppError> {
    let owner = input.owner_id.clone().unwrap_or_else(|| access.me().to_owned());
    access.ensure_can_assign("owner_id", Some(&owner))?;
    let write = validated(input)?.set("owner_id", &owner);
    ensure_user(tx, "owner_id", &owner).await?;
    write.insert(tx, Account::TABLE, Account::ID, ids::ACCOUNT).await
}

impl Creatable for Account {
    type Input = AccountInput;

    fn create_in(
        tx: &mut sqlx::AnyConnection,
        _state: &AppState,
        access: &Access,
        input: AccountInput,
    ) -> impl Future<Output = Result<String, AppError>> + Send {
        create_in(tx, access, input)
    }
}

impl super::csv_io::Importable for Account {
    const NUMERIC: &'static [&'static str] = &["annual_revenue", "employee_count"];
    const BOOLEAN: &'static [&'static str] = &[];
    const EXPORT_COLUMNS: &'static [&'static str] = &[
        "account_id",
        "name",
        "account_type",
        "industry",
        "website",
        "phone",
        "email",
        "billing_address",
        "city",
        "state",
        "country",
        "postal_code",
        "annual_revenue",
        "employee_count",
        "territory",
        "status",
        "lifecycle_stage",
        "owner_id",
        "created_at",
        "updated_at",
    ];
}

pub async fn update(
    state: &AppState,
    access: &Access,
    account_id: &str,
    patch: AccountPatch,
    precondition: Option<&Precondition>,
) -> Result<Account, AppError> {
    resource::retry_on_race(precondition, || update_once(state, access, account_id, patch.clone(), precondition)).await
}

async fn update_once(
    state: &AppState,
    access: &Access,
    account_id: &str,
    patch: AccountPatch,
    precondition: Option<&Precondition>,
) -> Result<Account, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) =
        resource::load_for_change::<Account>(&mut tx, state, access, account_id, precondition).await?;
    let owner = patch.owner_id.clone().or(current.owner_id.clone());
    if patch.owner_id.is_some() {
        access.ensure_can_assign("owner_id", owner.as_deref())?;
    }
    let merged = AccountInput {
        name: patch.name.unwrap_or(current.name),
        account_type: Some(patch.account_type.unwrap_or(current.account_type)),
        industry: patch.industry.unwrap_or(current.industry),
        website: patch.website.unwrap_or(current.website),
        phone: patch.phone.unwrap_or(current.phone),
        email: patch.email.unwrap_or(current.email),
        billing_address: patch.billing_address.unwrap_or(current.billing_address),
        city: patch.city.unwrap_or(current.city),
        state: patch.state.unwrap_or(current.state),
        country: patch.country.unwrap_or(current.country),
        postal_code: patch.postal_code.unwrap_or(current.postal_code),
        annual_revenue: patch.annual_revenue.unwrap_or(current.annual_revenue),
        employee_count: patch.employee_count.unwrap_or(current.employee_count),
        territory: patch.territory.unwrap_or(current.territory),
        status: Some(patch.status.unwrap_or(current.status)),
        lifecycle_stage: patch.lifecycle_stage.unwrap_or(current.lifecycle_stage),
        owner_id: None,
    };
    let write = validated(merged)?.set("owner_id", owner.clone());
    if let Some(owner) = &owner {
        ensure_user(&mut tx, "owner_id", owner).await?;
    }
    let account = resource::save(&mut tx, account_id, version, write).await?;
    tx.commit().await?;
    Ok(account)
}

/// Deletes an account and everything that hangs on it (contacts, opportunities, activities,
/// tasks, orders).
pub async fn delete(state: &AppState, access: &Access, account_id: &str) -> Result<(), AppError> {
    resource::delete::<Account>(state, access, account_id).await
}

/// Related records shown with an account (each list is bounded: the newest first).
const RELATED_LIMIT: i64 = 200;

/// Rows of `R` on an account, newest first: one query per kind, however many there are.
pub async fn related<R: Resource>(state: &AppState, account_id: &str, order: &str) -> Result<Vec<R>, AppError> {
    let mut sql =
        Sql::new(&format!("SELECT {} FROM {} {} WHERE {}.account_id = ", R::COLUMNS, R::TABLE, R::ALIAS, R::ALIAS));
    sql.bind(account_id).push(&format!(" ORDER BY {order} LIMIT ")).bind(RELATED_LIMIT);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows.iter().map(R::from_row).collect::<Result<_, _>>()?)
}

/// `GET /accounts/{id}`: the account with its contacts, opportunities and activities.
pub async fn detail(state: &AppState, access: &Access, account_id: &str) -> Result<AccountDetail, AppError> {
    let account: Account = resource::get(state, access, account_id).await?;
    Ok(AccountDetail {
        contacts: related::<Contact>(state, account_id, "c.is_primary DESC, c.last_name, c.contact_id").await?,
        opportunities: related::<Opportunity>(state, account_id, "o.created_at DESC, o.opportunity_id").await?,
        activities: related::<Activity>(state, account_id, "COALESCE(t.start_time, t.created_at) DESC, t.activity_id")
            .await?,
        account,
    })
}
