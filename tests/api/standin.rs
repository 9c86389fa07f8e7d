//! A local stand-in for an outside service: a real HTTP server on 127.0.0.1 that records every
//! request and answers with what the test scripts. Tests then check exactly what Lanes sent.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use axum::{
    Router,
    body::{Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

/// One request the stand-in received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// The query string's pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The decoded value of query parameter `name`, if sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A scripted answer: status, extra headers, body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).expect("status"),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }
    /// A body that is not JSON, for garbage-reply tests.
    pub fn text(status: u16, body: &str) -> Reply {
        Reply { status: StatusCode::from_u16(status).expect("status"), headers: Vec::new(), body: body.to_owned() }
    }
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Answers used in order; when they run out, `fallback` answers.
    script: VecDeque<Reply>,
    fallback: Option<Reply>,
}

#[derive(Clone)]
pub struct StandIn {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl StandIn {
    /// Starts a stand-in that answers every request with `fallback` unless scripted otherwise.
    pub async fn start(fallback: Reply) -> StandIn {
        let inner = Arc::new(Mutex::new(Inner { fallback: Some(fallback), ..Default::default() }));
        let router = Router::new().fallback(answer).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind stand-in");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        StandIn { url, inner }
    }

    /// The next requests get these answers, in order.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.inner.lock().expect("lock").script.extend(replies);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("lock").received.clone()
    }
}

async fn answer(State(inner): State<Arc<Mutex<Inner>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 32 * 1024 * 1024).await.unwrap_or_default();
    let reply = {
        let mut inner = inner.lock().expect("lock");
        inner.received.push(Received {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
                .map(|q| q.0)
                .unwrap_or_default(),
            headers: parts.headers,
            body,
        });
        inner.script.pop_front().or_else(|| inner.fallback.clone())
    };
    let Some(reply) = reply else { return StatusCode::NOT_FOUND.into_response() };
    let mut response = (reply.status, reply.body).into_response();
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) =
            (axum::http::HeaderName::try_from(name), axum::http::HeaderValue::try_from(value))
        {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
