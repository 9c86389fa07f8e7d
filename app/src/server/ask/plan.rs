//! Checks an `Interpretation` against the catalogue and resolves it into a `Plan`: static
//! fields and typed values, nothing else. Every interpretation passes through here, the built-in
//! engine's and the language model's alike, so a model can only ask what the allow-list allows.

use chrono::NaiveDate;

use super::catalogue::{self, Catalogue, Field, Kind};
use crate::{
    model::{AskAnswer, AskOp, AskValue, Interpretation, money, validate},
    server::sql::SqlValue,
};

/// Records a `list` answer shows by default, and at most.
pub const MAX_RECORDS: i64 = 100;
/// Records a `top` answer shows when the question says no number.
pub const DEFAULT_TOP: i64 = 5;
pub const MAX_SEARCH_CHARS: usize = 200;

/// One checked condition, its values ready to bind.
#[derive(Debug, Clone)]
pub struct Condition {
    pub field: &'static Field,
    pub op: AskOp,
    pub values: Vec<SqlValue>,
}

/// A checked interpretation, ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub interpretation: Interpretation,
    pub catalogue: &'static Catalogue,
    pub conditions: Vec<Condition>,
    /// The date field and the stored-time bounds (inclusive) of the time range.
    pub time: Option<(&'static Field, Option<String>, Option<String>)>,
    pub measure: Option<&'static Field>,
    pub group_by: Option<&'static Field>,
    pub limit: i64,
    pub search: Option<String>,
}

/// Checks `interpretation`; `me` is whose records "me" means. The error says which part is wrong.
pub fn plan(interpretation: Interpretation, me: &str) -> Result<Plan, String> {
    let catalogue = catalogue::of(interpretation.entity);
    let entity = interpretation.entity.as_str();
    let known = |name: &str, part: &str| {
        catalogue
            .field(name)
            .ok_or_else(|| format!("{part}: {entity} have no field {name:?} (known: {})", catalogue.names()))
    };
    let mut conditions = Vec::new();
    for (i, condition) in interpretation.filters.iter().enumerate() {
        let part = format!("filters[{i}]");
        let field = known(&condition.field, &format!("{part}.field"))?;
        let values = values_for(field, condition.op, &condition.value, me)
            .map_err(|problem| format!("{part}: {} {}", field.name, problem))?;
        conditions.push(Condition { field, op: condition.op, values });
    }
    let time = match &interpretation.time {
        None => None,
        Some(range) => {
            let field = known(&range.field, "time.field")?;
            if !matches!(field.kind, Kind::Date) {
                return Err(format!("time.field: {} is not a date", field.name));
            }
            let day = |value: &Option<String>, part: &str| -> Result<Option<NaiveDate>, String> {
                value
                    .as_deref()
                    .map(|d| {
                        NaiveDate::parse_from_str(d, "%Y-%m-%d")
                            .map_err(|_| format!("time.{part}: {d:?} is not a date YYYY-MM-DD"))
                    })
                    .transpose()
            };
            let (from, to) = (day(&range.from, "from")?, day(&range.to, "to")?);
            if from.is_none() && to.is_none() {
                return Err("time: give from, to or both".into());
            }
            if let (Some(from), Some(to)) = (from, to)
                && to < from
            {
                return Err("time: to is before from".into());
            }
            Some((
                field,
                from.map(|d| format!("{}T00:00:00Z", d.format("%Y-%m-%d"))),
                to.map(|d| format!("{}T23:59:59Z", d.format("%Y-%m-%d"))),
            ))
        }
    };
    let measure = match &interpretation.measure {
        None => None,
        Some(name) => {
            let field = known(name, "measure")?;
            if !field.kind.is_measure() {
                return Err(format!("measure: {name} is not a number"));
            }
            Some(field)
        }
    };
    let group_by = match &interpretation.group_by {
        None => None,
        Some(name) => {
            let field = known(name, "group_by")?;
            if !field.kind.is_groupable() {
                return Err(format!("group_by: {entity} cannot be grouped by {name}"));
            }
            Some(field)
        }
    };
    match interpretation.answer {
        AskAnswer::Sum | AskAnswer::Average | AskAnswer::Top if measure.is_none() => {
            return Err("measure: this answer needs a number field to work on".into());
        }
        AskAnswer::Group if group_by.is_none() => return Err("group_by: a group answer needs a field".into()),
        _ => {}
    }
    let default_limit = if interpretation.answer == AskAnswer::Top { DEFAULT_TOP } else { MAX_RECORDS };
    let limit = interpretation.limit.unwrap_or(default_limit);
    if !(1..=MAX_RECORDS).contains(&limit) {
        return Err(format!("limit: must be from 1 to {MAX_RECORDS}"));
    }
    let search = match interpretation.search.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(words) if words.chars().count() > MAX_SEARCH_CHARS => {
            return Err(format!("search: at most {MAX_SEARCH_CHARS} characters"));
        }
        Some(words) => Some(words.to_owned()),
    };
    Ok(Plan { interpretation, catalogue, conditions, time, measure, group_by, limit, search })
}

