//! `/opportunities`: the deal board. Columns by stage with count and value; a card moves by
//! mouse or touch drag, by the arrow keys, or with its "Move to" menu. The move shows at once
//! and goes to the server; a refused move snaps back and says why.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{BoardAlert, BoardCard, Icon, PointerDrag, card_controls, short_money, use_board},
    error::AppError,
    model::{OpportunityBoard, OpportunityStage},
    server_fns::{deal_board, move_deal},
};

/// A deal as the board shows it.
#[derive(Debug, Clone, PartialEq)]
struct Card {
    id: String,
    name: String,
    account_name: String,
    amount: Option<f64>,
    currency: String,
    probability: f64,
    close_date: Option<String>,
    stage: OpportunityStage,
    version: i64,
}

fn cards_of(board: OpportunityBoard) -> Vec<Card> {
    board
        .opportunities_by_stage
        .into_values()
        .flatten()
        .map(|b| Card {
            id: b.opportunity.opportunity_id,
            name: b.opportunity.name,
            account_name: b.account_name,
            amount: b.opportunity.amount,
            currency: b.opportunity.currency,
            probability: b.opportunity.probability,
            close_date: b.opportunity.close_date,
            stage: b.opportunity.stage,
            version: b.opportunity.version,
        })
        .collect()
}

pub(crate) fn stage_label(stage: OpportunityStage) -> &'static str {
    match stage {
        OpportunityStage::Prospecting => "Prospecting",
        OpportunityStage::Qualification => "Qualification",
        OpportunityStage::Proposal => "Proposal",
        OpportunityStage::Negotiation => "Negotiation",
        OpportunityStage::ClosedWon => "Won",
        OpportunityStage::ClosedLost => "Lost",
    }
}

#[component]
pub fn DealBoard() -> impl IntoView {
    let board = Resource::new(|| (), |_| deal_board());
    view! {
        <Title text="Opportunities" />
        <div class="space-y-4">
            <div class="flex items-center justify-between gap-3">
                <div>
                    <h1 class="text-2xl font-semibold tracking-tight">"Deals"</h1>
                    <p class="text-sm text-slate-600">"Drag a card, use the arrow keys, or its Move to menu."</p>
                </div>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading the board…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! { <Board cards=cards_of(board) /> }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

impl BoardCard for Card {
    type Column = OpportunityStage;
    const COLUMNS: &'static [OpportunityStage] = OpportunityStage::ALL;

    fn id(&self) -> &str {
        &self.id
    }
    fn column(&self) -> OpportunityStage {
        self.stage
    }
    fn set_column(&mut self, stage: OpportunityStage) {
        self.stage = stage;
    }
    fn name(&self) -> String {
        self.name.clone()
    }
}

/// Saves a move with the version the board showed; the answer updates the card.
async fn save_move(card: Card, to: OpportunityStage) -> Result<Card, AppError> {
    let saved = move_deal(card.id.clone(), to, card.version).await?;
    Ok(Card { stage: saved.stage, version: saved.version, probability: saved.probability, ..card })
}

#[component]
fn Board(cards: Vec<Card>) -> impl IntoView {
    let (board, move_card) = use_board(cards, save_move);
    let (cards, error, drag) = (board.cards, board.error, board.drag);

    view! {
        <BoardAlert error />
        <div class="-mx-4 flex snap-x gap-3 overflow-x-auto px-4 pb-4 sm:mx-0 sm:px-0">
            {OpportunityStage::ALL
                .iter()
                .copied()
                .map(|stage| {
                    let in_column = move || board.cards_in(stage);
                    let total = move || {
                        cards.with(|all| {
                            all.iter().filter(|c| c.stage == stage).map(|c| c.amount.unwrap_or(0.0)).sum::<f64>()
                        })
                    };
                    let count = move || cards.with(|all| all.iter().filter(|c| c.stage == stage).count());
                    view! {
                        <section
                            data-column=stage.as_str()
                            aria-label=stage_label(stage)
                            class=move || {
                                format!(
                                    "flex w-72 shrink-0 snap-start flex-col rounded-2xl p-2 transition {}",
                                    if drag.is_hovered(stage.as_str()) { "bg-indigo-100 ring-2 ring-indigo-400" } else { "bg-slate-100" },
                                )
                            }
                        >
                            <header class="flex items-baseline justify-between px-2 py-2">
                                <h2 class="font-semibold">{stage_label(stage)}</h2>
                                <span class="text-xs text-slate-700">
                                    <span data-testid="column-count">{count}</span>
                                    " · "
                                    <span data-testid="column-total">{move || short_money(total(), "USD")}</span>
                                </span>
                            </header>
                            <ul class="flex min-h-24 flex-col gap-2" role="list">
                                <For each=in_column key=|card| (card.id.clone(), card.stage, card.version) let:card>
                                    <DealCard card=card drag move_card />
                                </For>
                            </ul>
                        </section>
                    }
                    .into_any()
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn DealCard(
    card: Card,
    drag: PointerDrag,
    move_card: impl Fn(String, OpportunityStage) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = card.id.clone();
    let stage = card.stage;
    let is_dragged = {
        let id = id.clone();
        move || drag.is_dragging(&id)
    };
    let start_drag = {
        let id = id.clone();
        move |ev: leptos::ev::PointerEvent| drag.start(&id, &ev)
    };
    let (on_key, on_menu) = card_controls::<Card>(id.clone(), stage, move_card);
    let amount = card.amount.map(|a| short_money(a, &card.currency)).unwrap_or_else(|| "—".into());
    view! {
        <li
            data-id=id.clone()
            tabindex="0"
            aria-label=format!("{} – {}", card.name, card.account_name)
            class=move || {
                format!(
                    "group cursor-grab select-none rounded-xl bg-white p-3 shadow-sm ring-1 ring-slate-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 {}",
                    if is_dragged() { "opacity-50 ring-indigo-400" } else { "" },
                )
            }
            on:pointerdown=start_drag
            on:keydown=on_key
        >
            <div class="flex items-start gap-2">
                <span class="mt-0.5 touch-none text-slate-400" aria-hidden="true">
                    <Icon name="menu" class="h-4 w-4" />
                </span>
                <div class="min-w-0 flex-1">
                    <a
                        href=format!("/opportunities/{}", card.id)
                        draggable="false"
                        class="block truncate font-medium text-indigo-700 hover:underline"
                        on:pointerdown=|ev| ev.stop_propagation()
                    >
                        {card.name.clone()}
                    </a>
                    <p class="truncate text-sm text-slate-600">{card.account_name.clone()}</p>
                    <p class="mt-1 text-sm">
                        <span class="font-semibold">{amount}</span>
                        <span class="text-slate-500">{format!(" · {:.0} %", card.probability)}</span>
                    </p>
                    {card
                        .close_date
                        .clone()
                        .map(|d| view! { <p class="text-xs text-slate-500">"Closes " {d.get(..10).unwrap_or_default().to_owned()}</p> })}
                </div>
            </div>
            <label class="mt-2 flex items-center gap-2 text-xs text-slate-600">
                <span>"Move to"</span>
                <select
                    aria-label=format!("Move {} to", card.name)
                    class="min-h-11 flex-1 rounded-lg border border-slate-300 bg-white px-2 text-sm"
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:change=on_menu
                >
                    {OpportunityStage::ALL
                        .iter()
                        .map(|s| view! { <option value=s.as_str() selected=*s == stage>{stage_label(*s)}</option> })
                        .collect_view()}
                </select>
            </label>
        </li>
    }
    .into_any()
}
