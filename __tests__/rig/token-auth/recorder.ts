// A registry host that is not ACR, recording everything it receives (headers and bodies), so a test
// can prove which tokens reached it. In front of a real registry (`upstream`), or, with
// `acrLike`, answering every /v2/ request with the challenge an ACR sends (`Bearer realm=<itself>/oauth2/token`)
// and its own /oauth2/exchange and /oauth2/token: the most tempting host there is for an Entra token.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { close, json, listen } from "./http";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class RecordingRegistry {
  private server: Server | undefined;
  /** "127.0.0.1:PORT". */
  host = "";
  readonly requests: RecordedRequest[] = [];

  /**
   * `upstream`: proxy to this registry. `acrLike`: answer every request with ACR's challenge naming
   * this host's own token endpoint, or, with `realm`, naming that realm (a token service elsewhere).
   */
  constructor(private readonly options: { upstream?: string; acrLike?: boolean; realm?: string }) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        this.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
        this.answer(req, res, body);
      });
    });
    this.host = `127.0.0.1:${await listen(this.server)}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (this.options.acrLike) {
      if (path === "/oauth2/exchange") return json(res, 404, { errors: [{ code: "NOT_FOUND" }] });
      if (path === "/oauth2/token") return json(res, 401, { errors: [{ code: "UNAUTHORIZED" }] });
      const realm = this.options.realm ?? `http://${this.host}/oauth2/token`;
      const service = this.options.realm ? new URL(this.options.realm).host : this.host;
      res.setHeader("www-authenticate", `Bearer realm="${realm}",service="${service}"`);
      return json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] });
    }
    const up = request(
      `http://${this.options.upstream}${req.url ?? "/"}`,
      // The Host header stays: the registry builds upload locations on this host, not its own.
      { method: req.method, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    up.end(body);
  }

  /** Which of `secrets` appear anywhere in what this host received (headers, paths, bodies). */
  received(secrets: readonly string[]): string[] {
    const seen = this.requests.map(
      (r) => `${r.path}\n${JSON.stringify(r.headers)}\n${r.body.toString("latin1")}`,
    );
    return secrets.filter((s) => s !== "" && seen.some((text) => text.includes(s)));
  }

  /** Paths asked with `method`. */
  paths(method?: string): string[] {
    return this.requests.filter((r) => !method || r.method === method).map((r) => r.path);
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}
