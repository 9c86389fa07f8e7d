//! The built-in engine: plain-language questions to an `Interpretation`, deterministically and
//! offline. It reads keywords, not grammar; the catalogue it understands (also in the README):
//!
//! - **Entities** (the first one named wins): accounts (companies, customers, clients, prospects,
//!   partners), contacts (people, decision makers, influencers), leads, opportunities (deals,
//!   pipeline), activities (calls, emails, meetings, visits, notes), tasks (to-dos), orders.
//! - **Filters**: deal stages (prospecting, qualification, proposal, negotiation, won, lost, open,
//!   closed); lead status (new, contacted, qualified, unqualified, proposal, negotiation), source
//!   (website, referral, trade show, cold call, email campaign, social media, partner), stage
//!   (inquiry, nurturing, sales ready) and converted/unconverted; account type (customers,
//!   prospects, partners), status (active/inactive) and industry ("retail accounts", "in the
//!   energy industry"); contact role; activity type and status (planned/upcoming, completed,
//!   cancelled); task status (open/outstanding, pending, in progress, completed, cancelled) and
//!   priority (urgent, high/medium/low priority); order status (confirmed, shipped, delivered,
//!   cancelled); "overdue"/"past due" (deals, activities, tasks); ownership: "my", "mine", "I",
//!   "assigned to me"; amounts: "over $50k", "above 10,000", "under 1.2m", "at least",
//!   "at most", "between 10k and 50k", "more than 500 employees", "probability over 70%";
//!   words to look for: "named …", "called …", "mentioning …", "containing …", or "quoted".
//! - **Time ranges**: today, yesterday, tomorrow; this/last/next week, month, quarter, year;
//!   "next 30 days", "last 7 days", "past 2 weeks"; "in June" (this year), "June 2026", "Q3",
//!   "in 2025", "year to date". The date field follows the verb: closing → close date, created/
//!   added/new → created, due → due date, completed → completed, ordered/placed → order date;
//!   otherwise the entity's own (deals: close date, tasks: due date, activities: start, orders:
//!   order date, others: created).
//! - **Answers**: a list (default; "latest 10" limits it), "how many"/"count"/"number of",
//!   "total"/"sum"/"how much"/"worth"/"value", "average"/"mean", "top 5"/"biggest"/"largest",
//!   and "by/per <stage, status, source, industry, owner, type, priority, role, territory,
//!   product>" (a grouped answer, with sums when a value is asked for). Measures: amount (deals),
//!   expected revenue/weighted, budget (leads), annual revenue and employees (accounts), total
//!   and quantity (orders), probability, duration.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::model::{AskAnswer, AskCondition, AskEntity, AskOp, AskTimeRange, AskValue, Interpretation};

/// Why a question was not understood, phrased for the asker.
pub const NOT_UNDERSTOOD: &str = "I could not tell which records the question is about. Ask about accounts, \
     contacts, leads, deals, activities, tasks or orders — for example \"How many open deals close this month?\"";

/// Phrases rewritten to one token before anything else, so "email campaign" is a lead source and
/// not an email, and "show me" is not about the asker's records.
const PHRASES: &[(&str, &str)] = &[
    ("show me", "show"),
    ("give me", "show"),
    ("tell me", "show"),
    ("get me", "show"),
    ("find me", "show"),
    ("let me know", "show"),
    ("email campaigns", "src_email_campaign"),
    ("email campaign", "src_email_campaign"),
    ("e-mail campaign", "src_email_campaign"),
    ("trade shows", "src_trade_show"),
    ("trade show", "src_trade_show"),
    ("tradeshow", "src_trade_show"),
    ("cold calls", "src_cold_call"),
    ("cold calling", "src_cold_call"),
    ("cold call", "src_cold_call"),
    ("social media", "src_social_media"),
    ("decision makers", "role_decision_maker"),
    ("decision maker", "role_decision_maker"),
    ("decision-makers", "role_decision_maker"),
    ("sales ready", "stage_sales_ready"),
    ("sales-ready", "stage_sales_ready"),
    ("in progress", "st_in_progress"),
    ("in-progress", "st_in_progress"),
    ("closed won", "won"),
    ("closed-won", "won"),
    ("closed lost", "lost"),
    ("closed-lost", "lost"),
    ("not converted", "unconverted"),
    ("not yet converted", "unconverted"),
    ("past due", "overdue"),
    ("not done", "open"),
    ("to-dos", "todo"),
    ("to-do", "todo"),
    ("to dos", "todo"),
    ("to do", "todo"),
    ("follow-ups", "todo"),
    ("follow ups", "todo"),
    ("expected revenue", "m_expected_revenue"),
    ("weighted pipeline", "sum m_expected_revenue pipeline"),
    ("weighted value", "m_expected_revenue"),
    ("annual revenue", "m_annual_revenue"),
    ("high priority", "prio_high"),
    ("high-priority", "prio_high"),
    ("medium priority", "prio_medium"),
    ("low priority", "prio_low"),
    ("low-priority", "prio_low"),
    ("how many", "count_q"),
    ("number of", "count_q"),
    ("how much", "sum_q"),
    ("more than", "cmp_gt"),
    ("greater than", "cmp_gt"),
    ("bigger than", "cmp_gt"),
    ("larger than", "cmp_gt"),
    ("higher than", "cmp_gt"),
    ("less than", "cmp_lt"),
    ("lower than", "cmp_lt"),
    ("smaller than", "cmp_lt"),
    ("fewer than", "cmp_lt"),
    ("at least", "cmp_gte"),
    ("no less than", "cmp_gte"),
    ("at most", "cmp_lte"),
    ("no more than", "cmp_lte"),
    ("up to", "cmp_lte"),
    ("year to date", "ytd"),
    ("year-to-date", "ytd"),
    ("most recent", "latest"),
    ("most valuable", "biggest"),
    ("grouped by", "by"),
    ("broken down by", "by"),
    ("breakdown by", "by"),
    ("split by", "by"),
    ("for each", "per"),
    ("close date", "closing"),
    ("due date", "due"),
    ("lead source", "source"),
    ("sales rep", "rep"),
    ("sales reps", "rep"),
];

