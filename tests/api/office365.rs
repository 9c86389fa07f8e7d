//! `POST /integrations/office365/email` against stand-ins for Microsoft's sign-in and Graph that
//! record every request; `POST /documents`; reminder mails through the outbox.

use app::server::{outbox, reminders};
use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    engines_with_settings,
    helpers::{Engine, TestApp, body_json, body_text, detail, temp_dir},
    standin::{Received, Reply, StandIn},
    tasks::account_and_deal,
};

engines_with_settings!(
    mail_goes_through_graph_with_one_cached_token,
    an_expired_token_is_fetched_again,
    unconfigured_office365_is_a_503,
    graph_refusals_are_502s_with_graph_error_codes,
    throttling_is_waited_out_once_or_passed_on,
    attachments_are_only_documents_or_files_of_the_folder,
    documents_upload_with_limits_and_visibility,
    reminders_are_mailed_once_through_the_outbox,
);

const SENDER: &str = "sales@lanes.example";
const SECRET: &str = "o365-client-secret-value";
/// SHA-256 of "hello".
const HELLO_SHA256: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

fn token_reply(token: &str, expires_in: u64) -> Reply {
    Reply::json(
        200,
        json!({"token_type": "Bearer", "expires_in": expires_in, "ext_expires_in": expires_in, "access_token": token}),
    )
}

fn created(id: &str) -> Reply {
    Reply::json(201, json!({"id": id, "subject": "ignored"}))
}

fn accepted() -> Reply {
    Reply { status: StatusCode::ACCEPTED, headers: vec![], body: String::new() }
}

fn graph_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(status, json!({"error": {"code": code, "message": message}}))
}

/// Stand-ins for login.microsoftonline.com and graph.microsoft.com.
struct Microsoft {
    login: StandIn,
    graph: StandIn,
}

impl Microsoft {
    async fn start() -> Microsoft {
        Microsoft {
            login: StandIn::start(token_reply("token-1", 3599)).await,
            graph: StandIn::start(graph_error(500, "UnexpectedCall", "not scripted")).await,
        }
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LANES_O365_TENANT_ID", "tenant-42".into()),
            ("LANES_O365_CLIENT_ID", "client-7".into()),
            ("LANES_O365_CLIENT_SECRET", SECRET.into()),
            ("LANES_O365_SENDER", SENDER.into()),
            ("LANES_O365_LOGIN_URL", self.login.url.clone()),
            ("LANES_O365_GRAPH_URL", format!("{}/v1.0", self.graph.url)),
        ]
    }

    /// A Lanes using these stand-ins; `extra` settings come last and win.
    async fn app(&self, engine: Engine, extra: &[(&'static str, String)]) -> TestApp {
        let mut settings = self.settings();
        settings.extend(extra.iter().cloned());
        let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        engine.app_with(&pairs).await
    }
}

pub async fn send_mail(app: &TestApp, token: &str, body: Value) -> (StatusCode, HeaderMap, Value) {
    let request = Request::post("/integrations/office365/email")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.send(request).await;
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, body_json(response).await)
}

const BOUNDARY: &str = "lanes-test-boundary-7MA4YWxkTrZu0gW";
/// The content type of the bodies `multipart` makes.
pub const MULTIPART: &str = "multipart/form-data; boundary=lanes-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body (content type `MULTIPART`) with one `file` part.
pub fn multipart(file_name: &str, content_type: &str, content: &[u8]) -> Vec<u8> {
    let boundary = BOUNDARY;
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// `POST /documents` with one file.
pub async fn upload(app: &TestApp, token: &str, file_name: &str, content: &[u8]) -> (StatusCode, Value) {
    let request = Request::post("/documents")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, MULTIPART)
        .body(Body::from(multipart(file_name, "text/plain", content)))
        .unwrap();
    let response = app.send(request).await;
    let status = response.status();
    (status, body_json(response).await)
}

