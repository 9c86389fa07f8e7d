//! Mail through Microsoft Graph with app-only access: an OAuth2 client-credentials token from
//! `{LANES_O365_LOGIN_URL}/{tenant}/oauth2/v2.0/token`, cached until shortly before it expires;
//! a message is created in the sender's mailbox (`POST /users/{sender}/messages`) and then sent
//! (`POST /users/{sender}/messages/{id}/send`), so the id Lanes reports is Graph's own.
//!
//! Throttling: a 429 whose `Retry-After` is at most `MAX_INLINE_WAIT_SECS` is waited out and
//! retried once; a longer one fails with 503 and the same `Retry-After` for the client.

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
    time::{Duration, Instant},
};

use base64::Engine as _;
use serde_json::{Value, json};

use super::{bad_gateway, not_configured, retry_after_secs, send as send_counted, unreachable};
use crate::{
    error::AppError,
    server::{AppState, config::Secret},
};

/// The service label of metrics and logs.
const SERVICE: &str = "office365";
/// The name in messages for people.
const NAME: &str = "Office 365";
pub const SETTINGS: &str = "LANES_O365_TENANT_ID, LANES_O365_CLIENT_ID, LANES_O365_CLIENT_SECRET and LANES_O365_SENDER";
const SCOPE: &str = "https://graph.microsoft.com/.default";
/// A throttled call is waited out and retried once when Graph asks for at most this long.
pub const MAX_INLINE_WAIT_SECS: u64 = 5;
/// Graph takes attachments inline (in the create request) up to 3 MB in total.
pub const MAX_ATTACHMENT_BYTES: usize = 3 * 1024 * 1024;

/// One file to attach.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A mail to send from the configured mailbox.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

impl Message {
    /// The JSON of Graph's `message` resource.
    fn to_graph(&self) -> Value {
        let recipients = |list: &[String]| -> Vec<Value> {
            list.iter().map(|address| json!({"emailAddress": {"address": address}})).collect()
        };
        let attachments: Vec<Value> = self
            .attachments
            .iter()
            .map(|a| {
                json!({
                    "@odata.type": "#microsoft.graph.fileAttachment",
                    "name": a.name,
                    "contentType": a.content_type,
                    "contentBytes": base64::engine::general_purpose::STANDARD.encode(&a.bytes),
                })
            })
            .collect();
        json!({
            "subject": self.subject,
            "body": {"contentType": "HTML", "content": self.html},
            "toRecipients": recipients(&self.to),
            "ccRecipients": recipients(&self.cc),
            "attachments": attachments,
        })
    }
}

/// A failed call: the error for a client, whether a later attempt may succeed (for the outbox),
/// and Graph's HTTP status when it answered.
#[derive(Debug)]
pub struct Failure {
    pub error: AppError,
    pub retryable: bool,
    pub upstream_status: Option<u16>,
}

impl From<Failure> for AppError {
    fn from(failure: Failure) -> Self {
        failure.error
    }
}

impl Failure {
    fn transport(error: &reqwest::Error) -> Self {
        Failure { error: unreachable(NAME, error), retryable: true, upstream_status: None }
    }
}

/// The configured app registration and mailbox.
struct Config<'a> {
    tenant: &'a str,
    client_id: &'a str,
    secret: &'a Secret,
    sender: &'a str,
    login_url: &'a str,
    graph_url: &'a str,
}

fn config(state: &AppState) -> Result<Config<'_>, AppError> {
    let s = &state.settings.integrations;
    match (&s.o365_tenant_id, &s.o365_client_id, &s.o365_client_secret, &s.o365_sender) {
        (Some(tenant), Some(client_id), Some(secret), Some(sender)) => {
            Ok(Config { tenant, client_id, secret, sender, login_url: &s.o365_login_url, graph_url: &s.o365_graph_url })
        }
        _ => Err(not_configured(NAME, SETTINGS)),
    }
}

/// 503 unless Office 365 is configured.
pub fn ensure_configured(state: &AppState) -> Result<(), AppError> {
    config(state).map(|_| ())
}

/// `base` with `segments` appended, each percent-encoded as one path segment.
fn url(base: &str, segments: &[&str]) -> Result<reqwest::Url, Failure> {
    let mut url = reqwest::Url::parse(base).map_err(|_| Failure {
        error: bad_gateway(NAME, "the configured URL is not usable"),
        retryable: false,
        upstream_status: None,
    })?;
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    Ok(url)
}

// ---- Tokens ------------------------------------------------------------------------------------

struct CachedToken {
    value: Secret,
    refresh_at: Instant,
}

type TokenSlot = Arc<tokio::sync::Mutex<Option<CachedToken>>>;

