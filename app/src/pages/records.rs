//! Record pages: `/contacts/:id`, `/opportunities/:id`, `/activities/:id` and `/tasks/:id` edit
//! one record; `/orders/:id` moves an order along its life.
//!
//! Every save sends the version the page loaded (optimistic concurrency, like `If-Match`): when
//! someone else saved in between, the page says so, keeps what the user typed, and offers to
//! load the other version. A refused save shows the server's `detail` next to its field.

use std::future::Future;

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{deals::stage_label, lists::order_tone, lists::status_class};
use crate::{
    components::{
        CARD, CheckField, Control, FormAlert, FormError, Icon, PRIMARY_BUTTON, RecordPage, SelectField, TextField,
        invalid, refused, short_money,
        text::{day, from_local_input, humanize, local_input, minute, non_blank, parse_number},
        use_hydrated,
    },
    error::{AppError, ErrorKind},
    model::{
        Activity, ActivityPatch, ActivityStatus, ActivityType, Contact, ContactPatch, ContactRole, Opportunity,
        OpportunityPatch, OpportunityStage, Order, OrderStatus, Priority, RecordStatus, Task, TaskPatch, TaskStatus,
    },
    server_fns::{
        Listed, load_activity, load_contact, load_opportunity, load_order, load_task, move_order, save_activity,
        save_contact, save_opportunity, save_task,
    },
};

/// The `:id` of the route.
fn use_record_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").unwrap_or_default())
}

/// The options of a select over an enum's values.
fn choices(values: impl IntoIterator<Item = &'static str>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.to_owned(), humanize(v))).collect()
}

/// `Some(None)` for a blank input (PATCH clears it), `Some(Some(text))` otherwise.
fn clearable(value: RwSignal<String>) -> Option<Option<String>> {
    Some(non_blank(&value.get_untracked()))
}

/// Like `clearable`, for a `datetime-local` input.
fn clearable_time(value: RwSignal<String>) -> Option<Option<String>> {
    Some(non_blank(&value.get_untracked()).map(|t| from_local_input(&t)))
}

/// A required text input's value, or the form's error about it.
fn required(error: FormError, field: &str, value: RwSignal<String>, message: &str) -> Option<String> {
    let text = non_blank(&value.get_untracked());
    if text.is_none() {
        error.set(invalid(field, message));
    }
    text
}

/// What an edit form shares: its error, the version it edits, and the save in flight.
#[derive(Clone, Copy)]
struct Editing {
    error: FormError,
    version: RwSignal<i64>,
    saving: RwSignal<bool>,
    saved: RwSignal<bool>,
    /// Someone else saved the record since it was loaded.
    conflict: RwSignal<Option<String>>,
    hydrated: ReadSignal<bool>,
}

impl Editing {
    fn new(version: i64) -> Self {
        Editing {
            error: RwSignal::new(None),
            version: RwSignal::new(version),
            saving: RwSignal::new(false),
            saved: RwSignal::new(false),
            conflict: RwSignal::new(None),
            hydrated: use_hydrated(),
        }
    }

    /// Clears the messages of the last save; false while a save is still in flight.
    fn begin(self) -> bool {
        if self.saving.get_untracked() {
            return false;
        }
        self.error.set(None);
        self.saved.set(false);
        self.conflict.set(None);
        true
    }

