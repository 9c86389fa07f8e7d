//! Typed configuration from the environment (and `.env`, loaded by the binary before this runs).

use std::{collections::BTreeMap, fmt, path::PathBuf};

use super::rate_limit::Budgets;

/// A secret value: never printed, not even by `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The shortest JWT signing secret we accept (256 bits).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: Secret,
    /// `None` means: generate one and keep it next to the SQLite file (see `jwt_secret_file`).
    pub jwt_secret: Option<Secret>,
    pub admin_email: Option<String>,
    pub admin_password: Option<Secret>,
    /// Public https URL of this deployment; makes session cookies `Secure`.
    pub public_url: Option<String>,
    pub base_currency: String,
    /// Units of base currency per one unit of each other currency.
    pub fx_rates: BTreeMap<String, f64>,
    pub integrations: IntegrationSettings,
    /// `LANES_USER_VISIBILITY`: who may see which records.
    pub user_visibility: Visibility,
    /// `LANES_RATE_LIMITS`: requests per minute by role.
    pub rate_limits: Budgets,
    /// `LANES_RATE_LIMITS_EXPENSIVE`: the same for integrations, `/llm_query` and imports.
    pub rate_limits_expensive: Budgets,
    /// `LANES_METRICS_BIND`: where Prometheus metrics are served (a separate listener, so they
    /// never reach the public port); `None` serves none.
    pub metrics_bind: Option<std::net::SocketAddr>,
}

/// Row-level privacy for the `user` and `viewer` roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone reads every CRM record (the default).
    All,
    /// A user sees only records they own or are assigned to, and the accounts those hang on.
    Own,
}

/// Outbound integrations; each is optional. Base URLs come only from here (never from a
/// request), so no caller can point Lanes at another host.
#[derive(Debug, Clone)]
pub struct IntegrationSettings {
    pub o365_tenant_id: Option<String>,
    pub o365_client_id: Option<String>,
    pub o365_client_secret: Option<Secret>,
    /// The mailbox mail is sent from.
    pub o365_sender: Option<String>,
    pub o365_login_url: String,
    pub o365_graph_url: String,
    /// Files under this folder may be attached by name (after canonicalisation).
    pub attachments_dir: Option<PathBuf>,
    pub google_maps_api_key: Option<Secret>,
    pub google_maps_url: String,
    pub google_routes_url: String,
    /// Where a rep's route starts when the phone sends no position.
    pub visit_origin: Option<String>,
    pub nominatim_url: Option<String>,
    pub osrm_url: Option<String>,
    /// OpenAI-compatible base URL, e.g. `http://127.0.0.1:11434/v1`.
    pub llm_url: Option<String>,
    pub llm_model: String,
    pub llm_api_key: Option<Secret>,
    pub bos_url: Option<String>,
    pub bos_api_key: Option<Secret>,
    pub reminder_interval_secs: u64,
}

pub const DEFAULT_O365_LOGIN_URL: &str = "https://login.microsoftonline.com";
pub const DEFAULT_O365_GRAPH_URL: &str = "https://graph.microsoft.com/v1.0";
pub const DEFAULT_GOOGLE_MAPS_URL: &str = "https://maps.googleapis.com";
pub const DEFAULT_GOOGLE_ROUTES_URL: &str = "https://routes.googleapis.com";
pub const DEFAULT_LLM_MODEL: &str = "gpt-4o-mini";
pub const DEFAULT_REMINDER_INTERVAL_SECS: u64 = 60;

impl Default for IntegrationSettings {
    fn default() -> Self {
        Self {
            o365_tenant_id: None,
            o365_client_id: None,
            o365_client_secret: None,
            o365_sender: None,
            o365_login_url: DEFAULT_O365_LOGIN_URL.into(),
            o365_graph_url: DEFAULT_O365_GRAPH_URL.into(),
            attachments_dir: None,
            google_maps_api_key: None,
            google_maps_url: DEFAULT_GOOGLE_MAPS_URL.into(),
            google_routes_url: DEFAULT_GOOGLE_ROUTES_URL.into(),
            visit_origin: None,
            nominatim_url: None,
            osrm_url: None,
            llm_url: None,
            llm_model: DEFAULT_LLM_MODEL.into(),
            llm_api_key: None,
            bos_url: None,
            bos_api_key: None,
            reminder_interval_secs: DEFAULT_REMINDER_INTERVAL_SECS,
        }
    }
}

