//! Decoding success bodies: tolerant by default, exact in strict mode, and
//! every failure naming the JSON path where it happened.
//!
//! Tolerance itself is in the generated types (identity fields required,
//! everything else optional, lossless scalars, unknown fields kept in
//! `extra`); this module adds what a type cannot: the path of a failure, the
//! check of a response against its documented [`Shape`] (strict mode, and the
//! debug-level trace of each deviation), and the `{"success": …, "data": …}`
//! envelope.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::lenient;
use crate::shape::{Deviations, Path, Segment, Shape};
use crate::{Error, ErrorBody};

/// What an envelope held: its payload, or the provider's error
/// (`"success": false`) as the whole body.
#[derive(Debug)]
pub enum Enveloped<T> {
    /// `"success": true`: the payload.
    Success(T),
    /// `"success": false`: the provider's error.
    Failure(ErrorBody),
}

/// Decodes a JSON body that the spec documents as `shape` into `T`.
///
/// Tolerant (`strict: false`): whatever the generated type accepts (see the
/// README's "What the clients accept"); a body that does not decode is
/// [`Error::Decode`] with the JSON path of the first offending value. Strict:
/// the body must be exactly as documented (every deviation, at most
/// [`MAX_DEVIATIONS`](crate::shape::MAX_DEVIATIONS), listed in
/// [`Error::Deviations`]), and is then decoded the same way.
pub fn decode_json<T: DeserializeOwned>(
    body: &[u8],
    shape: &Shape,
    strict: bool,
) -> Result<T, Error> {
    if strict {
        let mut value = parse(body)?;
        check(shape, &value)?;
        shape.unalias(&mut value);
        from_value(value, &[], body)
    } else {
        from_slice(body, &[], body, shape)
    }
}

/// Decodes an envelope (`{"success": true, "<field>": …}`) documented as
/// `shape`, whose payload is a `T`. `success` may be `true`/`false` or their
/// text; the payload must be present and not `null`. Other members of the
/// envelope are not lost: they join the payload's own members (which win a
/// clash), so a payload type that keeps unknown fields (`extra`) has them.
pub fn decode_envelope<T: DeserializeOwned>(
    body: &[u8],
    field: &str,
    shape: &Shape,
    strict: bool,
) -> Result<Enveloped<T>, Error> {
    if strict {
        check(shape, &parse(body)?)?;
    }
    let Member(members) = serde_json::from_slice(body)
        .map_err(|error| Error::decode_at(error, Some("$".to_owned()), body))?;
    let member = |name: &str| {
        members
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| *value)
    };
    let success = member("success").ok_or_else(|| {
        Error::decode_at(
            "missing field `success`",
            Some("$.success".to_owned()),
            body,
        )
    })?;
    let success: bool =
        lenient::required(&mut serde_json::Deserializer::from_str(success.get()))
            .map_err(|error| Error::decode_at(error, Some("$.success".to_owned()), body))?;
    if !success {
        return Ok(Enveloped::Failure(ErrorBody::from_value(parse(body)?)));
    }
    let at = [field];
    let payload_shape = shape.property(field).unwrap_or(&Shape::Any);
    let payload = member(field).ok_or_else(|| {
        Error::decode_at(
            format!("missing field `{field}`"),
            Some(format!("$.{field}")),
            body,
        )
    })?;
    let others: Vec<&(String, &RawValue)> = members
        .iter()
        .filter(|(key, _)| key != "success" && key != field)
        .collect();
    if others.is_empty() {
        return from_slice(payload.get().as_bytes(), &at, body, payload_shape)
            .map(Enveloped::Success);
    }
    let mut payload = parse(payload.get().as_bytes())?;
    payload_shape.unalias(&mut payload);
    if let Value::Object(object) = &mut payload {
        for (key, value) in others {
            if !object.contains_key(key) {
                object.insert(key.clone(), parse(value.get().as_bytes())?);
            }
        }
    }
    from_value(payload, &at, body).map(Enveloped::Success)
}

/// `body` as `{"<field>": <body>}` when it is a bare JSON array (its first
/// byte after white space is `[`), else as it is.
pub(crate) fn wrap_bare_array<'a>(body: &'a [u8], field: &str) -> std::borrow::Cow<'a, [u8]> {
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    if first != Some(&b'[') {
        return std::borrow::Cow::Borrowed(body);
    }
    let key = serde_json::to_string(field).unwrap_or_default();
    let mut wrapped = Vec::with_capacity(body.len() + key.len() + 3);
    wrapped.push(b'{');
    wrapped.extend_from_slice(key.as_bytes());
    wrapped.push(b':');
    wrapped.extend_from_slice(body);
    wrapped.push(b'}');
    std::borrow::Cow::Owned(wrapped)
}

