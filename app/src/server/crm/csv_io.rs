//! CSV export and import of accounts, contacts and leads.
//!
//! Export is safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return is prefixed with `'`, so it is shown as text and never run as a formula.
//! Import is all or nothing: every row is validated by the same rules as the API, inside one
//! transaction; any bad row rolls everything back and the answer lists each bad row by line.

use serde::{Serialize, de::DeserializeOwned};

use super::{
    Access,
    resource::{self, Creatable, Resource},
};
use crate::{error::AppError, server::AppState};

/// Neutralises spreadsheet formulas (OWASP's CSV injection advice).
pub fn safe_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() }
}

/// Writes `records` as CSV with `columns` as the header, taking each column from the record's
/// JSON form (so exported names are the API's field names).
pub fn export<T: Serialize>(columns: &[&str], records: &[T]) -> Result<String, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |e: &dyn std::fmt::Display| crate::server::error::internal("csv export", e);
    writer.write_record(columns).map_err(|e| internal(&e))?;
    for record in records {
        let value = serde_json::to_value(record).map_err(|e| internal(&e))?;
        let row: Vec<String> = columns
            .iter()
            .map(|column| match &value[*column] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => safe_cell(s),
                other => safe_cell(&other.to_string()),
            })
            .collect();
        writer.write_record(&row).map_err(|e| internal(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| internal(&e))?;
    String::from_utf8(bytes).map_err(|e| internal(&e))
}

/// One row that could not be imported.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub detail: String,
}

/// The answer to an import.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    pub ids: Vec<String>,
    pub errors: Vec<RowError>,
}

/// Most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// Parses CSV text into inputs of type `T`: the header names fields; empty cells are absent;
/// numbers and booleans are read as such where the field wants them. Returns each row with its
/// line number, or the errors of every bad row.
pub fn parse_rows<T: DeserializeOwned>(
    text: &str,
    numeric: &[&str],
    boolean: &[&str],
) -> Result<Vec<(u64, T)>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim_start_matches('\u{feff}').to_owned()).collect(),
        Err(e) => return Err(vec![RowError { line: 1, detail: format!("unreadable header: {e}") }]),
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = record.as_ref().ok().and_then(|r| r.position()).map(|p| p.line()).unwrap_or(index as u64 + 2);
        if index >= MAX_IMPORT_ROWS {
            errors.push(RowError { line, detail: format!("at most {MAX_IMPORT_ROWS} rows per import") });
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError { line, detail: format!("unreadable row: {e}") });
                continue;
            }
        };
        let mut object = serde_json::Map::new();
        let mut bad = None;
        for (name, cell) in header.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            // Exported cells may carry the formula guard; take it off again.
            let cell = cell.strip_prefix('\'').filter(|rest| rest.starts_with(['=', '+', '-', '@'])).unwrap_or(cell);
            let value = if numeric.contains(&name.as_str()) {
                match cell.parse::<f64>() {
                    Ok(n) => serde_json::json!(n),
                    Err(_) => {
                        bad = Some(format!("{name}: {cell:?} is not a number"));
                        break;
                    }
                }
            } else if boolean.contains(&name.as_str()) {
                match cell.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "1" => serde_json::Value::Bool(true),
                    "false" | "no" | "0" => serde_json::Value::Bool(false),
                    _ => {
                        bad = Some(format!("{name}: {cell:?} is not true or false"));
                        break;
                    }
                }
            } else {
                serde_json::Value::String(cell.to_owned())
            };
            object.insert(name.clone(), value);
        }
        if let Some(detail) = bad {
            errors.push(RowError { line, detail });
            continue;
        }
        // Integers in JSON for integer fields (employee_count): 150.0 → 150.
        for value in object.values_mut() {
            if let Some(n) = value.as_f64()
                && n.fract() == 0.0
                && n.abs() < 9.0e15
            {
                *value = serde_json::json!(n as i64);
            }
        }
        match serde_json::from_value::<T>(serde_json::Value::Object(object)) {
            Ok(input) => rows.push((line, input)),
            Err(e) => errors.push(RowError { line, detail: e.to_string() }),
        }
    }
    if errors.is_empty() && rows.is_empty() {
        // An import that imports nothing is a mistake (a wrong file, a lost header), not a success.
        errors.push(RowError {
            line: 1,
            detail: "no rows to import: the first line names the fields, each further line is one record".into(),
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// A record type that can be imported from CSV (created by its `Creatable` rules).
pub trait Importable: Creatable {
    /// Fields read as numbers and as booleans.
    const NUMERIC: &'static [&'static str];
    const BOOLEAN: &'static [&'static str];
    /// Columns of the export, in order.
    const EXPORT_COLUMNS: &'static [&'static str];
}

/// Imports CSV text, all or nothing. Bad rows are reported (and nothing is stored) in the
/// returned report; only unexpected failures are errors.
pub async fn import<R: Importable>(state: &AppState, access: &Access, text: &str) -> Result<ImportReport, AppError> {
    access.ensure_can_create()?;
    let rows = match parse_rows::<R::Input>(text, R::NUMERIC, R::BOOLEAN) {
        Ok(rows) => rows,
        Err(errors) => return Ok(ImportReport { imported: 0, ids: Vec::new(), errors }),
    };
    let mut tx = state.db.begin_write().await?;
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (line, input) in rows {
        match R::create_in(&mut tx, state, access, input).await {
            Ok(id) => ids.push(id),
            Err(e) if e.status() < 500 => errors.push(RowError { line, detail: e.detail }),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Ok(ImportReport { imported: 0, ids: Vec::new(), errors });
    }
    tx.commit().await?;
    Ok(ImportReport { imported: ids.len(), ids, errors })
}

/// Every record the caller may see that matches the list filters in `pairs`, as CSV.
pub async fn export_all<R>(state: &AppState, access: &Access, pairs: &[(String, String)]) -> Result<String, AppError>
where
    R: Importable + Resource + Serialize,
{
    let mut pairs: Vec<(String, String)> =
        pairs.iter().filter(|(k, _)| k != "limit" && k != "cursor").cloned().collect();
    pairs.push(("limit".into(), super::list::MAX_LIMIT.to_string()));
    let mut records: Vec<R> = Vec::new();
    loop {
        let (page, next) = resource::list::<R>(state, access, &pairs).await?;
        records.extend(page);
        match next {
            Some(cursor) if records.len() < MAX_EXPORT_ROWS => {
                pairs.retain(|(k, _)| k != "cursor");
                pairs.push(("cursor".into(), cursor));
            }
            _ => break,
        }
    }
    export(R::EXPORT_COLUMNS, &records)
}

/// Most rows one export writes.
pub const MAX_EXPORT_ROWS: usize = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(safe_cell("+1-555-0123"), "'+1-555-0123");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("TechCorp"), "TechCorp");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Row {
        name: String,
        #[serde(default)]
        employee_count: Option<i64>,
    }

    #[test]
    fn parses_rows_and_reports_bad_lines() {
        let rows = parse_rows::<Row>("name,employee_count\nAcme,150\n  Beta ,\n", &["employee_count"], &[]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.employee_count, Some(150));
        assert_eq!(rows[1].1.name, "Beta");
        let errors =
            parse_rows::<Row>("name,employee_count,color\nA,1,red\nB,x,\n", &["employee_count"], &[]).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3]);
        assert!(errors[0].detail.contains("color"));
    }
}
