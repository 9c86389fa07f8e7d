//! The pages of the browser app, one module per area.

mod dashboard;
mod frame;
mod login;
mod not_found;

pub use dashboard::{Dashboard, Placeholder};
pub use frame::{AppFrame, CurrentUser};
pub use login::LoginPage;
pub use not_found::NotFound;
