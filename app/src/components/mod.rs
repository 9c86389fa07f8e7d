//! Small building blocks shared by the pages.

mod icons;

pub use icons::Icon;
