//! Lanes' shared crate: wire types and the one error type (everywhere), the Leptos pages and
//! server functions (server and browser), and the service layer (server only, `ssr`).

#![recursion_limit = "256"]

pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};

use pages::{
    AccountPage, AccountsPage, ActivitiesPage, ActivityPage, AdminUsersPage, AppFrame, AskPage, ContactPage,
    ContactsPage, Dashboard, DealBoard, LeadBoard, LoginPage, NotFound, OpportunityPage, OrderPage, OrdersPage,
    TaskPage, TasksPage, VisitsPage,
};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="h-full bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// Leptos gives every server render its own nonce and stamps it on the scripts it writes; the
/// policy names that nonce, so no other inline script (an injected one) can run.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let nonce = leptos::nonce::use_nonce();
    let policy = server::security::content_security_policy(nonce.as_deref());
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/lanes.css" />
        <Title formatter=|text: String| if text.is_empty() { "Lanes".to_owned() } else { format!("{text} · Lanes") } />
        <Meta name="description" content="Lanes: the CRM for companies that sell and deliver physical goods." />
        <Meta name="theme-color" content="#4338ca" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        // Installable: the manifest names the icons (public/icons, drawn by scripts/make-icons.py).
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage />
                // Everything else needs a session. Async SSR lets the frame answer with a real
                // 302 to /login before any HTML is sent.
                <ParentRoute path=path!("") view=AppFrame ssr=SsrMode::Async>
                    <Route path=path!("") view=Dashboard ssr=SsrMode::Async />
                    <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/accounts/:id") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/leads") view=LeadBoard ssr=SsrMode::Async />
                    <Route path=path!("/opportunities") view=DealBoard ssr=SsrMode::Async />
                    <Route path=path!("/opportunities/:id") view=OpportunityPage ssr=SsrMode::Async />
                    <Route path=path!("/contacts") view=ContactsPage ssr=SsrMode::Async />
                    <Route path=path!("/contacts/:id") view=ContactPage ssr=SsrMode::Async />
                    <Route path=path!("/activities") view=ActivitiesPage ssr=SsrMode::Async />
                    <Route path=path!("/activities/:id") view=ActivityPage ssr=SsrMode::Async />
                    <Route path=path!("/tasks") view=TasksPage ssr=SsrMode::Async />
                    <Route path=path!("/tasks/:id") view=TaskPage ssr=SsrMode::Async />
                    <Route path=path!("/orders") view=OrdersPage ssr=SsrMode::Async />
                    <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/visits") view=VisitsPage ssr=SsrMode::Async />
                    <Route path=path!("/ask") view=AskPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
