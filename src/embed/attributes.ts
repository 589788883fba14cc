/** The element's attributes: the app's URL parameters, plus the widget-only ones. */
export const OBSERVED: readonly string[] = [
  'method', 'dataset', 'n', 'seed', 'sigma', 'sigma-min', 'sigma-max', 'beta', 'lr', 'batch', 'width', 'depth',
  'projection', 'view-sigma', 'backend', 'sampler', 'particles', 'levels', 'steps', 'eps', 'views', 'controls', 'autoplay',
  'lock', 'max-steps', 'layout',
];
