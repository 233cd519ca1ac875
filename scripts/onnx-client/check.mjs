// Loads a Quarry ONNX export (`bin/quarry export --format onnx`) with onnxruntime-node, a client that shares no code
// with Quarry, embeds the token rows of a cases file with the pooling the export's quarry.json states, and compares
// them with the embeddings Quarry computed for the same rows.
//   node check.mjs EXPORT_DIR CASES.json
// CASES.json: {"rows": [[101, 2023, ...], ...], "expected": [[0.01, ...], ...]}. Prints one JSON line
// {"rows": N, "max_abs_diff": D} and exits 1 when D > 1e-4.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const [dir, casesFile] = process.argv.slice(2);
const recipe = JSON.parse(readFileSync(join(dir, 'quarry.json'), 'utf8')).recipe;
const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
let maxDiff = 0;
const batch = 8;
for (let start = 0; start < cases.rows.length; start += batch) {
  const rows = cases.rows.slice(start, start + batch);
  const length = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * length);
  const mask = new BigInt64Array(rows.length * length);
  const types = new BigInt64Array(rows.length * length);
  rows.forEach((r, b) => r.forEach((id, t) => { ids[b * length + t] = BigInt(id); mask[b * length + t] = 1n; }));
  const dims = [rows.length, length];
  const out = await session.run({
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', types, dims),
  });
  const hidden = out.last_hidden_state;
  const dim = hidden.dims[2];
  rows.forEach((r, b) => {
    const v = new Float64Array(dim);
    const tokens = recipe.pooling === 'cls' ? 1 : r.length;
    for (let t = 0; t < tokens; t++) {
      for (let d = 0; d < dim; d++) v[d] += hidden.data[(b * length + t) * dim + d];
    }
    for (let d = 0; d < dim; d++) v[d] /= tokens;
    if (recipe.normalize) {
      const norm = Math.max(Math.sqrt(v.reduce((s, x) => s + x * x, 0)), 1e-12);
      for (let d = 0; d < dim; d++) v[d] /= norm;
    }
    const expected = cases.expected[start + b];
    for (let d = 0; d < dim; d++) maxDiff = Math.max(maxDiff, Math.abs(v[d] - expected[d]));
  });
}
console.log(JSON.stringify({ rows: cases.rows.length, max_abs_diff: maxDiff }));
process.exit(maxDiff > 1e-4 ? 1 : 0);
