//! The pages of the browser app, one module per area.

mod accounts;
mod admin;
mod ask;
mod dashboard;
mod deals;
mod field;
mod frame;
mod leads;
mod lists;
mod login;
mod not_found;
mod records;

pub use accounts::{AccountPage, AccountsPage};
pub use admin::AdminUsersPage;
pub use ask::AskPage;
pub use dashboard::Dashboard;
pub use deals::DealBoard;
pub use field::{TasksPage, VisitsPage};
pub use frame::{AppFrame, CurrentUser};
pub use leads::LeadBoard;
pub use lists::{ActivitiesPage, ContactsPage, OrdersPage};
pub use login::LoginPage;
pub use not_found::NotFound;
pub use records::{ActivityPage, ContactPage, OpportunityPage, OrderPage, TaskPage};

/// The paths of the app's pages (`:x` matches one segment). Some are REST collections too; a
/// browser navigation to them is served the page (see `lanes::startup::router`).
pub const PAGE_PATHS: &[&str] = &[
    "/",
    "/login",
    "/accounts",
    "/accounts/:id",
    "/contacts",
    "/contacts/:id",
    "/leads",
    "/opportunities",
    "/opportunities/:id",
    "/activities",
    "/activities/:id",
    "/tasks",
    "/tasks/:id",
    "/orders",
    "/orders/:id",
    "/visits",
    "/ask",
    "/admin/users",
];

/// True when `path` is one of `PAGE_PATHS` (a file name like `export.csv` never is).
pub fn is_page_path(path: &str) -> bool {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let segments: Vec<&str> = path.split('/').collect();
    PAGE_PATHS.iter().any(|pattern| {
        let parts: Vec<&str> = pattern.split('/').collect();
        parts.len() == segments.len()
            && parts
                .iter()
                .zip(&segments)
                .all(|(p, s)| if p.starts_with(':') { !s.is_empty() && !s.contains('.') } else { p == s })
    })
}

#[cfg(test)]
mod tests {
    use super::is_page_path;

    #[test]
    fn recognises_page_paths() {
        for page in [
            "/",
            "/login",
            "/accounts",
            "/accounts/ACC_A1B2C3D4",
            "/opportunities",
            "/opportunities/OPP_A1B2C3D4",
            "/orders/ORD_A1B2C3D4",
            "/admin/users",
            "/tasks/",
        ] {
            assert!(is_page_path(page), "{page}");
        }
        for other in [
            "/health",
            "/accounts/export.csv",
            "/accounts/ACC_A1B2C3D4/extra",
            "/opportunities/OPP_A1B2C3D4/history",
            "/api/login",
            "/pkg/lanes.js",
        ] {
            assert!(!is_page_path(other), "{other}");
        }
    }
}
