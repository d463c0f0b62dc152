//! The rules JSON Schema cannot express (spec §4): the expiry window, integers that fit the
//! generated types, and the localized-attribute cross-references.

use std::collections::BTreeMap;

use proactive_spec::{is_alexa_locale, is_valid_key, push_pointer_token, ALEXA_LOCALES, LOCALIZED_PREFIX};
use serde_json::Value;

use super::report::{shown, suggestion, Found};
use crate::datetime::DateTime;
use crate::integer::IntegerValue;
use crate::meta::{AttributeKind, AttributeMeta, EventMeta};

/// Spec §4: expiryTime is 5 minutes to 24 hours after timestamp, both bounds inclusive.
pub(super) fn expiry_window(request: &Value, found: &mut Found) {
    let parse = |key: &str| {
        let text = request.get(key).and_then(Value::as_str)?;
        DateTime::instant(text).ok().map(|instant| (text, instant))
    };
    let (Some((timestamp, start)), Some((expiry, end))) = (parse("timestamp"), parse("expiryTime")) else {
        // A missing or malformed date-time is reported by the schema, whose `date-time` is this
        // same `DateTime::parse`: nothing passes unchecked.
        return;
    };
    window((timestamp, start), (expiry, end), found);
}

/// The expiry window of two instants that parsed (their texts, for the message): shared by the
/// check of a value and the proof's report on text.
pub(super) fn window(
    (timestamp, start): (&str, jiff::Timestamp),
    (expiry, end): (&str, jiff::Timestamp),
    found: &mut Found,
) {
    let gap = end.duration_since(start);
    let min = jiff::SignedDuration::from_mins(5);
    let max = jiff::SignedDuration::from_hours(24);
    if gap < jiff::SignedDuration::ZERO {
        found.error("/expiryTime", || {
            format!("expiryTime {} is before timestamp {}", expiry, timestamp)
        });
    } else if gap < min {
        found.error("/expiryTime", || {
            format!(
                "expiryTime is {} after timestamp; it must be at least 5 minutes after",
                human(gap)
            )
        });
    } else if gap > max {
        found.error("/expiryTime", || {
            format!(
                "expiryTime is {} after timestamp; it must be at most 24 hours after",
                human(gap)
            )
        });
    }
}