/// Words that name an entity.
const ENTITY_WORDS: &[(&str, AskEntity)] = &[
    ("opportunity", AskEntity::Opportunities),
    ("opportunities", AskEntity::Opportunities),
    ("opp", AskEntity::Opportunities),
    ("opps", AskEntity::Opportunities),
    ("deal", AskEntity::Opportunities),
    ("deals", AskEntity::Opportunities),
    ("pipeline", AskEntity::Opportunities),
    ("lead", AskEntity::Leads),
    ("leads", AskEntity::Leads),
    ("account", AskEntity::Accounts),
    ("accounts", AskEntity::Accounts),
    ("customer", AskEntity::Accounts),
    ("customers", AskEntity::Accounts),
    ("client", AskEntity::Accounts),
    ("clients", AskEntity::Accounts),
    ("company", AskEntity::Accounts),
    ("companies", AskEntity::Accounts),
    ("prospects", AskEntity::Accounts),
    ("partners", AskEntity::Accounts),
    ("contact", AskEntity::Contacts),
    ("contacts", AskEntity::Contacts),
    ("people", AskEntity::Contacts),
    ("role_decision_maker", AskEntity::Contacts),
    ("influencers", AskEntity::Contacts),
    ("activity", AskEntity::Activities),
    ("activities", AskEntity::Activities),
    ("call", AskEntity::Activities),
    ("calls", AskEntity::Activities),
    ("visit", AskEntity::Activities),
    ("visits", AskEntity::Activities),
    ("meeting", AskEntity::Activities),
    ("meetings", AskEntity::Activities),
    ("email", AskEntity::Activities),
    ("emails", AskEntity::Activities),
    ("note", AskEntity::Activities),
    ("notes", AskEntity::Activities),
    ("task", AskEntity::Tasks),
    ("tasks", AskEntity::Tasks),
    ("todo", AskEntity::Tasks),
    ("todos", AskEntity::Tasks),
    ("order", AskEntity::Orders),
    ("orders", AskEntity::Orders),
    ("shipment", AskEntity::Orders),
    ("shipments", AskEntity::Orders),
];

