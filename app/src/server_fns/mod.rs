//! Server functions: public endpoints the browser calls. Each one checks who is asking itself
//! and then calls the same service layer as the REST routes.

mod accounts;
mod admin;
mod ask;
mod crm;
mod field;
mod leads;
mod mail;
mod notifications;
mod records;
mod session;

pub use accounts::*;
pub use admin::*;
pub use ask::*;
pub use crm::*;
pub use field::*;
pub use leads::*;
pub use mail::*;
pub use notifications::*;
pub use records::*;
pub use session::*;
