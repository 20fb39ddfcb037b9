import type { ComponentChildren } from 'preact';

/** Breadcrumb-like way back, so staff and admins always know where they are. */
export function BackLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <p class="kern-body">
      <a class="kern-link" href={href}>
        ← {children}
      </a>
    </p>
  );
}
