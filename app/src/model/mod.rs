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

/// Encodes text for a URL query value (`application/x-www-form-urlencoded`: unreserved bytes
/// kept, space as `+`, everything else `%XX`), for links built in the app and on the server.
pub fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
