//! The routes every CRM record type has, written once: `GET`/`POST` on the collection and
//! `GET`/`PATCH`/`DELETE` on `/{collection}/{id}`. Lists answer the contract's shape:
//! `{"<collection>": [...], "count": n}`, plus `next_cursor`.

use app::{
    error::AppError,
    server::{
        AppState,
        crm::{
            Access,
            records::Precondition,
            resource::{self, Creatable},
        },
    },
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::{Serialize, de::DeserializeOwned};

use super::{ApiJson, IfMatch, QueryPairs, with_etag};

/// A record type the service layer creates and updates.
pub trait Crud: Creatable + Serialize + Send + 'static {
    type Patch: DeserializeOwned + Send + 'static;

    fn update(
        state: &AppState,
        access: &Access,
        id: &str,
        patch: Self::Patch,
        precondition: Option<&Precondition>,
    ) -> impl Future<Output = Result<Self, AppError>> + Send;
}

/// The collection and item routes of `R`. Pass `with_get = false` when the item GET is
/// answered by a richer handler of the resource's own.
pub fn routes<R: Crud>(with_get: bool) -> Router<AppState> {
    let collection = format!("/{}", R::TABLE);
    let item = format!("/{}/{{id}}", R::TABLE);
    let item_routes = if with_get {
        get(get_one::<R>).patch(update::<R>).delete(delete::<R>)
    } else {
        axum::routing::patch(update::<R>).delete(delete::<R>)
    };
    Router::new().route(&collection, get(list::<R>).post(create::<R>)).route(&item, item_routes)
}

async fn list<R: Crud>(
    State(state): State<AppState>,
    access: Access,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let (items, next_cursor) = resource::list::<R>(&state, &access, &pairs).await?;
    let mut body = serde_json::Map::new();
    body.insert("count".into(), items.len().into());
    body.insert(R::TABLE.into(), serde_json::to_value(items).map_err(|e| app::server::error::internal("list", e))?);
    body.insert("next_cursor".into(), next_cursor.into());
    Ok(Json(body).into_response())
}

async fn create<R: Crud>(
    State(state): State<AppState>,
    access: Access,
    ApiJson(input): ApiJson<R::Input>,
) -> Result<Response, AppError> {
    let record: R = resource::create(&state, &access, input).await?;
    Ok((StatusCode::CREATED, with_etag(record.version(), Json(record))).into_response())
}

async fn get_one<R: Crud>(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let record: R = resource::get(&state, &access, &id).await?;
    Ok(with_etag(record.version(), Json(record)))
}

async fn update<R: Crud>(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
    IfMatch(precondition): IfMatch,
    ApiJson(patch): ApiJson<R::Patch>,
) -> Result<Response, AppError> {
    let record = R::update(&state, &access, &id, patch, precondition.as_ref()).await?;
    Ok(with_etag(record.version(), Json(record)))
}

async fn delete<R: Crud>(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    resource::delete::<R>(&state, &access, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
