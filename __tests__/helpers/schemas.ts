// Every manifest and index the suite writes must pass the image-spec's own validator
// (github.com/opencontainers/image-spec/schema), built by scripts/peers/install.sh into
// .peers/bin/ocischema. One checker process serves a whole test file: documents go to its
// stdin, one answer line per document comes back, in order.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { PEERS_BIN } from "../rig/peers";

const CHECKER = path.join(PEERS_BIN, "ocischema");

interface Checker {
  child: ChildProcessWithoutNullStreams;
  waiting: ((line: string) => void)[];
}

let checker: Checker | undefined;

function start(): Checker {
  if (!existsSync(CHECKER)) {
    throw new Error(`${CHECKER} is missing: run bash scripts/peers/install.sh`);
  }
  const child = spawn(CHECKER, [], { stdio: ["pipe", "pipe", "pipe"] });
  const started: Checker = { child, waiting: [] };
  createInterface({ input: child.stdout }).on("line", (line) => started.waiting.shift()?.(line));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.on("exit", (code) => {
    if (checker === started) checker = undefined;
    for (const w of started.waiting.splice(0)) w(`invalid checker exited (${code}): ${stderr.trim()}`);
  });
  // The checker never keeps a test process alive.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr])
    (s as unknown as { unref?: () => void }).unref?.();
  return started;
}

/** The checker's verdict on one document: "ok" or "invalid <reason>". */
export async function checkManifest(bytes: Buffer | string): Promise<string> {
  const text = bytes.toString();
  // A document that is not JSON would derail the checker's stream: answer it here.
  try {
    JSON.parse(text);
  } catch {
    return "invalid not JSON";
  }
  checker ??= start();
  const { child, waiting } = checker;
  return new Promise<string>((resolve) => {
    waiting.push(resolve);
    child.stdin.write(text + "\n");
  });
}

/** Throws with the validator's reason unless `bytes` is a valid image manifest or index. */
export async function assertValidManifest(bytes: Buffer | string, label = "document"): Promise<void> {
  const verdict = await checkManifest(bytes);
  if (verdict !== "ok")
    throw new Error(`${label} fails the image-spec schema: ${verdict.replace(/^invalid /, "")}`);
}

/**
 * Validates an OCI image layout the suite wrote: index.json and every manifest or index blob
 * (JSON blobs with a schemaVersion). Returns how many documents were checked.
 */
export async function assertValidLayout(root: string): Promise<number> {
  await assertValidManifest(await readFile(path.join(root, "index.json")), `${root}/index.json`);
  let checked = 1;
  const dir = path.join(root, "blobs", "sha256");
  for (const name of await readdir(dir)) {
    const bytes = await readFile(path.join(dir, name));
    if (bytes.length > 4 * 1024 * 1024 || bytes[0] !== 0x7b) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(bytes.toString());
    } catch {
      continue;
    }
    if (typeof doc !== "object" || doc === null || (doc as { schemaVersion?: unknown }).schemaVersion !== 2)
      continue;
    await assertValidManifest(bytes, `${root}@sha256:${name}`);
    checked++;
  }
  return checked;
}
