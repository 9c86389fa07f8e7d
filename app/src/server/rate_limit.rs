//! Rate limits: requests per minute by role and endpoint class, and a throttle on failed
//! sign-ins. Counters live in memory, per instance (behind a load balancer each instance counts
//! its own share), in fixed one-minute windows, and their number is bounded.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use crate::model::Role;

/// Requests per minute for each role; `anonymous` is counted per client IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    pub admin: u32,
    pub manager: u32,
    pub user: u32,
    pub viewer: u32,
    pub anonymous: u32,
}

impl Budgets {
    pub const DEFAULT: Budgets = Budgets { admin: 1200, manager: 600, user: 300, viewer: 120, anonymous: 60 };
    /// Integrations, `/llm_query` and imports. Anonymous callers cannot reach them (401).
    pub const DEFAULT_EXPENSIVE: Budgets = Budgets { admin: 60, manager: 60, user: 30, viewer: 10, anonymous: 10 };

    pub fn for_role(&self, role: Option<Role>) -> u32 {
        match role {
            Some(Role::Admin) => self.admin,
            Some(Role::Manager) => self.manager,
            Some(Role::User) => self.user,
            Some(Role::Viewer) => self.viewer,
            None => self.anonymous,
        }
    }

    /// Parses `admin=1200,manager=600,…` over `self` (names not given keep their value).
    pub fn parse(mut self, text: &str) -> Result<Budgets, String> {
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').ok_or_else(|| format!("{pair:?} is not ROLE=NUMBER"))?;
            let value: u32 = value
                .trim()
                .parse()
                .ok()
                .filter(|v| *v > 0)
                .ok_or_else(|| format!("{pair:?}: the limit must be a positive whole number"))?;
            match name.trim() {
                "admin" => self.admin = value,
                "manager" => self.manager = value,
                "user" => self.user = value,
                "viewer" => self.viewer = value,
                "anonymous" => self.anonymous = value,
                other => return Err(format!("{other:?} is not a role (admin, manager, user, viewer, anonymous)")),
            }
        }
        Ok(self)
    }
}

/// Which budget a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Normal,
    /// Calls to other services, the LLM, bulk imports.
    Expensive,
}

/// The answer for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset_secs: u64,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    index: u64,
    count: u32,
}

/// Fixed windows keyed by caller. At most `max_keys` callers are tracked; past that, windows of
/// earlier periods are dropped, and if the table is still full, unknown callers share one
/// overflow counter (so a flood of new addresses cannot grow memory without bound).
#[derive(Debug)]
struct Windows {
    period: Duration,
    max_keys: usize,
    started: Instant,
    table: Mutex<HashMap<String, Window>>,
}

const OVERFLOW_KEY: &str = "~overflow";

impl Windows {
    fn new(period: Duration, max_keys: usize) -> Self {
        Windows { period, max_keys, started: Instant::now(), table: Mutex::new(HashMap::new()) }
    }

    fn index_and_reset(&self, now: Instant) -> (u64, u64) {
        let elapsed = now.saturating_duration_since(self.started);
        let period = self.period.as_secs().max(1);
        let index = elapsed.as_secs() / period;
        (index, (index + 1) * period - elapsed.as_secs())
    }

    /// Adds `n` to the caller's count in the current window; returns the new count and the
    /// seconds until the window resets.
    fn add(&self, key: &str, n: u32, now: Instant) -> (u32, u64) {
        let (index, reset) = self.index_and_reset(now);
        let mut table = self.table.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !table.contains_key(key) && table.len() >= self.max_keys {
            table.retain(|_, w| w.index == index);
        }
        let key = if !table.contains_key(key) && table.len() >= self.max_keys { OVERFLOW_KEY } else { key };
        let window = table.entry(key.to_owned()).or_insert(Window { index, count: 0 });
        if window.index != index {
            *window = Window { index, count: 0 };
        }
        window.count = window.count.saturating_add(n);
        (window.count, reset)
    }

    fn count(&self, key: &str, now: Instant) -> (u32, u64) {
        self.add(key, 0, now)
    }

    fn clear(&self, key: &str) {
        self.table.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(key);
    }

    fn len(&self) -> usize {
        self.table.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }
}

/// How many callers each table tracks at most.
pub const MAX_TRACKED: usize = 100_000;

/// Request budgets per caller and class.
#[derive(Debug)]
pub struct RateLimiter {
    pub normal: Budgets,
    pub expensive: Budgets,
    windows: Windows,
}

impl RateLimiter {
    pub fn new(normal: Budgets, expensive: Budgets) -> Self {
        Self::with_capacity(normal, expensive, MAX_TRACKED)
    }

    pub fn with_capacity(normal: Budgets, expensive: Budgets, max_keys: usize) -> Self {
        RateLimiter { normal, expensive, windows: Windows::new(Duration::from_secs(60), max_keys) }
    }

    /// Counts one request of `caller` (a user id, or `ip:<address>` for anonymous callers).
    pub fn check(&self, caller: &str, role: Option<Role>, class: Class, now: Instant) -> Decision {
        let limit = match class {
            Class::Normal => self.normal.for_role(role),
            Class::Expensive => self.expensive.for_role(role),
        };
        let key = format!("{class:?}:{caller}");
        let (count, reset_secs) = self.windows.add(&key, 1, now);
        Decision { allowed: count <= limit, limit, remaining: limit.saturating_sub(count), reset_secs }
    }