/// Industries recognised as a bare word ("retail accounts"); any other is "<word> industry".
const INDUSTRIES: &[(&str, &str)] = &[
    ("technology", "Technology"),
    ("tech", "Technology"),
    ("manufacturing", "Manufacturing"),
    ("retail", "Retail"),
    ("healthcare", "Healthcare"),
    ("wholesale", "Wholesale"),
    ("construction", "Construction"),
    ("automotive", "Automotive"),
    ("logistics", "Logistics"),
    ("transportation", "Transportation"),
    ("energy", "Energy"),
    ("finance", "Finance"),
    ("education", "Education"),
    ("agriculture", "Agriculture"),
    ("hospitality", "Hospitality"),
    ("pharmaceutical", "Pharmaceutical"),
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words that end the text of a search ("named acme in retail").
const STOP_WORDS: &[&str] = &[
    "in", "with", "from", "that", "which", "and", "this", "last", "next", "cmp_gt", "cmp_lt", "cmp_gte", "cmp_lte",
    "over", "under", "above", "below", "closing", "created", "due", "by", "per", "for", "owned", "assigned",
];

/// The question, lower-cased, with punctuation gone and the phrases above rewritten.
struct Words {
    tokens: Vec<String>,
    /// Text inside quotes, if any: the words to search for.
    quoted: Option<String>,
}

impl Words {
    fn new(question: &str) -> Words {
        let question = question.replace(['’', '‘'], "'").replace(['“', '”'], "\"");
        let quoted = question.split('"').nth(1).map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
        // "what's" → "what", "today's" → "today".
        let lower = format!("{} ", question.to_lowercase()).replace("'s ", " ");
        let chars: Vec<char> = lower.chars().collect();
        let mut text = String::with_capacity(lower.len() + 2);
        text.push(' ');
        for (i, &c) in chars.iter().enumerate() {
            let between_digits =
                i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            match c {
                ',' if between_digits => {}
                '.' if between_digits => text.push('.'),
                c if c.is_alphanumeric() || matches!(c, '$' | '%' | '&' | '-' | '_' | '€' | '£' | '<' | '>' | '=') => {
                    text.push(c)
                }
                '\'' => text.push(c),
                _ => text.push(' '),
            }
        }
        let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        text = format!(" {text} ");
        for (phrase, token) in PHRASES {
            text = text.replace(&format!(" {phrase} "), &format!(" {token} "));
        }
        // A second pass catches phrases that overlapped ("show me my" → "show my").
        for (phrase, token) in PHRASES {
            text = text.replace(&format!(" {phrase} "), &format!(" {token} "));
        }
        let tokens = text.split_whitespace().map(str::to_owned).collect();
        Words { tokens, quoted }
    }

    fn has(&self, word: &str) -> bool {
        self.tokens.iter().any(|t| t == word)
    }

    fn has_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.has(w))
    }

    fn position(&self, word: &str) -> Option<usize> {
        self.tokens.iter().position(|t| t == word)
    }

    fn get(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).map(String::as_str)
    }
}