    /// Sends a save made by `call` with the current version. On success `saved` gets the
    /// record and returns its new version; the form keeps its values either way.
    fn send<T, Fut>(self, call: impl FnOnce(i64) -> Fut, saved: impl FnOnce(T) -> i64 + 'static)
    where
        T: 'static,
        Fut: Future<Output = Result<T, AppError>> + 'static,
    {
        self.saving.set(true);
        let answer = call(self.version.get_untracked());
        spawn_local(async move {
            match answer.await {
                Ok(record) => {
                    self.version.set(saved(record));
                    self.saved.set(true);
                }
                Err(e) if e.kind == ErrorKind::Conflict => self.conflict.set(Some(e.detail)),
                Err(e) => self.error.set(refused(e)),
            }
            self.saving.set(false);
        });
    }
}

/// The end of an edit form: errors, the conflict notice, "Saved", and the save button.
#[component]
fn SaveBar(editing: Editing, fields: &'static [&'static str], reload: RwSignal<u32>) -> impl IntoView {
    let Editing { error, saving, saved, conflict, hydrated, .. } = editing;
    view! {
        <FormAlert error fields />
        {move || {
            conflict
                .get()
                .map(|detail| {
                    view! {
                        <div role="alert" class="space-y-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-300" data-testid="conflict">
                            <p class="font-medium">"Someone else changed this record while you were editing it."</p>
                            <p>{detail}</p>
                            <p>"Your changes are still in the form. Load the latest version to see theirs (this discards yours)."</p>
                            <button
                                type="button"
                                class="min-h-11 rounded-lg bg-white px-3 font-medium ring-1 ring-amber-300 hover:bg-amber-100"
                                on:click=move |_| reload.update(|n| *n += 1)
                            >
                                "Load the latest version"
                            </button>
                        </div>
                    }
                })
        }}
        {move || saved.get().then(|| view! { <p role="status" class="text-sm text-emerald-800">"Saved."</p> })}
        <button type="submit" class=PRIMARY_BUTTON disabled=move || saving.get() || !hydrated.get()>
            {move || if saving.get() { "Saving…" } else { "Save changes" }}
        </button>
    }
}

/// The top of a record page: what it is, its name, and its account.
#[component]
fn RecordHeader(
    #[prop(into)] kind: String,
    title: String,
    account: Option<(String, Option<String>)>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <header class=CARD>
            <p class="text-xs font-medium uppercase tracking-wide text-slate-600">{kind}</p>
            <h1 class="min-w-0 break-words text-2xl font-semibold tracking-tight">{title}</h1>
            {account
                .map(|(id, name)| {
                    let href = format!("/accounts/{id}");
                    view! {
                        <a href=href class="mt-1 inline-flex min-h-11 items-center gap-2 text-indigo-700 hover:underline">
                            <Icon name="building" class="h-5 w-5" />
                            {name.unwrap_or(id)}
                        </a>
                    }
                })}
            {children.map(|c| c())}
        </header>
    }
}

const GRID: &str = "grid grid-cols-1 gap-4 sm:grid-cols-2";

// ---------------------------------------------------------------------------------------------
// `/contacts/:id`
// ---------------------------------------------------------------------------------------------

#[component]
pub fn ContactPage() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let body = move |listed| view! { <ContactEditor listed reload /> }.into_any();
    view! { <RecordPage id=use_record_id() load=load_contact body noun="Contact" back=("/contacts", "Contacts") reload /> }
}

