//! Visits with maps: `POST /integrations/google-maps/visit` and `POST /visits/plan-day`, against
//! stand-ins for Google's Geocoding and Routes APIs and for Nominatim and OSRM that record exactly
//! what Lanes sent.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    engines, engines_with_settings,
    helpers::{Engine, TestApp, detail},
    standin::{Reply, StandIn},
};

engines!(
    without_a_provider_the_visit_is_planned_with_the_address_and_a_link,
    plan_day_without_a_provider_keeps_the_planned_order
);
engines_with_settings!(
    google_geocodes_routes_and_caches_the_position,
    openstreetmap_geocodes_and_routes_with_nominatim_and_osrm,
    upstream_failures_are_never_a_500,
    plan_day_follows_the_google_optimized_order,
    plan_day_follows_the_osrm_trip,
);

const KEY: &str = "test-maps-key-0123";
const ADDRESS: &str = "123 Tech Street, San Francisco, CA 94105";

fn geocoded(lat: f64, lng: f64) -> Reply {
    Reply::json(
        200,
        json!({"status": "OK", "results": [{"formatted_address": "x", "geometry": {"location": {"lat": lat, "lng": lng}}}]}),
    )
}

fn zero_results() -> Reply {
    Reply::json(200, json!({"status": "ZERO_RESULTS", "results": []}))
}

fn google_settings<'a>(maps: &'a StandIn, routes: &'a StandIn) -> Vec<(&'a str, &'a str)> {
    vec![
        ("LANES_GOOGLE_MAPS_API_KEY", KEY),
        ("LANES_GOOGLE_MAPS_URL", maps.url.as_str()),
        ("LANES_GOOGLE_ROUTES_URL", routes.url.as_str()),
    ]
}