impl IntegrationSettings {
    fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let url = |name: &'static str| get(name).map(|u| base_url(name, &u)).transpose();
        let url_or = |name: &'static str, default: String| Ok::<_, ConfigError>(url(name)?.unwrap_or(default));
        let reminder_interval_secs = match get("LANES_REMINDER_INTERVAL_SECS") {
            None => defaults.reminder_interval_secs,
            Some(text) => text.parse().ok().filter(|s| (1..=86_400).contains(s)).ok_or_else(|| ConfigError {
                name: "LANES_REMINDER_INTERVAL_SECS",
                problem: format!("{text:?} must be a whole number of seconds from 1 to 86400"),
            })?,
        };
        Ok(Self {
            o365_tenant_id: get("LANES_O365_TENANT_ID"),
            o365_client_id: get("LANES_O365_CLIENT_ID"),
            o365_client_secret: get("LANES_O365_CLIENT_SECRET").map(Secret::new),
            o365_sender: get("LANES_O365_SENDER"),
            o365_login_url: url_or("LANES_O365_LOGIN_URL", defaults.o365_login_url)?,
            o365_graph_url: url_or("LANES_O365_GRAPH_URL", defaults.o365_graph_url)?,
            attachments_dir: get("LANES_ATTACHMENTS_DIR").map(PathBuf::from),
            google_maps_api_key: get("LANES_GOOGLE_MAPS_API_KEY").map(Secret::new),
            google_maps_url: url_or("LANES_GOOGLE_MAPS_URL", defaults.google_maps_url)?,
            google_routes_url: url_or("LANES_GOOGLE_ROUTES_URL", defaults.google_routes_url)?,
            visit_origin: get("LANES_VISIT_ORIGIN"),
            nominatim_url: url("LANES_NOMINATIM_URL")?,
            osrm_url: url("LANES_OSRM_URL")?,
            llm_url: url("LANES_LLM_URL")?,
            llm_model: get("LANES_LLM_MODEL").unwrap_or(defaults.llm_model),
            llm_api_key: get("LANES_LLM_API_KEY").map(Secret::new),
            bos_url: url("LANES_BOS_URL")?,
            bos_api_key: get("LANES_BOS_API_KEY").map(Secret::new),
            reminder_interval_secs,
        })
    }

    pub fn office365_configured(&self) -> bool {
        self.o365_tenant_id.is_some()
            && self.o365_client_id.is_some()
            && self.o365_client_secret.is_some()
            && self.o365_sender.is_some()
    }
    /// Geocoding works with Google's key or a Nominatim server.
    pub fn maps_configured(&self) -> bool {
        self.google_maps_api_key.is_some() || self.nominatim_url.is_some()
    }
}

