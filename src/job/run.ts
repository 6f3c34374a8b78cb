/**
 * Runs a {@link Job}: attach every artifact (reusing identical ones), evaluate the gate, promote
 * the whole graph when the gate passed, then discover the graph for the report. Knows nothing of
 * GitHub or Azure Pipelines: progress goes through {@link JobHooks}.
 */
import { attach } from "../graph/attach.js";
import { copy } from "../graph/copy.js";
import { discover } from "../graph/discover.js";
import { promotionTags } from "../graph/promotion.js";
import { verify } from "../graph/verify.js";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import type { Descriptor } from "../oci/manifest.js";
import type { Target } from "../oci/target.js";
import { discoverJson } from "../report/graph-json.js";
import { neutral, shownType } from "../report/neutral.js";
import type {
  AttachedArtifact,
  ArtifactSpec,
  Job,
  JobHooks,
  JobResult,
  Promotion,
  RegistryModeReport,
} from "./job.js";
import { TargetFactory } from "../connect/targets.js";
import { lockGraph } from "./lock.js";
import { lockApi } from "../graph/lock.js";

export async function runJob(job: Job, hooks: JobHooks): Promise<JobResult> {
  // Warnings quote registries (a forged entry's digest, a realm's host): neutralised here too.
  const warn = (line: string): void => (hooks.warn ?? hooks.info)(neutral(line, 1024));
  const factory = new TargetFactory({ warn, ...job.connection });
  // Tag-schema index updates of this run's attaches: they settle side by side while the run goes
  // on (the target lists its own unsettled referrers meanwhile), and all are awaited before the
  // result is reported, so a run pays about one settle window, not one per artifact or wave.
  const settling: Promise<void>[] = [];
  try {
    const source = await factory.open(job.subject, { create: false, needSelector: true });
    const target = source.target;
    const subject = await hooks.group(`Resolve ${job.subject}`, async () => {
      const d = await target.resolve(source.selector as string);
      hooks.info(`${neutral(job.subject)} is ${d.digest} (${neutral(d.mediaType)})`);
      return d;
    });
    // The promotion's destination is checked now, before anything is attached or copied.
    const destination = job.promoteTo
      ? await factory.open(job.promoteTo, { create: true, needSelector: false })
      : undefined;
    const promotionTagList = destination
      ? promotionTags({
          sourceDigest: subject.digest,
          sourceSelector: source.selector as string,
          destinationSelector: destination.selector,
          destination: `promote-to ${job.promoteTo}`,
        })
      : [];

    if (job.lock) {
      // Before anything is written: a registry that cannot lock fails the step at once.
      await lockApi(destination ? destination.target : target);
    }

    const artifacts: AttachedArtifact[] = [];
    if (job.artifacts.length) {
      await hooks.group(`Attach ${job.artifacts.length} artifact(s) to ${job.subject}`, async () => {
        // Artifacts on the subject (or an existing digest) first, then those on this run's
        // artifacts; each wave in parallel, since a tag-schema index update waits to settle.
        const waves = [
          job.artifacts.filter((a) => a.parent.kind !== "input"),
          job.artifacts.filter((a) => a.parent.kind === "input"),
        ];
        const done = new Map<ArtifactSpec, AttachedArtifact>();
        for (const wave of waves) {
          const attached = [...done.values()];
          const results = await Promise.all(
            wave.map((spec) => attachOne(target, subject, spec, attached, job, hooks, settling)),
          );
          wave.forEach((spec, i) => done.set(spec, results[i] as AttachedArtifact));
        }
        for (const spec of job.artifacts) artifacts.push(done.get(spec) as AttachedArtifact);
      });
    }

    let gate: JobResult["gate"];
    if (job.require.length) {
      gate = await hooks.group("Release gate", async () => {
        const verdict = await verify(target, subject, job.require, {
          display: job.subject,
          maxNodes: job.maxNodes,
        });
        for (const o of verdict.outcomes) {
          hooks.info(
            `${o.met ? "✓" : "✗"} ${neutral(o.requirement)}${o.met ? ` (${o.chain.join(" > ")})` : `: ${neutral(o.reason ?? "", 1024)}`}`,
          );
        }
        return { passed: verdict.passed, outcomes: verdict.outcomes, message: verdict.message };
      });
    }

    let promotion: JobResult["promotion"];
    const modes: RegistryModeReport[] = [];
    let promotedTarget: Target | undefined;
    if (job.promoteTo && destination) {
      const promoteTo = job.promoteTo;
      if (gate && !gate.passed) {
        promotion = { skipped: "the release gate failed" };
        hooks.info(`Not promoting to ${neutral(promoteTo)}: the release gate failed`);
      } else {
        promotion = await hooks.group(`Promote to ${promoteTo}`, async () => {
          promotedTarget = destination.target;
          return promote(target, subject, destination.target, promotionTagList, promoteTo, job, hooks);
        });
      }
    }

    let lock: JobResult["lock"];
    if (job.lock) {
      const promoted = promotion && "digest" in promotion && promotedTarget ? promotion : undefined;
      if ((gate && !gate.passed) || (promotion && !promoted)) {
        lock = { skipped: gate && !gate.passed ? "the release gate failed" : "nothing was promoted" };
        hooks.info(`Not locking: ${lock.skipped}`);
      } else {
        await Promise.all(settling); // lock a graph whose index updates have all settled
        const lockTarget = promoted ? (promotedTarget as Target) : target;
        const digest = promoted ? promoted.digest : subject.digest;
        lock = await hooks.group(`Lock ${lockTarget.name}@${digest} and its graph`, () =>
          lockGraph(lockTarget, digest, hooks),
        );
      }
    }

    const referrers = await hooks.group("Graph", async () =>
      discover(target, subject, { maxNodes: job.maxNodes }),
    );
    await Promise.all(settling);
    modes.push({ repository: target.name, role: "subject", mode: await target.referrersMode() });
    if (promotedTarget) {
      modes.push({
        repository: promotedTarget.name,
        role: "promotion",
        mode: await promotedTarget.referrersMode(),
      });
    }
    return {
      subject: {
        reference: job.subject,
        repository: target.name,
        digest: subject.digest,
        mediaType: subject.mediaType,
        size: subject.size,
      },
      artifacts,
      ...(promotion ? { promotion } : {}),
      ...(gate ? { gate } : {}),
      ...(lock ? { lock } : {}),
      referrers,
      graph: discoverJson(target.name, subject, referrers),
      modes,
    };
  } finally {
    await Promise.allSettled(settling); // a failed run still lets its index updates finish
    await factory.close();
  }
}

