//! Prometheus metrics: the recorder, the per-request measurement, and the separate listener
//! (`LANES_METRICS_BIND`) that serves `/metrics`. The names live in `app::server::metrics`.

use std::{net::SocketAddr, sync::OnceLock, time::Instant};

use anyhow::Context;
use app::server::{AppState, metrics};
use axum::{
    Router,
    extract::{MatchedPath, Request},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets (seconds): fine below 10 ms, where most answers are, up to the 30 s timeout.
const BUCKETS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder (once; later calls return the same handle).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
        .context("metric buckets")?
        .install_recorder()
        .context("could not install the metrics recorder")?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Middleware: counts and times every request by method, route template and status.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    // Unmatched paths (static files, 404s) share one label: a scanner cannot grow the series.
    let route = route.as_deref().unwrap_or("unmatched");
    metrics::http_request(method.as_str(), route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// The metrics listener's routes: `GET /metrics` in Prometheus text format.
pub fn router(handle: PrometheusHandle, state: AppState) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let (handle, state) = (handle.clone(), state.clone());
            async move {
                let pool = state.db.pool();
                metrics::db_pool(pool.size(), pool.num_idle());
                handle.run_upkeep();
                ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
            }
        }),
    )
}

/// Serves `/metrics` on its own address until the process ends.
pub async fn spawn_listener(bind: SocketAddr, state: AppState) -> anyhow::Result<()> {
    let handle = install()?;
    let listener =
        tokio::net::TcpListener::bind(bind).await.with_context(|| format!("could not listen on {bind} (metrics)"))?;
    tracing::info!(address = %format!("http://{bind}/metrics"), "metrics are served");
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router(handle, state)).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    });
    Ok(())
}