/// A number as people write it: `50000`, `$50k`, `1.2m`, `80%`, `50 thousand`, `ten`. Returns the
/// value and how many tokens it used.
fn number_at(words: &Words, i: usize) -> Option<(f64, usize)> {
    let token = words.get(i)?;
    let word_numbers = [
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("twelve", 12.0),
        ("fifteen", 15.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
    ];
    if let Some((_, n)) = word_numbers.iter().find(|(w, _)| *w == token) {
        return Some((*n, 1));
    }
    let body = token.trim_start_matches(['$', '€', '£']).trim_end_matches('%');
    let (digits, suffix) = match body.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(at) => body.split_at(at),
        None => (body, ""),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    let scale = |s: &str| match s {
        "k" | "thousand" => Some(1_000.0),
        "m" | "mm" | "mil" | "million" => Some(1_000_000.0),
        "b" | "bn" | "billion" => Some(1_000_000_000.0),
        _ => None,
    };
    if !suffix.is_empty() {
        return scale(suffix).map(|s| (value * s, 1));
    }
    match words.get(i + 1).and_then(scale) {
        Some(s) => Some((value * s, 2)),
        None => Some((value, 1)),
    }
}

/// Interprets `question` as of `today` (the asker's date, which relative times count from).
pub fn interpret(question: &str, today: NaiveDate) -> Result<Interpretation, String> {
    let words = Words::new(question);
    let entity = words
        .tokens
        .iter()
        .find_map(|t| ENTITY_WORDS.iter().find(|(w, _)| w == t).map(|(_, e)| *e))
        .ok_or_else(|| NOT_UNDERSTOOD.to_owned())?;
    let mut filters = Vec::new();
    let time = time_range(&words, entity, today);
    entity_filters(&words, entity, time.is_some(), &mut filters);
    if words.has_any(&["my", "mine", "me", "i", "i'm", "myself"]) {
        filters.push(condition("owner", AskOp::Eq, AskValue::Text("me".into())));
    }
    amount_filters(&words, entity, &mut filters);
    let (answer, measure, group_by, limit) = answer(&words, entity)?;
    Ok(Interpretation { entity, filters, time, answer, measure, group_by, limit, search: search(&words) })
}

fn condition(field: &str, op: AskOp, value: AskValue) -> AskCondition {
    AskCondition { field: field.into(), op, value }
}

fn text(value: &str) -> AskValue {
    AskValue::Text(value.into())
}

/// The first keyword of `table` found in the question, as `field eq value`.
fn first_match(words: &Words, field: &str, table: &[(&str, &str)], filters: &mut Vec<AskCondition>) {
    if let Some((_, value)) = table.iter().find(|(word, _)| words.has(word)) {
        filters.push(condition(field, AskOp::Eq, text(value)));
    }
}

fn entity_filters(words: &Words, entity: AskEntity, has_time: bool, filters: &mut Vec<AskCondition>) {
    match entity {
        AskEntity::Opportunities => {
            let stages = [
                ("prospecting", "prospecting"),
                ("qualification", "qualification"),
                ("qualifying", "qualification"),
                ("proposal", "proposal"),
                ("proposals", "proposal"),
                ("negotiation", "negotiation"),
                ("negotiating", "negotiation"),
                ("won", "closed_won"),
                ("win", "closed_won"),
                ("wins", "closed_won"),
                ("lost", "closed_lost"),
            ];
            first_match(words, "stage", &stages, filters);
            let has_stage = !filters.is_empty();
            if words.has("overdue") || words.has("slipped") {
                filters.push(condition("overdue", AskOp::Eq, AskValue::Bool(true)));
            } else if !has_stage && words.has_any(&["open", "active", "pipeline", "ongoing"]) {
                filters.push(condition("is_closed", AskOp::Eq, AskValue::Bool(false)));
            } else if !has_stage && words.has("closed") && !words.has("closing") {
                filters.push(condition("is_closed", AskOp::Eq, AskValue::Bool(true)));
            }
        }
        AskEntity::Leads => {
            let statuses = [
                ("unqualified", "unqualified"),
                ("qualified", "qualified"),
                ("contacted", "contacted"),
                ("proposal", "proposal"),
                ("negotiation", "negotiation"),
            ];
            first_match(words, "lead_status", &statuses, filters);
            // "New leads this week" are leads created this week; "new leads" alone, status new.
            if words.has("new") && !has_time && !filters.iter().any(|f| f.field == "lead_status") {
                filters.push(condition("lead_status", AskOp::Eq, text("new")));
            }
            let sources = [
                ("website", "website"),
                ("web", "website"),
                ("online", "website"),
                ("referral", "referral"),
                ("referrals", "referral"),
                ("referred", "referral"),
                ("src_trade_show", "trade_show"),
                ("src_cold_call", "cold_call"),
                ("src_email_campaign", "email_campaign"),
                ("src_social_media", "social_media"),
                ("partner", "partner"),
                ("partners", "partner"),
            ];
            first_match(words, "lead_source", &sources, filters);
            let stages = [
                ("inquiry", "inquiry"),
                ("inquiries", "inquiry"),
                ("nurturing", "nurturing"),
                ("stage_sales_ready", "sales_ready"),
            ];
            first_match(words, "lead_stage", &stages, filters);
            if words.has("unconverted") {
                filters.push(condition("converted", AskOp::Eq, AskValue::Bool(false)));
            } else if words.has("converted") {
                filters.push(condition("converted", AskOp::Eq, AskValue::Bool(true)));
            }
        }
        AskEntity::Accounts => {
            let types = [
                ("customer", "customer"),
                ("customers", "customer"),
                ("prospects", "prospect"),
                ("partners", "partner"),
            ];
            first_match(words, "account_type", &types, filters);
            first_match(words, "status", &[("inactive", "inactive"), ("active", "active")], filters);
            if let Some(industry) = industry(words) {
                filters.push(condition("industry", AskOp::Eq, AskValue::Text(industry)));
            }
        }
        AskEntity::Contacts => {
            let roles = [
                ("role_decision_maker", "decision_maker"),
                ("influencer", "influencer"),
                ("influencers", "influencer"),
            ];
            first_match(words, "contact_role", &roles, filters);
            first_match(words, "status", &[("inactive", "inactive"), ("active", "active")], filters);
            if words.has("primary") {
                filters.push(condition("is_primary", AskOp::Eq, AskValue::Bool(true)));
            }
        }
        AskEntity::Activities => {
            let types = [
                ("call", "call"),
                ("calls", "call"),
                ("emails", "email"),
                ("email", "email"),
                ("meeting", "meeting"),
                ("meetings", "meeting"),
                ("visit", "visit"),
                ("visits", "visit"),
                ("note", "note"),
                ("notes", "note"),
            ];
            first_match(words, "activity_type", &types, filters);
            if words.has("overdue") {
                filters.push(condition("overdue", AskOp::Eq, AskValue::Bool(true)));
            } else {
                let statuses = [
                    ("planned", "planned"),
                    ("upcoming", "planned"),
                    ("scheduled", "planned"),
                    ("completed", "completed"),
                    ("done", "completed"),
                    ("cancelled", "cancelled"),
                    ("canceled", "cancelled"),
                ];
                first_match(words, "status", &statuses, filters);
            }
            priority(words, filters);
        }
        AskEntity::Tasks => {
            if words.has("overdue") || words.has("late") {
                filters.push(condition("overdue", AskOp::Eq, AskValue::Bool(true)));
            } else if words.has_any(&["open", "outstanding", "incomplete", "unfinished", "remaining"]) {
                let open = AskValue::List(vec!["pending".into(), "in_progress".into()]);
                filters.push(condition("status", AskOp::In, open));
            } else {
                let statuses = [
                    ("pending", "pending"),
                    ("st_in_progress", "in_progress"),
                    ("completed", "completed"),
                    ("done", "completed"),
                    ("finished", "completed"),
                    ("cancelled", "cancelled"),
                    ("canceled", "cancelled"),
                ];
                first_match(words, "status", &statuses, filters);
            }
            priority(words, filters);
        }
        AskEntity::Orders => {
            let statuses = [
                ("confirmed", "confirmed"),
                ("shipped", "shipped"),
                ("delivered", "delivered"),
                ("cancelled", "cancelled"),
                ("canceled", "cancelled"),
            ];
            first_match(words, "status", &statuses, filters);
        }
    }
}

fn priority(words: &Words, filters: &mut Vec<AskCondition>) {
    let priorities = [
        ("urgent", "urgent"),
        ("prio_high", "high"),
        ("important", "high"),
        ("prio_medium", "medium"),
        ("prio_low", "low"),
    ];
    first_match(words, "priority", &priorities, filters);
}

fn industry(words: &Words) -> Option<String> {
    if let Some(at) = words.position("industry") {
        // "in the energy industry" / "industry is energy" / "industry energy"
        let before =
            at.checked_sub(1).and_then(|i| words.get(i)).filter(|w| !matches!(*w, "the" | "by" | "per" | "each"));
        let after = words.get(at + 1).map(|w| if w == "is" { words.get(at + 2).unwrap_or("") } else { w });
        let word = before.or(after.filter(|w| !w.is_empty() && !STOP_WORDS.contains(w)))?;
        let known = INDUSTRIES.iter().find(|(w, _)| *w == word).map(|(_, name)| (*name).to_owned());
        return Some(known.unwrap_or_else(|| title_case(word)));
    }
    INDUSTRIES.iter().find(|(w, _)| words.has(w)).map(|(_, name)| (*name).to_owned())
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The numeric fields a number in the question can be about, by the word after it.
fn measure_word(word: Option<&str>, entity: AskEntity) -> Option<&'static str> {
    match (entity, word?) {
        (AskEntity::Accounts, "employee" | "employees" | "staff" | "people") => Some("employee_count"),
        (AskEntity::Orders, "unit" | "units" | "item" | "items" | "pieces") => Some("quantity"),
        (AskEntity::Activities, "minute" | "minutes" | "min" | "mins") => Some("duration_minutes"),
        _ => None,
    }
}

/// The measure the question names, if any.
fn named_measure(words: &Words, entity: AskEntity) -> Option<&'static str> {
    match entity {
        AskEntity::Opportunities if words.has("m_expected_revenue") || words.has("weighted") => {
            Some("expected_revenue")
        }
        AskEntity::Opportunities if words.has("probability") => Some("probability"),
        AskEntity::Accounts if words.has_any(&["employees", "employee", "headcount", "staff"]) => {
            Some("employee_count")
        }
        AskEntity::Accounts if words.has_any(&["m_annual_revenue", "revenue"]) => Some("annual_revenue"),
        AskEntity::Leads if words.has("budget") => Some("budget"),
        AskEntity::Orders if words.has_any(&["quantity", "units", "items"]) => Some("quantity"),
        AskEntity::Activities if words.has_any(&["duration", "minutes"]) => Some("duration_minutes"),
        _ => None,
    }
}

