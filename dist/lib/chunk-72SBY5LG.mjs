import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);

// src/oci/target.ts
var DEFAULT_MAX_LISTED = 1e4;
function canMount(target) {
  return typeof target.mountBlob === "function";
}
function canUntag(target) {
  return typeof target.untag === "function";
}
function hasManifestMetadata(target) {
  return typeof target.manifestMetadata === "function";
}
function canListRoots(target) {
  return typeof target.listRoots === "function";
}

export {
  DEFAULT_MAX_LISTED,
  canMount,
  canUntag,
  hasManifestMetadata,
  canListRoots
};
