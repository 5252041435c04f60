// SPDX-License-Identifier: MIT
//! A sibling crate the server depends on by path.

/// The greeting the server's /api/hello answers with.
pub fn greeting(name: &str) -> String {
    format!("hello, {name}, from a workspace member")
}