/// An account at `ADDRESS` (or with no address at all when `address` is false).
async fn account(app: &TestApp, token: &str, name: &str, street: Option<&str>) -> String {
    let body = match street {
        Some(street) => {
            json!({"name": name, "billing_address": street, "city": "San Francisco", "state": "CA", "postal_code": "94105"})
        }
        None => json!({"name": name}),
    };
    let (status, body) = app.post("/accounts", Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["account_id"].as_str().unwrap().to_owned()
}

async fn visit(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.post("/integrations/google-maps/visit", Some(token), body).await
}

async fn visit_count(app: &TestApp, token: &str) -> usize {
    let (status, body) = app.get("/activities?activity_type=visit", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["activities"].as_array().unwrap().len()
}

async fn google_geocodes_routes_and_caches_the_position(engine: Engine) {
    let maps = StandIn::start(geocoded(37.7749, -122.4194)).await;
    let routes = StandIn::start(Reply::json(
        200,
        json!({"routes": [{"distanceMeters": 12500, "duration": "1560s", "staticDuration": "1320s"}]}),
    ))
    .await;
    let app = engine.app_with(&google_settings(&maps, &routes)).await;
    let token = app.user_token("user").await;
    let account_id = account(&app, &token, "TechCorp", Some("123 Tech Street")).await;

    let (status, body) = visit(
        &app,
        &token,
        json!({"account_id": account_id, "purpose": "Product demonstration", "scheduled_time": "2030-01-20T14:00:00Z", "origin": "37.7, -122.4"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["status"], "planned");
    assert_eq!(body["provider"], "google");
    assert_eq!(body["account_id"], account_id.as_str());
    assert_eq!(body["purpose"], "Product demonstration");
    assert_eq!(body["scheduled_time"], "2030-01-20T14:00:00Z");
    assert_eq!(body["location"], json!({"address": ADDRESS, "latitude": 37.7749, "longitude": -122.4194}));
    assert_eq!(body["directions"]["distance"], "12.5 km");
    assert_eq!(body["directions"]["duration"], "26 mins");
    assert_eq!(body["directions"]["distance_meters"], 12500);
    assert_eq!(body["directions"]["duration_seconds"], 1560);
    assert_eq!(body["directions"]["traffic_info"], "Moderate traffic expected (+4 mins)");
    assert_eq!(
        body["directions"]["route_url"],
        "https://www.google.com/maps/dir/?api=1&origin=37.700000%2C-122.400000\
         &destination=123+Tech+Street%2C+San+Francisco%2C+CA+94105&travelmode=driving"
    );
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));

    // Exactly what Google got: the geocode request…
    let geocodes = maps.received();
    assert_eq!(geocodes.len(), 1);
    assert_eq!(geocodes[0].method, "GET");
    assert_eq!(geocodes[0].path, "/maps/api/geocode/json");
    assert_eq!(geocodes[0].param("address"), Some(ADDRESS));
    assert_eq!(geocodes[0].param("key"), Some(KEY));
    // …and computeRoutes, with the key and the field mask in headers and departure at the visit.
    let computed = routes.received();
    assert_eq!(computed.len(), 1);
    assert_eq!(computed[0].method, "POST");
    assert_eq!(computed[0].path, "/directions/v2:computeRoutes");
    assert_eq!(computed[0].header("x-goog-api-key"), Some(KEY));
    assert_eq!(
        computed[0].header("x-goog-fieldmask"),
        Some("routes.distanceMeters,routes.duration,routes.staticDuration")
    );
    assert_eq!(computed[0].param("key"), None, "the key travels in a header, not the URL");
    assert_eq!(
        computed[0].json(),
        json!({
            "origin": {"location": {"latLng": {"latitude": 37.7, "longitude": -122.4}}},
            "destination": {"location": {"latLng": {"latitude": 37.7749, "longitude": -122.4194}}},
            "travelMode": "DRIVE",
            "routingPreference": "TRAFFIC_AWARE",
            "departureTime": "2030-01-20T14:00:00Z",
        })
    );

    // The visit is a planned visit activity of the caller's.
    let visit_id = body["visit_id"].as_str().unwrap();
    let (_, activity) = app.get(&format!("/activities/{visit_id}"), Some(&token)).await;
    assert_eq!(activity["activity_type"], "visit");
    assert_eq!(activity["status"], "planned");
    assert_eq!(activity["start_time"], "2030-01-20T14:00:00Z");
    assert_eq!(activity["account_id"], account_id.as_str());

    // A second visit to the same account: no geocoding, the cached position. A past time is
    // routed as leaving now (no departureTime: Google refuses one in the past).
    let (status, body) = visit(
        &app,
        &token,
        json!({"account_id": account_id, "purpose": "Follow-up", "scheduled_time": "2020-01-20T14:00:00Z", "origin": "Depot Road 1, Oslo"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["location"]["latitude"], 37.7749);
    assert_eq!(maps.received().len(), 1, "the position came from the cache");
    let second = &routes.received()[1];
    assert_eq!(second.json()["origin"], json!({"address": "Depot Road 1, Oslo"}));
    assert!(second.json().get("departureTime").is_none(), "{}", second.json());

    // The address changes: the next visit geocodes the new one.
    maps.script([geocoded(37.79, -122.40)]);
    let (status, patched) = app
        .json(
            "PATCH",
            &format!("/accounts/{account_id}"),
            Some(&token),
            Some(json!({"billing_address": "1 Market St"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let (status, body) = visit(
        &app,
        &token,
        json!({"account_id": account_id, "purpose": "Again", "scheduled_time": "2030-02-01T09:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let geocodes = maps.received();
    assert_eq!(geocodes.len(), 2);
    assert_eq!(geocodes[1].param("address"), Some("1 Market St, San Francisco, CA 94105"));
    assert_eq!(body["location"]["latitude"], 37.79);
    assert_eq!(body["scheduled_time"], "2030-02-01T09:00:00Z");
    // No origin and no LANES_VISIT_ORIGIN: no route, but still a link.
    assert_eq!(routes.received().len(), 2);
    assert_eq!(body["directions"]["distance"], Value::Null);
    assert_eq!(
        body["directions"]["route_url"],
        "https://www.google.com/maps/dir/?api=1&destination=1+Market+St%2C+San+Francisco%2C+CA+94105&travelmode=driving"
    );
    assert_eq!(visit_count(&app, &token).await, 3);
}

async fn openstreetmap_geocodes_and_routes_with_nominatim_and_osrm(engine: Engine) {
    let nominatim =
        StandIn::start(Reply::json(200, json!([{"lat": "59.9139", "lon": "10.7522", "display_name": "Oslo"}]))).await;
    let osrm =
        StandIn::start(Reply::json(200, json!({"code": "Ok", "routes": [{"distance": 8421.6, "duration": 901.2}]})))
            .await;
    let app = engine
        .app_with(&[
            ("LANES_NOMINATIM_URL", nominatim.url.as_str()),
            ("LANES_OSRM_URL", osrm.url.as_str()),
            ("LANES_VISIT_ORIGIN", "59.95,10.70"),
        ])
        .await;
    let token = app.admin_token().await;
    let account_id = account(&app, &token, "Nordic Freight", Some("123 Tech Street")).await;

    let (status, body) = visit(
        &app,
        &token,
        json!({"account_id": account_id, "purpose": "Demo", "scheduled_time": "2030-01-20T14:00:00Z"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["provider"], "openstreetmap");
    assert_eq!(body["location"], json!({"address": ADDRESS, "latitude": 59.9139, "longitude": 10.7522}));
    assert_eq!(body["directions"]["distance"], "8.4 km");
    assert_eq!(body["directions"]["duration"], "15 mins");
    assert_eq!(body["directions"]["traffic_info"], Value::Null, "OSRM knows no traffic");
    assert!(body["directions"]["route_url"].as_str().unwrap().contains("&origin=59.950000%2C10.700000&"));

    let searches = nominatim.received();
    assert_eq!(searches.len(), 1);
    assert_eq!(searches[0].path, "/search");
    assert_eq!(searches[0].param("format"), Some("jsonv2"));
    assert_eq!(searches[0].param("q"), Some(ADDRESS));
    assert!(searches[0].header("user-agent").unwrap().starts_with("Lanes/"), "Nominatim wants an identifying agent");
    let routed = osrm.received();
    assert_eq!(routed.len(), 1);
    assert_eq!(routed[0].method, "GET");
    assert_eq!(routed[0].path, "/route/v1/driving/10.700000,59.950000;10.752200,59.913900");
    assert_eq!(routed[0].param("overview"), Some("false"));
}

async fn without_a_provider_the_visit_is_planned_with_the_address_and_a_link(app: TestApp) {
    let token = app.user_token("user").await;
    let account_id = account(&app, &token, "TechCorp", Some("123 Tech Street")).await;
    let (status, body) = visit(
        &app,
        &token,
        json!({"account_id": account_id, "purpose": "Product demonstration", "scheduled_time": "2030-01-20T14:00:00Z"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["provider"], Value::Null);
    assert_eq!(body["status"], "planned");
    assert_eq!(body["location"], json!({"address": ADDRESS, "latitude": null, "longitude": null}));
    assert_eq!(
        body["directions"],
        json!({
            "distance": null, "duration": null, "traffic_info": null, "distance_meters": null, "duration_seconds": null,
            "route_url": "https://www.google.com/maps/dir/?api=1&destination=123+Tech+Street%2C+San+Francisco%2C+CA+94105&travelmode=driving",
        })
    );
    assert_eq!(visit_count(&app, &token).await, 1);

    // Bad input names the field and plans nothing.
    for (body, field) in [
        (json!({"account_id": account_id, "purpose": "", "scheduled_time": "2030-01-20T14:00:00Z"}), "purpose"),
        (json!({"account_id": account_id, "purpose": "X", "scheduled_time": "soon"}), "scheduled_time"),
        (
            json!({"account_id": account_id, "purpose": "X", "scheduled_time": "2030-01-20T14:00:00Z", "origin": "95,10"}),
            "origin",
        ),
        (
            json!({"account_id": account_id, "purpose": "X", "scheduled_time": "2030-01-20T14:00:00Z", "url": "http://x"}),
            "url",
        ),
    ] {
        let (status, answer) = visit(&app, &token, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(detail(&answer).contains(field), "{answer}");
    }
    let (status, answer) = visit(
        &app,
        &token,
        json!({"account_id": "ACC_NOPE0000", "purpose": "X", "scheduled_time": "2030-01-20T14:00:00Z"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let viewer = app.user_token("viewer").await;
    let (status, _) = visit(
        &app,
        &viewer,
        json!({"account_id": account_id, "purpose": "X", "scheduled_time": "2030-01-20T14:00:00Z"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(visit_count(&app, &token).await, 1);
}

async fn upstream_failures_are_never_a_500(engine: Engine) {
    let maps = StandIn::start(geocoded(37.7749, -122.4194)).await;
    let routes = StandIn::start(Reply::json(200, json!({"routes": [{"distanceMeters": 1, "duration": "1s"}]}))).await;
    let app = engine.app_with(&google_settings(&maps, &routes)).await;
    let token = app.admin_token().await;
    let account_id = account(&app, &token, "TechCorp", Some("123 Tech Street")).await;
    let request = json!({"account_id": account_id, "purpose": "Demo", "scheduled_time": "2030-01-20T14:00:00Z", "origin": "37.7,-122.4"});

    maps.script([
        zero_results(),
        Reply::json(200, json!({"status": "REQUEST_DENIED", "error_message": "The provided API key is invalid."})),
        Reply::json(500, json!({"status": "UNKNOWN_ERROR"})),
        Reply::text(200, "<html>not json</html>"),
    ]);
    let (status, body) = visit(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).starts_with("address not found"), "{body}");
    for expected in ["REQUEST_DENIED", "HTTP 500 (UNKNOWN_ERROR)", "could not read"] {
        let (status, body) = visit(&app, &token, request.clone()).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
        let detail = detail(&body);
        assert!(detail.starts_with("Google Geocoding") && detail.contains(expected), "{detail}");
        assert!(!detail.contains(KEY), "{detail}");
    }

    // Geocoding works now (and is cached); the Routes API fails in every way.
    routes.script([
        Reply::json(
            403,
            json!({"error": {"code": 403, "message": "API key not valid", "status": "PERMISSION_DENIED"}}),
        ),
        Reply::text(200, "garbage"),
        Reply::json(200, json!({"routes": [{"distanceMeters": 5, "duration": "soon"}]})),
    ]);
    for expected in ["HTTP 403 (PERMISSION_DENIED)", "could not read", "duration Lanes could not read"] {
        let (status, body) = visit(&app, &token, request.clone()).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
        let detail = detail(&body);
        assert!(detail.starts_with("Google Routes") && detail.contains(expected), "{detail}");
    }
    // Google found no route ({}): the start is the problem.
    routes.script([Reply::json(200, json!({}))]);
    let (status, body) = visit(&app, &token, request.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(detail(&body).starts_with("origin"), "{body}");
    assert_eq!(visit_count(&app, &token).await, 0, "a failed visit plans nothing");

    // A provider that cannot be reached at all.
    let down = engine
        .app_with(&[
            ("LANES_GOOGLE_MAPS_API_KEY", KEY),
            ("LANES_GOOGLE_MAPS_URL", "http://127.0.0.1:1"),
            ("LANES_GOOGLE_ROUTES_URL", "http://127.0.0.1:1"),
        ])
        .await;
    let token = down.admin_token().await;
    let account_id = account(&down, &token, "TechCorp", Some("123 Tech Street")).await;
    let (status, body) = visit(
        &down,
        &token,
        json!({"account_id": account_id, "purpose": "Demo", "scheduled_time": "2030-01-20T14:00:00Z"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(detail(&body), "Google Geocoding: could not be reached");
}

/// A planned visit on `time`, assigned to the caller, through the activities API.
async fn planned_visit(app: &TestApp, token: &str, account_id: &str, subject: &str, time: &str) -> String {
    let (status, body) = app
        .post(
            "/activities",
            Some(token),
            json!({"activity_type": "visit", "status": "planned", "subject": subject, "account_id": account_id, "start_time": time}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["activity_id"].as_str().unwrap().to_owned()
}

async fn plan_day_follows_the_google_optimized_order(engine: Engine) {
    // Geocoding answers in the order the visits are planned; then "not found" for anything else.
    let maps = StandIn::start(zero_results()).await;
    maps.script([geocoded(1.0, 1.5), zero_results(), geocoded(2.0, 2.5), geocoded(3.0, 3.5)]);
    let leg =
        |m: i64, s: i64| json!({"distanceMeters": m, "duration": format!("{s}s"), "staticDuration": format!("{s}s")});
    let routes = StandIn::start(Reply::json(
        200,
        json!({"routes": [{"optimizedIntermediateWaypointIndex": [2, 0, 1], "legs": [leg(1000, 60), leg(2000, 120), leg(3000, 180), leg(4000, 240)]}]}),
    ))
    .await;
    let app = engine.app_with(&google_settings(&maps, &routes)).await;
    let token = app.user_token("user").await;
    let nowhere = account(&app, &token, "No Address Inc", None).await;
    let a = account(&app, &token, "Alpha", Some("1 Alpha Road")).await;
    let z = account(&app, &token, "Zulu", Some("Nowhere Lane")).await;
    let b = account(&app, &token, "Bravo", Some("2 Bravo Road")).await;
    let c = account(&app, &token, "Charlie", Some("3 Charlie Road")).await;
    let v_nowhere = planned_visit(&app, &token, &nowhere, "Nowhere", "2030-01-20T08:00:00Z").await;
    let v_a = planned_visit(&app, &token, &a, "Alpha visit", "2030-01-20T09:00:00Z").await;
    let v_z = planned_visit(&app, &token, &z, "Zulu visit", "2030-01-20T10:00:00Z").await;
    let v_b = planned_visit(&app, &token, &b, "Bravo visit", "2030-01-20T11:00:00Z").await;
    let v_c = planned_visit(&app, &token, &c, "Charlie visit", "2030-01-20T14:00:00Z").await;
    planned_visit(&app, &token, &a, "Another day", "2030-01-21T09:00:00Z").await;

    let (status, plan) =
        app.post("/visits/plan-day", Some(&token), json!({"date": "2030-01-20", "origin": "Depot Road 1, Oslo"})).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["optimized"], true, "{plan}");
    assert_eq!(plan["provider"], "google");
    assert_eq!(plan["note"], Value::Null);
    let order: Vec<&str> = plan["stops"].as_array().unwrap().iter().map(|s| s["visit_id"].as_str().unwrap()).collect();
    assert_eq!(order, [v_c.as_str(), v_a.as_str(), v_b.as_str()], "Google's order: intermediates 2, 0, 1");
    assert_eq!(plan["stops"][0]["account_name"], "Charlie");
    assert_eq!(plan["stops"][0]["scheduled_time"], "2030-01-20T14:00:00Z");
    assert_eq!(
        plan["stops"][0]["leg"],
        json!({"distance": "1.0 km", "duration": "1 min", "distance_meters": 1000, "duration_seconds": 60})
    );
    assert_eq!(plan["stops"][2]["leg"]["distance_meters"], 3000);
    assert_eq!(plan["return_leg"]["distance_meters"], 4000);
    assert_eq!(
        plan["total"],
        json!({"distance": "10.0 km", "duration": "10 mins", "distance_meters": 10000, "duration_seconds": 600})
    );
    let skipped: Vec<(&str, &str)> = plan["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["visit_id"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 2, "{plan}");
    assert_eq!(skipped[0], (v_nowhere.as_str(), "the account has no address"));
    assert_eq!(skipped[1].0, v_z.as_str());
    assert!(skipped[1].1.starts_with("address not found"), "{plan}");
    assert_eq!(
        plan["route_url"],
        "https://www.google.com/maps/dir/?api=1&origin=Depot+Road+1%2C+Oslo&destination=Depot+Road+1%2C+Oslo\
         &waypoints=3.000000%2C3.500000%7C1.000000%2C1.500000%7C2.000000%2C2.500000&travelmode=driving"
    );

    let computed = routes.received();
    assert_eq!(computed.len(), 1);
    assert_eq!(computed[0].path, "/directions/v2:computeRoutes");
    assert_eq!(computed[0].header("x-goog-api-key"), Some(KEY));
    assert_eq!(
        computed[0].header("x-goog-fieldmask"),
        Some(
            "routes.optimizedIntermediateWaypointIndex,routes.legs.distanceMeters,routes.legs.duration,routes.legs.staticDuration"
        )
    );
    let point = |lat: f64, lng: f64| json!({"location": {"latLng": {"latitude": lat, "longitude": lng}}});
    assert_eq!(
        computed[0].json(),
        json!({
            "origin": {"address": "Depot Road 1, Oslo"},
            "destination": {"address": "Depot Road 1, Oslo"},
            "intermediates": [point(1.0, 1.5), point(2.0, 2.5), point(3.0, 3.5)],
            "travelMode": "DRIVE",
            "routingPreference": "TRAFFIC_AWARE",
            "optimizeWaypointOrder": true,
            "departureTime": "2030-01-20T09:00:00Z",
        })
    );
    assert_eq!(maps.received().len(), 4);

    // Again: the positions are cached; only the address that was not found is asked again.
    let (status, again) =
        app.post("/visits/plan-day", Some(&token), json!({"date": "2030-01-20", "origin": "Depot Road 1, Oslo"})).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(maps.received().len(), 5);
    assert_eq!(maps.received()[4].param("address"), Some("Nowhere Lane, San Francisco, CA 94105"));

    // No start: the planned order, said so, no routing call.
    let (status, unrouted) = app.post("/visits/plan-day", Some(&token), json!({"date": "2030-01-20"})).await;
    assert_eq!(status, StatusCode::OK, "{unrouted}");
    assert_eq!(unrouted["optimized"], false);
    assert!(unrouted["note"].as_str().unwrap().contains("No start"), "{unrouted}");
    assert_eq!(unrouted["stops"][0]["visit_id"], v_a.as_str());
    assert_eq!(routes.received().len(), 2, "one optimisation per routed plan, none without a start");

    // Someone else's day: managers may, users may not.
    let (_, me) = app.get("/auth/me", Some(&token)).await;
    let user_id = me["user_id"].as_str().unwrap();
    let other = app.user_token("user").await;
    let (status, body) =
        app.post("/visits/plan-day", Some(&other), json!({"date": "2030-01-20", "user_id": user_id})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let manager = app.user_token("manager").await;
    let (status, body) =
        app.post("/visits/plan-day", Some(&manager), json!({"date": "2030-01-20", "user_id": user_id})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stops"].as_array().unwrap().len(), 3);
}

async fn plan_day_follows_the_osrm_trip(engine: Engine) {
    let nominatim = StandIn::start(Reply::json(200, json!([]))).await;
    nominatim.script([
        Reply::json(200, json!([{"lat": "59.1", "lon": "10.1"}])),
        Reply::json(200, json!([{"lat": "59.2", "lon": "10.2"}])),
    ]);
    let osrm = StandIn::start(Reply::json(
        200,
        json!({
            "code": "Ok",
            "waypoints": [{"waypoint_index": 0, "trips_index": 0}, {"waypoint_index": 2, "trips_index": 0}, {"waypoint_index": 1, "trips_index": 0}],
            "trips": [{"distance": 3000.0, "duration": 300.0, "legs": [
                {"distance": 1000.0, "duration": 100.0}, {"distance": 1500.0, "duration": 120.0}, {"distance": 500.0, "duration": 80.0}
            ]}]
        }),
    ))
    .await;
    let app = engine
        .app_with(&[("LANES_NOMINATIM_URL", nominatim.url.as_str()), ("LANES_OSRM_URL", osrm.url.as_str())])
        .await;
    let token = app.user_token("user").await;
    let first = account(&app, &token, "First", Some("1 First Street")).await;
    let second = account(&app, &token, "Second", Some("2 Second Street")).await;
    let v1 = planned_visit(&app, &token, &first, "First visit", "2030-01-20T09:00:00Z").await;
    let v2 = planned_visit(&app, &token, &second, "Second visit", "2030-01-20T10:00:00Z").await;

    let (status, plan) =
        app.post("/visits/plan-day", Some(&token), json!({"date": "2030-01-20", "origin": "59.95,10.70"})).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["provider"], "openstreetmap");
    assert_eq!(plan["optimized"], true);
    let order: Vec<&str> = plan["stops"].as_array().unwrap().iter().map(|s| s["visit_id"].as_str().unwrap()).collect();
    assert_eq!(order, [v2.as_str(), v1.as_str()], "OSRM put the second input first");
    assert_eq!(plan["stops"][0]["leg"]["distance_meters"], 1000);
    assert_eq!(plan["return_leg"]["distance_meters"], 500);
    assert_eq!(plan["total"]["distance_meters"], 3000);

    let trips = osrm.received();
    assert_eq!(trips.len(), 1);
    assert_eq!(trips[0].path, "/trip/v1/driving/10.700000,59.950000;10.100000,59.100000;10.200000,59.200000");
    assert_eq!(trips[0].param("roundtrip"), Some("true"));
    assert_eq!(trips[0].param("source"), Some("first"));
    assert_eq!(nominatim.received().len(), 2);
    assert_eq!(nominatim.received()[0].param("q"), Some("1 First Street, San Francisco, CA 94105"));
}

async fn plan_day_without_a_provider_keeps_the_planned_order(app: TestApp) {
    let token = app.user_token("user").await;
    let a = account(&app, &token, "Alpha", Some("1 Alpha Road")).await;
    let b = account(&app, &token, "Bravo", Some("2 Bravo Road")).await;
    let late = planned_visit(&app, &token, &a, "Late", "2030-01-20T15:00:00Z").await;
    let early = planned_visit(&app, &token, &b, "Early", "2030-01-20T08:30:00Z").await;

    let (status, plan) = app.post("/visits/plan-day", Some(&token), json!({"date": "2030-01-20"})).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["provider"], Value::Null);
    assert_eq!(plan["optimized"], false);
    assert!(plan["note"].as_str().unwrap().contains("No maps provider"), "{plan}");
    let order: Vec<&str> = plan["stops"].as_array().unwrap().iter().map(|s| s["visit_id"].as_str().unwrap()).collect();
    assert_eq!(order, [early.as_str(), late.as_str()]);
    assert_eq!(plan["stops"][0]["leg"], Value::Null);
    assert_eq!(plan["total"], Value::Null);
    assert_eq!(
        plan["route_url"],
        "https://www.google.com/maps/dir/?api=1&destination=1+Alpha+Road%2C+San+Francisco%2C+CA+94105\
         &waypoints=2+Bravo+Road%2C+San+Francisco%2C+CA+94105&travelmode=driving"
    );

    let (status, empty) = app.post("/visits/plan-day", Some(&token), json!({"date": "2030-01-22"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["stops"], json!([]));
    assert_eq!(empty["route_url"], Value::Null);

    let (status, body) = app.post("/visits/plan-day", Some(&token), json!({"date": "20.01.2030"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail(&body).starts_with("date"), "{body}");
    let viewer = app.user_token("viewer").await;
    let (status, _) = app.post("/visits/plan-day", Some(&viewer), json!({"date": "2030-01-20"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
