//! Small building blocks shared by the pages.

mod bell;
mod board;
mod charts;
mod compose_mail;
mod form;
mod icons;

pub use bell::NotificationBell;
pub use board::{PointerDrag, use_pointer_drag};
pub use charts::{Bar, BarChart, WonLostChart, short_money};
pub use compose_mail::ComposeMail;
pub use form::{FieldError, FormAlert, FormError};
pub use icons::Icon;
