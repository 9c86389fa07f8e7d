//! `POST /llm_query`: the built-in engine's accuracy on the question set (`tests/ask/questions.json`),
//! answers checked against seeded records, visibility, bad input, and the language-model path
//! against a stand-in that speaks OpenAI's chat-completions protocol.

use app::{
    model::Interpretation,
    server::ask::{interpret::interpret, plan::plan},
};
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use crate::{
    engines, engines_with_settings,
    helpers::{Engine, TestApp, detail},
    standin::{Reply, StandIn},
};

engines!(answers_match_the_seeded_records, bad_questions_are_400s);
engines_with_settings!(only_visible_records_are_counted, uses_a_valid_model_answer, falls_back_when_the_model_fails);

const QUESTIONS: &str = include_str!("../ask/questions.json");

/// The built-in engine on the question set: every expected interpretation must pass the
/// allow-list, and the engine must reach the set's threshold (it aims at all of them).
#[test]
fn built_in_engine_understands_the_question_set() {
    let set: Value = serde_json::from_str(QUESTIONS).unwrap();
    let today = NaiveDate::parse_from_str(set["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let threshold = set["threshold"].as_f64().unwrap();
    let questions = set["questions"].as_array().unwrap();
    assert!(questions.len() >= 60, "the set has {} questions", questions.len());
    let mut misses = Vec::new();
    for item in questions {
        let question = item["question"].as_str().unwrap();
        let expected: Interpretation = serde_json::from_value(item["expected"].clone())
            .unwrap_or_else(|e| panic!("expected interpretation of {question:?}: {e}"));
        assert!(
            plan(expected.clone(), "USR_TEST0001").is_ok(),
            "{question:?}: the expected interpretation is not valid"
        );
        match interpret(question, today) {
            Ok(got) if got.clone().normalized() == expected.clone().normalized() => {}
            Ok(got) => misses.push(format!("{question:?}\n  got      {}\n  expected {}", json!(got), json!(expected))),
            Err(e) => misses.push(format!("{question:?}: {e}")),
        }
    }
    let accuracy = (questions.len() - misses.len()) as f64 / questions.len() as f64;
    println!(
        "built-in engine accuracy: {:.1}% ({} of {} questions)",
        accuracy * 100.0,
        questions.len() - misses.len(),
        questions.len()
    );
    assert!(accuracy >= threshold, "accuracy {accuracy:.3} is below {threshold}:\n{}", misses.join("\n"));
    // The set aims at all of them: a miss is reported even above the threshold.
    assert!(misses.is_empty(), "misses:\n{}", misses.join("\n"));
}

async fn ask(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = app.post("/llm_query", Some(token), json!({ "query": query })).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

async fn create(app: &TestApp, token: &str, path: &str, body: Value, id: &str) -> String {
    let (status, body) = app.post(path, Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
    body[id].as_str().unwrap().to_owned()
}

fn ids(body: &Value, key: &str, id: &str) -> Vec<String> {
    let list = if body.get("result").is_some() { &body["result"][key] } else { &body[key] };
    list.as_array()
        .unwrap_or_else(|| panic!("{key} in {body}"))
        .iter()
        .map(|r| r[id].as_str().unwrap().to_owned())
        .collect()
}

/// Today at noon (inside "this month" whatever the time of the run) and a day a year back.
fn today_noon() -> String {
    format!("{}T12:00:00Z", Utc::now().date_naive())
}

fn last_year() -> String {
    format!("{}T12:00:00Z", Utc::now().date_naive() - chrono::Days::new(400))
}

/// Two accounts and four deals whose figures the answers are checked against.
async fn seed(app: &TestApp, token: &str) -> [String; 4] {
    let retail = create(
        app,
        token,
        "/accounts",
        json!({"name": "Corner Shop", "industry": "Retail", "account_type": "customer"}),
        "account_id",
    )
    .await;
    let plant =
        create(app, token, "/accounts", json!({"name": "Steel Plant", "industry": "Manufacturing"}), "account_id")
            .await;
    let deal = |account: &str, name: &str, stage: &str, amount: f64, close: String| json!({"account_id": account, "name": name, "stage": stage, "amount": amount, "close_date": close});
    let o1 = deal(&retail, "Shelving", "proposal", 60_000.0, today_noon());
    let o2 = deal(&plant, "Forklift fleet", "negotiation", 20_000.0, today_noon());
    let o3 = deal(&plant, "Conveyor", "closed_won", 100_000.0, last_year());
    let o4 = deal(&retail, "Racking", "closed_lost", 30_000.0, last_year());
    let mut out = Vec::new();
    for body in [o1, o2, o3, o4] {
        out.push(create(app, token, "/opportunities", body, "opportunity_id").await);
    }
    out.try_into().unwrap()
}

async fn answers_match_the_seeded_records(app: TestApp) {
    let token = app.admin_token().await;
    let [shelving, forklift, conveyor, _racking] = seed(&app, &token).await;

    let body = ask(&app, &token, "How many open deals are closing this month?").await;
    assert_eq!(body["query"], "How many open deals are closing this month?");
    assert_eq!(body["engine"], "built_in");
    assert!(body.get("note").is_none(), "{body}");
    assert_eq!(body["result"]["count"], 2, "{body}");
    assert_eq!(body["result"]["total"], 80_000.0, "{body}");
    assert_eq!(body["interpretation"]["entity"], "opportunities");
    assert_eq!(body["interpretation"]["answer"], "count");
    assert_eq!(
        body["natural_response"],
        "There are 2 open opportunities closing this month with a total value of $80.0k."
    );
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(timestamp).is_ok(), "{timestamp}");
    // The same question through the list API.
    let month = &body["interpretation"]["time"];
    let (_, list) = app
        .get(
            &format!(
                "/opportunities?is_closed=false&close_date_from={}&close_date_to={}",
                month["from"].as_str().unwrap(),
                month["to"].as_str().unwrap()
            ),
            Some(&token),
        )
        .await;
    let mut from_rest = ids(&list, "opportunities", "opportunity_id");
    let mut from_ask = ids(&body, "opportunities", "opportunity_id");
    from_rest.sort();
    from_ask.sort();
    assert_eq!(from_ask, from_rest);

    let body = ask(&app, &token, "Deals over $50k").await;
    let mut over = ids(&body, "opportunities", "opportunity_id");
    over.sort();
    let mut expected = vec![shelving.clone(), conveyor.clone()];
    expected.sort();
    assert_eq!(over, expected, "{body}");

    let body = ask(&app, &token, "Top 2 deals by amount").await;
    assert_eq!(ids(&body, "opportunities", "opportunity_id"), vec![conveyor.clone(), shelving.clone()]);
    assert_eq!(body["natural_response"], "The top 2 opportunities by amount: Conveyor, Shelving.");

    let body = ask(&app, &token, "Average deal size").await;
    assert_eq!(body["result"]["average"], 52_500.0, "{body}");
    assert_eq!(body["result"]["currency"], "USD");

    let body = ask(&app, &token, "What is the total value of won deals?").await;
    assert_eq!(body["result"]["total"], 100_000.0, "{body}");
    assert_eq!(body["natural_response"], "The total amount of the 1 opportunity where stage is closed won is $100k.");

    let body = ask(&app, &token, "Pipeline value by stage").await;
    let groups = body["result"]["groups"].as_array().unwrap();
    let by_stage: Vec<(String, i64, f64)> = groups
        .iter()
        .map(|g| (g["key"].as_str().unwrap().to_owned(), g["count"].as_i64().unwrap(), g["total"].as_f64().unwrap()))
        .collect();
    assert_eq!(by_stage, vec![("negotiation".into(), 1, 20_000.0), ("proposal".into(), 1, 60_000.0)], "{body}");

    let body = ask(&app, &token, "Deals by owner").await;
    assert_eq!(body["result"]["groups"][0]["count"], 4);
    assert_ne!(body["result"]["groups"][0]["label"], body["result"]["groups"][0]["key"], "owners show by name");

    let body = ask(&app, &token, "Retail accounts").await;
    assert_eq!(body["result"]["count"], 1);
    assert_eq!(body["result"]["accounts"][0]["name"], "Corner Shop");

    let body = ask(&app, &token, "Deals mentioning forklift").await;
    assert_eq!(ids(&body, "opportunities", "opportunity_id"), vec![forklift]);

    let body = ask(&app, &token, "How many overdue tasks do I have?").await;
    assert_eq!(body["result"]["count"], 0);
    assert_eq!(body["result"]["tasks"], json!([]));
    assert_eq!(body["natural_response"], "You have no overdue tasks.");
}

async fn only_visible_records_are_counted(engine: Engine) {
    let app = engine.app_with(&[("LANES_USER_VISIBILITY", "own")]).await;
    let owner = app.user_token("user").await;
    let other = app.user_token("user").await;
    let account =
        create(&app, &owner, "/accounts", json!({"name": "Private Co", "industry": "Retail"}), "account_id").await;
    let deal = create(
        &app,
        &owner,
        "/opportunities",
        json!({"account_id": account, "name": "Private deal", "amount": 9_000.0}),
        "opportunity_id",
    )
    .await;
    for question in
        ["How many deals are there?", "List deals", "Deals by owner", "Retail accounts", "Total value of deals"]
    {
        let body = ask(&app, &other, question).await;
        assert_eq!(body["result"]["count"], 0, "{question}: {body}");
        assert!(!body.to_string().contains(&deal) && !body.to_string().contains("Private"), "{question}: {body}");
        let body = ask(&app, &owner, question).await;
        assert_eq!(body["result"]["count"], 1, "{question} as the owner: {body}");
    }
    // Naming the owner in the context does not open their records either.
    let (_, me) = app.get("/auth/me", Some(&owner)).await;
    let (status, body) =
        app.post("/llm_query", Some(&other), json!({"query": "My deals", "context": {"user_id": me["user_id"]}})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(detail(&body).starts_with("context.user_id"));
    let admin = app.admin_token().await;
    let body = ask(&app, &admin, "How many deals are there?").await;
    assert_eq!(body["result"]["count"], 1);
}

async fn bad_questions_are_400s(app: TestApp) {
    let token = app.user_token("viewer").await;
    let long = "deals ".repeat(100);
    let cases = [
        (json!({"query": ""}), "query"),
        (json!({"query": "   "}), "query"),
        (json!({"query": long}), "query"),
        (json!({"query": "What is the meaning of life?"}), "query"),
        (json!({"query": "Deals by industry"}), "query"),
        (json!({"query": "Deals", "context": {"filters": {"colour": "red"}}}), "context.filters"),
        (json!({"query": "Deals", "context": {"filters": {"stage": "won' OR 1=1 --"}}}), "context.filters"),
        (json!({"question": "Deals"}), "query"),
    ];
    for (request, field) in cases {
        let (status, body) = app.post("/llm_query", Some(&token), request.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{request}: {body}");
        let detail = detail(&body);
        assert!(detail.contains(field), "{request}: {detail}");
    }
    // A viewer may ask: reading is all a question does.
    let body = ask(&app, &token, "Deals").await;
    assert_eq!(body["result"]["count"], 0);
    // Context filters narrow the question.
    let admin = app.admin_token().await;
    seed(&app, &admin).await;
    let (status, body) = app
        .post("/llm_query", Some(&admin), json!({"query": "Deals", "context": {"filters": {"stage": "proposal"}}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"]["count"], 1, "{body}");
    let (status, _) = app.post("/llm_query", None, json!({"query": "Deals"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// A chat-completions answer whose message content is `content`.
fn completion(content: &str) -> Reply {
    Reply::json(
        200,
        json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}]
        }),
    )
}

async fn uses_a_valid_model_answer(engine: Engine) {
    let model = json!({
        "entity": "opportunities",
        "filters": [{"field": "stage", "op": "eq", "value": "proposal"}],
        "time": null, "answer": "count", "measure": null, "group_by": null, "limit": null, "search": null
    });
    let standin = StandIn::start(completion(&model.to_string())).await;
    let url = format!("{}/v1", standin.url);
    let app = engine
        .app_with(&[
            ("LANES_LLM_URL", url.as_str()),
            ("LANES_LLM_MODEL", "test-model"),
            ("LANES_LLM_API_KEY", "sk-test-key"),
        ])
        .await;
    let token = app.admin_token().await;
    let [shelving, ..] = seed(&app, &token).await;
    let question = "Which deals are waiting on our proposal?";
    let body = ask(&app, &token, question).await;
    assert_eq!(body["engine"], "llm", "{body}");
    assert!(body.get("note").is_none(), "{body}");
    assert_eq!(body["interpretation"]["filters"], model["filters"]);
    assert_eq!(body["result"]["count"], 1);
    assert_eq!(ids(&body, "opportunities", "opportunity_id"), vec![shelving]);

    let received = standin.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/v1/chat/completions"));
    assert_eq!(request.header("authorization"), Some("Bearer sk-test-key"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent = request.json();
    assert_eq!(sent["model"], "test-model");
    assert_eq!(sent["messages"][1], json!({"role": "user", "content": question}));
    assert_eq!(sent["messages"][0]["role"], "system");
    let instructions = sent["messages"][0]["content"].as_str().unwrap();
    assert!(instructions.contains(&Utc::now().date_naive().to_string()), "today's date is in the instructions");
    assert!(instructions.contains("stage (one of: prospecting, qualification"), "{instructions}");
    let format = &sent["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(schema["additionalProperties"], false);
    assert!(schema["properties"]["entity"]["enum"].as_array().unwrap().contains(&json!("opportunities")));
    let fields = schema["properties"]["filters"]["items"]["properties"]["field"]["enum"].as_array().unwrap();
    assert!(fields.contains(&json!("amount")) && !fields.contains(&json!("amount_cents")));
}

async fn falls_back_when_the_model_fails(engine: Engine) {
    let standin = StandIn::start(Reply::json(500, json!({"error": {"message": "overloaded"}}))).await;
    let url = format!("{}/v1", standin.url);
    let app = engine.app_with(&[("LANES_LLM_URL", url.as_str())]).await;
    let token = app.admin_token().await;
    seed(&app, &token).await;
    let valid = |patch: Value| {
        let mut interpretation = json!({
            "entity": "opportunities", "filters": [], "time": null, "answer": "count",
            "measure": null, "group_by": null, "limit": null, "search": null
        });
        for (key, value) in patch.as_object().unwrap() {
            interpretation[key] = value.clone();
        }
        interpretation.to_string()
    };
    let replies = [
        (
            "an unknown field",
            completion(&valid(
                json!({"filters": [{"field": "amount_cents; DROP TABLE opportunities", "op": "eq", "value": 1}]}),
            )),
        ),
        ("SQL instead of JSON", completion("SELECT * FROM users; DROP TABLE opportunities;")),
        (
            "SQL in a value",
            completion(&valid(json!({"filters": [{"field": "stage", "op": "eq", "value": "x' OR '1'='1"}]}))),
        ),
        ("a property the schema lacks", completion(&valid(json!({"sql": "DELETE FROM opportunities"})))),
        ("an unknown entity", completion(&valid(json!({"entity": "users"})))),
        (
            "an operator the field does not take",
            completion(&valid(json!({"filters": [{"field": "stage", "op": "gt", "value": "a"}]}))),
        ),
        ("a limit out of range", completion(&valid(json!({"answer": "list", "limit": 100000})))),
        ("no content", Reply::json(200, json!({"choices": []}))),
        ("an upstream error", Reply::json(500, json!({"error": {"message": "overloaded"}}))),
    ];
    for (what, reply) in replies {
        standin.script([reply]);
        let (status, body) =
            app.post("/llm_query", Some(&token), json!({"query": "How many open deals are there?"})).await;
        assert_eq!(status, StatusCode::OK, "{what}: {body}");
        assert_eq!(body["engine"], "built_in", "{what}: {body}");
        let note = body["note"].as_str().unwrap_or_else(|| panic!("{what}: a note in {body}"));
        assert!(note.ends_with("the built-in engine answered instead."), "{what}: {note}");
        assert!(!note.contains("DROP") && !note.contains("SELECT"), "{what}: the model's text is not echoed: {note}");
        assert_eq!(body["result"]["count"], 2, "{what}: the built-in answer: {body}");
    }
    let (status, body) = app.post("/llm_query", Some(&token), json!({"query": "How many open deals are there?"})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["note"].as_str().unwrap().contains("HTTP 500"), "{body}");
    // Nothing the model said ran: every deal is still there.
    let (_, list) = app.get("/opportunities", Some(&token)).await;
    assert_eq!(list["opportunities"].as_array().unwrap().len(), 4);
    // No key configured: no Authorization header.
    assert!(standin.received().iter().all(|r| r.header("authorization").is_none()));

    // A model that cannot be reached.
    let app = engine.app_with(&[("LANES_LLM_URL", "http://127.0.0.1:9/v1")]).await;
    let token = app.admin_token().await;
    let body = ask(&app, &token, "How many deals are there?").await;
    assert_eq!(body["engine"], "built_in");
    assert_eq!(body["note"], "The language model could not be reached; the built-in engine answered instead.");
}
