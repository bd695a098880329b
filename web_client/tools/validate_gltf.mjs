// Runs the Khronos glTF validator on GLB files and prints one JSON line per file:
// {"file", "errors", "warnings", "infos", "messages": [first error messages]}.
// Used by the Python tests (tests/scenes/test_gltf_validator.py) and the upload pipeline.
import { readFile } from 'node:fs/promises';
import validator from 'gltf-validator';

let failed = false;
for (const file of process.argv.slice(2)) {
  const bytes = new Uint8Array(await readFile(file));
  try {
    const report = await validator.validateBytes(bytes, {
      maxIssues: 200,
      // a GLB must be self-contained: any external resource is an error
      externalResourceFunction: (uri) => Promise.reject(new Error(`external resource refused: ${uri}`)),
    });
    const messages = report.issues.messages
      .filter((m) => m.severity === 0)
      .slice(0, 10)
      .map((m) => `${m.code} ${m.pointer ?? ''}: ${m.message}`);
    console.log(JSON.stringify({
      file,
      errors: report.issues.numErrors,
      warnings: report.issues.numWarnings,
      infos: report.issues.numInfos,
      messages,
    }));
  } catch (err) {
    failed = true;
    console.log(JSON.stringify({ file, errors: 1, warnings: 0, infos: 0, messages: [String(err)] }));
  }
}
process.exitCode = failed ? 1 : 0;
