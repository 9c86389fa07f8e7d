//! What the kanban boards share: dragging a card (`[data-id]`) onto a column (`[data-column]`)
//! with a mouse or a finger, through pointer events.

use leptos::prelude::*;

/// The card being dragged and the column under the pointer.
#[derive(Clone, Copy)]
pub struct PointerDrag {
    pub dragging: RwSignal<Option<String>>,
    pub hovered: RwSignal<Option<String>>,
}

impl PointerDrag {
    /// Starts dragging `card_id` (call from the card's `pointerdown`, primary button only).
    pub fn start(&self, card_id: &str, ev: &leptos::ev::PointerEvent) {
        if ev.button() == 0 {
            self.dragging.set(Some(card_id.to_owned()));
        }
    }

    pub fn is_dragging(&self, card_id: &str) -> bool {
        self.dragging.get().as_deref() == Some(card_id)
    }

    pub fn is_hovered(&self, column: &str) -> bool {
        self.hovered.get().as_deref() == Some(column)
    }
}

/// The `data-column` of the element under a point, if any.
fn column_at(x: i32, y: i32) -> Option<String> {
    let element = document().element_from_point(x as f32, y as f32)?;
    element.closest("[data-column]").ok()??.get_attribute("data-column")
}

/// Tracks pointer drags on the page; `on_drop(card_id, column)` runs when a card is released
/// over a column.
pub fn use_pointer_drag(on_drop: impl Fn(String, String) + Clone + 'static) -> PointerDrag {
    let drag = PointerDrag { dragging: RwSignal::new(None), hovered: RwSignal::new(None) };
    let move_handle = window_event_listener(leptos::ev::pointermove, move |ev| {
        if drag.dragging.get_untracked().is_some() {
            drag.hovered.set(column_at(ev.client_x(), ev.client_y()));
        }
    });
    let up_handle = window_event_listener(leptos::ev::pointerup, move |ev| {
        if let Some(card) = drag.dragging.get_untracked() {
            drag.dragging.set(None);
            drag.hovered.set(None);
            if let Some(column) = column_at(ev.client_x(), ev.client_y()) {
                on_drop(card, column);
            }
        }
    });
    on_cleanup(move || {
        move_handle.remove();
        up_handle.remove();
    });
    drag
}

/// A card of a board: a record that sits in one column.
pub trait BoardCard: Clone + Send + Sync + 'static {
    /// The column values (a stage, a status), in board order in `COLUMNS`.
    type Column: Copy + PartialEq + std::str::FromStr + Send + Sync + 'static;
    const COLUMNS: &'static [Self::Column];

    fn id(&self) -> &str;
    fn column(&self) -> Self::Column;
    fn set_column(&mut self, column: Self::Column);
    /// How messages name the card.
    fn name(&self) -> String;
}

/// The cards of a board and the last refused move.
pub struct Board<T: BoardCard> {
    pub cards: RwSignal<Vec<T>>,
    pub error: RwSignal<Option<String>>,
    pub drag: PointerDrag,
}

impl<T: BoardCard> Clone for Board<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: BoardCard> Copy for Board<T> {}

impl<T: BoardCard> Board<T> {
    /// The cards now in `column`.
    pub fn cards_in(&self, column: T::Column) -> Vec<T> {
        self.cards.with(|all| all.iter().filter(|c| c.column() == column).cloned().collect())
    }
}

/// The column an arrow key moves a card in `current` to (Right: the next, Left: the previous).
pub fn arrow_target<C: Copy + PartialEq>(columns: &[C], current: C, key: &str) -> Option<C> {
    let index = columns.iter().position(|c| *c == current)?;
    match key {
        "ArrowRight" => columns.get(index + 1).copied(),
        "ArrowLeft" => index.checked_sub(1).and_then(|i| columns.get(i).copied()),
        _ => None,
    }
}

/// A board over `cards` whose moves (drag, keys, menu) show at once and are then saved with
/// `save(card as it was, new column)`: the saved card replaces it, or on a refusal the card
/// snaps back and `error` says why. Returns the board and the move function.
pub fn use_board<T, Save, Fut>(cards: Vec<T>, save: Save) -> (Board<T>, impl Fn(String, T::Column) + Copy + Send + Sync)
where
    T: BoardCard,
    Save: Fn(T, T::Column) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + 'static,
{
    let cards = RwSignal::new(cards);
    let error = RwSignal::new(None::<String>);
    let move_card = move |id: String, to: T::Column| {
        let Some(before) = cards.with_untracked(|all| all.iter().find(|c| c.id() == id).cloned()) else { return };
        if before.column() == to {
            return;
        }
        cards.update(|all| {
            if let Some(card) = all.iter_mut().find(|c| c.id() == id) {
                card.set_column(to);
            }
        });
        error.set(None);
        let answer = save(before.clone(), to);
        leptos::task::spawn_local(async move {
            match answer.await {
                Ok(saved) => cards.update(|all| {
                    if let Some(card) = all.iter_mut().find(|c| c.id() == saved.id()) {
                        *card = saved;
                    }
                }),
                Err(e) => {
                    let name = before.name();
                    cards.update(|all| {
                        if let Some(card) = all.iter_mut().find(|c| c.id() == before.id()) {
                            *card = before;
                        }
                    });
                    error.set(Some(format!("“{name}” was not moved: {}", e.detail)));
                }
            }
        });
    };
    let drag = use_pointer_drag(move |card, column| {
        if let Ok(column) = column.parse::<T::Column>() {
            move_card(card, column);
        }
    });
    (Board { cards, error, drag }, move_card)
}

/// Why the last move was refused, with a way to dismiss it.
#[component]
pub fn BoardAlert(error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <div role="alert" class="flex items-start justify-between gap-3 rounded-lg bg-rose-50 px-4 py-3 text-sm text-rose-800 ring-1 ring-rose-200">
                    <span>{message}</span>
                    <button type="button" class="min-h-11 px-2 font-medium" on:click=move |_| error.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}

/// What a card does with the keyboard and its "Move to" menu: the arrow keys move it to the
/// next or previous column, the menu to the chosen one.
pub fn card_controls<T: BoardCard>(
    id: String,
    current: T::Column,
    move_card: impl Fn(String, T::Column) + Copy + 'static,
) -> (impl Fn(leptos::ev::KeyboardEvent) + 'static, impl Fn(leptos::ev::Event) + 'static) {
    let key_id = id.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(target) = arrow_target(T::COLUMNS, current, &ev.key()) {
            ev.prevent_default();
            move_card(key_id.clone(), target);
        }
    };
    let on_menu = move |ev: leptos::ev::Event| {
        if let Ok(target) = event_target_value(&ev).parse::<T::Column>() {
            move_card(id.clone(), target);
        }
    };
    (on_key, on_menu)
}

#[cfg(test)]
mod tests {
    use super::arrow_target;

    #[test]
    fn arrow_keys_step_through_the_columns() {
        let columns = [1, 2, 3];
        assert_eq!(arrow_target(&columns, 1, "ArrowRight"), Some(2));
        assert_eq!(arrow_target(&columns, 3, "ArrowRight"), None);
        assert_eq!(arrow_target(&columns, 2, "ArrowLeft"), Some(1));
        assert_eq!(arrow_target(&columns, 1, "ArrowLeft"), None);
        assert_eq!(arrow_target(&columns, 2, "Enter"), None);
    }
}
