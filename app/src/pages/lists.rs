//! `/contacts`, `/activities` and `/orders`: lists with search, filters and cursor paging over
//! the same queries as the REST lists. The URL's query string gives the first filters, so a
//! link like `/activities?status=planned` works before the WASM loads. Each row links to its
//! record's page.

use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    components::{
        Icon, PagedList, SelectField, TextField, short_money,
        text::{day, humanize, minute, non_blank},
    },
    model::{Activity, ActivityStatus, ActivityType, Contact, ContactRole, Order, OrderStatus, RecordStatus},
    server_fns::{Listed, load_activities, load_contacts, load_orders},
};

/// Rows per page.
const PAGE_SIZE: &str = "25";

/// A filter of a list page: its query parameter, bound to the input that sets it.
#[derive(Clone, Copy)]
struct ListFilter {
    param: &'static str,
    value: RwSignal<String>,
}

/// One signal per query parameter, started from the URL.
fn filters_from_url(params: &[&'static str]) -> Vec<ListFilter> {
    let query = use_query_map();
    params
        .iter()
        .map(|param| ListFilter {
            param,
            value: RwSignal::new(query.with_untracked(|q| q.get(param).unwrap_or_default())),
        })
        .collect()
}

/// The list's query: the page size and every filter that is not blank.
fn list_query(filters: Vec<ListFilter>) -> Memo<Vec<(String, String)>> {
    Memo::new(move |_| {
        let mut pairs = vec![("limit".to_owned(), PAGE_SIZE.to_owned())];
        for filter in &filters {
            if let Some(value) = non_blank(&filter.value.get()) {
                pairs.push((filter.param.to_owned(), value));
            }
        }
        pairs
    })
}

fn value_of(filters: &[ListFilter], param: &str) -> RwSignal<String> {
    filters.iter().find(|f| f.param == param).map(|f| f.value).unwrap_or_else(|| RwSignal::new(String::new()))
}

/// Options of a filter select: "any" first, then the values of an enum.
fn options(any: &str, values: impl IntoIterator<Item = &'static str>) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(values.into_iter().map(|v| (v.to_owned(), humanize(v))))
        .collect()
}

/// "Mine" and "Everyone" for a user filter (`me` is the caller).
fn whose(everyone: &str) -> Vec<(String, String)> {
    vec![(String::new(), everyone.to_owned()), ("me".to_owned(), "Mine".to_owned())]
}

/// Heading and the filter form of a list page; without WASM the form is a plain GET.
#[component]
fn ListHeader(title: &'static str, blurb: &'static str, action: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title />
        <div class="min-w-0">
            <h1 class="text-2xl font-semibold tracking-tight">{title}</h1>
            <p class="text-sm text-slate-600">{blurb}</p>
        </div>
        <form
            role="search"
            method="get"
            action=action
            class="grid grid-cols-1 gap-3 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-2 lg:grid-cols-4 lg:items-end"
            on:submit=|ev: SubmitEvent| ev.prevent_default()
        >
            {children()}
        </form>
    }
}

pub(crate) fn status_class(tone: &str) -> &'static str {
    match tone {
        "good" => "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800",
        "wait" => "rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900",
        "off" => "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800",
        _ => "rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800",
    }
}

/// A link to the record's account, or nothing.
fn account_link(account_id: Option<&str>, name: Option<String>) -> Option<AnyView> {
    let id = account_id?;
    let href = format!("/accounts/{id}");
    let name = name.unwrap_or_else(|| id.to_owned());
    Some(view! { <a href=href class="truncate text-indigo-700 hover:underline">{name}</a> }.into_any())
}

const ROW: &str = "flex min-w-0 flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:gap-4";
const ROW_TITLE: &str = "flex min-h-11 min-w-0 items-center font-medium text-indigo-700 hover:underline sm:w-1/3";
const ROW_FACTS: &str = "flex min-w-0 flex-1 flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700";

// ---------------------------------------------------------------------------------------------

/// `/contacts`.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let filters = filters_from_url(&["q", "contact_role", "status", "owner_id"]);
    let query = list_query(filters.clone());
    let value = move |param| value_of(&filters, param);
    view! {
        <div class="space-y-4">
            <ListHeader title="Contacts" blurb="The people at your accounts." action="/contacts">
                <TextField form="contacts" field="q" label="Search contacts" value=value("q") autocomplete="off" />
                <SelectField form="contacts" field="contact_role" label="Role" value=value("contact_role")
                    options=options("Any role", ContactRole::ALL.iter().map(|r| r.as_str())) />
                <SelectField form="contacts" field="status" label="Status" value=value("status")
                    options=options("Any status", RecordStatus::ALL.iter().map(|s| s.as_str())) />
                <SelectField form="contacts" field="owner_id" label="Owner" value=value("owner_id") options=whose("Everyone's") />
            </ListHeader>
            <PagedList filters=query load=load_contacts row=contact_row noun="contacts" testid="contact-list" />
        </div>
    }
    .into_any()
}

