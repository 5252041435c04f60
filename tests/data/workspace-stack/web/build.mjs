// SPDX-License-Identifier: MIT
// Builds the folder named by --out-dir from src/, with no downloads.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const i = process.argv.indexOf("--out-dir");
const out = i > 0 ? process.argv[i + 1] : "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync("src", out, { recursive: true });
console.log(`built ${out}/`);
