//! Wire types shared by the REST API, the server functions and the browser: one type per concept.

mod enums;
pub mod money;
mod user;
pub mod validate;

pub use enums::*;
pub use user::*;
