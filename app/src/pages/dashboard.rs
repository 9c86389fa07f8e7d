use leptos::prelude::*;
use leptos_meta::Title;

use super::{CurrentUser, deals::stage_label};
use crate::{
    components::{Bar, BarChart, WonLostChart, short_money},
    model::OpportunityStage,
    server_fns::{DashboardData, load_dashboard},
};

/// `/`: the numbers of the sales day — KPI cards, charts, recent activities, pending tasks.
#[component]
pub fn Dashboard() -> impl IntoView {
    let user = use_context::<CurrentUser>().map(|u| u.0);
    let name = user.map(|u| u.username).unwrap_or_default();
    let data = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text="Dashboard" />
        <div class="space-y-6">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Good to see you, " {name}</h1>
                <p class="mt-1 text-slate-600">"Here is where your sales day starts."</p>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading the numbers…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <DashboardBody data /> }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700">{e.detail}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Kpi(label: &'static str, value: String, #[prop(optional)] hint: Option<String>) -> impl IntoView {
    view! {
        <div class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-kpi=label>
            <p class="text-sm text-slate-600">{label}</p>
            <p class="mt-1 text-2xl font-semibold tracking-tight" data-testid="kpi-value">{value}</p>
            {hint.map(|h| view! { <p class="text-xs text-slate-500">{h}</p> })}
        </div>
    }
}

#[component]
fn DashboardBody(data: DashboardData) -> impl IntoView {
    let crm = data.crm;
    let currency = crm.opportunities.currency.clone();
    let stage_bars: Vec<Bar> = OpportunityStage::ALL
        .iter()
        .filter(|s| !s.is_closed())
        .map(|s| {
            let totals = data.stages.get(s.as_str());
            let value = totals.map(|t| t.total_amount).unwrap_or(0.0);
            Bar {
                label: stage_label(*s).to_owned(),
                value,
                caption: format!("{} · {}", short_money(value, &currency), totals.map(|t| t.count).unwrap_or(0)),
            }
        })
        .collect();
    let source_bars: Vec<Bar> = crm
        .leads
        .by_source
        .iter()
        .map(|(source, n)| Bar { label: source.replace('_', " "), value: *n as f64, caption: n.to_string() })
        .collect();
    let months: Vec<(String, i64, i64)> = data.months.into_iter().map(|m| (m.month, m.won, m.lost)).collect();
    let o = &crm.opportunities;
    view! {
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-5">
            <Kpi label="Accounts" value=crm.accounts.total.to_string() hint=format!("{} active", crm.accounts.active) />
            <Kpi label="Open pipeline" value=short_money(o.pipeline_value, &currency) hint=format!("{} open deals", o.open) />
            <Kpi label="Weighted pipeline" value=short_money(o.weighted_pipeline_value, &currency) />
            <Kpi label="Win rate" value=format!("{:.1} %", o.win_rate) hint=format!("{} won · {} lost", o.won, o.lost) />
            <Kpi label="Conversion rate" value=format!("{:.1} %", crm.leads.conversion_rate) hint=format!("{} of {} leads", crm.leads.converted, crm.leads.total) />
        </div>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <h2 class="mb-2 font-semibold">"Pipeline by stage"</h2>
                <BarChart title="Open pipeline value by stage".to_owned() bars=stage_bars />
            </section>
            <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <h2 class="mb-2 font-semibold">"Leads by source"</h2>
                <BarChart title="Leads by source".to_owned() bars=source_bars color="fill-emerald-500" />
            </section>
            <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <h2 class="mb-2 font-semibold">"Won and lost, last 6 months"</h2>
                <WonLostChart title="Won and lost deals per month".to_owned() months />
            </section>
        </div>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <h2 class="mb-3 font-semibold">"Pending tasks"</h2>
                {if crm.pending_tasks.is_empty() {
                    view! { <p class="text-sm text-slate-500">"Nothing pending. Enjoy the quiet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="divide-y divide-slate-100" data-testid="pending-tasks">
                            {crm
                                .pending_tasks
                                .into_iter()
                                .map(|t| {
                                    view! {
                                        <li class="flex items-center justify-between gap-3 py-2">
                                            <div class="min-w-0">
                                                <p class="truncate font-medium">{t.task.title}</p>
                                                <p class="truncate text-xs text-slate-500">{t.account_name.unwrap_or_default()}</p>
                                            </div>
                                            <span class=if t.overdue {
                                                "shrink-0 rounded-full bg-rose-100 px-2 py-0.5 text-xs font-medium text-rose-700"
                                            } else {
                                                "shrink-0 text-xs text-slate-500"
                                            }>
                                                {if t.overdue {
                                                    "Overdue".to_owned()
                                                } else {
                                                    t.task.due_date.map(|d| d.get(..10).unwrap_or_default().to_owned()).unwrap_or_default()
                                                }}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <h2 class="mb-3 font-semibold">"Recent activities"</h2>
                {if crm.recent_activities.is_empty() {
                    view! { <p class="text-sm text-slate-500">"No activities yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {crm
                                .recent_activities
                                .into_iter()
                                .map(|a| {
                                    view! {
                                        <li class="flex items-center justify-between gap-3 py-2">
                                            <div class="min-w-0">
                                                <p class="truncate font-medium">{a.activity.subject}</p>
                                                <p class="truncate text-xs text-slate-500">{a.account_name.unwrap_or_default()}</p>
                                            </div>
                                            <span class="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs capitalize text-slate-600">
                                                {a.activity.activity_type.as_str()}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        </div>
    }
}
