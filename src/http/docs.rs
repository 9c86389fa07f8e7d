//! `GET /openapi.json` and `GET /docs`: the API description as JSON and as a readable page that
//! needs nothing from the internet (no CDN scripts: rendered here from the same document).

use std::fmt::Write as _;

use app::server::AppState;
use axum::{
    Json, Router,
    response::{Html, IntoResponse},
    routing::get,
};
use utoipa::openapi::{RefOr, Required, path::Operation, schema::Schema};

use super::openapi::document;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json)).route("/docs", get(docs_page))
}

async fn openapi_json() -> impl IntoResponse {
    Json(document())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `#/components/schemas/Account` → a link to that schema's section.
fn schema_link(schema: &RefOr<Schema>) -> String {
    match schema {
        RefOr::Ref(r) => {
            let name = r.ref_location.rsplit('/').next().unwrap_or_default();
            format!("<a href=\"#schema-{0}\">{0}</a>", escape(name))
        }
        RefOr::T(schema) => format!("<code>{}</code>", escape(&serde_json::to_string(schema).unwrap_or_default())),
    }
}

fn operation_html(out: &mut String, method: &str, path: &str, op: &Operation) {
    let id = format!("{method}-{path}").replace(['/', '{', '}'], "_");
    let _ = write!(
        out,
        "<details id=\"{id}\"><summary><span class=\"m {method}\">{}</span> <code>{}</code> {}</summary>",
        method.to_uppercase(),
        escape(path),
        escape(op.summary.as_deref().unwrap_or_default())
    );
    if let Some(description) = &op.description {
        let _ = write!(out, "<p>{}</p>", escape(description));
    }
    if let Some(params) = op.parameters.as_ref().filter(|p| !p.is_empty()) {
        out.push_str("<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Type</th><th>Description</th></tr>");
        for p in params.iter().filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        }) {
            let in_ = serde_json::to_value(&p.parameter_in)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.name),
                in_,
                if matches!(p.required, Required::True) { "yes" } else { "no" },
                p.schema.as_ref().map(schema_link).unwrap_or_default(),
                escape(p.description.as_deref().unwrap_or_default())
            );
        }
        out.push_str("</table>");
    }
    if let Some(RefOr::T(body)) = &op.request_body {
        for (media, content) in body.content.iter().filter_map(|(m, c)| match c {
            RefOr::T(c) => Some((m, c)),
            RefOr::Ref(_) => None,
        }) {
            let _ = write!(
                out,
                "<p>Body ({}): {}</p>",
                escape(media),
                content.schema.as_ref().map(schema_link).unwrap_or_default()
            );
        }
    }
    out.push_str("<ul>");
    for (status, response) in &op.responses.responses {
        let (description, schema) = match response {
            RefOr::T(r) => (
                r.description.clone(),
                r.content
                    .values()
                    .next()
                    .and_then(|c| match c {
                        RefOr::T(c) => c.schema.as_ref(),
                        RefOr::Ref(_) => None,
                    })
                    .map(schema_link)
                    .unwrap_or_default(),
            ),
            RefOr::Ref(r) => (r.ref_location.clone(), String::new()),
        };
        let _ = write!(out, "<li><b>{status}</b> {} {schema}</li>", escape(&description));
    }
    out.push_str("</ul></details>");
}

async fn docs_page() -> Html<String> {
    static PAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(render);
    Html(PAGE.clone())
}

fn render() -> String {
    let doc = document();
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{} <small>{}</small></h1><p><a href=\"/openapi.json\">openapi.json</a> (OpenAPI {})</p>",
        escape(&doc.info.title),
        escape(&doc.info.version),
        serde_json::to_value(&doc.openapi).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    );
    for paragraph in doc.info.description.as_deref().unwrap_or_default().split("\n\n") {
        let _ = write!(body, "<p>{}</p>", escape(paragraph));
    }
    let tags: Vec<String> = doc.tags.iter().flatten().map(|t| t.name.clone()).collect();
    for tag in &tags {
        let _ = write!(body, "<h2 id=\"tag-{0}\">{0}</h2>", escape(tag));
        for (path, item) in &doc.paths.paths {
            let methods = [
                ("get", &item.get),
                ("post", &item.post),
                ("put", &item.put),
                ("patch", &item.patch),
                ("delete", &item.delete),
            ];
            for (method, op) in methods {
                if let Some(op) = op
                    && op.tags.iter().flatten().any(|t| t == tag)
                {
                    operation_html(&mut body, method, path, op);
                }
            }
        }
    }
    body.push_str("<h2>Schemas</h2>");
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            let json = serde_json::to_string_pretty(schema).unwrap_or_default();
            let _ = write!(body, "<h3 id=\"schema-{0}\">{0}</h3><pre>{1}</pre>", escape(name), escape(&json));
        }
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Lanes API</title><style>{STYLE}</style></head><body><nav>{}</nav><main>{body}</main></body></html>",
        tags.iter().map(|t| format!("<a href=\"#tag-{0}\">{0}</a>", escape(t))).collect::<Vec<_>>().join(" ")
    )
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#0f172a;background:#f8fafc}\
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #e2e8f0;padding:.6rem 1rem;display:flex;gap:1rem;flex-wrap:wrap}\
nav a{color:#4338ca;text-decoration:none}main{max-width:60rem;margin:0 auto;padding:1rem}\
details{background:#fff;border:1px solid #e2e8f0;border-radius:.5rem;margin:.4rem 0;padding:.4rem .8rem}\
summary{cursor:pointer}.m{display:inline-block;min-width:4.2rem;font-weight:600;font-size:.8rem;text-align:center;border-radius:.3rem;color:#fff;padding:.1rem .3rem}\
.get{background:#0369a1}.post{background:#15803d}.put{background:#b45309}.patch{background:#7c3aed}.delete{background:#b91c1c}\
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #e2e8f0;padding:.2rem .4rem;text-align:left}\
pre{background:#0f172a;color:#e2e8f0;padding:.8rem;border-radius:.5rem;overflow:auto;font-size:.8rem}";
