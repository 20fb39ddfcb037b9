import L from 'leaflet';

/**
 * leaflet.markercluster extends the global `L` (its UMD build has no import of Leaflet), so Leaflet
 * is put on window before the plugin module runs; import this module before 'leaflet.markercluster'.
 */
(globalThis as unknown as { L: typeof L }).L = L;

export default L;
