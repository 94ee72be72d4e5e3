// Specs for tile URL validation (src/ui/lib/tileUrl.ts): the template decides which host the app contacts.
import { describe, expect, it } from 'vitest';
import { checkTileUrl, defaultTileUrl } from '../../src/ui/lib/tileUrl.ts';

describe('checkTileUrl()', () => {
  it('accepts the OpenStreetMap default and templates with {s} and {r}', () => {
    expect(checkTileUrl(defaultTileUrl)).toEqual({ ok: true, url: defaultTileUrl });
    expect(checkTileUrl(' https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png ').ok).toBe(true);
  });

  it('treats an empty template as "no tiles"', () => {
    expect(checkTileUrl('  ')).toEqual({ ok: true, url: '' });
  });

  it('rejects a template missing {z}, {x} or {y}, naming the missing one', () => {
    expect(checkTileUrl('https://t.example.org/{z}/{x}.png')).toEqual({
      ok: false,
      reason: 'the template must contain {y}',
    });
  });

  it('rejects unknown placeholders, non-URLs and non-http schemes', () => {
    expect(checkTileUrl('https://t.example.org/{z}/{x}/{y}.png?key={apikey}')).toMatchObject({
      ok: false,
      reason: 'unknown placeholder {apikey}',
    });
    expect(checkTileUrl('{z}/{x}/{y}')).toMatchObject({ ok: false, reason: 'not a valid URL' });
    expect(checkTileUrl('javascript:alert(1)//{z}/{x}/{y}')).toMatchObject({ ok: false });
    expect(checkTileUrl('file:///tiles/{z}/{x}/{y}.png')).toMatchObject({ ok: false });
  });
});