/// A base URL from configuration: http(s), no query or fragment, without a trailing slash
/// (paths are appended to it).
fn base_url(name: &'static str, text: &str) -> Result<String, ConfigError> {
    let bad = |problem: &str| ConfigError { name, problem: format!("{text:?} {problem}") };
    let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("is not an http(s) URL"))?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.starts_with('/') {
        return Err(bad("is not an http(s) URL"));
    }
    if rest.contains(['?', '#', ' ']) {
        return Err(bad("must be a base URL without query, fragment or spaces"));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// A configuration problem found at start; the server refuses to start with it.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://lanes.db?mode=rwc";

impl Settings {
    /// Reads settings from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can configure without touching the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

        let jwt_secret = get("LANES_JWT_SECRET").map(Secret::new);
        if let Some(secret) = &jwt_secret {
            check_jwt_secret(secret.expose())?;
        }
        let base_currency = get("LANES_BASE_CURRENCY").unwrap_or_else(|| "USD".into()).to_uppercase();
        if !is_currency_code(&base_currency) {
            return Err(ConfigError {
                name: "LANES_BASE_CURRENCY",
                problem: format!("{base_currency:?} is not a three-letter currency code"),
            });
        }
        let fx_rates = match get("LANES_FX_RATES") {
            Some(text) => parse_fx_rates(&text)?,
            None => BTreeMap::new(),
        };

        let user_visibility = match get("LANES_USER_VISIBILITY").as_deref() {
            None | Some("all") => Visibility::All,
            Some("own") => Visibility::Own,
            Some(other) => {
                return Err(ConfigError {
                    name: "LANES_USER_VISIBILITY",
                    problem: format!("{other:?} must be `all` or `own`"),
                });
            }
        };

        let budgets = |name: &'static str, defaults: Budgets| match get(name) {
            Some(text) => defaults.parse(&text).map_err(|problem| ConfigError { name, problem }),
            None => Ok(defaults),
        };
        let metrics_bind = match get("LANES_METRICS_BIND") {
            Some(text) => Some(text.parse().map_err(|_| ConfigError {
                name: "LANES_METRICS_BIND",
                problem: format!("{text:?} is not an address like 127.0.0.1:9100"),
            })?),
            None => None,
        };
        Ok(Settings {
            metrics_bind,
            rate_limits: budgets("LANES_RATE_LIMITS", Budgets::DEFAULT)?,
            rate_limits_expensive: budgets("LANES_RATE_LIMITS_EXPENSIVE", Budgets::DEFAULT_EXPENSIVE)?,
            user_visibility,
            database_url: Secret::new(get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into())),
            jwt_secret,
            admin_email: get("LANES_ADMIN_EMAIL").map(|e| e.to_lowercase()),
            admin_password: get("LANES_ADMIN_PASSWORD").map(Secret::new),
            public_url: get("LANES_PUBLIC_URL"),
            base_currency,
            fx_rates,
            integrations: IntegrationSettings::from_lookup(&get)?,
        })
    }

    /// Session cookies are `Secure` only when Lanes is served over https.
    pub fn cookies_secure(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// Where a generated JWT secret is kept: next to the SQLite file. `None` for PostgreSQL,
    /// where every instance must share one secret and so it must be configured.
    pub fn jwt_secret_file(&self) -> Option<PathBuf> {
        sqlite_path(self.database_url.expose()).map(|db| {
            let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "lanes".into());
            name.push(".jwt-secret");
            db.with_file_name(name)
        })
    }
}

/// The JWT signing secret: configured, or for SQLite generated once (256 random bits) and kept
/// in a 0600 file next to the database. PostgreSQL deployments may run several instances, which
/// must share one secret, so there it has to be configured.
pub fn load_or_create_jwt_secret(settings: &Settings) -> Result<Secret, ConfigError> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok(secret.clone());
    }
    let missing = |problem: String| ConfigError { name: "LANES_JWT_SECRET", problem };
    let path = settings
        .jwt_secret_file()
        .ok_or_else(|| missing("must be set when the database is PostgreSQL (every instance shares it)".into()))?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let secret = text.trim().to_owned();
            check_jwt_secret(&secret)?;
            Ok(Secret::new(secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use rand::Rng;
            let bytes: [u8; 32] = rand::rng().random();
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            write_private_file(&path, &secret)
                .map_err(|e| missing(format!("could not write {}: {e}", path.display())))?;
            tracing::info!(path = %path.display(), "generated a new JWT secret");
            Ok(Secret::new(secret))
        }
        Err(e) => Err(missing(format!("could not read {}: {e}", path.display()))),
    }
}

