use leptos::prelude::*;
use leptos_router::{
    components::{A, Outlet, Redirect},
    hooks::use_location,
};

use crate::{
    components::{Icon, NotificationBell},
    model::{Role, User},
    server_fns::{Logout, current_user},
};

/// The signed-in user, provided to every page inside the frame.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The areas of the app, in navigation order: (path, label, icon).
pub const AREAS: &[(&str, &str, &str)] = &[
    ("/", "Dashboard", "home"),
    ("/accounts", "Accounts", "building"),
    ("/contacts", "Contacts", "users"),
    ("/leads", "Leads", "funnel"),
    ("/opportunities", "Opportunities", "columns"),
    ("/activities", "Activities", "phone"),
    ("/tasks", "Tasks", "check"),
    ("/orders", "Orders", "truck"),
    ("/visits", "Visits", "pin"),
    ("/ask", "Ask", "sparkles"),
];

/// The app frame around every signed-in page: top bar, side navigation (a menu on phones).
/// Without a session it redirects to `/login` (a real 302 when rendered on the server).
#[component]
pub fn AppFrame() -> impl IntoView {
    let session = Resource::new_blocking(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <p class="p-8 text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) => view! { <Frame user /> }.into_any(),
                    _ => view! { <Redirect path="/login" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(user: User) -> impl IntoView {
    provide_context(CurrentUser(user.clone()));
    let logout = ServerAction::<Logout>::new();
    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Close the phone menu whenever the page changes.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let initial = user.username.chars().next().unwrap_or('?').to_uppercase().to_string();
    let is_admin = user.role == Role::Admin;

    view! {
        <div class="min-h-screen lg:flex">
            <aside
                class=move || {
                    format!(
                        "{} fixed inset-y-0 left-0 z-30 w-64 flex-col border-r border-slate-200 bg-white lg:static lg:flex",
                        if menu_open.get() { "flex" } else { "hidden" },
                    )
                }
            >
                <div class="flex h-16 items-center gap-2 px-5">
                    <div class="flex h-9 w-9 items-center justify-center rounded-xl bg-indigo-600 text-white">
                        <Icon name="truck" class="h-5 w-5" />
                    </div>
                    <span class="text-lg font-semibold tracking-tight">"Lanes"</span>
                </div>
                <nav aria-label="Main" class="flex-1 space-y-1 overflow-y-auto px-3 py-2">
                    {AREAS
                        .iter()
                        .map(|(href, label, icon)| {
                            view! {
                                <A
                                    href=*href
                                    exact=true
                                    attr:class="group flex min-h-11 items-center gap-3 rounded-lg px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
                                >
                                    <Icon name=icon class="h-5 w-5 text-slate-400 group-aria-[current=page]:text-indigo-600" />
                                    {*label}
                                </A>
                            }
                        })
                        .collect_view()}
                    {is_admin
                        .then(|| {
                            view! {
                                <A
                                    href="/admin/users"
                                    attr:class="group flex min-h-11 items-center gap-3 rounded-lg px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
                                >
                                    <Icon name="shield" class="h-5 w-5 text-slate-400" />
                                    "Users"
                                </A>
                            }
                        })}
                </nav>
            </aside>
            <div
                class=move || {
                    format!(
                        "{} fixed inset-0 z-20 bg-slate-900/30 lg:hidden",
                        if menu_open.get() { "block" } else { "hidden" },
                    )
                }
                on:click=move |_| menu_open.set(false)
            ></div>
            <div class="flex min-w-0 flex-1 flex-col">
                <header class="sticky top-0 z-10 flex h-16 items-center gap-3 border-b border-slate-200 bg-white/90 px-4 backdrop-blur">
                    <button
                        type="button"
                        class="flex h-11 w-11 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 lg:hidden"
                        aria-label="Menu"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |_| menu_open.update(|open| *open = !*open)
                    >
                        <Icon name="menu" class="h-6 w-6" />
                    </button>
                    <form role="search" action="/accounts" method="get" class="min-w-0 flex-1">
                        <label for="global-search" class="sr-only">"Search"</label>
                        <div class="relative max-w-md">
                            <Icon name="search" class="pointer-events-none absolute left-3 top-1/2 h-5 w-5 -translate-y-1/2 text-slate-400" />
                            <input
                                id="global-search"
                                name="q"
                                type="search"
                                placeholder="Search…"
                                class="block w-full min-h-11 rounded-lg border border-slate-200 bg-slate-50 pl-10 pr-3 text-base focus:border-indigo-500 focus:bg-white focus:outline-none focus:ring-2 focus:ring-indigo-500/30"
                            />
                        </div>
                    </form>
                    <NotificationBell />
                    <div class="flex shrink-0 items-center gap-2">
                        <span
                            class="flex h-9 w-9 items-center justify-center rounded-full bg-indigo-100 text-sm font-semibold text-indigo-700"
                            aria-hidden="true"
                        >
                            {initial}
                        </span>
                        <div class="hidden flex-col leading-tight sm:flex">
                            <span class="text-sm font-medium" data-testid="user-email">{user.email.clone()}</span>
                            <span class="text-xs capitalize text-slate-500">{user.role.as_str()}</span>
                        </div>
                        <ActionForm action=logout>
                            <button
                                type="submit"
                                class="flex min-h-11 items-center gap-1.5 rounded-lg px-3 text-sm font-medium text-slate-600 hover:bg-slate-100"
                            >
                                <Icon name="logout" class="h-5 w-5" />
                                <span class="sr-only sm:not-sr-only">"Sign out"</span>
                            </button>
                        </ActionForm>
                    </div>
                </header>
                <div class="border-b border-slate-200 bg-white px-4 py-2 text-sm text-slate-600 sm:hidden">
                    "Signed in as " <span class="font-medium text-slate-900">{user.email.clone()}</span>
                </div>
                <main class="min-w-0 flex-1 p-4 sm:p-6 lg:p-8">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}
