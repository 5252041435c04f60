// SPDX-License-Identifier: MIT
// Builds dist/ from src/ with no downloads: copies the files and stamps the build time.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist", { recursive: true });
cpSync("src", "dist", { recursive: true });
const html = readFileSync("dist/index.html", "utf8").replace("%BUILD_TIME%", new Date().toISOString());
writeFileSync("dist/index.html", html);
console.log("built dist/");
