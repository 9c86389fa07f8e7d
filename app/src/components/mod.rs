//! Small building blocks shared by the pages.

mod bell;
mod board;
mod charts;
mod compose_mail;
mod form;
mod icons;
mod paged;
pub mod text;

pub use bell::NotificationBell;
pub use board::{Board, BoardAlert, BoardCard, PointerDrag, card_controls, use_board, use_pointer_drag};
pub use charts::{Bar, BarChart, WonLostChart, short_money};
pub use compose_mail::ComposeMail;
pub use form::{
    CARD, CheckField, Control, FieldError, FormAlert, FormError, INPUT_CLASS, PRIMARY_BUTTON, SelectField, TextField,
    invalid, refused, use_hydrated,
};
pub use icons::Icon;
pub use paged::{PagedList, RecordPage};
