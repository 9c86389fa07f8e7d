//! Form errors: the server's (or the browser's own) message shown next to the field it names.

use leptos::prelude::*;

/// A form's current error: the field it is about (`None`: the form as a whole) and the message.
pub type FormError = RwSignal<Option<(Option<String>, String)>>;

/// The error message for `field`, under its input.
#[component]
pub fn FieldError(error: FormError, field: &'static str) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|(f, _)| f.as_deref() == Some(field))
            .map(|(_, detail)| view! { <p class="text-sm text-rose-700">{detail}</p> })
    }
}

/// An error about the whole form.
#[component]
pub fn FormAlert(error: FormError) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|(f, _)| f.is_none())
            .map(|(_, detail)| view! { <p role="alert" class="text-sm text-rose-700">{detail}</p> })
    }
}
