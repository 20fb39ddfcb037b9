/**
 * Builds a multipart/form-data body for app.inject the way a browser would send it, using the
 * platform's FormData and Response to do the encoding (boundary included).
 */
export interface UploadFile {
  data: Buffer;
  filename: string;
  type?: string;
}

export async function multipart(
  fields: Record<string, string | undefined>,
  files: Record<string, UploadFile[]> = {},
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  for (const [name, list] of Object.entries(files)) {
    for (const f of list) form.append(name, new Blob([new Uint8Array(f.data)], { type: f.type ?? 'application/octet-stream' }), f.filename);
  }
  const response = new Response(form);
  const payload = Buffer.from(await response.arrayBuffer());
  return { payload, headers: { 'content-type': response.headers.get('content-type') ?? '' } };
}
