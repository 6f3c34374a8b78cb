#!/usr/bin/env bash
# The "push and pull supply chain artifacts" walkthrough, run by ocigraph on an OCI image
# layout directory: no registry, no docker, nothing to install beyond `npm ci`.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# OCIGRAPH: the command to run (default: the bundle in this clone; an installed `ocigraph` also works).
OCIGRAPH="${OCIGRAPH:-node ${REPO_ROOT}/dist/cli.js}"
WORK="${1:-$(mktemp -d)}"
cd "${WORK}"
LAYOUT=./net-monitor
IMAGE=${LAYOUT}:v1

echo "net-monitor $(date +%s)" > app.txt
echo '{"artifact": "net-monitor:v1", "signature": "jayden hancock"}' > signature.json
echo 'Readme Content' > readme.md
mkdir -p details
echo 'Detailed Content' > details/readme-details.md
echo 'More detailed Content' > details/readme-more-details.md
echo '{"version": "3.0.0", "name": "net-monitor"}' > sbom.json
echo '{"artifact": "sbom", "signature": "jayden hancock"}' > sbom-signature.json

run() { echo "\$ ocigraph $*"; ${OCIGRAPH} "$@"; }

run push --oci-layout "${IMAGE}" app.txt --artifact-type application/vnd.example.image
run attach --oci-layout "${IMAGE}" --artifact-type signature/example ./signature.json:application/json
run attach --oci-layout "${IMAGE}" --artifact-type readme/example ./readme.md:application/markdown ./details
run attach --oci-layout "${IMAGE}" --artifact-type sbom/example ./sbom.json:application/json
SBOM=$(${OCIGRAPH} discover --oci-layout "${IMAGE}" --artifact-type sbom/example --format json | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).referrers[0].digest))')
run attach --oci-layout "${LAYOUT}@${SBOM}" --artifact-type signature/example ./sbom-signature.json:application/json
run discover --oci-layout "${IMAGE}"
DOC=$(${OCIGRAPH} discover --oci-layout "${IMAGE}" --artifact-type readme/example --format json | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).referrers[0].digest))')
run pull --oci-layout "${LAYOUT}@${DOC}" -o ./download
run tags --oci-layout "${LAYOUT}"
echo "Demo files are in ${WORK}"
