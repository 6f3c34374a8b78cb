// A stand-in for the GitHub Actions ID-token service (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN).
import { createServer, type Server } from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { close, json, listen } from "./http";
import { nowSeconds, signJwt } from "./jwt";
import type { TokenIssuer } from "./entra";

export class GithubOidcStandIn implements TokenIssuer {
  private server: Server | undefined;
  readonly url = "https://token.actions.githubusercontent.com";
  readonly key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  /** The job's ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken = `ghs_${randomBytes(18).toString("hex")}`;
  subject = "repo:octo/app:ref:refs/heads/main";
  /** Lifetime of issued ID tokens in seconds; negative issues expired ones. */
  lifetime = 300;
  requestUrl = "";
  /** Every ID token handed out (tests scan logs for them). */
  readonly issued: string[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (req.method !== "GET" || url.pathname !== "/idtoken")
        return json(res, 404, { message: "Not Found" });
      if (req.headers.authorization !== `Bearer ${this.requestToken}`) {
        return json(res, 401, { message: "Bad credentials" });
      }
      const now = nowSeconds();
      const value = signJwt(
        {
          iss: this.url,
          sub: this.subject,
          aud: url.searchParams.get("audience") ?? "https://github.com/octo",
          repository: "octo/app",
          iat: now - 5,
          nbf: now - 5,
          exp: now + this.lifetime,
        },
        this.key,
        { kid: "test" },
      );
      this.issued.push(value);
      return json(res, 200, { count: 1800, value });
    });
    this.requestUrl = `http://127.0.0.1:${await listen(this.server)}/idtoken?api-version=2.0`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}

/** A Kubernetes-style issuer of projected service-account tokens (workload identity). */
export class ClusterIssuer implements TokenIssuer {
  readonly url = "https://oidc.test-cluster.example/";
  readonly key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  token(subject: string, lifetimeSeconds: number): string {
    const now = nowSeconds();
    return signJwt(
      {
        iss: this.url,
        sub: subject,
        aud: "api://AzureADTokenExchange",
        iat: now - 5,
        nbf: now - 5,
        exp: now + lifetimeSeconds,
      },
      this.key,
      { kid: "cluster" },
    );
  }
}
