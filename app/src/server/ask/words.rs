//! Answers in words: the interpretation as a sentence (`understood_as`) and the answer itself
//! (`natural_response`, like the contract's "You have 3 opportunities closing this month with a
//! total value of $1.2M"). Only the catalogue's labels and checked values are used, so a model's
//! output cannot put its own text into the answer.

use chrono::NaiveDate;

use super::{
    catalogue::{Field, Kind},
    plan::Plan,
};
use crate::{
    components::short_money as money_short,
    model::{AskAnswer, AskEntity, AskOp, AskRecords, AskResult, AskValue},
};

/// Time phrases recognised when describing a range, in the order they are tried.
const RANGE_NAMES: &[&str] = &[
    "today",
    "yesterday",
    "tomorrow",
    "this week",
    "last week",
    "next week",
    "this month",
    "last month",
    "next month",
    "this quarter",
    "last quarter",
    "next quarter",
    "this year",
    "last year",
    "next year",
];

/// `50000` → "$50,000"; `1234.5` → "$1,234.50".
pub fn money_full(amount: f64, currency: &str) -> String {
    let cents = (amount * 100.0).round() as i64;
    let (whole, rest) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    let fraction = if rest == 0 { String::new() } else { format!(".{rest:02}") };
    format!("{sign}{}{grouped}{fraction}", symbol(currency))
}

fn symbol(currency: &str) -> String {
    match currency {
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        other => format!("{other} "),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 { format!("{n:.0}") } else { format!("{n:.2}") }
}

/// A figure of `field`: money with its currency, numbers plain.
fn figure(field: Option<&Field>, value: f64, currency: &str) -> String {
    match field.map(|f| f.kind) {
        Some(Kind::Money { .. }) => money_short(value, currency),
        _ => number(value),
    }
}

/// A time range in words: "this month", "in June 2026", "in the next 30 days", or the dates.
pub fn range_words(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> String {
    let day = |s: Option<&str>| s.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok());
    let (from_day, to_day) = (day(from), day(to));
    for name in RANGE_NAMES {
        if super::interpret::range_of(name, today) == Some((from_day, to_day)) {
            return (*name).to_owned();
        }
    }
    match (from_day, to_day) {
        (Some(a), Some(b)) => {
            if a == today {
                return format!("in the next {} days", (b - a).num_days());
            }
            if b == today {
                return format!("in the last {} days", (b - a).num_days());
            }
            let whole_month = a.format("%d").to_string() == "01"
                && b.succ_opt().is_some_and(|n| n.format("%d").to_string() == "01")
                && a.format("%Y-%m").to_string() == b.format("%Y-%m").to_string();
            if whole_month {
                return format!("in {}", a.format("%B %Y"));
            }
            if a.format("%m-%d").to_string() == "01-01"
                && b.format("%m-%d").to_string() == "12-31"
                && a.format("%Y").to_string() == b.format("%Y").to_string()
            {
                return format!("in {}", a.format("%Y"));
            }
            format!("from {a} to {b}")
        }
        (Some(a), None) => format!("from {a} on"),
        (None, Some(b)) => format!("until {b}"),
        (None, None) => String::new(),
    }
}

/// The verb a time range on `field` reads with ("closing this month").
fn time_verb(field: &str) -> &'static str {
    match field {
        "close_date" => "closing",
        "created_at" => "created",
        "due_date" => "due",
        "order_date" => "ordered",
        "start_time" => "scheduled",
        "completed_at" => "completed",
        _ => "dated",
    }
}

