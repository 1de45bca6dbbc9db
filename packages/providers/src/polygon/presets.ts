/** What distinguishes Polygon from Massive: the same API under two names and hosts. */
export interface PolygonPreset {
  /** Provider name. */
  name: 'polygon' | 'massive';
  /** Default base URL. */
  baseUrl: string;
  /** Environment variables the key is read from when neither `apiKey` nor `keyResolver` is given, first found wins. */
  keyVariables: readonly string[];
}

/** Polygon.io: `https://api.polygon.io`, key in `POLYGON_API_KEY`. */
export const POLYGON_PRESET: PolygonPreset = Object.freeze({
  name: 'polygon',
  baseUrl: 'https://api.polygon.io',
  keyVariables: Object.freeze(['STOCKADE_PROVIDERS_POLYGON_API_KEY', 'POLYGON_API_KEY']),
});

/** Massive (Polygon renamed on 2025-10-30): `https://api.massive.com`, key in `MASSIVE_API_KEY`. */
export const MASSIVE_PRESET: PolygonPreset = Object.freeze({
  name: 'massive',
  baseUrl: 'https://api.massive.com',
  keyVariables: Object.freeze(['STOCKADE_PROVIDERS_MASSIVE_API_KEY', 'MASSIVE_API_KEY']),
});
