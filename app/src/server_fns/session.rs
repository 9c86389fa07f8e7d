use leptos::prelude::*;

use crate::{error::AppError, model::User};

/// Signs in with email and password: sets the HttpOnly session cookie and goes to the dashboard.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::{
        model::LoginRequest,
        server::{AppState, auth, users},
    };
    let state = expect_context::<AppState>();
    let client = use_context::<http::request::Parts>()
        .map(|parts| crate::server::rate_limit::client_ip(&parts.extensions))
        .unwrap_or_else(|| "unknown".to_owned());
    let token = with_status(users::login(&state, LoginRequest { email, password }, &client).await)?;
    set_cookie(&auth::session_cookie(&token.access_token, state.settings.cookies_secure()));
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends the browser session.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{AppState, auth};
    let state = expect_context::<AppState>();
    set_cookie(&auth::clear_session_cookie(state.settings.cookies_secure()));
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, or `None` when there is no valid session.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    use crate::server::{AppState, auth, users};
    let state = expect_context::<AppState>();
    let Some(parts) = use_context::<http::request::Parts>() else { return Ok(None) };
    // An expired or tampered cookie simply means "signed out" for the pages.
    let Ok(Some(user)) = auth::authenticate_optional(&state, &parts.headers).await else { return Ok(None) };
    users::find_active(&state.db, &user.user_id).await
}

#[cfg(feature = "ssr")]
fn set_cookie(cookie: &str) {
    use http::{HeaderValue, header::SET_COOKIE};
    if let (Some(options), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(cookie)) {
        options.append_header(SET_COOKIE, value);
    }
}

/// Gives a failing server function the HTTP status of its error (a refused login is a 401, not a
/// 500), so the browser, logs and proxies see what really happened.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result
        && let (Some(options), Ok(status)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(error.status()))
    {
        options.set_status(status);
    }
    result
}
