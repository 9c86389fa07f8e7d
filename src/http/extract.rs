//! Extractors whose rejections are our `{"detail"}` errors instead of axum's plain text.

use app::error::AppError;
use axum::{
    extract::{FromRequest, Request},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

/// A JSON object body. Malformed JSON is 400, a wrong content type 415, anything but an object
/// 400 (serde would otherwise read `[null, null]` as a struct of its fields in order), and an
/// object that does not fit the request type (missing field, wrong type, unknown field, bad enum
/// value) 400 naming the field.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection as R;
        let value = match axum::Json::<serde_json::Value>::from_request(request, state).await {
            Ok(axum::Json(value)) => value,
            Err(R::MissingJsonContentType(_)) => {
                return Err(AppError::new(
                    app::error::ErrorKind::UnsupportedMediaType,
                    "Expected a JSON body with Content-Type: application/json",
                ));
            }
            Err(R::JsonSyntaxError(e)) => {
                return Err(AppError::bad_request(format!("Malformed JSON: {}", e.body_text())));
            }
            Err(R::BytesRejection(e)) => {
                let kind = if e.status().as_u16() == 413 {
                    app::error::ErrorKind::PayloadTooLarge
                } else {
                    app::error::ErrorKind::BadRequest
                };
                return Err(AppError::new(kind, e.body_text()));
            }
            Err(other) => return Err(AppError::bad_request(other.body_text())),
        };
        if !value.is_object() {
            return Err(AppError::bad_request("Invalid request body: expected a JSON object"));
        }
        // The path (`owner.role: unknown variant …`) tells the client which field is wrong.
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| AppError::bad_request(format!("Invalid request body: {e}")))
    }
}

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The query string as ordered pairs, for list filters (the service layer checks the names).
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for QueryPairs {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(QueryPairs)
            .map_err(|e| AppError::bad_request(format!("Malformed query string: {e}")))
    }
}

/// The `If-Match` precondition of a write, if any.
pub struct IfMatch(pub Option<app::server::crm::records::Precondition>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let value = parts.headers.get(axum::http::header::IF_MATCH).map(|v| v.to_str().unwrap_or("\u{0}"));
        app::server::crm::records::parse_if_match(value).map(IfMatch)
    }
}

/// A JSON body that may be left out entirely (then `T::default()`), for actions whose body is
/// optional, like `PUT /tasks/{id}/complete`.
pub struct JsonOrDefault<T>(pub T);

impl<S, T> FromRequest<S> for JsonOrDefault<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
        let headers = request.headers();
        let empty = headers.get(CONTENT_LENGTH).is_some_and(|v| v == "0")
            || (headers.get(CONTENT_LENGTH).is_none() && headers.get(CONTENT_TYPE).is_none());
        if empty {
            return Ok(JsonOrDefault(T::default()));
        }
        ApiJson::<T>::from_request(request, state).await.map(|ApiJson(value)| JsonOrDefault(value))
    }
}
