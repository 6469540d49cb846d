//! The JSON Schema of the scenario format, generated from the types the loader reads
//! (`raw`), for editors that check TOML while typing (taplo, Even Better TOML). It says
//! each key's type, its accepted values where the loader's types say them, and its meaning
//! and units. The checks of values against each other (a node that exists, a stage's
//! `from` that is a neighbour) stay with the loader.

use super::raw::RawFile;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

/// The schema: a whole scenario, or an overlay (a file whose `[scenario]` has `extends`),
/// whose tables may give only the keys they change.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut full = generator.into_root_schema_for::<RawFile>().to_value();
    add_overlay_keys(&mut full);
    let definitions = full
        .get_mut("definitions")
        .and_then(Value::as_object_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    // The overlay's form: every definition again under a name of its own, none required.
    let mut all = Map::new();
    for (name, def) in &definitions {
        let mut relaxed = def.clone();
        relax(&mut relaxed);
        all.insert(format!("Overlay{name}"), relaxed);
    }
    all.extend(definitions);
    let mut root = full.as_object().cloned().unwrap_or_default();
    root.remove("$schema");
    root.remove("title");
    let mut overlay = Value::Object(root.clone());
    relax(&mut overlay);
    // At the top, the overlay's form: every table and key with its description for
    // completion, misspelt keys refused, nothing required (editors that know only older
    // drafts check that much). A file that does not extend a base must also be whole.
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "corridor scenario",
        "description": "A scenario of corridor: rail and road segments, border crossings, ferries, fleets and container flows. Units are in the key names (_km, _h, _teu, _mm) and descriptions. A file whose [scenario] has `extends` is an overlay: its tables give only what they change.",
        "type": "object",
        "additionalProperties": false,
        "properties": overlay["properties"].clone(),
        "definitions": all,
        "if": {
            "properties": { "scenario": { "required": ["extends"] } },
            "required": ["scenario"]
        },
        "then": true,
        "else": Value::Object(root),
    })
}

/// Adds `extends` and `remove` to `[scenario]`: the loader reads them before the rest, to
/// stack an overlay on its base.
fn add_overlay_keys(schema: &mut Value) {
    let Some(props) = schema
        .pointer_mut("/definitions/RawHeader/properties")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    props.insert(
        "extends".into(),
        json!({
            "description": "Makes this file an overlay of the base scenario at this path (relative to this file): the base, with this file's tables merged by id.",
            "type": "string"
        }),
    );
    props.insert(
        "remove".into(),
        json!({
            "description": "In an overlay: elements of the base, or keys of them, to delete before the merge: \"id\", \"kind:id\" or \"kind:id.key\".",
            "type": "array",
            "items": { "type": "string" }
        }),
    );
}

/// Makes `schema` an overlay's: no key required, and every reference to a definition
/// pointing at the overlay's form of it.
fn relax(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.remove("required");
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/definitions/") {
                    *r = format!("#/definitions/Overlay{name}");
                }
            }
            for v in map.values_mut() {
                relax(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(relax),
        _ => {}
    }
}

/// The keys a table of kind `kind` (`crossing`, `road`, ...) accepts, from the loader's
/// types; none for a name that is no array of tables.
pub(crate) fn keys_of(kind: &str) -> Vec<String> {
    let full = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawFile>()
        .to_value();
    let items = full.pointer(&format!("/properties/{kind}/items/$ref"));
    let Some(name) = items
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
    else {
        return Vec::new();
    };
    definition_keys(&full, name)
}

/// The keys of the loader's type `name` (`RawStage`) in the schema `full`.
fn definition_keys(full: &Value, name: &str) -> Vec<String> {
    (full.pointer(&format!("/definitions/{name}/properties")))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{definition_keys, keys_of, RawFile, SchemaSettings};
    use crate::scenario::STAGE_KEYS;

    #[test]
    fn keys_of_a_kind_are_those_its_tables_accept() {
        let crossing = keys_of("crossing");
        assert!(crossing.iter().any(|k| k == "stage"), "{crossing:?}");
        assert!(!crossing.iter().any(|k| k == "servers"), "{crossing:?}");
        let road = keys_of("road");
        assert!(road.iter().any(|k| k == "speed_kmh"), "{road:?}");
        let node = keys_of("node");
        assert!(node.iter().any(|k| k == "id"), "{node:?}");
        assert!(keys_of("scenario").is_empty());
        assert!(keys_of("nothing").is_empty());
    }

    #[test]
    fn the_stage_keys_hinted_are_those_a_stage_accepts() {
        let full = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<RawFile>()
            .to_value();
        let mut accepted = definition_keys(&full, "RawStage");
        accepted.sort();
        let mut hinted: Vec<String> = STAGE_KEYS.iter().map(|k| k.to_string()).collect();
        hinted.sort();
        assert_eq!(hinted, accepted);
    }
}
