//! Responses wrapped in `{"success": true, "data": ...}`.

use progenitor_client::{Error, ResponseValue};
use serde::de::{DeserializeOwned, Error as _};
use serde_json::value::RawValue;

/// Decodes a success response wrapped in an envelope (a spec schema marked
/// `x-envelope: <field>`): `{"success": true, "<field>": ...}` gives the field's
/// value; `"success": false` is the provider's error, returned as
/// [`Error::ErrorResponse`] with the whole body decoded as `E` and the HTTP
/// status (a 2xx); a body that is not such an envelope is
/// [`Error::InvalidResponsePayload`] holding the body.
///
/// Generated operations call this instead of `ResponseValue::from_response`.
pub async fn unwrap_envelope<T, E>(
    response: reqwest::Response,
    field: &str,
) -> Result<ResponseValue<T>, Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let invalid = |error| Error::InvalidResponsePayload(body.clone(), error);
    let envelope: std::collections::HashMap<String, &RawValue> =
        serde_json::from_slice(&body).map_err(invalid)?;
    let success = envelope
        .get("success")
        .ok_or_else(|| invalid(serde_json::Error::missing_field("success")))?;
    match serde_json::from_str::<bool>(success.get()).map_err(invalid)? {
        true => {
            let data = envelope.get(field).ok_or_else(|| {
                invalid(serde_json::Error::custom(format!(
                    "missing field `{field}`"
                )))
            })?;
            let inner = serde_json::from_str(data.get()).map_err(invalid)?;
            Ok(ResponseValue::new(inner, status, headers))
        }
        false => {
            let error = serde_json::from_slice(&body).map_err(invalid)?;
            Err(Error::ErrorResponse(ResponseValue::new(
                error, status, headers,
            )))
        }
    }
}
