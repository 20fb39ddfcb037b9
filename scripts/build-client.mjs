// Bundles the small client islands (map picker, inbox enhancements) into dist/public.
// Pages work without them; they only enhance.
import { build } from 'esbuild';

await build({
  entryPoints: [
    'src/ui/islands/map-picker.ts',
    'src/ui/islands/public-map.ts',
    'src/ui/islands/photo-preview.ts',
    'src/ui/islands/template-picker.ts',
    'src/ui/islands/live-updates.ts',
    'src/ui/islands/inbox-keys.ts',
    'src/ui/islands/form-shortcuts.ts',
    'src/ui/islands/desk-editor.ts',
    'src/ui/islands/calendar-drag.ts',
  ],
  outdir: 'dist/public',
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});
