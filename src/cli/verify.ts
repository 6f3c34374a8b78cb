import { Option, type Command } from "commander";
import { OcigraphError } from "../oci/errors.js";
import { type ConnectionFlags, addConnectionOptions } from "./connection.js";
import { type CliIo, collect, withTargets } from "./shared.js";

interface VerifyFlags extends ConnectionFlags {
  require: string[];
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
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (reference: string, flags: VerifyFlags) => {
    const { parseRequirements, verify } = await import("../graph/verify.js");
    const requirements = parseRequirements(flags.require);
    if (requirements.length === 0) {
      throw new OcigraphError("INVALID_INPUT", "give at least one --require", {
        hint: 'e.g. --require application/spdx+json --require "application/spdx+json > application/vnd.example.signature"',
      });
    }
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const subject = await target.resolve(selector as string);
      const verdict = await verify(target, subject, requirements, { display: reference });
      if (flags.format === "json") {
        const { passed, outcomes } = verdict;
        io.stdout(
          `${JSON.stringify({ subject: subject.digest, passed, requirements: outcomes }, null, 2)}\n`,
        );
      } else {
        for (const o of verdict.outcomes) {
          io.stdout(`${o.met ? "✓" : "✗"} ${o.requirement}${o.met ? "" : `: ${o.reason}`}\n`);
        }
      }
      if (!verdict.passed) throw new OcigraphError("NOT_FOUND", verdict.message);
    });
  });
}
