use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    components::Icon,
    server_fns::{Login, current_user},
};

/// `/login`: email and password. Works as a plain HTML form before the WASM has loaded.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let show_password = RwSignal::new(false);
    let error = move || login.value().get().and_then(Result::err).map(|e| e.detail);
    // Someone already signed in goes straight to the app.
    let session = Resource::new(|| (), |_| current_user());

    view! {
        <Title text="Sign in" />
        <Suspense>
            {move || Suspend::new(async move {
                matches!(session.await, Ok(Some(_))).then(|| view! { <Redirect path="/" /> })
            })}
        </Suspense>
        <main class="min-h-screen flex items-center justify-center px-4 py-12 bg-gradient-to-br from-indigo-50 via-slate-50 to-emerald-50">
            <div class="w-full max-w-sm">
                <div class="mb-8 text-center">
                    <div class="mx-auto mb-3 flex h-12 w-12 items-center justify-center rounded-2xl bg-indigo-600 text-white shadow-lg shadow-indigo-600/30">
                        <Icon name="truck" class="h-7 w-7" />
                    </div>
                    <h1 class="text-2xl font-semibold tracking-tight">"Sign in to Lanes"</h1>
                    <p class="mt-1 text-sm text-slate-600">"Your pipeline, your customers, your routes."</p>
                </div>
                <ActionForm
                    action=login
                    attr:class="space-y-5 rounded-2xl bg-white p-6 shadow-xl shadow-slate-200/60 ring-1 ring-slate-200"
                    attr:novalidate=false
                >
                    <div class="space-y-1.5">
                        <label for="email" class="block text-sm font-medium text-slate-700">"Email"</label>
                        <input
                            id="email"
                            name="email"
                            type="email"
                            autocomplete="username"
                            required
                            class="block w-full min-h-11 rounded-lg border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30"
                        />
                    </div>
                    <div class="space-y-1.5">
                        <label for="password" class="block text-sm font-medium text-slate-700">"Password"</label>
                        <div class="relative">
                            <input
                                id="password"
                                name="password"
                                type=move || if show_password.get() { "text" } else { "password" }
                                autocomplete="current-password"
                                required
                                class="block w-full min-h-11 rounded-lg border border-slate-300 py-2 pl-3 pr-12 text-base shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30"
                            />
                            <button
                                type="button"
                                aria-label="Show password"
                                aria-pressed=move || show_password.get().to_string()
                                title="Show or hide the password"
                                class="absolute inset-y-0 right-0 flex w-11 items-center justify-center rounded-r-lg text-slate-500 hover:text-indigo-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                                on:click=move |_| show_password.update(|shown| *shown = !*shown)
                            >
                                <Icon name="eye" class="h-5 w-5" />
                            </button>
                        </div>
                    </div>
                    {move || {
                        error()
                            .map(|detail| {
                                view! {
                                    <p
                                        role="alert"
                                        class="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200"
                                    >
                                        {detail}
                                    </p>
                                }
                            })
                    }}
                    <button
                        type="submit"
                        class="flex w-full min-h-11 items-center justify-center rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm transition hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60"
                        disabled=move || login.pending().get()
                    >
                        {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p class="mt-6 text-center text-xs text-slate-500">
                    "Lanes " {env!("CARGO_PKG_VERSION")} " · Accounts are created by your administrator."
                </p>
            </div>
        </main>
    }
}
