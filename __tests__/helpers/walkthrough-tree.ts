/**
 * The graph the ORAS walkthrough builds, as `discover` prints it below the subject's line (digests
 * as `<digest>`): what both the walkthrough test and the installed package's demo must show.
 */
export const WALKTHROUGH_TREE: readonly string[] = [
  "├── signature/example",
  "│   └── <digest>",
  "├── readme/example",
  "│   └── <digest>",
  "└── sbom/example",
  "    └── <digest>",
  "        └── signature/example",
  "            └── <digest>",
];
