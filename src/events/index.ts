/** Public interface of the event-file readers and the preprocessing into network input. */
export { EventFileError } from './errors';
export { detectFormat } from './detect';
export { openEventFile, readEventChunks, readAllEvents, concatChunks } from './reader';
export type { EventFileReader, EventRecording } from './reader';
export { binEvents, binEventFile } from './preprocess';
export type { BinEventsOptions, BinReport, BinResult, StepReport } from './preprocess';
export { FrameBinner } from './binning';
export { RefractoryFilter, BackgroundActivityFilter } from './filters';
export { SpatialMapper } from './spatial';
export { writeFramesAsPng } from './framesPng';
export { eventsInfoCommand, eventsFramesCommand } from './cli';
export * from './types';
