import L from './leaflet-global.ts';
import 'leaflet.markercluster';

/**
 * The map above /meldungen. Without this script the block stays hidden and the list is the page.
 * Settings come from data- attributes (the CSP allows no inline script); as the map moves, the
 * markers of the visible box are loaded from /meldungen/karte.geojson with the list's filters.
 */
const root = document.querySelector<HTMLElement>('[data-public-map]');
if (root) init(root);

interface CaseFeature {
  geometry: { coordinates: [number, number] };
  properties: { number: string; category: string | null; statusLabel: string; url: string };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The popup, built from text nodes: nothing from the data is parsed as HTML. */
function popupContent(p: CaseFeature['properties']): HTMLElement {
  const box = document.createElement('div');
  const title = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = `Meldung ${p.number}`;
  title.append(strong);
  const facts = document.createElement('p');
  facts.textContent = `${p.category ?? 'ohne Kategorie'} · Status: ${p.statusLabel}`;
  const link = document.createElement('a');
  link.className = 'kern-link';
  link.href = p.url;
  link.textContent = `Meldung ${p.number} öffnen`;
  box.append(title, facts, link);
  return box;
}

/** Cluster icons are buttons for Leaflet; their text names them ("12 Meldungen"). */
function clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
  const n = cluster.getChildCount();
  const size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
  return L.divIcon({
    html: `<div><span>${n}<span class="kern-sr-only"> Meldungen, zum Vergrößern wählen</span></span></div>`,
    className: `marker-cluster marker-cluster-${size}`,
    iconSize: L.point(40, 40),
  });
}

function init(block: HTMLElement): void {
  const mapElement = block.querySelector<HTMLElement>('[data-map]');
  const status = block.querySelector<HTMLElement>('[data-status]');
  const { tileUrl, attribution = '', center = '', query = '' } = block.dataset;
  if (!mapElement || !status || !tileUrl) return;

  block.hidden = false;
  const [centerLat = 0, centerLon = 0] = center.split(',').map(Number);
  const map = L.map(mapElement, { keyboard: true }).setView([centerLat, centerLon], 14);
  // Leaflet renders attribution as HTML; the configured text is plain, so escape it.
  L.tileLayer(tileUrl, { attribution: escapeHtml(attribution), maxZoom: 19 }).addTo(map);
  const markers = L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false });
  map.addLayer(markers);

  const say = (message: string) => {
    status.textContent = message;
  };
  let pending: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const load = async () => {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    const b = map.getBounds();
    const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
    const bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
      .map((x) => x.toFixed(6))
      .join(',');
    const params = new URLSearchParams(query);
    params.set('bbox', bbox);
    try {
      const res = await fetch(`/meldungen/karte.geojson?${params}`, {
        headers: { accept: 'application/geo+json' },
        signal: controller.signal,
      });
      const body = (await res.json()) as { features?: CaseFeature[]; hint?: string; error?: string };
      if (!res.ok) {
        markers.clearLayers();
        say(body.error ?? 'Die Meldungen für die Karte ließen sich nicht laden. Die Liste unten zeigt sie alle.');
        return;
      }
      const features = body.features ?? [];
      markers.clearLayers();
      markers.addLayers(
        features.map((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const title = `Meldung ${f.properties.number}: ${f.properties.category ?? 'ohne Kategorie'}, ${f.properties.statusLabel}`;
          return L.marker([lat, lon], { title, alt: title }).bindPopup(popupContent(f.properties));
        }),
      );
      const count = features.length === 1 ? '1 Meldung' : `${features.length} Meldungen`;
      say(body.hint ?? `${count} im Kartenausschnitt.`);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      say('Die Meldungen für die Karte ließen sich nicht laden. Die Liste unten zeigt sie alle.');
    }
  };
  // Wait until the map rests, so panning does not send a request per frame.
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  };
  map.on('moveend resize', schedule);
  // The box can change size without the window doing so (web fonts arriving, a phone turned, the
  // list growing a scrollbar); Leaflet only hears of window resizes, and a stale size means a
  // stale bounding box, so markers at the edge would never be asked for.
  new ResizeObserver(() => map.invalidateSize()).observe(mapElement);
  void load();
}
