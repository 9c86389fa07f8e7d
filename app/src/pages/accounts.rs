//! `/accounts` (list, filters, search, paging, create) and `/accounts/:id` (the account page).
//!
//! Forms keep what the user typed in signals: a refused save shows the server's `detail` next
//! to the input its `field` names and changes nothing else. Buttons that need the WASM stay
//! disabled until the page is hydrated, so an early click is never lost.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::deals::stage_label;
use crate::{
    components::{
        CARD, ComposeMail, Control, FormAlert, FormError, INPUT_CLASS, Icon, PRIMARY_BUTTON, PagedList, SelectField,
        TextField, invalid, refused, short_money,
        text::{day, humanize, minute, non_blank, parse_number},
        use_hydrated,
    },
    error::ErrorKind,
    model::{
        Account, AccountInput, AccountType, Activity, ActivityStatus, Contact, ContactInput, Opportunity, Order,
        RecordStatus, Task, TaskInput, TaskStatus,
    },
    server_fns::{
        AccountOverview, Listed, add_contact, add_task, complete_task_now, create_account, load_account, load_accounts,
        log_call,
    },
};

/// Accounts per page of the list.
const PAGE_SIZE: &str = "25";

fn status_badge(status: RecordStatus) -> impl IntoView {
    let class = match status {
        RecordStatus::Active => "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800",
        RecordStatus::Inactive => "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700",
    };
    view! { <span class=class>{humanize(status.as_str())}</span> }
}

// ---------------------------------------------------------------------------------------------
// `/accounts`
// ---------------------------------------------------------------------------------------------

/// The filters of the list as `load_accounts` takes them (blank ones left out).
fn list_filters(search: &str, account_type: &str, status: &str) -> Vec<(String, String)> {
    let mut pairs = vec![("limit".to_owned(), PAGE_SIZE.to_owned())];
    for (name, value) in [("q", search), ("account_type", account_type), ("status", status)] {
        if let Some(value) = non_blank(value) {
            pairs.push((name.to_owned(), value));
        }
    }
    pairs
}

