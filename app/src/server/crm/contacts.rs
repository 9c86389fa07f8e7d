//! Contacts: the people at an account.

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    records::{Precondition, ensure_user},
    resource::{self, Creatable, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{Account, Contact, ContactInput, ContactPatch, ContactRole, RecordStatus, validate},
    server::{AppState, ids},
};

impl Resource for Contact {
    const TABLE: &'static str = "contacts";
    const ALIAS: &'static str = "c";
    const ID: &'static str = "contact_id";
    const PREFIX: &'static str = ids::CONTACT;
    const NOUN: &'static str = "Contact";
    const COLUMNS: &'static str = "c.contact_id, c.account_id, c.first_name, c.last_name, c.title, c.department, \
         c.email, c.phone, c.mobile, c.contact_role, c.is_primary, c.status, c.owner_id, c.version, c.created_at, \
         c.updated_at";
    const HOLDERS: &'static [&'static str] = &["owner_id"];

    /// `GET /contacts`: the contract's filters plus owner.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "account_id", column: "c.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "contact_role", column: "c.contact_role", kind: FilterKind::Enum(ContactRole::check) },
            Filter { param: "status", column: "c.status", kind: FilterKind::Enum(RecordStatus::check) },
            Filter { param: "owner_id", column: "c.owner_id", kind: FilterKind::User },
        ],
        search: &["c.first_name", "c.last_name", "c.email"],
        sorts: &[
            SortKey { name: "created_at", expr: "c.created_at" },
            SortKey { name: "updated_at", expr: "c.updated_at" },
            SortKey { name: "last_name", expr: "c.last_name" },
        ],
        id_column: "c.contact_id",
    };

    fn from_row(row: &AnyRow) -> Result<Contact, sqlx::Error> {
        let first_name = row.text("first_name")?;
        let last_name = row.text("last_name")?;
        Ok(Contact {
            contact_id: row.text("contact_id")?,
            account_id: row.opt_text("account_id")?,
            full_name: format!("{first_name} {last_name}").trim().to_owned(),
            first_name,
            last_name,
            title: row.opt_text("title")?,
            department: row.opt_text("department")?,
            email: row.opt_text("email")?,
            phone: row.opt_text("phone")?,
            mobile: row.opt_text("mobile")?,
            contact_role: row.parse("contact_role")?,
            is_primary: row.flag("is_primary")?,
            status: row.parse("status")?,
            owner_id: row.opt_text("owner_id")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
        })
    }

    record_meta!(owner_id);
}

/// The one place for contact rules.
fn validated(input: ContactInput) -> Result<Write, AppError> {
    Ok(Write::new()
        .set("account_id", input.account_id)
        .set("first_name", validate::required_text("first_name", &input.first_name, 100)?)
        .set("last_name", validate::required_text("last_name", &input.last_name, 100)?)
        .set("title", validate::optional_text("title", input.title, 100)?)
        .set("department", validate::optional_text("department", input.department, 100)?)
        .set("email", validate::optional_email("email", input.email)?)
        .set("phone", validate::optional_phone("phone", input.phone)?)
        .set("mobile", validate::optional_phone("mobile", input.mobile)?)
        .set("contact_role", input.contact_role.unwrap_or(ContactRole::Contact).as_str())
        .set("is_primary", input.is_primary.unwrap_or(false))
        .set("status", input.status.unwrap_or(RecordStatus::Active).as_str()))
}

async fn check_references(
    tx: &mut sqlx::AnyConnection,
    access: &Access,
    account_id: Option<&str>,
    owner: &str,
) -> Result<(), AppError> {
    if let Some(account_id) = account_id {
        resource::ensure_visible::<Account>(tx, access, "account_id", account_id).await?;
    }
    ensure_user(tx, "owner_id", owner).await
}

/// Creates a contact inside `tx` (creation and CSV import); returns its id.
pub async fn create_in(tx: &mut sqlx::AnyConnection, access: &Access, input: ContactInput) -> Result<String, AppError> {
    let owner = input.owner_id.clone().unwrap_or_else(|| access.me().to_owned());
    access.ensure_can_assign("owner_id", Some(&owner))?;
    let account_id = input.account_id.clone();
    let write = validated(input)?.set("owner_id", &owner);
    check_references(tx, access, account_id.as_deref(), &owner).await?;
    write.insert(tx, Contact::TABLE, Contact::ID, ids::CONTACT).await
}

impl Creatable for Contact {
    type Input = ContactInput;

    fn create_in(
        tx: &mut sqlx::AnyConnection,
        _state: &AppState,
        access: &Access,
        input: ContactInput,
    ) -> impl Future<Output = Result<String, AppError>> + Send {
        create_in(tx, access, input)
    }
}

impl super::csv_io::Importable for Contact {
    const NUMERIC: &'static [&'static str] = &[];
    const BOOLEAN: &'static [&'static str] = &["is_primary"];
    const EXPORT_COLUMNS: &'static [&'static str] = &[
        "contact_id",
        "account_id",
        "first_name",
        "last_name",
        "full_name",
        "title",
        "department",
        "email",
        "phone",
        "mobile",
        "contact_role",
        "is_primary",
        "status",
        "owner_id",
        "created_at",
        "updated_at",
    ];
}

pub async fn update(
    state: &AppState,
    access: &Access,
    contact_id: &str,
    patch: ContactPatch,
    precondition: Option<&Precondition>,
) -> Result<Contact, AppError> {
    resource::retry_on_race(precondition, || update_once(state, access, contact_id, patch.clone(), precondition)).await
}

async fn update_once(
    state: &AppState,
    access: &Access,
    contact_id: &str,
    patch: ContactPatch,
    precondition: Option<&Precondition>,
) -> Result<Contact, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) =
        resource::load_for_change::<Contact>(&mut tx, state, access, contact_id, precondition).await?;
    if patch.owner_id.is_some() {
        access.ensure_can_assign("owner_id", patch.owner_id.as_deref())?;
    }
    let owner = patch.owner_id.or(current.owner_id).unwrap_or_else(|| access.me().to_owned());
    let merged = ContactInput {
        account_id: patch.account_id.unwrap_or(current.account_id),
        first_name: patch.first_name.unwrap_or(current.first_name),
        last_name: patch.last_name.unwrap_or(current.last_name),
        title: patch.title.unwrap_or(current.title),
        department: patch.department.unwrap_or(current.department),
        email: patch.email.unwrap_or(current.email),
        phone: patch.phone.unwrap_or(current.phone),
        mobile: patch.mobile.unwrap_or(current.mobile),
        contact_role: Some(patch.contact_role.unwrap_or(current.contact_role)),
        is_primary: Some(patch.is_primary.unwrap_or(current.is_primary)),
        status: Some(patch.status.unwrap_or(current.status)),
        owner_id: None,
    };
    let account_id = merged.account_id.clone();
    let write = validated(merged)?.set("owner_id", &owner);
    check_references(&mut tx, access, account_id.as_deref(), &owner).await?;
    let contact = resource::save(&mut tx, contact_id, version, write).await?;
    tx.commit().await?;
    Ok(contact)
}
