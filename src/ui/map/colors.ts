// The map's palette, shared by the layers and the legend so they cannot drift apart.
export const colors = {
  track: '#51708f',
  selected: '#1d2939',
  observed: '#1c64f2',
  truth: '#101828',
  model: '#e8590c',
  cv: '#7b8794',
  drawn: '#7a2ee0',
} as const;