/// `/accounts`.
#[component]
pub fn AccountsPage() -> impl IntoView {
    // The URL gives the first filters, so `/accounts?q=…` (the header's search) works without WASM.
    let query = use_query_map();
    let initial = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let search = RwSignal::new(initial("q"));
    let account_type = RwSignal::new(initial("account_type"));
    let status = RwSignal::new(initial("status"));
    let filters = Memo::new(move |_| list_filters(&search.get(), &account_type.get(), &status.get()));
    // Bumped when an account is created here: the list starts again from its first page.
    let created = RwSignal::new(0_u32);

    view! {
        <Title text="Accounts" />
        <div class="space-y-4">
            <div class="flex flex-wrap items-end justify-between gap-3">
                <div class="min-w-0">
                    <h1 class="text-2xl font-semibold tracking-tight">"Accounts"</h1>
                    <p class="text-sm text-slate-600">"Customers, prospects and partners."</p>
                </div>
            </div>
            <NewAccountForm created />
            <form
                role="search"
                method="get"
                action="/accounts"
                class="grid grid-cols-2 gap-3 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end"
                on:submit=|ev: SubmitEvent| ev.prevent_default()
            >
                <div class="col-span-2 min-w-0 space-y-1 sm:col-span-1">
                    <label for="accounts-q" class="block text-sm font-medium text-slate-700">"Search accounts"</label>
                    <input
                        id="accounts-q"
                        name="q"
                        type="search"
                        placeholder="Name, email, website, city"
                        class=INPUT_CLASS
                        bind:value=search
                    />
                </div>
                <div class="min-w-0 space-y-1">
                    <label for="accounts-type" class="block text-sm font-medium text-slate-700">"Type"</label>
                    <select
                        id="accounts-type"
                        name="account_type"
                        class=INPUT_CLASS
                        prop:value=move || account_type.get()
                        on:change=move |ev| account_type.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || account_type.get().is_empty()>"All types"</option>
                        {AccountType::ALL
                            .iter()
                            .map(|t| {
                                let value = t.as_str();
                                view! {
                                    <option value=value selected=move || account_type.get() == value>{humanize(value)}</option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="min-w-0 space-y-1">
                    <label for="accounts-status" class="block text-sm font-medium text-slate-700">"Status"</label>
                    <select
                        id="accounts-status"
                        name="status"
                        class=INPUT_CLASS
                        prop:value=move || status.get()
                        on:change=move |ev| status.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || status.get().is_empty()>"Any status"</option>
                        {RecordStatus::ALL
                            .iter()
                            .map(|s| {
                                let value = s.as_str();
                                view! { <option value=value selected=move || status.get() == value>{humanize(value)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button
                    type="submit"
                    class="col-span-2 inline-flex min-h-11 items-center justify-center gap-2 rounded-lg bg-slate-800 px-4 font-medium text-white hover:bg-slate-900 sm:col-span-1"
                >
                    <Icon name="search" class="h-5 w-5" />
                    "Search"
                </button>
            </form>
            <PagedList
                filters
                load=load_accounts
                row=account_row
                noun="accounts"
                testid="account-list"
                refresh=created
                header=ViewFn::from(list_header)
            />
        </div>
    }
    .into_any()
}

/// The column names above the rows, from `sm` up.
fn list_header() -> impl IntoView {
    view! {
        <div
            class="hidden gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-600 sm:grid sm:grid-cols-12"
            aria-hidden="true"
        >
            <span class="col-span-4">"Name"</span>
            <span class="col-span-2">"Type"</span>
            <span class="col-span-2">"Industry"</span>
            <span class="col-span-2">"City"</span>
            <span class="col-span-1">"Status"</span>
            <span class="col-span-1 text-right">"Revenue"</span>
        </div>
    }
}

/// One account: a card on a phone, a table row from `sm` up.
fn account_row(listed: Listed<Account>) -> AnyView {
    let account = listed.record;
    let href = format!("/accounts/{}", account.account_id);
    let revenue =
        account.annual_revenue.map(|r| short_money(r, "").trim_end().to_owned()).unwrap_or_else(|| "—".into());
    view! {
        <li
            data-account-id=account.account_id.clone()
            class="flex min-w-0 flex-col gap-1 px-4 py-3 sm:grid sm:grid-cols-12 sm:items-center sm:gap-3"
        >
            <a href=href class="col-span-4 flex min-h-11 min-w-0 items-center font-medium text-indigo-700 hover:underline">
                <span class="truncate">{account.name.clone()}</span>
            </a>
            <div class="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600 sm:contents">
                <span class="col-span-2 truncate">{humanize(account.account_type.as_str())}</span>
                <span class="col-span-2 truncate">{account.industry.clone().unwrap_or_default()}</span>
                <span class="col-span-2 truncate">{account.city.clone().unwrap_or_default()}</span>
                <span class="col-span-1">{status_badge(account.status)}</span>
                <span class="col-span-1 sm:text-right" title="Annual revenue">
                    <span class="sm:hidden">"Revenue "</span>
                    {revenue}
                </span>
            </div>
        </li>
    }
    .into_any()
}

/// "New account": validated here for the obvious, by the server for the rest.
#[component]
fn NewAccountForm(created: RwSignal<u32>) -> impl IntoView {
    const FIELDS: &[&str] =
        &["name", "account_type", "industry", "website", "phone", "email", "city", "country", "annual_revenue"];
    let name = RwSignal::new(String::new());
    let account_type = RwSignal::new(AccountType::Prospect.as_str().to_owned());
    let industry = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let annual_revenue = RwSignal::new(String::new());
    let error: FormError = RwSignal::new(None);
    let saved = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let hydrated = use_hydrated();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saved.set(None);
        let Some(account_name) = non_blank(&name.get_untracked()) else {
            error.set(invalid("name", "Enter the account's name."));
            return;
        };
        let revenue = match non_blank(&annual_revenue.get_untracked()) {
            None => None,
            Some(text) => match parse_number(&text) {
                Some(value) => Some(value),
                None => {
                    error.set(invalid("annual_revenue", "Enter the annual revenue as a number, e.g. 2500000."));
                    return;
                }
            },
        };
        let input = AccountInput {
            name: account_name,
            account_type: account_type.get_untracked().parse().ok(),
            industry: non_blank(&industry.get_untracked()),
            website: non_blank(&website.get_untracked()),
            phone: non_blank(&phone.get_untracked()),
            email: non_blank(&email.get_untracked()),
            city: non_blank(&city.get_untracked()),
            country: non_blank(&country.get_untracked()),
            annual_revenue: revenue,
            ..Default::default()
        };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            match create_account(input).await {
                Ok(account) => {
                    saved.set(Some(format!("“{}” was created.", account.name)));
                    created.update(|n| *n += 1);
                    for field in [name, industry, website, phone, email, city, country, annual_revenue] {
                        field.set(String::new());
                    }
                    account_type.set(AccountType::Prospect.as_str().to_owned());
                }
                Err(e) => error.set(refused(e)),
            }
            saving.set(false);
        });
    };

    view! {
        <details class="group rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
            <summary class="flex min-h-11 cursor-pointer list-none items-center gap-2 px-4 py-2 font-medium text-indigo-700">
                <span aria-hidden="true" class="text-lg leading-none group-open:rotate-45 transition">"+"</span>
                "New account"
            </summary>
            <form novalidate class="space-y-4 border-t border-slate-100 p-4" on:submit=submit aria-label="New account">
                <div class="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
                    <TextField form="new-account" field="name" label="Name" value=name error required=true />
                    <SelectField form="new-account" field="account_type" label="Type" value=account_type error
                        options=AccountType::ALL.iter().map(|t| (t.as_str().to_owned(), humanize(t.as_str()))).collect() />
                    <TextField form="new-account" field="industry" label="Industry" value=industry error />
                    <TextField form="new-account" field="website" label="Website" value=website error control=Control::Url autocomplete="url" />
                    <TextField form="new-account" field="phone" label="Phone" value=phone error control=Control::Tel autocomplete="tel" />
                    <TextField form="new-account" field="email" label="Email" value=email error control=Control::Email autocomplete="email" />
                    <TextField form="new-account" field="city" label="City" value=city error autocomplete="address-level2" />
                    <TextField form="new-account" field="country" label="Country" value=country error autocomplete="country-name" />
                    <TextField form="new-account" field="annual_revenue" label="Annual revenue" value=annual_revenue error control=Control::Number />
                </div>
                <FormAlert error fields=FIELDS />
                {move || saved.get().map(|m| view! { <p role="status" class="text-sm text-emerald-700">{m}</p> })}
                <button type="submit" class=PRIMARY_BUTTON disabled=move || saving.get() || !hydrated.get()>
                    {move || if saving.get() { "Creating…" } else { "Create account" }}
                </button>
            </form>
        </details>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// `/accounts/:id`
// ---------------------------------------------------------------------------------------------

/// `/accounts/:id`.
#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let account_id = move || params.read().get("id").unwrap_or_default();
    let overview = Resource::new(account_id, load_account);
    // After a change the page reloads its data; `Transition` keeps showing the old meanwhile.
    let reload = Callback::new(move |()| overview.refetch());
    view! {
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading the account…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(data) => view! { <AccountBody data reload /> }.into_any(),
                    Err(e) if e.kind == ErrorKind::NotFound => {
                        view! {
                            <Title text="Account not found" />
                            <div class="rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
                                <h1 class="text-xl font-semibold">"Account not found"</h1>
                                <p class="mt-2 text-slate-600">"It does not exist, or it is not shared with you."</p>
                                <a href="/accounts" class="mt-4 inline-flex min-h-11 items-center font-medium text-indigo-700 hover:underline">
                                    "Back to accounts"
                                </a>
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! {
                            <Title text="Account" />
                            <p role="alert" class="text-rose-700">{e.detail}</p>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="min-w-0">
            <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
            <dd class="truncate text-sm text-slate-900">{children()}</dd>
        </div>
    }
}

#[component]
fn Figure(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-figure=label>
            <p class="truncate text-sm text-slate-600">{label}</p>
            <p class="mt-1 truncate text-xl font-semibold tracking-tight" data-testid="figure-value">{value}</p>
        </div>
    }
}

/// A card section with a heading; `id` names it for `aria-labelledby`.
#[component]
fn Section(id: &'static str, title: &'static str, count: usize, children: Children) -> impl IntoView {
    let heading = format!("{id}-heading");
    let labelled_by = heading.clone();
    view! {
        <section aria-labelledby=labelled_by class=CARD data-section=id>
            <h2 id=heading class="mb-3 flex items-baseline gap-2 font-semibold">
                {title}
                <span class="text-sm font-normal text-slate-500">{count}</span>
            </h2>
            {children()}
        </section>
    }
}

#[component]
fn AccountBody(data: AccountOverview, reload: Callback<()>) -> impl IntoView {
    let AccountOverview { dashboard, base_currency, orders } = data;
    let account = dashboard.account;
    let summary = dashboard.summary;
    let address = [
        account.billing_address.clone(),
        account.city.clone(),
        account.state.clone(),
        account.postal_code.clone(),
        account.country.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let dash = || "—".to_owned();
    let id = account.account_id.clone();
    let mail_to = account.email.clone();
    let (contacts, opportunities, tasks, activities) =
        (dashboard.contacts, dashboard.opportunities, dashboard.tasks, dashboard.recent_activities);

    view! {
        <Title text=account.name.clone() />
        <div class="space-y-4">
            <a href="/accounts" class="inline-flex min-h-11 items-center text-sm font-medium text-indigo-700 hover:underline">
                "← Accounts"
            </a>
            <header class=CARD>
                <div class="flex min-w-0 flex-wrap items-center gap-2">
                    <Icon name="building" class="h-6 w-6 shrink-0 text-indigo-600" />
                    <h1 class="min-w-0 break-words text-2xl font-semibold tracking-tight">{account.name.clone()}</h1>
                    <span class="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">
                        {humanize(account.account_type.as_str())}
                    </span>
                    {status_badge(account.status)}
                </div>
                <dl class="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
                    <Fact label="Industry">{account.industry.clone().unwrap_or_else(dash)}</Fact>
                    <Fact label="Website">
                        {match account.website.clone() {
                            Some(url) => {
                                let href = url.clone();
                                view! { <a href=href class="inline-flex min-h-11 items-center break-all text-indigo-700 hover:underline" rel="noopener noreferrer" target="_blank">{url}</a> }
                                    .into_any()
                            }
                            None => dash().into_any(),
                        }}
                    </Fact>
                    <Fact label="Phone">
                        {match account.phone.clone() {
                            Some(phone) => {
                                let href = format!("tel:{phone}");
                                view! { <a href=href class="inline-flex min-h-11 items-center text-indigo-700 hover:underline">{phone}</a> }.into_any()
                            }
                            None => dash().into_any(),
                        }}
                    </Fact>
                    <Fact label="Email">
                        {match account.email.clone() {
                            Some(email) => {
                                let href = format!("mailto:{email}");
                                view! { <a href=href class="inline-flex min-h-11 items-center break-all text-indigo-700 hover:underline">{email}</a> }.into_any()
                            }
                            None => dash().into_any(),
                        }}
                    </Fact>
                    <Fact label="Address">{if address.is_empty() { dash() } else { address }}</Fact>
                </dl>
            </header>
            <div class="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
                <Figure label="Opportunities" value=summary.total_opportunities.to_string() />
                <Figure label="Total value" value=short_money(summary.total_opportunity_value, &base_currency) />
                <Figure label="Weighted value" value=short_money(summary.weighted_opportunity_value, &base_currency) />
                <Figure label="Active contacts" value=summary.active_contacts.to_string() />
                <Figure label="Pending tasks" value=summary.pending_tasks.to_string() />
                <Figure label="Next due" value=summary.next_activity_due.as_deref().map(day).unwrap_or_else(dash) />
            </div>
            <LogCallForm account_id=id.clone() reload />
            <ComposeMail key="mail-account".to_owned() account_id=id.clone() to=mail_to on_sent=reload />
            <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
                <ContactsSection account_id=id.clone() contacts reload />
                <OpportunitiesSection opportunities />
                <TasksSection account_id=id.clone() tasks reload />
                <ActivitiesSection activities />
                <OrdersSection orders />
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn ContactsSection(account_id: String, contacts: Vec<Contact>, reload: Callback<()>) -> impl IntoView {
    let count = contacts.len();
    let mail_account = account_id.clone();
    view! {
        <Section id="contacts" title="Contacts" count>
            {if contacts.is_empty() {
                view! { <p class="text-sm text-slate-500">"No contacts yet."</p> }.into_any()
            } else {
                view! {
                    <ul role="list" class="divide-y divide-slate-100">
                        {contacts
                            .into_iter()
                            .map(|c| {
                                let reach = [c.email.clone(), c.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                                view! {
                                    <li class="min-w-0 py-2" data-contact-id=c.contact_id.clone()>
                                        <p class="flex min-w-0 items-center gap-2">
                                            <a href=format!("/contacts/{}", c.contact_id) class="truncate font-medium text-indigo-700 hover:underline">{c.full_name.clone()}</a>
                                            {c.is_primary.then(|| view! { <span class="shrink-0 rounded-full bg-indigo-50 px-2 text-xs text-indigo-700">"Primary"</span> })}
                                        </p>
                                        <p class="truncate text-sm text-slate-600">{c.title.clone().unwrap_or_default()}</p>
                                        <p class="truncate text-sm text-slate-500">{reach}</p>
                                        {c.email.clone().map(|to| view! { <ComposeMail key=format!("mail-{}", c.contact_id) account_id=mail_account.clone() contact_id=Some(c.contact_id.clone()) to=Some(to) on_sent=reload /> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <NewContactForm account_id reload />
        </Section>
    }
    .into_any()
}

#[component]
fn NewContactForm(account_id: String, reload: Callback<()>) -> impl IntoView {
    const FIELDS: &[&str] = &["first_name", "last_name", "email"];
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let error: FormError = RwSignal::new(None);
    let saving = RwSignal::new(false);
    let hydrated = use_hydrated();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(first) = non_blank(&first_name.get_untracked()) else {
            error.set(invalid("first_name", "Enter the first name."));
            return;
        };
        let Some(last) = non_blank(&last_name.get_untracked()) else {
            error.set(invalid("last_name", "Enter the last name."));
            return;
        };
        let input = ContactInput {
            account_id: Some(account_id.clone()),
            first_name: first,
            last_name: last,
            email: non_blank(&email.get_untracked()),
            ..Default::default()
        };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            match add_contact(input).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(refused(e)),
            }
            saving.set(false);
        });
    };
    view! {
        <form novalidate aria-label="Add a contact" class="mt-4 space-y-3 border-t border-slate-100 pt-4" on:submit=submit>
            <h3 class="text-sm font-semibold text-slate-700">"Add a contact"</h3>
            <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                <TextField form="contact" field="first_name" label="First name" value=first_name error required=true autocomplete="off" />
                <TextField form="contact" field="last_name" label="Last name" value=last_name error required=true autocomplete="off" />
            </div>
            <TextField form="contact" field="email" label="Email" value=email error control=Control::Email autocomplete="off" />
            <FormAlert error fields=FIELDS />
            <button type="submit" class=PRIMARY_BUTTON disabled=move || saving.get() || !hydrated.get()>
                {move || if saving.get() { "Adding…" } else { "Add contact" }}
            </button>
        </form>
    }
    .into_any()
}

#[component]
fn OpportunitiesSection(opportunities: Vec<Opportunity>) -> impl IntoView {
    let count = opportunities.len();
    view! {
        <Section id="opportunities" title="Opportunities" count>
            {if opportunities.is_empty() {
                view! { <p class="text-sm text-slate-500">"No opportunities yet."</p> }.into_any()
            } else {
                view! {
                    <ul role="list" class="divide-y divide-slate-100">
                        {opportunities
                            .into_iter()
                            .map(|o| {
                                let amount = o.amount.map(|a| short_money(a, &o.currency)).unwrap_or_else(|| "—".into());
                                view! {
                                    <li class="flex min-w-0 items-center justify-between gap-3 py-2" data-opportunity-id=o.opportunity_id.clone()>
                                        <div class="min-w-0">
                                            <a href=format!("/opportunities/{}", o.opportunity_id) class="block truncate font-medium text-indigo-700 hover:underline">{o.name.clone()}</a>
                                            <p class="truncate text-sm text-slate-600">
                                                {stage_label(o.stage)}
                                                {o.close_date.as_deref().map(|d| format!(" · closes {}", day(d)))}
                                            </p>
                                        </div>
                                        <span class="shrink-0 font-semibold">{amount}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </Section>
    }
    .into_any()
}

#[component]
fn TasksSection(account_id: String, tasks: Vec<Task>, reload: Callback<()>) -> impl IntoView {
    let count = tasks.len();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<String>);
    let hydrated = use_hydrated();
    let complete = move |task_id: String| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(task_id.clone()));
        error.set(None);
        spawn_local(async move {
            match complete_task_now(task_id).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(Some(e.detail)),
            }
            busy.set(None);
        });
    };
    view! {
        <Section id="tasks" title="Tasks" count>
            {move || error.get().map(|m| view! { <p role="alert" class="mb-2 text-sm text-rose-700">{m}</p> })}
            {if tasks.is_empty() {
                view! { <p class="text-sm text-slate-500">"No tasks yet."</p> }.into_any()
            } else {
                view! {
                    <ul role="list" class="divide-y divide-slate-100">
                        {tasks
                            .into_iter()
                            .map(|t| {
                                let open = matches!(t.status, TaskStatus::Pending | TaskStatus::InProgress);
                                let task_id = t.task_id.clone();
                                let is_busy = {
                                    let task_id = task_id.clone();
                                    move || busy.get().as_deref() == Some(task_id.as_str())
                                };
                                let label = format!("Complete {}", t.title);
                                view! {
                                    <li class="flex min-w-0 items-center justify-between gap-3 py-2" data-task-id=t.task_id.clone() data-status=t.status.as_str()>
                                        <div class="min-w-0">
                                            <a
                                                href=format!("/tasks/{}", t.task_id)
                                                class=if open { "block truncate font-medium text-indigo-700 hover:underline" } else { "block truncate font-medium text-slate-600 line-through" }
                                            >
                                                {t.title.clone()}
                                            </a>
                                            <p class="truncate text-sm text-slate-600">
                                                {humanize(t.status.as_str())} " · " {humanize(t.priority.as_str())}
                                                {t.due_date.as_deref().map(|d| format!(" · due {}", day(d)))}
                                            </p>
                                        </div>
                                        {open.then(|| {
                                            view! {
                                                <button
                                                    type="button"
                                                    aria-label=label
                                                    class="inline-flex min-h-11 shrink-0 items-center gap-1.5 rounded-lg px-3 text-sm font-medium text-emerald-700 ring-1 ring-emerald-200 hover:bg-emerald-50 disabled:opacity-60"
                                                    disabled=move || is_busy() || !hydrated.get()
                                                    on:click=move |_| complete(task_id.clone())
                                                >
                                                    <Icon name="check" class="h-4 w-4" />
                                                    "Complete"
                                                </button>
                                            }
                                        })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <NewTaskForm account_id reload />
        </Section>
    }
    .into_any()
}

#[component]
fn NewTaskForm(account_id: String, reload: Callback<()>) -> impl IntoView {
    const FIELDS: &[&str] = &["title", "due_date"];
    let title = RwSignal::new(String::new());
    let due_date = RwSignal::new(String::new());
    let error: FormError = RwSignal::new(None);
    let saving = RwSignal::new(false);
    let hydrated = use_hydrated();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(task_title) = non_blank(&title.get_untracked()) else {
            error.set(invalid("title", "Enter what needs doing."));
            return;
        };
        let input = TaskInput {
            title: task_title,
            due_date: non_blank(&due_date.get_untracked()),
            account_id: Some(account_id.clone()),
            ..Default::default()
        };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            match add_task(input).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(refused(e)),
            }
            saving.set(false);
        });
    };
    view! {
        <form novalidate aria-label="Add a task" class="mt-4 space-y-3 border-t border-slate-100 pt-4" on:submit=submit>
            <h3 class="text-sm font-semibold text-slate-700">"Add a task"</h3>
            <div class="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
                <TextField form="task" field="title" label="Title" value=title error required=true autocomplete="off" />
                <TextField form="task" field="due_date" label="Due date" value=due_date error control=Control::Date />
            </div>
            <FormAlert error fields=FIELDS />
            <button type="submit" class=PRIMARY_BUTTON disabled=move || saving.get() || !hydrated.get()>
                {move || if saving.get() { "Adding…" } else { "Add task" }}
            </button>
        </form>
    }
    .into_any()
}

/// "Log a call": a call that just happened, recorded as a completed activity.
#[component]
fn LogCallForm(account_id: String, reload: Callback<()>) -> impl IntoView {
    const FIELDS: &[&str] = &["subject", "outcome"];
    let subject = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let error: FormError = RwSignal::new(None);
    let saving = RwSignal::new(false);
    let hydrated = use_hydrated();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(call_subject) = non_blank(&subject.get_untracked()) else {
            error.set(invalid("subject", "Enter what the call was about."));
            return;
        };
        let (account_id, call_outcome) = (account_id.clone(), outcome.get_untracked());
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            match log_call(account_id, call_subject, call_outcome).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(refused(e)),
            }
            saving.set(false);
        });
    };
    view! {
        <form novalidate aria-label="Log a call" class=CARD on:submit=submit>
            <h2 class="mb-3 flex items-center gap-2 font-semibold">
                <Icon name="phone" class="h-5 w-5 text-indigo-600" />
                "Log a call"
            </h2>
            <div class="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end">
                <TextField form="call" field="subject" label="Subject" value=subject error required=true autocomplete="off" />
                <TextField form="call" field="outcome" label="Outcome" value=outcome error autocomplete="off" />
                <button type="submit" class=PRIMARY_BUTTON disabled=move || saving.get() || !hydrated.get()>
                    {move || if saving.get() { "Logging…" } else { "Log call" }}
                </button>
            </div>
            <div class="mt-2">
                <FormAlert error fields=FIELDS />
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn ActivitiesSection(activities: Vec<Activity>) -> impl IntoView {
    let count = activities.len();
    view! {
        <Section id="activities" title="Activities" count>
            {if activities.is_empty() {
                view! { <p class="text-sm text-slate-500">"No activities yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="space-y-3 border-l-2 border-slate-100 pl-4">
                        {activities
                            .into_iter()
                            .map(|a| {
                                let when = a.start_time.clone().or(a.due_date.clone()).unwrap_or_else(|| a.created_at.clone());
                                let status_class = match a.status {
                                    ActivityStatus::Completed => "text-emerald-700",
                                    ActivityStatus::Planned => "text-amber-700",
                                    ActivityStatus::Cancelled => "text-slate-500",
                                };
                                view! {
                                    <li class="relative min-w-0" data-activity-id=a.activity_id.clone() data-status=a.status.as_str()>
                                        <span class="absolute -left-[1.3rem] top-1.5 h-2.5 w-2.5 rounded-full bg-indigo-400" aria-hidden="true"></span>
                                        <p class="flex min-w-0 items-center gap-2">
                                            <span class="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs capitalize text-slate-600">
                                                {a.activity_type.as_str()}
                                            </span>
                                            <a href=format!("/activities/{}", a.activity_id) class="truncate font-medium text-indigo-700 hover:underline">{a.subject.clone()}</a>
                                        </p>
                                        <p class="text-xs text-slate-500">
                                            <time datetime=when.clone()>{minute(&when)}</time>
                                            " · "
                                            <span class=status_class>{humanize(a.status.as_str())}</span>
                                        </p>
                                        {a.outcome.clone().map(|o| view! { <p class="break-words text-sm text-slate-700">{o}</p> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </Section>
    }
    .into_any()
}

#[component]
fn OrdersSection(orders: Vec<Order>) -> impl IntoView {
    let count = orders.len();
    view! {
        <Section id="orders" title="Orders" count>
            {if orders.is_empty() {
                view! { <p class="text-sm text-slate-500">"No orders yet."</p> }.into_any()
            } else {
                view! {
                    <ul role="list" class="divide-y divide-slate-100">
                        {orders
                            .into_iter()
                            .map(|o| {
                                view! {
                                    <li class="flex min-w-0 items-center justify-between gap-3 py-2" data-order-id=o.order_id.clone()>
                                        <div class="min-w-0">
                                            <a href=format!("/orders/{}", o.order_id) class="block truncate font-medium text-indigo-700 hover:underline">{o.order_id.clone()} " · " {o.product_id.clone()}</a>
                                            <p class="truncate text-sm text-slate-600">
                                                {day(&o.order_date)} " · " {o.quantity} " × " {short_money(o.unit_price, &o.currency)}
                                                " · " {humanize(o.status.as_str())}
                                            </p>
                                        </div>
                                        <span class="shrink-0 font-semibold">{short_money(o.total_amount, &o.currency)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </Section>
    }
    .into_any()
}
