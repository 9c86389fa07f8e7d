//! Integration tests: the real router on a real SQLite file and on a real PostgreSQL server.
//! Every test in an `engines!` block runs once per engine, each time on a fresh database.

#![allow(clippy::unwrap_used)] // tests may panic: that is how they fail

mod helpers;
mod process;
mod standin;

mod accounts;
mod activities;
mod ask;
mod auth;
mod cli;
mod contacts;
mod crash;
mod csv;
mod data_model;
mod errors;
mod health;
mod instances;
mod leads;
mod limits;
mod maps;
mod metrics;
mod notifications;
mod office365;
mod openapi;
mod opportunities;
mod orders;
mod pages;
mod queries;
mod security;
mod security_headers;
mod tallies;
mod tasks;
mod views;
