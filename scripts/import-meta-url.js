// Injected by scripts/build.mjs: ESM dependencies bundled into CommonJS (fdir, used by tinyglobby)
// read import.meta.url, which CommonJS lacks; they get the bundle's own file URL instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- runs inside the CommonJS bundle
export const import_meta_url = require("node:url").pathToFileURL(__filename).href;
