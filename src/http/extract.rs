//! Extractors whose rejections are our `{"detail"}` errors instead of axum's plain text.

use app::error::AppError;
use axum::{
    extract::{FromRequest, Request},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

/// A JSON body. Malformed JSON is 400, a wrong content type 415, and a body that does not fit
/// the request type (missing field, wrong type, unknown field, bad enum value) 400 naming it.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection as R;
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(R::MissingJsonContentType(_)) => Err(AppError::new(
                app::error::ErrorKind::UnsupportedMediaType,
                "Expected a JSON body with Content-Type: application/json",
            )),
            Err(R::JsonSyntaxError(e)) => Err(AppError::bad_request(format!("Malformed JSON: {}", e.body_text()))),
            Err(R::JsonDataError(e)) => Err(AppError::bad_request(data_error_detail(&e.body_text()))),
            Err(R::BytesRejection(e)) => Err(AppError::new(
                if e.status().as_u16() == 413 {
                    app::error::ErrorKind::PayloadTooLarge
                } else {
                    app::error::ErrorKind::BadRequest
                },
                e.body_text(),
            )),
            Err(other) => Err(AppError::bad_request(other.body_text())),
        }
    }
}

/// axum says "Failed to deserialize the JSON body into the target type: role: unknown variant…";
/// the part after the prefix names the field and the problem, which is what a client needs.
fn data_error_detail(text: &str) -> String {
    let detail = text.strip_prefix("Failed to deserialize the JSON body into the target type: ").unwrap_or(text);
    format!("Invalid request body: {detail}")
}

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
