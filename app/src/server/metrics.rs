//! What Lanes measures, in one place: the names and labels of every metric. The server binary
//! installs a Prometheus recorder and serves these on `LANES_METRICS_BIND`; without a recorder
//! (tests, `lanes seed`) recording costs nothing.

pub const HTTP_REQUESTS: &str = "lanes_http_requests_total";
pub const HTTP_DURATION: &str = "lanes_http_request_duration_seconds";
pub const RATE_LIMIT_REJECTIONS: &str = "lanes_rate_limit_rejections_total";
pub const INTEGRATION_CALLS: &str = "lanes_integration_calls_total";
pub const INTEGRATION_DURATION: &str = "lanes_integration_call_duration_seconds";
pub const REMINDER_LAG: &str = "lanes_reminder_lag_seconds";
pub const DB_POOL_CONNECTIONS: &str = "lanes_db_pool_connections";

/// One answered request, labelled by route template (`/accounts/{id}`, never the id itself, so
/// the number of series stays bounded).
pub fn http_request(method: &str, route: &str, status: u16, seconds: f64) {
    let labels = [("method", method.to_owned()), ("route", route.to_owned()), ("status", status.to_string())];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_DURATION, &labels).record(seconds);
}

/// A request refused for being over its budget (`class`: normal or expensive).
pub fn rate_limited(class: &'static str) {
    metrics::counter!(RATE_LIMIT_REJECTIONS, "class" => class).increment(1);
}

/// One call to an outside service; `outcome` is ok, client_error, server_error or unreachable.
pub fn integration_call(service: &'static str, outcome: &'static str, seconds: f64) {
    metrics::counter!(INTEGRATION_CALLS, "service" => service, "outcome" => outcome).increment(1);
    metrics::histogram!(INTEGRATION_DURATION, "service" => service).record(seconds);
}

/// How late a reminder fired after its `reminder_date`.
pub fn reminder_fired(lag_seconds: f64) {
    metrics::histogram!(REMINDER_LAG).record(lag_seconds.max(0.0));
}

/// The database pool's connections, sampled when the metrics are read.
pub fn db_pool(size: u32, idle: usize) {
    let idle = idle as f64;
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(idle);
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set((f64::from(size) - idle).max(0.0));
}
