// The part of undici ocigraph uses, for the bundles (scripts/build.mjs resolves `undici` imported
// from src/ to this file). undici's index.js loads every feature eagerly: fetch, WebSocket,
// EventSource, cookies, the cache stores (node:sqlite), the mocks. That is ~1 MB of code to compile
// and ~40 ms of start-up on every command, none of it used. Types still come from "undici".
"use strict";

const Dispatcher = require("undici/lib/dispatcher/dispatcher");
// As undici's index.js does: request/stream/pipeline/... become Dispatcher methods.
Object.assign(Dispatcher.prototype, require("undici/lib/api"));

module.exports = {
  Agent: require("undici/lib/dispatcher/agent"),
  EnvHttpProxyAgent: require("undici/lib/dispatcher/env-http-proxy-agent"),
  RedirectHandler: require("undici/lib/handler/redirect-handler"),
  interceptors: { retry: require("undici/lib/interceptor/retry") },
  getGlobalDispatcher: require("undici/lib/global").getGlobalDispatcher,
};