#[component]
fn ContactEditor(listed: Listed<Contact>, reload: RwSignal<u32>) -> impl IntoView {
    const FIELDS: &[&str] =
        &["first_name", "last_name", "title", "department", "email", "phone", "mobile", "contact_role", "status"];
    let Listed { record: c, account_name } = listed;
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    let first_name = RwSignal::new(c.first_name.clone());
    let last_name = RwSignal::new(c.last_name.clone());
    let (title, department, email) = (text(&c.title), text(&c.department), text(&c.email));
    let (phone, mobile) = (text(&c.phone), text(&c.mobile));
    let role = RwSignal::new(c.contact_role.as_str().to_owned());
    let status = RwSignal::new(c.status.as_str().to_owned());
    let is_primary = RwSignal::new(c.is_primary);
    let editing = Editing::new(c.version);
    let error = editing.error;
    let id = c.contact_id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !editing.begin() {
            return;
        }
        let Some(first) = required(error, "first_name", first_name, "Enter the first name.") else { return };
        let Some(last) = required(error, "last_name", last_name, "Enter the last name.") else { return };
        let patch = ContactPatch {
            first_name: Some(first),
            last_name: Some(last),
            title: clearable(title),
            department: clearable(department),
            email: clearable(email),
            phone: clearable(phone),
            mobile: clearable(mobile),
            contact_role: role.get_untracked().parse::<ContactRole>().ok(),
            status: status.get_untracked().parse::<RecordStatus>().ok(),
            is_primary: Some(is_primary.get_untracked()),
            ..Default::default()
        };
        let id = id.clone();
        editing.send(move |version| save_contact(id, version, patch), |saved: Contact| saved.version);
    };
    view! {
        <div class="space-y-4">
            <RecordHeader kind="Contact" title=c.full_name.clone() account=c.account_id.clone().map(|id| (id, account_name)) />
            <form novalidate aria-label="Edit contact" class=format!("{CARD} space-y-4") on:submit=submit>
                <div class=GRID>
                    <TextField form="contact" field="first_name" label="First name" value=first_name error required=true autocomplete="off" />
                    <TextField form="contact" field="last_name" label="Last name" value=last_name error required=true autocomplete="off" />
                    <TextField form="contact" field="title" label="Job title" value=title error autocomplete="off" />
                    <TextField form="contact" field="department" label="Department" value=department error autocomplete="off" />
                    <TextField form="contact" field="email" label="Email" value=email error control=Control::Email autocomplete="off" />
                    <TextField form="contact" field="phone" label="Phone" value=phone error control=Control::Tel autocomplete="off" />
                    <TextField form="contact" field="mobile" label="Mobile" value=mobile error control=Control::Tel autocomplete="off" />
                    <SelectField form="contact" field="contact_role" label="Role" value=role error
                        options=choices(ContactRole::ALL.iter().map(|r| r.as_str())) />
                    <SelectField form="contact" field="status" label="Status" value=status error
                        options=choices(RecordStatus::ALL.iter().map(|s| s.as_str())) />
                    <CheckField form="contact" field="is_primary" label="Primary contact of the account" value=is_primary />
                </div>
                <SaveBar editing fields=FIELDS reload />
            </form>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// `/opportunities/:id`
// ---------------------------------------------------------------------------------------------

#[component]
pub fn OpportunityPage() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let body = move |listed| view! { <OpportunityEditor listed reload /> }.into_any();
    view! {
        <RecordPage id=use_record_id() load=load_opportunity body noun="Opportunity" back=("/opportunities", "Deals") reload />
    }
}

