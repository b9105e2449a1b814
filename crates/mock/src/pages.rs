//! Pages as an operation's documented pagination (`x-pagination`) lays them
//! out: the documented example as the first page of a listing, or a test's
//! own items served as the request asks for them.

use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// What an operation's `x-pagination` says.
struct Pagination<'a> {
    /// `offset`/`limit`, or `cursor`/`limit` (the mock's cursors are
    /// offsets, as text), rather than `page`/`per_page` from 1.
    offset_style: bool,
    /// The query parameters of the position (page, offset or cursor) and
    /// the size.
    position: Option<&'a str>,
    size: Option<&'a str>,
    /// Dotted paths in the payload: whether more follow (`has_more`) and the
    /// next page's cursor (`next`).
    has_more: Option<&'a str>,
    next: Option<&'a str>,
    /// Dotted paths in the payload: the items (none: the payload is the
    /// list), the totals and the position it reports.
    items: Option<&'a str>,
    total: Option<&'a str>,
    total_pages: Option<&'a str>,
    current: Option<&'a str>,
    /// The page size when neither the request nor the parameter says.
    page_size: Option<u64>,
}

impl<'a> Pagination<'a> {
    fn of(pagination: &'a Value) -> Self {
        let text = |key: &str| pagination.get(key).and_then(Value::as_str);
        let offset_style = matches!(text("style"), Some("offset" | "cursor"));
        Self {
            offset_style,
            position: match text("style") {
                Some("offset") => text("offset"),
                Some("cursor") => text("cursor"),
                _ => text("page"),
            },
            size: if offset_style {
                text("limit")
            } else {
                text("per_page")
            },
            has_more: text("has_more"),
            next: text("next"),
            items: text("items"),
            total: text("total"),
            total_pages: text("total_pages"),
            current: text("current"),
            page_size: pagination.get("page_size").and_then(Value::as_u64),
        }
    }

    /// The first position: page 1, or offset 0.
    fn first(&self) -> u64 {
        u64::from(!self.offset_style)
    }

    /// The number `query` gives the parameter `name` (a cursor the mock gave
    /// is one too).
    fn asked(query: &[(String, String)], name: Option<&str>) -> Option<u64> {
        query
            .iter()
            .find(|(key, _)| Some(key.as_str()) == name)
            .and_then(|(_, value)| value.parse::<u64>().ok())
    }

    /// The position `query` asks for, else the first. A cursor that is not
    /// one of the mock's (the documented example's own) points past the
    /// example's items.
    fn position(&self, query: &[(String, String)]) -> u64 {
        let given = query
            .iter()
            .any(|(key, _)| Some(key.as_str()) == self.position);
        match Self::asked(query, self.position) {
            Some(position) => position,
            None if given => u64::MAX,
            None => self.first(),
        }
    }
}

/// Makes `payload` (the example) the page asked for in `query` of a listing
/// whose items are the example's: the first page (or offset 0, or no cursor)
/// is the example as documented; a later one holds no items, reports the page
/// (or offset) asked for, says no more follow and gives no next cursor. A client paging through the mock then ends at that empty page,
/// as it would against a server that pages correctly (and not at a page that
/// repeats the first, or says it is the first again).
pub(crate) fn page_of_example(
    spec: &Spec,
    operation: &Value,
    pagination: &Value,
    query: &[(String, String)],
    payload: &mut Value,
) {
    let pagination = Pagination::of(pagination);
    let requested = pagination.position(query);
    if requested == pagination.first() {
        return;
    }
    let items = match pagination.items {
        // The example may hold the list under another of its names.
        Some(field) => names(spec, operation, field)
            .into_iter()
            .find(|name| payload.get(name).is_some())
            .and_then(|name| payload.get_mut(name)),
        None => Some(&mut *payload),
    };
    if let Some(Value::Array(items)) = items {
        items.clear();
    }
    if let Some(path) = pagination.current {
        replace(payload, path, json!(requested));
    }
    if let Some(path) = pagination.has_more {
        replace(payload, path, json!(false));
    }
    if let Some(path) = pagination.next {
        replace(payload, path, json!(""));
    }
}

/// The page of `items` that `query` asks for, as the operation's payload:
/// the items alone (GitCode's bare arrays), or `template` (the documented
/// example's page) with its items replaced and its totals and page number
/// set from `items`.
pub(crate) fn page(
    spec: &Spec,
    operation: &Value,
    pagination: &Value,
    template: Option<Value>,
    query: &[(String, String)],
    items: Vec<Value>,
) -> Value {
    let pagination = Pagination::of(pagination);
    let size = Pagination::asked(query, pagination.size)
        .or_else(|| default_of(spec, operation, pagination.size?))
        .or(pagination.page_size)
        .unwrap_or(20)
        .max(1);
    let position = pagination.position(query);
    let start = if pagination.offset_style {
        position
    } else {
        position.saturating_sub(1).saturating_mul(size)
    };
    let total = items.len() as u64;
    let slice: Vec<Value> = items
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    let Some(items_field) = pagination.items else {
        return Value::Array(slice);
    };
    let mut payload = match template {
        Some(Value::Object(object)) => Value::Object(object),
        _ => Value::Object(Map::new()),
    };
    // The template's list goes, under whichever name it has.
    if let Value::Object(object) = &mut payload {
        for name in names(spec, operation, items_field) {
            object.remove(&name);
        }
    }
    set(&mut payload, items_field, Value::Array(slice));
    if let Some(path) = pagination.total {
        set(&mut payload, path, json!(total));
    }
    if let Some(path) = pagination.total_pages {
        set(&mut payload, path, json!(total.div_ceil(size)));
    }
    if let Some(path) = pagination.current {
        set(&mut payload, path, json!(position));
    }
    let more = start.saturating_add(size) < total;
    if let Some(path) = pagination.has_more {
        set(&mut payload, path, json!(more));
    }
    if let Some(path) = pagination.next {
        let next = if more {
            (start + size).to_string()
        } else {
            String::new()
        };
        set(&mut payload, path, json!(next));
    }
    payload
}

/// The names a member of the operation's JSON success payload goes by: its
/// own and its `x-aliases`.
fn names(spec: &Spec, operation: &Value, field: &str) -> Vec<String> {
    let schema = operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| {
            spec.resolve(response)
                .pointer("/content/application~1json/schema")
        })
        .map(|schema| spec.resolve(schema));
    let aliases = schema
        .and_then(|schema| schema.pointer(&format!("/properties/{field}/x-aliases")))
        .and_then(Value::as_array);
    std::iter::once(field.to_owned())
        .chain(
            aliases
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned),
        )
        .collect()
}

/// The `default` of the operation's parameter `name`.
fn default_of(spec: &Spec, operation: &Value, name: &str) -> Option<u64> {
    let parameters = operation.get("parameters")?.as_array()?;
    parameters
        .iter()
        .map(|parameter| spec.resolve(parameter))
        .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some(name))?
        .pointer("/schema/default")?
        .as_u64()
}

/// Replaces the member at a dotted path (`pagination.totalPages`), when the
/// example has it (a member it leaves out stays out).
fn replace(value: &mut Value, path: &str, new: Value) {
    if let Some(slot) = value.pointer_mut(&format!("/{}", path.replace('.', "/"))) {
        *slot = new;
    }
}

/// Sets the member at a dotted path (`pagination.totalPages`), making the
/// objects on the way where they are missing.
fn set(value: &mut Value, path: &str, new: Value) {
    let mut slot = value;
    for key in path.split('.') {
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot = slot
            .as_object_mut()
            .expect("an object")
            .entry(key)
            .or_insert(Value::Null);
    }
    *slot = new;
}
