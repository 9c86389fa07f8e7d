//! Charts drawn as inline SVG by the app itself: no chart library, nothing to download.

use leptos::prelude::*;

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Text shown at the end of the bar.
    pub caption: String,
}

/// Horizontal bars, scaled to the largest value.
#[component]
pub fn BarChart(
    /// What the chart shows, for screen readers.
    title: String,
    bars: Vec<Bar>,
    #[prop(default = "fill-indigo-500")] color: &'static str,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max).max(1.0);
    let row = 30.0;
    let height = (bars.len() as f64 * row).max(row);
    let label = title.clone();
    view! {
        <svg viewBox=format!("0 0 320 {height}") class="w-full" role="img" aria-label=label>
            <title>{title}</title>
            {bars
                .into_iter()
                .enumerate()
                .map(|(i, bar)| {
                    let y = i as f64 * row;
                    let width = 150.0 * bar.value / max;
                    view! {
                        <g>
                            <text x="0" y=y + 19.0 class="fill-slate-600 text-[11px]">{bar.label}</text>
                            <rect x="96" y=y + 6.0 width=width.max(2.0) height="16" rx="4" class=color />
                            <text x=100.0 + width.max(2.0) y=y + 19.0 class="fill-slate-700 text-[11px]">{bar.caption}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

/// Won (green) and lost (red) per month, side by side.
#[component]
pub fn WonLostChart(title: String, months: Vec<(String, i64, i64)>) -> impl IntoView {
    let max = months.iter().map(|(_, w, l)| (*w).max(*l)).max().unwrap_or(0).max(1) as f64;
    let slot = 320.0 / months.len().max(1) as f64;
    let label = title.clone();
    view! {
        <svg viewBox="0 0 320 150" class="w-full" role="img" aria-label=label>
            <title>{title}</title>
            {months
                .into_iter()
                .enumerate()
                .map(|(i, (month, won, lost))| {
                    let x = i as f64 * slot + slot / 2.0;
                    let won_h = 110.0 * won as f64 / max;
                    let lost_h = 110.0 * lost as f64 / max;
                    view! {
                        <g>
                            <rect x=x - 13.0 y=120.0 - won_h width="12" height=won_h.max(1.0) rx="2" class="fill-emerald-500">
                                <title>{format!("{month}: {won} won")}</title>
                            </rect>
                            <rect x=x + 1.0 y=120.0 - lost_h width="12" height=lost_h.max(1.0) rx="2" class="fill-rose-400">
                                <title>{format!("{month}: {lost} lost")}</title>
                            </rect>
                            <text x=x y="140" text-anchor="middle" class="fill-slate-500 text-[10px]">{month.get(5..).unwrap_or_default().to_owned()}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

/// `1234567.8` → `$1.2M`, `56000` → `$56k`.
pub fn short_money(amount: f64, currency: &str) -> String {
    let symbol = match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        _ => "",
    };
    let (value, unit) = if amount.abs() >= 1_000_000.0 {
        (amount / 1_000_000.0, "M")
    } else if amount.abs() >= 1_000.0 {
        (amount / 1_000.0, "k")
    } else {
        (amount, "")
    };
    let number = if unit.is_empty() || value >= 100.0 { format!("{value:.0}") } else { format!("{value:.1}") };
    if symbol.is_empty() { format!("{number}{unit} {currency}") } else { format!("{symbol}{number}{unit}") }
}

#[cfg(test)]
mod tests {
    use super::short_money;

    #[test]
    fn money_is_short_and_readable() {
        assert_eq!(short_money(1_234_567.8, "USD"), "$1.2M");
        assert_eq!(short_money(56_000.0, "USD"), "$56.0k");
        assert_eq!(short_money(250_000.0, "EUR"), "€250k");
        assert_eq!(short_money(999.0, "CHF"), "999 CHF");
    }
}