#[component]
fn OpportunityEditor(listed: Listed<Opportunity>, reload: RwSignal<u32>) -> impl IntoView {
    const FIELDS: &[&str] = &["name", "stage", "amount", "probability", "close_date", "description"];
    let Listed { record: o, account_name } = listed;
    let name = RwSignal::new(o.name.clone());
    let stage = RwSignal::new(o.stage.as_str().to_owned());
    let amount = RwSignal::new(o.amount.map(|a| a.to_string()).unwrap_or_default());
    // The probability as loaded: sent only when the user changed it, so a new stage without a
    // typed probability takes the stage's default (the server's rule).
    let loaded_probability = RwSignal::new(o.probability.to_string());
    let probability = RwSignal::new(o.probability.to_string());
    let close_date = RwSignal::new(o.close_date.as_deref().map(day).unwrap_or_default());
    let description = RwSignal::new(o.description.clone().unwrap_or_default());
    let expected = RwSignal::new(o.expected_revenue);
    let currency = o.currency.clone();
    let editing = Editing::new(o.version);
    let error = editing.error;
    let id = o.opportunity_id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !editing.begin() {
            return;
        }
        let Some(deal_name) = required(error, "name", name, "Enter the deal's name.") else { return };
        let deal_amount = match non_blank(&amount.get_untracked()) {
            None => None,
            Some(text) => match parse_number(&text) {
                Some(value) => Some(value),
                None => return error.set(invalid("amount", "Enter the amount as a number, e.g. 250000.")),
            },
        };
        let typed = probability.get_untracked();
        let new_probability = if typed.trim() == loaded_probability.get_untracked().trim() {
            None
        } else {
            match parse_number(&typed).filter(|p| (0.0..=100.0).contains(p)) {
                Some(value) => Some(value),
                None => return error.set(invalid("probability", "Enter a probability from 0 to 100.")),
            }
        };
        let patch = OpportunityPatch {
            name: Some(deal_name),
            stage: stage.get_untracked().parse::<OpportunityStage>().ok(),
            amount: Some(deal_amount),
            probability: new_probability,
            close_date: clearable(close_date),
            description: clearable(description),
            ..Default::default()
        };
        let id = id.clone();
        editing.send(
            move |version| save_opportunity(id, version, patch),
            move |saved: Opportunity| {
                // The stage rules may have set the probability; show what was saved.
                probability.set(saved.probability.to_string());
                loaded_probability.set(saved.probability.to_string());
                expected.set(saved.expected_revenue);
                saved.version
            },
        );
    };
    let stages: Vec<(String, String)> =
        OpportunityStage::ALL.iter().map(|s| (s.as_str().to_owned(), stage_label(*s).to_owned())).collect();
    view! {
        <div class="space-y-4">
            <RecordHeader kind="Opportunity" title=o.name.clone() account=Some((o.account_id.clone(), account_name))>
                <p class="mt-1 text-sm text-slate-700">
                    "Expected revenue: "
                    <span class="font-semibold" data-testid="expected-revenue">
                        {move || expected.get().map(|e| short_money(e, &currency)).unwrap_or_else(|| "—".into())}
                    </span>
                </p>
            </RecordHeader>
            <form novalidate aria-label="Edit opportunity" class=format!("{CARD} space-y-4") on:submit=submit>
                <div class=GRID>
                    <TextField form="opportunity" field="name" label="Deal name" value=name error required=true autocomplete="off" />
                    <SelectField form="opportunity" field="stage" label="Stage" value=stage error options=stages />
                    <TextField form="opportunity" field="amount" label="Amount" value=amount error control=Control::Number />
                    <TextField form="opportunity" field="probability" label="Probability (%)" value=probability error control=Control::Number />
                    <TextField form="opportunity" field="close_date" label="Close date" value=close_date error control=Control::Date />
                </div>
                <TextField form="opportunity" field="description" label="Description" value=description error control=Control::Multiline />
                <SaveBar editing fields=FIELDS reload />
            </form>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// `/activities/:id`
// ---------------------------------------------------------------------------------------------

#[component]
pub fn ActivityPage() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let body = move |listed| view! { <ActivityEditor listed reload /> }.into_any();
    view! { <RecordPage id=use_record_id() load=load_activity body noun="Activity" back=("/activities", "Activities") reload /> }
}

