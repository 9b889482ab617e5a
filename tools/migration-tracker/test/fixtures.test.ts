import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';

describe('fixtures', () => {
  for (const name of fs.readdirSync(FIXTURES)) {
    it(`${name} is valid TypeScript under its own tsconfig.json`, () => {
      const configPath = path.join(FIXTURES, name, 'tsconfig.json');
      const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
      const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    });
  }
});
