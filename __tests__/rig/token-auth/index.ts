// The token-auth rig: a CNCF distribution trusting tokens from an ACR stand-in (one origin, like ACR),
// an Entra ID stand-in over HTTPS with a test CA, and the federated-token issuers (GitHub OIDC and a
// Kubernetes cluster) the apps trust. Everything on loopback, started per test file.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startDistribution, type RestartableRegistry } from "../peers";
import { AcrStandIn, TOKEN_ISSUER } from "./acr";
import { EntraStandIn, type EntraApp } from "./entra";
import { ClusterIssuer, GithubOidcStandIn } from "./github-oidc";
import { makePki, type TestPki } from "./pki";

export interface TokenAuthRig {
  dir: string;
  pki: TestPki;
  tenantId: string;
  entra: EntraStandIn;
  github: GithubOidcStandIn;
  cluster: ClusterIssuer;
  acr: AcrStandIn;
  distribution: RestartableRegistry;
  /** Apps registered in the tenant, each with AcrPush on the registry unless noted. */
  apps: {
    secret: EntraApp & { secret: string };
    github: EntraApp;
    workload: EntraApp & { subject: string };
    certificate: EntraApp;
    /** Signs in fine but has no role on the registry. */
    noRole: EntraApp & { secret: string };
  };
  /** Environment for the spawned CLI: trusts the test CA, no ambient Azure or GitHub variables. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * CLI flags signing in as the client-secret app (the secret itself goes in AZURE_CLIENT_SECRET),
   * naming the ACR stand-in with --azure-registry: it is a loopback host, not *.azurecr.io.
   */
  secretSignIn(): string[];
  /** An AzureRM service connection (service principal with its key) for the task, with id `id`. */
  servicePrincipalConnection(id: string): {
    id: string;
    url: string;
    scheme: string;
    parameters: Record<string, string>;
  };
  stop(): Promise<void>;
}

function app(tenantId: string, extra: Partial<EntraApp> = {}): EntraApp {
  return { clientId: randomUUID(), tenantId, objectId: randomUUID(), ...extra };
}

export async function startTokenAuthRig(): Promise<TokenAuthRig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ocigraph-token-auth-"));
  const pki = await makePki(dir);
  const tenantId = randomUUID();
  const entra = new EntraStandIn(pki.server);
  const github = new GithubOidcStandIn();
  const cluster = new ClusterIssuer();
  entra.issuers.push(github, cluster);
  const acr = new AcrStandIn(tenantId, entra.key, pki.registrySigner);
  await Promise.all([entra.start(), github.start(), acr.start()]);

  const apps: TokenAuthRig["apps"] = {
    secret: { ...app(tenantId), secret: `s3cr3t~${randomBytes(12).toString("base64url")}` },
    github: app(tenantId, {
      federated: [{ issuer: github.url, subject: github.subject, audience: "api://AzureADTokenExchange" }],
    }),
    workload: { ...app(tenantId), subject: "system:serviceaccount:ci:builder" },
    certificate: app(tenantId, { certificatePem: pki.client.certPem }),
    noRole: { ...app(tenantId), secret: `n0r0le~${randomBytes(12).toString("base64url")}` },
  };
  apps.workload.federated = [
    { issuer: cluster.url, subject: apps.workload.subject, audience: "api://AzureADTokenExchange" },
  ];
  for (const a of Object.values(apps)) {
    entra.addApp(a);
    if (a !== apps.noRole) acr.roles.set(a.objectId, ["AcrPush", "AcrDelete"]);
  }

  let distribution: RestartableRegistry;
  try {
    distribution = await startDistribution({
      token: {
        realm: `http://${acr.host}/oauth2/token`,
        service: acr.service,
        issuer: TOKEN_ISSUER,
        rootCertBundle: pki.registrySigner.certFile,
      },
    });
  } catch (err) {
    await Promise.allSettled([entra.stop(), github.stop(), acr.stop()]);
    throw err;
  }
  acr.upstream = distribution.host;

  return {
    dir,
    pki,
    tenantId,
    entra,
    github,
    cluster,
    acr,
    distribution,
    apps,
    env(extra = {}) {
      const clean: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) {
        if (!/^(AZURE_|ACTIONS_ID_TOKEN_|IDENTITY_|MSI_|DOCKER_CONFIG$)/.test(k)) clean[k] = v;
      }
      return { ...clean, NODE_EXTRA_CA_CERTS: pki.caFile, DOCKER_CONFIG: path.join(dir, "docker"), ...extra };
    },
    secretSignIn() {
      return [
        "--azure-authority-host",
        entra.base,
        "--azure-tenant-id",
        tenantId,
        "--azure-client-id",
        apps.secret.clientId,
        "--azure-registry",
        acr.host,
      ];
    },
    servicePrincipalConnection(id) {
      return {
        id,
        url: "https://management.azure.com/",
        scheme: "ServicePrincipal",
        parameters: {
          tenantid: tenantId,
          serviceprincipalid: apps.secret.clientId,
          serviceprincipalkey: apps.secret.secret,
          authenticationType: "spnKey",
        },
      };
    },
    async stop() {
      await Promise.allSettled([distribution.stop(), entra.stop(), github.stop(), acr.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
