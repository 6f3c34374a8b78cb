// The ACR metadata client against a scripted loopback server that fails the test on any request it
// was not told to expect: probing, Link paging (and its guards), and hostile record fields.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isAcrLoginServer, parseRecord, probeAcrMetadata } from "../../../src/registry/acr-metadata.js";
import { RegistryClient } from "../../../src/registry/client.js";
import type { RepositoryContext } from "../../../src/registry/context.js";
import { createTransport, type Transport } from "../../../src/connect/transport.js";

const D = (c: string): string => `sha256:${c.repeat(64)}`;
type Route = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let transport: Transport;
let routes: Map<string, Route>;
let unexpected: string[];
let ctx: RepositoryContext;

const send = (status: number, body: unknown, headers: Record<string, string> = {}): Route => {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(`${req.method} ${req.url}`);
    if (!route) {
      unexpected.push(`${req.method} ${req.url}`);
      res.writeHead(599).end();
      return;
    }
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  transport = createTransport({});
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new RegistryClient({ host, plainHttp: true, dispatcher: transport.registry });
  ctx = {
    client,
    repository: "team/app",
    name: `${host}/team/app`,
    chunkSize: 0,
    uploads: { singlePost: undefined },
  };
});

beforeEach(() => {
  routes = new Map();
  unexpected = [];
});

afterEach(() => expect(unexpected).toEqual([]));

afterAll(async () => {
  await transport.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const PROBE = "GET /acr/v1/team/app/_manifests?n=1&api-version=2021-07-01";
const FIRST = "GET /acr/v1/team/app/_manifests?n=100&orderby=timeasc&api-version=2021-07-01";

describe("probeAcrMetadata", () => {
  it.each([
    ["an AcrManifests page", send(200, { manifests: [] }), true],
    ["ACR's NAME_UNKNOWN for a new repository", send(404, { errors: [{ code: "NAME_UNKNOWN" }] }), true],
    ["distribution's plain 404", send(404, "404 page not found\n"), false],
    ["a 400 for an unknown route", send(400, { errors: [{ code: "METHOD_UNKNOWN" }] }), false],
    ["a 200 that is not a listing", send(200, { repositories: [] }), false],
  ])("%s", async (_label, route, supported) => {
    routes.set(PROBE, route);
    expect(Boolean(await probeAcrMetadata(ctx))).toBe(supported);
  });

  it("a refused metadata scope means 'no API' on a registry that is not an ACR login server", async () => {
    routes.set(PROBE, send(403, { errors: [{ code: "DENIED", message: "no metadata_read" }] }));
    expect(await probeAcrMetadata(ctx)).toBeUndefined();
  });

  it.each([
    ["myregistry.azurecr.io", true],
    ["myregistry.azurecr.cn:443", true],
    ["myregistry.azurecr.us", true],
    ["azurecr.io.evil.example", false],
    ["ghcr.io", false],
  ])("%s is an ACR login server: %s", (host, acr) => {
    expect(isAcrLoginServer(host)).toBe(acr);
  });
});

describe("listing", () => {
  beforeEach(() => routes.set(PROBE, send(200, { manifests: [] })));

  it("follows Link pages on the same origin and keeps each digest once", async () => {
    routes.set(
      FIRST,
      send(
        200,
        { manifests: [{ digest: D("a") }, { digest: D("b") }] },
        {
          link: `</acr/v1/team/app/_manifests?last=${D("b")}&n=2>; rel="next"`,
        },
      ),
    );
    routes.set(
      `GET /acr/v1/team/app/_manifests?last=${D("b")}&n=2`,
      send(200, { manifests: [{ digest: D("b") }, { digest: D("c"), tags: ["v1"] }] }),
    );
    const api = await probeAcrMetadata(ctx);
    const records = await api!.list();
    expect(records.map((r) => r.digest)).toEqual([D("a"), D("b"), D("c")]);
    expect(records[2]?.tags).toEqual(["v1"]);
  });

  it("refuses a next page on another host, and a listing that loops", async () => {
    routes.set(
      FIRST,
      send(
        200,
        { manifests: [] },
        { link: '<http://127.0.0.2:1/acr/v1/team/app/_manifests?n=1>; rel="next"' },
      ),
    );
    const api = await probeAcrMetadata(ctx);
    await expect(api!.list()).rejects.toMatchObject({ code: "INVALID_CONTENT", message: /another host/ });
    routes.set(
      FIRST,
      send(
        200,
        { manifests: [] },
        {
          link: '</acr/v1/team/app/_manifests?n=100&orderby=timeasc&api-version=2021-07-01>; rel="next"',
        },
      ),
    );
    await expect(api!.list()).rejects.toMatchObject({ code: "INVALID_CONTENT", message: /loops/ });
  });
});

describe("parseRecord", () => {
  it("keeps what checks out and drops the rest", () => {
    expect(
      parseRecord({
        digest: D("a"),
        tags: ["v1", "bad tag\n", 7, "v1"],
        mediaType: "not a media type",
        imageSize: -3,
        createdTime: "2023-01-10T17:58:28.4403142Z",
        lastUpdateTime: "<script>",
        changeableAttributes: { writeEnabled: false, deleteEnabled: "no", readEnabled: true },
      }),
    ).toEqual({
      digest: D("a"),
      tags: ["v1"],
      createdTime: "2023-01-10T17:58:28.4403142Z",
      attributes: { writeEnabled: false, readEnabled: true },
    });
    expect(parseRecord({ digest: "sha256:short" })).toBeUndefined();
    expect(parseRecord("x")).toBeUndefined();
  });
});