#[component]
fn ActivityEditor(listed: Listed<Activity>, reload: RwSignal<u32>) -> impl IntoView {
    const FIELDS: &[&str] =
        &["subject", "activity_type", "status", "priority", "start_time", "outcome", "next_steps", "description"];
    let Listed { record: a, account_name } = listed;
    let subject = RwSignal::new(a.subject.clone());
    let activity_type = RwSignal::new(a.activity_type.as_str().to_owned());
    let status = RwSignal::new(a.status.as_str().to_owned());
    let priority = RwSignal::new(a.priority.map(|p| p.as_str().to_owned()).unwrap_or_default());
    let start_time = RwSignal::new(a.start_time.as_deref().map(local_input).unwrap_or_default());
    let outcome = RwSignal::new(a.outcome.clone().unwrap_or_default());
    let next_steps = RwSignal::new(a.next_steps.clone().unwrap_or_default());
    let description = RwSignal::new(a.description.clone().unwrap_or_default());
    let editing = Editing::new(a.version);
    let error = editing.error;
    let id = a.activity_id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !editing.begin() {
            return;
        }
        let Some(text) = required(error, "subject", subject, "Enter what the activity is about.") else { return };
        let patch = ActivityPatch {
            subject: Some(text),
            activity_type: activity_type.get_untracked().parse::<ActivityType>().ok(),
            status: status.get_untracked().parse::<ActivityStatus>().ok(),
            priority: Some(priority.get_untracked().parse::<Priority>().ok()),
            start_time: clearable_time(start_time),
            outcome: clearable(outcome),
            next_steps: clearable(next_steps),
            description: clearable(description),
            ..Default::default()
        };
        let id = id.clone();
        editing.send(move |version| save_activity(id, version, patch), |saved: Activity| saved.version);
    };
    let mut priorities = vec![(String::new(), "None".to_owned())];
    priorities.extend(choices(Priority::ALL.iter().map(|p| p.as_str())));
    view! {
        <div class="space-y-4">
            <RecordHeader kind=humanize(a.activity_type.as_str()) title=a.subject.clone() account=a.account_id.clone().map(|id| (id, account_name))>
                <p class="mt-1 text-sm text-slate-700">"Created " {minute(&a.created_at)} " UTC"</p>
            </RecordHeader>
            <form novalidate aria-label="Edit activity" class=format!("{CARD} space-y-4") on:submit=submit>
                <div class=GRID>
                    <TextField form="activity" field="subject" label="Subject" value=subject error required=true autocomplete="off" />
                    <SelectField form="activity" field="activity_type" label="Type" value=activity_type error
                        options=choices(ActivityType::ALL.iter().map(|t| t.as_str())) />
                    <SelectField form="activity" field="status" label="Status" value=status error
                        options=choices(ActivityStatus::ALL.iter().map(|s| s.as_str())) />
                    <SelectField form="activity" field="priority" label="Priority" value=priority error options=priorities />
                    <TextField form="activity" field="start_time" label="Starts (UTC)" value=start_time error control=Control::DateTime />
                    <TextField form="activity" field="next_steps" label="Next steps" value=next_steps error autocomplete="off" />
                </div>
                <TextField form="activity" field="outcome" label="Outcome" value=outcome error control=Control::Multiline />
                <TextField form="activity" field="description" label="Description" value=description error control=Control::Multiline />
                <SaveBar editing fields=FIELDS reload />
            </form>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// `/tasks/:id`
// ---------------------------------------------------------------------------------------------

#[component]
pub fn TaskPage() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let body = move |listed| view! { <TaskEditor listed reload /> }.into_any();
    view! { <RecordPage id=use_record_id() load=load_task body noun="Task" back=("/tasks", "Tasks") reload /> }
}

