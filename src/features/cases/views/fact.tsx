import type { ComponentChildren } from 'preact';

/** One key–value line of a KERN description list (Überblick, Kontakt). */
export function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{label}</dt>
      <dd class="kern-description-list-item__value">{children}</dd>
    </div>
  );
}
