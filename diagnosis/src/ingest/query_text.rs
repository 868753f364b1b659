//! `--output text` of a command with `--query`: the CLI prints the projected values with no
//! header, tab-separated, one row per line: a list projection (`[InstanceId,PingStatus]`) in its
//! order, a dict projection (`{Id:InstanceId,Ping:PingStatus}`) in its keys' alphabetical order.
//! Only the pasted command line says what the columns are; read through its `--query`, the rows
//! become the objects they came from (`{"InstanceInformationList": [{"InstanceId": …}]}`).

use std::borrow::Cow;

use super::json::{Node, Value};

/// The list a `--query` projects and the field path of each printed column, in column order.
#[derive(Debug, PartialEq)]
pub struct Projection {
    pub list: String,
    pub columns: Vec<Vec<String>>,
}

/// The projection of a command line's `--query`, when it is one we can read back: `List[]`,
/// `List[*]` or `List[?filter]`, then `.[paths]`, `.{Key:path,…}` or `.path`. Paths are plain
/// field names joined by dots; anything else (functions, nested projections) is not read.
pub fn projection(command: &str) -> Option<Projection> {
    if !command.contains("--output text") && !command.contains("--output=text") {
        return None;
    }
    let query = query_argument(command)?;
    let open = query.find('[')?;
    let list = &query[..open];
    if list.is_empty() || !list.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let close = open + query[open..].find(']')?;
    let inside = &query[open + 1..close];
    if !(inside.is_empty() || inside == "*" || inside.starts_with('?')) {
        return None;
    }
    let rest = query[close + 1..].strip_prefix('.')?;
    let columns = if let Some(list_proj) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        list_proj.split(',').map(path).collect::<Option<Vec<_>>>()?
    } else if let Some(dict) = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let mut pairs = dict
            .split(',')
            .map(|pair| {
                let (key, value) = pair.split_once(':')?;
                Some((key.trim().to_string(), path(value)?))
            })
            .collect::<Option<Vec<_>>>()?;
        // The text formatter writes a dict's values in the order of its sorted keys.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.into_iter().map(|(_, p)| p).collect()
    } else {
        vec![path(rest)?]
    };
    Some(Projection { list: list.to_string(), columns })
}

/// A dotted field path (`AssociationOverview.DetailedStatus`).
fn path(text: &str) -> Option<Vec<String>> {
    let parts: Vec<String> = text.trim().split('.').map(str::to_string).collect();
    parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(parts)
}

/// The value of `--query`, unquoted (`'…'`, `"…"` or a bare word).
fn query_argument(command: &str) -> Option<&str> {
    let at = command.find("--query")? + "--query".len();
    let rest = command[at..].trim_start_matches([' ', '=']);
    match rest.chars().next()? {
        quote @ ('\'' | '"') => {
            let body = &rest[1..];
            Some(&body[..body.find(quote)?])
        }
        _ => Some(rest.split_whitespace().next()?),
    }
}

/// The rows of `text` (whose first line is `first_line`) as the object the projection came from.
/// None when a line does not have one value per column: then these are not its rows.
pub fn read(projection: &Projection, text: &str, first_line: u32) -> Option<Node<'static>> {
    let mut rows = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let values: Vec<&str> = line.split('\t').collect();
        if values.len() != projection.columns.len() {
            return None;
        }
        let number = first_line + at as u32;
        let mut row: Vec<(Cow<'static, str>, Node<'static>)> = Vec::new();
        for (column, value) in projection.columns.iter().zip(values) {
            // The text formatter prints a missing value as None.
            if value == "None" {
                continue;
            }
            if !fits(column, value.trim()) {
                return None;
            }
            insert(&mut row, column, scalar(value.trim()), number);
        }
        rows.push(Node { line: number, value: Value::Object(row) });
    }
    if rows.is_empty() {
        return None;
    }
    let line = rows[0].line;
    let list = Node { line, value: Value::Array(rows) };
    Some(Node { line, value: Value::Object(vec![(Cow::Owned(projection.list.clone()), list)]) })
}