#[component]
fn TaskEditor(listed: Listed<Task>, reload: RwSignal<u32>) -> impl IntoView {
    const FIELDS: &[&str] = &["title", "status", "priority", "due_date", "reminder_date", "description"];
    let Listed { record: t, account_name } = listed;
    let title = RwSignal::new(t.title.clone());
    let status = RwSignal::new(t.status.as_str().to_owned());
    let priority = RwSignal::new(t.priority.as_str().to_owned());
    let due_date = RwSignal::new(t.due_date.as_deref().map(local_input).unwrap_or_default());
    let reminder_date = RwSignal::new(t.reminder_date.as_deref().map(local_input).unwrap_or_default());
    let description = RwSignal::new(t.description.clone().unwrap_or_default());
    let editing = Editing::new(t.version);
    let error = editing.error;
    let id = t.task_id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !editing.begin() {
            return;
        }
        let Some(text) = required(error, "title", title, "Enter what needs doing.") else { return };
        let patch = TaskPatch {
            title: Some(text),
            status: status.get_untracked().parse::<TaskStatus>().ok(),
            priority: priority.get_untracked().parse::<Priority>().ok(),
            due_date: clearable_time(due_date),
            reminder_date: clearable_time(reminder_date),
            description: clearable(description),
            ..Default::default()
        };
        let id = id.clone();
        editing.send(move |version| save_task(id, version, patch), |saved: Task| saved.version);
    };
    view! {
        <div class="space-y-4">
            <RecordHeader kind="Task" title=t.title.clone() account=t.account_id.clone().map(|id| (id, account_name)) />
            <form novalidate aria-label="Edit task" class=format!("{CARD} space-y-4") on:submit=submit>
                <div class=GRID>
                    <TextField form="task" field="title" label="Title" value=title error required=true autocomplete="off" />
                    <SelectField form="task" field="status" label="Status" value=status error
                        options=choices(TaskStatus::ALL.iter().map(|s| s.as_str())) />
                    <SelectField form="task" field="priority" label="Priority" value=priority error
                        options=choices(Priority::ALL.iter().map(|p| p.as_str())) />
                    <TextField form="task" field="due_date" label="Due (UTC)" value=due_date error control=Control::DateTime />
                    <TextField form="task" field="reminder_date" label="Remind me (UTC)" value=reminder_date error control=Control::DateTime />
                </div>
                <TextField form="task" field="description" label="Description" value=description error control=Control::Multiline />
                <SaveBar editing fields=FIELDS reload />
            </form>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// `/orders/:id`
// ---------------------------------------------------------------------------------------------

#[component]
pub fn OrderPage() -> impl IntoView {
    let body = |listed| view! { <OrderView listed /> }.into_any();
    view! { <RecordPage id=use_record_id() load=load_order body noun="Order" back=("/orders", "Orders") /> }
}

/// An order's facts and the moves its status may make next (`OrderStatus::next`).
#[component]
fn OrderView(listed: Listed<Order>) -> impl IntoView {
    let Listed { record, account_name } = listed;
    let title = format!("{} · {}", record.order_id, record.product_id);
    let account = Some((record.account_id.clone(), account_name));
    let order = RwSignal::new(record);
    let error: FormError = RwSignal::new(None);
    let moving = RwSignal::new(false);
    let hydrated = use_hydrated();
    let move_to = move |status: OrderStatus| {
        if moving.get_untracked() {
            return;
        }
        error.set(None);
        moving.set(true);
        let id = order.with_untracked(|o| o.order_id.clone());
        spawn_local(async move {
            match move_order(id, status).await {
                Ok(saved) => order.set(saved),
                Err(e) => error.set(refused(e)),
            }
            moving.set(false);
        });
    };
    let fact = |label: &'static str, value: String| {
        view! {
            <div class="min-w-0">
                <dt class="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
                <dd class="truncate text-sm text-slate-900">{value}</dd>
            </div>
        }
    };
    view! {
        <div class="space-y-4">
            <RecordHeader kind="Order" title=title account />
            {move || {
                let o = order.get();
                view! {
                    <section class=CARD aria-label="Order facts">
                        <p class="flex items-center gap-2">
                            "Status "
                            <span class=status_class(order_tone(o.status)) data-testid="order-status">{humanize(o.status.as_str())}</span>
                        </p>
                        <dl class="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
                            {fact("Ordered", day(&o.order_date))}
                            {fact("Quantity", o.quantity.to_string())}
                            {fact("Unit price", short_money(o.unit_price, &o.currency))}
                            {fact("Total", short_money(o.total_amount, &o.currency))}
                            {fact("Back office", o.sync_status.clone().map(|s| humanize(&s)).unwrap_or_else(|| "—".into()))}
                            {fact("Deal", o.opportunity_id.clone().unwrap_or_else(|| "—".into()))}
                        </dl>
                        {o.special_requirements.clone().map(|r| view! { <p class="mt-3 break-words text-sm text-slate-700">{r}</p> })}
                    </section>
                }
            }}
            <section class=format!("{CARD} space-y-3") aria-labelledby="order-moves">
                <h2 id="order-moves" class="font-semibold">"Move the order"</h2>
                {move || {
                    let next = order.with(|o| o.status.next());
                    if next.is_empty() {
                        view! { <p class="text-sm text-slate-600">"This order has reached the end of its life: no more moves."</p> }.into_any()
                    } else {
                        view! {
                            <div class="flex flex-wrap gap-2">
                                {next
                                    .iter()
                                    .copied()
                                    .map(|status| {
                                        let label = format!("Mark as {}", status.as_str());
                                        let class = if status == OrderStatus::Cancelled {
                                            "min-h-11 rounded-lg px-4 font-medium text-rose-800 ring-1 ring-rose-300 hover:bg-rose-50 disabled:opacity-60"
                                        } else {
                                            PRIMARY_BUTTON
                                        };
                                        view! {
                                            <button type="button" class=class disabled=move || moving.get() || !hydrated.get() on:click=move |_| move_to(status)>
                                                {label}
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                }}
                <FormAlert error />
            </section>
        </div>
    }
    .into_any()
}
