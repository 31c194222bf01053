// The one TypeScript-on-the-fly register for child processes of the tests and benches (no build step):
// `node -r libs/event-store/test-support/ts-register.js child.ts`. Compiles .ts with the same swc options
// as jest.config.js and maps the @cbec/<lib> aliases to libs/<lib>/src.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@cbec\/([a-z-]+)$/.exec(request);
  return resolveFilename.call(this, alias ? path.join(root, 'libs', alias[1], 'src', 'index.ts') : request, ...rest);
};
require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