/// A value that cannot be its column's means the columns are not what the query says (another
/// command's rows, or a query we misread): counts are numbers, instance ids are ids.
fn fits(column: &[String], value: &str) -> bool {
    let field = column.last().map(String::as_str).unwrap_or("");
    if field.ends_with("Count") {
        value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    } else if field == "InstanceId" || field == "ResourceId" {
        crate::ids::InstanceId::parse(value).is_some() || field == "ResourceId"
    } else {
        true
    }
}

fn scalar(value: &str) -> Value<'static> {
    match value {
        "True" => Value::Bool(true),
        "False" => Value::Bool(false),
        v if !v.is_empty() && v.len() < 16 && v.bytes().all(|b| b.is_ascii_digit()) => {
            Value::Number(v.parse().unwrap_or_default())
        }
        v => Value::String(Cow::Owned(v.to_string())),
    }
}

/// Puts `value` at `path` inside `object`, making the objects on the way.
fn insert(object: &mut Vec<(Cow<'static, str>, Node<'static>)>, path: &[String], value: Value<'static>, line: u32) {
    let (first, rest) = path.split_first().expect("a path has a field");
    if rest.is_empty() {
        object.push((Cow::Owned(first.clone()), Node { line, value }));
        return;
    }
    let at = match object.iter().position(|(k, _)| k == first) {
        Some(at) => at,
        None => {
            object.push((Cow::Owned(first.clone()), Node { line, value: Value::Object(Vec::new()) }));
            object.len() - 1
        }
    };
    if let Value::Object(inner) = &mut object[at].1.value {
        insert(inner, rest, value, line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::kind::{json_kind, InputKind};

    #[test]
    fn a_list_projection_keeps_its_order_and_a_dict_one_sorts_its_keys() {
        let list = projection("aws ssm describe-instance-information --query \"InstanceInformationList[].[InstanceId,PingStatus]\" --output text").unwrap();
        assert_eq!(list.list, "InstanceInformationList");
        assert_eq!(list.columns, vec![vec!["InstanceId".to_string()], vec!["PingStatus".to_string()]]);
        let dict = projection("aws ssm describe-instance-patch-states --instance-ids i-1 --query 'InstancePatchStates[*].{Node:InstanceId,Failed:FailedCount}' --output text").unwrap();
        assert_eq!(dict.columns, vec![vec!["FailedCount".to_string()], vec!["InstanceId".to_string()]]);
        assert!(projection("aws ssm describe-instance-information --output text").is_none());
        assert!(projection("aws ssm x --query 'length(InstanceInformationList)' --output text").is_none());
    }

    #[test]
    fn rows_become_the_objects_they_came_from() {
        let p = projection("aws ssm describe-instance-information --query \"InstanceInformationList[?PingStatus!='Online'].[InstanceId,PingStatus,AssociationOverview.DetailedStatus]\" --output text").unwrap();
        let root =
            read(&p, "i-0123456789abcdef0\tConnectionLost\tFailed\nmi-0123456789abcdef0\tInactive\tNone\n", 7).unwrap();
        assert_eq!(json_kind(&root), Some(InputKind::InstanceInformation));
        let rows = root.get("InstanceInformationList").unwrap().as_array();
        assert_eq!(rows[1].get("PingStatus").and_then(Node::as_str), Some("Inactive"));
        assert_eq!(rows[1].line, 8);
        assert_eq!(
            rows[0].get("AssociationOverview").and_then(|o| o.get("DetailedStatus")).and_then(Node::as_str),
            Some("Failed")
        );
        assert!(read(&p, "one\ttwo\n", 1).is_none(), "a row with the wrong number of values");
        let dict = projection("aws ssm describe-instance-patch-states --query 'InstancePatchStates[].{Node:InstanceId,Failed:FailedCount}' --output text").unwrap();
        assert!(read(&dict, "i-0123456789abcdef0\t3\n", 1).is_none(), "columns in the wrong order are refused");
        assert!(read(&dict, "3\ti-0123456789abcdef0\n", 1).is_some());
    }
}
