//! Lists: filters from the query string, search, sorting and cursor paging, turned into SQL.
//! Every list of the API goes through here, so `limit`, `cursor`, `q` and `sort` behave alike.

use std::collections::HashSet;

use crate::{
    error::AppError,
    model::validate,
    server::sql::{Sql, SqlValue},
};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

/// How a query parameter filters a list.
#[derive(Debug, Clone, Copy)]
pub enum FilterKind {
    /// One of a closed set of values (checked: an unknown value is a 400).
    Enum(fn(&str) -> Result<(), String>),
    /// A record id with this prefix.
    Id(&'static str),
    /// A user id, or `me` for the caller.
    User,
    /// Exact text (case-insensitive).
    Text,
    /// `true` or `false` on a 0/1 column.
    Bool,
    /// Rows at or after this time.
    From,
    /// Rows at or before this time (a plain date includes the whole day).
    To,
}

#[derive(Debug, Clone, Copy)]
pub struct Filter {
    pub param: &'static str,
    /// SQL expression (qualified column) the parameter applies to.
    pub column: &'static str,
    pub kind: FilterKind,
}

/// A sort order a client may ask for with `sort=name` or `sort=-name` (descending).
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    pub name: &'static str,
    /// A non-NULL SQL expression.
    pub expr: &'static str,
}

/// What a list accepts: its filters, the columns `q` searches, and its sort orders (the first
/// is the default, newest first).
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    pub filters: &'static [Filter],
    pub search: &'static [&'static str],
    pub sorts: &'static [SortKey],
    /// Qualified id column: the tie-breaker that makes the order total.
    pub id_column: &'static str,
}

/// A parsed list request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub limit: i64,
    sort: SortKey,
    descending: bool,
    after: Option<(SqlValue, String)>,
    conditions: Vec<(&'static str, &'static str, SqlValue)>,
    search: Option<String>,
}