/// The values of one condition, typed for its field, or what is wrong with them.
fn values_for(field: &Field, op: AskOp, value: &AskValue, me: &str) -> Result<Vec<SqlValue>, String> {
    use AskOp::*;
    let texts = |value: &AskValue| -> Result<Vec<String>, String> {
        match (op, value) {
            (In, AskValue::List(items)) if !items.is_empty() && items.len() <= 20 => Ok(items.clone()),
            (In, _) => Err("in: needs a list of 1 to 20 values".into()),
            (Eq | Ne, AskValue::Text(text)) => Ok(vec![text.clone()]),
            (Eq | Ne, _) => Err("needs a text value".into()),
            _ => Err(format!("does not take the operator {op:?}").to_lowercase()),
        }
    };
    let number = |value: &AskValue| -> Result<f64, String> {
        match (op, value) {
            (Eq | Ne | Gt | Gte | Lt | Lte, AskValue::Number(n)) if n.is_finite() => Ok(*n),
            (Eq | Ne | Gt | Gte | Lt | Lte, _) => Err("needs a number".into()),
            _ => Err(format!("does not take the operator {op:?}").to_lowercase()),
        }
    };
    Ok(match field.kind {
        Kind::Enum { check, .. } => {
            let values = texts(value)?;
            for v in &values {
                check(v).map_err(|e| format!("{v:?}: {e}"))?;
            }
            values.into_iter().map(SqlValue::from).collect()
        }
        Kind::User => texts(value)?
            .into_iter()
            .map(|v| {
                let user = if v == "me" { me.to_owned() } else { v };
                if user.chars().count() > 64 { Err("is not a user id".to_owned()) } else { Ok(SqlValue::from(user)) }
            })
            .collect::<Result<_, _>>()?,
        Kind::Text => texts(value)?
            .into_iter()
            .map(|v| {
                if v.chars().count() > MAX_SEARCH_CHARS {
                    Err(format!("at most {MAX_SEARCH_CHARS} characters"))
                } else {
                    Ok(SqlValue::from(v.to_lowercase()))
                }
            })
            .collect::<Result<_, _>>()?,
        Kind::Bool => match (op, value) {
            (Eq | Ne, AskValue::Bool(b)) => vec![SqlValue::from(*b)],
            _ => return Err("takes eq or ne with true or false".into()),
        },
        Kind::Money { .. } => {
            let cents = money::to_cents(number(value)?).ok_or("is out of range")?;
            vec![SqlValue::from(cents)]
        }
        Kind::Number => vec![SqlValue::from(number(value)?)],
        Kind::Date => match (op, value) {
            (Gt | Gte | Lt | Lte, AskValue::Text(text)) => {
                let at = validate::normalize_time(text).ok_or_else(|| format!("{text:?} is not a date"))?;
                vec![SqlValue::from(at)]
            }
            _ => return Err("takes gt, gte, lt or lte with a date (or use time)".into()),
        },
        Kind::Overdue { .. } => match (op, value) {
            (Eq, AskValue::Bool(true)) => Vec::new(),
            _ => return Err("only takes eq true".into()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AskCondition, AskEntity, AskTimeRange};

    fn interpretation(entity: AskEntity, filters: Vec<AskCondition>) -> Interpretation {
        Interpretation {
            entity,
            filters,
            time: None,
            answer: AskAnswer::List,
            measure: None,
            group_by: None,
            limit: None,
            search: None,
        }
    }

    fn condition(field: &str, op: AskOp, value: AskValue) -> AskCondition {
        AskCondition { field: field.into(), op, value }
    }

    #[test]
    fn refuses_what_the_catalogue_does_not_list() {
        let bad = [
            (AskEntity::Opportunities, condition("amount_cents; DROP TABLE users", AskOp::Eq, AskValue::Number(1.0))),
            (AskEntity::Opportunities, condition("stage", AskOp::Eq, AskValue::Text("won' OR 1=1 --".into()))),
            (AskEntity::Opportunities, condition("stage", AskOp::Gt, AskValue::Text("proposal".into()))),
            (AskEntity::Opportunities, condition("amount", AskOp::Gt, AskValue::Text("lots".into()))),
            (AskEntity::Tasks, condition("overdue", AskOp::Eq, AskValue::Bool(false))),
            (AskEntity::Leads, condition("stage", AskOp::Eq, AskValue::Text("proposal".into()))),
            (AskEntity::Orders, condition("created_at", AskOp::Eq, AskValue::Text("2026-01-01".into()))),
        ];
        for (entity, condition) in bad {
            let text = format!("{condition:?}");
            assert!(plan(interpretation(entity, vec![condition]), "USR_ME").is_err(), "{text}");
        }
        let mut sum = interpretation(AskEntity::Tasks, vec![]);
        sum.answer = AskAnswer::Sum;
        assert!(plan(sum, "USR_ME").unwrap_err().starts_with("measure"));
        let mut range = interpretation(AskEntity::Opportunities, vec![]);
        range.time = Some(AskTimeRange { field: "stage".into(), from: Some("2026-01-01".into()), to: None });
        assert!(plan(range, "USR_ME").unwrap_err().starts_with("time.field"));
    }

    #[test]
    fn resolves_me_money_and_days() {
        let mut question = interpretation(
            AskEntity::Opportunities,
            vec![
                condition("owner", AskOp::Eq, AskValue::Text("me".into())),
                condition("amount", AskOp::Gt, AskValue::Number(50_000.0)),
            ],
        );
        question.time = Some(AskTimeRange {
            field: "close_date".into(),
            from: Some("2026-06-01".into()),
            to: Some("2026-06-30".into()),
        });
        let plan = plan(question, "USR_ME").unwrap();
        assert_eq!(plan.conditions[0].values, vec![SqlValue::from("USR_ME")]);
        assert_eq!(plan.conditions[1].values, vec![SqlValue::from(5_000_000_i64)]);
        let (_, from, to) = plan.time.unwrap();
        assert_eq!((from.as_deref(), to.as_deref()), (Some("2026-06-01T00:00:00Z"), Some("2026-06-30T23:59:59Z")));
        assert_eq!(plan.limit, MAX_RECORDS);
    }
}
