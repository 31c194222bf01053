import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The workbench build (docs/workbench.md): `npm run build` runs it after the server's swc build and writes
 * dist/workbench, which the workflow service serves at `/` (apps/workflow-api/src/workbench-static.ts).
 * The labels come from the server's own catalogue (libs/domain/src/i18n) and the USCC check from the domain's
 * own GB 32100-2015 code, bundled from source: the browser checks what the server checks.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@cbec/i18n': here('../../libs/domain/src/i18n/index.ts'), '@cbec/uscc': here('../../libs/domain/src/shared/uscc.ts') } },
  build: {
    outDir: here('../../dist/workbench'),
    emptyOutDir: true,
    // No inline script (the CSP forbids it): the module-preload polyfill is not needed by current browsers.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