/// The members of a JSON object, undecoded.
struct Member<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Member<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Members<'a> {
            type Value = Member<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Member<'a>, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'a RawValue>()? {
                    members.push(entry);
                }
                Ok(Member(members))
            }
        }
        deserializer.deserialize_map(Members(std::marker::PhantomData))
    }
}

/// Every deviation of `value` from `shape`, as an error when there is one.
fn check(shape: &Shape, value: &Value) -> Result<(), Error> {
    let deviations: Deviations = shape.deviations(value);
    if deviations.is_empty() {
        Ok(())
    } else {
        Err(Error::Deviations(deviations))
    }
}

/// The body as a JSON value.
pub(crate) fn parse(body: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|error| Error::decode_at(error, None, body))
}

/// `T` from `bytes` (all of `body`, or a part of it at `prefix`, documented
/// as `shape`): the fast way, and, only when that fails, again to find the
/// path of the failure; a failure that is a key repeating its property under
/// another name with the same value (see [`Shape::unalias`]) is decoded once
/// more without the repeat.
fn from_slice<T: DeserializeOwned>(
    bytes: &[u8],
    prefix: &[&str],
    body: &[u8],
    shape: &Shape,
) -> Result<T, Error> {
    let error = match serde_json::from_slice(bytes) {
        Ok(decoded) => return Ok(decoded),
        Err(error) => error,
    };
    if error.to_string().starts_with("duplicate field")
        && let Ok(mut value) = serde_json::from_slice::<Value>(bytes)
        && shape.unalias(&mut value)
    {
        return from_value(value, prefix, body);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    Err(
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(_) => Error::decode_at(error, None, body),
            // A body that is not JSON (or is cut off) has no path to name:
            // serde_json's line and column say where.
            Err(error) if error.inner().is_syntax() || error.inner().is_eof() => {
                Error::decode_at(error.inner(), None, body)
            }
            Err(error) => Error::decode_at(error.inner(), Some(error_path(prefix, &error)), body),
        },
    )
}

/// `T` from an already parsed `value` (at `prefix` in `body`).
fn from_value<T: DeserializeOwned>(value: Value, prefix: &[&str], body: &[u8]) -> Result<T, Error> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map_err(|error| Error::decode_at(error.inner(), Some(error_path(prefix, &error)), body))
}

