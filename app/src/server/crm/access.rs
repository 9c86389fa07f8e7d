//! Who may read and change which CRM records: the one place for these rules.
//!
//! - admin and manager: everything;
//! - user: reads all records (or, with `LANES_USER_VISIBILITY=own`, only their own and the
//!   accounts those hang on), creates, and changes or deletes only records they own or are
//!   assigned to;
//! - viewer: reads only.

use crate::{
    error::AppError,
    model::Role,
    server::{AppState, auth::AuthUser, config::Visibility, sql::Sql},
};

#[derive(Debug, Clone)]
pub struct Access {
    pub user: AuthUser,
    /// Reads are limited to the caller's own records.
    pub restricted: bool,
}

impl Access {
    pub fn new(state: &AppState, user: AuthUser) -> Self {
        let restricted =
            state.settings.user_visibility == Visibility::Own && matches!(user.role, Role::User | Role::Viewer);
        Access { user, restricted }
    }

    pub fn me(&self) -> &str {
        &self.user.user_id
    }

    pub fn ensure_can_create(&self) -> Result<(), AppError> {
        self.user.require_writer()
    }

    /// Changing or deleting a record: managers and admins always, users when they own it or
    /// are assigned to it (any of `holders`).
    pub fn ensure_can_modify(&self, holders: &[Option<&str>]) -> Result<(), AppError> {
        self.user.require_writer()?;
        if self.user.manages_all() || holders.iter().flatten().any(|h| *h == self.me()) {
            Ok(())
        } else {
            Err(AppError::forbidden("You may only change records you own or are assigned to"))
        }
    }

    /// Only managers and admins give records to someone else.
    pub fn ensure_can_assign(&self, field: &str, to: Option<&str>) -> Result<(), AppError> {
        match to {
            Some(other) if other != self.me() && !self.user.manages_all() => {
                Err(AppError::forbidden(format!("{field}: only a manager or admin may assign records to someone else")))
            }
            _ => Ok(()),
        }
    }

    /// Appends the read restriction for a table whose rows belong to `holder_columns`
    /// (e.g. `owner_id`), qualified with `alias`.
    pub fn restrict(&self, sql: &mut Sql, alias: &str, holder_columns: &[&str]) {
        if !self.restricted {
            return;
        }
        sql.push(" AND (");
        for (i, column) in holder_columns.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push(&format!("{alias}.{column} = ")).bind(self.me());
        }
        sql.push(")");
    }

    /// Appends the read restriction for accounts: owned by the caller, or holding a contact,
    /// opportunity, activity or task of theirs.
    pub fn restrict_accounts(&self, sql: &mut Sql, alias: &str) {
        if !self.restricted {
            return;
        }
        let me = self.me().to_owned();
        sql.push(&format!(" AND ({alias}.owner_id = ")).bind(&me);
        for (table, column) in [
            ("contacts", "owner_id"),
            ("opportunities", "owner_id"),
            ("activities", "assigned_to"),
            ("tasks", "assigned_to"),
        ] {
            sql.push(&format!(
                " OR EXISTS (SELECT 1 FROM {table} r WHERE r.account_id = {alias}.account_id AND r.{column} = "
            ))
            .bind(&me)
            .push(")");
        }
        sql.push(")");
    }
}

impl<S> axum::extract::FromRequestParts<S> for Access
where
    AppState: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = <AppState as axum::extract::FromRef<S>>::from_ref(state);
        let user = crate::server::auth::authenticate(&state, &parts.headers).await?;
        Ok(Access::new(&state, user))
    }
}
