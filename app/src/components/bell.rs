//! The notification bell of the top bar: unread count, a panel with the newest notifications,
//! mark read. It looks again every minute and whenever the panel opens.

use std::time::Duration;

use leptos::prelude::*;

use super::Icon;
use crate::server_fns::{mark_notifications_read, my_notifications};

const REFRESH: Duration = Duration::from_secs(60);

#[component]
pub fn NotificationBell() -> impl IntoView {
    let open = RwSignal::new(false);
    let refresh = RwSignal::new(0_u32);
    let notes = Resource::new(move || refresh.get(), |_| my_notifications());
    // Timers only run in the browser; on the server this effect never runs.
    Effect::new(move |_| {
        let _ = set_interval_with_handle(move || refresh.update(|n| *n += 1), REFRESH);
    });
    // The server does not wait for this resource (it is read outside any Suspense), so the
    // first HTML may or may not have the count. Counting only once the page is hydrated keeps
    // the hydrated DOM equal to the server's, whichever it was.
    let hydrated = super::use_hydrated();
    let unread = move || {
        if !hydrated.get() {
            return 0;
        }
        notes.get().and_then(Result::ok).map(|list| list.unread_count).unwrap_or(0)
    };
    let mark = Action::new(move |id: &Option<String>| {
        let id = id.clone();
        async move {
            let _ = mark_notifications_read(id).await;
            refresh.update(|n| *n += 1);
        }
    });

    view! {
        <div class="relative shrink-0">
            <button
                type="button"
                data-testid="bell"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-label=move || match unread() {
                    0 => "Notifications".to_owned(),
                    n => format!("Notifications, {n} unread"),
                }
                class="relative flex h-11 w-11 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100"
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    if open.get_untracked() {
                        refresh.update(|n| *n += 1);
                    }
                }
            >
                <Icon name="bell" class="h-6 w-6" />
                <Show when=move || { unread() > 0 }>
                    <span
                        data-testid="bell-count"
                        class="absolute right-1 top-1 flex h-5 min-w-5 items-center justify-center rounded-full bg-rose-600 px-1 text-xs font-semibold text-white"
                    >
                        {move || { let n = unread(); if n > 99 { "99+".to_owned() } else { n.to_string() } }}
                    </span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div
                    role="region"
                    aria-label="Notifications"
                    data-testid="bell-panel"
                    class="fixed inset-x-2 top-16 z-40 rounded-xl border border-slate-200 bg-white shadow-lg sm:absolute sm:inset-x-auto sm:right-0 sm:top-12 sm:w-96"
                >
                    <div class="flex items-center justify-between border-b border-slate-100 px-4 py-2">
                        <h2 class="text-sm font-semibold text-slate-900">"Notifications"</h2>
                        <button
                            type="button"
                            class="min-h-11 rounded-lg px-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:text-slate-400"
                            disabled=move || unread() == 0
                            on:click=move |_| {
                                mark.dispatch(None);
                            }
                        >
                            "Mark all read"
                        </button>
                    </div>
                    <Transition fallback=|| view! { <p class="p-4 text-sm text-slate-500">"Loading…"</p> }>
                        {move || {
                            notes
                                .get()
                                .map(|result| match result {
                                    Err(e) => view! { <p class="p-4 text-sm text-rose-700">{e.detail}</p> }.into_any(),
                                    Ok(list) if list.notifications.is_empty() => {
                                        view! { <p class="p-4 text-sm text-slate-500">"You're all caught up."</p> }
                                            .into_any()
                                    }
                                    Ok(list) => {
                                        view! {
                                            <ul class="max-h-96 divide-y divide-slate-100 overflow-y-auto">
                                                {list
                                                    .notifications
                                                    .into_iter()
                                                    .map(|note| {
                                                        let id = note.notification_id.clone();
                                                        let unread_note = !note.is_read;
                                                        view! {
                                                            <li data-testid="notification" class="flex gap-3 px-4 py-3">
                                                                <span
                                                                    aria-hidden="true"
                                                                    class=if unread_note {
                                                                        "mt-1.5 h-2 w-2 shrink-0 rounded-full bg-indigo-600"
                                                                    } else {
                                                                        "mt-1.5 h-2 w-2 shrink-0 rounded-full bg-transparent"
                                                                    }
                                                                ></span>
                                                                <div class="min-w-0 flex-1">
                                                                    <a
                                                                        href=note.link.clone().unwrap_or_else(|| "/".into())
                                                                        class="block break-words text-sm font-medium text-slate-900 hover:underline"
                                                                        on:click=move |_| {
                                                                            mark.dispatch(Some(id.clone()));
                                                                            open.set(false);
                                                                        }
                                                                    >
                                                                        {note.title.clone()}
                                                                    </a>
                                                                    <p class="text-xs text-slate-600">
                                                                        {note.body.clone().unwrap_or_default()} " · "
                                                                        {note.created_at.replace('T', " ").trim_end_matches('Z').to_owned()}
                                                                    </p>
                                                                    {unread_note.then(|| view! { <span class="sr-only">"Unread"</span> })}
                                                                </div>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }
                                })
                        }}
                    </Transition>
                </div>
            </Show>
        </div>
    }
}
