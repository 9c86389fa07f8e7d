//! `/accounts` (list, filters, search, paging, create) and `/accounts/:id` (the account page).

use leptos::prelude::*;
use leptos_meta::Title;

/// `/accounts`.
#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <Title text="Accounts" />
        <h1 class="text-2xl font-semibold tracking-tight">"Accounts"</h1>
        <p class="text-slate-600">"The account list is on its way; the REST API serves accounts already."</p>
    }
}

/// `/accounts/:id`.
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Account" />
        <h1 class="text-2xl font-semibold tracking-tight">"Account"</h1>
        <p class="text-slate-600">"The account page is on its way."</p>
    }
}
