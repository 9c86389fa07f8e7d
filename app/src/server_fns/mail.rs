//! Server function of the compose-mail form: the same service as
//! `POST /integrations/office365/email`. (Attachments are uploaded first with `POST /documents`,
//! which takes the session cookie like every REST route.)

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::{
    error::AppError,
    model::{EmailRequest, EmailResult},
};

/// Sends a mail through Office 365 and logs it on the records the request names.
#[server(prefix = "/api", endpoint = "send_mail", input = Json)]
pub async fn send_mail(request: EmailRequest) -> Result<EmailResult, AppError> {
    use crate::server::mail;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(mail::send(&state, &access, request).await)
}
