//! Form building blocks: labelled inputs bound to signals, and errors — the server's (or the
//! browser's own) message shown next to the field it names.
//!
//! Every form keeps what the user typed in signals: a refused save shows the `detail` next to
//! the input its `field` names and changes nothing else.

use leptos::prelude::*;

use crate::error::AppError;

/// A form's current error: the field it is about (`None`: the form as a whole) and the message.
pub type FormError = RwSignal<Option<(Option<String>, String)>>;

/// The error a refused server call puts on a form.
pub fn refused(error: AppError) -> Option<(Option<String>, String)> {
    Some((error.field, error.detail))
}

/// The error the browser's own check puts on a form, about `field`.
pub fn invalid(field: &str, detail: impl Into<String>) -> Option<(Option<String>, String)> {
    Some((Some(field.to_owned()), detail.into()))
}

/// The error message for `field`, under its input. `id` lets the input point at it with
/// `aria-describedby`.
#[component]
pub fn FieldError(error: FormError, field: &'static str, #[prop(optional, into)] id: Option<String>) -> impl IntoView {
    move || {
        error.get().filter(|(f, _)| f.as_deref() == Some(field)).map(|(_, detail)| {
            view! { <p id=id.clone() role="alert" class="text-sm text-rose-700">{detail}</p> }
        })
    }
}

/// An error about the whole form. With `fields`, also an error about a field the form does
/// not show (an owner, a permission), which would otherwise be shown nowhere.
#[component]
pub fn FormAlert(error: FormError, #[prop(optional)] fields: &'static [&'static str]) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|(f, _)| match f {
                None => true,
                Some(f) => !fields.is_empty() && !fields.contains(&f.as_str()),
            })
            .map(|(_, detail)| {
                view! {
                    <p role="alert" class="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200">
                        {detail}
                    </p>
                }
            })
    }
}

/// False on the server and until the WASM has hydrated the page: buttons that need the WASM
/// stay disabled until then, so an early click is never lost.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

pub const INPUT_CLASS: &str = "block w-full min-h-11 rounded-lg border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 aria-[invalid=true]:border-rose-600";
pub const PRIMARY_BUTTON: &str = "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm transition hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60";
pub const CARD: &str = "min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200";

/// How a `Field` takes its value.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Control {
    /// `<input type=…>`.
    #[default]
    Text,
    Email,
    Tel,
    Url,
    Number,
    Date,
    DateTime,
    /// `<textarea>`.
    Multiline,
}

impl Control {
    fn input_type(self) -> &'static str {
        match self {
            Control::Text | Control::Multiline => "text",
            Control::Email => "email",
            Control::Tel => "tel",
            Control::Url => "url",
            Control::Number => "text",
            Control::Date => "date",
            Control::DateTime => "datetime-local",
        }
    }
}

/// The label, the wrapper and the error of one input; `control` is the input itself, given
/// its id, whether it is invalid, and the id of its error message.
#[component]
fn Labelled(
    id: String,
    field: &'static str,
    label: &'static str,
    error: Option<FormError>,
    required: bool,
    control: impl FnOnce(String, Signal<bool>, String) -> AnyView,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = Signal::derive(move || {
        error.is_some_and(|error| error.with(|e| e.as_ref().is_some_and(|(f, _)| f.as_deref() == Some(field))))
    });
    view! {
        <div class="min-w-0 space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">
                {label}
                {required.then_some(view! { <span class="text-rose-700" aria-hidden="true">" *"</span> })}
            </label>
            {control(id, invalid, error_id.clone())}
            {error.map(|error| view! { <FieldError error field id=error_id /> })}
        </div>
    }
}

/// A labelled text input (or textarea) bound to `value`; shows `error` when its field is this one.
#[component]
pub fn TextField(
    /// Prefix of the element ids, unique on the page.
    form: &'static str,
    /// The input as the server names it in `AppError::field`.
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// Absent for inputs that cannot be refused (list filters).
    #[prop(optional)]
    error: Option<FormError>,
    #[prop(optional)] control: Control,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let inputmode = (control == Control::Number).then_some("decimal");
    let control_view = move |id: String, invalid: Signal<bool>, error_id: String| {
        let aria_invalid = move || invalid.get().then_some("true");
        let described_by = move || invalid.get().then(|| error_id.clone());
        if control == Control::Multiline {
            view! {
                <textarea
                    id=id
                    name=field
                    rows="3"
                    aria-required=required.then_some("true")
                    aria-invalid=aria_invalid
                    aria-describedby=described_by
                    class=INPUT_CLASS
                    bind:value=value
                ></textarea>
            }
            .into_any()
        } else {
            view! {
                <input
                    id=id
                    name=field
                    type=control.input_type()
                    autocomplete=autocomplete
                    inputmode=inputmode
                    aria-required=required.then_some("true")
                    aria-invalid=aria_invalid
                    aria-describedby=described_by
                    class=INPUT_CLASS
                    bind:value=value
                />
            }
            .into_any()
        }
    };
    view! { <Labelled id=format!("{form}-{field}") field label error required control=control_view /> }
}

/// A labelled `<select>` of `options` (value, label) bound to `value`.
#[component]
pub fn SelectField(
    form: &'static str,
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] error: Option<FormError>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let control_view = move |id: String, invalid: Signal<bool>, error_id: String| {
        view! {
            <select
                id=id
                name=field
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=move || invalid.get().then(|| error_id.clone())
                class=INPUT_CLASS
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected = {
                            let option = option.clone();
                            move || value.with(|v| *v == option)
                        };
                        view! { <option value=option selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any()
    };
    view! { <Labelled id=format!("{form}-{field}") field label error required=false control=control_view /> }
}

/// A labelled checkbox bound to `value`.
#[component]
pub fn CheckField(
    form: &'static str,
    field: &'static str,
    label: &'static str,
    value: RwSignal<bool>,
) -> impl IntoView {
    let id = format!("{form}-{field}");
    view! {
        <div class="flex min-h-11 items-center gap-3">
            <input
                id=id.clone()
                name=field
                type="checkbox"
                class="h-5 w-5 rounded border-slate-400 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <label for=id class="text-sm font-medium text-slate-700">{label}</label>
        </div>
    }
}