/// One condition in words: "stage is proposal", "amount is over $50,000", "overdue".
fn condition_words(field: &Field, op: AskOp, value: &AskValue, currency: &str) -> String {
    let label = field.label;
    let readable = |v: &str| v.replace('_', " ");
    match (field.kind, value) {
        (Kind::Overdue { .. }, _) => "overdue".into(),
        (Kind::Bool, AskValue::Bool(b)) => {
            let yes = (*b) == (op == AskOp::Eq);
            match (field.name, yes) {
                ("is_closed", true) => "closed".into(),
                ("is_closed", false) => "open".into(),
                (_, true) => label.to_owned(),
                (_, false) => format!("not {label}"),
            }
        }
        (Kind::User, AskValue::Text(v)) if v == "me" => format!("{label} {} you", op.words()),
        (Kind::Money { .. }, AskValue::Number(n)) => format!("{label} {} {}", op.words(), money_full(*n, currency)),
        (_, AskValue::List(items)) => {
            format!("{label} {} {}", op.words(), items.iter().map(|v| readable(v)).collect::<Vec<_>>().join(" or "))
        }
        (_, value) => format!("{label} {} {}", op.words(), readable(&value.to_string())),
    }
}

/// Whether the question is about the asker's own records ("my deals").
fn is_mine(plan: &Plan) -> bool {
    plan.interpretation
        .filters
        .iter()
        .any(|c| c.field == "owner" && c.op == AskOp::Eq && c.value == AskValue::Text("me".into()))
}

/// "opportunities closing this month where stage is proposal" (without the owner when `mine`).
fn subject(plan: &Plan, today: NaiveDate, currency: &str, count: Option<i64>, skip_mine: bool) -> String {
    let entity = plan.interpretation.entity;
    let noun = if count == Some(1) { entity.singular() } else { entity.as_str() };
    // Flags read before the noun ("open opportunities"), other conditions after it.
    let (mut adjectives, mut clauses) = (Vec::new(), Vec::new());
    for (c, checked) in plan.interpretation.filters.iter().zip(&plan.conditions) {
        if skip_mine && c.field == "owner" && c.value == AskValue::Text("me".into()) {
            continue;
        }
        let words = condition_words(checked.field, c.op, &c.value, currency);
        match checked.field.kind {
            Kind::Bool | Kind::Overdue { .. } => adjectives.push(words),
            _ => clauses.push(words),
        }
    }
    adjectives.push(noun.to_owned());
    let mut text = adjectives.join(" ");
    if let Some(range) = &plan.interpretation.time {
        text.push_str(&format!(
            " {} {}",
            time_verb(&range.field),
            range_words(range.from.as_deref(), range.to.as_deref(), today)
        ));
    }
    if !clauses.is_empty() {
        text.push_str(&format!(" where {}", clauses.join(" and ")));
    }
    if let Some(search) = &plan.search {
        text.push_str(&format!(" mentioning \"{search}\""));
    }
    text
}

/// The interpretation as a sentence: "Count opportunities closing this month (2026-03-01 to
/// 2026-03-31) where stage is proposal".
pub fn understood_as(plan: &Plan, today: NaiveDate, currency: &str) -> String {
    let interpretation = &plan.interpretation;
    let measure = plan.measure.map(|f| f.label).unwrap_or("value");
    let verb = match interpretation.answer {
        AskAnswer::List => "List".to_owned(),
        AskAnswer::Count => "Count".to_owned(),
        AskAnswer::Sum => format!("Total {measure} of"),
        AskAnswer::Average => format!("Average {measure} of"),
        AskAnswer::Top => format!("Top {} by {measure} of", plan.limit),
        AskAnswer::Group => match plan.measure {
            Some(_) => format!("Count and total {measure} by {} of", plan.group_by.map_or("", |f| f.label)),
            None => format!("Count by {} of", plan.group_by.map_or("", |f| f.label)),
        },
    };
    let mut text = format!("{verb} {}", subject(plan, today, currency, None, false));
    if let Some(range) = &interpretation.time {
        let (from, to) = (range.from.as_deref().unwrap_or("…"), range.to.as_deref().unwrap_or("…"));
        text.push_str(&format!(" ({} from {from} to {to})", plan.time.as_ref().map_or("", |(f, _, _)| f.label)));
    }
    text
}

