import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { xmlSafe } from '../../infra/xml.ts';
import { open311Status } from './errors.ts';
import { formatOfUrl, splitFormat, toXml } from './format.ts';

const parse = (xml: string) =>
  new XMLParser({ parseTagValue: false, isArray: (n) => ['attribute', 'value', 'error'].includes(n) }).parse(xml);

/** The documents of the GeoReport v2 spec's examples, written from their JSON form. */
describe('GeoReport XML', () => {
  it('the spec example of a service definition: lists under their item names, null as an empty element', () => {
    const xml = toXml('service_definition', {
      service_code: 'DMV66',
      attributes: [
        {
          variable: true,
          code: 'WHISHETN',
          datatype: 'singlevaluelist',
          required: true,
          datatype_description: null,
          order: 1,
          description: 'What is the ticket/tag/DL number?',
          values: [
            { key: 123, name: 'Ford' },
            { key: 124, name: 'Chrysler' },
          ],
        },
      ],
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_definition>')).toBe(true);
    expect(xml).toContain('<datatype_description></datatype_description>');
    expect(parse(xml)).toEqual({
      '?xml': '',
      service_definition: {
        service_code: 'DMV66',
        attributes: {
          attribute: [
            {
              variable: 'true',
              code: 'WHISHETN',
              datatype: 'singlevaluelist',
              required: 'true',
              datatype_description: '',
              order: '1',
              description: 'What is the ticket/tag/DL number?',
              values: {
                value: [
                  { key: '123', name: 'Ford' },
                  { key: '124', name: 'Chrysler' },
                ],
              },
            },
          ],
        },
      },
    });
  });

  it('the spec example of an error: <errors><error> with code and description', () => {
    const xml = toXml('errors', [{ code: 403, description: "Invalid api_key received -- can't proceed with create_request." }]);
    expect(parse(xml).errors.error).toEqual([
      { code: '403', description: "Invalid api_key received -- can't proceed with create_request." },
    ]);
  });

  it('an empty list is an empty root element', () => {
    expect(parse(toXml('service_requests', [])).service_requests).toBe('');
  });

  it('escapes markup and drops what XML 1.0 cannot carry', () => {
    const xml = toXml('service_requests', [{ description: '<b>&"\'</b>\u0001\u000b\uFFFF\uD800x\ttab\nline' }]);
    expect(xml).toContain('&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;x\ttab\nline');
    expect(xmlSafe('a\u0000b\u001fc\uDC00d😀')).toBe('abcd😀');
  });
});

describe('formats and statuses', () => {
  it('takes the format from the extension', () => {
    expect(splitFormat('2026-00042.xml')).toEqual({ name: '2026-00042', format: 'xml' });
    expect(splitFormat('2026-00042.abc.JSON')).toEqual({ name: '2026-00042.abc', format: 'json' });
    expect(splitFormat('2026-00042.html')).toBeNull();
    expect(splitFormat('.json')).toBeNull();
    expect(formatOfUrl('/georeport/v2/requests.xml?x=.json')).toBe('xml');
    expect(formatOfUrl('/georeport/v2/nothing')).toBe('json');
  });

  it('answers 400, 403 and 404 as the spec knows them; 429 and 5xx stay', () => {
    expect([401, 403, 404, 409, 413, 415, 429, 500, 503].map(open311Status)).toEqual([403, 403, 404, 400, 400, 400, 429, 500, 503]);
  });
});
