// The form's file reader (web/form/yaml-read.js) run by node, for tests/test_slips.py:
// a JSON list of base64-encoded files on stdin, a JSON list of readWorksheet()'s
// problems (or null for a file it reads) on stdout.

import { readFileSync } from "node:fs";
import { readWorksheet } from "../web/form/yaml-read.js";

const files = JSON.parse(readFileSync(0, "utf-8"));
const answers = files.map((encoded) => readWorksheet(new Uint8Array(Buffer.from(encoded, "base64"))).problem ?? null);
process.stdout.write(JSON.stringify(answers));