/// The answer in one or two sentences.
pub fn natural_response(plan: &Plan, result: &AskResult, today: NaiveDate, currency: &str) -> String {
    let mine = is_mine(plan);
    let count = result.count;
    let measure = plan.measure;
    let measure_label = measure.map_or("value", |f| f.label);
    let about = subject(plan, today, currency, Some(count), mine);
    let there = |n: i64| {
        if mine {
            format!("You have {n} {about}")
        } else if n == 1 {
            format!("There is 1 {about}")
        } else {
            format!("There are {n} {about}")
        }
    };
    if count == 0 {
        return if mine { format!("You have no {about}.") } else { format!("There are no {about}.") };
    }
    match plan.interpretation.answer {
        AskAnswer::List | AskAnswer::Count => {
            let valued = matches!(plan.interpretation.entity, AskEntity::Opportunities | AskEntity::Orders);
            let value = match (result.total, &result.currency) {
                (Some(total), Some(currency)) if valued && total != 0.0 => {
                    format!(" with a total value of {}", money_short(total, currency))
                }
                _ => String::new(),
            };
            format!("{}{value}.", there(count))
        }
        AskAnswer::Sum => format!(
            "The total {measure_label} of the {count} {about} is {}.",
            figure(measure, result.total.unwrap_or(0.0), currency)
        ),
        AskAnswer::Average => match result.average {
            Some(average) => {
                format!("The average {measure_label} of the {count} {about} is {}.", figure(measure, average, currency))
            }
            None => format!("None of the {count} {about} has a {measure_label}."),
        },
        AskAnswer::Top => {
            let names = top_names(&result.records);
            format!("The top {} {about} by {measure_label}: {}.", names.len(), names.join(", "))
        }
        AskAnswer::Group => {
            let groups = result.groups.as_deref().unwrap_or_default();
            let parts: Vec<String> = groups
                .iter()
                .map(|g| match g.total {
                    Some(total) => {
                        format!("{} {} ({})", g.label.replace('_', " "), g.count, figure(measure, total, currency))
                    }
                    None => format!("{} {}", g.label.replace('_', " "), g.count),
                })
                .collect();
            let by = plan.group_by.map_or("", |f| f.label);
            format!("{} by {by}: {}.", capitalized(&there(count)), parts.join(", "))
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The names of ranked records, best first.
fn top_names(records: &AskRecords) -> Vec<String> {
    match records {
        AskRecords::Accounts(v) => v.iter().map(|r| r.name.clone()).collect(),
        AskRecords::Contacts(v) => v.iter().map(|r| r.full_name.clone()).collect(),
        AskRecords::Leads(v) => v.iter().map(|r| format!("{} {}", r.first_name, r.last_name)).collect(),
        AskRecords::Opportunities(v) => v.iter().map(|r| r.name.clone()).collect(),
        AskRecords::Activities(v) => v.iter().map(|r| r.subject.clone()).collect(),
        AskRecords::Tasks(v) => v.iter().map(|r| r.title.clone()).collect(),
        AskRecords::Orders(v) => v.iter().map(|r| r.order_id.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_money_like_people_do() {
        assert_eq!(money_full(50_000.0, "USD"), "$50,000");
        assert_eq!(money_full(1234.5, "CHF"), "CHF 1,234.50");
    }

    #[test]
    fn names_ranges() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
        assert_eq!(range_words(Some("2026-03-01"), Some("2026-03-31"), today), "this month");
        assert_eq!(range_words(Some("2026-06-01"), Some("2026-06-30"), today), "in June 2026");
        assert_eq!(range_words(Some("2026-03-18"), Some("2026-04-17"), today), "in the next 30 days");
        assert_eq!(range_words(Some("2025-01-01"), Some("2025-12-31"), today), "last year");
        assert_eq!(range_words(Some("2024-01-01"), Some("2024-12-31"), today), "in 2024");
        assert_eq!(range_words(Some("2026-02-03"), Some("2026-02-09"), today), "from 2026-02-03 to 2026-02-09");
    }
}
