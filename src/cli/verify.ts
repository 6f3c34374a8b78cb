import { Option, type Command } from "commander";
import { OcigraphError } from "../oci/errors.js";
import { type ConnectionFlags, addConnectionOptions, maxNodesOption } from "./connection.js";
import { neutral, safeJson } from "../report/neutral.js";
import { type CliIo, collect, withTargets } from "./shared.js";

interface VerifyFlags extends ConnectionFlags {
  require: string[];
  maxNodes?: number;
  format: "text" | "json";
}

/**
 * `ocigraph verify <ref> --require <type>[ > <type>...]`: the release gate. Exits 1 with one
 * message listing every requirement the graph does not meet.
 */
export function registerVerifyCommand(program: Command, io: CliIo): void {
  addConnectionOptions(
    program
      .command("verify")
      .description("check that an image carries the required artifacts (the release gate)")
      .argument("<reference>", "registry/repository:tag or @digest")
      .option(
        "--require <types>",
        'artifact type that must refer to the image; "a > b" means an a that itself carries a b (repeatable)',
        collect,
        [],
      )
      .addOption(maxNodesOption())
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (reference: string, flags: VerifyFlags) => {
    const { parseRequirements, verify } = await import("../graph/verify.js");
    const requirements = parseRequirements(flags.require);
    if (requirements.length === 0) {
      throw new OcigraphError("INVALID_INPUT", "give at least one --require", {
        usage: true,
        hint: 'e.g. --require application/spdx+json --require "application/spdx+json > application/vnd.example.signature"',
      });
    }
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const subject = await target.resolve(selector as string);
      const verdict = await verify(target, subject, requirements, {
        display: reference,
        ...(flags.maxNodes ? { maxNodes: flags.maxNodes } : {}),
      });
      if (flags.format === "json") {
        const { passed, outcomes } = verdict;
        io.stdout(`${safeJson({ subject: subject.digest, passed, requirements: outcomes })}\n`);
      } else {
        for (const o of verdict.outcomes) {
          io.stdout(
            `${o.met ? "✓" : "✗"} ${neutral(o.requirement)}${o.met ? "" : `: ${neutral(o.reason ?? "", 1024)}`}\n`,
          );
        }
      }
      if (!verdict.passed) throw new OcigraphError("NOT_FOUND", verdict.message);
    });
  });
}
