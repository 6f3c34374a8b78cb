// Referrer and tag pages are capped while they stream in, like manifests: a registry sending an
// endless page is cut off after the cap, not read whole first.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTransport, type Transport } from "../../../src/connect/transport";
import { RegistryClient } from "../../../src/registry/client";
import type { RepositoryContext } from "../../../src/registry/context";
import { listReferrersApi } from "../../../src/registry/referrers";
import { listTags } from "../../../src/registry/tags";

/** Answers every GET with a 200 JSON body that never ends; counts the bytes it managed to send. */
async function endlessPages(
  contentType: string,
): Promise<{ host: string; sent: () => number; stop: () => Promise<void> }> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, "a");
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { "content-type": contentType });
    res.write('{"tags":["');
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once("drain", pump);
    };
    res.on("close", () => req.destroy());
    pump();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => sent,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("pages capped while streaming", () => {
  let transport: Transport;
  beforeAll(() => {
    transport = createTransport({ maxRetries: 1, minRetryDelayMs: 10 });
  });
  afterAll(async () => transport.close());

  function context(host: string): RepositoryContext {
    const client = new RegistryClient({ host, plainHttp: true, dispatcher: transport.registry });
    return { client, repository: "r", name: `${host}/r`, chunkSize: 0, uploads: { singlePost: undefined } };
  }

  test("a tag page", async () => {
    const srv = await endlessPages("application/json");
    try {
      await expect(listTags(context(srv.host))).rejects.toMatchObject({
        code: "TOO_LARGE",
        message: expect.stringContaining("tag page is larger than 4 MiB"),
      });
      expect(srv.sent()).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await srv.stop();
    }
  });

  test("a referrers page", async () => {
    const srv = await endlessPages("application/vnd.oci.image.index.v1+json");
    try {
      await expect(
        listReferrersApi(context(srv.host), `sha256:${"a".repeat(64)}`, undefined),
      ).rejects.toMatchObject({
        code: "TOO_LARGE",
        message: expect.stringContaining("referrers page is larger than 4 MiB"),
      });
      expect(srv.sent()).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await srv.stop();
    }
  });
});
