/**
 * Help that teaches: `ocigraph --help` lists each command on one line (its name and a short
 * summary); each command's `--help` shows its own flags first, then the connection flags and the
 * `--azure-*` flags under headings of their own, and ends with examples from the README's walkthrough.
 */
import type { Command } from "commander";

/** Heading of the flags every command that connects to a registry or layout shares. */
export const CONNECTION_OPTIONS = "Connection options:";
/** Heading of the `--azure-*` flags. */
export const AZURE_OPTIONS = "Azure Container Registry sign-in (Entra ID) options:";

const IMAGE = "myregistry.azurecr.io/net-monitor:v1";
const REPO = "myregistry.azurecr.io/net-monitor";

/** Flags about reaching and authenticating to a registry or layout, shared by the commands. */
const CONNECTION_FLAGS = new Set([
  "--oci-layout",
  "--plain-http",
  "--insecure",
  "--ca-file",
  "--username",
  "--password",
  "--password-stdin",
  "--registry-config",
  "--chunk-size",
  "--verbose",
]);

/** Per command: the one-line summary for `ocigraph --help`, and 2–3 examples from the walkthrough. */
const HELP: Record<string, { summary: string; examples: string[] }> = {
  attach: {
    summary: "attach files to an image (or an artifact) as a referrer",
    examples: [
      `ocigraph attach ${IMAGE} --artifact-type signature/example ./signature.json:application/json`,
      `ocigraph attach ${IMAGE} --artifact-type readme/example ./readme.md:application/markdown ./details`,
      `ocigraph attach ${REPO}@$SBOM --artifact-type signature/example ./sbom-signature.json:application/json`,
    ],
  },
  push: {
    summary: "push files as a tagged artifact with no subject",
    examples: [
      "ocigraph push --oci-layout ./net-monitor:v1 app.txt --artifact-type application/vnd.example.image",
      `ocigraph push ${REPO}:docs ./readme.md:application/markdown --artifact-type readme/example`,
    ],
  },
  discover: {
    summary: "show the graph of artifacts that refer to an image",
    examples: [
      `ocigraph discover ${IMAGE}`,
      `ocigraph discover ${IMAGE} --artifact-type sbom/example --format json | jq -r '.referrers[0].digest'`,
      "ocigraph discover --oci-layout ./net-monitor:v1 --format table",
    ],
  },
  pull: {
    summary: "download an artifact's files (folders unpacked)",
    examples: [
      `ocigraph pull ${REPO}@$DOC -o ./download`,
      "ocigraph pull --oci-layout ./net-monitor@$DOC -o ./download --keep-old-files",
    ],
  },
  tags: {
    summary: "list the tags of a repository",
    examples: [`ocigraph tags ${REPO}`, "ocigraph tags --oci-layout ./net-monitor"],
  },
  copy: {
    summary: "copy an image and, with -r, its whole graph",
    examples: [
      `ocigraph copy -r ${IMAGE} myregistry.azurecr.io/sample-staging/net-monitor:v1`,
      `ocigraph copy -r ${IMAGE} --to-oci-layout ./offline:v1`,
      `ocigraph copy -r ${IMAGE} ${REPO}-prod:v1 --include-artifact-type sbom/example`,
    ],
  },
  delete: {
    summary: "delete a manifest, or with -r its whole graph",
    examples: [`ocigraph delete -r --dry-run ${IMAGE}`, `ocigraph delete -r --force ${REPO}@$SBOM`],
  },
  login: {
    summary: "save a registry credential in the docker config",
    examples: [
      "ocigraph login myregistry.azurecr.io --azure-credential azure-cli",
      "echo $TOKEN | ocigraph login localhost:5000 -u ci --password-stdin",
    ],
  },
  logout: {
    summary: "remove a registry's credential from the docker config",
    examples: ["ocigraph logout myregistry.azurecr.io"],
  },
  verify: {
    summary: "check an image carries the required artifacts (gate)",
    examples: [
      `ocigraph verify ${IMAGE} --require sbom/example`,
      `ocigraph verify ${IMAGE} --require 'sbom/example > signature/example' --require readme/example`,
    ],
  },
  manifests: {
    summary: "list a repository's manifests, tagged or not",
    examples: [`ocigraph manifests ${REPO}`, `ocigraph manifests ${REPO} --format json --untagged`],
  },
  lock: {
    summary: "lock a manifest, or with -r its whole graph (ACR)",
    examples: [`ocigraph lock -r ${IMAGE}`, `ocigraph lock -r --allow-delete ${IMAGE}`],
  },
  unlock: {
    summary: "unlock a manifest, or with -r its whole graph (ACR)",
    examples: [`ocigraph unlock -r ${IMAGE}`],
  },
};

/** Applies the summaries and examples to `program`'s commands, and the one-line command list. */
export function teachHelp(program: Command): void {
  program.configureHelp({
    // The list shows names only (`copy|cp`); each command's own help shows its arguments.
    subcommandTerm: (cmd) => [cmd.name(), ...cmd.aliases()].join("|"),
  });
  for (const cmd of program.commands) {
    const help = HELP[cmd.name()];
    if (!help) continue;
    cmd.summary(help.summary);
    for (const option of cmd.options) {
      if (option.long?.startsWith("--azure-")) option.helpGroup(AZURE_OPTIONS);
      else if (option.long && CONNECTION_FLAGS.has(option.long)) option.helpGroup(CONNECTION_OPTIONS);
    }
    cmd.addHelpText("after", `\nExamples:\n${help.examples.map((e) => `  $ ${e}`).join("\n")}\n`);
  }
}

/** The commands `teachHelp` knows (tests check every command has examples). */
export const HELP_COMMANDS: readonly string[] = Object.keys(HELP);
