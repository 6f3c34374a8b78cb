import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  ACR_REFRESH_TOKEN_USERNAME,
  TargetFactory,
  apiHost,
  entraCovers
} from "./chunk-MESCUFUD.mjs";
import "./chunk-GK4QK3RS.mjs";
import "./chunk-EVNACXTC.mjs";
import "./chunk-3Y45UJD2.mjs";
import "./chunk-PD6PRVKG.mjs";
import "./chunk-72SBY5LG.mjs";
import "./chunk-GS7PIS4O.mjs";
import "./chunk-JFBLHQF4.mjs";
import "./chunk-AEECXJOG.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";
import "./chunk-3475OBJL.mjs";

// src/connect/login.ts
async function checkLogin(host, settings) {
  const usingEntra = settings.entra !== void 0;
  if (usingEntra && !entraCovers(host, settings)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `${host} is not an Azure Container Registry login server, so the Entra ID token is not sent there`,
      { hint: `name it with --azure-registry ${host} if it is one (a custom domain or a test registry)` }
    );
  }
  if (!usingEntra && (!settings.username || settings.password === void 0)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `login to ${host} needs --username and --password (or --password-stdin)`,
      { hint: "For Azure Container Registry, sign in with Entra ID instead: --azure-credential auto." }
    );
  }
  const answered = [];
  const factory = new TargetFactory(
    { ...settings, hostCredentials: [] },
    { dockerConfig: false, onCredential: (_host, credential) => answered.push(credential) }
  );
  try {
    const client = factory.client(apiHost({ registry: host }));
    const res = await client.request({ method: "GET", path: "/v2/", scopes: [] });
    await res.body.dump().catch(() => void 0);
    if (res.status === 401 || res.status === 403) {
      throw new OcigraphError(
        res.status === 401 ? "UNAUTHORIZED" : "DENIED",
        `${host} refused the credentials (HTTP ${res.status}).`,
        { status: res.status, hint: "Check the username and password (or token) for this registry." }
      );
    }
    if (res.status !== 200) {
      throw new OcigraphError("REGISTRY", `${host} answered GET /v2/ with HTTP ${res.status}.`, {
        status: res.status
      });
    }
  } finally {
    await factory.close();
  }
  const used = answered[answered.length - 1];
  if (!usingEntra) return { username: settings.username, password: settings.password };
  if (!used?.refreshToken) {
    throw new OcigraphError(
      "UNAUTHORIZED",
      `${host} did not ask for an ACR token at its own /oauth2/token, so no Entra ID sign-in took place`,
      { hint: "sign in with --username/--password, or check that this is an ACR login server" }
    );
  }
  return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: used.refreshToken };
}
export {
  checkLogin
};
