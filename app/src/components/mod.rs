//! Small building blocks shared by the pages.

mod charts;
mod icons;

pub use charts::{Bar, BarChart, WonLostChart, short_money};
pub use icons::Icon;
