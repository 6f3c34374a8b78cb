import { Option, type Command } from "commander";
import { manifestsJson, renderManifestTable } from "../report/manifests.js";
import { type ConnectionFlags, addConnectionOptions, positiveInt } from "./connection.js";
import { type CliIo, collect, withTargets } from "./shared.js";

interface ManifestsFlags extends ConnectionFlags {
  artifactType: string[];
  untagged?: boolean;
  concurrency?: number;
  format: "table" | "json";
}

/** `ocigraph manifests <repository>`: `az acr manifest list-metadata` for any registry or layout. */
export function registerManifestsCommand(program: Command, io: CliIo): void {
  addConnectionOptions(
    program
      .command("manifests")
      .description(
        "list every manifest of a repository, tagged or not, with its lock (ACR); elsewhere what the tags reach",
      )
      .argument("<repository>", "registry/repository (or an OCI layout path with --oci-layout)")
      .option("--artifact-type <type>", "only manifests of this artifact type (repeatable)", collect, [])
      .option("--untagged", "only manifests without a tag")
      .addOption(new Option("--concurrency <n>", "parallel requests (default 8)").argParser(positiveInt))
      .addOption(
        new Option("--format <format>", "output format").choices(["table", "json"]).default("table"),
      ),
  ).action(async (repository: string, flags: ManifestsFlags) => {
    const { listManifests } = await import("../graph/manifests.js"); // start-up: see program.ts
    await withTargets(flags, io, async (factory) => {
      const { target } = await factory.open(repository, { create: false, needSelector: false });
      const listing = await listManifests(target, {
        artifactTypes: flags.artifactType,
        ...(flags.untagged ? { untagged: true } : {}),
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      });
      if (flags.format === "json") io.stdout(`${JSON.stringify(manifestsJson(listing), null, 2)}\n`);
      else io.stdout(`${renderManifestTable(listing)}\n`);
    });
  });
}
