// SPDX-License-Identifier: MIT
//! The workspace fixture's server: `GET /api/health` and `GET /api/hello` answer JSON
//! (the latter from the sibling crate `greeting`), everything else is served from the
//! frontend's built files (`STATIC_DIR`, default `/app/public`).
use axum::{routing::get, Json, Router};
use serde::Serialize;
use std::net::SocketAddr;
use tower_http::services::{ServeDir, ServeFile};

#[derive(Serialize)]
struct Health {
    status: &'static str,
    service: &'static str,
    version: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health { status: "ok", service: env!("CARGO_BIN_NAME"), version: env!("CARGO_PKG_VERSION") })
}

async fn hello() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "message": greeting::greeting("Gantry") }))
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let static_dir = std::env::var("STATIC_DIR").unwrap_or_else(|_| "/app/public".to_string());
    let index = format!("{static_dir}/index.html");
    let app = Router::new()
        .route("/api/health", get(health))
        .route("/api/hello", get(hello))
        .fallback_service(ServeDir::new(&static_dir).not_found_service(ServeFile::new(index)));
    let addr = SocketAddr::from(([0, 0, 0, 0], port));
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind the listening port");
    println!("stack-api listening on http://{addr}, serving {static_dir}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .expect("serve");
}