pub(super) fn human(d: jiff::SignedDuration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

/// [`localized`] was told the payload's references but has a finding that points into it.
#[derive(Debug)]
pub(super) struct NeedPayload;

/// The `"localizedattribute:<key>"` references found in the payload.
enum Refs<'v> {
    /// Every reference with its pointer (each is an error when `localizedAttributes` is empty).
    Every(Vec<(&'v str, String)>),
    /// Each key once, with how often it is referenced (where it is first referenced is found
    /// again only for a message that needs it, see [`first_reference`]).
    Keys(BTreeMap<&'v str, usize>),
    /// Looking for where a key is first referenced.
    Find(&'v str, Option<String>),
}

/// Arrays nested in arrays deeper than this are not searched for references (no schema of the
/// catalogue nests arrays; the schema reports the shape).
pub(super) const MAX_ARRAY_NESTING: usize = 8;

/// An event's attributes as a tree, built once per validator: walking a payload is then a hash
/// look-up per key, with no path or pointer built unless something is found.
///
/// Children are a short list (an object of the catalogue has a handful of properties), searched
/// by comparing lengths first: faster than hashing each key.
#[derive(Default)]
pub(crate) struct AttributeTree {
    attribute: Option<&'static AttributeMeta>,
    children: Vec<(&'static str, AttributeTree)>,
}

impl AttributeTree {
    pub(crate) fn new(meta: &'static EventMeta) -> Self {
        let mut root = AttributeTree::default();
        for attribute in meta.attributes {
            let mut node = &mut root;
            for segment in attribute.path.split('.') {
                let i = match node.children.iter().position(|(k, _)| *k == segment) {
                    Some(i) => i,
                    None => {
                        node.children.push((segment, AttributeTree::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[i].1;
            }
            node.attribute = Some(attribute);
        }
        root
    }

    fn child(&self, key: &str) -> Option<&AttributeTree> {
        self.children.iter().find(|(k, _)| *k == key).map(|(_, c)| c)
    }
}

/// One step from the payload to a value: a key or an array index.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The path walked so far; pointers and dotted paths are spelled out only for a finding.
struct Trail<'v>(Vec<Step<'v>>);

impl Trail<'_> {
    fn pointer(&self) -> String {
        let mut pointer = String::from("/event/payload");
        for step in &self.0 {
            match step {
                Step::Key(k) => push_pointer_token(&mut pointer, k),
                Step::Index(i) => {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                }
            }
        }
        pointer
    }

    fn path(&self) -> String {
        let keys: Vec<&str> = self
            .0
            .iter()
            .filter_map(|s| match s {
                Step::Key(k) => Some(*k),
                Step::Index(_) => None,
            })
            .collect();
        keys.join(".")
    }
}

/// Collects localized-attribute references in the payload, checking each sits on an
/// `x-localizable` attribute and names a valid key, and integers that the generated `i64`
/// cannot hold.
///
/// Only paths the event's schema knows are searched (an unknown property is the schema's to
/// report, and cannot hold a reference): the work is linear in the payload however deep or wide
/// it is, and allocates nothing for a payload without findings.
fn payload_keys<'v>(
    meta: &EventMeta,
    node: &AttributeTree,
    value: &'v Value,
    trail: &mut Trail<'v>,
    nesting: usize,
    found: &mut Option<&mut Found>,
    out: &mut Refs<'v>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(child) = node.child(k) {
                    trail.0.push(Step::Key(k));
                    payload_keys(meta, child, v, trail, 0, found, out);
                    trail.0.pop();
                }
            }
        }
        Value::Array(items) if nesting < MAX_ARRAY_NESTING => {
            for (i, v) in items.iter().enumerate() {
                trail.0.push(Step::Index(i));
                payload_keys(meta, node, v, trail, nesting + 1, found, out);
                trail.0.pop();
            }
        }
        Value::Number(n) => {
            // Integers JSON Schema accepts but the generated `i64` cannot hold.
            let integer = node.attribute.is_some_and(|a| match a.kind {
                AttributeKind::Integer | AttributeKind::Nullable(AttributeKind::Integer) => true,
                AttributeKind::Array { items, .. } => matches!(items, AttributeKind::Integer),
                _ => false,
            });
            if let (true, Some(found)) = (
                integer && crate::integer::from_number(n) == IntegerValue::OutOfRange,
                found,
            ) {
                found.error(trail.pointer(), || crate::integer::out_of_range(shown(n)));
            }
        }
        Value::String(s) => {
            let Some(key) = s.strip_prefix(LOCALIZED_PREFIX) else {
                return;
            };
            let Some(attr) = node.attribute else { return }; // an object: reported by the schema
            if !matches!(attr.kind, AttributeKind::String) {
                return; // enums and date-times: the schema reports the value itself
            }
            if !attr.localizable {
                let Some(found) = found else { return };
                found.error(trail.pointer(), || {
                    let localizable: Vec<&str> = meta.localizable().collect();
                    let hint = if localizable.is_empty() {
                        format!("`{}` has no localizable attributes", meta.name)
                    } else {
                        format!("localizable attributes of `{}`: {}", meta.name, localizable.join(", "))
                    };
                    format!(
                        "`{}` is not localizable, so it cannot hold {} ({hint})",
                        trail.path(),
                        shown(&format_args!("{s:?}"))
                    )
                });
            } else if !is_valid_key(key) {
                let Some(found) = found else { return };
                found.error(trail.pointer(), || {
                    format!(
                        "{} names an invalid key: localized attribute keys are one or more ASCII letters and digits",
                        shown(&format_args!("{s:?}"))
                    )
                });
            } else {
                match out {
                    Refs::Every(all) => all.push((key, trail.pointer())),
                    Refs::Keys(keys) => *keys.entry(key).or_insert(0) += 1,
                    Refs::Find(wanted, at) => {
                        if at.is_none() && key == *wanted {
                            *at = Some(trail.pointer());
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Where the payload first references `key`: the same walk as the one that counted it.
fn first_reference(meta: &EventMeta, tree: &AttributeTree, payload: &Value, key: &str) -> String {
    let mut find = Refs::Find(key, None);
    payload_keys(meta, tree, payload, &mut Trail(Vec::new()), 0, &mut None, &mut find);
    match find {
        Refs::Find(_, Some(at)) => at,
        _ => String::from("/event/payload"),
    }
}

/// Spec §4 localization rules: locale tags, one entry per locale, every referenced key defined
/// in every entry, keys only on localizable attributes; plus the per-event locale warning.
///
/// A key missing from an entry is one error however many places reference it, and the checks
/// cost the size of the entries plus the number of distinct keys, never their product: counting
/// an entry's missing keys is a look-up per key the entry *has*, and a missing key is spelled out
/// only while the report keeps errors at its pointer.
///
/// With `known`, the payload's references (each key and how often it is referenced), as the
/// proof found them in a payload that holds to its schema (where the walk of the payload finds
/// nothing else), the payload is not looked at: [`NeedPayload`] when a finding would point into
/// it (a key some entry lacks or has in excess, or references while `localizedAttributes` is
/// empty), before any finding on the keys is made.
pub(super) fn localized<'v>(
    request: &'v Value,
    event: Option<(&EventMeta, &AttributeTree)>,
    known: Option<BTreeMap<&'v str, usize>>,
    found: &mut Found,
) -> Result<(), NeedPayload> {
    let meta = event.map(|(meta, _)| meta);
    let entries = match request.get("localizedAttributes") {
        Some(Value::Array(entries)) => Some(entries),
        _ => None, // missing or not an array: reported by the schema
    };
    let mut refs = match entries {
        Some(entries) if entries.is_empty() => Refs::Every(Vec::new()),
        _ => Refs::Keys(BTreeMap::new()),
    };
    let payload = request.get("event").and_then(|e| e.get("payload"));
    let by_proof = known.is_some();
    if let Some(keys) = known {
        match refs {
            Refs::Every(_) if !keys.is_empty() => return Err(NeedPayload),
            Refs::Every(_) => {}
            _ => refs = Refs::Keys(keys),
        }
    } else if let (Some((meta, tree)), Some(payload @ Value::Object(_))) = (event, payload) {
        payload_keys(
            meta,
            tree,
            payload,
            &mut Trail(Vec::new()),
            0,
            &mut Some(&mut *found),
            &mut refs,
        );
    }
    // Keys are ASCII letters and digits, so a key's order is its pointer's order.
    let (entries, keys) = match (entries, refs) {
        (Some(entries), Refs::Keys(keys)) => (entries, keys),
        (_, Refs::Every(all)) => {
            for (key, pointer) in all {
                found.error(pointer, || {
                    format!("references the localized key `{key}`, but localizedAttributes is empty")
                });
            }
            return Ok(());
        }
        (_, Refs::Find(..)) | (None, Refs::Keys(_)) => return Ok(()),
    };
    // Locales seen so far and their entry: a list, as there are only a few.
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(entry) = entry else { continue }; // reported by the schema
        let Some(locale) = entry.get("locale").and_then(Value::as_str) else {
            continue;
        };
        entry_locale(i, locale, &mut seen, meta, found);
    }

    // Most bodies define every referenced key in every entry, and nothing more: nothing to say.
    let exact = entries.iter().all(|entry| match entry {
        Value::Object(entry) => {
            let others = entry.len() - usize::from(entry.contains_key("locale"));
            keys.keys().all(|k| entry.contains_key(*k)) && (meta.is_none() || others == keys.len())
        }
        _ => true,
    });
    if exact {
        return Ok(());
    }
    if by_proof {
        return Err(NeedPayload);
    }
    // Where a key is first referenced, found again when a message needs it (once per key).
    let firsts = std::cell::RefCell::new(BTreeMap::<&str, String>::new());
    let first = |key: &str| -> String {
        let mut firsts = firsts.borrow_mut();
        if let Some(at) = firsts.get(key) {
            return at.clone();
        }
        let at = match (event, payload) {
            (Some((meta, tree)), Some(payload)) => first_reference(meta, tree, payload, key),
            _ => String::from("/event/payload"),
        };
        firsts.insert(keys.get_key_value(key).map_or("", |(k, _)| *k), at.clone());
        at
    };
    // Entries in the order of their pointers (`/localizedAttributes/10` before `/2`), so once the
    // report keeps no more errors at an entry's pointers, it keeps none at the later entries'.
    let mut order: Vec<(String, usize)> = (0..entries.len())
        .map(|i| (format!("/localizedAttributes/{i}/"), i))
        .collect();
    order.sort_unstable();
    for (prefix, i) in &order {
        let Value::Object(entry) = &entries[*i] else { continue }; // reported by the schema
        let defined = entry.keys().filter(|k| keys.contains_key(k.as_str())).count();
        let mut missing = keys.len() - defined;
        if missing > 0 {
            let label = match entry.get("locale").and_then(Value::as_str) {
                Some(l) => format!("locale `{}`", shown(l)),
                None => format!("entry {i}"),
            };
            for (key, count) in &keys {
                if missing == 0 {
                    break;
                }
                if entry.contains_key(*key) {
                    continue;
                }
                let pointer = format!("{prefix}{key}");
                if !found.errors.admits(&pointer) {
                    found.errors.omit(missing); // this one and the rest, all later by pointer
                    break;
                }
                missing -= 1;
                found.error(pointer, || {
                    let elsewhere = match count {
                        1 => String::new(),
                        2 => " (and 1 more place)".to_owned(),
                        n => format!(" (and {} more places)", n - 1),
                    };
                    format!(
                        "{label} does not define the key `{key}` referenced at {}{elsewhere}",
                        first(key)
                    )
                });
            }
        }
        if meta.is_some() {
            for key in entry.keys().filter(|k| *k != "locale") {
                if !keys.contains_key(key.as_str()) {
                    let mut pointer = prefix.clone();
                    pointer.pop();
                    push_pointer_token(&mut pointer, key);
                    found.warning(pointer, || {
                        format!("the key `{}` is not referenced by the payload", shown(key))
                    });
                }
            }
        }
    }
    Ok(())
}

/// One entry's locale (entry `i`): an Alexa locale, not given an entry before (`seen`: the
/// locales so far and their entry), and one the event supports (a warning otherwise). Shared by
/// the check of a value and the proof's report on text.
pub(super) fn entry_locale<'l>(
    i: usize,
    locale: &'l str,
    seen: &mut Vec<(&'l str, usize)>,
    meta: Option<&EventMeta>,
    found: &mut Found,
) {
    let pointer = || format!("/localizedAttributes/{i}/locale");
    if !is_alexa_locale(locale) {
        found.error_with(
            pointer(),
            || {
                format!(
                    "{} (one of {})",
                    proactive_spec::unknown_locale(&shown(locale)),
                    ALEXA_LOCALES.join(", ")
                )
            },
            || suggestion(locale, ALEXA_LOCALES.iter().copied()),
        );
    } else if let Some((_, first)) = seen.iter().find(|(l, _)| *l == locale) {
        found.error(pointer(), || {
            format!("locale `{locale}` already has an entry (/localizedAttributes/{first})")
        });
    } else {
        seen.push((locale, i));
        if let Some(supported) = meta.and_then(|m| m.locales) {
            if !supported.contains(&locale) {
                found.warning(pointer(), || {
                    format!(
                        "Amazon supports `{}` only in {}; `{locale}` users may not hear it",
                        meta.map_or("", |m| m.name),
                        supported.join(", ")
                    )
                });
            }
        }
    }
}
