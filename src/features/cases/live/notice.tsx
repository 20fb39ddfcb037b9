/**
 * Where the live-updates island says that something changed meanwhile. Empty and silent without
 * JavaScript; a polite live region, so screen readers hear the notice without losing their place.
 */
export function LiveNotice({ caseNumber }: { caseNumber?: string }) {
  return (
    <div
      class="live-notice"
      role="status"
      aria-live="polite"
      data-live-src={caseNumber ? `/staff/live?fall=${encodeURIComponent(caseNumber)}` : '/staff/live'}
      data-live-scope={caseNumber ? 'case' : 'inbox'}
    />
  );
}
