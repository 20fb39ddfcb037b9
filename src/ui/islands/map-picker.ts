import L from 'leaflet';

/**
 * Progressive map pin for the report form. Without this script the map block stays hidden and only
 * the address field counts. Settings come from data- attributes (the CSP allows no inline script).
 * The pin is written to the hidden lat/lon inputs, which the server validates as a pair.
 */
const root = document.querySelector<HTMLElement>('[data-map-picker]');
if (root) init(root);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function init(block: HTMLElement): void {
  const latInput = block.querySelector<HTMLInputElement>('input[name="lat"]');
  const lonInput = block.querySelector<HTMLInputElement>('input[name="lon"]');
  const mapElement = block.querySelector<HTMLElement>('[data-map]');
  const status = block.querySelector<HTMLElement>('[data-status]');
  const { tileUrl, attribution = '', center = '' } = block.dataset;
  if (!latInput || !lonInput || !mapElement || !status || !tileUrl) return;

  block.hidden = false;
  const [centerLat = 0, centerLon = 0] = center.split(',').map(Number);
  const map = L.map(mapElement, { keyboard: true }).setView([centerLat, centerLon], 14);
  // Leaflet renders attribution as HTML; the configured text is plain, so escape it.
  L.tileLayer(tileUrl, { attribution: escapeHtml(attribution), maxZoom: 19 }).addTo(map);

  let marker: L.Marker | null = null;
  const say = (message: string) => {
    status.textContent = message;
  };
  const setPin = (point: L.LatLng, message: string) => {
    const p = point.wrap();
    if (marker) marker.setLatLng(p);
    else {
      marker = L.marker(p, { draggable: true, title: 'Gewählter Ort', alt: 'Markierung des gewählten Orts' }).addTo(map);
      marker.on('dragend', () => marker && setPin(marker.getLatLng(), 'Markierung verschoben.'));
    }
    latInput.value = p.lat.toFixed(6);
    lonInput.value = p.lng.toFixed(6);
    say(`${message} Breite ${p.lat.toFixed(5)}, Länge ${p.lng.toFixed(5)}.`);
  };
  const clearPin = () => {
    marker?.remove();
    marker = null;
    latInput.value = '';
    lonInput.value = '';
    say('Markierung entfernt. Es zählt nur die Ortsangabe im Textfeld.');
  };

  // After a form error the server sends the pin back: show it again.
  const lat = Number.parseFloat(latInput.value);
  const lon = Number.parseFloat(lonInput.value);
  if (Number.isFinite(lat) && Number.isFinite(lon)) {
    setPin(L.latLng(lat, lon), 'Ihre Markierung ist noch gesetzt.');
    map.setView([lat, lon], 17);
  }

  map.on('click', (e: L.LeafletMouseEvent) => setPin(e.latlng, 'Markierung gesetzt.'));
  const button = (action: string) => block.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  button('center')?.addEventListener('click', () => setPin(map.getCenter(), 'Markierung in die Kartenmitte gesetzt.'));
  button('clear')?.addEventListener('click', clearPin);

  const locate = button('locate');
  if (!('geolocation' in navigator)) locate?.remove();
  locate?.addEventListener('click', () => {
    say('Standort wird ermittelt …');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const here = L.latLng(pos.coords.latitude, pos.coords.longitude);
        map.setView(here, 17);
        setPin(here, 'Ihr Standort ist markiert. Bitte prüfen Sie, ob er stimmt.');
      },
      (err) =>
        say(
          err.code === err.PERMISSION_DENIED
            ? 'Sie haben die Standortfreigabe abgelehnt. Sie können den Ort auch auf der Karte wählen.'
            : 'Ihr Standort ließ sich gerade nicht ermitteln. Bitte wählen Sie den Ort auf der Karte.',
        ),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}
