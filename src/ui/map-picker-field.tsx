import type { Config } from '../config.ts';

/**
 * The map pin block of the location forms (the citizen's report form, the staff capture form),
 * enhanced by islands/map-picker.ts. The map is an enhancement: without JavaScript the block stays
 * hidden and only the address field counts. Settings travel in data- attributes because the CSP
 * allows no inline script. The pin is sent as the hidden lat/lon pair; errors show at id="pin".
 */
export function MapPickerField({
  lat,
  lon,
  error,
  map,
  hint = 'Klicken oder tippen Sie auf die Stelle. Mit der Tastatur: Karte mit den Pfeiltasten verschieben und „Markierung in die Kartenmitte setzen“ wählen.',
  locate = true,
}: {
  lat: string;
  lon: string;
  error?: string | undefined;
  map: Config['map'];
  hint?: string;
  /** "Meinen Standort verwenden": right for a citizen on the spot, wrong for a clerk at a desk. */
  locate?: boolean;
}) {
  return (
    <div
      id="pin"
      class={`map-picker-block${error ? ' kern-form-input--error' : ''}`}
      data-map-picker=""
      data-tile-url={map.tileUrl}
      data-attribution={map.attribution}
      data-center={`${map.center[0]},${map.center[1]}`}
      tabIndex={-1}
      hidden={!error}
    >
      <input type="hidden" name="lat" id="lat" value={lat} />
      <input type="hidden" name="lon" id="lon" value={lon} />
      <p class="kern-label" id="pin-label">
        Ort auf der Karte wählen <span class="kern-label__optional"> – optional</span>
      </p>
      <p class="kern-hint" id="pin-hint">
        {hint}
      </p>
      {error && (
        <p class="kern-error" id="pin-error">
          <span class="kern-body">{error}</span>
        </p>
      )}
      <div class="map-picker" data-map="" role="application" aria-labelledby="pin-label" aria-describedby="pin-hint" />
      <div class="map-picker__actions">
        <button type="button" class="kern-btn kern-btn--secondary kern-btn--small" data-action="center">
          <span class="kern-label">Markierung in die Kartenmitte setzen</span>
        </button>
        {locate && (
          <button type="button" class="kern-btn kern-btn--secondary kern-btn--small" data-action="locate">
            <span class="kern-label">Meinen Standort verwenden</span>
          </button>
        )}
        <button type="button" class="kern-btn kern-btn--tertiary kern-btn--small" data-action="clear">
          <span class="kern-label">Markierung entfernen</span>
        </button>
      </div>
      <p class="kern-body kern-body--small" data-status="" aria-live="polite" />
    </div>
  );
}
