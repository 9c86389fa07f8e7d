//! Browser-side protections: a nonce-based Content-Security-Policy on pages, and nosniff,
//! no framing and a referrer policy on every response; HSTS only behind https.

use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};

use crate::helpers::{TestApp, body_text};

async fn get(app: &TestApp, path: &str, accept: &str) -> (StatusCode, HeaderMap, String) {
    let request = Request::get(path).header(header::ACCEPT, accept).body(Body::empty()).unwrap();
    let response = app.send(request).await;
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, body_text(response).await)
}

fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

#[tokio::test]
async fn pages_allow_only_the_scripts_leptos_wrote_for_this_response() {
    let app = TestApp::sqlite().await;
    let (status, headers, html) = get(&app, "/login", "text/html").await;
    assert_eq!(status, StatusCode::OK);
    let policy = header_value(&headers, "content-security-policy");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"));
    assert!(nonce.len() >= 16, "a nonce of 128 bits: {nonce}");
    assert!(!policy.contains("'unsafe-inline' 'unsafe-eval'") && !policy.contains("script-src *"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");

    // Every script in the page carries this response's nonce (else hydration would be blocked).
    let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| s.split('>').next().unwrap()).collect();
    assert!(!scripts.is_empty(), "the page hydrates with a script");
    for attributes in scripts {
        assert!(attributes.contains(&format!("nonce=\"{nonce}\"")), "script without the nonce: <script{attributes}>");
    }

    // A second render gets a fresh nonce.
    let (_, again, _) = get(&app, "/login", "text/html").await;
    assert_ne!(header_value(&again, "content-security-policy"), policy);
}

#[tokio::test]
async fn every_response_forbids_sniffing_and_framing() {
    let app = TestApp::sqlite().await;
    for (path, accept) in [("/health", "application/json"), ("/accounts", "application/json"), ("/login", "text/html")]
    {
        let (_, headers, _) = get(&app, path, accept).await;
        assert_eq!(header_value(&headers, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header_value(&headers, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header_value(&headers, "referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "plain http must not pin https: {path}");
    }
    // An HTML answer Leptos did not render still gets a policy (without any inline script).
    let (status, headers, _) = get(&app, "/no-such-page", "text/html").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(header_value(&headers, "content-security-policy").contains("script-src 'self'"));
}

#[tokio::test]
async fn behind_https_browsers_are_told_to_stay_on_https() {
    let app = TestApp::sqlite_with(&[("LANES_PUBLIC_URL", "https://crm.example.com")]).await;
    let (_, headers, _) = get(&app, "/health", "application/json").await;
    assert!(header_value(&headers, "strict-transport-security").starts_with("max-age=31536000"));
}
