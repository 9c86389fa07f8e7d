//! Wire types shared by the REST API, the server functions and the browser: one type per concept.

mod ask;
mod crm;
mod enums;
mod mail;
pub mod money;
mod notifications;
pub mod patch;
mod user;
pub mod validate;
mod views;

pub use ask::*;
pub use crm::*;
pub use enums::*;
pub use mail::*;
pub use notifications::*;
pub use user::*;
pub use views::*;
