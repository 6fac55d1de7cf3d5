//! The modules of `src/` form layers: no module reaches, through `crate::` paths, a module that reaches it back.
//! A loop means no module can be read (or changed) without the others; this test names the loop it finds.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

/// The modules each module of `src/` names through `crate::` outside its tests, by file stem.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut texts = BTreeMap::new();
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.extension().is_some_and(|e| e == "rs") && stem != "lib" {
            texts.insert(stem, fs::read_to_string(&path).unwrap());
        }
    }
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    texts
        .iter()
        .map(|(name, text)| {
            // A module's own tests may use anything; comments and doc links are not dependencies.
            let code: String = text
                .split("#[cfg(test)]")
                .next()
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut deps = BTreeSet::new();
            for (at, _) in code.match_indices("crate::") {
                for head in heads(&code[at + "crate::".len()..]) {
                    assert!(
                        modules.contains(&head),
                        "{name}.rs names crate::{head}: name items by their module, so this test sees the edge"
                    );
                    if head != *name {
                        deps.insert(head);
                    }
                }
            }
            (name.clone(), deps)
        })
        .collect()
}

/// The first segments of the paths at the start of `rest`: `key::FieldKey` → key; `{a::X, b::{Y, Z}}` → a, b.
fn heads(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(inner) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                out.push(ident(&inner[start..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(ident(&inner[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// A loop of modules, if there is one: each names the next, and the last names the first.
fn find_loop(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            return Some(path[i..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in &graph[node] {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_form_layers() {
    let graph = graph();
    // The reader must see the edges it is meant to judge, or an empty graph would pass.
    assert!(graph["rule"].contains("key") && graph["catalogue"].contains("rules"));
    if let Some(cycle) = find_loop(&graph) {
        panic!("modules in a loop: {} → {}", cycle.join(" → "), cycle[0]);
    }
}

#[test]
fn a_loop_is_found_and_named() {
    let edges = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, BTreeSet<String>> {
        pairs
            .iter()
            .map(|(n, ds)| (n.to_string(), ds.iter().map(|d| d.to_string()).collect()))
            .collect()
    };
    let layered = edges(&[("a", &["b", "c"]), ("b", &["c"]), ("c", &[])]);
    assert_eq!(find_loop(&layered), None);
    let looped = edges(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"]), ("d", &["a"])]);
    assert_eq!(find_loop(&looped).map(|c| c.len()), Some(3));
    assert_eq!(heads("{a::X, b::{Y, Z}, c}"), ["a", "b", "c"]);
    assert_eq!(heads("key::FieldKey;"), ["key"]);
}
