//! The allow-list of questions: for each entity, the fields a question may filter, sum, rank or
//! group by, each with its column and kind. Both engines' interpretations are checked against
//! it (`plan.rs`); a field, operator or value it does not list never reaches the database.

use crate::model::{
    AccountType, ActivityStatus, ActivityType, AskEntity, ContactRole, LeadSource, LeadStage, LeadStatus,
    OpportunityStage, OrderStatus, Priority, RecordStatus, TaskStatus,
};

/// What a field holds, which decides the operators and values it takes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One of a closed set of values (`eq`, `ne`, `in`).
    Enum { check: fn(&str) -> Result<(), String>, allowed: fn() -> String },
    /// A user id, or `me` (`eq`, `ne`, `in`).
    User,
    /// Free text, compared case-insensitively (`eq`, `ne`, `in`).
    Text,
    /// A 0/1 flag (`eq`, `ne` with true/false).
    Bool,
    /// Money in whole cents, in the currency held by `currency` (the base currency when `None`);
    /// compared and summed in the base currency.
    Money { currency: Option<&'static str> },
    /// A plain number.
    Number,
    /// An RFC 3339 timestamp (`gt`, `gte`, `lt`, `lte` with a date or date-time; time ranges).
    Date,
    /// `overdue eq true`: `open` holds and `due` has passed.
    Overdue { open: &'static str, due: &'static str },
}

impl Kind {
    pub fn is_measure(self) -> bool {
        matches!(self, Kind::Money { .. } | Kind::Number)
    }

    pub fn is_groupable(self) -> bool {
        matches!(self, Kind::Enum { .. } | Kind::User | Kind::Text | Kind::Bool)
    }

