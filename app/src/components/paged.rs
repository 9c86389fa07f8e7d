//! A list page's list (first page rendered on the server, "Load more" through the cursor) and a
//! record page's loading, not-found and error states: written once for every record type.

use std::future::Future;

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use serde::{Serialize, de::DeserializeOwned};

use super::use_hydrated;
use crate::{
    error::{AppError, ErrorKind},
    server_fns::{ListPage, Listed},
};

/// The records of the current `filters` (which include `limit`) with "Load more". A change of
/// filters starts again from the first page; a late answer for old filters is dropped.
#[component]
pub fn PagedList<T, Load, Fut, Row>(
    filters: Memo<Vec<(String, String)>>,
    load: Load,
    row: Row,
    /// What the list holds, for its messages: "contacts".
    noun: &'static str,
    /// `data-testid` of the `<ul>`.
    testid: &'static str,
    /// Bumped to load the first page again (after a record was added).
    #[prop(optional)]
    refresh: Option<RwSignal<u32>>,
    /// Shown above the rows (column names).
    #[prop(optional)]
    header: Option<ViewFn>,
) -> impl IntoView
where
    T: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static,
    Load: Fn(Vec<(String, String)>) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<ListPage<T>, AppError>> + Send + 'static,
    Row: Fn(Listed<T>) -> AnyView + Copy + Send + Sync + 'static,
{
    let refresh = refresh.unwrap_or_else(|| RwSignal::new(0));
    let header = StoredValue::new(header);
    let first = Resource::new(move || (filters.get(), refresh.get()), move |(filters, _)| load(filters));
    // These belong to the list, not to the view `Transition` replaces when the filters change,
    // so no closure of a replaced view can read a disposed signal.
    let more = RwSignal::new(Vec::<Listed<T>>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let generation = RwSignal::new(0_u64);
    let hydrated = use_hydrated();
    Effect::watch(
        move || (filters.get(), refresh.get()),
        move |_, _, _| {
            more.set(Vec::new());
            more_cursor.set(None);
            loading.set(false);
            error.set(None);
            generation.update(|g| *g += 1);
        },
        false,
    );
    let load_more = move |cursor: String| {
        let mut pairs = filters.get_untracked();
        pairs.push(("cursor".to_owned(), cursor));
        let started = generation.get_untracked();
        loading.set(true);
        spawn_local(async move {
            let answer = load(pairs).await;
            if generation.get_untracked() != started {
                return;
            }
            match answer {
                Ok(page) => {
                    more.update(|more| more.extend(page.items));
                    more_cursor.set(Some(page.next_cursor));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.detail)),
            }
            loading.set(false);
        });
    };

    view! {
        <Transition fallback=move || view! { <p role="status" class="text-slate-600">"Loading " {noun} "…"</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Ok(page) => {
                        let first_cursor = page.next_cursor;
                        let empty = page.items.is_empty();
                        let next = move || more_cursor.get().unwrap_or_else(|| first_cursor.clone());
                        view! {
                            <div class="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
                                {header.with_value(|header| header.clone()).map(|header| header.run())}
                                <ul role="list" class="divide-y divide-slate-100" data-testid=testid>
                                    {page.items.into_iter().map(row).collect_view()}
                                    <For each=move || more.get().into_iter().enumerate() key=|(i, _)| *i let:item>
                                        {row(item.1)}
                                    </For>
                                </ul>
                                {empty
                                    .then(|| {
                                        view! { <p class="px-4 py-8 text-center text-slate-600">"No " {noun} " match"</p> }
                                    })}
                            </div>
                            {move || error.get().map(|m| view! { <p role="alert" class="text-sm text-rose-700">{m}</p> })}
                            {move || {
                                next()
                                    .map(|cursor| {
                                        view! {
                                            <div class="flex justify-center">
                                                <button
                                                    type="button"
                                                    class="min-h-11 rounded-lg px-4 font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50 disabled:opacity-60"
                                                    disabled=move || loading.get() || !hydrated.get()
                                                    on:click=move |_| load_more(cursor.clone())
                                                >
                                                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                                                </button>
                                            </div>
                                        }
                                    })
                            }}
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// A record page: loads `id` with `load`, says so while it loads, answers "not found" with a
/// way back to the list (`back` = (href, label)), and shows `body` with the record.
#[component]
pub fn RecordPage<T, Load, Fut, Body>(
    id: Memo<String>,
    load: Load,
    body: Body,
    /// "Contact", for the messages.
    noun: &'static str,
    back: (&'static str, &'static str),
    /// Bumped to load the record again (after a conflict).
    #[prop(optional)]
    reload: Option<RwSignal<u32>>,
) -> impl IntoView
where
    T: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static,
    Load: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<Listed<T>, AppError>> + Send + 'static,
    Body: Fn(Listed<T>) -> AnyView + Copy + Send + Sync + 'static,
{
    let reload = reload.unwrap_or_else(|| RwSignal::new(0));
    let record = Resource::new(move || (id.get(), reload.get()), move |(id, _)| load(id));
    let (href, label) = back;
    view! {
        <div class="space-y-4">
            <a href=href class="inline-flex min-h-11 items-center text-sm font-medium text-indigo-700 hover:underline">
                "← " {label}
            </a>
            <Transition fallback=move || view! { <p role="status" class="text-slate-600">"Loading the " {noun.to_lowercase()} "…"</p> }>
                {move || Suspend::new(async move {
                    match record.await {
                        Ok(listed) => body(listed),
                        Err(e) if e.kind == ErrorKind::NotFound => {
                            view! {
                                <Title text=format!("{noun} not found") />
                                <div class="rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
                                    <h1 class="text-xl font-semibold">{noun} " not found"</h1>
                                    <p class="mt-2 text-slate-600">"It does not exist, or it is not shared with you."</p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <Title text=noun />
                                <p role="alert" class="text-rose-700">{e.detail}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
    .into_any()
}
