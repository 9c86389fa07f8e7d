//! The language-model engine: an OpenAI-compatible `POST {LANES_LLM_URL}/chat/completions` that
//! translates the question into an `Interpretation` under a strict JSON schema. Its answer is
//! untrusted input: it is parsed into the typed `Interpretation` (unknown fields refused) and
//! then checked by `plan` like any other; it never becomes SQL. Any failure is returned as a
//! short reason, and the caller falls back to the built-in engine.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::catalogue;
use crate::{
    model::{AskEntity, Interpretation},
    server::{AppState, integrations},
};

/// The service name in metrics and logs.
const SERVICE: &str = "llm";
/// A model that takes longer than this is not worth waiting for: the built-in engine answers.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(12);

/// Why the model's answer was not used, in words for the asker (details go to the log only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

/// The JSON schema of `Interpretation` in the strict form OpenAI's structured outputs accept
/// (every property required, nullable ones typed with `null`).
pub fn schema() -> Value {
    let entities: Vec<&str> = AskEntity::ALL.iter().map(|e| e.as_str()).collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["entity", "filters", "time", "answer", "measure", "group_by", "limit", "search"],
        "properties": {
            "entity": {"type": "string", "enum": entities},
            "filters": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["field", "op", "value"],
                    "properties": {
                        "field": {"type": "string", "enum": catalogue::all_field_names()},
                        "op": {"type": "string", "enum": ["eq", "ne", "in", "gt", "gte", "lt", "lte"]},
                        "value": {"anyOf": [
                            {"type": "string"}, {"type": "number"}, {"type": "boolean"},
                            {"type": "array", "items": {"type": "string"}}
                        ]}
                    }
                }
            },
            "time": {"anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["field", "from", "to"],
                    "properties": {
                        "field": {"type": "string"},
                        "from": {"type": ["string", "null"], "description": "YYYY-MM-DD, included"},
                        "to": {"type": ["string", "null"], "description": "YYYY-MM-DD, included"}
                    }
                }
            ]},
            "answer": {"type": "string", "enum": ["list", "count", "sum", "average", "top", "group"]},
            "measure": {"type": ["string", "null"]},
            "group_by": {"type": ["string", "null"]},
            "limit": {"type": ["integer", "null"]},
            "search": {"type": ["string", "null"]}
        }
    })
}

/// The instructions: what the JSON means, today's date, and every entity's fields.
pub fn instructions(today: NaiveDate) -> String {
    let mut text = format!(
        "You translate questions about a CRM into one JSON query object. Today is {today}. \
         Answer with the JSON object only. Choose the entity the question is about; put conditions in \
         `filters` (field, op, value), a date range in `time` (whole days, both ends included), and the kind \
         of answer in `answer`: list, count, sum, average (of `measure`), top (the `limit` records with the \
         largest `measure`) or group (counts per `group_by`, with sums of `measure` if given). The value \"me\" \
         of an owner field means the person asking. Use only these fields:\n"
    );
    for entity in AskEntity::ALL {
        let catalogue = catalogue::of(entity);
        text.push_str(&format!("- {}:", entity.as_str()));
        for field in catalogue.fields {
            text.push_str(&format!(" {} ({});", field.name, field.kind.describe()));
        }
        text.push('\n');
    }
    text
}

/// Asks the model; `Ok` only for an answer that parses as an `Interpretation`.
pub async fn interpret(
    state: &AppState,
    base_url: &str,
    question: &str,
    today: NaiveDate,
) -> Result<Interpretation, Failure> {
    let settings = &state.settings.integrations;
    let body = json!({
        "model": settings.llm_model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": instructions(today)},
            {"role": "user", "content": question}
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "interpretation", "strict": true, "schema": schema()}
        }
    });
    let mut request =
        state.http.post(format!("{}/chat/completions", base_url.trim_end_matches('/'))).timeout(TIMEOUT).json(&body);
    if let Some(key) = &settings.llm_api_key {
        request = request.bearer_auth(key.expose());
    }
    let fail = |log: String, say: &str| {
        tracing::warn!(service = SERVICE, reason = %log, "language model answer not used");
        Failure(say.to_owned())
    };
    let response = integrations::send(SERVICE, request).await.map_err(|e| {
        fail(
            format!("transport: timeout={} connect={}", e.is_timeout(), e.is_connect()),
            "The language model could not be reached",
        )
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(
            format!("HTTP {status}"),
            &format!("The language model answered with an error (HTTP {})", status.as_u16()),
        ));
    }
    let unusable = "The language model's answer was not a valid query";
    let reply: Value = response.json().await.map_err(|_| fail("reply is not JSON".into(), unusable))?;
    let message = &reply["choices"][0]["message"];
    let content = message["content"]
        .as_str()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| message["tool_calls"][0]["function"]["arguments"].as_str())
        .ok_or_else(|| fail("no content in the reply".into(), unusable))?;
    let content = content.trim().trim_start_matches("```json").trim_start_matches("```").trim_end_matches("```");
    serde_json::from_str::<Interpretation>(content).map_err(|e| fail(format!("not an interpretation: {e}"), unusable))
}
