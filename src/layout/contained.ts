/**
 * An OCI layout is a folder someone else may have written. If its `blobs` or `blobs/<alg>`
 * folder is a symlink that leads outside the layout, reading it would serve (and writing it
 * would overwrite) files elsewhere on the machine, so such a layout is refused.
 */
import { readdir, realpath } from "node:fs/promises";
import { join, relative, isAbsolute, sep } from "node:path";
import { OcigraphError } from "../oci/errors.js";

async function realOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** Throws INVALID_CONTENT when `blobs` or a `blobs/<algorithm>` folder resolves outside `root`. */
export async function checkBlobsContained(root: string): Promise<void> {
  const realRoot = await realOrUndefined(root);
  if (!realRoot) return;
  const blobs = await realOrUndefined(join(root, "blobs"));
  if (!blobs) return;
  const folders = [join(root, "blobs")];
  for (const name of await readdir(join(root, "blobs"))) folders.push(join(root, "blobs", name));
  for (const folder of folders) {
    const real = await realOrUndefined(folder);
    if (real && !inside(realRoot, real)) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `${root} is not a safe OCI image layout: ${relative(root, folder)} leads outside it (to ${real})`,
        { hint: "copy the layout's blobs into the layout folder itself instead of linking them" },
      );
    }
  }
}