/// The JSON path of a failure: where it happened, and for a missing field
/// (which serde reports at its object) the field itself.
fn error_path<E: std::fmt::Display>(
    prefix: &[&str],
    error: &serde_path_to_error::Error<E>,
) -> String {
    use serde_path_to_error::Segment as At;
    let key = |key: &str| Segment::Key(key.to_owned());
    let mut path: Vec<Segment> = prefix.iter().map(|part| key(part)).collect();
    path.extend(error.path().iter().map(|segment| match segment {
        At::Seq { index } => Segment::Index(*index),
        At::Map { key: name } => key(name),
        At::Enum { variant } => key(variant),
        At::Unknown => key("?"),
    }));
    let message = error.inner().to_string();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        path.push(key(field));
    }
    Path(path).to_string()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::{Enveloped, decode_envelope, decode_json};
    use crate::Error;
    use crate::shape::{Object, Property, Shape};

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        #[serde(default, deserialize_with = "crate::lenient::optional")]
        total: Option<i64>,
        #[serde(default)]
        items: Option<Vec<Item>>,
        #[serde(flatten)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(deserialize_with = "crate::lenient::required")]
        id: i64,
    }

    static ITEM: Object = Object {
        name: "Item",
        properties: &[Property {
            name: "id",
            aliases: &[],
            shape: &Shape::Integer64,
            required: true,
            nullable: false,
        }],
    };
    static PAGE: Object = Object {
        name: "Page",
        properties: &[
            Property {
                name: "total",
                aliases: &[],
                shape: &Shape::Integer64,
                required: true,
                nullable: false,
            },
            Property {
                name: "items",
                aliases: &[],
                shape: &Shape::Array(&Shape::Object(&ITEM)),
                required: true,
                nullable: false,
            },
        ],
    };
    static ENVELOPE: Object = Object {
        name: "envelope",
        properties: &[
            Property {
                name: "success",
                aliases: &[],
                shape: &Shape::Boolean,
                required: true,
                nullable: false,
            },
            Property {
                name: "data",
                aliases: &[],
                shape: &Shape::Object(&PAGE),
                required: true,
                nullable: false,
            },
        ],
    };

    fn decode_error(result: Result<impl std::fmt::Debug, Error>) -> (String, Option<String>) {
        match result.unwrap_err() {
            Error::Decode { message, path, .. } => (message, path),
            other => panic!("not a decode error: {other}"),
        }
    }

    #[test]
    fn a_bare_array_is_read_as_its_wrapper_and_anything_else_is_left_alone() {
        let wrapped = super::wrap_bare_array(b" \n[{\"id\": 1}]", "items");
        let page = decode_json::<Page>(&wrapped, &Shape::Object(&PAGE), false).unwrap();
        assert_eq!(page.items, Some(vec![Item { id: 1 }]));
        let Err(Error::Deviations(deviations)) =
            decode_json::<Page>(&wrapped, &Shape::Object(&PAGE), true)
        else {
            panic!("strict mode accepted a page without its total");
        };
        assert_eq!(
            deviations.list[0].to_string(),
            "$.total: missing, the spec documents it as always present"
        );
        for body in [&b"{\"items\": []}"[..], b"", b"  null", b"\"[\""] {
            assert_eq!(&*super::wrap_bare_array(body, "items"), body);
        }
    }

    #[test]
    fn a_failure_names_its_json_path() {
        let body = br#"{"total": 2, "items": [{"id": 1}, {"id": "two"}]}"#;
        let (message, path) = decode_error(decode_json::<Page>(body, &Shape::Object(&PAGE), false));
        assert_eq!(path.as_deref(), Some("$.items[1].id"));
        assert!(message.contains("expected a 64-bit integer"), "{message}");
        let (_, path) = decode_error(decode_json::<Page>(b"[1]", &Shape::Object(&PAGE), false));
        assert_eq!(path.as_deref(), Some("$"));
    }

    #[test]
    fn strict_mode_lists_every_deviation_and_tolerant_mode_decodes() {
        let body = br#"{"total": "2", "items": [{"id": 1, "name": "x"}], "cursor": null}"#;
        let tolerant = decode_json::<Page>(body, &Shape::Object(&PAGE), false).unwrap();
        assert_eq!(tolerant.total, Some(2));
        assert_eq!(tolerant.extra["cursor"], serde_json::Value::Null);
        let Err(Error::Deviations(deviations)) =
            decode_json::<Page>(body, &Shape::Object(&PAGE), true)
        else {
            panic!("strict mode accepted a deviating body");
        };
        let listed: Vec<String> = deviations.list.iter().map(ToString::to_string).collect();
        assert_eq!(
            listed,
            [
                "$.total: a string, the spec says an integer",
                "$.items[0].name: a field the spec does not describe",
                "$.cursor: a field the spec does not describe",
            ]
        );
        let exact = br#"{"total": 2, "items": []}"#;
        assert!(decode_json::<Page>(exact, &Shape::Object(&PAGE), true).is_ok());
    }

    #[test]
    fn an_envelope_gives_its_payload_or_its_error_and_keeps_its_other_members() {
        let shape = Shape::Object(&ENVELOPE);
        let body = br#"{"success": "true", "data": {"total": 1, "items": [{"id": 7}]}, "requestId": "r-1"}"#;
        let Ok(Enveloped::Success(page)) = decode_envelope::<Page>(body, "data", &shape, false)
        else {
            panic!("not a success");
        };
        assert_eq!(page.items, Some(vec![Item { id: 7 }]));
        assert_eq!(page.extra["requestId"], "r-1");

        let failure = br#"{"success": false, "code": "Forbidden", "message": "no"}"#;
        let Ok(Enveloped::Failure(error)) = decode_envelope::<Page>(failure, "data", &shape, false)
        else {
            panic!("not a failure");
        };
        assert_eq!(error.code(), Some("Forbidden"));

        for (body, path) in [
            (&br#"{"data": {}}"#[..], "$.success"),
            (br#"{"success": null, "data": {}}"#, "$.success"),
            (br#"{"success": true}"#, "$.data"),
            (br#"{"success": true, "data": null}"#, "$.data"),
            (
                br#"{"success": true, "data": {"items": [{"id": "x"}]}}"#,
                "$.data.items[0].id",
            ),
            (br#"[]"#, "$"),
        ] {
            let (_, found) = decode_error(decode_envelope::<Page>(body, "data", &shape, false));
            assert_eq!(
                found.as_deref(),
                Some(path),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let strict = decode_envelope::<Page>(body, "data", &shape, true).unwrap_err();
        assert!(
            strict
                .to_string()
                .contains("$.requestId: a field the spec does not describe"),
            "{strict}"
        );
    }
}
