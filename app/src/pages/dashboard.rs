use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{CurrentUser, frame::AREAS};
use crate::components::Icon;

/// `/`: the start page after sign-in.
#[component]
pub fn Dashboard() -> impl IntoView {
    let user = use_context::<CurrentUser>().map(|u| u.0);
    let name = user.map(|u| u.username).unwrap_or_default();
    view! {
        <Title text="Dashboard" />
        <div class="space-y-6">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Good to see you, " {name}</h1>
                <p class="mt-1 text-slate-600">"Here is where your sales day starts."</p>
            </div>
            <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
                {AREAS
                    .iter()
                    .skip(1)
                    .map(|(href, label, icon)| {
                        view! {
                            <a
                                href=*href
                                class="flex min-h-11 items-center gap-3 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 transition hover:ring-indigo-300"
                            >
                                <span class="flex h-10 w-10 items-center justify-center rounded-xl bg-indigo-50 text-indigo-600">
                                    <Icon name=icon class="h-5 w-5" />
                                </span>
                                <span class="font-medium">{*label}</span>
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}

/// An area whose pages are not built yet: says so plainly instead of showing an error.
#[component]
pub fn Placeholder() -> impl IntoView {
    let params = use_params_map();
    let label = move || {
        let area = params.read().get("area").unwrap_or_default();
        AREAS
            .iter()
            .find(|(href, _, _)| href.trim_start_matches('/') == area)
            .map(|(_, label, _)| label.to_string())
            .unwrap_or(area)
    };
    view! {
        <Title text=label />
        <div class="rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
            <h1 class="text-xl font-semibold">{label}</h1>
            <p class="mt-2 text-slate-600">"This area is on its way. The REST API and the dashboard come first."</p>
        </div>
    }
}
