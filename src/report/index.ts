export { readVegaBundles, VEGA_BUNDLE_PATHS } from './bundles';
export type { ScriptBundle } from './bundles';
export { renderReportPage } from './page';
export { writeReport } from './write-report';
