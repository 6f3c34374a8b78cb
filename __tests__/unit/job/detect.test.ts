import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArtifactType, detectArtifactType, detectFromJson, detectFromPrefix } from "../../../src/job/detect";
import { isOcigraphError } from "../../../src/oci/errors";

describe("detectFromJson", () => {
  test.each<[string, unknown, string | undefined]>([
    ["SPDX 2.3", { spdxVersion: "SPDX-2.3", SPDXID: "SPDXRef-DOCUMENT" }, ArtifactType.Spdx],
    ["SPDX 3 JSON-LD", { "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld" }, ArtifactType.Spdx],
    ["CycloneDX", { bomFormat: "CycloneDX", specVersion: "1.6" }, ArtifactType.CycloneDx],
    [
      "SARIF with $schema",
      { $schema: "https://json.schemastore.org/sarif-2.1.0.json", runs: [] },
      ArtifactType.Sarif,
    ],
    ["SARIF by version", { version: "2.1.0", runs: [{}] }, ArtifactType.Sarif],
    ["in-toto v1", { _type: "https://in-toto.io/Statement/v1", subject: [] }, ArtifactType.InTotoStatement],
    ["in-toto v0.1", { _type: "https://in-toto.io/Statement/v0.1" }, ArtifactType.InTotoStatement],
    [
      "DSSE",
      { payloadType: "application/vnd.in-toto+json", payload: "e30=", signatures: [] },
      ArtifactType.DsseEnvelope,
    ],
    [
      "Sigstore bundle",
      { mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json", verificationMaterial: {} },
      "application/vnd.dev.sigstore.bundle.v0.3+json",
    ],
    ["CycloneDX spelled wrong", { bomFormat: "cyclonedx" }, undefined],
    ["unrelated JSON", { name: "x" }, undefined],
    ["array", [1, 2], undefined],
    ["null", null, undefined],
    ["string", "SPDX-2.3", undefined],
  ])("%s", (_name, doc, expected) => {
    expect(detectFromJson(doc)).toBe(expected);
  });
});

describe("detectFromPrefix (files over 16 MiB)", () => {
  test.each<[string, string | undefined]>([
    ['{ "spdxVersion": "SPDX-2.3", "packages": [', ArtifactType.Spdx],
    ['{"bomFormat":"CycloneDX","specVersion":"1.5","components":[', ArtifactType.CycloneDx],
    [
      '{"$schema":"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json","runs":[',
      ArtifactType.Sarif,
    ],
    ['{"_type":"https://in-toto.io/Statement/v1","predicate":{', ArtifactType.InTotoStatement],
    ["PK\u0003\u0004 binary", undefined],
    ['["spdxVersion", "SPDX-2.3"]', undefined],
  ])("%s", (text, expected) => {
    expect(detectFromPrefix(text)).toBe(expected);
  });
});

describe("detectArtifactType", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ocigraph-detect-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test("reads the file (a UTF-8 BOM is fine)", async () => {
    const path = join(dir, "bom.cdx.json");
    await writeFile(path, `\uFEFF${JSON.stringify({ bomFormat: "CycloneDX" })}`);
    await expect(detectArtifactType(path, "sbom")).resolves.toBe(ArtifactType.CycloneDx);
  });

  test("unknown content asks for the input's artifact type, naming the file", async () => {
    const path = join(dir, "sig.bin");
    await writeFile(path, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const err: unknown = await detectArtifactType(path, "signature").catch((e: unknown) => e);
    expect(isOcigraphError(err, "INVALID_INPUT")).toBe(true);
    expect((err as Error).message).toContain(path);
    expect((err as { hint: string }).hint).toContain("signature-artifact-type");
  });

  test("a folder needs the artifact type too", async () => {
    const err: unknown = await detectArtifactType(dir, "sbom").catch((e: unknown) => e);
    expect(isOcigraphError(err, "INVALID_INPUT")).toBe(true);
  });

  test("a missing file is NOT_FOUND", async () => {
    const err: unknown = await detectArtifactType(join(dir, "nope.json"), "sbom").catch((e: unknown) => e);
    expect(isOcigraphError(err, "NOT_FOUND")).toBe(true);
  });
});
