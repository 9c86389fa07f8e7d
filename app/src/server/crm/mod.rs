//! The CRM service layer: accounts, contacts, leads, opportunities, activities, tasks and
//! orders. REST handlers and server functions call these functions; every rule lives here once.

pub mod access;
pub mod list;
pub mod records;
pub mod resource;
pub mod tallies;

pub mod accounts;
pub mod activities;
pub mod contacts;
pub mod csv_io;
pub mod dashboard;
pub mod field;
pub mod leads;
pub mod names;
pub mod opportunities;
pub mod orders;
pub mod tasks;
pub mod views;

pub use access::Access;
pub use list::{Filter, FilterKind, ListQuery, ListSpec, SortKey};
pub use records::{RowExt, Write};
