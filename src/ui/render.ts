import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a full page. Preact escapes every text and attribute value, so user input is safe here. */
export function renderPage(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

/** Renders a fragment (htmx swaps). */
export function renderFragment(node: VNode): string {
  return renderToString(node);
}
