/**
 * Three builds, chosen by --mode (see package.json "build"):
 *   widget -> dist/widget.js        the tiny loader a host page downloads (launcher + window.Parley)
 *   panel  -> dist/widget-panel.js  the Preact chat panel, loaded on first open
 *   admin  -> dist/admin/           the owner's admin page, served at /admin
 * IIFE has no code splitting, so the loader and the panel are separate builds.
 */
import { defineConfig, type UserConfig } from 'vite';
import preact from '@preact/preset-vite';

const iife = (entry: string, fileName: string): UserConfig => ({
  plugins: [preact()],
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    cssCodeSplit: false,
    // ?. and ?? stay native: smaller than their es2019 rewrites (the loader's budget is < 3 KB gzipped)
    target: 'es2020',
    minify: true,
    lib: { entry, name: '__parley', formats: ['iife'], fileName: () => fileName },
  },
});

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'widget') return iife('widget/src/loader/index.ts', 'widget.js');
  if (mode === 'panel') return iife('widget/src/panel/index.tsx', 'widget-panel.js');
  if (mode === 'admin')
    return {
      plugins: [preact()],
      root: 'admin',
      base: '/admin/',
      build: { outDir: '../dist/admin', emptyOutDir: true, target: 'es2020' },
    };
  throw new Error(`vite: unknown mode "${mode}" (widget, panel or admin)`);
});
