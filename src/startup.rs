//! Building the application: state from settings, the router, and serving it.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use app::{
    App,
    server::{AppState, auth, config::Settings, db::Db, rate_limit::Limits, users},
    shell,
};
use axum::{
    Router,
    extract::Request,
    http::{HeaderName, Method, header},
    middleware::Next,
};
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceExt;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::http;

/// Leptos' own settings: where the built site lives (`LEPTOS_SITE_ROOT`, default `target/site`,
/// relative to the working directory) and the address to serve.
pub fn leptos_options(bind: SocketAddr) -> LeptosOptions {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let env = if var("LEPTOS_ENV", "PROD").eq_ignore_ascii_case("dev") { Env::DEV } else { Env::PROD };
    LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME", "lanes"))
        .site_root(var("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(bind)
        .env(env)
        .build()
}

/// Connects the database, applies migrations, loads the JWT secret and makes sure the
/// configured admin exists.
pub async fn build_state(settings: Settings, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    let db = Db::connect(settings.database_url.expose())
        .await
        .context("could not connect to the database (DATABASE_URL)")?;
    db.migrate().await.context("could not apply database migrations")?;
    let secret = app::server::config::load_or_create_jwt_secret(&settings)?;
    let jwt = auth::JwtKeys::new(&secret).context("LANES_JWT_SECRET is not usable")?;
    auth::warm_up().await;

    if let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) {
        let created = users::ensure_admin(&db, email, password.expose(), true)
            .await
            .map_err(|e| anyhow::anyhow!("LANES_ADMIN_EMAIL / LANES_ADMIN_PASSWORD: {}", e.detail))?;
        if created {
            tracing::info!(%email, "created the configured admin user");
        }
    }

    let limits = Arc::new(Limits::new(settings.rate_limits, settings.rate_limits_expensive));
    Ok(AppState {
        db,
        settings: Arc::new(settings),
        jwt: Arc::new(jwt),
        leptos_options,
        http: app::server::integrations::http_client(),
        limits,
    })
}

/// The background workers of every instance: task reminders, the outbox and the tally fold.
/// They claim their work in the database, so any number of instances may run them side by side.
pub fn spawn_workers(state: &AppState) {
    app::server::reminders::spawn(state.clone());
    app::server::outbox::spawn(state.clone());
    app::server::crm::tallies::spawn(state.clone());
}

/// The whole application as one router: REST API, pages, server functions, static files.
///
/// Some pages share their path with a REST collection (`/accounts`, `/opportunities`, …). A
/// browser navigation (GET, `Accept: text/html`, no bearer token) to such a path gets the page;
/// every other request gets the API.
pub fn router(state: AppState) -> Router {
    let pages = page_router(state.clone());
    let request_id = HeaderName::from_static("x-request-id");
    let diverted_pages = pages.clone();
    let limiter_state = state.clone();
    let headers_state = state.clone();

    Router::new()
        .merge(http::api_router())
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state)
        .fallback_service(pages)
        .layer(axum::middleware::from_fn(move |request: Request, next: Next| {
            let pages = diverted_pages.clone();
            async move {
                if is_page_navigation(&request) {
                    match pages.oneshot(request).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    }
                } else {
                    next.run(request).await
                }
            }
        }))
        .layer(axum::middleware::from_fn_with_state(limiter_state, http::rate_limit::limit))
        .layer(axum::middleware::from_fn(http::request_timeout))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::middleware::from_fn_with_state(headers_state, http::security_headers::add))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(http::request_span))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The Leptos pages and server functions, with static files and 404s as the fallback.
fn page_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let shell_options = state.leptos_options.clone();
    Router::new()
        .leptos_routes(&state, routes, move || shell(shell_options.clone()))
        .fallback(http::fallback)
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state)
}

/// A browser asking for a page: GET or HEAD, wants HTML, no bearer token, and a page's path.
fn is_page_navigation(request: &Request) -> bool {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    matches!(*request.method(), Method::GET | Method::HEAD)
        && wants_html
        && !request.headers().contains_key(header::AUTHORIZATION)
        && app::pages::is_page_path(request.uri().path())
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
    // Requests get a moment to finish; the rest is cut off so a restart is never stuck.
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(10)).await;
        std::process::exit(0);
    });
}