/// Creates `path` readable by its owner only, and fails if it already exists.
fn write_private_file(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

pub fn check_jwt_secret(secret: &str) -> Result<(), ConfigError> {
    if secret.len() < MIN_JWT_SECRET_BYTES {
        return Err(ConfigError {
            name: "LANES_JWT_SECRET",
            problem: format!("is {} bytes long; use at least {MIN_JWT_SECRET_BYTES} random bytes", secret.len()),
        });
    }
    Ok(())
}

/// The file path inside a `sqlite:` URL, if it is one (and not in-memory).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

fn parse_fx_rates(text: &str) -> Result<BTreeMap<String, f64>, ConfigError> {
    let bad = |problem: String| ConfigError { name: "LANES_FX_RATES", problem };
    let mut rates = BTreeMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, rate) = pair.split_once('=').ok_or_else(|| bad(format!("{pair:?} is not CODE=RATE")))?;
        let code = code.trim().to_uppercase();
        if !is_currency_code(&code) {
            return Err(bad(format!("{code:?} is not a three-letter currency code")));
        }
        let rate: f64 = rate
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| r.is_finite() && *r > 0.0)
            .ok_or_else(|| bad(format!("the rate for {code} must be a positive number")))?;
        rates.insert(code, rate);
    }
    Ok(rates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_to_embedded_sqlite() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database_url.expose(), DEFAULT_DATABASE_URL);
        assert_eq!(s.jwt_secret_file(), Some(PathBuf::from("lanes.db.jwt-secret")));
        assert_eq!(s.base_currency, "USD");
        assert!(!s.cookies_secure());
    }

    #[test]
    fn refuses_short_jwt_secret() {
        let err = settings(&[("LANES_JWT_SECRET", "too-short")]).unwrap_err();
        assert_eq!(err.name, "LANES_JWT_SECRET");
        assert!(settings(&[("LANES_JWT_SECRET", &"x".repeat(32))]).is_ok());
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s = settings(&[
            ("LANES_JWT_SECRET", "a-very-secret-value-that-is-long-enough"),
            ("DATABASE_URL", "postgres://lanes:hunter2@db/lanes"),
        ])
        .unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("a-very-secret"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn parses_fx_rates_and_rejects_nonsense() {
        let s = settings(&[("LANES_FX_RATES", "eur=1.08, GBP=1.27")]).unwrap();
        assert_eq!(s.fx_rates.get("EUR"), Some(&1.08));
        assert_eq!(s.fx_rates.get("GBP"), Some(&1.27));
        assert!(settings(&[("LANES_FX_RATES", "EUR=-1")]).is_err());
        assert!(settings(&[("LANES_FX_RATES", "EURO=1")]).is_err());
    }

    #[test]
    fn generates_a_private_secret_file_once() {
        let dir = std::env::temp_dir().join(format!("lanes-cfg-{}", super::super::ids::new_id("T")));
        let url = format!("sqlite://{}/x.db?mode=rwc", dir.display());
        let s = settings(&[("DATABASE_URL", &url)]).unwrap();
        let first = load_or_create_jwt_secret(&s).unwrap();
        assert_eq!(first.expose().len(), 64);
        let second = load_or_create_jwt_secret(&s).unwrap();
        assert_eq!(first, second, "the secret must survive restarts");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("x.db.jwt-secret")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(dir);
        let pg = settings(&[("DATABASE_URL", "postgres://localhost/lanes")]).unwrap();
        assert!(load_or_create_jwt_secret(&pg).is_err());
    }

    #[test]
    fn postgres_needs_no_secret_file() {
        let s = settings(&[("DATABASE_URL", "postgres://localhost/lanes")]).unwrap();
        assert_eq!(s.jwt_secret_file(), None);
        assert_eq!(sqlite_path("sqlite:///tmp/x.db?mode=rwc"), Some(PathBuf::from("/tmp/x.db")));
    }

    #[test]
    fn integration_urls_default_to_the_real_services_and_are_checked() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.integrations.o365_graph_url, "https://graph.microsoft.com/v1.0");
        assert_eq!(s.integrations.google_routes_url, "https://routes.googleapis.com");
        assert_eq!(s.integrations.reminder_interval_secs, 60);
        let s = settings(&[("LANES_LLM_URL", "http://127.0.0.1:11434/v1/")]).unwrap();
        assert_eq!(s.integrations.llm_url.as_deref(), Some("http://127.0.0.1:11434/v1"));
        assert!(settings(&[("LANES_BOS_URL", "file:///etc/passwd")]).is_err());
        assert!(settings(&[("LANES_O365_GRAPH_URL", "https://x/?a=b")]).is_err());
        assert!(settings(&[("LANES_REMINDER_INTERVAL_SECS", "0")]).is_err());
    }
}
