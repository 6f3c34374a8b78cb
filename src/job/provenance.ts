/** Provenance annotations from the CI system's environment, added to every attached artifact by default. */
import { Annotation } from "../oci/media-types.js";

/** Link to the CI run that attached the artifact (no OCI-defined key exists for it). */
export const RUN_URL_ANNOTATION = "dev.ocigraph.run.url";

/**
 * `org.opencontainers.image.source` (the repository URL), `.revision` (the commit) and the run URL,
 * from GitHub Actions (`GITHUB_*`) or Azure Pipelines (`BUILD_*`, `SYSTEM_*`) variables. Empty
 * outside CI. The run URL stays the same when a run is re-tried, so a re-run still reuses artifacts.
 */
export function provenanceAnnotations(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env["GITHUB_ACTIONS"] === "true" && env["GITHUB_REPOSITORY"]) {
    const server = (env["GITHUB_SERVER_URL"] || "https://github.com").replace(/\/+$/, "");
    const repo = `${server}/${env["GITHUB_REPOSITORY"]}`;
    return {
      [Annotation.Source]: repo,
      ...(env["GITHUB_SHA"] ? { [Annotation.Revision]: env["GITHUB_SHA"] } : {}),
      ...(env["GITHUB_RUN_ID"]
        ? { [RUN_URL_ANNOTATION]: `${repo}/actions/runs/${env["GITHUB_RUN_ID"]}` }
        : {}),
    };
  }
  if ((env["TF_BUILD"] ?? "").toLowerCase() === "true") {
    const collection = env["SYSTEM_COLLECTIONURI"];
    const project = env["SYSTEM_TEAMPROJECT"];
    const build = env["BUILD_BUILDID"];
    return {
      ...(env["BUILD_REPOSITORY_URI"] ? { [Annotation.Source]: env["BUILD_REPOSITORY_URI"] } : {}),
      ...(env["BUILD_SOURCEVERSION"] ? { [Annotation.Revision]: env["BUILD_SOURCEVERSION"] } : {}),
      ...(collection && project && build
        ? {
            [RUN_URL_ANNOTATION]: `${collection.replace(/\/?$/, "/")}${encodeURIComponent(project)}/_build/results?buildId=${build}`,
          }
        : {}),
    };
  }
  return {};
}