    pub fn tracked(&self) -> usize {
        self.windows.len()
    }
}

/// Failed sign-ins: after `PER_ACCOUNT` failures for one email, or `PER_IP` from one address,
/// within five minutes, further attempts are refused until the window ends. A success clears the
/// account's count, and the window is short, so the real user is never locked out for long.
#[derive(Debug)]
pub struct LoginThrottle {
    windows: Windows,
}

impl LoginThrottle {
    pub const PER_ACCOUNT: u32 = 5;
    pub const PER_IP: u32 = 20;
    pub const WINDOW: Duration = Duration::from_secs(300);

    pub fn new() -> Self {
        LoginThrottle { windows: Windows::new(Self::WINDOW, MAX_TRACKED) }
    }

    /// `Some(seconds to wait)` when this email or address has failed too often.
    pub fn blocked(&self, email: &str, ip: &str, now: Instant) -> Option<u64> {
        let (account, reset) = self.windows.count(&format!("email:{email}"), now);
        let (address, _) = self.windows.count(&format!("ip:{ip}"), now);
        (account >= Self::PER_ACCOUNT || address >= Self::PER_IP).then_some(reset.max(1))
    }

    pub fn failed(&self, email: &str, ip: &str, now: Instant) {
        self.windows.add(&format!("email:{email}"), 1, now);
        self.windows.add(&format!("ip:{ip}"), 1, now);
    }

    pub fn succeeded(&self, email: &str) {
        self.windows.clear(&format!("email:{email}"));
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new()
    }
}

/// The client's address as the socket saw it (`unknown` when there is none, as in tests that
/// call the router directly). A proxy in front of Lanes makes this the proxy's address: limits
/// are then per proxy, which is the safe side (headers a client can forge are not trusted).
pub fn client_ip(extensions: &http::Extensions) -> String {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Every limiter of an instance.
#[derive(Debug)]
pub struct Limits {
    pub requests: RateLimiter,
    pub logins: LoginThrottle,
}

impl Limits {
    pub fn new(normal: Budgets, expensive: Budgets) -> Self {
        Limits { requests: RateLimiter::new(normal, expensive), logins: LoginThrottle::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_over_the_defaults_and_refuse_nonsense() {
        let b = Budgets::DEFAULT.parse("user=10, viewer=2").unwrap();
        assert_eq!((b.admin, b.user, b.viewer), (1200, 10, 2));
        assert!(Budgets::DEFAULT.parse("user=0").is_err());
        assert!(Budgets::DEFAULT.parse("boss=10").is_err());
        assert!(Budgets::DEFAULT.parse("user").is_err());
    }

    #[test]
    fn a_caller_gets_its_budget_per_minute_then_429s_until_the_window_ends() {
        let limiter = RateLimiter::new(Budgets::DEFAULT.parse("viewer=3").unwrap(), Budgets::DEFAULT_EXPENSIVE);
        let t0 = Instant::now();
        let decisions: Vec<Decision> =
            (0..4).map(|_| limiter.check("USR_A", Some(Role::Viewer), Class::Normal, t0)).collect();
        assert_eq!(decisions.iter().map(|d| d.allowed).collect::<Vec<_>>(), [true, true, true, false]);
        assert_eq!(decisions[0].remaining, 2);
        assert_eq!(decisions[3].limit, 3);
        assert!(decisions[3].reset_secs <= 60);
        // Another caller and another class have their own budgets.
        assert!(limiter.check("USR_B", Some(Role::Viewer), Class::Normal, t0).allowed);
        assert!(limiter.check("USR_A", Some(Role::Viewer), Class::Expensive, t0).allowed);
        // The next minute starts afresh.
        assert!(limiter.check("USR_A", Some(Role::Viewer), Class::Normal, t0 + Duration::from_secs(61)).allowed);
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_callers() {
        let limiter = RateLimiter::with_capacity(Budgets::DEFAULT, Budgets::DEFAULT_EXPENSIVE, 100);
        let t0 = Instant::now();
        for n in 0..1000 {
            limiter.check(&format!("ip:10.0.{}.{}", n / 256, n % 256), None, Class::Normal, t0);
        }
        assert!(limiter.tracked() <= 101, "{}", limiter.tracked());
        // The overflow callers share one budget, so the flood is still limited.
        assert!(!limiter.check("ip:192.0.2.1", None, Class::Normal, t0).allowed);
    }

    #[test]
    fn failed_sign_ins_block_the_account_briefly_and_success_clears_it() {
        let throttle = LoginThrottle::new();
        let t0 = Instant::now();
        for _ in 0..LoginThrottle::PER_ACCOUNT {
            assert_eq!(throttle.blocked("a@x.example", "1.2.3.4", t0), None);
            throttle.failed("a@x.example", "1.2.3.4", t0);
        }
        let wait = throttle.blocked("a@x.example", "5.6.7.8", t0).expect("blocked from any address");
        assert!(wait <= 300);
        assert_eq!(throttle.blocked("b@x.example", "5.6.7.8", t0), None, "other accounts are not");
        assert_eq!(throttle.blocked("a@x.example", "5.6.7.8", t0 + LoginThrottle::WINDOW), None, "and not for long");
        throttle.succeeded("a@x.example");
        assert_eq!(throttle.blocked("a@x.example", "5.6.7.8", t0), None);
    }
}