fn form(received: &Received) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&received.body).unwrap();
    pairs.sort();
    pairs
}

fn mail(to: &str) -> Value {
    json!({
        "to_email": to,
        "subject": "Proposal for Logistics Upgrade",
        "body": "<html><body><h2>Proposal Details</h2><p>Please find attached our proposal&nbsp;&amp; terms.</p></body></html>",
        "cc_emails": ["Manager@TechCorp.com"],
    })
}

async fn mail_goes_through_graph_with_one_cached_token(engine: Engine) {
    let ms = Microsoft::start().await;
    let folder = temp_dir();
    std::fs::write(folder.join("terms.txt"), b"Terms and conditions").unwrap();
    let app = ms.app(engine, &[("LANES_ATTACHMENTS_DIR", folder.display().to_string())]).await;
    let token = app.admin_token().await;
    let (account_id, deal) = account_and_deal(&app, &token, "TechCorp").await;
    let (status, document) = upload(&app, &token, "proposal.txt", b"hello").await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    let document_id = document["document_id"].as_str().unwrap();

    ms.graph.script([created("AAMkAGI2-first"), accepted(), created("AAMkAGI2-second"), accepted()]);
    let mut request = mail("client@techcorp.com");
    request["attachments"] = json!([document_id, "terms.txt"]);
    request["account_id"] = json!(account_id);
    let (status, _, body) = send_mail(&app, &token, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["status"], "sent");
    assert_eq!(body["message"], "Email sent successfully");
    assert_eq!(body["message_id"], "AAMkAGI2-first", "Graph's id of the message");
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'), "{body}");
    let activity_id = body["activity_id"].as_str().unwrap().to_owned();

    // The token request: client credentials for the tenant, as a form.
    let login = ms.login.received();
    assert_eq!(login.len(), 1);
    assert_eq!(login[0].method, "POST");
    assert_eq!(login[0].path, "/tenant-42/oauth2/v2.0/token");
    assert_eq!(login[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        form(&login[0]),
        vec![
            ("client_id".to_owned(), "client-7".to_owned()),
            ("client_secret".to_owned(), SECRET.to_owned()),
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            ("scope".to_owned(), "https://graph.microsoft.com/.default".to_owned()),
        ]
    );

    // The message is created in the sender's mailbox, then sent.
    let graph = ms.graph.received();
    assert_eq!(graph.len(), 2, "{graph:?}");
    assert_eq!(graph[0].method, "POST");
    assert_eq!(graph[0].path, format!("/v1.0/users/{SENDER}/messages"));
    assert_eq!(graph[0].header("authorization"), Some("Bearer token-1"));
    let message = graph[0].json();
    assert_eq!(message["subject"], "Proposal for Logistics Upgrade");
    assert_eq!(message["body"]["contentType"], "HTML");
    assert!(message["body"]["content"].as_str().unwrap().starts_with("<html><body><h2>Proposal Details"));
    assert_eq!(message["toRecipients"], json!([{"emailAddress": {"address": "client@techcorp.com"}}]));
    assert_eq!(message["ccRecipients"], json!([{"emailAddress": {"address": "manager@techcorp.com"}}]));
    let attachments = message["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 2);
    assert_eq!(attachments[0]["@odata.type"], "#microsoft.graph.fileAttachment");
    assert_eq!(attachments[0]["name"], "proposal.txt");
    assert_eq!(attachments[0]["contentType"], "text/plain");
    assert_eq!(attachments[0]["contentBytes"], "aGVsbG8=", "base64 of the uploaded content");
    assert_eq!(attachments[1]["name"], "terms.txt");
    assert_eq!(attachments[1]["contentBytes"], "VGVybXMgYW5kIGNvbmRpdGlvbnM=");
    assert_eq!(graph[1].method, "POST");
    assert_eq!(graph[1].path, format!("/v1.0/users/{SENDER}/messages/AAMkAGI2-first/send"));
    assert_eq!(graph[1].header("authorization"), Some("Bearer token-1"));
    assert_eq!(graph[1].header("content-length"), Some("0"));

    // Logged as a completed email on the account's timeline.
    let (_, activity) = app.get(&format!("/activities/{activity_id}"), Some(&token)).await;
    assert_eq!(activity["activity_type"], "email");
    assert_eq!(activity["status"], "completed");
    assert_eq!(activity["subject"], "Proposal for Logistics Upgrade");
    assert_eq!(activity["account_id"], account_id.as_str());
    let description = activity["description"].as_str().unwrap();
    assert!(
        description
            .starts_with("To: client@techcorp.com\nCc: manager@techcorp.com\nAttachments: proposal.txt, terms.txt"),
        "{description}"
    );
    assert!(description.contains("Proposal Details Please find attached our proposal & terms."), "{description}");
    let (_, detail_view) = app.get(&format!("/accounts/{account_id}"), Some(&token)).await;
    assert!(detail_view["activities"].to_string().contains(&activity_id), "{detail_view}");

    // A second mail, logged on a deal: the same token (one sign-in), the deal's account.
    let mut request = mail("client@techcorp.com");
    request["opportunity_id"] = json!(deal);
    let (status, _, body) = send_mail(&app, &token, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message_id"], "AAMkAGI2-second");
    assert_eq!(ms.login.received().len(), 1, "the token is cached");
    assert_eq!(ms.graph.received()[2].header("authorization"), Some("Bearer token-1"));
    let (_, activity) = app.get(&format!("/activities/{}", body["activity_id"].as_str().unwrap()), Some(&token)).await;
    assert_eq!(activity["opportunity_id"], deal.as_str());
    assert_eq!(activity["account_id"], account_id.as_str(), "a deal's mail shows on its account");

    // Without records to log on, nothing is logged.
    ms.graph.script([created("AAMkAGI2-third"), accepted()]);
    let (status, _, body) = send_mail(&app, &token, mail("someone@example.com")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["activity_id"], Value::Null);

    let (_, health) = app.get("/health", None).await;
    assert_eq!(health["modules"]["integrations"]["office365"], "configured");
    assert_eq!(health["modules"]["integrations"]["last_calls"]["office365"]["outcome"], "ok", "{health}");
    std::fs::remove_dir_all(folder).unwrap();
}

async fn an_expired_token_is_fetched_again(engine: Engine) {
    let ms = Microsoft::start().await;
    ms.login.script([token_reply("short-lived", 0), token_reply("fresh", 3599)]);
    let app = ms.app(engine, &[]).await;
    let token = app.admin_token().await;
    ms.graph.script([created("M1"), accepted(), created("M2"), accepted()]);
    assert_eq!(send_mail(&app, &token, mail("a@example.com")).await.0, StatusCode::OK);
    assert_eq!(send_mail(&app, &token, mail("a@example.com")).await.0, StatusCode::OK);
    assert_eq!(ms.login.received().len(), 2, "an expired token is not reused");
    let graph = ms.graph.received();
    assert_eq!(graph[0].header("authorization"), Some("Bearer short-lived"));
    assert_eq!(graph[2].header("authorization"), Some("Bearer fresh"));
}

async fn unconfigured_office365_is_a_503(engine: Engine) {
    let app = engine.app_with(&[("LANES_O365_TENANT_ID", "tenant-only")]).await;
    let token = app.admin_token().await;
    let (status, _, body) = send_mail(&app, &token, mail("client@techcorp.com")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let detail = detail(&body);
    assert!(detail.contains("Office 365 is not configured"), "{detail}");
    for setting in ["LANES_O365_TENANT_ID", "LANES_O365_CLIENT_ID", "LANES_O365_CLIENT_SECRET", "LANES_O365_SENDER"] {
        assert!(detail.contains(setting), "{detail}");
    }
    let (_, health) = app.get("/health", None).await;
    assert_eq!(health["modules"]["integrations"]["office365"], "not_configured");

    // Who may send: anonymous callers never, viewers never.
    let (status, _) = app.post("/integrations/office365/email", None, mail("a@example.com")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let viewer = app.user_token("viewer").await;
    let (status, _, body) = send_mail(&app, &viewer, mail("a@example.com")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

async fn graph_refusals_are_502s_with_graph_error_codes(engine: Engine) {
    let ms = Microsoft::start().await;
    let app = ms.app(engine, &[]).await;
    let token = app.admin_token().await;
    let (account_id, _) = account_and_deal(&app, &token, "TechCorp").await;
    let mut request = mail("client@techcorp.com");
    request["account_id"] = json!(account_id);

    // Graph refuses the message: 502 with its code; nothing logged.
    ms.graph.script([graph_error(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")]);
    let (status, _, body) = send_mail(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    let text = detail(&body);
    assert!(text.starts_with("Office 365: ") && text.contains("ErrorInvalidRecipients"), "{text}");
    assert!(text.contains("HTTP 400"), "{text}");
    let (_, activities) = app.get(&format!("/activities?account_id={account_id}"), Some(&token)).await;
    assert_eq!(activities["activities"].as_array().unwrap().len(), 0, "an unsent mail is not logged");
    let (_, health) = app.get("/health", None).await;
    assert_eq!(health["modules"]["integrations"]["last_calls"]["office365"]["outcome"], "client_error");

    // Sending the draft fails: 502, and the draft is deleted again.
    ms.graph.script([
        created("DRAFT-9"),
        graph_error(403, "ErrorAccessDenied", "Access is denied."),
        Reply { status: StatusCode::NO_CONTENT, headers: vec![], body: String::new() },
    ]);
    let (status, _, body) = send_mail(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(detail(&body).contains("ErrorAccessDenied"), "{body}");
    let graph = ms.graph.received();
    let last = graph.last().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path.as_str()),
        ("DELETE", format!("/v1.0/users/{SENDER}/messages/DRAFT-9").as_str())
    );

    // An answer Lanes cannot read is a 502, never a 500.
    ms.graph.script([Reply { status: StatusCode::CREATED, headers: vec![], body: "<html>proxy page</html>".into() }]);
    let (status, _, body) = send_mail(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");

    // Graph rejects the token: the cached one is dropped and the next mail signs in again.
    let logins = ms.login.received().len();
    ms.graph.script([graph_error(401, "InvalidAuthenticationToken", "Access token has expired.")]);
    let (status, _, _) = send_mail(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    ms.graph.script([created("AFTER-401"), accepted()]);
    let (status, _, _) = send_mail(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ms.login.received().len(), logins + 1, "signed in again after the 401");

    // The sign-in is refused: the OAuth error and Entra's number, never the secret or trace ids.
    let refused = StandIn::start(Reply::json(
        401,
        json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Trace ID: 0000aaaa-11bb Correlation ID: 2222cccc"}),
    ))
    .await;
    let app = ms.app(engine, &[("LANES_O365_LOGIN_URL", refused.url.clone())]).await;
    let token = app.admin_token().await;
    let (status, _, body) = send_mail(&app, &token, mail("client@techcorp.com")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    let text = detail(&body);
    assert!(text.contains("invalid_client") && text.contains("AADSTS7000215"), "{text}");
    assert!(!text.contains("Trace ID") && !text.contains(SECRET), "{text}");

    // Nobody listens: 502 as well.
    let app = ms.app(engine, &[("LANES_O365_LOGIN_URL", "http://127.0.0.1:9".into())]).await;
    let token = app.admin_token().await;
    let (status, _, body) = send_mail(&app, &token, mail("client@techcorp.com")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(detail(&body).contains("could not be reached"), "{body}");
}

async fn throttling_is_waited_out_once_or_passed_on(engine: Engine) {
    let ms = Microsoft::start().await;
    let app = ms.app(engine, &[]).await;
    let token = app.admin_token().await;
    let throttled = |secs: &str| Reply {
        status: StatusCode::TOO_MANY_REQUESTS,
        headers: vec![("retry-after".into(), secs.into()), ("content-type".into(), "application/json".into())],
        body: json!({"error": {"code": "ApplicationThrottled", "message": "Too many requests"}}).to_string(),
    };

    // A short wait is waited out and the call repeated once.
    ms.graph.script([throttled("1"), created("AFTER-WAIT"), accepted()]);
    let started = std::time::Instant::now();
    let (status, _, body) = send_mail(&app, &token, mail("a@example.com")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message_id"], "AFTER-WAIT");
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "Retry-After was honoured");
    assert_eq!(ms.graph.received().len(), 3);

    // A long one goes to the client: 503 with Graph's Retry-After, nothing repeated.
    ms.graph.script([throttled("120")]);
    let (status, headers, body) = send_mail(&app, &token, mail("a@example.com")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "120");
    assert!(detail(&body).contains("try again in 120 s"), "{body}");
    assert_eq!(ms.graph.received().len(), 4);

    // Throttled twice in a row: the second is passed on, not waited out again.
    ms.graph.script([throttled("1"), throttled("1")]);
    let (status, headers, _) = send_mail(&app, &token, mail("a@example.com")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1");
    assert_eq!(ms.graph.received().len(), 6);
}

async fn attachments_are_only_documents_or_files_of_the_folder(engine: Engine) {
    let ms = Microsoft::start().await;
    let root = temp_dir();
    let folder = root.join("attachments");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("ok.txt"), b"fine").unwrap();
    std::fs::write(root.join("secret.txt"), b"do not send").unwrap();
    std::os::unix::fs::symlink(root.join("secret.txt"), folder.join("link-out.txt")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", folder.join("passwd")).unwrap();
    let app = ms.app(engine, &[("LANES_ATTACHMENTS_DIR", folder.display().to_string())]).await;
    let token = app.admin_token().await;

    for bad in [
        "../../etc/passwd",
        "/etc/passwd",
        "../secret.txt",
        "link-out.txt",
        "passwd",
        "..",
        "sub/ok.txt",
        "missing.txt",
        "DOC_NOSUCH00",
        "",
    ] {
        let mut request = mail("a@example.com");
        request["attachments"] = json!(["ok.txt", bad]);
        let (status, _, body) = send_mail(&app, &token, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {body}");
        assert!(detail(&body).starts_with("attachments[1]: "), "{bad:?}: {body}");
    }
    assert_eq!(ms.graph.received().len(), 0, "nothing was sent");
    assert_eq!(ms.login.received().len(), 0);

    // Too many, too large.
    let mut request = mail("a@example.com");
    request["attachments"] = json!(vec!["ok.txt"; 11]);
    let (status, _, body) = send_mail(&app, &token, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let big = vec![b'x'; 2 * 1024 * 1024];
    let (_, first) = upload(&app, &token, "big1.bin", &big).await;
    let (_, second) = upload(&app, &token, "big2.bin", &big).await;
    let mut request = mail("a@example.com");
    request["attachments"] = json!([first["document_id"], second["document_id"]]);
    let (status, _, body) = send_mail(&app, &token, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).contains("3 MB"), "{body}");

    // Other bad input names its field.
    for (field, value) in [
        ("to_email", json!("not-an-address")),
        ("cc_emails", json!(["ok@example.com", "bad address"])),
        ("subject", json!("  ")),
        ("body", json!("")),
        ("account_id", json!("ACC_NOSUCH00")),
        ("contact_id", json!("nonsense")),
    ] {
        let mut request = mail("a@example.com");
        request[field] = value;
        let (status, _, body) = send_mail(&app, &token, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert!(detail(&body).starts_with(field), "{field}: {body}");
    }
    let mut request = mail("a@example.com");
    request["attachment_paths"] = json!(["/etc/passwd"]);
    let (status, _, _) = send_mail(&app, &token, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown fields are refused");
    assert_eq!(ms.graph.received().len(), 0);

    // Without an attachments folder, a file name is refused too.
    let app = ms.app(engine, &[]).await;
    let token = app.admin_token().await;
    let mut request = mail("a@example.com");
    request["attachments"] = json!(["ok.txt"]);
    let (status, _, body) = send_mail(&app, &token, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).contains("no attachments folder"), "{body}");
    std::fs::remove_dir_all(root).unwrap();
}

async fn documents_upload_with_limits_and_visibility(engine: Engine) {
    let ms = Microsoft::start().await;
    let app = ms.app(engine, &[("LANES_USER_VISIBILITY", "own".into())]).await;
    let owner = app.user_token("user").await;
    let (_, me) = app.get("/auth/me", Some(&owner)).await;

    let (status, document) = upload(&app, &owner, "../../etc/passwd", b"hello").await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    let id = document["document_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("DOC_") && id.len() == 12, "{id}");
    assert_eq!(document["file_name"], "passwd", "only the base name is kept");
    assert_eq!(document["content_type"], "text/plain");
    assert_eq!(document["size_bytes"], 5);
    assert_eq!(document["sha256"], HELLO_SHA256);
    assert_eq!(document["uploaded_by"], me["user_id"]);

    let (status, fetched) = app.get(&format!("/documents/{id}"), Some(&owner)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, document);
    let response = app
        .send(
            Request::get(format!("/documents/{id}/content"))
                .header(header::AUTHORIZATION, format!("Bearer {owner}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/octet-stream");
    assert_eq!(response.headers()[header::CONTENT_DISPOSITION], "attachment; filename=\"passwd\"");
    assert_eq!(body_text(response).await, "hello");

    // Others under `own` visibility: not found; managers see it.
    let other = app.user_token("user").await;
    for path in [format!("/documents/{id}"), format!("/documents/{id}/content")] {
        let (status, body) = app.get(&path, Some(&other)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    let mut request = mail("a@example.com");
    request["attachments"] = json!([id]);
    let (status, _, body) = send_mail(&app, &other, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "another user's document cannot be attached: {body}");
    let manager = app.user_token("manager").await;
    assert_eq!(app.get(&format!("/documents/{id}"), Some(&manager)).await.0, StatusCode::OK);

    // Limits: 10 MiB, not empty, a `file` part, multipart at all, a writer's role.
    let (status, body) = upload(&app, &owner, "big.bin", &vec![0u8; 10 * 1024 * 1024 + 1]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    detail(&body);
    let (status, body) = upload(&app, &owner, "huge.bin", &vec![0u8; 12 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    detail(&body);
    let (status, body) = upload(&app, &owner, "empty.txt", b"").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app.post("/documents", Some(&owner), json!({"file": "aGVsbG8="})).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let wrong_part = multipart("a.txt", "text/plain", b"x");
    let request = Request::post("/documents")
        .header(header::AUTHORIZATION, format!("Bearer {owner}"))
        .header(header::CONTENT_TYPE, MULTIPART)
        .body(Body::from(String::from_utf8(wrong_part).unwrap().replace("name=\"file\"", "name=\"other\"")))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let viewer = app.user_token("viewer").await;
    let (status, _) = upload(&app, &viewer, "a.txt", b"hello").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get("/documents/DOC_NOSUCH00", Some(&owner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get(&format!("/documents/{id}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn reminders_are_mailed_once_through_the_outbox(engine: Engine) {
    let ms = Microsoft::start().await;
    let app = ms.app(engine, &[("LANES_PUBLIC_URL", "https://crm.lanes.example".into())]).await;
    let token = app.admin_token().await;
    let (_, me) = app.get("/auth/me", Some(&token)).await;
    let remind = |title: &str| json!({"title": title, "assigned_to": me["user_id"], "due_date": "2030-01-01T09:00:00Z", "reminder_date": "2020-01-01T08:00:00Z"});

    assert_eq!(app.post("/tasks", Some(&token), remind("Call <TechCorp>")).await.0, StatusCode::CREATED);
    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 1);
    ms.graph.script([created("REMINDER-1"), accepted()]);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    let graph = ms.graph.received();
    assert_eq!(graph.len(), 2);
    assert_eq!(graph[0].path, format!("/v1.0/users/{SENDER}/messages"));
    let message = graph[0].json();
    assert_eq!(message["toRecipients"], json!([{"emailAddress": {"address": me["email"]}}]));
    assert_eq!(message["subject"], "Reminder: Call <TechCorp>");
    let html = message["body"]["content"].as_str().unwrap();
    assert!(html.contains("Reminder: Call &lt;TechCorp&gt;"), "escaped: {html}");
    assert!(html.contains("Due 2030-01-01T09:00:00Z"), "{html}");
    assert!(html.contains("href=\"https://crm.lanes.example/tasks\""), "{html}");
    assert_eq!(graph[1].path, format!("/v1.0/users/{SENDER}/messages/REMINDER-1/send"));
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 0, "mailed once");
    assert_eq!(reminders::fire_due(&app.state).await.unwrap(), 0);

    // Sending fails after the draft was made: the retry sends the same draft, no second one.
    assert_eq!(app.post("/tasks", Some(&token), remind("Second")).await.0, StatusCode::CREATED);
    reminders::fire_due(&app.state).await.unwrap();
    ms.graph.script([created("REMINDER-2"), graph_error(503, "ServiceUnavailable", "Try later")]);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(outbox::backlog(&app.state).await.unwrap(), 1, "to be retried");
    make_due(&app).await;
    ms.graph.script([accepted()]);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    let graph = ms.graph.received();
    assert_eq!(graph.len(), 5, "{graph:?}");
    assert_eq!(graph[4].path, format!("/v1.0/users/{SENDER}/messages/REMINDER-2/send"));
    assert_eq!(outbox::backlog(&app.state).await.unwrap(), 0);

    // The send went through but the worker died before noting it: Graph no longer has the
    // draft (404), which means it was sent — done, not sent again.
    assert_eq!(app.post("/tasks", Some(&token), remind("Third")).await.0, StatusCode::CREATED);
    reminders::fire_due(&app.state).await.unwrap();
    ms.graph.script([created("REMINDER-3"), graph_error(504, "GatewayTimeout", "")]);
    outbox::deliver_due(&app.state).await.unwrap();
    make_due(&app).await;
    ms.graph.script([graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")]);
    assert_eq!(outbox::deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(outbox::backlog(&app.state).await.unwrap(), 0);
    let status: String = sqlx::query_scalar("SELECT status FROM outbox WHERE payload LIKE '%REMINDER-3%'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "done");
    let creates = ms.graph.received().iter().filter(|r| r.path.ends_with("/messages")).count();
    assert_eq!(creates, 3, "one draft per reminder");

    // Without Office 365 nothing is queued.
    let plain = engine.app_with(&[]).await;
    let token = plain.admin_token().await;
    let (_, me) = plain.get("/auth/me", Some(&token)).await;
    let body = json!({"title": "Plain", "assigned_to": me["user_id"], "reminder_date": "2020-01-01T08:00:00Z"});
    assert_eq!(plain.post("/tasks", Some(&token), body).await.0, StatusCode::CREATED);
    assert_eq!(reminders::fire_due(&plain.state).await.unwrap(), 1);
    assert_eq!(outbox::backlog(&plain.state).await.unwrap(), 0);
}

/// Makes every pending outbox row due now (instead of waiting out its backoff).
async fn make_due(app: &TestApp) {
    sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE status = 'pending'")
        .execute(app.state.db.pool())
        .await
        .unwrap();
}