    /// For the model's instructions: the values a field takes.
    pub fn describe(self) -> String {
        match self {
            Kind::Enum { allowed, .. } => format!("one of: {}", allowed()),
            Kind::User => "a user id, or \"me\" for the asker".into(),
            Kind::Text => "text (case-insensitive)".into(),
            Kind::Bool => "true or false".into(),
            Kind::Money { .. } => "money in currency units (a number)".into(),
            Kind::Number => "a number".into(),
            Kind::Date => "a date YYYY-MM-DD".into(),
            Kind::Overdue { .. } => "true".into(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// Qualified with the entity's table alias (the `Resource::ALIAS` of its record type).
    pub column: &'static str,
    pub kind: Kind,
    /// The field in plain words ("close date").
    pub label: &'static str,
}

/// One entity's fields, and the defaults a question falls back on.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue {
    pub entity: AskEntity,
    pub fields: &'static [Field],
    /// The field summed, averaged and ranked when the question names none.
    pub measure: Option<&'static str>,
    /// The date field a time range applies to when the question names none.
    pub time: &'static str,
}

impl Catalogue {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn names(&self) -> String {
        self.fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
    }
}

macro_rules! enum_kind {
    ($t:ty) => {
        Kind::Enum { check: <$t>::check, allowed: <$t>::allowed }
    };
}

const fn field(name: &'static str, column: &'static str, kind: Kind, label: &'static str) -> Field {
    Field { name, column, kind, label }
}

const OPPORTUNITIES: Catalogue = Catalogue {
    entity: AskEntity::Opportunities,
    fields: &[
        field("stage", "o.stage", enum_kind!(OpportunityStage), "stage"),
        field("owner", "o.owner_id", Kind::User, "owner"),
        field("is_closed", "o.is_closed", Kind::Bool, "closed"),
        field("amount", "o.amount_cents", Kind::Money { currency: Some("o.currency") }, "amount"),
        field(
            "expected_revenue",
            "o.expected_revenue_cents",
            Kind::Money { currency: Some("o.currency") },
            "expected revenue",
        ),
        field("probability", "o.probability", Kind::Number, "probability"),
        field("close_date", "o.close_date", Kind::Date, "close date"),
        field("created_at", "o.created_at", Kind::Date, "created"),
        field("overdue", "", Kind::Overdue { open: "o.is_closed = 0", due: "o.close_date" }, "overdue"),
    ],
    measure: Some("amount"),
    time: "close_date",
};

const ACCOUNTS: Catalogue = Catalogue {
    entity: AskEntity::Accounts,
    fields: &[
        field("account_type", "a.account_type", enum_kind!(AccountType), "type"),
        field("status", "a.status", enum_kind!(RecordStatus), "status"),
        field("industry", "a.industry", Kind::Text, "industry"),
        field("territory", "a.territory", Kind::Text, "territory"),
        field("city", "a.city", Kind::Text, "city"),
        field("country", "a.country", Kind::Text, "country"),
        field("owner", "a.owner_id", Kind::User, "owner"),
        field("annual_revenue", "a.annual_revenue_cents", Kind::Money { currency: None }, "annual revenue"),
        field("employee_count", "a.employee_count", Kind::Number, "employees"),
        field("created_at", "a.created_at", Kind::Date, "created"),
    ],
    measure: Some("annual_revenue"),
    time: "created_at",
};

const CONTACTS: Catalogue = Catalogue {
    entity: AskEntity::Contacts,
    fields: &[
        field("contact_role", "c.contact_role", enum_kind!(ContactRole), "role"),
        field("status", "c.status", enum_kind!(RecordStatus), "status"),
        field("owner", "c.owner_id", Kind::User, "owner"),
        field("department", "c.department", Kind::Text, "department"),
        field("title", "c.title", Kind::Text, "title"),
        field("is_primary", "c.is_primary", Kind::Bool, "primary"),
        field("created_at", "c.created_at", Kind::Date, "created"),
    ],
    measure: None,
    time: "created_at",
};

const LEADS: Catalogue = Catalogue {
    entity: AskEntity::Leads,
    fields: &[
        field("lead_status", "l.lead_status", enum_kind!(LeadStatus), "status"),
        field("lead_source", "l.lead_source", enum_kind!(LeadSource), "source"),
        field("lead_stage", "l.lead_stage", enum_kind!(LeadStage), "stage"),
        field("owner", "l.assigned_to", Kind::User, "owner"),
        field("converted", "l.is_converted", Kind::Bool, "converted"),
        field("budget", "l.budget_cents", Kind::Money { currency: None }, "budget"),
        field("company", "l.company", Kind::Text, "company"),
        field("created_at", "l.created_at", Kind::Date, "created"),
    ],
    measure: Some("budget"),
    time: "created_at",
};

const ACTIVITIES: Catalogue = Catalogue {
    entity: AskEntity::Activities,
    fields: &[
        field("activity_type", "t.activity_type", enum_kind!(ActivityType), "type"),
        field("status", "t.status", enum_kind!(ActivityStatus), "status"),
        field("priority", "t.priority", enum_kind!(Priority), "priority"),
        field("owner", "t.assigned_to", Kind::User, "owner"),
        field("start_time", "t.start_time", Kind::Date, "start"),
        field("due_date", "t.due_date", Kind::Date, "due date"),
        field("duration_minutes", "t.duration_minutes", Kind::Number, "duration (minutes)"),
        field("created_at", "t.created_at", Kind::Date, "created"),
        field(
            "overdue",
            "",
            Kind::Overdue { open: "t.status = 'planned'", due: "COALESCE(t.due_date, t.start_time)" },
            "overdue",
        ),
    ],
    measure: None,
    time: "start_time",
};

const TASKS: Catalogue = Catalogue {
    entity: AskEntity::Tasks,
    fields: &[
        field("status", "k.status", enum_kind!(TaskStatus), "status"),
        field("priority", "k.priority", enum_kind!(Priority), "priority"),
        field("owner", "k.assigned_to", Kind::User, "assignee"),
        field("due_date", "k.due_date", Kind::Date, "due date"),
        field("completed_at", "k.completed_at", Kind::Date, "completed"),
        field("created_at", "k.created_at", Kind::Date, "created"),
        field(
            "overdue",
            "",
            Kind::Overdue { open: "k.status IN ('pending', 'in_progress')", due: "k.due_date" },
            "overdue",
        ),
    ],
    measure: None,
    time: "due_date",
};

const ORDERS: Catalogue = Catalogue {
    entity: AskEntity::Orders,
    fields: &[
        field("status", "d.status", enum_kind!(OrderStatus), "status"),
        field("owner", "d.created_by", Kind::User, "placed by"),
        field("product_id", "d.product_id", Kind::Text, "product"),
        field("total_amount", "d.total_amount_cents", Kind::Money { currency: Some("d.currency") }, "total amount"),
        field("quantity", "d.quantity", Kind::Number, "quantity"),
        field("order_date", "d.order_date", Kind::Date, "order date"),
        field("created_at", "d.created_at", Kind::Date, "created"),
    ],
    measure: Some("total_amount"),
    time: "order_date",
};

/// The catalogue of an entity.
pub fn of(entity: AskEntity) -> &'static Catalogue {
    match entity {
        AskEntity::Accounts => &ACCOUNTS,
        AskEntity::Contacts => &CONTACTS,
        AskEntity::Leads => &LEADS,
        AskEntity::Opportunities => &OPPORTUNITIES,
        AskEntity::Activities => &ACTIVITIES,
        AskEntity::Tasks => &TASKS,
        AskEntity::Orders => &ORDERS,
    }
}

/// Every field name of every entity (the JSON schema's allow-list for `field`).
pub fn all_field_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> =
        AskEntity::ALL.iter().flat_map(|e| of(*e).fields.iter().map(|f| f.name)).collect();
    names.sort_unstable();
    names.dedup();
    names
}
