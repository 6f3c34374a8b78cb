// Build-time settings for publishing, each from the environment with a documented default
// (README "Publishing the Action and the extension"):
//
//   OCIGRAPH_PUBLISHER          Visual Studio Marketplace publisher of the Azure DevOps extension
//                               (default: "publisher" of vss-extension.json, "ocigraph")
//   OCIGRAPH_ACTION_REPOSITORY  GitHub owner/repository that `uses:` names for the Action
//                               (default: "ocigraph/ocigraph")
//   OCIGRAPH_VERSION            version of the extension and the task (default: package.json's)
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const json = (file) => JSON.parse(readFileSync(join(root, file), "utf8"));

/** The settings, validated: a bad value fails the build with a sentence saying which. */
export function publishSettings(env = process.env) {
  const settings = {
    publisher: env.OCIGRAPH_PUBLISHER || json("vss-extension.json").publisher,
    actionRepository: env.OCIGRAPH_ACTION_REPOSITORY || "ocigraph/ocigraph",
    version: env.OCIGRAPH_VERSION || json("package.json").version,
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(settings.publisher))
    throw new Error(
      `OCIGRAPH_PUBLISHER "${settings.publisher}" is not a Marketplace publisher id (letters, digits, -)`,
    );
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(settings.actionRepository))
    throw new Error(`OCIGRAPH_ACTION_REPOSITORY "${settings.actionRepository}" is not owner/repository`);
  if (!/^\d+\.\d+\.\d+$/.test(settings.version))
    throw new Error(`OCIGRAPH_VERSION "${settings.version}" is not major.minor.patch`);
  return settings;
}

/** `text` with the defaults' names replaced by the settings (README and examples). */
export function applySettings(text, settings) {
  return text.replaceAll("uses: ocigraph/ocigraph@", `uses: ${settings.actionRepository}@`);
}