async function attachOne(
  target: Target,
  subject: Descriptor,
  spec: ArtifactSpec,
  done: readonly AttachedArtifact[],
  job: Job,
  hooks: JobHooks,
  settling: Promise<void>[],
): Promise<AttachedArtifact> {
  let parent = subject.digest;
  if (spec.parent.kind === "input") {
    const input = spec.parent.input;
    const found = done.find((a) => a.input === input);
    if (!found) throw new OcigraphError("INTERNAL", `${spec.origin}: nothing was attached for @${input}`);
    parent = found.digest;
  } else if (spec.parent.kind === "digest") {
    parent = spec.parent.digest;
  }
  const files = spec.files.map((f) => f.path);
  let result;
  try {
    result = await attach(target, parent, {
      artifactType: spec.artifactType,
      files: spec.files,
      annotations: job.annotations,
      deferSettle: true,
    });
    if (result.settled) {
      const settled = result.settled.catch((err: unknown) => Promise.reject(withOrigin(err, spec.origin)));
      settled.catch(() => undefined); // awaited at the end of the run; never unhandled meanwhile
      settling.push(settled);
    }
  } catch (err) {
    throw withOrigin(err, spec.origin);
  }
  if (result.reused && job.failOnDuplicate) {
    throw new OcigraphError(
      "ALREADY_EXISTS",
      `${spec.origin}: an identical ${spec.artifactType} artifact already refers to ${parent}: ${result.descriptor.digest}`,
      { hint: "set fail-on-duplicate to false to reuse it" },
    );
  }
  hooks.info(
    `${result.reused ? "Reused" : "Attached"} ${shownType(spec.artifactType)} ${result.descriptor.digest} ` +
      `(${neutral(files.join(", "), 1024)})` +
      (parent === subject.digest ? "" : ` to ${parent}`),
  );
  return {
    input: spec.input,
    origin: spec.origin,
    artifactType: spec.artifactType,
    files,
    digest: result.descriptor.digest,
    size: result.descriptor.size,
    contentSize: result.layers.reduce((n, l) => n + l.size, 0),
    reused: result.reused,
    parent,
  };
}

async function promote(
  source: Target,
  subject: Descriptor,
  destination: Target,
  tags: string[],
  reference: string,
  job: Job,
  hooks: JobHooks,
): Promise<Promotion> {
  const result = await copy(source, subject, destination, tags, {
    recursive: true,
    includeArtifactTypes: job.promoteArtifactTypes,
    maxNodes: job.maxNodes,
    // The per-node line quotes the registry's artifact type: never a log command.
    onNode: (d, outcome) =>
      hooks.info(
        `${outcome.padEnd(7)} ${shownType(d.artifactType ?? d.mediaType)} ${d.digest} (${d.size} bytes)`,
      ),
  });
  hooks.info(
    `Promoted ${subject.digest} to ${neutral(reference)}: ${result.copied} copied, ${result.mounted} mounted, ` +
      `${result.skipped} already there, ${result.referrers.length} referrers, ${result.bytes} bytes sent`,
  );
  return {
    reference,
    digest: result.root.digest,
    copied: result.copied,
    mounted: result.mounted,
    skipped: result.skipped,
    referrers: result.referrers.length,
    bytes: result.bytes,
  };
}

/** Prefixes the input or line at fault to an error, keeping its code, hint and cause. */
function withOrigin(err: unknown, origin: string): unknown {
  if (isOcigraphError(err)) {
    return new OcigraphError(err.code, `${origin}: ${err.message}`, {
      cause: err,
      ...(err.hint ? { hint: err.hint } : {}),
      ...(err.status !== undefined ? { status: err.status } : {}),
      registryErrors: err.registryErrors,
    });
  }
  return err;
}