fn amount_filters(words: &Words, entity: AskEntity, filters: &mut Vec<AskCondition>) {
    let default = super::catalogue::of(entity).measure;
    let mut i = 0;
    while i < words.tokens.len() {
        let op = match words.get(i) {
            Some("over" | "above" | "exceeding" | "cmp_gt" | ">") => Some(AskOp::Gt),
            Some("cmp_gte" | ">=") => Some(AskOp::Gte),
            Some("under" | "below" | "cmp_lt" | "<") => Some(AskOp::Lt),
            Some("cmp_lte" | "<=") => Some(AskOp::Lte),
            Some("between") => Some(AskOp::Gte),
            _ => None,
        };
        let Some(op) = op else {
            i += 1;
            continue;
        };
        let Some((value, used)) = number_at(words, i + 1) else {
            i += 1;
            continue;
        };
        let mut next = i + 1 + used;
        let percent = words.get(i + 1).is_some_and(|t| t.ends_with('%'));
        let field = if percent && entity == AskEntity::Opportunities {
            Some("probability")
        } else {
            measure_word(words.get(next), entity).or_else(|| {
                // "probability over 70", "budget over 10k": the word before names it.
                named_measure(words, entity).filter(|m| *m == "probability").or(default)
            })
        };
        let Some(field) = field else {
            i = next;
            continue;
        };
        filters.push(condition(field, op, AskValue::Number(value)));
        if words.get(i) == Some("between")
            && words.get(next) == Some("and")
            && let Some((upper, used)) = number_at(words, next + 1)
        {
            filters.push(condition(field, AskOp::Lte, AskValue::Number(upper)));
            next += 1 + used;
        }
        i = next;
    }
}

