//! The browser-side protections every response carries: one place for the policy text.

/// The Content-Security-Policy of a page. Scripts run only from our origin or with this
/// response's nonce (Leptos stamps it on its hydration and streaming scripts); WASM may be
/// compiled; no plugin, no other site may frame us, forms post only to us. Inline style
/// attributes stay allowed: the charts set widths and colours with them, and a style cannot
/// run code. Without a nonce (responses not rendered by Leptos) no inline script runs at all.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'; manifest-src 'self'"
    )
}

/// Headers for every response, pages and API alike: no MIME sniffing (a JSON body is never
/// run as a script), no framing (clickjacking), and no full URLs leaking to other sites.
pub const COMMON_HEADERS: [(&str, &str); 3] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
];

/// Strict-Transport-Security, sent only when the public URL is https: a plain-http
/// deployment (a laptop, a test) must not pin browsers to https.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

#[cfg(test)]
mod tests {
    use super::*;

    fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
        policy.split(';').map(str::trim).find(|d| d.starts_with(name)).unwrap_or_else(|| panic!("{name} in {policy}"))
    }

    #[test]
    fn only_our_files_and_this_responses_nonce_may_run_scripts() {
        let with = content_security_policy(Some("abc123"));
        assert_eq!(directive(&with, "script-src"), "script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'");
        let without = content_security_policy(None);
        assert_eq!(directive(&without, "script-src"), "script-src 'self' 'wasm-unsafe-eval'");
        for policy in [with, without] {
            assert_eq!(directive(&policy, "frame-ancestors"), "frame-ancestors 'none'");
            assert_eq!(directive(&policy, "object-src"), "object-src 'none'");
            assert_eq!(directive(&policy, "default-src"), "default-src 'self'");
            // The web app manifest and its icons come from our origin.
            assert_eq!(directive(&policy, "manifest-src"), "manifest-src 'self'");
            assert_eq!(directive(&policy, "img-src"), "img-src 'self' data:");
        }
    }
}
