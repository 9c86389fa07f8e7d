//! `POST /llm_query`: a question in plain language, the structured query it was understood as
//! (`Interpretation`), and the answer. The same `Interpretation` comes from the built-in engine
//! and from a language model; the server checks it against its allow-list before running it.

use serde::{Deserialize, Serialize};

use super::{Account, Activity, Contact, Lead, Opportunity, Order, Task};

/// The longest question Lanes takes, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// The record types a question can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AskEntity {
    Accounts,
    Contacts,
    Leads,
    Opportunities,
    Activities,
    Tasks,
    Orders,
}

impl AskEntity {
    pub const ALL: [AskEntity; 7] = [
        AskEntity::Accounts,
        AskEntity::Contacts,
        AskEntity::Leads,
        AskEntity::Opportunities,
        AskEntity::Activities,
        AskEntity::Tasks,
        AskEntity::Orders,
    ];

    /// The wire spelling, which is also the key of the records in `result`.
    pub fn as_str(self) -> &'static str {
        match self {
            AskEntity::Accounts => "accounts",
            AskEntity::Contacts => "contacts",
            AskEntity::Leads => "leads",
            AskEntity::Opportunities => "opportunities",
            AskEntity::Activities => "activities",
            AskEntity::Tasks => "tasks",
            AskEntity::Orders => "orders",
        }
    }

    /// One record, for sentences ("1 opportunity").
    pub fn singular(self) -> &'static str {
        match self {
            AskEntity::Accounts => "account",
            AskEntity::Contacts => "contact",
            AskEntity::Leads => "lead",
            AskEntity::Opportunities => "opportunity",
            AskEntity::Activities => "activity",
            AskEntity::Tasks => "task",
            AskEntity::Orders => "order",
        }
    }
}

/// What kind of answer the question wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AskAnswer {
    /// The matching records.
    List,
    /// How many match.
    Count,
    /// The sum of `measure`.
    Sum,
    /// The mean of `measure`.
    Average,
    /// The `limit` records with the largest `measure`.
    Top,
    /// Counts (and sums of `measure`, when given) per value of `group_by`.
    Group,
}

/// How a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AskOp {
    Eq,
    Ne,
    /// One of a list of values.
    In,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl AskOp {
    /// In plain words, for "amount is over 50,000".
    pub fn words(self) -> &'static str {
        match self {
            AskOp::Eq => "is",
            AskOp::Ne => "is not",
            AskOp::In => "is one of",
            AskOp::Gt => "is over",
            AskOp::Gte => "is at least",
            AskOp::Lt => "is under",
            AskOp::Lte => "is at most",
        }
    }
}

/// A condition's value: text (enum values, ids, dates, `me`), a number, a flag or a list of texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum AskValue {
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
}

impl std::fmt::Display for AskValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AskValue::Bool(b) => write!(f, "{}", if *b { "yes" } else { "no" }),
            AskValue::Number(n) => write!(f, "{n}"),
            AskValue::Text(t) => f.write_str(t),
            AskValue::List(items) => f.write_str(&items.join(" or ")),
        }
    }
}

/// One condition: `field op value`, e.g. `stage eq "proposal"` or `amount gt 50000`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AskCondition {
    pub field: String,
    pub op: AskOp,
    pub value: AskValue,
}

/// A date range on one date field; both ends are whole days (`YYYY-MM-DD`) and included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AskTimeRange {
    pub field: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// The structured query a question was understood as. Nothing in it is SQL: fields, operators
/// and values are checked against the catalogue of each entity before anything runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Interpretation {
    pub entity: AskEntity,
    #[serde(default)]
    pub filters: Vec<AskCondition>,
    #[serde(default)]
    pub time: Option<AskTimeRange>,
    pub answer: AskAnswer,
    /// The number field summed, averaged or ranked (e.g. `amount`).
    #[serde(default)]
    pub measure: Option<String>,
    /// The field `group` answers group by (e.g. `stage`).
    #[serde(default)]
    pub group_by: Option<String>,
    /// How many records `top` and `list` answers show.
    #[serde(default)]
    pub limit: Option<i64>,
    /// Words the records must contain (their list's search).
    #[serde(default)]
    pub search: Option<String>,
}

impl Interpretation {
    /// The same query with its filters in a fixed order, for comparing two interpretations.
    pub fn normalized(mut self) -> Self {
        self.filters.sort_by(|a, b| (&a.field, format!("{:?}", a.op)).cmp(&(&b.field, format!("{:?}", b.op))));
        self
    }
}

/// The request body of `POST /llm_query`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    /// The question, 1 to 500 characters.
    pub query: String,
    #[serde(default)]
    pub context: Option<AskContext>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AskContext {
    /// Whose records "my" means: the caller (default), or anyone for a manager or admin.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Extra conditions, `{"field": value}` (equality), on the entity of the question.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub filters: Option<std::collections::BTreeMap<String, AskValue>>,
}

/// Which engine understood the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AskEngine {
    BuiltIn,
    Llm,
}

/// The records of an answer, under the entity's plural name (`"opportunities": [...]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AskRecords {
    Accounts(Vec<Account>),
    Contacts(Vec<Contact>),
    Leads(Vec<Lead>),
    Opportunities(Vec<Opportunity>),
    Activities(Vec<Activity>),
    Tasks(Vec<Task>),
    Orders(Vec<Order>),
}

impl AskRecords {
    pub fn len(&self) -> usize {
        match self {
            AskRecords::Accounts(v) => v.len(),
            AskRecords::Contacts(v) => v.len(),
            AskRecords::Leads(v) => v.len(),
            AskRecords::Opportunities(v) => v.len(),
            AskRecords::Activities(v) => v.len(),
            AskRecords::Tasks(v) => v.len(),
            AskRecords::Orders(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One group of a `group` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AskGroup {
    /// The stored value (`null` for records without one).
    pub key: Option<String>,
    /// The value for people (a user's name for owners).
    pub label: String,
    pub count: i64,
    /// The sum of the measure in the group, when there is a measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
}

/// `result`: the records (at most 100, or `limit`), `count` = how many match in all, and the
/// figures the answer asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AskResult {
    #[serde(flatten)]
    pub records: AskRecords,
    pub count: i64,
    /// Sum of the measure over every matching record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// Mean of the measure over matching records that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
    /// The currency of money figures (the base currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<AskGroup>>,
}

/// The answer of `POST /llm_query`: the contract's fields plus how the question was understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AskResponse {
    pub query: String,
    pub result: AskResult,
    pub natural_response: String,
    pub timestamp: String,
    pub interpretation: Interpretation,
    /// The interpretation in plain words.
    pub understood_as: String,
    pub engine: AskEngine,
    /// Set when the language model failed and the built-in engine answered instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
