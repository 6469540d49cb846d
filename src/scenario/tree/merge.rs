//! Merging an overlay into its base: arrays of tables by `id`, a crossing's stages by
//! `name`, other keys replaced, and `[scenario].remove` applied first (the rules are in the
//! parent module's documentation).

use super::*;

/// Reports a problem at a place of the overlay being merged.
pub(super) type At<'a> = dyn Fn(&Origin, String) -> Diagnostic + 'a;

/// Merges `overlay` into `base` (both whole documents).
pub(super) fn merge(base: &mut Node, overlay: Node, at: &At) -> Result<(), Vec<Diagnostic>> {
    let Kind::Table(over_entries) = overlay.kind else {
        return Ok(());
    };
    let Some(base_entries) = base.table_mut() else {
        return Ok(());
    };
    let mut errors = Vec::new();
    for entry in over_entries {
        let existing = base_entries.iter_mut().find(|e| e.key == entry.key);
        match existing {
            None => base_entries.push(entry),
            Some(b) if entry.key == "scenario" => merge_keys(&mut b.node, entry.node),
            Some(b) if ELEMENT_KINDS.contains(&entry.key.as_str()) => {
                let kind = entry.key;
                merge_by_id(&kind, &mut b.node, entry.node, at, &mut errors)
            }
            Some(b) => *b = entry,
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The keys of `over` (a table) replace or join those of `base`.
fn merge_keys(base: &mut Node, over: Node) {
    let Kind::Table(over_entries) = over.kind else {
        *base = over;
        return;
    };
    let Some(base_entries) = base.table_mut() else {
        *base = Node {
            origin: over.origin,
            kind: Kind::Table(over_entries),
        };
        return;
    };
    for entry in over_entries {
        match base_entries.iter_mut().find(|e| e.key == entry.key) {
            Some(b) => *b = entry,
            None => base_entries.push(entry),
        }
    }
}

/// Elements of `over` (an array of tables of `kind`) override base elements with the same
/// `id` key by key, or are added. A crossing's stages merge by name.
fn merge_by_id(kind: &str, base: &mut Node, over: Node, at: &At, errors: &mut Vec<Diagnostic>) {
    let (Kind::Array(base_items), Kind::Array(over_items)) = (&mut base.kind, over.kind) else {
        return;
    };
    // The first element with each id, found through a map: an overlay of a hundred
    // thousand elements on a base as large costs no more than reading them.
    let mut by_id: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, b) in base_items.iter().enumerate() {
        if let Some(id) = b.id() {
            by_id.entry(id.to_string()).or_insert(i);
        }
    }
    for mut item in over_items {
        let same = item.id().and_then(|id| by_id.get(id)).copied();
        let Some(b) = same.map(|i| &mut base_items[i]) else {
            if let Some(id) = item.id() {
                by_id.entry(id.to_string()).or_insert(base_items.len());
            }
            base_items.push(item);
            continue;
        };
        if kind == "crossing" {
            merge_stages(b, &mut item, at, errors);
        }
        merge_keys(b, item);
    }
}

/// Merges the stages of an overlay's crossing `over` into those of the base's crossing
/// `base` by `name`, taking them out of `over`: a stage with a name the base has overrides
/// the keys it gives, a new name is added after the base's stages. A stage without a name,
/// or a name the base gives twice, is refused: which stage it changes would be a guess.
fn merge_stages(base: &mut Node, over: &mut Node, at: &At, errors: &mut Vec<Diagnostic>) {
    let crossing = over.id().unwrap_or_default().to_string();
    let Some(base_stages) = base
        .table_mut()
        .and_then(|t| t.iter_mut().find(|e| e.key == "stage"))
    else {
        return;
    };
    let Kind::Array(base_list) = &mut base_stages.node.kind else {
        return;
    };
    let Some(over_table) = over.table_mut() else {
        return;
    };
    let Some(pos) = over_table.iter().position(|e| e.key == "stage") else {
        return;
    };
    if !matches!(over_table[pos].node.kind, Kind::Array(_)) {
        return;
    }
    let over_entry = over_table.remove(pos);
    // The base's list emptied by the overlay's `remove`: the overlay's is the list, whole.
    if base_list.is_empty() {
        *base_stages = over_entry;
        return;
    }
    let Kind::Array(over_list) = over_entry.node.kind else {
        return;
    };
    let names: Vec<String> = base_list
        .iter()
        .filter_map(|n| n.name().map(|s| format!("\"{s}\"")))
        .collect();
    for stage in over_list {
        let Some(name) = stage.name().map(str::to_string) else {
            errors.push(at(&stage.origin, format!(
                "[[crossing.stage]] without a name in crossing \"{crossing}\" of an overlay: an overlay's stages merge with the base's by name (the base has {}); give the name of the stage to change, or a new name to add a stage; to replace the base's whole list, write remove = [\"crossing:{crossing}.stage\"] in [scenario] and give every stage",
                names.join(", ")
            )));
            continue;
        };
        let mut same = base_list.iter_mut().filter(|b| b.name() == Some(&name));
        match (same.next(), same.next()) {
            (None, _) => base_list.push(stage),
            (Some(b), None) => merge_keys(b, stage),
            (Some(_), Some(_)) => errors.push(at(&stage.origin, format!(
                "[[crossing.stage]] named \"{name}\" in crossing \"{crossing}\" of an overlay: the base has several stages with that name, so which one it changes is unclear; replace the base's whole list: remove = [\"crossing:{crossing}.stage\"] in [scenario], then give every stage"
            ))),
        }
    }
}

/// Deletes the elements, and keys of elements, listed in an overlay's `remove`.
pub(super) fn apply_remove(
    tree: &mut Node,
    remove: &Entry,
    at: &At,
) -> Result<(), Vec<Diagnostic>> {
    let Kind::Array(items) = &remove.node.kind else {
        return Err(vec![at(
            &remove.node.origin,
            "remove in [scenario]: expected a list of ids, such as [\"dostyk-moyynty\", \"flow:old-demand\"]".into(),
        )]);
    };
    let errors: Vec<Diagnostic> = items
        .iter()
        .filter_map(|item| remove_one(tree, item, at))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Deletes what one entry of `remove` names: `"id"` (the elements of every kind with that
/// id), `"kind:id"` (that kind only), or `"kind:id.key"` (a key of that element, such as
/// a crossing's `stage` list). Returns the problem, if it names nothing of the base.
fn remove_one(tree: &mut Node, item: &Node, at: &At) -> Option<Diagnostic> {
    let Kind::Value(toml::Value::String(name)) = &item.kind else {
        return Some(at(
            &item.origin,
            "remove in [scenario]: each entry must be an id in quotes".into(),
        ));
    };
    let (kinds, id): (Vec<&str>, &str) = match name.split_once(':') {
        Some((k, id)) if ELEMENT_KINDS.contains(&k) => (vec![k], id),
        Some((k, _)) => {
            return Some(at(
                &item.origin,
                format!(
                    "remove has \"{name}\": \"{k}\" is not a kind of element; accepted: {}",
                    ELEMENT_KINDS.join(", ")
                ),
            ));
        }
        None => (ELEMENT_KINDS.to_vec(), name.as_str()),
    };
    let mut all_ids = Vec::new();
    let mut removed = 0;
    for list in element_lists(tree, &kinds) {
        all_ids.extend(list.iter().filter_map(|n| n.id().map(str::to_string)));
        let before = list.len();
        list.retain(|n| n.id() != Some(id));
        removed += before - list.len();
    }
    if removed > 0 {
        return None;
    }
    let what = if kinds.len() == 1 {
        kinds[0].to_string()
    } else {
        "element (node, segment, crossing, ferry, flow, disruption, corridor or fleet)".to_string()
    };
    let mut hint_for = id;
    if let Some((elem, key)) = id.rsplit_once('.') {
        let mut keys = Vec::new();
        for list in element_lists(tree, &kinds) {
            let found = list.iter_mut().filter(|n| n.id() == Some(elem));
            for t in found.filter_map(Node::table_mut) {
                keys.extend(t.iter().map(|e| e.key.clone()));
                let before = t.len();
                t.retain(|e| e.key != key || is_list_of_tables(&e.node));
                removed += before - t.len();
                // A list of tables (a crossing's stages) is emptied where `remove` names
                // it, so that a list the overlay does not give again is reported there.
                for e in t.iter_mut().filter(|e| e.key == key) {
                    e.key_origin = item.origin.clone();
                    e.node = Node {
                        origin: item.origin.clone(),
                        kind: Kind::Array(Vec::new()),
                    };
                    removed += 1;
                }
            }
        }
        if removed > 0 {
            return None;
        }
        if !keys.is_empty() {
            let hint = hint(key, keys.iter().map(String::as_str));
            return Some(at(
                &item.origin,
                format!("remove has \"{name}\" but {what} \"{elem}\" of the base scenario has no key `{key}`{hint}"),
            ));
        }
        hint_for = elem;
    }
    let hint = hint(hint_for, all_ids.iter().map(String::as_str));
    Some(at(
        &item.origin,
        format!("remove has \"{name}\" but the base scenario has no {what} with that id{hint}"),
    ))
}

/// True when `node` is a non-empty list of tables (`[[crossing.stage]]`).
fn is_list_of_tables(node: &Node) -> bool {
    match &node.kind {
        Kind::Array(items) => {
            !items.is_empty() && items.iter().all(|n| matches!(n.kind, Kind::Table(_)))
        }
        _ => false,
    }
}

/// The lists of elements of `kinds` in a whole document.
fn element_lists<'t>(tree: &'t mut Node, kinds: &[&str]) -> Vec<&'t mut Vec<Node>> {
    let Some(entries) = tree.table_mut() else {
        return Vec::new();
    };
    entries
        .iter_mut()
        .filter(|e| kinds.contains(&e.key.as_str()))
        .filter_map(|e| match &mut e.node.kind {
            Kind::Array(a) => Some(a),
            _ => None,
        })
        .collect()
}
