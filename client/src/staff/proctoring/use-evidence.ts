import { useEffect, useState } from 'react';

/** Evidence images need the bearer token, which an <img src> cannot send: fetch as a blob URL. */
export function useEvidenceImage(id: number | null, token: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (id === null) {
      setUrl(null);
      return;
    }
    let revoked = false;
    let objectUrl: string | null = null;
    void fetch(`/api/evidence/${id}`, { headers: { authorization: `Bearer ${token}` } }).then(async (res) => {
      if (!res.ok || revoked) return;
      objectUrl = URL.createObjectURL(await res.blob());
      setUrl(objectUrl);
    });
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [id, token]);
  return url;
}

/** Reads an image file chosen by the proctor as a JPEG data URL, scaled down to stay under the API limit. */
export async function fileToJpegDataUrl(file: File, maxSide = 960): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const q of [0.8, 0.6, 0.4]) {
    const url = canvas.toDataURL('image/jpeg', q);
    if (url.length <= 240_000) return url;
  }
  throw new Error('照片过大 / photo too large');
}
