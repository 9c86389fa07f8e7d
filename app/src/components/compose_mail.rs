//! "Email": compose a mail from an account or a contact and send it through Office 365.
//!
//! The optional attachment is uploaded first (`POST /documents`, with the session cookie), then
//! the mail goes through the `send_mail` server function — the service behind
//! `POST /integrations/office365/email` — which logs it on the account (and contact). The page
//! then reloads, so the mail shows in the timeline. Errors show next to the field they name, or
//! above the button (Office 365 not configured, refused, throttled).

use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};

use super::Icon;
use crate::{
    error::AppError,
    model::{EmailRequest, text_to_html},
    server_fns::send_mail,
};

const INPUT: &str = "block w-full min-h-11 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-[invalid=true]:border-rose-500";
const BUTTON: &str = "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm transition hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60";
const TOGGLE: &str = "inline-flex min-h-11 items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50 disabled:opacity-60";

/// Fields the server names in its errors, shown under their inputs.
const FIELDS: &[&str] = &["to_email", "cc_emails", "subject", "body", "attachment"];

/// The mail form of one account or contact; closed until its button is pressed.
#[component]
pub fn ComposeMail(
    /// Unique on the page; element ids start with it.
    key: String,
    account_id: String,
    #[prop(default = None)] contact_id: Option<String>,
    /// The recipient to start with (the contact's or account's address).
    #[prop(default = None)]
    to: Option<String>,
    /// Run after the mail was sent (to reload the timeline).
    on_sent: Callback<()>,
) -> impl IntoView {
    let to = RwSignal::new(to.unwrap_or_default());
    let cc = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let open = RwSignal::new(false);
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let form_ref = NodeRef::<html::Form>::new();
    let file_ref = NodeRef::<html::Input>::new();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let cc_emails = cc
            .get_untracked()
            .split([',', ';'])
            .map(str::trim)
            .filter(|address| !address.is_empty())
            .map(str::to_owned)
            .collect();
        let mut request = EmailRequest {
            to_email: to.get_untracked(),
            subject: subject.get_untracked(),
            body: text_to_html(&text.get_untracked()),
            cc_emails,
            attachments: Vec::new(),
            account_id: Some(account_id.clone()),
            contact_id: contact_id.clone(),
            opportunity_id: None,
        };
        let (form, file) = (form_ref.get_untracked(), file_ref.get_untracked());
        error.set(None);
        notice.set(None);
        sending.set(true);
        spawn_local(async move {
            let sent = async {
                if let Some(document_id) = upload_attachment(form, file).await? {
                    request.attachments.push(document_id);
                }
                send_mail(request).await
            }
            .await;
            match sent {
                Ok(_) => {
                    notice.set(Some("Sent. The mail is in the activity timeline.".into()));
                    subject.set(String::new());
                    text.set(String::new());
                    open.set(false);
                    on_sent.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            sending.set(false);
        });
    };

    let id = move |field: &str| format!("{key}-{field}");
    let message = move |field: &'static str| {
        move || error.with(|e| e.as_ref().filter(|e| e.field.as_deref() == Some(field)).map(|e| e.detail.clone()))
    };
    let field_error = move |field: &'static str| {
        move || message(field)().map(|m| view! { <p role="alert" class="text-sm text-rose-700">{m}</p> })
    };
    let general_error = move || {
        error.with(|e| {
            e.as_ref().filter(|e| !e.field.as_deref().is_some_and(|f| FIELDS.contains(&f))).map(|e| e.detail.clone())
        })
    };

    let form = view! {
        <form
            node_ref=form_ref
            novalidate
            aria-label="Compose email"
            data-testid="compose-mail"
            class="mt-3 space-y-3"
            on:submit=submit
        >
            <div class="space-y-1">
                <label for=id("to") class="block text-sm font-medium text-slate-700">"To"</label>
                <input id=id("to") type="email" autocomplete="off" class=INPUT bind:value=to aria-invalid=move || message("to_email")().map(|_| "true") />
                {field_error("to_email")}
            </div>
            <div class="space-y-1">
                <label for=id("cc") class="block text-sm font-medium text-slate-700">"Cc (comma-separated)"</label>
                <input id=id("cc") type="text" autocomplete="off" class=INPUT bind:value=cc aria-invalid=move || message("cc_emails")().map(|_| "true") />
                {field_error("cc_emails")}
            </div>
            <div class="space-y-1">
                <label for=id("subject") class="block text-sm font-medium text-slate-700">"Subject"</label>
                <input id=id("subject") type="text" autocomplete="off" class=INPUT bind:value=subject aria-invalid=move || message("subject")().map(|_| "true") />
                {field_error("subject")}
            </div>
            <div class="space-y-1">
                <label for=id("body") class="block text-sm font-medium text-slate-700">"Message"</label>
                <textarea id=id("body") rows="5" class=INPUT bind:value=text aria-invalid=move || message("body")().map(|_| "true")></textarea>
                {field_error("body")}
            </div>
            <div class="space-y-1">
                <label for=id("file") class="block text-sm font-medium text-slate-700">"Attachment (optional, up to 3 MB)"</label>
                <input id=id("file") node_ref=file_ref name="file" type="file" class="block w-full text-sm" />
                {field_error("attachment")}
            </div>
            {move || general_error().map(|m| view! {
                <p role="alert" class="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200">{m}</p>
            })}
            <button type="submit" class=BUTTON disabled=move || sending.get() || !hydrated.get()>
                {move || if sending.get() { "Sending…" } else { "Send email" }}
            </button>
        </form>
    };

    view! {
        <div class="min-w-0">
            <button
                type="button"
                class=TOGGLE
                aria-expanded=move || if open.get() { "true" } else { "false" }
                disabled=move || !hydrated.get()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <Icon name="mail" class="h-4 w-4" />
                "Email"
            </button>
            {move || notice.get().map(|n| view! { <p role="status" class="mt-2 text-sm text-emerald-700">{n}</p> })}
            <div hidden=move || !open.get()>{form}</div>
        </div>
    }
}

/// Uploads the form's file, if one was chosen; returns its document id.
#[cfg(feature = "hydrate")]
async fn upload_attachment(
    form: Option<web_sys::HtmlFormElement>,
    file: Option<web_sys::HtmlInputElement>,
) -> Result<Option<String>, AppError> {
    let (Some(form), Some(file)) = (form, file) else { return Ok(None) };
    if file.value().is_empty() {
        return Ok(None);
    }
    let failed = |detail: &str| AppError::invalid("attachment", format!("Attachment: {detail}"));
    // Only the file input has a `name`, so the form data is exactly the `file` part.
    let data = web_sys::FormData::new_with_form(&form).map_err(|_| failed("the file could not be read"))?;
    let response = gloo_net::http::Request::post("/documents")
        .body(data)
        .map_err(|_| failed("the file could not be read"))?
        .send()
        .await
        .map_err(|_| failed("Lanes could not be reached"))?;
    if response.ok() {
        let document: crate::model::Document =
            response.json().await.map_err(|_| failed("Lanes answered something unexpected"))?;
        return Ok(Some(document.document_id));
    }
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    Err(failed(body["detail"].as_str().unwrap_or("the upload failed")))
}

/// On the server nothing is uploaded (the form only submits in the browser).
#[cfg(not(feature = "hydrate"))]
async fn upload_attachment(
    _form: Option<web_sys::HtmlFormElement>,
    _file: Option<web_sys::HtmlInputElement>,
) -> Result<Option<String>, AppError> {
    Ok(None)
}