/// The kind of answer, its measure, group field and limit.
type Shape = (AskAnswer, Option<String>, Option<String>, Option<i64>);

fn answer(words: &Words, entity: AskEntity) -> Result<Shape, String> {
    let catalogue = super::catalogue::of(entity);
    let measure = named_measure(words, entity).or(catalogue.measure).map(str::to_owned);
    let wants_value = words.has_any(&["sum_q", "total", "sum", "worth", "value", "amount", "revenue", "combined"])
        || named_measure(words, entity).is_some();
    if let Some(group) = group_field(words, entity)? {
        let measure = if wants_value { measure } else { None };
        return Ok((AskAnswer::Group, measure, Some(group.to_owned()), None));
    }
    let ranked = words.has_any(&["top", "biggest", "largest", "highest", "best"]);
    let limit = limit(words);
    if ranked {
        return Ok(match measure {
            Some(m) => (AskAnswer::Top, Some(m), None, limit.or(Some(super::plan::DEFAULT_TOP))),
            None => (AskAnswer::List, None, None, limit.or(Some(super::plan::DEFAULT_TOP))),
        });
    }
    let average = words.has_any(&["average", "avg", "mean"]);
    let sum = words.has_any(&["sum_q", "total", "sum", "worth", "combined"])
        || (words.has("value") && !words.tokens.windows(2).any(|w| w[0] == "value" && is_comparison(&w[1])));
    let counting = words.has_any(&["count_q", "count"]);
    Ok(match (average, sum, measure) {
        (true, _, Some(m)) => (AskAnswer::Average, Some(m), None, None),
        (false, true, Some(m)) => (AskAnswer::Sum, Some(m), None, None),
        (true, _, None) | (_, true, None) => (AskAnswer::Count, None, None, None),
        _ if counting => (AskAnswer::Count, None, None, None),
        _ => (AskAnswer::List, None, None, limit),
    })
}

fn is_comparison(word: &str) -> bool {
    matches!(word, "over" | "above" | "under" | "below" | "cmp_gt" | "cmp_lt" | "cmp_gte" | "cmp_lte" | "between")
}

/// "by stage", "per owner": the field to group by, if the question asks for groups.
fn group_field(words: &Words, entity: AskEntity) -> Result<Option<&'static str>, String> {
    let Some(word) = words
        .tokens
        .windows(2)
        .filter(|w| w[0] == "by" || w[0] == "per")
        .map(|w| w[1].as_str())
        .find(|w| !matches!(*w, "me" | "the" | "end" | "next" | "this" | "today" | "tomorrow"))
    else {
        return Ok(None);
    };
    use AskEntity::*;
    let field = match (word, entity) {
        ("stage" | "stages", Opportunities) => "stage",
        ("stage" | "stages", Leads) => "lead_stage",
        ("status" | "statuses", Leads) => "lead_status",
        ("status" | "statuses", _) if entity != Opportunities => "status",
        ("source" | "sources" | "channel" | "channels", Leads) => "lead_source",
        ("industry" | "industries" | "sector" | "sectors", Accounts) => "industry",
        ("owner" | "owners" | "rep" | "reps" | "salesperson" | "user" | "users" | "person" | "assignee", _) => "owner",
        ("type" | "types", Accounts) => "account_type",
        ("type" | "types", Activities) => "activity_type",
        ("priority" | "priorities", Tasks | Activities) => "priority",
        ("role" | "roles", Contacts) => "contact_role",
        ("territory" | "territories" | "region" | "regions", Accounts) => "territory",
        ("country" | "countries", Accounts) => "country",
        ("city" | "cities", Accounts) => "city",
        ("product" | "products", Orders) => "product_id",
        ("department" | "departments", Contacts) => "department",
        _ => {
            // "by" followed by something else ("closing by june", "by amount") is not a group.
            const GROUP_WORDS: &[&str] = &[
                "stage",
                "stages",
                "status",
                "source",
                "sources",
                "industry",
                "industries",
                "type",
                "priority",
                "role",
                "territory",
                "country",
                "city",
                "product",
                "department",
            ];
            if GROUP_WORDS.contains(&word) {
                return Err(format!("{} cannot be grouped by {word}", entity.as_str()));
            }
            return Ok(None);
        }
    };
    Ok(Some(field))
}

