// SPDX-License-Identifier: MIT
const el = document.getElementById("health");
fetch("/api/health")
  .then((r) => r.json())
  .then((h) => { el.textContent = `${h.status} (${h.service} ${h.version})`; })
  .catch((e) => { el.textContent = `unreachable: ${e}`; });
