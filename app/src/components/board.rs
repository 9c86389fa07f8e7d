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
