use leptos::prelude::*;
use leptos_meta::Title;

/// Any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main class="min-h-screen flex flex-col items-center justify-center gap-4 px-4 text-center">
            <p class="text-sm font-semibold text-indigo-600">"404"</p>
            <h1 class="text-2xl font-semibold">"This page does not exist"</h1>
            <a href="/" class="min-h-11 inline-flex items-center rounded-lg bg-indigo-600 px-4 text-white hover:bg-indigo-700">
                "Back to the dashboard"
            </a>
        </main>
    }
}
