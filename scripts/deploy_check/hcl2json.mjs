// Parses every .tf file of the given directories with HashiCorp's own HCL parser (hashicorp/hcl,
// compiled to WebAssembly: the npm package @cdktf/hcl2json), into Terraform's JSON syntax.
//
//   node hcl2json.mjs <npm prefix where @cdktf/hcl2json is installed> <deploy dir> <out.json> <dir>...

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [prefix, deploy, out, ...dirs] = process.argv.slice(2);
// Resolved as from a file in <prefix>: <prefix>/node_modules.
const require = createRequire(path.join(path.resolve(prefix), "hcl2json.cjs"));
const { parse } = require("@cdktf/hcl2json");

const parsed = {};
for (const dir of dirs) {
  const files = fs
    .readdirSync(path.join(deploy, dir))
    .filter((f) => f.endsWith(".tf"))
    .sort();
  if (files.length === 0) throw new Error(`no .tf file in ${dir}`);
  parsed[dir] = {};
  for (const file of files) {
    const full = path.join(deploy, dir, file);
    parsed[dir][file] = await parse(full, fs.readFileSync(full, "utf8"));
    console.log(`parsed ${dir}/${file}`);
  }
}
fs.writeFileSync(out, JSON.stringify(parsed));