impl ListQuery {
    /// Parses query parameters against `spec`. Unknown parameters and bad values are 400s that
    /// name the parameter: a typo must not silently return everything.
    pub fn parse(pairs: &[(String, String)], spec: &ListSpec, me: &str) -> Result<ListQuery, AppError> {
        let mut seen = HashSet::new();
        let default_sort = spec.sorts[0];
        let mut query = ListQuery {
            limit: DEFAULT_LIMIT,
            sort: default_sort,
            descending: true,
            after: None,
            conditions: Vec::new(),
            search: None,
        };
        let mut cursor = None;
        for (name, value) in pairs {
            if !seen.insert(name.as_str()) {
                return Err(AppError::invalid(name, format!("{name}: given more than once")));
            }
            match name.as_str() {
                "limit" => {
                    query.limit =
                        value.trim().parse::<i64>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
                            AppError::invalid("limit", format!("limit: must be a whole number from 1 to {MAX_LIMIT}"))
                        })?;
                }
                "cursor" => cursor = Some(value.clone()),
                "q" => {
                    let q = value.trim();
                    if q.chars().count() > 200 {
                        return Err(AppError::invalid("q", "q: must be at most 200 characters"));
                    }
                    if !q.is_empty() {
                        query.search = Some(q.to_lowercase());
                    }
                }
                "sort" => {
                    let (descending, key) = match value.strip_prefix('-') {
                        Some(key) => (true, key),
                        None => (false, value.as_str()),
                    };
                    query.sort = *spec.sorts.iter().find(|s| s.name == key).ok_or_else(|| {
                        let allowed: Vec<&str> = spec.sorts.iter().map(|s| s.name).collect();
                        AppError::invalid(
                            "sort",
                            format!("sort: must be one of {} (prefix - for descending)", allowed.join(", ")),
                        )
                    })?;
                    query.descending = descending;
                }
                _ => {
                    let filter = spec.filters.iter().find(|f| f.param == name).ok_or_else(|| {
                        let mut known: Vec<&str> = vec!["limit", "cursor", "q", "sort"];
                        known.extend(spec.filters.iter().map(|f| f.param));
                        AppError::invalid(name, format!("{name}: unknown parameter (known: {})", known.join(", ")))
                    })?;
                    query.conditions.push(filter_condition(filter, value, me)?);
                }
            }
        }
        if let Some(cursor) = cursor {
            query.after = Some(decode_cursor(&cursor, &query)?);
        }
        Ok(query)
    }

    /// Appends this query's conditions (`AND …`) to `sql`.
    pub fn push_conditions(&self, sql: &mut Sql, spec: &ListSpec) {
        for (column, op, value) in &self.conditions {
            sql.push(&format!(" AND {column} {op} ")).bind(value.clone());
        }
        if let Some(q) = &self.search {
            let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            sql.push(" AND (");
            for (i, column) in spec.search.iter().enumerate() {
                if i > 0 {
                    sql.push(" OR ");
                }
                sql.push(&format!("LOWER(COALESCE({column}, '')) LIKE ")).bind(pattern.clone()).push(" ESCAPE '\\'");
            }
            sql.push(")");
        }
        if let Some((value, id)) = &self.after {
            let op = if self.descending { "<" } else { ">" };
            let expr = self.sort.expr;
            sql.push(&format!(" AND ({expr} {op} "))
                .bind(value.clone())
                .push(&format!(" OR ({expr} = "))
                .bind(value.clone())
                .push(&format!(" AND {} {op} ", spec.id_column))
                .bind(id.clone())
                .push("))");
        }
    }

    /// Appends `ORDER BY … LIMIT n+1` (one extra row tells whether there is a next page).
    pub fn push_order_and_limit(&self, sql: &mut Sql, spec: &ListSpec) {
        let direction = if self.descending { "DESC" } else { "ASC" };
        sql.push(&format!(" ORDER BY {} {direction}, {} {direction} LIMIT ", self.sort.expr, spec.id_column))
            .bind(self.limit + 1);
    }

    /// The SQL expression to select as `sort_key`, so the next cursor can be built.
    pub fn sort_expr(&self) -> &'static str {
        self.sort.expr
    }

    pub fn limit(&self) -> i64 {
        self.limit
    }

    /// Trims the extra row and returns the cursor of the next page, built from the last row's
    /// sort key and id.
    pub fn finish<T>(&self, mut rows: Vec<(T, SqlValue, String)>) -> (Vec<T>, Option<String>) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = if more {
            rows.last().map(|(_, key, id)| encode_cursor(self.sort.name, self.descending, key, id))
        } else {
            None
        };
        (rows.into_iter().map(|(item, _, _)| item).collect(), next)
    }
}

fn filter_condition(
    filter: &Filter,
    value: &str,
    me: &str,
) -> Result<(&'static str, &'static str, SqlValue), AppError> {
    let name = filter.param;
    let value = value.trim();
    let bad = |what: String| AppError::invalid(name, format!("{name}: {what}"));
    Ok(match filter.kind {
        FilterKind::Enum(check) => {
            check(value).map_err(bad)?;
            (filter.column, "=", SqlValue::from(value))
        }
        FilterKind::Id(prefix) => {
            if !crate::server::ids::is_valid(prefix, value) {
                return Err(bad(format!("{value:?} is not an id of the form {prefix}XXXXXXXX")));
            }
            (filter.column, "=", SqlValue::from(value))
        }
        FilterKind::User => {
            let user = if value == "me" { me } else { value };
            (filter.column, "=", SqlValue::from(user))
        }
        FilterKind::Text => {
            if value.chars().count() > 200 {
                return Err(bad("must be at most 200 characters".into()));
            }
            (filter.column, "=", SqlValue::from(value.to_owned()))
        }
        FilterKind::Bool => match value {
            "true" | "1" => (filter.column, "=", SqlValue::from(1_i64)),
            "false" | "0" => (filter.column, "=", SqlValue::from(0_i64)),
            _ => return Err(bad("must be true or false".into())),
        },
        FilterKind::From | FilterKind::To => {
            let at = validate::normalize_time(value)
                .ok_or_else(|| bad(format!("{value:?} is not a date (YYYY-MM-DD) or RFC 3339 date-time")))?;
            if matches!(filter.kind, FilterKind::From) {
                (filter.column, ">=", SqlValue::from(at))
            } else {
                // A plain date means "until the end of that day".
                let at = if value.len() == 10 { at.replace("T00:00:00Z", "T23:59:59Z") } else { at };
                (filter.column, "<=", SqlValue::from(at))
            }
        }
    })
}