/// "top 5", "latest 10", "first 3", "5 biggest": how many records to show.
fn limit(words: &Words) -> Option<i64> {
    for (i, token) in words.tokens.iter().enumerate() {
        if matches!(token.as_str(), "top" | "latest" | "first" | "newest" | "last" | "recent")
            && let Some((n, used)) = number_at(words, i + 1)
        {
            // "last 7 days" is a time range, not a limit.
            let unit = words.get(i + 1 + used);
            if token == "last" && unit.is_some_and(is_time_unit) {
                continue;
            }
            return Some(n as i64);
        }
        if matches!(token.as_str(), "biggest" | "largest" | "highest" | "latest" | "newest" | "best")
            && let Some((n, 1)) = i.checked_sub(1).and_then(|j| number_at(words, j))
        {
            return Some(n as i64);
        }
    }
    None
}

fn is_time_unit(word: &str) -> bool {
    matches!(word, "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years")
}

/// The date field the question's verb points at, or the entity's own.
fn time_field(words: &Words, entity: AskEntity) -> &'static str {
    use AskEntity::*;
    let catalogue = super::catalogue::of(entity);
    let named = if words.has_any(&["created", "added", "new", "came", "received", "entered", "registered", "signed"]) {
        Some("created_at")
    } else if words.has_any(&["closing", "close", "closes", "closed"]) {
        Some("close_date")
    } else if words.has_any(&["due"]) {
        Some("due_date")
    } else if entity == Tasks && words.has_any(&["completed", "finished", "done"]) {
        Some("completed_at")
    } else if entity == Orders && words.has_any(&["ordered", "placed"]) {
        Some("order_date")
    } else {
        None
    };
    named.and_then(|n| catalogue.field(n)).map(|f| f.name).unwrap_or(catalogue.time)
}

fn time_range(words: &Words, entity: AskEntity, today: NaiveDate) -> Option<AskTimeRange> {
    let (from, to) = dates(words, today)?;
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Some(AskTimeRange { field: time_field(words, entity).to_owned(), from: from.map(day), to: to.map(day) })
}

/// The days a time phrase ("this month") covers, as of `today`.
pub fn range_of(phrase: &str, today: NaiveDate) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    dates(&Words::new(phrase), today)
}

fn month_start(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn month_end(start: NaiveDate) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(1))?.pred_opt()
}

fn quarter(year: i32, q: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = month_start(year, (q - 1) * 3 + 1)?;
    Some((start, start.checked_add_months(Months::new(3))?.pred_opt()?))
}

type Range = (Option<NaiveDate>, Option<NaiveDate>);

