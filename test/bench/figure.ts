/** One benchmark figure, printed by `npm run bench` as one line of JSON. */
export type Figure = {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target?: number;
  extra?: Record<string, unknown>;
};
