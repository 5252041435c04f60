// SPDX-License-Identifier: MIT
//! A member the server does not need: the image build only sees a stand-in for it.
fn main() {
    println!("stack-tools {}", env!("CARGO_PKG_VERSION"));
}
