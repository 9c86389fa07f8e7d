//! Server functions of `/admin/users` (admins only; the service layer checks).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::{
    error::AppError,
    model::{RegisterRequest, User, UserChange},
};

#[server(prefix = "/api", endpoint = "users")]
pub async fn load_users() -> Result<Vec<User>, AppError> {
    use crate::server::users;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(users::list_for(&state, &access.user).await)
}

#[server(prefix = "/api", endpoint = "add_user", input = Json)]
pub async fn add_user(request: RegisterRequest) -> Result<User, AppError> {
    use crate::server::users;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(users::register(&state, &access.user, request).await)
}

#[server(prefix = "/api", endpoint = "change_user", input = Json)]
pub async fn change_user(user_id: String, change: UserChange) -> Result<User, AppError> {
    use crate::server::users;
    let (state, access) = super::crm::caller().await?;
    super::session::with_status(users::update(&state, &access.user, &user_id, change).await)
}