/// Tokens by token endpoint and client: one per app registration, shared by every request of
/// this process. The slot's lock is held while a token is fetched, so concurrent sends wait for
/// one fetch instead of each asking.
static TOKENS: LazyLock<Mutex<HashMap<String, TokenSlot>>> = LazyLock::new(Default::default);

fn token_slot(token_url: &str, client_id: &str) -> TokenSlot {
    let mut slots = TOKENS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    slots.entry(format!("{token_url} {client_id}")).or_default().clone()
}

/// How long before its expiry a token is replaced: five minutes, or half its life if shorter.
fn refresh_margin(expires_in: u64) -> u64 {
    if expires_in > 600 { 300 } else { expires_in / 2 }
}

async fn token(state: &AppState, config: &Config<'_>) -> Result<Secret, Failure> {
    let token_url = url(config.login_url, &[config.tenant, "oauth2", "v2.0", "token"])?;
    let slot = token_slot(token_url.as_str(), config.client_id);
    let mut cached = slot.lock().await;
    if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
        return Ok(token.value.clone());
    }
    let form = [
        ("client_id", config.client_id),
        ("client_secret", config.secret.expose()),
        ("scope", SCOPE),
        ("grant_type", "client_credentials"),
    ];
    let response =
        send_counted(SERVICE, state.http.post(token_url).form(&form)).await.map_err(|e| Failure::transport(&e))?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    if !status.is_success() {
        // `error` is OAuth's code (invalid_client, unauthorized_client, …); the description
        // starts with Entra's AADSTS number, the rest of it carries trace ids.
        let code = body["error"].as_str().unwrap_or("no error code");
        let aadsts =
            body["error_description"].as_str().and_then(|d| d.split(':').next()).filter(|d| d.starts_with("AADSTS"));
        let detail = match aadsts {
            Some(number) => format!("sign-in refused with HTTP {} {code} ({number})", status.as_u16()),
            None => format!("sign-in refused with HTTP {} {code}", status.as_u16()),
        };
        return Err(Failure {
            error: bad_gateway(NAME, detail),
            retryable: status.is_server_error() || status.as_u16() == 429,
            upstream_status: Some(status.as_u16()),
        });
    }
    let Some(value) = body["access_token"].as_str().filter(|t| !t.is_empty()) else {
        return Err(Failure {
            error: bad_gateway(NAME, "the sign-in answer had no access_token"),
            retryable: true,
            upstream_status: Some(status.as_u16()),
        });
    };
    let expires_in = body["expires_in"]
        .as_u64()
        .or_else(|| body["expires_in"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
        .min(86_400);
    let token = Secret::new(value);
    let refresh_at = Instant::now() + Duration::from_secs(expires_in - refresh_margin(expires_in));
    *cached = Some(CachedToken { value: token.clone(), refresh_at });
    Ok(token)
}

/// Drops the cached token (Graph refused it), so the next call signs in again.
async fn forget_token(config: &Config<'_>) {
    if let Ok(token_url) = url(config.login_url, &[config.tenant, "oauth2", "v2.0", "token"]) {
        *token_slot(token_url.as_str(), config.client_id).lock().await = None;
    }
}

// ---- Graph calls -------------------------------------------------------------------------------

/// One Graph call with the app's token; a short throttle is waited out once. Anything but a 2xx
/// is a `Failure` carrying Graph's error code.
async fn graph(
    state: &AppState,
    config: &Config<'_>,
    what: &str,
    build: impl Fn(&Secret) -> reqwest::RequestBuilder,
) -> Result<reqwest::Response, Failure> {
    let mut waited = false;
    loop {
        let bearer = token(state, config).await?;
        let response = send_counted(SERVICE, build(&bearer)).await.map_err(|e| Failure::transport(&e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status.as_u16() == 429 {
            let wait = retry_after_secs(response.headers()).unwrap_or(1);
            if !waited && wait <= MAX_INLINE_WAIT_SECS {
                waited = true;
                tracing::info!(wait, "Office 365 is throttling; waiting once");
                tokio::time::sleep(Duration::from_secs(wait)).await;
                continue;
            }
            tracing::warn!(wait, "Office 365 is throttling; giving the wait to the client");
            return Err(Failure {
                error: AppError::unavailable(format!(
                    "{NAME} is throttling mail from this server; try again in {wait} s"
                ))
                .retry_after(wait),
                retryable: true,
                upstream_status: Some(429),
            });
        }
        if status.as_u16() == 401 {
            forget_token(config).await;
        }
        let body: Value = response.json().await.unwrap_or_default();
        let code = body["error"]["code"].as_str().unwrap_or("no error code");
        let message: String = body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(300)
            .collect();
        let detail = if message.is_empty() {
            format!("{what} failed with HTTP {} {code}", status.as_u16())
        } else {
            format!("{what} failed with HTTP {} {code}: {message}", status.as_u16())
        };
        return Err(Failure {
            error: bad_gateway(NAME, detail),
            retryable: status.is_server_error() || matches!(status.as_u16(), 401 | 408),
            upstream_status: Some(status.as_u16()),
        });
    }
}

/// Creates the message as a draft in the sender's mailbox; returns Graph's message id.
pub async fn create_draft(state: &AppState, message: &Message) -> Result<String, Failure> {
    let config = config(state).map_err(|error| Failure { error, retryable: false, upstream_status: None })?;
    let endpoint = url(config.graph_url, &["users", config.sender, "messages"])?;
    let body = message.to_graph();
    let response = graph(state, &config, "creating the message", |token| {
        state.http.post(endpoint.clone()).bearer_auth(token.expose()).json(&body)
    })
    .await?;
    let created: Value = response.json().await.unwrap_or_default();
    match created["id"].as_str().filter(|id| !id.is_empty()) {
        Some(id) => Ok(id.to_owned()),
        None => Err(Failure {
            error: bad_gateway(NAME, "the created message had no id"),
            retryable: false,
            upstream_status: None,
        }),
    }
}

/// Sends a draft created by `create_draft`.
pub async fn send_draft(state: &AppState, message_id: &str) -> Result<(), Failure> {
    let config = config(state).map_err(|error| Failure { error, retryable: false, upstream_status: None })?;
    let endpoint = url(config.graph_url, &["users", config.sender, "messages", message_id, "send"])?;
    graph(state, &config, "sending the message", |token| {
        // Graph answers an empty POST without a length with 411 Length Required.
        state.http.post(endpoint.clone()).bearer_auth(token.expose()).header(reqwest::header::CONTENT_LENGTH, 0)
    })
    .await?;
    Ok(())
}

/// Deletes a draft that could not be sent, so it does not linger in the sender's Drafts folder.
/// Best effort: a failure is only logged.
async fn delete_draft(state: &AppState, message_id: &str) {
    let Ok(config) = config(state) else { return };
    let Ok(endpoint) = url(config.graph_url, &["users", config.sender, "messages", message_id]) else { return };
    let deleted = graph(state, &config, "deleting the draft", |token| {
        state.http.delete(endpoint.clone()).bearer_auth(token.expose())
    })
    .await;
    if let Err(failure) = deleted {
        tracing::warn!(error = %failure.error.detail, "an unsent Office 365 draft was left in the sender's mailbox");
    }
}

/// Creates and sends a message; returns Graph's message id. A draft that could not be sent is
/// deleted again.
pub async fn send(state: &AppState, message: &Message) -> Result<String, Failure> {
    let message_id = create_draft(state, message).await?;
    if let Err(failure) = send_draft(state, &message_id).await {
        delete_draft(state, &message_id).await;
        return Err(failure);
    }
    Ok(message_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_message_has_recipients_html_body_and_base64_attachments() {
        let message = Message {
            to: vec!["ann@example.com".into()],
            cc: vec!["bob@example.com".into()],
            subject: "Offer".into(),
            html: "<p>Hi</p>".into(),
            attachments: vec![Attachment {
                name: "a.txt".into(),
                content_type: "text/plain".into(),
                bytes: b"hello".to_vec(),
            }],
        };
        let json = message.to_graph();
        assert_eq!(json["body"], json!({"contentType": "HTML", "content": "<p>Hi</p>"}));
        assert_eq!(json["toRecipients"], json!([{"emailAddress": {"address": "ann@example.com"}}]));
        assert_eq!(json["ccRecipients"][0]["emailAddress"]["address"], "bob@example.com");
        assert_eq!(json["attachments"][0]["@odata.type"], "#microsoft.graph.fileAttachment");
        assert_eq!(json["attachments"][0]["contentBytes"], "aGVsbG8=");
    }

    #[test]
    fn path_segments_are_encoded() {
        let url = url("https://graph.example/v1.0", &["users", "a b@x.com", "messages", "AA/B+C=", "send"]).unwrap();
        assert_eq!(url.as_str(), "https://graph.example/v1.0/users/a%20b@x.com/messages/AA%2FB+C=/send");
    }

    #[test]
    fn tokens_are_refreshed_before_they_expire() {
        assert_eq!(refresh_margin(3599), 300);
        assert_eq!(refresh_margin(120), 60);
        assert_eq!(refresh_margin(0), 0);
    }
}
