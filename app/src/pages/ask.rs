//! `/ask`: questions about the CRM in plain language. The question lives in the URL
//! (`/ask?q=…`), so an answer renders on the server, works before the WASM loads, and can be
//! shared; the form and the example questions only change the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Form},
    hooks::use_query_map,
};

use crate::{
    components::short_money,
    model::{AskEngine, AskGroup, AskRecords, AskResponse, MAX_QUERY_CHARS},
    server_fns::ask_question,
};

const CARD: &str = "rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200";

/// Questions to click, one per kind of answer.
const EXAMPLES: &[&str] = &[
    "How many open deals are closing this month?",
    "Total value of won deals this year",
    "Top 5 deals by amount",
    "Pipeline value by stage",
    "Leads by source",
    "My overdue tasks",
    "Average deal size in negotiation",
    "Retail customers",
];

#[component]
pub fn AskPage() -> impl IntoView {
    let query = use_query_map();
    let question = move || query.with(|q| q.get("q").unwrap_or_default());
    let answer =
        Resource::new(
            question,
            |q| async move { if q.trim().is_empty() { None } else { Some(ask_question(q).await) } },
        );
    let pending = RwSignal::new(false);
    view! {
        <Title text="Ask" />
        <div class="mx-auto max-w-4xl space-y-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Ask Lanes"</h1>
                <p class="text-sm text-slate-600">
                    "Ask about accounts, contacts, leads, deals, activities, tasks or orders in plain words."
                </p>
            </div>
            <Form method="GET" action="/ask" attr:class=format!("{CARD} space-y-3") attr:role="search">
                <label for="ask-q" class="block text-sm font-medium text-slate-700">"Your question"</label>
                <div class="flex flex-col gap-2 sm:flex-row">
                    <input
                        id="ask-q"
                        name="q"
                        type="search"
                        required
                        maxlength=MAX_QUERY_CHARS.to_string()
                        placeholder="e.g. How many open deals are closing this month?"
                        class="block min-h-11 w-full min-w-0 flex-1 rounded-lg border border-slate-300 px-3 text-base"
                        value=question
                        prop:value=question
                    />
                    <button
                        type="submit"
                        class="min-h-11 rounded-lg bg-indigo-600 px-5 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() { "Thinking…" } else { "Ask" }}
                    </button>
                </div>
                <div>
                    <p class="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">"Try"</p>
                    <ul class="flex flex-wrap gap-2" data-testid="ask-examples">
                        {EXAMPLES
                            .iter()
                            .map(|example| {
                                view! {
                                    <li>
                                        <A
                                            href=format!("/ask?q={}", crate::model::form_encode(example))
                                            attr:class="inline-flex min-h-11 items-center rounded-full bg-indigo-50 px-3 text-sm text-indigo-800 ring-1 ring-indigo-100 hover:bg-indigo-100"
                                        >
                                            {*example}
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </Form>
            <Transition
                fallback=|| view! { <p class="text-slate-500">"Thinking…"</p> }
                set_pending=pending.write_only()
            >
                {move || Suspend::new(async move {
                    match answer.await {
                        None => view! { <p class="text-sm text-slate-500">"Ask a question, or pick one above."</p> }.into_any(),
                        Some(Ok(Ok(response))) => view! { <Answer response /> }.into_any(),
                        Some(Ok(Err(e)) | Err(e)) => view! {
                            <p role="alert" class="rounded-lg bg-rose-50 p-3 text-rose-800 ring-1 ring-rose-200">{e.detail}</p>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Answer(response: AskResponse) -> impl IntoView {
    let engine = match response.engine {
        AskEngine::BuiltIn => "built-in engine",
        AskEngine::Llm => "language model",
    };
    let currency = response.result.currency.clone().unwrap_or_else(|| "USD".into());
    let groups = response.result.groups.clone();
    let rows = rows(&response.result.records, &currency);
    let empty = response.result.count == 0;
    view! {
        <section class=format!("{CARD} space-y-3") aria-live="polite" data-testid="ask-answer">
            <p class="text-lg font-medium" data-testid="ask-natural">{response.natural_response.clone()}</p>
            <p class="text-sm text-slate-600">
                <span class="font-medium">"Understood as: "</span>
                <span data-testid="ask-understood">{response.understood_as.clone()}</span>
                <span class="text-slate-400">{format!(" · {engine}")}</span>
            </p>
            {response.note.clone().map(|note| view! { <p class="rounded-lg bg-amber-50 p-2 text-sm text-amber-900" data-testid="ask-note">{note}</p> })}
            <p class="text-sm text-slate-600" data-testid="ask-count">{format!("{} matching", response.result.count)}</p>
        </section>
        {groups.map(|groups| view! { <Groups groups currency=currency.clone() /> })}
        {if empty {
            view! { <p class=CARD>"Nothing matches this question."</p> }.into_any()
        } else {
            view! {
                <ul class="space-y-2" data-testid="ask-records">
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <li class=format!("{CARD} min-w-0") data-id=row.id.clone()>
                                    <a href=row.href class="block truncate font-medium text-indigo-700 hover:underline">{row.title}</a>
                                    <p class="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600">
                                        {row.facts.into_iter().filter(|f| !f.is_empty()).map(|f| view! { <span class="min-w-0 break-words">{f}</span> }).collect_view()}
                                    </p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}

#[component]
fn Groups(groups: Vec<AskGroup>, currency: String) -> impl IntoView {
    view! {
        <table class=format!("{CARD} w-full table-fixed text-left text-sm") data-testid="ask-groups">
            <thead>
                <tr class="text-slate-500">
                    <th class="py-1 font-medium">"Group"</th>
                    <th class="w-20 py-1 text-right font-medium">"Count"</th>
                    <th class="w-28 py-1 text-right font-medium">"Total"</th>
                </tr>
            </thead>
            <tbody>
                {groups
                    .into_iter()
                    .map(|g| {
                        view! {
                            <tr class="border-t border-slate-100">
                                <td class="truncate py-2">{g.label.replace('_', " ")}</td>
                                <td class="py-2 text-right tabular-nums">{g.count}</td>
                                <td class="py-2 text-right tabular-nums">{g.total.map(|t| short_money(t, &currency)).unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// One record of an answer: where it links and a few facts about it.
struct Row {
    id: String,
    title: String,
    href: String,
    facts: Vec<String>,
}

fn account_link(account_id: Option<&str>, fallback: &str) -> String {
    account_id.map_or_else(|| fallback.to_owned(), |id| format!("/accounts/{id}"))
}

fn day(at: Option<&str>) -> String {
    at.and_then(|t| t.get(..10)).unwrap_or_default().to_owned()
}

fn words(value: &str) -> String {
    value.replace('_', " ")
}

fn rows(records: &AskRecords, currency: &str) -> Vec<Row> {
    let money = |amount: Option<f64>| amount.map(|a| short_money(a, currency)).unwrap_or_default();
    match records {
        AskRecords::Accounts(list) => list
            .iter()
            .map(|r| Row {
                id: r.account_id.clone(),
                title: r.name.clone(),
                href: format!("/accounts/{}", r.account_id),
                facts: vec![
                    words(r.account_type.as_str()),
                    r.industry.clone().unwrap_or_default(),
                    r.city.clone().unwrap_or_default(),
                ],
            })
            .collect(),
        AskRecords::Contacts(list) => list
            .iter()
            .map(|r| Row {
                id: r.contact_id.clone(),
                title: r.full_name.clone(),
                href: account_link(r.account_id.as_deref(), "/contacts"),
                facts: vec![
                    r.title.clone().unwrap_or_default(),
                    r.email.clone().unwrap_or_default(),
                    words(r.contact_role.as_str()),
                ],
            })
            .collect(),
        AskRecords::Leads(list) => list
            .iter()
            .map(|r| Row {
                id: r.lead_id.clone(),
                title: format!("{} {}", r.first_name, r.last_name),
                href: "/leads".to_owned(),
                facts: vec![
                    r.company.clone().unwrap_or_default(),
                    words(r.lead_status.as_str()),
                    r.lead_source.map(|s| words(s.as_str())).unwrap_or_default(),
                ],
            })
            .collect(),
        AskRecords::Opportunities(list) => list
            .iter()
            .map(|r| Row {
                id: r.opportunity_id.clone(),
                title: r.name.clone(),
                href: format!("/accounts/{}", r.account_id),
                facts: vec![words(r.stage.as_str()), money(r.amount), day(r.close_date.as_deref())],
            })
            .collect(),
        AskRecords::Activities(list) => list
            .iter()
            .map(|r| Row {
                id: r.activity_id.clone(),
                title: r.subject.clone(),
                href: account_link(r.account_id.as_deref(), "/activities"),
                facts: vec![words(r.activity_type.as_str()), words(r.status.as_str()), day(r.start_time.as_deref())],
            })
            .collect(),
        AskRecords::Tasks(list) => list
            .iter()
            .map(|r| Row {
                id: r.task_id.clone(),
                title: r.title.clone(),
                href: account_link(r.account_id.as_deref(), "/tasks"),
                facts: vec![words(r.status.as_str()), words(r.priority.as_str()), day(r.due_date.as_deref())],
            })
            .collect(),
        AskRecords::Orders(list) => list
            .iter()
            .map(|r| Row {
                id: r.order_id.clone(),
                title: r.order_id.clone(),
                href: format!("/accounts/{}", r.account_id),
                facts: vec![words(r.status.as_str()), short_money(r.total_amount, currency), day(Some(&r.order_date))],
            })
            .collect(),
    }
}