/// The first time expression in the question, as inclusive days.
fn dates(words: &Words, today: NaiveDate) -> Option<Range> {
    let both = |a: NaiveDate, b: NaiveDate| Some((Some(a), Some(b)));
    let this_month = month_start(today.year(), today.month())?;
    let monday = today.checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())))?;
    let this_quarter = quarter(today.year(), today.month0() / 3 + 1)?;
    for (i, token) in words.tokens.iter().enumerate() {
        let next = words.get(i + 1);
        let found = match (token.as_str(), next) {
            ("today", _) => both(today, today),
            ("yesterday", _) => both(today.pred_opt()?, today.pred_opt()?),
            ("tomorrow", _) => both(today.succ_opt()?, today.succ_opt()?),
            ("ytd", _) => both(month_start(today.year(), 1)?, today),
            ("this" | "current", Some("week")) => both(monday, monday + Days::new(6)),
            ("last" | "previous" | "past", Some("week")) => both(monday - Days::new(7), monday - Days::new(1)),
            ("next" | "coming", Some("week")) => both(monday + Days::new(7), monday + Days::new(13)),
            ("this" | "current", Some("month")) => both(this_month, month_end(this_month)?),
            ("last" | "previous" | "past", Some("month")) => {
                let start = this_month.checked_sub_months(Months::new(1))?;
                both(start, month_end(start)?)
            }
            ("next" | "coming", Some("month")) => {
                let start = this_month.checked_add_months(Months::new(1))?;
                both(start, month_end(start)?)
            }
            ("this" | "current", Some("quarter")) => both(this_quarter.0, this_quarter.1),
            ("last" | "previous" | "past", Some("quarter")) => {
                let start = this_quarter.0.checked_sub_months(Months::new(3))?;
                both(start, this_quarter.0.pred_opt()?)
            }
            ("next" | "coming", Some("quarter")) => {
                let start = this_quarter.0.checked_add_months(Months::new(3))?;
                both(start, start.checked_add_months(Months::new(3))?.pred_opt()?)
            }
            ("this" | "current", Some("year")) => {
                both(month_start(today.year(), 1)?, NaiveDate::from_ymd_opt(today.year(), 12, 31)?)
            }
            ("last" | "previous" | "past", Some("year")) => {
                both(month_start(today.year() - 1, 1)?, NaiveDate::from_ymd_opt(today.year() - 1, 12, 31)?)
            }
            ("next" | "coming", Some("year")) => {
                both(month_start(today.year() + 1, 1)?, NaiveDate::from_ymd_opt(today.year() + 1, 12, 31)?)
            }
            ("next" | "coming" | "last" | "past" | "previous" | "within", Some(_)) => {
                // "next 30 days", "within the next 2 weeks", "last 7 days"
                let mut at = i + 1;
                if matches!(words.get(at), Some("the" | "next")) {
                    at += 1;
                }
                let Some((n, used)) = number_at(words, at) else { continue };
                let days = match words.get(at + used) {
                    Some("day" | "days") => n,
                    Some("week" | "weeks") => n * 7.0,
                    Some("month" | "months") => n * 30.0,
                    _ => continue,
                } as u64;
                if matches!(token.as_str(), "last" | "past" | "previous") {
                    both(today.checked_sub_days(Days::new(days))?, today)
                } else {
                    both(today, today.checked_add_days(Days::new(days))?)
                }
            }
            (q, _) if q.len() == 2 && q.starts_with('q') => {
                let Some(n) = q[1..].parse::<u32>().ok().filter(|n| (1..=4).contains(n)) else { continue };
                let year = next.and_then(year_of).unwrap_or(today.year());
                let (a, b) = quarter(year, n)?;
                both(a, b)
            }
            (word, _) if month_of(word).is_some() => {
                let month = month_of(word)?;
                let year = next.and_then(year_of);
                let after_preposition = i
                    .checked_sub(1)
                    .and_then(|j| words.get(j))
                    .is_some_and(|p| matches!(p, "in" | "during" | "for" | "of" | "closing" | "due"));
                if year.is_none() && !after_preposition {
                    continue;
                }
                let start = month_start(year.unwrap_or(today.year()), month)?;
                both(start, month_end(start)?)
            }
            ("in" | "during" | "for", Some(y)) if year_of(y).is_some() => {
                let year = year_of(y)?;
                both(month_start(year, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?)
            }
            _ => continue,
        };
        return found;
    }
    None
}

fn month_of(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() == 3 && m.starts_with(word)) || (word == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

fn year_of(word: &str) -> Option<i32> {
    word.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y))
}

/// Words the records must contain: quoted text, or what follows "named", "called", "mentioning".
fn search(words: &Words) -> Option<String> {
    if let Some(quoted) = &words.quoted {
        return Some(quoted.clone());
    }
    let at = words.tokens.iter().position(|t| {
        matches!(t.as_str(), "named" | "called" | "mentioning" | "mentions" | "containing" | "matching" | "about")
    })?;
    let rest: Vec<&str> =
        words.tokens[at + 1..].iter().map(String::as_str).take_while(|w| !STOP_WORDS.contains(w)).collect();
    (!rest.is_empty()).then(|| rest.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 18).unwrap()
    }

    #[test]
    fn reads_numbers_as_people_write_them() {
        for (text, value) in
            [("$50k", 50_000.0), ("10000", 10_000.0), ("1.2m", 1_200_000.0), ("50 thousand", 50_000.0), ("five", 5.0)]
        {
            let words = Words::new(text);
            assert_eq!(number_at(&words, 0).map(|(n, _)| n), Some(value), "{text}");
        }
        assert_eq!(number_at(&Words::new("10,000"), 0).map(|(n, _)| n), Some(10_000.0));
    }

    #[test]
    fn unknown_questions_say_so() {
        assert_eq!(interpret("What is the meaning of life?", today()).unwrap_err(), NOT_UNDERSTOOD);
    }
}
