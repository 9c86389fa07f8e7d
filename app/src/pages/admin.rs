//! `/admin/users`: every user, their role and whether they may sign in; create a user.

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

use crate::{
    components::{FieldError, FormAlert, FormError},
    model::{RegisterRequest, Role, User, UserChange, validate},
    server_fns::{add_user, change_user, load_users},
};

const CARD: &str = "rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200";
const INPUT: &str = "block w-full min-h-11 rounded-lg border border-slate-300 px-3 text-base";

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| load_users());
    view! {
        <Title text="Users" />
        <div class="mx-auto max-w-3xl space-y-4">
            <h1 class="text-2xl font-semibold tracking-tight">"Users"</h1>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! { <UserAdmin list /> }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn UserAdmin(list: Vec<User>) -> impl IntoView {
    let list = RwSignal::new(list);
    let error = RwSignal::new(None::<String>);
    let apply = move |user_id: String, change: UserChange| {
        spawn_local(async move {
            match change_user(user_id, change).await {
                Ok(saved) => {
                    error.set(None);
                    list.update(|all| {
                        if let Some(u) = all.iter_mut().find(|u| u.user_id == saved.user_id) {
                            *u = saved;
                        }
                    })
                }
                Err(e) => error.set(Some(e.detail)),
            }
        });
    };
    view! {
        {move || error.get().map(|e| view! { <p role="alert" class="rounded-lg bg-rose-50 px-4 py-3 text-sm text-rose-800">{e}</p> })}
        <ul class="space-y-2" data-testid="user-list">
            <For each=move || list.get() key=|u| (u.user_id.clone(), u.role, u.is_active) let:user>
                {
                    let id = user.user_id.clone();
                    let id_for_role = id.clone();
                    let id_for_toggle = id.clone();
                    let active = user.is_active;
                    view! {
                        <li class=format!("{CARD} flex flex-wrap items-center gap-3") data-id=id.clone()>
                            <div class="min-w-0 flex-1">
                                <p class="truncate font-medium">{user.email.clone()}</p>
                                <p class="text-xs text-slate-500">{if active { "Active" } else { "Deactivated" }}</p>
                            </div>
                            <select
                                aria-label=format!("Role of {}", user.email)
                                class="min-h-11 rounded-lg border border-slate-300 bg-white px-2"
                                on:change=move |ev| {
                                    if let Ok(role) = event_target_value(&ev).parse::<Role>() {
                                        apply(id_for_role.clone(), UserChange { role: Some(role), is_active: None });
                                    }
                                }
                            >
                                {Role::ALL.iter().map(|r| view! { <option value=r.as_str() selected=*r == user.role>{r.as_str()}</option> }).collect_view()}
                            </select>
                            <button
                                type="button"
                                class="min-h-11 rounded-lg px-3 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
                                on:click=move |_| apply(id_for_toggle.clone(), UserChange { role: None, is_active: Some(!active) })
                            >
                                {if active { format!("Deactivate {}", user.email) } else { format!("Activate {}", user.email) }}
                            </button>
                        </li>
                    }
                }
            </For>
        </ul>
        <NewUser list />
    }
    .into_any()
}

#[component]
fn NewUser(list: RwSignal<Vec<User>>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::User);
    let error: FormError = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The same rules as the server, so most mistakes never leave the page.
        if let Err(e) = validate::email("email", &email.get_untracked())
            .and(validate::new_password("password", &password.get_untracked()))
        {
            error.set(Some((e.field.clone(), e.detail)));
            return;
        }
        let request = RegisterRequest {
            username: None,
            email: email.get_untracked(),
            password: password.get_untracked(),
            role: role.get_untracked(),
        };
        spawn_local(async move {
            match add_user(request).await {
                Ok(user) => {
                    list.update(|all| all.push(user));
                    email.set(String::new());
                    password.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some((e.field.clone(), e.detail))),
            }
        });
    };
    view! {
        <form class=format!("{CARD} space-y-3") on:submit=submit aria-labelledby="new-user-title">
            <h2 id="new-user-title" class="font-semibold">"New user"</h2>
            <label for="new-user-email" class="block text-sm font-medium">"Email"</label>
            <input id="new-user-email" type="email" class=INPUT bind:value=email />
            <FieldError error field="email" />
            <label for="new-user-password" class="block text-sm font-medium">"Password"</label>
            <input id="new-user-password" type="password" autocomplete="new-password" class=INPUT bind:value=password />
            <FieldError error field="password" />
            <label for="new-user-role" class="block text-sm font-medium">"Role"</label>
            <select
                id="new-user-role"
                class=INPUT
                on:change=move |ev| {
                    if let Ok(r) = event_target_value(&ev).parse() {
                        role.set(r);
                    }
                }
            >
                {Role::ALL.iter().map(|r| view! { <option value=r.as_str() selected=*r == Role::User>{r.as_str()}</option> }).collect_view()}
            </select>
            <FormAlert error />
            <button type="submit" class="min-h-11 w-full rounded-lg bg-indigo-600 px-4 font-medium text-white hover:bg-indigo-700">"Create user"</button>
        </form>
    }
    .into_any()
}