const CURSOR_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_cursor(sort: &str, descending: bool, key: &SqlValue, id: &str) -> String {
    let key = match key {
        SqlValue::Text(Some(t)) => format!("t{t}"),
        SqlValue::Int(Some(n)) => format!("i{n}"),
        SqlValue::Real(Some(x)) => format!("r{x}"),
        _ => "n".to_owned(),
    };
    let plain = format!("{sort}\u{1f}{}\u{1f}{key}\u{1f}{id}", u8::from(descending));
    let bytes = plain.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(CURSOR_ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn decode_cursor(cursor: &str, query: &ListQuery) -> Result<(SqlValue, String), AppError> {
    let bad = || AppError::invalid("cursor", "cursor: not a cursor from this list (use next_cursor as given)");
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in cursor.bytes() {
        let v = CURSOR_ALPHABET.iter().position(|&b| b == c).ok_or_else(bad)?;
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    let [sort, descending, key, id] = parts.as_slice() else { return Err(bad()) };
    if *sort != query.sort.name || *descending != if query.descending { "1" } else { "0" } {
        return Err(AppError::invalid("cursor", "cursor: was made for another sort order"));
    }
    let key = match key.split_at_checked(1) {
        Some(("t", t)) => SqlValue::from(t.to_owned()),
        Some(("i", n)) => SqlValue::from(n.parse::<i64>().map_err(|_| bad())?),
        Some(("r", x)) => SqlValue::from(x.parse::<f64>().map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    Ok((key, (*id).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: ListSpec = ListSpec {
        filters: &[
            Filter { param: "status", column: "a.status", kind: FilterKind::Enum(crate::model::RecordStatus::check) },
            Filter { param: "is_closed", column: "o.is_closed", kind: FilterKind::Bool },
        ],
        search: &["a.name"],
        sorts: &[SortKey { name: "created_at", expr: "a.created_at" }, SortKey { name: "name", expr: "a.name" }],
        id_column: "a.account_id",
    };

    fn parse(pairs: &[(&str, &str)]) -> Result<ListQuery, AppError> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ListQuery::parse(&pairs, &SPEC, "USR_ME")
    }

    #[test]
    fn rejects_bad_parameters_by_name() {
        for (pairs, field) in [
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "1001")], "limit"),
            (vec![("limit", "ten")], "limit"),
            (vec![("status", "dormant")], "status"),
            (vec![("is_closed", "maybe")], "is_closed"),
            (vec![("sort", "color")], "sort"),
            (vec![("colour", "red")], "colour"),
            (vec![("cursor", "%%%")], "cursor"),
        ] {
            let err = parse(&pairs).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{pairs:?}");
            assert!(err.detail.starts_with(field), "{}", err.detail);
        }
        assert_eq!(parse(&[("limit", "1000")]).unwrap().limit(), 1000);
        assert_eq!(parse(&[]).unwrap().limit(), DEFAULT_LIMIT);
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_sort() {
        let query = parse(&[("sort", "name")]).unwrap();
        let cursor = encode_cursor("name", false, &SqlValue::from("Acme ∆"), "ACC_AAAAAAAA");
        assert_eq!(decode_cursor(&cursor, &query).unwrap(), (SqlValue::from("Acme ∆"), "ACC_AAAAAAAA".to_owned()));
        let other = parse(&[]).unwrap();
        assert!(decode_cursor(&cursor, &other).is_err());
    }

    #[test]
    fn builds_conditions_with_placeholders() {
        let query = parse(&[("status", "active"), ("q", "50%_off")]).unwrap();
        let mut sql = Sql::new("SELECT 1 FROM accounts a WHERE 1=1");
        query.push_conditions(&mut sql, &SPEC);
        query.push_order_and_limit(&mut sql, &SPEC);
        assert_eq!(
            sql.text(),
            "SELECT 1 FROM accounts a WHERE 1=1 AND a.status = $1 AND (LOWER(COALESCE(a.name, '')) LIKE $2 ESCAPE '\\') \
             ORDER BY a.created_at DESC, a.account_id DESC LIMIT $3"
        );
    }
}
