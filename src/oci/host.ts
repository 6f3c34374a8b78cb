/**
 * Registry host names: the one normaliser every credential source, docker config key, login and
 * service connection goes through, and the one loopback test.
 */
import { OcigraphError } from "./errors.js";

const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

/**
 * The host a user, a docker config key or a service connection names, in one spelling:
 * `https://Host:5000/v1/` → `host:5000`. Drops a scheme and any path, lowercases, and folds Docker
 * Hub's aliases (`index.docker.io`, `registry-1.docker.io`, ...) into `docker.io`.
 */
export function normalizeHost(text: string): string {
  let h = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(h);
  if (scheme !== null) h = h.slice(scheme[0].length);
  const slash = h.indexOf("/");
  if (slash !== -1) h = h.slice(0, slash);
  h = h.toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? "docker.io" : h;
}

const HOST_SYNTAX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/;

/**
 * {@link normalizeHost}, refusing what cannot be a registry host (`input` names the flag or input
 * in the message).
 *
 * @throws OcigraphError INVALID_INPUT
 */
export function parseRegistryHost(text: string, input = "registry"): string {
  const host = normalizeHost(text);
  if (!HOST_SYNTAX.test(host)) {
    throw new OcigraphError("INVALID_INPUT", `${input}: "${text}" is not a registry host`, {
      hint: "give host[:port], like myregistry.azurecr.io or localhost:5000",
    });
  }
  return host;
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`, with or without a port or brackets. */
export function isLoopback(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) h = h.slice(1, h.indexOf("]") === -1 ? undefined : h.indexOf("]"));
  else if (/^[^:]+:\d+$/.test(h)) h = h.slice(0, h.lastIndexOf(":"));
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::1";
}
