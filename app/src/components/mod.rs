//! Small building blocks shared by the pages.

mod board;
mod charts;
mod icons;

pub use board::{PointerDrag, use_pointer_drag};
pub use charts::{Bar, BarChart, WonLostChart, short_money};
pub use icons::Icon;
