import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply } from 'fastify';
import { xmlSafe } from '../../infra/xml.ts';

/** The two formats of GeoReport v2, picked by the resource's extension (`requests.xml`). */
export const formats = ['json', 'xml'] as const;
export type Format = (typeof formats)[number];

export const contentTypes: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** A value of a GeoReport document: what JSON and XML both can say. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/**
 * The element name of each list's items in XML (the Spark convention of the spec: `<services>`
 * holds `<service>`s); the same key in JSON is just an array.
 */
const itemNames: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  status_notes: 'status_note',
  media_urls: 'media_url',
};

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false, processEntities: true });

/** A value as fast-xml-parser's builder wants it: lists under their item name, everything else as text. */
function xmlNode(key: string, value: Value): unknown {
  if (Array.isArray(value)) return { [itemNames[key] ?? 'item']: value.map((v) => xmlNode(itemNames[key] ?? 'item', v)) };
  if (value === null) return '';
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlNode(k, v)]));
  return xmlSafe(String(value));
}

/** The XML document of a root element (`services`, `service_requests`, `errors` …). */
export function toXml(root: string, value: Value): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: xmlNode(root, value) })}`;
}

/** Sends a GeoReport document: JSON as is, XML under its root element; never HTML. */
export function sendDocument(reply: FastifyReply, format: Format, root: string, value: Value, status = 200) {
  reply.status(status).header('content-type', contentTypes[format]);
  return reply.send(format === 'json' ? JSON.stringify(value) : toXml(root, value));
}

/** `requests/2026-00042.xml` → the id and the format; null when the extension is neither. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = file.slice(dot + 1).toLowerCase();
  return (formats as readonly string[]).includes(ext) ? { name: file.slice(0, dot), format: ext as Format } : null;
}

/** The format an error should be in: the URL's extension, JSON when it has none we know. */
export function formatOfUrl(url: string): Format {
  const path = url.split('?', 1)[0] ?? '';
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}
