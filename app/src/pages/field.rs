//! `/tasks` (mine, team, overdue, due today; complete in one tap) and `/visits`, the phone-first
//! field view: today's and upcoming visits with the address, a tap-to-navigate link, logging
//! the outcome in one step, planning a new visit (with the drive there when a maps provider is
//! set up) and "plan my day": the day's visits in driving order behind one navigation link.

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

use crate::{
    components::{FieldError, FormAlert, FormError},
    model::{DayPlan, PlannedVisit, TaskFeedItem, TaskScope, Visit},
    server_fns::{finish_task, log_visit_outcome, my_visits, plan_my_day, plan_visit, task_list},
};

const CARD: &str = "rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200";
const INPUT: &str = "block w-full min-h-11 rounded-lg border border-slate-300 px-3 text-base";
const BUTTON: &str =
    "min-h-11 rounded-lg bg-indigo-600 px-4 font-medium text-white hover:bg-indigo-700 disabled:opacity-60";

#[component]
pub fn TasksPage() -> impl IntoView {
    let scope = RwSignal::new(TaskScope::Mine);
    let tasks = Resource::new(move || scope.get(), task_list);
    let tabs = [
        (TaskScope::Mine, "Mine"),
        (TaskScope::Team, "Team"),
        (TaskScope::Overdue, "Overdue"),
        (TaskScope::DueToday, "Due today"),
    ];
    view! {
        <Title text="Tasks" />
        <div class="space-y-4">
            <h1 class="text-2xl font-semibold tracking-tight">"Tasks"</h1>
            <div role="tablist" aria-label="Which tasks" class="flex flex-wrap gap-2">
                {tabs
                    .into_iter()
                    .map(|(value, label)| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                aria-selected=move || (scope.get() == value).to_string()
                                class=move || {
                                    format!(
                                        "min-h-11 rounded-full px-4 text-sm font-medium {}",
                                        if scope.get() == value { "bg-indigo-600 text-white" } else { "bg-white text-slate-700 ring-1 ring-slate-200" },
                                    )
                                }
                                on:click=move |_| scope.set(value)
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <Transition fallback=|| view! { <p class="text-slate-500">"Loading tasks…"</p> }>
                {move || Suspend::new(async move {
                    match tasks.await {
                        Ok(list) if list.is_empty() => view! { <p class=CARD>"No open tasks here."</p> }.into_any(),
                        Ok(list) => view! { <TaskList list /> }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn TaskList(list: Vec<TaskFeedItem>) -> impl IntoView {
    let list = RwSignal::new(list);
    let error = RwSignal::new(None::<String>);
    let complete = move |task_id: String| {
        spawn_local(async move {
            match finish_task(task_id.clone()).await {
                Ok(_) => list.update(|all| all.retain(|t| t.task.task_id != task_id)),
                Err(e) => error.set(Some(e.detail)),
            }
        });
    };
    view! {
        {move || error.get().map(|e| view! { <p role="alert" class="text-rose-700">{e}</p> })}
        <ul class="space-y-2" data-testid="task-list">
            <For each=move || list.get() key=|t| t.task.task_id.clone() let:item>
                {
                    let id = item.task.task_id.clone();
                    let to_complete = id.clone();
                    let title = item.task.title.clone();
                    view! {
                        <li class=format!("{CARD} flex items-center gap-3") data-id=id.clone()>
                            <div class="min-w-0 flex-1">
                                <a href=format!("/tasks/{id}") class="block truncate font-medium text-indigo-700 hover:underline">{title.clone()}</a>
                                <p class="truncate text-sm text-slate-500">
                                    {item.account_name.clone().unwrap_or_default()}
                                    {item.task.due_date.clone().map(|d| format!(" · due {}", d.get(..16).unwrap_or_default().replace('T', " ")))}
                                </p>
                            </div>
                            {item.overdue.then(|| view! { <span class="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-medium text-rose-700">"Overdue"</span> })}
                            <button type="button" class=BUTTON aria-label=format!("Complete {title}") on:click=move |_| complete(to_complete.clone())>
                                "Complete"
                            </button>
                        </li>
                    }
                }
            </For>
        </ul>
    }
    .into_any()
}

#[component]
pub fn VisitsPage() -> impl IntoView {
    let refresh = RwSignal::new(0_u32);
    let origin = RwSignal::new(String::new());
    let visits = Resource::new(move || refresh.get(), |_| my_visits());
    view! {
        <Title text="Visits" />
        <div class="mx-auto max-w-xl space-y-4">
            <h1 class="text-2xl font-semibold tracking-tight">"Visits"</h1>
            <Transition fallback=|| view! { <p class="text-slate-500">"Loading your visits…"</p> }>
                {move || Suspend::new(async move {
                    match visits.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class=CARD>"No visits planned. Plan one below."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="space-y-3" data-testid="visit-list">
                                    {list.into_iter().map(|visit| view! { <VisitCard visit refresh /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                    }
                })}
            </Transition>
            <StartFrom origin />
            <PlanDay origin />
            <PlanVisit refresh origin />
        </div>
    }
}

#[component]
fn VisitCard(visit: Visit, refresh: RwSignal<u32>) -> impl IntoView {
    let id = visit.activity.activity_id.clone();
    let outcome = RwSignal::new(String::new());
    let next_steps = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let when = visit.activity.start_time.clone().unwrap_or_default().get(..16).unwrap_or_default().replace('T', " ");
    let outcome_id = format!("outcome-{id}");
    let next_id = format!("next-{id}");
    let submit = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if outcome.get_untracked().trim().is_empty() {
                error.set(Some("Say how the visit went.".into()));
                return;
            }
            let id = id.clone();
            let steps = Some(next_steps.get_untracked()).filter(|s| !s.trim().is_empty());
            pending.set(true);
            spawn_local(async move {
                match log_visit_outcome(id, outcome.get_untracked(), steps).await {
                    Ok(_) => refresh.update(|n| *n += 1),
                    Err(e) => error.set(Some(e.detail)),
                }
                pending.set(false);
            });
        }
    };
    view! {
        <li class=format!("{CARD} space-y-3") data-id=id.clone()>
            <div>
                <p class="text-sm font-medium text-indigo-700">{when}</p>
                <p class="text-lg font-semibold">{visit.account_name.clone().unwrap_or_default()}</p>
                <p class="text-slate-700">{visit.activity.subject.clone()}</p>
                {visit.address.clone().map(|a| view! { <p class="text-sm text-slate-600">{a}</p> })}
            </div>
            {visit.navigate_url.clone().map(|url| navigate_link(url, "Navigate"))}
            <form class="space-y-2" on:submit=submit>
                <label for=outcome_id.clone() class="block text-sm font-medium">"Outcome"</label>
                <textarea id=outcome_id class=INPUT rows="2" bind:value=outcome></textarea>
                <label for=next_id.clone() class="block text-sm font-medium">"Next steps"</label>
                <input id=next_id class=INPUT bind:value=next_steps />
                {move || error.get().map(|e| view! { <p role="alert" class="text-sm text-rose-700">{e}</p> })}
                <button type="submit" class=format!("{BUTTON} w-full") disabled=move || pending.get()>"Log the visit outcome"</button>
            </form>
        </li>
    }
    .into_any()
}

/// Where routes start, shared by both planners: an address or "lat,lng"; empty means the
/// server's default start (`LANES_VISIT_ORIGIN`).
#[component]
fn StartFrom(origin: RwSignal<String>) -> impl IntoView {
    view! {
        <div class=format!("{CARD} space-y-2")>
            <label for="plan-origin" class="block text-sm font-medium">"Start from (optional)"</label>
            <input id="plan-origin" class=INPUT placeholder="Address or lat,lng" autocomplete="street-address" bind:value=origin />
            <p class="text-sm text-slate-500">"Leave empty to start from the office."</p>
        </div>
    }
}

fn origin_of(origin: RwSignal<String>) -> Option<String> {
    Some(origin.get_untracked().trim().to_owned()).filter(|o| !o.is_empty())
}

/// A tap-to-navigate link (Google Maps, no key needed; opens the Maps app on phones).
fn navigate_link(url: String, label: &'static str) -> impl IntoView {
    view! {
        <a href=url target="_blank" rel="noopener noreferrer" class="inline-flex min-h-11 items-center rounded-lg bg-emerald-600 px-4 font-medium text-white">
            {label}
        </a>
    }
}

#[component]
fn PlanVisit(refresh: RwSignal<u32>, origin: RwSignal<String>) -> impl IntoView {
    let account_id = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let when = RwSignal::new(String::new());
    let error: FormError = RwSignal::new(None);
    let planned = RwSignal::new(None::<PlannedVisit>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match plan_visit(
                account_id.get_untracked().trim().to_owned(),
                purpose.get_untracked(),
                when.get_untracked(),
                origin_of(origin),
            )
            .await
            {
                Ok(visit) => {
                    purpose.set(String::new());
                    error.set(None);
                    planned.set(Some(visit));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some((e.field.clone(), e.detail))),
            }
        });
    };
    view! {
        <form class=format!("{CARD} space-y-3") on:submit=submit aria-labelledby="plan-title">
            <h2 id="plan-title" class="font-semibold">"Plan a visit"</h2>
            <label for="plan-account" class="block text-sm font-medium">"Account id"</label>
            <input id="plan-account" class=INPUT placeholder="ACC_…" bind:value=account_id required />
            <FieldError error field="account_id" />
            <label for="plan-purpose" class="block text-sm font-medium">"Purpose"</label>
            <input id="plan-purpose" class=INPUT bind:value=purpose required />
            <FieldError error field="purpose" />
            <label for="plan-when" class="block text-sm font-medium">"When"</label>
            <input id="plan-when" type="datetime-local" class=INPUT bind:value=when required />
            <FieldError error field="scheduled_time" />
            <FieldError error field="origin" />
            <FormAlert error />
            <button type="submit" class=format!("{BUTTON} w-full")>"Plan the visit"</button>
            {move || planned.get().map(|visit| view! { <PlannedSummary visit /> })}
        </form>
    }
    .into_any()
}

/// What the last planned visit looks like: the drive there (when a maps provider is set up).
#[component]
fn PlannedSummary(visit: PlannedVisit) -> impl IntoView {
    let directions = visit.directions;
    let drive = match (directions.distance, directions.duration) {
        (Some(distance), Some(duration)) => Some(format!("{distance} · {duration}")),
        _ => None,
    };
    view! {
        <div role="status" class="space-y-2 rounded-xl bg-emerald-50 p-3" data-testid="planned-visit">
            <p class="font-medium">"Visit planned"</p>
            {visit.location.address.map(|a| view! { <p class="text-sm text-slate-700">{a}</p> })}
            {drive.map(|d| view! { <p class="text-sm" data-testid="planned-drive">{d}</p> })}
            {directions.traffic_info.map(|t| view! { <p class="text-sm text-slate-600">{t}</p> })}
            {directions.route_url.map(|url| navigate_link(url, "Navigate there"))}
        </div>
    }
}

#[component]
fn PlanDay(origin: RwSignal<String>) -> impl IntoView {
    let date = RwSignal::new(String::new());
    let plan = RwSignal::new(None::<DayPlan>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let run = move |_| {
        pending.set(true);
        spawn_local(async move {
            match plan_my_day(date.get_untracked(), origin_of(origin)).await {
                Ok(day) => {
                    error.set(None);
                    plan.set(Some(day));
                }
                Err(e) => error.set(Some(e.detail)),
            }
            pending.set(false);
        });
    };
    view! {
        <section class=format!("{CARD} space-y-3") aria-labelledby="day-title">
            <h2 id="day-title" class="font-semibold">"Plan my day"</h2>
            <label for="day-date" class="block text-sm font-medium">"Day (empty: today)"</label>
            <input id="day-date" type="date" class=INPUT bind:value=date />
            <button type="button" class=format!("{BUTTON} w-full") on:click=run disabled=move || pending.get()>
                "Plan my day"
            </button>
            {move || error.get().map(|e| view! { <p role="alert" class="text-sm text-rose-700">{e}</p> })}
            {move || plan.get().map(|day| view! { <DayRoute day /> })}
        </section>
    }
    .into_any()
}

#[component]
fn DayRoute(day: DayPlan) -> impl IntoView {
    let empty = day.stops.is_empty();
    view! {
        <div class="space-y-3" data-testid="day-plan">
            {day.note.map(|n| view! { <p role="status" class="text-sm text-slate-600">{n}</p> })}
            {empty.then(|| view! { <p>"No visits with an address planned that day."</p> })}
            <ol class="space-y-2" data-testid="day-stops">
                {day
                    .stops
                    .into_iter()
                    .enumerate()
                    .map(|(i, stop)| {
                        let when = stop.scheduled_time.unwrap_or_default().get(11..16).unwrap_or_default().to_owned();
                        view! {
                            <li class="rounded-xl bg-slate-50 p-3" data-id=stop.visit_id>
                                <p class="font-medium">{format!("{}. {}", i + 1, stop.account_name.unwrap_or_default())}</p>
                                <p class="text-sm text-slate-700">{format!("{when} · {}", stop.purpose)}</p>
                                <p class="text-sm text-slate-600">{stop.address}</p>
                                {stop.leg.map(|leg| view! { <p class="text-sm text-indigo-700">{format!("{} · {}", leg.distance, leg.duration)}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {day.total.map(|t| view! { <p class="font-medium" data-testid="day-total">{format!("Total {} · {} (back to the start included)", t.distance, t.duration)}</p> })}
            {day.route_url.map(|url| navigate_link(url, "Navigate the day"))}
            {(!day.skipped.is_empty()).then(|| view! {
                <div>
                    <p class="text-sm font-medium">"Not in the route"</p>
                    <ul class="text-sm text-slate-600">
                        {day.skipped.into_iter().map(|s| view! {
                            <li data-id=s.visit_id>{format!("{} — {}", s.account_name.unwrap_or_default(), s.reason)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </div>
    }
}