fn contact_row(listed: Listed<Contact>) -> AnyView {
    let Listed { record: c, account_name } = listed;
    let href = format!("/contacts/{}", c.contact_id);
    let tone = if c.status == RecordStatus::Active { "good" } else { "off" };
    view! {
        <li class=ROW data-id=c.contact_id.clone()>
            <a href=href class=ROW_TITLE>
                <span class="truncate">{c.full_name.clone()}</span>
            </a>
            <div class=ROW_FACTS>
                {account_link(c.account_id.as_deref(), account_name)}
                {c.title.clone().map(|t| view! { <span class="truncate">{t}</span> })}
                {c.email.clone().map(|e| view! { <span class="truncate">{e}</span> })}
                {c.phone.clone().map(|p| view! { <span class="truncate">{p}</span> })}
                <span class=status_class("")>{humanize(c.contact_role.as_str())}</span>
                <span class=status_class(tone)>{humanize(c.status.as_str())}</span>
            </div>
        </li>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------

/// `/activities`.
#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let filters = filters_from_url(&["q", "activity_type", "status", "assigned_to"]);
    let query = list_query(filters.clone());
    let value = move |param| value_of(&filters, param);
    view! {
        <div class="space-y-4">
            <ListHeader title="Activities" blurb="Calls, meetings, emails, visits and notes." action="/activities">
                <TextField form="activities" field="q" label="Search activities" value=value("q") autocomplete="off" />
                <SelectField form="activities" field="activity_type" label="Type" value=value("activity_type")
                    options=options("Any type", ActivityType::ALL.iter().map(|t| t.as_str())) />
                <SelectField form="activities" field="status" label="Status" value=value("status")
                    options=options("Any status", ActivityStatus::ALL.iter().map(|s| s.as_str())) />
                <SelectField form="activities" field="assigned_to" label="Assigned to" value=value("assigned_to") options=whose("Everyone") />
            </ListHeader>
            <PagedList filters=query load=load_activities row=activity_row noun="activities" testid="activity-list" />
        </div>
    }
    .into_any()
}

fn activity_row(listed: Listed<Activity>) -> AnyView {
    let Listed { record: a, account_name } = listed;
    let href = format!("/activities/{}", a.activity_id);
    let when = a.start_time.clone().or(a.due_date.clone()).unwrap_or_else(|| a.created_at.clone());
    let tone = match a.status {
        ActivityStatus::Completed => "good",
        ActivityStatus::Planned => "wait",
        ActivityStatus::Cancelled => "off",
    };
    view! {
        <li class=ROW data-id=a.activity_id.clone() data-status=a.status.as_str()>
            <a href=href class=ROW_TITLE>
                <span class="truncate">{a.subject.clone()}</span>
            </a>
            <div class=ROW_FACTS>
                <span class=status_class("")>{humanize(a.activity_type.as_str())}</span>
                <time datetime=when.clone()>{minute(&when)}</time>
                {account_link(a.account_id.as_deref(), account_name)}
                <span class=status_class(tone)>{humanize(a.status.as_str())}</span>
            </div>
        </li>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------

/// `/orders`.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let filters = filters_from_url(&["q", "status", "date_from", "date_to"]);
    let query = list_query(filters.clone());
    let value = move |param| value_of(&filters, param);
    view! {
        <div class="space-y-4">
            <ListHeader title="Orders" blurb="What won deals turned into, and where each order stands." action="/orders">
                <TextField form="orders" field="q" label="Search orders" value=value("q") autocomplete="off" />
                <SelectField form="orders" field="status" label="Status" value=value("status")
                    options=options("Any status", OrderStatus::ALL.iter().map(|s| s.as_str())) />
                <TextField form="orders" field="date_from" label="Ordered from" value=value("date_from") control=crate::components::Control::Date />
                <TextField form="orders" field="date_to" label="Ordered until" value=value("date_to") control=crate::components::Control::Date />
            </ListHeader>
            <PagedList filters=query load=load_orders row=order_row noun="orders" testid="order-list" />
        </div>
    }
    .into_any()
}

pub(crate) fn order_tone(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Delivered => "good",
        OrderStatus::Cancelled => "off",
        OrderStatus::Created | OrderStatus::Confirmed => "wait",
        OrderStatus::Shipped => "",
    }
}

fn order_row(listed: Listed<Order>) -> AnyView {
    let Listed { record: o, account_name } = listed;
    let href = format!("/orders/{}", o.order_id);
    view! {
        <li class=ROW data-id=o.order_id.clone() data-status=o.status.as_str()>
            <a href=href class=ROW_TITLE>
                <Icon name="truck" class="mr-2 h-5 w-5 shrink-0 text-slate-500" />
                <span class="truncate">{o.order_id.clone()} " · " {o.product_id.clone()}</span>
            </a>
            <div class=ROW_FACTS>
                {account_link(Some(&o.account_id), account_name)}
                <span>{day(&o.order_date)}</span>
                <span>{o.quantity} " × " {short_money(o.unit_price, &o.currency)}</span>
                <span class="font-semibold text-slate-900">{short_money(o.total_amount, &o.currency)}</span>
                <span class=status_class(order_tone(o.status))>{humanize(o.status.as_str())}</span>
            </div>
        </li>
    }
    .into_any()
}
