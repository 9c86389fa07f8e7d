//! Who is asking: passwords (argon2id), tokens (JWT HS256) and the `AuthUser` extractor that
//! REST handlers and server functions share. A bad or expired credential is a 401, never
//! "anonymous".

use std::sync::LazyLock;

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use axum::{
    extract::{FromRef, FromRequestParts},
    http::{HeaderMap, header, request::Parts},
};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::{AppState, config::Secret, error::internal};
use crate::{error::AppError, model::Role};

/// Lifetime of an access token (and of the browser session cookie), in seconds.
pub const TOKEN_TTL_SECS: i64 = 3600;
/// The browser keeps its token in this HttpOnly cookie.
pub const SESSION_COOKIE: &str = "lanes_session";

/// OWASP's argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A real hash of a random password: checked when the email is unknown, so that an unknown email
/// costs the same time as a wrong password and the two cannot be told apart.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(super::ids::new_id("dummy-").as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
});

/// Computes the dummy hash ahead of the first login.
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(|| DUMMY_HASH.len()).await;
}

/// Hashes a password off the async runtime (argon2 takes tens of milliseconds of CPU).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| internal("password hashing task failed", e))?
    .map_err(|e| internal("password hashing failed", e))
}

/// Checks `password` against `hash`, or against the dummy hash when there is no user.
pub async fn verify_password(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        PasswordHash::new(&hash)
            .map(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// The claims of a Lanes access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
}

/// Signing and checking keys for HS256 tokens. The algorithm is pinned: `alg: none` and every
/// other algorithm are refused.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &Secret) -> Result<Self, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        validation.leeway = 5;
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes())?,
            decoding: DecodingKey::from_secret(secret.expose().as_bytes())?,
            validation,
        })
    }

    pub fn issue(&self, user_id: &str, role: Role) -> Result<String, AppError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims { sub: user_id.to_owned(), role, iat: now, exp: now + TOKEN_TTL_SECS };
        jsonwebtoken::encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| internal("token signing failed", e))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| AppError::unauthorized("Invalid or expired token"))
    }
}

/// The signed-in user of a request, loaded fresh from the database (a deactivated user or a
/// changed role takes effect at once, not when the token expires).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub user_id: String,
    pub email: String,
    pub username: String,
    pub role: Role,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Admins and managers may change any record.
    pub fn manages_all(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Manager)
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() { Ok(()) } else { Err(AppError::forbidden("Only an admin may do this")) }
    }

    /// Viewers read only.
    pub fn require_writer(&self) -> Result<(), AppError> {
        if self.role == Role::Viewer { Err(AppError::forbidden("Viewers have read-only access")) } else { Ok(()) }
    }
}

/// The credential of a request: the `Authorization: Bearer` header first, else the session cookie.
pub fn credential(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().unwrap_or_default();
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| AppError::unauthorized("Authorization header must be 'Bearer <token>'"))?;
        return Ok(Some(token.to_owned()));
    }
    Ok(session_cookie_value(headers))
}

fn session_cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// Resolves the user behind a request's credential. No credential: `Ok(None)`; a bad one: 401.
pub async fn authenticate_optional(state: &AppState, headers: &HeaderMap) -> Result<Option<AuthUser>, AppError> {
    let Some(token) = credential(headers)? else { return Ok(None) };
    let claims = state.jwt.verify(&token)?;
    let user = super::users::find_active(&state.db, &claims.sub)
        .await?
        .ok_or_else(|| AppError::unauthorized("Invalid or expired token"))?;
    Ok(Some(AuthUser { user_id: user.user_id, email: user.email, username: user.username, role: user.role }))
}

/// Resolves the user behind a request's credential; no credential is a 401.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<AuthUser, AppError> {
    authenticate_optional(state, headers).await?.ok_or_else(|| AppError::unauthorized("Not authenticated"))
}

impl<S> FromRequestParts<S> for AuthUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        authenticate(&AppState::from_ref(state), &parts.headers).await
    }
}

/// `Set-Cookie` value that starts a browser session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={TOKEN_TTL_SECS}{secure}")
}

/// `Set-Cookie` value that ends a browser session.
pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&Secret::new(secret)).unwrap()
    }

    #[test]
    fn tokens_round_trip_and_reject_other_keys() {
        let a = keys("a-secret-that-is-at-least-32-bytes-long!!");
        let b = keys("another-secret-that-is-32-bytes-or-more!!");
        let token = a.issue("USR_ABCDEFGH", Role::Manager).unwrap();
        let claims = a.verify(&token).unwrap();
        assert_eq!(claims.sub, "USR_ABCDEFGH");
        assert_eq!(claims.role, Role::Manager);
        assert_eq!(claims.exp - claims.iat, TOKEN_TTL_SECS);
        assert_eq!(b.verify(&token).unwrap_err().status(), 401);
    }

    #[test]
    fn rejects_alg_none_and_expired_tokens() {
        let a = keys("a-secret-that-is-at-least-32-bytes-long!!");
        let now = chrono::Utc::now().timestamp();
        let header = base64_url(r#"{"alg":"none","typ":"JWT"}"#);
        let body = base64_url(&format!(r#"{{"sub":"USR_ABCDEFGH","role":"admin","iat":{now},"exp":{}}}"#, now + 600));
        assert!(a.verify(&format!("{header}.{body}.")).is_err());

        let expired = Claims { sub: "USR_ABCDEFGH".into(), role: Role::Admin, iat: now - 7200, exp: now - 3600 };
        let token = jsonwebtoken::encode(&Header::default(), &expired, &a.encoding).unwrap();
        assert!(a.verify(&token).is_err());
    }

    /// Unpadded base64url, enough to forge a token by hand.
    fn base64_url(text: &str) -> String {
        const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bytes = text.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn reads_bearer_header_before_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "theme=dark; lanes_session=from-cookie".parse().unwrap());
        assert_eq!(credential(&headers).unwrap().as_deref(), Some("from-cookie"));
        headers.insert(header::AUTHORIZATION, "Bearer from-header".parse().unwrap());
        assert_eq!(credential(&headers).unwrap().as_deref(), Some("from-header"));
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(credential(&headers).unwrap_err().status(), 401);
    }

    #[test]
    fn session_cookie_is_http_only_and_lax() {
        let cookie = session_cookie("tok", false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"));
        assert!(session_cookie("tok", true).ends_with("; Secure"));
    }

    #[tokio::test]
    async fn passwords_verify_only_with_the_right_password() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(Some(hash.clone()), "correct horse battery".into()).await);
        assert!(!verify_password(Some(hash), "wrong".into()).await);
        assert!(!verify_password(None, "anything".into()).await);
    }
}
