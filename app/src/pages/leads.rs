//! `/leads`: the lead board. Columns by status (grouped like `/lead/pipeline`); cards move by
//! drag, arrow keys or their "Move to" menu; "Convert" turns a lead into an account, a contact
//! and an opportunity in one step.

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

use crate::{
    components::{
        BoardAlert, BoardCard, FieldError, FormAlert, FormError, PointerDrag, card_controls, short_money, use_board,
    },
    error::AppError,
    model::{Lead, LeadConversion, LeadPipeline, LeadStatus, OpportunityStage},
    server_fns::{convert_lead_now, lead_board, move_lead},
};

fn status_label(status: LeadStatus) -> &'static str {
    match status {
        LeadStatus::New => "New",
        LeadStatus::Contacted => "Contacted",
        LeadStatus::Qualified => "Qualified",
        LeadStatus::Proposal => "Proposal",
        LeadStatus::Negotiation => "Negotiation",
        LeadStatus::Unqualified => "Unqualified",
    }
}

fn leads_of(pipeline: LeadPipeline) -> Vec<Lead> {
    pipeline.pipeline.into_values().flat_map(|by_status| by_status.into_values().flatten()).collect()
}

#[component]
pub fn LeadBoard() -> impl IntoView {
    let pipeline = Resource::new(|| (), |_| lead_board());
    view! {
        <Title text="Leads" />
        <div class="space-y-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Leads"</h1>
                <p class="text-sm text-slate-600">"Open leads by status. Convert a lead when it is ready to become a deal."</p>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading leads…"</p> }>
                {move || Suspend::new(async move {
                    match pipeline.await {
                        Ok(pipeline) => view! { <Board leads=leads_of(pipeline) /> }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

impl BoardCard for Lead {
    type Column = LeadStatus;
    const COLUMNS: &'static [LeadStatus] = LeadStatus::ALL;

    fn id(&self) -> &str {
        &self.lead_id
    }
    fn column(&self) -> LeadStatus {
        self.lead_status
    }
    fn set_column(&mut self, status: LeadStatus) {
        self.lead_status = status;
    }
    fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// Saves a move with the version the board showed.
async fn save_move(lead: Lead, to: LeadStatus) -> Result<Lead, AppError> {
    move_lead(lead.lead_id, to, lead.version).await
}

#[component]
fn Board(leads: Vec<Lead>) -> impl IntoView {
    let (board, move_lead_to) = use_board(leads, save_move);
    let (leads, error, drag) = (board.cards, board.error, board.drag);
    let notice = RwSignal::new(None::<(String, String)>);
    let converting = RwSignal::new(None::<Lead>);

    view! {
        <BoardAlert error />
        {move || {
            notice
                .get()
                .map(|(message, opportunity_id)| {
                    view! {
                        <div role="status" class="rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200">
                            {message} " " <a class="font-medium underline" href="/opportunities" data-opportunity=opportunity_id>"Open the deal board"</a>
                        </div>
                    }
                })
        }}
        <div class="-mx-4 flex snap-x gap-3 overflow-x-auto px-4 pb-4 sm:mx-0 sm:px-0">
            {LeadStatus::ALL
                .iter()
                .copied()
                .map(|status| {
                    let in_column = move || board.cards_in(status);
                    let count = move || leads.with(|all| all.iter().filter(|l| l.lead_status == status).count());
                    view! {
                        <section
                            data-column=status.as_str()
                            aria-label=status_label(status)
                            class=move || {
                                format!(
                                    "flex w-72 shrink-0 snap-start flex-col rounded-2xl p-2 {}",
                                    if drag.is_hovered(status.as_str()) { "bg-indigo-100 ring-2 ring-indigo-400" } else { "bg-slate-100" },
                                )
                            }
                        >
                            <header class="flex items-baseline justify-between px-2 py-2">
                                <h2 class="font-semibold">{status_label(status)}</h2>
                                <span class="text-xs text-slate-600" data-testid="column-count">{count}</span>
                            </header>
                            <ul class="flex min-h-24 flex-col gap-2" role="list">
                                <For each=in_column key=|lead| (lead.lead_id.clone(), lead.lead_status, lead.version) let:lead>
                                    <LeadCard lead drag move_lead_to converting />
                                </For>
                            </ul>
                        </section>
                    }
                    .into_any()
                })
                .collect_view()}
        </div>
        {move || converting.get().map(|lead| view! { <ConvertDialog lead converting leads notice /> })}
    }
    .into_any()
}

#[component]
fn LeadCard(
    lead: Lead,
    drag: PointerDrag,
    move_lead_to: impl Fn(String, LeadStatus) + Copy + Send + Sync + 'static,
    converting: RwSignal<Option<Lead>>,
) -> impl IntoView {
    let id = lead.lead_id.clone();
    let status = lead.lead_status;
    let name = format!("{} {}", lead.first_name, lead.last_name);
    let (on_key, on_menu) = card_controls::<Lead>(id.clone(), status, move_lead_to);
    let start_drag = {
        let id = id.clone();
        move |ev: leptos::ev::PointerEvent| drag.start(&id, &ev)
    };
    let is_dragged = {
        let id = id.clone();
        move || drag.is_dragging(&id)
    };
    let for_dialog = lead.clone();
    view! {
        <li
            data-id=id.clone()
            tabindex="0"
            aria-label=name.clone()
            class=move || {
                format!(
                    "cursor-grab select-none rounded-xl bg-white p-3 shadow-sm ring-1 ring-slate-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 {}",
                    if is_dragged() { "opacity-50" } else { "" },
                )
            }
            on:pointerdown=start_drag
            on:keydown=on_key
        >
            <p class="truncate font-medium">{name.clone()}</p>
            <p class="truncate text-sm text-slate-600">{lead.company.clone().unwrap_or_default()}</p>
            <p class="mt-1 text-xs text-slate-500">
                {lead.lead_source.map(|s| s.as_str().replace('_', " ")).unwrap_or_default()}
                {lead.budget.map(|b| format!(" · {}", short_money(b, "USD")))}
            </p>
            <div class="mt-2 flex items-center gap-2">
                <select
                    aria-label=format!("Move {name} to")
                    class="min-h-11 min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 text-sm"
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:change=on_menu
                >
                    {LeadStatus::ALL
                        .iter()
                        .map(|s| view! { <option value=s.as_str() selected=*s == status>{status_label(*s)}</option> })
                        .collect_view()}
                </select>
                <button
                    type="button"
                    class="min-h-11 shrink-0 rounded-lg bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-700"
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:click=move |_| converting.set(Some(for_dialog.clone()))
                >
                    "Convert"
                </button>
            </div>
        </li>
    }
    .into_any()
}

/// Converts a lead: the deal's name, amount and stage, then one call that creates the account
/// (or links the one with the lead's company name), the contact and the opportunity.
#[component]
fn ConvertDialog(
    lead: Lead,
    converting: RwSignal<Option<Lead>>,
    leads: RwSignal<Vec<Lead>>,
    notice: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let company = lead.company.clone().unwrap_or_else(|| format!("{} {}", lead.first_name, lead.last_name));
    let name = RwSignal::new(format!("{company} – {}", lead.need.clone().unwrap_or_else(|| "new deal".into())));
    let amount = RwSignal::new(lead.budget.map(|b| b.to_string()).unwrap_or_default());
    let stage = RwSignal::new(OpportunityStage::Qualification);
    let error: FormError = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let lead_id = lead.lead_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let amount_value = match amount.get_untracked().trim() {
            "" => None,
            text => match text.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    error.set(Some((Some("amount".into()), "amount: enter a number, e.g. 250000".into())));
                    return;
                }
            },
        };
        let request = LeadConversion {
            name: Some(name.get_untracked()),
            amount: amount_value,
            stage: Some(stage.get_untracked()),
            ..Default::default()
        };
        let lead_id = lead_id.clone();
        pending.set(true);
        spawn_local(async move {
            match convert_lead_now(lead_id.clone(), request).await {
                Ok(result) => {
                    leads.update(|all| all.retain(|l| l.lead_id != lead_id));
                    notice.set(Some((
                        format!("Converted: deal “{}” created.", result.opportunity.name),
                        result.opportunity_id,
                    )));
                    converting.set(None);
                }
                Err(e) => error.set(Some((e.field.clone(), e.detail))),
            }
            pending.set(false);
        });
    };
    view! {
        <div class="fixed inset-0 z-40 flex items-end justify-center bg-slate-900/40 p-4 sm:items-center" role="dialog" aria-modal="true" aria-labelledby="convert-title">
            <form class="w-full max-w-md space-y-4 rounded-2xl bg-white p-5 shadow-xl" on:submit=submit>
                <h2 id="convert-title" class="text-lg font-semibold">"Convert " {format!("{} {}", lead.first_name, lead.last_name)}</h2>
                <p class="text-sm text-slate-600">"Creates (or links) the account “" {company} "”, a contact and a deal."</p>
                <div class="space-y-1">
                    <label for="convert-name" class="block text-sm font-medium">"Deal name"</label>
                    <input id="convert-name" class="block w-full min-h-11 rounded-lg border border-slate-300 px-3" bind:value=name required />
                    <FieldError error field="name" />
                </div>
                <div class="space-y-1">
                    <label for="convert-amount" class="block text-sm font-medium">"Amount"</label>
                    <input id="convert-amount" inputmode="decimal" class="block w-full min-h-11 rounded-lg border border-slate-300 px-3" bind:value=amount />
                    <FieldError error field="amount" />
                </div>
                <div class="space-y-1">
                    <label for="convert-stage" class="block text-sm font-medium">"Stage"</label>
                    <select
                        id="convert-stage"
                        class="block w-full min-h-11 rounded-lg border border-slate-300 px-3"
                        on:change=move |ev| {
                            if let Ok(s) = event_target_value(&ev).parse() {
                                stage.set(s);
                            }
                        }
                    >
                        {OpportunityStage::ALL
                            .iter()
                            .filter(|s| !s.is_closed())
                            .map(|s| view! { <option value=s.as_str() selected=*s == OpportunityStage::Qualification>{crate::pages::deals::stage_label(*s)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <FormAlert error />
                <div class="flex justify-end gap-2">
                    <button type="button" class="min-h-11 rounded-lg px-4 text-slate-700 hover:bg-slate-100" on:click=move |_| converting.set(None)>
                        "Cancel"
                    </button>
                    <button type="submit" class="min-h-11 rounded-lg bg-indigo-600 px-4 font-medium text-white hover:bg-indigo-700 disabled:opacity-60" disabled=move || pending.get()>
                        {move || if pending.get() { "Converting…" } else { "Convert lead" }}
                    </button>
                </div>
            </form>
        </div>
    }
    .into_any()
}
